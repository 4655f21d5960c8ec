#pragma once
// Sign-off limits (the `signoff:` section) and the verdict per block.
#include "common/case_node.h"
#include "floorplans/chip_model.h"
#include "block_statistics.h"
#include "error_bounds.h"

#include <array>
#include <optional>

namespace chiptherm::solver
{
  using floorplans::n_block_types;

  struct SignoffSettings
  {
    /// The case file's top-level key this struct reads.
    static constexpr const char *section = "signoff";
    /// Largest allowed block temperature per block type, K.
    std::array<double, n_block_types> limit_k{};
    /// Largest allowed t_max - t_min inside a block per type, K (none by default).
    std::array<std::optional<double>, n_block_types> delta_limit_k{};

    /// Defaults (C): logic 105, memory 95, accelerator 105, analog 90, clock 95,
    /// pmic 115, photonic 75, io 105, other 105.
    static SignoffSettings defaults();
    static SignoffSettings read(const CaseNode &signoff_section);
  };

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

  /// The block's own limit, or its type's, K.
  double block_limit_k(const floorplans::Block &block, const SignoffSettings &settings);

  /// errors: the figures' bounds (nullptr or empty: the figures as they are).
  std::vector<BlockVerdict> evaluate_signoff(const std::vector<const floorplans::Block *> &blocks,
                                             const std::vector<BlockResult>              &results,
                                             const SignoffSettings                        &settings,
                                             const std::vector<BlockErrorBound>           *errors = nullptr);
} // namespace chiptherm::solver
