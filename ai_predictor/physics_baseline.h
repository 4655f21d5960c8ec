#pragma once
// The predictor's two physics baselines. No LibTorch here.
//
// physics_baseline: the package model's rise (package_model.h), computed with
// the raster. It is an input channel of the network (so the network learns a
// correction, not the whole field) and the scale its output is normalised by.
//
// blurred_power_rise: the die's 1D temperature rise q / G (areal power density
// over the stack's vertical conductance) blurred over the die's thermal
// healing length L = sqrt(k t / G). The "blur" baseline the metrics compare
// against, as issue 6 asks (it was the network's input until the package
// model replaced it: docs/benchmarks.md).
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

  /// The package model's rise of a raster (its package_rise_k; the blurred rise
  /// when the raster was made without the package model).
  Baseline physics_baseline(const DieRaster &raster);

  /// The blurred 1D rise of a raster; blur_factor scales the healing length
  /// (1: the physical one; the calibration in docs/design.md).
  Baseline blurred_power_rise(const DieRaster &raster, double blur_factor = 1.0);
} // namespace chiptherm::ai_predictor
