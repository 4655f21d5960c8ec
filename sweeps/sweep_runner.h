#pragma once
// `chiptherm sweep SWEEP.yaml -o OUT [--jobs N] [--resume]`: every candidate
// of the sweep is checked before anything is solved (the case reader's own
// checks: dies inside their layer, no overlap; plus the sweep's min_spacing),
// then the admitted ones are signed off by the executor the command layer gives:
//  - on one process, as up to N child processes at a time (executor.child_command);
//  - under mpirun, by groups of ranks_per_case ranks, each taking every
//    n_groups-th case in turn (MPI_Comm_split; no other scheduler), in this
//    process (executor.run_in_process).
// Each finished case gets OUT/cases/<name>/ (written by the solve, moved in
// whole) and then a marker OUT/cases/<name>.json (written whole): --resume
// skips cases with a marker. OUT/sweep.csv and sweep.json are written whole
// at the end, one row per candidate.
#include "case_executor.h"

#include <mpi.h>

#include <string>
#include <vector>

namespace chiptherm::sweeps
{
  struct SweepOptions
  {
    std::string  sweep_file;
    std::string  out_dir;
    unsigned int jobs           = 1;
    unsigned int ranks_per_case = 1;
    bool         resume         = false;
    std::vector<std::string> overrides; ///< --set KEY=VALUE for every candidate, before its variables
    unsigned int screen  = 0;     ///< > 0: solve only the screen best-predicted candidates and a sample (sweep_prediction.h)
    bool         predict = false; ///< predict every candidate (implied by screen > 0): the table measures the screening
    /// How candidates are ranked for --screen / --predict: "package" (the
    /// predictor's package model, sweep_prediction.h) or "first-mesh" (every
    /// candidate solved on its first mesh, no adaptive cycles, in OUT/first_mesh).
    std::string  screen_with = "package";
  };

  /// Runs the sweep; throws InputError for a bad sweep file or OUT.
  void run_sweep(const SweepOptions &options, const CaseExecutor &executor, MPI_Comm comm);
} // namespace chiptherm::sweeps
