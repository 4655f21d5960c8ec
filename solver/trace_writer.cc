#include "trace_writer.h"

#include "common/output_file.h"
#include "common/units.h"

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

  void TraceWriter::open(std::ofstream &file, const std::string &path, const std::vector<std::string> &labels,
                         double resume_after_s)
  {
    if (resume_after_s >= 0 && std::ifstream(path))
      {
        const std::string kept = rows_up_to(path, resume_after_s);
        file.open(path);
        file << kept;
        check_written(file, path);
        return;
      }
    file.open(path);
    file << "time_s";
    for (const auto &l : labels)
      file << "," << l;
    file << "\n";
  }

  void TraceWriter::row(std::ofstream &file, double t_s, const std::vector<double> &values, const char *format)
  {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", t_s);
    file << buf;
    for (const double v : values)
      {
        std::snprintf(buf, sizeof buf, format, v);
        file << "," << buf;
      }
    file << "\n";
    check_written(file, "traces");
  }

  TraceWriter::TraceWriter(const std::string &directory, const std::vector<std::string> &labels,
                           const std::vector<std::string> &dvfs_labels, bool hotspot_ttrace, MPI_Comm comm,
                           double resume_after_s)
    : is_root_(dealii::Utilities::MPI::this_mpi_process(comm) == 0)
  {
    if (!is_root_)
      return;
    const std::string csv = directory + "/traces.csv", ttrace = directory + "/traces.ttrace";
    const bool        resuming = resume_after_s >= 0 && std::ifstream(csv);
    open(csv_, csv, labels, resume_after_s);
    open(power_, directory + "/power_trace.csv", labels, resume_after_s);
    if (!dvfs_labels.empty())
      open(frequency_, directory + "/frequency_trace.csv", dvfs_labels, resume_after_s);
    if (!hotspot_ttrace)
      return;
    if (resuming)
      {
        // .ttrace rows carry no time: keep as many as csv rows after t = 0.
        const std::string kept = rows_up_to(csv, resume_after_s);
        std::size_t       keep = 0, rows = 0;
        for (const char c : kept)
          keep += c == '\n';
        keep = keep >= 2 ? keep - 2 : 0; // minus header, minus the t = 0 row
        std::ifstream in(ttrace);
        std::string   text, line;
        while (std::getline(in, line) && rows <= keep)
          text += line + "\n", ++rows;
        ttrace_.open(ttrace);
        ttrace_ << text << std::flush;
        return;
      }
    ttrace_.open(ttrace);
    for (std::size_t i = 0; i < labels.size(); ++i)
      ttrace_ << (i ? "\t" : "") << labels[i];
    ttrace_ << "\n";
  }

  void TraceWriter::add(double t_s, const std::vector<double> &t_max_k, const std::vector<double> &t_avg_k,
                        const std::vector<double> &power_w)
  {
    if (!is_root_)
      return;
    std::vector<double> t_max_c;
    for (const double t : t_max_k)
      t_max_c.push_back(kelvin_to_celsius(t));
    row(csv_, t_s, t_max_c, "%.6f");
    row(power_, t_s, power_w, "%.9g");
    // HotSpot writes one row per interval, at its end (not the initial state),
    // with the block average (its default grid_map_mode avg).
    if (ttrace_.is_open() && t_s > 0)
      {
        char buf[64];
        for (std::size_t i = 0; i < t_avg_k.size(); ++i)
          {
            std::snprintf(buf, sizeof buf, "%s%.2f", i ? "\t" : "", t_avg_k[i]);
            ttrace_ << buf;
          }
        ttrace_ << "\n" << std::flush;
      }
  }

  void TraceWriter::add_frequencies(double t_s, const std::vector<double> &frequency_hz)
  {
    if (is_root_ && frequency_.is_open())
      row(frequency_, t_s, frequency_hz, "%.9g");
  }
} // namespace chiptherm::solver
