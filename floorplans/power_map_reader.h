#pragma once
// `power_map:` of a layer or a die region: a raster of powers (CSV or .npy,
// the raster convention of mesh.refinement_map: row 0 is the lowest y) over an
// extent, each pixel's power spread uniformly through the layer's thickness
// (docs/case-file.md). No deal.II.
#include "chip_model.h"
#include "common/case_node.h"

#include <string>

namespace chiptherm::floorplans
{
  /// The largest raster accepted per side (4096 x 4096 pixels: 128 MiB as doubles).
  constexpr std::size_t max_power_map_side = 4096;

  /// Reads {file | files, times, extent: [x, y, w, h], values: power_w | density_w_m2, scale}:
  /// file one map (or a 3D .npy (T, ny, nx) of frames), files one map per
  /// frame, times (s) when each frame starts (required with frames); steady
  /// runs take the frames' mean;
  /// extent defaults to `whole` (the layer's footprint or the region), is
  /// relative to the region's corner in a region (as its blocks' rects are), and
  /// must lie inside `whole`. Every value must be finite and >= 0. Throws InputError
  /// naming the file (row and column for a bad value) or the key.
  PowerMap read_power_map(const CaseNode &node, const Rect &whole, const std::string &whole_name, bool in_region);
} // namespace chiptherm::floorplans
