#pragma once
// The time traces of a transient run, written and flushed row by row as the
// run produces them (rank 0 writes):
//  - traces.csv: time_s, then each block's t_max_c (at output times);
//  - power_trace.csv: time_s, then each block's power_w, dynamic + leakage
//    (at output times: the power up to that time);
//  - frequency_trace.csv, with DVFS blocks only: time_s, then each DVFS
//    block's frequency_hz, at t = 0, at output times, and two rows at every
//    change (the frequencies before, then after: a step when plotted);
//  - on request traces.ttrace in HotSpot's layout (unit names, then each
//    block's mean temperature in K, as HotSpot's default grid_map_mode avg).

#include <mpi.h>

#include <fstream>
#include <string>
#include <vector>

namespace chiptherm::solver
{
  class TraceWriter
  {
  public:
    /// labels: one column name per block (ChipModel::block_labels());
    /// dvfs_labels: one per DVFS block (none: no frequency_trace.csv).
    /// With resume_after_s >= 0 the files of an interrupted run are kept up to
    /// that time (rows after it are dropped) and continued.
    TraceWriter(const std::string &directory, const std::vector<std::string> &labels,
                const std::vector<std::string> &dvfs_labels, bool hotspot_ttrace, MPI_Comm comm,
                double resume_after_s = -1);
    /// The rows of an output time t_s: each block's t_max and t_avg (K) and
    /// power (W).
    void add(double t_s, const std::vector<double> &t_max_k, const std::vector<double> &t_avg_k,
             const std::vector<double> &power_w);
    /// A row of frequency_trace.csv (Hz, per DVFS block).
    void add_frequencies(double t_s, const std::vector<double> &frequency_hz);

  private:
    /// Opens path for writing with header columns, or (resuming) keeps its rows up to resume_after_s.
    static void open(std::ofstream &file, const std::string &path, const std::vector<std::string> &labels,
                     double resume_after_s);
    static void row(std::ofstream &file, double t_s, const std::vector<double> &values, const char *format);

    bool          is_root_ = false;
    std::ofstream csv_, power_, frequency_, ttrace_;
  };
} // namespace chiptherm::solver
