#pragma once
// Training and inference of the predictor's network (LibTorch). Samples are
// dies with their solved temperature rise; the loss is the mean squared error
// over the die's pixels in units of each die's baseline scale; training
// augments by the 8 rotations and flips of the square, reports the loss on a
// held-out set, and runs on a set number of threads. No deal.II here.
#include "model_domain.h"
#include "thermal_net.h"
#include "training_set.h"

#include <functional>
#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  struct TrainSettings
  {
    int          epochs        = 40;
    int          batch_size    = 8;
    double       learning_rate = 2e-3;
    bool         augment       = true;
    double       hot_weight    = 1.0;  ///< loss weight 1 + hot_weight x (rise / die mean rise) per pixel
    int          threads       = 1;
    std::uint64_t seed         = 1;
  };

  struct TrainHistory
  {
    std::vector<double> train_loss, held_out_loss; ///< per epoch
    std::size_t         train_samples = 0, held_out_samples = 0;
  };

  /// Trains net in place on train, reporting the loss on held_out (never
  /// trained on) after each epoch through progress(epoch, train, held-out).
  TrainHistory train_network(ThermalUNet &net, const std::vector<TrainingSample> &train,
                             const std::vector<TrainingSample> &held_out, const TrainSettings &settings,
                             const std::function<void(int, double, double)> &progress = {});

  /// A seeded split: the last held_out_share of a shuffled copy is held out.
  void split_samples(const std::vector<TrainingSample> &all, double held_out_share, std::uint64_t seed,
                     std::vector<TrainingSample> &train, std::vector<TrainingSample> &held_out);

  /// The predicted temperature rise over the raster, K (rows x cols).
  std::vector<float> predict_rise(ThermalUNet &net, const DieRaster &raster);

  /// The network's rise where the die lies inside the model's domain; outside
  /// it the package model's, with the reason in *fallback (left empty when the
  /// network answered).
  std::vector<float> predict_rise(ThermalUNet &net, const ModelDomain &domain, const DieRaster &raster,
                                  std::string *fallback);
} // namespace chiptherm::ai_predictor
