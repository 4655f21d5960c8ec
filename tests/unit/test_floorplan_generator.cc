// The predictor's random chips: valid cases, reproducible per (seed, index),
// within the family's ranges, every block type present over a few chips.
#include "ai_predictor/floorplan_generator.h"
#include "common/case_document.h"
#include "floorplans/case_reader.h"

#include <doctest/doctest.h>

#include <set>

using namespace chiptherm;
using namespace chiptherm::ai_predictor;

TEST_CASE("Floorplan generator: valid, reproducible chips in the family's ranges")
{
  for (const auto &family : {GeneratorFamily::training(), GeneratorFamily::hard()})
    {
      std::set<floorplans::BlockType> types;
      bool                            with_spreader = false, without_spreader = false;
      for (std::uint64_t i = 0; i < 25; ++i)
        {
          const std::string text = random_chip_case(11, i, family);
          CHECK(text == random_chip_case(11, i, family));
          CHECK(text != random_chip_case(12, i, family));
          const auto model = floorplans::read_chip_model(CaseDocument::parse(text, "generated.yaml"));
          const auto &die  = model.layers.front();
          CHECK(die.blocks.size() >= std::size_t(family.min_blocks));
          CHECK(die.blocks.size() <= std::size_t(family.max_blocks) + 2 * die.blocks.size() / 3);
          CHECK(std::max(die.footprint.width, die.footprint.height) <= family.max_die_mm * 1e-3 + 1e-9);
          CHECK(model.total_power_w() > 0);
          for (const auto &b : die.blocks)
            {
              types.insert(b.type);
              const double density_w_cm2 = b.power_w / (b.rect.area() * 1e4);
              CHECK(density_w_cm2 >= 0.99 * family.density_factor);
              CHECK(density_w_cm2 <= 5 * 400 * family.density_factor * 1.01);
            }
          (model.layers.size() == 4 ? with_spreader : without_spreader) = true;
        }
      CHECK(types.size() == 8); // every type but "other"
      CHECK(with_spreader);
      CHECK(without_spreader);
    }
}
