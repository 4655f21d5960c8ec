#pragma once
// Results are written to OUT.partial and moved into OUT only when complete, so
// a run that fails (bad input, numerical failure, crash) leaves OUT untouched.
#include <mpi.h>

#include <string>

namespace chiptherm::solver
{
  class OutputStaging
  {
  public:
    /// Collective: rank 0 clears any stale staging folder and creates a new
    /// one; with keep_existing (a resumed run) an existing one is kept as it
    /// is, and kept on failure too (it holds the checkpoints to resume again).
    OutputStaging(std::string out_dir, MPI_Comm comm, bool keep_existing = false);
    /// Removes the staging folder (and an OUT parent it created) unless committed.
    ~OutputStaging();
    OutputStaging(const OutputStaging &) = delete;
    OutputStaging &operator=(const OutputStaging &) = delete;

    /// Where to write now.
    const std::string &path() const { return staging_; }
    /// Collective: moves every file and folder into OUT, replacing earlier
    /// results, except checkpoint/ (a finished run needs no restart point).
    void commit();

  private:
    std::string out_;
    std::string staging_;
    MPI_Comm    comm_;
    bool        is_root_   = false;
    bool        committed_ = false;
    bool        keep_on_failure_ = false;
    std::string created_parent_;
  };
} // namespace chiptherm::solver
