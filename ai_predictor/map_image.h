#pragma once
// A die map as a PNG picture (libpng), for people: row 0 (lowest y) at the
// bottom, each pixel drawn as a square of `scale` image pixels, an inferno-like
// colour scale from the map's minimum to its maximum over the die, padding grey.
// No deal.II, no LibTorch here.
#include "rasterizer.h"

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  void write_map_png(const std::string &path, const DieRaster &raster, const std::vector<float> &map, int scale = 6);
} // namespace chiptherm::ai_predictor
