#pragma once
// The names of the rasteriser's input channels, in order (DieRaster::channel_names()).
// Header-only and dependency-free, so that readers of model files (and their fuzz
// harness) can check a record's channels without the rasteriser.
#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  inline const std::vector<std::string> &raster_channel_names()
  {
    static const std::vector<std::string> names{"die",      "power",    "digital", "analog", "clock", "pmic",
                                                "photonic", "vertical", "sink",    "lateral", "pixel"};
    return names;
  }
} // namespace chiptherm::ai_predictor
