#pragma once
// The steady throttling policy of blocks with DVFS (issue 7): each such block
// runs at its fastest operating point whose t_max stays within its limit.
// Starting from the fastest points, every block over its limit steps down one
// point and the chip is solved again on the same mesh (leakage included),
// until no block is over its limit or the slowest points are reached.
// Stepping down only lowers temperatures, so a point left behind never
// becomes admissible again. The analysis runs it first on the a priori mesh
// (cheap), then adapts the mesh at the settled points, then runs it again from
// there on the final mesh, which may step further down but never up.
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
    std::vector<std::size_t>    point;         ///< operating point per block (0 for blocks without DVFS)
  };

  /// run has been solved at the points of `from` (nullptr: every DVFS block at
  /// its fastest point, i.e. each block's power_w); continues from there.
  /// on_event is told about every step down (for progress lines).
  ThrottlingReport throttle_to_limits(SteadyChipSolve &run, const floorplans::ChipModel &model,
                                      const SignoffSettings                      &signoff,
                                      const std::function<void(const std::string &)> &on_event,
                                      const ThrottlingReport                     *from = nullptr);
  /// The temperature a DVFS block must stay under: its dvfs.limit, else its sign-off limit, K.
  double dvfs_limit_k(const floorplans::Block &block, const SignoffSettings &signoff);
  /// True when some block of the model has DVFS points.
  bool has_dvfs(const floorplans::ChipModel &model);
} // namespace chiptherm::solver
