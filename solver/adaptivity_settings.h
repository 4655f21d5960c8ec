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
    double       tolerance_k      = 0.05; ///< stop when no block's t_max or t_avg moves more than this
    unsigned int max_cycles       = 8;    ///< refinement cycles after the first solve
    double       refine_fraction  = 0.3;  ///< share of cells (largest indicators) refined per cycle
    double       coarsen_fraction = 0.03; ///< share of cells (smallest indicators) coarsened per cycle
    /// "energy": the flux-residual indicator; "goal": weighted by the same
    /// indicator of the dual solution for the mean of the block mean temperatures.
    std::string  estimator = "energy";

    static AdaptivitySettings read(const CaseNode &adaptivity_section);
  };
} // namespace chiptherm::solver
