#pragma once
// From a predicted die temperature to a refinement map (mesh/refinement_map.h,
// `values: priority`): a pixel asks for fine cells where the predicted
// temperature changes fast (its gradient, relative to the die's 95th
// percentile) or lies near the die's peak; only the top quarter of the die's
// pixels asks at all. Priority 1 asks for the finest size, 0 for nothing.
// No deal.II, no LibTorch here.
#include "rasterizer.h"

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  /// rows x cols priorities in [0, 1] (0 outside the die and outside its top quarter).
  std::vector<float> refinement_priority(const DieRaster &raster, const std::vector<float> &rise_k);

  /// Writes a rows x cols map as CSV, row 0 (the lowest y) first, as
  /// mesh.refinement_map reads it.
  void write_map_csv(const std::string &path, const DieRaster &raster, const std::vector<float> &map);

  /// A ParaView file (legacy VTK image) of a die's maps: each (name, map) a
  /// point field on the raster's pixel centres at the die's position, metres.
  void write_map_vtk(const std::string &path, const DieRaster &raster,
                     const std::vector<std::pair<std::string, const std::vector<float> *>> &fields);
} // namespace chiptherm::ai_predictor
