#pragma once
// A trained network measured on samples it never saw, side by side with the
// package model alone and the two baselines issue 6 names (a calibrated blur
// of the power map, the power map's edges). Used by `chiptherm train` (held-out
// split, hard family) and `chiptherm train --evaluate` (any sample folder).
#include "prediction_metrics.h"
#include "model_domain.h"
#include "thermal_net.h"
#include "training_set.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  /// The blur baseline's factor (on the healing length) and gain.
  struct BlurCalibration
  {
    double blur_factor = 1, gain = 1;
  };

  /// The factor and gain that fit the training rises best (least squares over die pixels).
  BlurCalibration calibrate_blur(const std::vector<TrainingSample> &train);

  struct Evaluation
  {
    MetricsSummary net, blur, edges, package;
    MetricsSummary guarded;        ///< the network inside its domain, the package model outside
    std::size_t    fallbacks = 0;  ///< dies outside the domain
  };

  Evaluation evaluate_model(ThermalUNet &net, const std::vector<TrainingSample> &samples, const BlurCalibration &blur,
                            const ModelDomain &domain);

  nlohmann::json to_json(const Evaluation &e);
  /// A table: network, package model alone, calibrated blur, power-map edges.
  void print_evaluation(const std::string &set, const Evaluation &e);
} // namespace chiptherm::ai_predictor
