#pragma once
// Sign-off limits: the case's `signoff:` section (no deal.II: read before any mesh).
#include "common/case_node.h"
#include "floorplans/chip_model.h"

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
    /// A straddled limit within this of the figure is "at the limit": the
    /// adaptive loop does not refine to decide it once the block's bound meets
    /// the tolerance (deciding a millikelvin margin needs a millikelvin bound), K.
    double limit_resolution_k = 0.01;

    /// Defaults (C): logic 105, memory 95, accelerator 105, analog 90, clock 95,
    /// pmic 115, photonic 75, io 105, other 105.
    static SignoffSettings defaults();
    static SignoffSettings read(const CaseNode &signoff_section);
  };

  /// The block's own limit, or its type's, K.
  double block_limit_k(const floorplans::Block &block, const SignoffSettings &settings);
} // namespace chiptherm::solver
