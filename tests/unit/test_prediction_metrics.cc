// The predictor's metrics on maps whose answers are known by construction.
#include "ai_predictor/prediction_metrics.h"
#include "common/case_document.h"
#include "floorplans/case_reader.h"

#include "sample_case.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace chiptherm;
using namespace chiptherm::ai_predictor;

TEST_CASE("Prediction metrics: a perfect map, a shifted one, a gradient-blind one")
{
  const auto r = rasterize(floorplans::read_chip_model(CaseDocument::parse(test::three_layer_case, "s.yaml"))).at(0);
  // a smooth bump around pixel (40, 20)
  auto bump = [&](double row0, double col0) {
    std::vector<float> m(std::size_t(r.rows) * r.cols);
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        m[std::size_t(row) * r.cols + col] =
          float(10 * std::exp(-((row - row0) * (row - row0) + (col - col0) * (col - col0)) / 50.0));
    return m;
  };
  const auto truth = bump(40, 20);

  const auto same = compare_maps(r, truth, truth);
  CHECK(same.mae_k == doctest::Approx(0));
  CHECK(same.peak_error_k == doctest::Approx(0));
  CHECK(same.hotspot_distance_m == doctest::Approx(0));
  CHECK(same.recall == doctest::Approx(1));

  const auto moved = compare_maps(r, bump(43, 24), truth);
  CHECK(moved.hotspot_distance_m == doctest::Approx(5 * r.pixel_m)); // 3-4-5
  CHECK(moved.mae_k > 0);
  CHECK(moved.recall < 1);

  std::vector<float> hotter(truth);
  for (auto &v : hotter)
    v += 2;
  const auto offset = compare_maps(r, hotter, truth);
  CHECK(offset.mae_k == doctest::Approx(2));
  CHECK(offset.max_error_k == doctest::Approx(2));
  CHECK(offset.peak_error_k == doctest::Approx(2));
  CHECK(offset.recall == doctest::Approx(1)); // same gradients

  const auto summary = summarize({same, offset}, {10, 20});
  CHECK(summary.mae_k == doctest::Approx(1));
  CHECK(summary.peak_error_p95_k == doctest::Approx(2));
  CHECK(summary.rise_k == doctest::Approx(15));
}
