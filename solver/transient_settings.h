#pragma once
// The `transient:` section of a case file (docs/case-file.md): times in s,
// temperatures in K. read() also loads the power trace it names and gives its
// columns to the model's blocks, so every input error surfaces before a run.
#include "common/case_node.h"
#include "floorplans/chip_model.h"

#include <string>

namespace chiptherm::solver
{
  struct TransientSettings
  {
    /// The case file's top-level key this struct reads.
    static constexpr const char *section = "transient";
    double      end_time_s        = 0;    ///< required unless a trace gives its end
    double      output_interval_s = 0;    ///< default end_time / 50
    std::string initial           = "ambient"; ///< "ambient", "steady" (of the power at t = 0), "uniform" or "state"
    double      initial_temperature_k = 0;     ///< initial == "uniform": the whole stack at this temperature
    std::string initial_state_dir;             ///< initial == "state": a finished run's OUT/final_state
    std::string traces_file;                   ///< resolved path, or empty
    std::string trace_format;                  ///< "csv" or "ptrace" (by extension)
    double      trace_interval_s  = 0;    ///< .ptrace sampling interval
    floorplans::Interpolation interpolation = floorplans::Interpolation::step; ///< CSV traces
    /// Largest local error per step (nodal, K). 0.1 K, the steady sign-off's
    /// tolerance: the estimate's largest node sits in the fast layer after a
    /// power jump, which the next steps damp, so block peaks land far closer
    /// (within 0.016 K of runs with 3-80x the steps on four traces; docs/benchmarks.md,
    /// "Step tolerance 0.1 K"). 0.01 K until 2026-12-03: 1.6-2x the steps, no better peaks.
    double      step_tolerance_k  = 0.1;
    double      initial_step_s    = 0;    ///< default output_interval / 1000
    double      max_step_s        = 0;    ///< default output_interval
    double      min_step_s        = 0;    ///< default end_time * 1e-12; a smaller step is exit code 3
    double      fixed_step_s      = 0;    ///< > 0: this step, no error control (verification, comparisons)
    bool        hotspot_ttrace    = false; ///< also write traces.ttrace (HotSpot's layout, K)
    /// Mesh adaptation during the run: every adapt_every accepted steps (0 =
    /// never) the adapt_refine share of cells with the largest flux-residual
    /// indicator is refined and the adapt_coarsen share with the smallest
    /// coarsened (never below the mesh policy), the cells staying below
    /// adapt_max_cells_factor times the starting mesh.
    unsigned int adapt_every = 0;
    double       adapt_refine = 0.05, adapt_coarsen = 0.3, adapt_max_cells_factor = 4;
    /// DVFS control period: every DVFS block's controller reads its t_max this
    /// often (dvfs_control.h); default 1 ms (at most output_interval).
    double       control_interval_s = 0;
    /// Simulated time between checkpoints (taken at the first output time
    /// past each interval); default end_time / 10; 0 switches them off.
    double      checkpoint_interval_s = -1;
    /// Wall time that must have passed since the start or the last checkpoint
    /// before a due checkpoint is taken: 60 s with the default interval (a run
    /// of less than a minute writes none: starting it over costs less than its
    /// checkpoints), 0 when checkpoint_interval is given (simulated time alone
    /// decides, whatever the machine's speed).
    double      checkpoint_min_wall_s = 0;
    static constexpr double default_checkpoint_min_wall_s = 60;

    /// Reads the section and applies its trace to model's blocks. Throws InputError.
    static TransientSettings read(const CaseNode &transient_section, floorplans::ChipModel &model);
  };
} // namespace chiptherm::solver
