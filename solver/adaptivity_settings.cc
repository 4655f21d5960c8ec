#include "adaptivity_settings.h"

#include <algorithm>

namespace chiptherm::solver
{
  AdaptivitySettings AdaptivitySettings::read(const CaseNode &n)
  {
    AdaptivitySettings s;
    if (!n.is_defined())
      return s;
    n.expect_keys({"enabled", "tolerance", "until", "max_cycles", "refine_fraction", "coarsen_fraction", "estimator"});
    if (n.has("estimator"))
      s.estimator = n.at("estimator").choice({"energy", "goal"});
    if (n.has("enabled"))
      s.enabled = n.at("enabled").choice({"true", "false"}) == "true";
    if (n.has("until"))
      s.until = n.at("until").choice({"tolerance", "verdicts"});
    if (n.has("tolerance"))
      s.tolerance_k = n.at("tolerance").temperature_difference();
    s.max_cycles = n.integer_or("max_cycles", s.max_cycles, 0, 50);
    auto fraction = [&](const char *key, double fallback, double hi) {
      if (!n.has(key))
        return fallback;
      const double f = n.at(key).non_negative_number();
      if (f > hi)
        n.at(key).fail("expected a fraction of the cells in [0, " + std::to_string(hi).substr(0, 4) + "]");
      return f;
    };
    s.refine_fraction  = fraction("refine_fraction", s.refine_fraction, 1.0);
    s.coarsen_fraction = fraction("coarsen_fraction", s.coarsen_fraction, 0.5);
    if (s.refine_fraction + s.coarsen_fraction > 1)
      n.at("coarsen_fraction").fail("expected refine_fraction + coarsen_fraction <= 1");
    return s;
  }

  double AdaptivitySettings::doerfler_share(const double worst_open_bound_k) const
  {
    // Refining cells that carry a share s of the indicator leaves about
    // 1 - s + s/4 of the error (Q2 converges at least at h^2 in a cell cut by
    // a block edge), so s = (1 - tol/E) 4/3, plus 0.1 for the estimate's own
    // scatter, at least 0.5. A fixed 0.95 closed every case in one cycle but
    // spent 2.5-3.4x the cells to close the last blocks just above the
    // tolerance (HotSpot 7's example1 and example3: docs/benchmarks.md).
    if (!(worst_open_bound_k > tolerance_k))
      return refine_fraction;
    const double needed = (1 - tolerance_k / worst_open_bound_k) * 4.0 / 3.0 + 0.1;
    return std::min(refine_fraction, std::max(0.5, needed));
  }
} // namespace chiptherm::solver
