#pragma once
// Random chips for training and testing the predictor: a die cut into blocks
// by a slicing tree, every block type, power densities from a few to several
// hundred W/cm^2 (by type), optional hot sub-blocks, and a range of packages
// (die thickness, TIM, with or without a spreader, sink size and film
// coefficient; in the hard family also 2.5D chiplets and 3D tiers). Each
// chip is a native case file (text), so the case reader checks it like any
// other. Sample i of a seed is the same on every machine
// and in every order: generation can be split, resumed and repeated.
// No deal.II, no LibTorch here.
#include <cstdint>
#include <string>

namespace chiptherm::ai_predictor
{
  struct GeneratorFamily
  {
    std::string name = "training";
    int    min_blocks = 5, max_blocks = 60;
    double min_die_mm = 4, max_die_mm = 16;
    double density_factor = 1; ///< scales every type's power density range
    double min_h = 500, max_h = 20000; ///< film coefficient on the sink, W/(m^2 K)
    double hot_subblock_share = 0.3;   ///< of logic and accelerator blocks
    /// Share of chips with several dies: half of them 2-4 chiplets side by side
    /// in mold on an interposer (2.5D), half two bonded tiers (3D).
    double multi_die_share = 0;

    static GeneratorFamily training();
    /// More blocks, higher power, unusual packages (thin dies, no spreader, weak
    /// or strong sinks, multi-die packages): the held-out "hard" family of the metrics.
    static GeneratorFamily hard();
    static GeneratorFamily by_name(const std::string &name); ///< InputError for another name
  };

  /// The case text of chip `index` of `seed` in `family`.
  std::string random_chip_case(std::uint64_t seed, std::uint64_t index, const GeneratorFamily &family);
} // namespace chiptherm::ai_predictor
