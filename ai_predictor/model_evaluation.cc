#include "model_evaluation.h"

#include "physics_baseline.h"
#include "trainer.h"

#include <algorithm>
#include <cstdio>

namespace chiptherm::ai_predictor
{
  BlurCalibration calibrate_blur(const std::vector<TrainingSample> &train)
  {
    BlurCalibration best;
    double          best_error = 1e300;
    for (const double factor : {0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0, 2.8, 4.0, 5.6, 8.0, 11.0, 16.0})
      {
        double bt = 0, bb = 0, tt = 0;
        for (const auto &s : train)
          {
            const auto b = blurred_power_rise(s.raster, factor);
            for (std::size_t i = 0; i < b.rise_k.size(); ++i)
              bt += b.rise_k[i] * s.rise_k[i], bb += b.rise_k[i] * b.rise_k[i], tt += s.rise_k[i] * s.rise_k[i];
          }
        const double gain  = bb > 0 ? bt / bb : 1;
        const double error = tt - 2 * gain * bt + gain * gain * bb;
        if (error < best_error)
          best_error = error, best = BlurCalibration{factor, gain};
      }
    return best;
  }

  Evaluation evaluate_model(ThermalUNet &net, const std::vector<TrainingSample> &samples, const BlurCalibration &c,
                            const ModelDomain &domain)
  {
    std::vector<MapMetrics> net_m, blur_m, edge_m, package_m, guarded_m;
    std::size_t             fallbacks = 0;
    std::vector<double>     peaks;
    for (const auto &s : samples)
      {
        const auto predicted = predict_rise(net, s.raster);
        auto       blur      = blurred_power_rise(s.raster, c.blur_factor).rise_k;
        for (auto &v : blur)
          v = float(v * c.gain);
        const auto edges = power_edge_importance(s.raster);
        net_m.push_back(compare_maps(s.raster, predicted, s.rise_k));
        blur_m.push_back(compare_maps(s.raster, blur, s.rise_k));
        edge_m.push_back(compare_maps(s.raster, blur, s.rise_k, &edges));
        const auto package = physics_baseline(s.raster).rise_k;
        package_m.push_back(compare_maps(s.raster, package, s.rise_k));
        const bool inside = domain.outside(s.raster).empty();
        fallbacks += inside ? 0 : 1;
        guarded_m.push_back(inside ? net_m.back() : package_m.back());
        peaks.push_back(*std::max_element(s.rise_k.begin(), s.rise_k.end()));
      }
    return {summarize(net_m, peaks),   summarize(blur_m, peaks),    summarize(edge_m, peaks),
            summarize(package_m, peaks), summarize(guarded_m, peaks), fallbacks};
  }

  namespace
  {
    nlohmann::json summary_json(const MetricsSummary &m, bool temperatures)
    {
      nlohmann::json j{{"dies", m.dies}, {"recall", m.recall}, {"mean_peak_rise_k", m.rise_k}};
      if (temperatures)
        {
          j["mae_k"]               = m.mae_k;
          j["max_error_k"]         = m.max_error_k;
          j["peak_error_p95_k"]    = m.peak_error_p95_k;
          j["hotspot_distance_mm"] = m.hotspot_distance_mm;
        }
      return j;
    }
  } // namespace

  nlohmann::json to_json(const Evaluation &e)
  {
    return {{"network", summary_json(e.net, true)},
            {"network_in_domain", summary_json(e.guarded, true)},
            {"outside_domain_dies", e.fallbacks},
            {"package_model", summary_json(e.package, true)},
            {"blur", summary_json(e.blur, true)},
            {"power_edges", summary_json(e.edges, false)}};
  }

  void print_evaluation(const std::string &set, const Evaluation &e)
  {
    std::printf("%s (%zu dies, mean peak rise %.1f K)\n", set.c_str(), e.net.dies, e.net.rise_k);
    std::printf("  %-22s %8s %8s %10s %10s %7s\n", "", "MAE K", "max K", "peak p95 K", "hotspot mm", "recall");
    auto row = [](const char *name, const MetricsSummary &m, bool t) {
      if (t)
        std::printf("  %-22s %8.3f %8.3f %10.3f %10.3f %7.3f\n", name, m.mae_k, m.max_error_k, m.peak_error_p95_k,
                    m.hotspot_distance_mm, m.recall);
      else
        std::printf("  %-22s %8s %8s %10s %10s %7.3f\n", name, "-", "-", "-", "-", m.recall);
    };
    row("network", e.net, true);
    if (e.fallbacks)
      {
        char name[64];
        std::snprintf(name, sizeof name, "network, domain (%zu out)", e.fallbacks);
        row(name, e.guarded, true);
      }
    row("package model alone", e.package, true);
    row("calibrated blur", e.blur, true);
    row("power-map edges", e.edges, false);
  }
} // namespace chiptherm::ai_predictor
