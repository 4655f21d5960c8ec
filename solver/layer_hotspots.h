#pragma once
// Where the heat is: the field's maximum over each powered layer and where it
// lies (report.json `hotspots`). Found like a block's t_max (2p + 1
// equispaced points per cell direction, block_statistics.h, then a search
// between them, extreme_search.h) over every cell of the layer, so it is the largest of the block maxima when blocks cover the
// layer, and finds a peak between blocks too. Reduced over all MPI ranks.
#include "heat_problem.h"
#include "mesh/zone_table.h"

#include <deal.II/base/point.h>

#include <vector>

namespace chiptherm::solver
{
  struct LayerHotspot
  {
    int                layer = -1; ///< index into ChipModel::layers
    double             t_max_k = 0;
    dealii::Point<3>   where;      ///< m
    double             t_max_error_k = -1; ///< its bound where the layer is a goal (power maps), else < 0
  };

  /// One entry per index in layers, in that order.
  std::vector<LayerHotspot> compute_layer_hotspots(const TemperatureField &field, const mesh::ZoneTable &zones,
                                                   const std::vector<int> &layers);
} // namespace chiptherm::solver
