#pragma once
// The steady throttling policy of blocks with DVFS (issue 7): each such block
// runs at its fastest operating point whose t_max stays within its limit.
// Starting from the fastest points, every block over its limit steps down one
// point and the chip is solved again on the same mesh (leakage included),
// until no block is over its limit or the slowest points are reached.
// Stepping down only lowers temperatures, so a point left behind never
// becomes admissible again.
#include "signoff.h"
#include "steady_chip_solve.h"

#include <functional>
#include <string>
#include <vector>

namespace chiptherm::solver
{
  struct ThrottledBlock
  {
    std::size_t block = 0; ///< index in ChipModel::all_blocks()
    std::size_t point = 0; ///< the operating point it settled at (0: the fastest)
    double      limit_k = 0, t_max_k = 0;
    bool        within_limit = true; ///< false: even the slowest point is too hot
    /// Its frequency relative to the fastest point's: the sustained throughput.
    double      throughput = 1;
  };

  struct ThrottlingReport
  {
    unsigned int                solves = 1; ///< including the first one at the fastest points
    std::vector<ThrottledBlock> blocks;     ///< one per DVFS block
    std::vector<std::string>    events;     ///< one line per step down
    std::vector<double>         block_power_w; ///< dynamic power per block at the settled points
  };

  /// run has been solved once with every DVFS block at its fastest point.
  /// on_solve is told about every further solve (for progress lines).
  ThrottlingReport throttle_to_limits(SteadyChipSolve &run, const floorplans::ChipModel &model,
                                      const SignoffSettings                      &signoff,
                                      const std::function<void(const std::string &)> &on_event);
} // namespace chiptherm::solver
