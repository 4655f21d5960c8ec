#pragma once
// Training and inference of the predictor's network (LibTorch). Samples are
// dies with their solved temperature rise; the loss is the mean squared error
// over the die's pixels in units of each die's baseline scale; training
// augments by the 8 rotations and flips of the square, keeps a held-out split,
// and runs on a set number of threads. No deal.II here.
#include "thermal_net.h"

#include <functional>
#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  struct TrainingSample
  {
    DieRaster          raster;
    std::vector<float> rise_k; ///< the solved rise over the raster (rows x cols, row 0 lowest y), K
  };

  struct TrainSettings
  {
    int          epochs        = 40;
    int          batch_size    = 8;
    double       learning_rate = 2e-3;
    double       held_out_share = 0.15; ///< the last share of the samples (after a seeded shuffle)
    bool         augment       = true;
    int          threads       = 1;
    std::uint64_t seed         = 1;
    double       blur_factor   = 1.0; ///< of the baseline input channel
  };

  struct TrainHistory
  {
    std::vector<double> train_loss, held_out_loss; ///< per epoch
    std::size_t         train_samples = 0, held_out_samples = 0;
  };

  /// Trains net in place; progress(epoch, train loss, held-out loss) after each epoch.
  TrainHistory train_network(ThermalUNet &net, const std::vector<TrainingSample> &samples, const TrainSettings &settings,
                             const std::function<void(int, double, double)> &progress = {});

  /// The predicted temperature rise over the raster, K (rows x cols).
  std::vector<float> predict_rise(ThermalUNet &net, const DieRaster &raster, double blur_factor);
} // namespace chiptherm::ai_predictor
