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
      int                             chiplet_packages = 0, tiered_packages = 0;
      for (std::uint64_t i = 0; i < 25; ++i)
        {
          const std::string text = random_chip_case(11, i, family);
          CHECK(text == random_chip_case(11, i, family));
          CHECK(text != random_chip_case(12, i, family));
          const auto model = floorplans::read_chip_model(CaseDocument::parse(text, "generated.yaml"));
          const auto blocks = model.all_blocks();
          int        powered_layers = 0;
          for (const auto &layer : model.layers)
            {
              powered_layers += layer.is_powered() ? 1 : 0;
              if (!layer.regions.empty())
                {
                  ++chiplet_packages;
                  CHECK(layer.regions.size() >= 2);
                  CHECK(layer.regions.size() <= 4);
                }
              if (layer.is_powered() && layer.regions.empty())
                CHECK(std::max(layer.footprint.width, layer.footprint.height) <= family.max_die_mm * 1e-3 + 1e-9);
            }
          tiered_packages += powered_layers == 2 ? 1 : 0;
          CHECK(powered_layers >= 1);
          CHECK(blocks.size() >= std::size_t(std::min(family.min_blocks, 6)));
          CHECK(blocks.size() <= std::size_t(family.max_blocks) + 2 * blocks.size() / 3);
          CHECK(model.total_power_w() > 0);
          for (const auto &b : blocks)
            {
              types.insert(b->type);
              const double density_w_cm2 = b->power_w / (b->rect.area() * 1e4);
              CHECK(density_w_cm2 >= 0.99 * family.density_factor);
              CHECK(density_w_cm2 <= 5 * 400 * family.density_factor * 1.01);
            }
          bool spreader = false;
          for (const auto &layer : model.layers)
            spreader = spreader || layer.name == "spreader";
          (spreader ? with_spreader : without_spreader) = true;
        }
      CHECK(types.size() == 8); // every type but "other"
      CHECK(with_spreader);
      CHECK(without_spreader);
      if (family.multi_die_share > 0)
        {
          CHECK(chiplet_packages > 0); // 2.5D
          CHECK(tiered_packages > 0);  // 3D
        }
      else
        CHECK(chiplet_packages + tiered_packages == 0);
    }
}
