#include "trace_writer.h"

#include "../common/units.h"

#include <deal.II/base/mpi.h>

#include <cstdio>

namespace chiptherm::solver
{
  TraceWriter::TraceWriter(const std::string &directory, const std::vector<std::string> &labels, bool hotspot_ttrace,
                           MPI_Comm comm)
    : is_root_(dealii::Utilities::MPI::this_mpi_process(comm) == 0)
  {
    if (!is_root_)
      return;
    csv_.open(directory + "/traces.csv");
    csv_ << "time_s";
    for (const auto &l : labels)
      csv_ << "," << l;
    csv_ << "\n";
    if (hotspot_ttrace)
      {
        ttrace_.open(directory + "/traces.ttrace");
        for (std::size_t i = 0; i < labels.size(); ++i)
          ttrace_ << (i ? "\t" : "") << labels[i];
        ttrace_ << "\n";
      }
  }

  void TraceWriter::add(double t_s, const std::vector<BlockResult> &results)
  {
    if (!is_root_)
      return;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", t_s);
    csv_ << buf;
    for (const auto &r : results)
      {
        std::snprintf(buf, sizeof buf, ",%.6f", kelvin_to_celsius(r.t_max_k));
        csv_ << buf;
      }
    csv_ << "\n" << std::flush;
    // HotSpot writes one row per interval, at its end (not the initial state),
    // with the block average (its default grid_map_mode avg).
    if (ttrace_.is_open() && t_s > 0)
      {
        for (std::size_t i = 0; i < results.size(); ++i)
          {
            std::snprintf(buf, sizeof buf, "%s%.2f", i ? "\t" : "", results[i].t_avg_k);
            ttrace_ << buf;
          }
        ttrace_ << "\n" << std::flush;
      }
  }
} // namespace chiptherm::solver
