#include "train_command.h"

#include "model_evaluation.h"
#include "trainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace chiptherm::ai_predictor
{
  double run_training(const TrainOptions &o)
  {
    const auto start = std::chrono::steady_clock::now();
    const auto all   = read_training_set(o.data_dir);
    if (all.size() < 2)
      throw InputError(SourceLocation{o.data_dir, -1, ""}, "expected at least 2 samples (one to train, one held out), found " +
                                                            std::to_string(all.size()));
    // The split is over every sample (so it does not move when labels are
    // filtered); then only labels solved to tolerance are used, unless none are.
    std::vector<TrainingSample> split_train, split_held_out;
    split_samples(all, o.held_out_share, o.seed, split_train, split_held_out);
    auto settled = [](const std::vector<TrainingSample> &s) {
      auto kept = converged_only(s);
      return kept.empty() ? s : kept;
    };
    const auto train = settled(split_train), held_out = settled(split_held_out);
    const BlurCalibration calibration = calibrate_blur(train);
    std::printf("[chiptherm] train: %zu dies (%zu to train, %zu held out); labels at the solve's tolerance: %zu of %zu "
                "and %zu of %zu (only those are used); blur baseline: factor %.2f, gain %.3f\n",
                all.size(), split_train.size(), split_held_out.size(), converged_only(split_train).size(),
                split_train.size(), converged_only(split_held_out).size(), split_held_out.size(),
                calibration.blur_factor, calibration.gain);

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

    const auto domain    = ModelDomain::of(train);
    const auto held_eval = evaluate_model(net, held_out, calibration, domain);
    print_evaluation("held out", held_eval);
    nlohmann::json meta{{"command", o.command_line},
                        {"data", o.data_dir},
                        {"samples", all.size()},
                        {"train_samples", train.size()},
                        {"held_out_samples", held_out.size()},
                        {"labels", "solved to tolerance only (samples whose solve stopped at the cell budget are left out)"},
                        {"split_seed", o.seed},
                        {"epochs", o.epochs},
                        {"train_seconds", train_s},
                        {"threads", o.threads},
                        {"blur_gain", calibration.gain},
                        {"final_loss", history.train_loss.back()},
                        {"final_held_out_loss", history.held_out_loss.back()}};
    meta["domain"]   = domain.to_json();
    meta["held_out"] = to_json(held_eval);
    if (!o.hard_dir.empty())
      {
        const auto hard      = read_training_set(o.hard_dir);
        const auto hard_eval = evaluate_model(net, hard, calibration, domain);
        print_evaluation("hard family", hard_eval);
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

  void run_evaluation(const EvaluateOptions &o)
  {
    ModelRecord record;
    auto        net = load_model(o.model, record);
    torch::set_num_threads(o.threads);
    const auto  meta = nlohmann::json::parse(record.metadata_json);
    const BlurCalibration blur{record.blur_factor, meta.value("blur_gain", 1.0)};
    nlohmann::json        report{{"model", o.model}, {"data", o.data_dir}};
    const auto            all = read_training_set(o.data_dir);
    if (all.empty())
      throw InputError(SourceLocation{o.data_dir, -1, ""}, "expected samples (sample_*.json), found none");
    auto data = converged_only(all);
    std::printf("[chiptherm] train: %s: %zu of %zu labels solved to tolerance, measured on those\n", o.data_dir.c_str(),
                data.size(), all.size());
    if (data.empty())
      data = all;
    report["labels_at_tolerance"] = data.size();
    const auto domain    = ModelDomain::from_json(meta);
    const auto in_family = evaluate_model(net, data, blur, domain);
    print_evaluation(o.data_dir, in_family);
    report["samples"] = to_json(in_family);
    if (!o.hard_dir.empty())
      {
        const auto hard      = read_training_set(o.hard_dir);
        std::printf("[chiptherm] train: %s (hard family): %zu of %zu labels solved to tolerance; measured on all\n",
                    o.hard_dir.c_str(), converged_only(hard).size(), hard.size());
        const auto hard_eval = evaluate_model(net, hard, blur, domain);
        print_evaluation(o.hard_dir, hard_eval);
        report["hard"] = to_json(hard_eval);
        report["hard_data"] = o.hard_dir;
      }
    const std::string partial = o.metrics_out + ".partial";
    std::ofstream(partial) << report.dump(2) << "\n";
    std::filesystem::rename(partial, o.metrics_out);
    std::printf("[chiptherm] train: wrote %s\n", o.metrics_out.c_str());
  }
} // namespace chiptherm::ai_predictor
