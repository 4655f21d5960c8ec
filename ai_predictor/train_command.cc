#include "train_command.h"

#include "physics_baseline.h"
#include "prediction_metrics.h"
#include "trainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace chiptherm::ai_predictor
{
  namespace
  {
    struct Calibration
    {
      double blur_factor = 1, gain = 1;
    };

    /// The blur factor and gain that fit the training rises best (least squares over die pixels).
    Calibration calibrate_blur(const std::vector<TrainingSample> &train)
    {
      Calibration best;
      double      best_error = 1e300;
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
            best_error = error, best = Calibration{factor, gain};
        }
      return best;
    }

    struct Evaluation
    {
      MetricsSummary net, blur, edges, package;
    };

    Evaluation evaluate(ThermalUNet &net, const std::vector<TrainingSample> &samples, const Calibration &c)
    {
      std::vector<MapMetrics> net_m, blur_m, edge_m, package_m;
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
          package_m.push_back(compare_maps(s.raster, physics_baseline(s.raster).rise_k, s.rise_k));
          peaks.push_back(*std::max_element(s.rise_k.begin(), s.rise_k.end()));
        }
      return {summarize(net_m, peaks), summarize(blur_m, peaks), summarize(edge_m, peaks), summarize(package_m, peaks)};
    }

    nlohmann::json to_json(const MetricsSummary &m, bool temperatures)
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

    nlohmann::json to_json(const Evaluation &e)
    {
      return {{"network", to_json(e.net, true)},
              {"package_model", to_json(e.package, true)},
              {"blur", to_json(e.blur, true)},
              {"power_edges", to_json(e.edges, false)}};
    }

    void print(const std::string &set, const Evaluation &e)
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
      row("package model alone", e.package, true);
      row("calibrated blur", e.blur, true);
      row("power-map edges", e.edges, false);
    }
  } // namespace

  double run_training(const TrainOptions &o)
  {
    const auto start = std::chrono::steady_clock::now();
    const auto all   = read_training_set(o.data_dir);
    if (all.size() < 2)
      throw InputError(SourceLocation{o.data_dir, -1, ""}, "expected at least 2 samples (one to train, one held out), found " +
                                                            std::to_string(all.size()));
    std::vector<TrainingSample> train, held_out;
    split_samples(all, o.held_out_share, o.seed, train, held_out);
    const Calibration calibration = calibrate_blur(train);
    std::printf("[chiptherm] train: %zu dies (%zu to train, %zu held out); blur baseline: factor %.2f, gain %.3f\n",
                all.size(), train.size(), held_out.size(), calibration.blur_factor, calibration.gain);

    torch::manual_seed(o.seed);
    const NetArchitecture arch{int(DieRaster::channel_names().size()) + 1, o.width, 3};
    ThermalUNet           net(arch);
    TrainSettings         settings;
    settings.epochs      = o.epochs;
    settings.threads     = o.threads;
    settings.seed        = o.seed;
    std::printf("[chiptherm] train: U-Net, %lld parameters, %d epochs, %d thread(s)\n",
                static_cast<long long>(net->parameter_count()), o.epochs, o.threads);
    const auto history = train_network(net, train, held_out, settings, [&](int epoch, double loss, double held) {
      std::printf("[chiptherm] train: epoch %d/%d: loss %.5f, held-out %.5f\n", epoch + 1, o.epochs, loss, held);
      std::fflush(stdout);
    });
    const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const auto held_eval = evaluate(net, held_out, calibration);
    print("held out", held_eval);
    nlohmann::json meta{{"command", o.command_line},
                        {"data", o.data_dir},
                        {"samples", all.size()},
                        {"train_samples", train.size()},
                        {"held_out_samples", held_out.size()},
                        {"split_seed", o.seed},
                        {"epochs", o.epochs},
                        {"train_seconds", train_s},
                        {"threads", o.threads},
                        {"blur_gain", calibration.gain},
                        {"final_loss", history.train_loss.back()},
                        {"final_held_out_loss", history.held_out_loss.back()}};
    meta["held_out"] = to_json(held_eval);
    if (!o.hard_dir.empty())
      {
        const auto hard      = read_training_set(o.hard_dir);
        const auto hard_eval = evaluate(net, hard, calibration);
        print("hard family", hard_eval);
        meta["hard"] = to_json(hard_eval);
      }
    // the model and, beside it, its record as JSON for people and scripts
    const std::string partial = o.model_out + ".partial";
    save_model(partial, net, ModelRecord{arch, DieRaster::channel_names(), calibration.blur_factor, meta.dump()});
    std::filesystem::rename(partial, o.model_out);
    std::ofstream(o.model_out + ".json") << meta.dump(2) << "\n";
    std::printf("[chiptherm] train: wrote %s (%.0f s)\n", o.model_out.c_str(), train_s);
    return held_eval.net.mae_k;
  }
} // namespace chiptherm::ai_predictor
