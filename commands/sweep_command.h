#pragma once
// `chiptherm sweep`: the sweep library (sweeps/) with this layer's executor:
// candidates are read by read_case() and signed off by run_steady(), in this
// process under mpirun or as `chiptherm signoff` child processes on one.
#include "sweeps/sweep_runner.h"

#include <mpi.h>

namespace chiptherm::commands
{
  /// The executor the sweep library runs cases with.
  sweeps::CaseExecutor sweep_case_executor();
  void run_sweep(const sweeps::SweepOptions &options, MPI_Comm comm);
} // namespace chiptherm::commands
