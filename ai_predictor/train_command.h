#pragma once
// `chiptherm train --data DIR -o MODEL.pt`: read the samples, calibrate the
// blur baseline on the training split, train the network, measure it and the
// two baselines on the held-out split (and on a second, harder set when given),
// and save the model with its record: data seed and size, the exact command,
// the metrics. No deal.II here; LibTorch stays inside the .cc.
#include <cstdint>
#include <string>

namespace chiptherm::ai_predictor
{
  struct TrainOptions
  {
    std::string   data_dir, model_out;
    std::string   hard_dir;        ///< optional: samples of another family, never trained on
    int           epochs = 60;
    int           width  = 12;
    int           threads = 1;
    double        held_out_share = 0.15;
    std::uint64_t seed = 1;
    std::string   command_line;    ///< recorded with the model
  };

  /// Trains and saves; prints progress and the metrics table. Returns the
  /// held-out mean absolute error, K.
  double run_training(const TrainOptions &options);

  /// `chiptherm train --evaluate MODEL.pt --data DIR [--hard DIR] -o METRICS.json`:
  /// a saved model measured on every sample of folders it never saw (metrics
  /// as in training, the blur baseline with the model's recorded calibration).
  struct EvaluateOptions
  {
    std::string model, data_dir, hard_dir, metrics_out;
    int         threads = 1;
  };
  void run_evaluation(const EvaluateOptions &options);
} // namespace chiptherm::ai_predictor
