#pragma once
// A raster over one layer asking for a cell size per pixel: the interface
// through which a user (CSV or .npy file) or the learned predictor (issue 6)
// says where the mesh must be fine. No deal.II here.
//
// Pixel (i, j) covers [x + i w/nx, x + (i+1) w/nx] x [y + j h/ny, ...]: row j = 0
// is the lowest y, as numpy's arr[j, i] with origin='lower'.
#include "common/case_node.h"
#include "common/raster_file.h"
#include "floorplans/chip_model.h"

#include <string>
#include <vector>

namespace chiptherm::mesh
{
  struct RefinementMap
  {
    int                 layer = 0;     ///< index into ChipModel::layers
    floorplans::Rect    extent;        ///< area the raster covers, m
    std::size_t         nx = 0, ny = 0;
    std::vector<double> cell_size_m;   ///< nx*ny, row-major (j*nx + i); <= 0 means "no request"

    /// Smallest requested size over the pixels that overlap r, or 0 when none asks.
    double smallest_over(const floorplans::Rect &r) const;
  };

  /// Reads `mesh.refinement_map`:
  ///   {file: F.csv|F.npy, layer: NAME, values: cell_size|priority,
  ///    extent: [x, y, w, h], finest: LEN, coarsest: LEN}
  /// cell_size values are lengths in the case's unit (<= 0 or NaN: no request);
  /// priority values p in [0, 1] map to coarsest * (finest/coarsest)^p, p <= 0
  /// meaning no request. finest/coarsest default to the given sizes.
  RefinementMap read_refinement_map(const CaseNode &node, const std::string &base_directory,
                                    const floorplans::ChipModel &model, double default_finest_m,
                                    double default_coarsest_m);
} // namespace chiptherm::mesh
