#pragma once
// The verdict per block against the sign-off limits (signoff_settings.h).
#include "block_statistics.h"
#include "error_bounds.h"
#include "signoff_settings.h"

#include <limits>
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
    /// Undecided, and every straddled limit lies within the settings'
    /// limit_resolution_k of its figure: refining would not decide it cheaply.
    bool at_limit = false;
    /// Undecided: the bound on t_max (on t_max and on t_min each, for a
    /// straddled delta limit) below which every straddled check would be
    /// decided, K (the distance of the figure to its limit); infinite when decided.
    double deciding_bound_k = std::numeric_limits<double>::infinity();
  };

  /// errors: the figures' bounds (nullptr or empty: the figures as they are).
  std::vector<BlockVerdict> evaluate_signoff(const std::vector<const floorplans::Block *> &blocks,
                                             const std::vector<BlockResult>              &results,
                                             const SignoffSettings                        &settings,
                                             const std::vector<BlockErrorBound>           *errors = nullptr);

  /// An undecided verdict the adaptive loop does not refine for: at its limit
  /// (BlockVerdict::at_limit) with the block's bound within tolerance_k.
  bool left_at_limit(const BlockVerdict &verdict, const BlockErrorBound &error, double tolerance_k);
} // namespace chiptherm::solver
