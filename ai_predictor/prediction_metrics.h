#pragma once
// How good a predicted die temperature map is, against the solved one, on
// the die's pixels: mean and largest absolute error, the error of the peak,
// how far the predicted hotspot lies from the true one, and refinement recall
// (the share of the true top-15% temperature-gradient pixels that fall inside
// the predicted top 25%, the pixels a refinement map would make fine). Also the
// two baselines the issue compares against. No deal.II, no LibTorch here.
#include "rasterizer.h"

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  struct MapMetrics
  {
    double mae_k = 0, max_error_k = 0, peak_error_k = 0, hotspot_distance_m = 0, recall = 0;
  };

  /// Gradient magnitude of map (K/m) at each die pixel, central differences
  /// inside the die (one-sided at its edges), 0 outside.
  std::vector<double> gradient_magnitude(const DieRaster &raster, const std::vector<float> &map);

  /// predicted and truth: rows x cols maps of the rise, K. importance: what a
  /// refinement map would rank pixels by (by default the predicted map's gradient).
  MapMetrics compare_maps(const DieRaster &raster, const std::vector<float> &predicted, const std::vector<float> &truth,
                          const std::vector<double> *importance = nullptr);

  /// The "power-map edges" baseline's importance: the gradient of the power channel.
  std::vector<double> power_edge_importance(const DieRaster &raster);

  struct MetricsSummary
  {
    std::size_t dies = 0;
    double      mae_k = 0, max_error_k = 0, peak_error_p95_k = 0, hotspot_distance_mm = 0, recall = 0; ///< means, p95
    double      rise_k = 0; ///< mean of the true peak rises, for scale
  };
  MetricsSummary summarize(const std::vector<MapMetrics> &metrics, const std::vector<double> &peak_rises_k);
} // namespace chiptherm::ai_predictor
