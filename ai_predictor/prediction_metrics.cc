#include "prediction_metrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace chiptherm::ai_predictor
{
  namespace
  {
    bool on_die(const DieRaster &r, int row, int col)
    {
      return row >= 0 && col >= 0 && row < r.rows && col < r.cols && r.at(DieRaster::channel("die"), row, col) > 0.5f;
    }

    /// Indices of the die pixels holding the top share of values.
    std::vector<std::size_t> top_share(const DieRaster &r, const std::vector<double> &values, double share)
    {
      std::vector<std::size_t> die;
      for (int row = 0; row < r.rows; ++row)
        for (int col = 0; col < r.cols; ++col)
          if (on_die(r, row, col))
            die.push_back(std::size_t(row) * r.cols + col);
      const std::size_t n = std::max<std::size_t>(1, std::size_t(std::ceil(share * die.size())));
      std::partial_sort(die.begin(), die.begin() + std::min(n, die.size()), die.end(),
                        [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
      die.resize(std::min(n, die.size()));
      return die;
    }
  } // namespace

  std::vector<double> gradient_magnitude(const DieRaster &r, const std::vector<float> &map)
  {
    std::vector<double> g(map.size(), 0.0);
    auto value = [&](int row, int col) { return double(map[std::size_t(row) * r.cols + col]); };
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        {
          if (!on_die(r, row, col))
            continue;
          auto derivative = [&](int dr, int dc) {
            const bool ahead = on_die(r, row + dr, col + dc), behind = on_die(r, row - dr, col - dc);
            if (ahead && behind)
              return (value(row + dr, col + dc) - value(row - dr, col - dc)) / (2 * r.pixel_m);
            if (ahead)
              return (value(row + dr, col + dc) - value(row, col)) / r.pixel_m;
            if (behind)
              return (value(row, col) - value(row - dr, col - dc)) / r.pixel_m;
            return 0.0;
          };
          g[std::size_t(row) * r.cols + col] = std::hypot(derivative(0, 1), derivative(1, 0));
        }
    return g;
  }

  std::vector<double> power_edge_importance(const DieRaster &r)
  {
    std::vector<float> power(std::size_t(r.rows) * r.cols);
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        power[std::size_t(row) * r.cols + col] = r.at(DieRaster::channel("power"), row, col);
    return gradient_magnitude(r, power);
  }

  MapMetrics compare_maps(const DieRaster &r, const std::vector<float> &predicted, const std::vector<float> &truth,
                          const std::vector<double> *importance)
  {
    MapMetrics  m;
    double      sum = 0, n = 0, peak_p = -1e300, peak_t = -1e300;
    std::size_t at_p = 0, at_t = 0;
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        {
          if (!on_die(r, row, col))
            continue;
          const std::size_t i = std::size_t(row) * r.cols + col;
          const double      e = std::abs(double(predicted[i]) - truth[i]);
          sum += e, n += 1;
          m.max_error_k = std::max(m.max_error_k, e);
          if (predicted[i] > peak_p)
            peak_p = predicted[i], at_p = i;
          if (truth[i] > peak_t)
            peak_t = truth[i], at_t = i;
        }
    m.mae_k              = n > 0 ? sum / n : 0;
    m.peak_error_k       = peak_p - peak_t;
    m.hotspot_distance_m = r.pixel_m * std::hypot(double(int(at_p / r.cols) - int(at_t / r.cols)),
                                                  double(int(at_p % r.cols) - int(at_t % r.cols)));
    const auto true_top = top_share(r, gradient_magnitude(r, truth), 0.15);
    const auto rank_by  = importance ? *importance : gradient_magnitude(r, predicted);
    auto       chosen   = top_share(r, rank_by, 0.25);
    std::sort(chosen.begin(), chosen.end());
    std::size_t hits = 0;
    for (const auto i : true_top)
      hits += std::binary_search(chosen.begin(), chosen.end(), i);
    m.recall = true_top.empty() ? 1.0 : double(hits) / true_top.size();
    return m;
  }

  MetricsSummary summarize(const std::vector<MapMetrics> &metrics, const std::vector<double> &peak_rises_k)
  {
    MetricsSummary s;
    s.dies = metrics.size();
    if (metrics.empty())
      return s;
    std::vector<double> peak_errors;
    for (const auto &m : metrics)
      {
        s.mae_k += m.mae_k / metrics.size();
        s.max_error_k += m.max_error_k / metrics.size();
        s.hotspot_distance_mm += 1e3 * m.hotspot_distance_m / metrics.size();
        s.recall += m.recall / metrics.size();
        peak_errors.push_back(std::abs(m.peak_error_k));
      }
    std::sort(peak_errors.begin(), peak_errors.end());
    s.peak_error_p95_k = peak_errors[std::min(peak_errors.size() - 1, std::size_t(std::ceil(0.95 * peak_errors.size())) - 1)];
    for (const double r : peak_rises_k)
      s.rise_k += r / peak_rises_k.size();
    return s;
  }
} // namespace chiptherm::ai_predictor
