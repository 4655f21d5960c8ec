#pragma once
// The verdict per block against the sign-off limits (signoff_settings.h).
#include "block_statistics.h"
#include "error_bounds.h"
#include "signoff_settings.h"

#include <optional>

namespace chiptherm::solver
{
  /// A block's verdict. With error bounds e: pass when t_max + e <= limit (and
  /// t_max - t_min + e_max + e_min <= delta limit), fail when t_max - e > limit
  /// (or the spread minus its bound exceeds the delta limit), undecided between.
  struct BlockVerdict
  {
    double                limit_k = 0;
    std::optional<double> delta_limit_k;
    bool                  pass = true;
    std::string           verdict = "pass"; ///< "pass", "fail" or "undecided"
    std::string           reason; ///< empty when pass
  };

  /// errors: the figures' bounds (nullptr or empty: the figures as they are).
  std::vector<BlockVerdict> evaluate_signoff(const std::vector<const floorplans::Block *> &blocks,
                                             const std::vector<BlockResult>              &results,
                                             const SignoffSettings                        &settings,
                                             const std::vector<BlockErrorBound>           *errors = nullptr);
} // namespace chiptherm::solver
