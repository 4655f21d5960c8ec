#include "trace_writer.h"

#include "../common/units.h"

#include <deal.II/base/mpi.h>

#include <cstdio>
#include <cstdlib>

namespace chiptherm::solver
{
  namespace
  {
    /// Keeps the header and the rows whose first number is at most t_s; returns the kept text.
    std::string rows_up_to(const std::string &path, double t_s)
    {
      std::ifstream in(path);
      std::string   kept, line;
      bool          header = true;
      while (std::getline(in, line))
        {
          if (header || std::strtod(line.c_str(), nullptr) <= t_s * (1 + 1e-12))
            kept += line + "\n";
          header = false;
        }
      return kept;
    }
  } // namespace

  TraceWriter::TraceWriter(const std::string &directory, const std::vector<std::string> &labels, bool hotspot_ttrace,
                           MPI_Comm comm, double resume_after_s)
    : is_root_(dealii::Utilities::MPI::this_mpi_process(comm) == 0)
  {
    if (!is_root_)
      return;
    const std::string csv = directory + "/traces.csv", ttrace = directory + "/traces.ttrace";
    if (resume_after_s >= 0 && std::ifstream(csv))
      {
        const std::string kept = rows_up_to(csv, resume_after_s);
        csv_.open(csv);
        csv_ << kept << std::flush;
        if (hotspot_ttrace)
          {
            // .ttrace rows carry no time: keep as many as csv rows after t = 0.
            std::ifstream in(ttrace);
            std::string   text, line;
            std::size_t   rows = 0, keep = 0;
            for (const char c : kept)
              keep += c == '\n';
            keep = keep >= 2 ? keep - 2 : 0; // minus header, minus the t = 0 row
            while (std::getline(in, line) && rows <= keep)
              text += line + "\n", ++rows;
            ttrace_.open(ttrace);
            ttrace_ << text << std::flush;
          }
        return;
      }
    csv_.open(csv);
    csv_ << "time_s";
    for (const auto &l : labels)
      csv_ << "," << l;
    csv_ << "\n";
    if (hotspot_ttrace)
      {
        ttrace_.open(ttrace);
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
