#pragma once
// Every cell of the mesh belongs to one zone: a (layer, region) combination
// with one material. The cell's material_id is its zone index, so the
// material survives refinement and repartitioning (children inherit
// material_id) without any side table keyed by cell. Blocks are not zones:
// the mesh does not follow their edges (mesh/block_boxes.h).
#include <string>
#include <vector>

namespace chiptherm::mesh
{
  struct Zone
  {
    int         layer  = -1; ///< index into ChipModel::layers
    int         region = -1; ///< index into Layer::regions, or -1
    std::string material;    ///< material name
  };

  /// Boundary ids set on the faces of the mesh.
  enum BoundaryGroup : unsigned int
  {
    boundary_top    = 1, ///< outer faces at the top of the stack
    boundary_bottom = 2, ///< outer faces at the bottom of the stack
    boundary_sides  = 3  ///< every other outer face
  };

  using ZoneTable = std::vector<Zone>;
} // namespace chiptherm::mesh
