#pragma once
// The `adaptivity:` section of a case file: a posteriori refine-and-coarsen
// cycles on top of the mesh policy.
#include "common/case_node.h"

#include <string>

namespace chiptherm::solver
{
  struct AdaptivitySettings
  {
    /// The case file's top-level key this struct reads.
    static constexpr const char *section = "adaptivity";
    bool         enabled          = true;
    /// Every block's bounds on t_max and t_avg must meet this, K (t_min's
    /// counts through the verdicts of blocks with a delta limit).
    double       tolerance_k      = 0.1;
    /// What ends the loop: "tolerance" (every bound within tolerance_k and
    /// every verdict decided) or "verdicts" (every sign-off verdict decided,
    /// whatever the bounds: a pass/fail sign-off where margins are wide; the
    /// bounds are reported as they are).
    std::string  until            = "tolerance";
    unsigned int max_cycles       = 8;    ///< refinement cycles after the first solve
    /// Doerfler marking: the fewest cells carrying this share of the summed
    /// indicator are refined, those carrying coarsen_fraction at the bottom
    /// coarsened. A cycle costs two solves whatever it adds, so a cycle should
    /// finish the job: 0.95 took the tile case (no policy) and the SoC on
    /// 2 mm cells to 0.1 K in one cycle, where 0.9 took two and 0.5 three
    /// (docs/benchmarks.md). No coarsening by default: the
    /// first mesh is already coarse, and coarsening what the last cycle
    /// refined made the loop oscillate (bounds 0.13 <-> 0.53 K for 8 cycles).
    /// The share used is less when the worst open bound is close to the
    /// tolerance (doerfler_share).
    double       refine_fraction  = 0.95;
    double       coarsen_fraction = 0.0;
    /// A cycle solves the whole mesh again, so one that adds few cells costs
    /// nearly as much as one that adds this share of them, while falling short
    /// of its target costs a whole cycle more: the 1000-block floorplan's last
    /// open verdict took two cycles of 1.6 % and 7 % more cells, 125-140 s
    /// each (docs/benchmarks.md). A marking that adds less is topped up with
    /// the next cells by indicator; 0 turns this off.
    double       min_growth       = 0.2;
    /// Levels a cell may be refined by in one cycle: 2 (default) lets the
    /// marked cells that carry half the marked indicator go two levels when
    /// the worst open bound is more than one level's fall (the last cycle's,
    /// 4x before the first) above its target, and when that adds at most
    /// second_level_cost of the cells one level makes (second_level_affordable):
    /// the cycles at a hotspot are set by the levels it needs, not by the marked
    /// share, and at a spot the second level is cheap; along a line or over a
    /// spread it is not, and is not taken (docs/benchmarks.md, "Two levels per
    /// cycle by default"). 1: one level per cycle everywhere.
    unsigned int max_levels_per_cycle = 2;
    /// The most a second level may add, as a share of the cells of the mesh the
    /// one-level marking makes: a second level that does not lower the bound
    /// then costs at most this much more in every later solve, and one that
    /// does saves a whole cycle.
    static constexpr double second_level_cost = 0.25;
    /// Whether refining the children of `second_level_cells` marked cells (56
    /// cells more each) is within second_level_cost of a one-level mesh of
    /// `cells_after_one_level` cells.
    static bool second_level_affordable(unsigned long long second_level_cells,
                                        unsigned long long cells_after_one_level);
    /// Marking indicator: "goal" (the local energy of the degree p + 1
    /// correction, weighted by the flux residual of the dual of the open
    /// blocks' mean temperatures) or "energy" (unweighted).
    std::string  estimator = "goal";

    static AdaptivitySettings read(const CaseNode &adaptivity_section);

    /// The Doerfler share that should bring the worst open bound (K) down to
    /// target_k (the tolerance when not given; an open verdict's margin) in
    /// one cycle, at most refine_fraction. Refining a share s is taken to
    /// leave 1 - c s of the bound; c = efficiency (3/4 unless the last cycle
    /// showed less: observed_efficiency).
    double doerfler_share(double worst_open_bound_k, double efficiency = nominal_efficiency,
                          double target_k = 0) const;
    static constexpr double nominal_efficiency = 0.75;

    /// The last cycle's c: it refined `share` and the worst bound of the blocks
    /// then open went from bound_before_k to bound_after_k. In [0.3, 0.75];
    /// nominal_efficiency when the cycle tells nothing (no share, no bound).
    static double observed_efficiency(double share, double bound_before_k, double bound_after_k);
    /// How many times one level of refinement lowered the worst bound in the
    /// last cycle, which refined its top cells by `levels`: (before / after)^(1 /
    /// levels) in [2, 16]; 4 when the cycle tells nothing (no bound before).
    static double fall_per_level(double bound_before_k, double bound_after_k, unsigned int levels);
  };
} // namespace chiptherm::solver
