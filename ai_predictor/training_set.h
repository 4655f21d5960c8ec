#pragma once
// The samples `chiptherm train --generate` writes (commands/training_data.h),
// read back as training samples: each file's case text is rasterised again by
// this build's rasteriser, so data stay valid when the channels change, and
// its stored rise maps are checked against the raster's size. No deal.II, no
// LibTorch here.
#include "rasterizer.h"

#include <memory>
#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  /// A die with its solved temperature rise: what the network learns from.
  struct TrainingSample
  {
    DieRaster          raster;
    std::vector<float> rise_k; ///< rows x cols, row 0 lowest y, 0 at padding pixels, K
    std::string        sample; ///< the file it came from, for messages
    std::shared_ptr<const floorplans::ChipModel> chip; ///< the case it came from
    bool converged = true; ///< the solve reached its tolerance (false: it stopped at the cell budget)
  };

  /// Every sample_*.json of folder, in index order. Throws InputError naming
  /// the file for a damaged sample or a map that does not fit its raster.
  std::vector<TrainingSample> read_training_set(const std::string &folder, const RasterSettings &settings = {});

  /// The samples whose solve reached its tolerance. A solve stopped by the cell
  /// budget leaves its peaks under-resolved: the package model and the network
  /// then disagree with it by the FEM's error, not their own (measured in
  /// docs/benchmarks.md), so such labels are neither trained on nor used to
  /// measure in-family accuracy.
  std::vector<TrainingSample> converged_only(const std::vector<TrainingSample> &samples);
} // namespace chiptherm::ai_predictor
