#pragma once
// What the adaptive loop did, cycle by cycle, for progress lines and report.json.
#include <string>
#include <vector>

namespace chiptherm::solver
{
  /// What one solve of the adaptive loop found.
  struct CycleRecord
  {
    unsigned int       cycle = 0;
    unsigned long long cells = 0, dofs = 0;
    double             estimated_error    = 0; ///< energy: (sum eta_K^2)^(1/2), sqrt(W K); goal: sum eta_K(T) eta_K(z), K
    double             max_block_change_k = -1; ///< largest |change| of a block's t_max or t_avg; -1 on cycle 0
    unsigned int       linear_iterations  = 0;
    unsigned int       nonlinear_iterations = 0; ///< linearised solves (k(T), leakage); 0 for a linear problem
    double             nonlinear_change_k   = 0; ///< the last iteration's largest nodal change, K
    double             final_residual       = 0; ///< the last CG solve's residual norm
    double             wall_s             = 0; ///< since the start of mesh()
  };

  struct AdaptivityReport
  {
    bool                     enabled = false;
    double                   tolerance_k = 0;
    std::string              estimator;   ///< "energy" or "goal" (AdaptivitySettings::estimator)
    std::vector<CycleRecord> cycles;      ///< one per solve, the first on the a priori mesh
    bool                     converged = false;
    std::string              stop_reason; ///< "tolerance", "max_cycles", "cell budget", "level cap", "disabled"
  };

} // namespace chiptherm::solver
