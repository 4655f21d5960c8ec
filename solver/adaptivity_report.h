#pragma once
// What the adaptive loop did, cycle by cycle, for progress lines and report.json.
#include <cstddef>
#include <string>
#include <vector>

namespace chiptherm::solver
{
  /// A block that keeps the loop going: its largest bound and the bound it
  /// must reach (the tolerance, or its verdict's distance to the limit);
  /// target_k is infinite when the block is open because its cells do not
  /// resolve it.
  struct OpenBlock
  {
    std::size_t block    = 0; ///< all_blocks order
    double      bound_k  = 0;
    double      target_k = 0;
  };

  /// What one solve of the adaptive loop found.
  struct CycleRecord
  {
    unsigned int       cycle = 0;
    unsigned long long cells = 0, dofs = 0;
    double             estimated_error    = 0; ///< energy: (sum eta_K^2)^(1/2), sqrt(W K); goal: sum eta_K(T) eta_K(z), K
    double             max_block_change_k = -1; ///< largest |change| of a block's t_max or t_avg; -1 on cycle 0
    unsigned int       linear_iterations  = 0;
    /// The solves started from the last mesh's solution carried over (fewer iterations, same tolerance).
    bool               warm_start         = false;
    /// The marking that made this mesh was cut to what fits in the memory left
    /// (SteadyChipSolve::next_mesh_fits): fewer cells than the estimate asked for.
    bool               memory_limited     = false;
    /// The marking that made this mesh refined this many cells of the last
    /// one by two levels (AdaptivitySettings::max_levels_per_cycle); 0 on cycle 0.
    unsigned long long second_level_cells = 0;
    unsigned int       nonlinear_iterations = 0; ///< linearised solves (k(T), leakage); 0 for a linear problem
    double             nonlinear_change_k   = 0; ///< the last iteration's largest nodal change, K
    double             final_residual       = 0; ///< the last CG solve's residual norm
    double             wall_s             = 0; ///< since the start of mesh()
    /// With estimates: the largest bound over all blocks' t_max, t_avg and
    /// t_min (K), the unknowns and CG iterations of the degree p + 1 solve,
    /// and the blocks not yet within the tolerance (or undecided) after it.
    double             max_error_k        = -1;
    unsigned long long enriched_dofs      = 0;
    unsigned int       enriched_iterations = 0;
    unsigned int       open_blocks        = 0;
    /// The open blocks when there are at most max_named_open of them (so the
    /// progress line can say which block the next cycle is for).
    std::vector<OpenBlock> named_open;
    static constexpr unsigned int max_named_open = 3;
  };

  struct AdaptivityReport
  {
    bool                     enabled = false;
    double                   tolerance_k = 0;
    std::string              until = "tolerance"; ///< AdaptivitySettings::until
    std::string              estimator;   ///< marking: "energy" or "goal" (AdaptivitySettings::estimator)
    bool                     estimates = false; ///< block error bounds from a degree p + 1 solve
    double                   max_error_k = -1;  ///< the final largest bound, K (-1 without estimates)
    /// Per block (all_blocks order): what became of its type's built-in mesh
    /// rule: "a priori", "applied" (the estimate asked for it), "waived" (the
    /// estimate met the tolerance without it), or "" (no such rule).
    std::vector<std::string> policy;
    std::vector<CycleRecord> cycles;      ///< one per solve, the first on the a priori mesh
    bool                     converged = false;
    std::string              stop_reason; ///< "tolerance", "verdicts", "max_cycles", "cell budget", "memory", "level cap", "disabled"
  };

} // namespace chiptherm::solver
