#pragma once
// One line per phase on rank 0: "[chiptherm  1.23 s] solve: 31 CG iterations".
// Plain lines, so logs of CI flows and terminals read the same.
#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <cstdio>
#include <iostream>
#include <string>

namespace chiptherm::commands
{
  class ProgressLog
  {
  public:
    explicit ProgressLog(MPI_Comm comm)
      : out_(std::cout, dealii::Utilities::MPI::this_mpi_process(comm) == 0)
    {}
    void line(const std::string &phase, const std::string &what)
    {
      char stamp[48];
      std::snprintf(stamp, sizeof stamp, "[chiptherm %7.2f s] ", clock_.wall_time());
      out_ << stamp << phase << ": " << what << std::endl;
    }
    double seconds() const { return clock_.wall_time(); }

  private:
    dealii::ConditionalOStream out_;
    dealii::Timer              clock_;
  };

  inline std::string format_kelvin(double k)
  {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g K", k);
    return buf;
  }
  inline std::string format_watts(double w)
  {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g W", w);
    return buf;
  }
} // namespace chiptherm::commands
