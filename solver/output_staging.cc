#include "output_staging.h"

#include <filesystem>

namespace chiptherm::solver
{
  namespace fs = std::filesystem;

  namespace
  {
    /// A transient run's checkpoints: only for a run that did not finish.
    const fs::path running_checkpoints = "checkpoint";

    /// Files an earlier run of chiptherm may have left in OUT.
    bool is_previous_result(const fs::path &p)
    {
      const std::string name = p.filename().string();
      return name == "report.json" || name == "blocks.csv" || name.rfind("solution", 0) == 0 ||
             name.rfind("traces", 0) == 0 || name == "final_state";
    }
  } // namespace

  OutputStaging::OutputStaging(std::string out_dir, MPI_Comm comm, bool keep_existing)
    : out_(fs::path(out_dir).lexically_normal().string())
    , comm_(comm)
    , keep_on_failure_(keep_existing)
  {
    if (!out_.empty() && out_.back() == '/')
      out_.pop_back();
    staging_ = out_ + ".partial";
    int rank = 0;
    MPI_Comm_rank(comm_, &rank);
    is_root_ = (rank == 0);
    if (is_root_)
      {
        const fs::path parent = fs::path(out_).parent_path();
        if (!parent.empty() && !fs::exists(parent))
          {
            // Remember the highest folder we create, to remove it on failure.
            fs::path top = parent;
            while (!top.parent_path().empty() && !fs::exists(top.parent_path()))
              top = top.parent_path();
            created_parent_ = top.string();
          }
        if (!keep_existing)
          fs::remove_all(staging_);
        fs::create_directories(staging_);
      }
    MPI_Barrier(comm_);
  }

  void OutputStaging::commit()
  {
    MPI_Barrier(comm_);
    if (is_root_)
      {
        fs::create_directories(out_);
        for (const auto &entry : fs::directory_iterator(out_))
          if (is_previous_result(entry.path()))
            fs::remove_all(entry.path());
        for (const auto &entry : fs::directory_iterator(staging_))
          if (entry.path().filename() != running_checkpoints)
            fs::rename(entry.path(), fs::path(out_) / entry.path().filename());
        fs::remove_all(staging_);
      }
    committed_ = true;
    MPI_Barrier(comm_);
  }

  OutputStaging::~OutputStaging()
  {
    if (committed_ || !is_root_ || keep_on_failure_)
      return;
    std::error_code ignored;
    fs::remove_all(staging_, ignored);
    if (!created_parent_.empty())
      fs::remove_all(created_parent_, ignored);
  }
} // namespace chiptherm::solver
