#pragma once
// The predictor's network (LibTorch): a small U-Net, fully convolutional, that
// maps a die's channels (rasterizer.h) plus the physics baseline to the die's
// temperature rise in units of the baseline's scale, as the baseline plus a
// learned correction. Saved as one file with its
// architecture and input channels; a file that does not match the code that
// loads it is refused with a clear message. No deal.II here.
#include "model_record.h"
#include "rasterizer.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  class ThermalUNetImpl : public torch::nn::Module
  {
  public:
    explicit ThermalUNetImpl(const NetArchitecture &a);
    /// x: [batch, in_channels, rows, cols] -> [batch, 1, rows, cols]
    torch::Tensor forward(torch::Tensor x);
    const NetArchitecture &architecture() const { return arch_; }
    std::int64_t           parameter_count() const;

  private:
    NetArchitecture                     arch_;
    std::vector<torch::nn::Sequential>  down_, up_;
    std::vector<torch::nn::ConvTranspose2d> upsample_;
    torch::nn::Sequential               bottom_{nullptr};
    torch::nn::Conv2d                   head_{nullptr};
  };
  TORCH_MODULE(ThermalUNet);

  /// The network's input for one die: its channels (power relative to the die's
  /// mean density) and the package model's rise (physics_baseline.h, in units of
  /// its die mean), [1, in_channels, rows, cols].
  /// scale_k, when given, receives the baseline's scale (the network's unit, K).
  torch::Tensor network_input(const DieRaster &raster, double *scale_k = nullptr);

  void save_model(const std::string &path, ThermalUNet &net, const ModelRecord &record);
  /// Throws InputError naming path when the file is not a chiptherm model, or
  /// its architecture or channels differ from this build's.
  ThermalUNet load_model(const std::string &path, ModelRecord &record);
} // namespace chiptherm::ai_predictor
