// The predictor's rasteriser: blocks land on the right pixels, power is
// conserved, coverage fractions are exact at partial pixels, scalars are the
// stack's, and the normalisation does not depend on the resolution.
#include "ai_predictor/rasterizer.h"
#include "common/case_document.h"
#include "floorplans/case_reader.h"

#include "sample_case.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace chiptherm;
using namespace chiptherm::ai_predictor;

namespace
{
  floorplans::ChipModel sample(const std::vector<std::string> &overrides = {})
  {
    auto doc = CaseDocument::parse(test::three_layer_case, "sample.yaml");
    for (const auto &o : overrides)
      doc.apply_override(o);
    return floorplans::read_chip_model(doc);
  }

  double channel_sum(const DieRaster &r, const std::string &name)
  {
    double s = 0;
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        s += r.at(DieRaster::channel(name), row, col);
    return s;
  }
} // namespace

TEST_CASE("Rasteriser: one raster per powered die, 64 x 64 over a 4 mm die, blocks on their pixels")
{
  const auto rasters = rasterize(sample());
  REQUIRE(rasters.size() == 1);
  const auto &r = rasters[0];
  CHECK(r.die == "die");
  CHECK(r.rows == 64);
  CHECK(r.cols == 64);
  CHECK(r.pixel_m == doctest::Approx(62.5e-6));
  // block a = [0, 1 mm]^2, analog: pixels 0..15 in both directions, nothing else
  const int analog = DieRaster::channel("analog"), digital = DieRaster::channel("digital");
  CHECK(r.at(analog, 0, 0) == doctest::Approx(1));
  CHECK(r.at(analog, 15, 15) == doctest::Approx(1));
  CHECK(r.at(analog, 16, 15) == doctest::Approx(0));
  CHECK(r.at(analog, 15, 16) == doctest::Approx(0));
  CHECK(channel_sum(r, "analog") == doctest::Approx(16 * 16));
  // block b = [1, 4] x [0, 2] mm, logic: columns 16..63, rows 0..31
  CHECK(r.at(digital, 31, 16) == doctest::Approx(1));
  CHECK(r.at(digital, 32, 16) == doctest::Approx(0));
  CHECK(channel_sum(r, "digital") == doctest::Approx(48 * 32));
  // power density in units of 100 W/cm^2: 1.5 W / 1 mm^2 = 150 W/cm^2
  CHECK(r.at(DieRaster::channel("power"), 3, 3) == doctest::Approx(1.5));
  CHECK(r.at(DieRaster::channel("power"), 40, 40) == doctest::Approx(0));
  CHECK(channel_sum(r, "die") == doctest::Approx(64 * 64));
}

TEST_CASE("Rasteriser: power is conserved and partial pixels carry their share, at any resolution")
{
  // an off-grid block: 0.37 x 0.53 mm at (2.11, 2.29) mm
  const auto model = sample({"stack.die.blocks.a.rect=[2110, 2290, 370, 530]"});
  for (int pixels : {64, 80, 128})
    {
      RasterSettings s;
      s.min_pixels = pixels;
      const auto  r          = rasterize(model, s).at(0);
      const double pixel_area = r.pixel_m * r.pixel_m;
      CHECK(channel_sum(r, "power") * pixel_area * power_density_scale_w_m2 == doctest::Approx(5.5).epsilon(1e-6));
      CHECK(channel_sum(r, "analog") * pixel_area == doctest::Approx(0.37e-3 * 0.53e-3).epsilon(1e-6));
      // the peak density does not depend on the resolution (where a pixel lies wholly inside)
      float peak = 0;
      for (int row = 0; row < r.rows; ++row)
        for (int col = 0; col < r.cols; ++col)
          peak = std::max(peak, r.at(DieRaster::channel("power"), row, col));
      CHECK(peak == doctest::Approx(1.5 / (0.37 * 0.53)));
    }
}

TEST_CASE("Rasteriser: a rectangular die is padded to square pixels, centred; scalars describe the stack")
{
  const auto model = sample({"stack.die.footprint=[0, 0, 6000, 3000]", "stack.die.blocks.b.rect=[1000, 0, 5000, 2000]"});
  const auto r     = rasterize(model).at(0);
  CHECK(r.cols == 64);
  CHECK(r.rows == 32);
  CHECK(r.pixel_m == doctest::Approx(6e-3 / 64));
  CHECK(r.extent.y == doctest::Approx(0.0));
  CHECK(channel_sum(r, "die") * r.pixel_m * r.pixel_m == doctest::Approx(18e-6));

  const auto tall = rasterize(sample({"stack.die.footprint=[0, 0, 4000, 5000]"})).at(0);
  CHECK(tall.rows == 64);
  CHECK(tall.cols == 64); // 4 mm at 5/64 mm pixels is 51.2 pixels: padded to 64, die centred
  CHECK(tall.extent.x == doctest::Approx(-(64 * 5e-3 / 64 - 4e-3) / 2));
  CHECK(tall.at(DieRaster::channel("die"), 10, 0) == doctest::Approx(0));

  // vertical: half the die (100 um silicon) + TIM 20 um + lid 500 um copper + 1/h, h = 5000; the lid
  // (10 x 8 mm) and its film credited with their area over the die's 6 x 3 mm
  const auto  *si = model.materials.find("silicon"), *tim = model.materials.find("tim_paste"),
             *cu = model.materials.find("copper");
  const double spread = 18.0 / 80.0;
  const double r_v    = 50e-6 / si->conductivity_w_mk[2] + 20e-6 / tim->conductivity_w_mk[2] +
                     (500e-6 / cu->conductivity_w_mk[2] + 1.0 / 5000) * spread;
  CHECK(r.at(DieRaster::channel("vertical"), 5, 5) == doctest::Approx(std::log10(1 / r_v / 1e4)));
  CHECK(r.at(DieRaster::channel("sink"), 0, 0) == doctest::Approx(std::log10(0.5)));
  CHECK(r.at(DieRaster::channel("pixel"), 0, 0) == doctest::Approx(std::log10(6e-3 / 64 / 1e-4)));
}

TEST_CASE("Rasteriser: large dies get more pixels, no larger than max_pixel_m")
{
  const auto r = rasterize(sample({"stack.die.footprint=[0, 0, 20000, 20000]", "stack.lid.footprint={width: 30000, height: 30000, centered: true}"})).at(0);
  CHECK(r.cols == 80); // 20 mm / 250 um
  CHECK(r.pixel_m <= 250e-6 + 1e-12);
}
