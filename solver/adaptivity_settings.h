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
    unsigned int max_cycles       = 8;    ///< refinement cycles after the first solve
    /// Doerfler marking: the fewest cells carrying this share of the summed
    /// indicator are refined, those carrying coarsen_fraction at the bottom coarsened.
    double       refine_fraction  = 0.5;
    double       coarsen_fraction = 0.02;
    /// Marking indicator: "goal" (the local energy of the degree p + 1
    /// correction, weighted by the flux residual of the dual of the open
    /// blocks' mean temperatures) or "energy" (unweighted).
    std::string  estimator = "goal";

    static AdaptivitySettings read(const CaseNode &adaptivity_section);
  };
} // namespace chiptherm::solver
