#pragma once
// The physics baseline of the predictor: the die's 1D temperature rise q / G
// (areal power density over the stack's vertical conductance) blurred over the
// die's thermal healing length L = sqrt(k t / G), the distance over which the
// die and the layers next to it spread heat sideways before it leaves
// vertically. It is an input channel of the network (so the network learns a
// correction, not the whole field), the scale its output is normalised by,
// and the "blur" baseline the metrics compare against. No LibTorch here.
#include "rasterizer.h"

#include <vector>

namespace chiptherm::ai_predictor
{
  struct Baseline
  {
    std::vector<float> rise_k; ///< rows x cols, K
    double             scale_k = 1; ///< mean 1D rise over the die, K: the network's unit
    double             healing_length_m = 0;
  };

  /// The blurred 1D rise of a raster; blur_factor scales the healing length
  /// (1: the physical one; the calibration in docs/design.md).
  Baseline physics_baseline(const DieRaster &raster, double blur_factor = 1.0);
} // namespace chiptherm::ai_predictor
