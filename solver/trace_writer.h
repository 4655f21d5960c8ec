#pragma once
// traces.csv of a transient run (time_s, then each block's t_max_c), and on
// request traces.ttrace in HotSpot's layout (unit names, then each block's
// mean temperature in K, as HotSpot's default grid_map_mode avg reports).
// Rows are written and flushed as the run produces them; rank 0 writes.
#include "block_statistics.h"

#include <mpi.h>

#include <fstream>
#include <string>
#include <vector>

namespace chiptherm::solver
{
  class TraceWriter
  {
  public:
    /// labels: one column name per block (ChipModel::block_labels()).
    /// With resume_after_s >= 0 the files of an interrupted run are kept up to
    /// that time (rows after it are dropped) and continued.
    TraceWriter(const std::string &directory, const std::vector<std::string> &labels, bool hotspot_ttrace,
                MPI_Comm comm, double resume_after_s = -1);
    /// One row at time t_s.
    void add(double t_s, const std::vector<BlockResult> &results);

  private:
    bool          is_root_ = false;
    std::ofstream csv_, ttrace_;
  };
} // namespace chiptherm::solver
