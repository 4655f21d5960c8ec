// The predictor's package model (package_model.h) against exact solutions:
// a die heated uniformly through its volume under a film is 1D, with
// T(mid-plane) = P/(h A) + 3 P t / (8 k A), which cell-centred finite volumes
// reproduce exactly (the rise is quadratic in z, the source uniform) at any
// even number of sublayers.
// A centred, symmetric floorplan gives a mirror-symmetric map under a wider
// spreader, and the map scales linearly with power.
#include "ai_predictor/package_model.h"
#include "common/case_document.h"
#include "floorplans/case_reader.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace chiptherm;
using namespace chiptherm::ai_predictor;

namespace
{
  const char *slab_case = R"(version: 1
name: slab
units: {length: um, temperature: C}
ambient: 25
stack:
  - name: die
    material: silicon
    thickness: 500
    footprint: [0, 0, 4000, 4000]
    blocks:
      - {name: all, type: logic, rect: [0, 0, 4000, 4000], power: 8}
boundaries:
  top: {h: 20000}
)";

  const char *spreader_case = R"(version: 1
name: spread
units: {length: um, temperature: C}
ambient: 25
stack:
  - name: die
    material: silicon
    thickness: 300
    footprint: [0, 0, 6000, 6000]
    blocks:
      - {name: hot, type: accelerator, rect: [2000, 2000, 2000, 2000], power: 20}
      - {name: ring, type: logic, rect: [0, 0, 6000, 1000], power: 2}
  - {name: tim, material: tim_paste, thickness: 40}
  - {name: spreader, material: copper, thickness: 1500, footprint: {width: 20000, height: 20000, centered: true}}
boundaries:
  top: {h: 5000}
)";

  std::vector<DieRaster> solved(const char *text, const PackageModelSettings &settings,
                                const std::string &override_text = "")
  {
    auto doc = CaseDocument::parse(text, "case.yaml");
    if (!override_text.empty())
      doc.apply_override(override_text);
    const auto model = floorplans::read_chip_model(doc);
    RasterSettings raster_settings;
    raster_settings.package_model = false;
    auto rasters                  = rasterize(model, raster_settings);
    add_package_rise(model, rasters, settings);
    return rasters;
  }
} // namespace

TEST_CASE("Package model: a uniformly heated slab under a film matches the 1D solution exactly")
{
  const double P = 8, A = 4e-3 * 4e-3, t = 500e-6, k = 148, h = 20000;
  const double exact = P / (h * A) + 3 * P * t / (8 * k * A);
  for (const int sublayers : {2, 4, 8})
    {
      PackageModelSettings settings;
      settings.die_sublayers = sublayers;
      const auto r           = solved(slab_case, settings).at(0);
      double     lo = 1e300, hi = -1e300;
      for (int row = 0; row < r.rows; ++row)
        for (int col = 0; col < r.cols; ++col)
          lo = std::min(lo, double(r.package_rise_k[row * r.cols + col])),
          hi = std::max(hi, double(r.package_rise_k[row * r.cols + col]));
      const double error = std::abs(0.5 * (lo + hi) - exact) / exact;
      MESSAGE(sublayers << " sublayers: " << hi << " K, exact " << exact << " K, relative error " << error);
      CHECK(hi - lo < 1e-6 * exact); // no lateral variation
      CHECK(error < 1e-6); // float storage
    }
}

TEST_CASE("Package model: a centred symmetric floorplan gives a mirror-symmetric map, linear in power")
{
  const auto r = solved(spreader_case, {}).at(0);
  const auto d = solved(spreader_case, {}, "stack.die.blocks.hot.power=40").at(0);
  const auto e = solved(spreader_case, {}, "stack.die.blocks.ring.power=0").at(0);
  double     peak = 0, asymmetry = 0, linearity = 0;
  for (int row = 0; row < r.rows; ++row)
    for (int col = 0; col < r.cols; ++col)
      {
        const std::size_t i = std::size_t(row) * r.cols + col, mirror = std::size_t(row) * r.cols + (r.cols - 1 - col);
        peak                = std::max(peak, double(r.package_rise_k[i]));
        asymmetry           = std::max(asymmetry, double(std::abs(r.package_rise_k[i] - r.package_rise_k[mirror])));
        // superposition: (hot 40 + ring 2) - (hot 20 + ring 2) = hot 20 = (hot 20 + ring 0)
        linearity = std::max(linearity, double(std::abs(d.package_rise_k[i] - r.package_rise_k[i] - e.package_rise_k[i])));
      }
  MESSAGE("peak rise " << peak << " K, mirror asymmetry " << asymmetry << " K, superposition defect " << linearity << " K");
  CHECK(peak > 1);
  CHECK(asymmetry < 1e-5 * peak);
  CHECK(linearity < 1e-5 * peak);
  // the hot square's centre is the hottest pixel, the die's corner far cooler
  const double centre = r.package_rise_k[std::size_t(r.rows / 2) * r.cols + r.cols / 2];
  CHECK(centre == doctest::Approx(peak).epsilon(0.02));
  CHECK(r.package_rise_k[std::size_t(r.rows - 1) * r.cols] < 0.8 * peak);
}
