#pragma once
// The cell size the a priori mesh must reach at each place: the policy's
// rule of every block (inside the block and its halo) and every refinement
// map, combined by taking the smallest request. No deal.II here.
#include "box_index.h"
#include "mesh_policy.h"
#include "refinement_map.h"

#include <array>
#include <vector>

namespace chiptherm::mesh
{
  class SizeField
  {
  public:
    SizeField(const floorplans::ChipModel &model, const MeshPolicy &policy, std::vector<RefinementMap> maps);

    /// Smallest in-plane cell edge requested anywhere inside cell, or 0 when
    /// nothing asks for a size there.
    double target_size(const Box3 &cell) const;

  private:
    BoxIndex                   where_;  ///< each request's block box (its layer's thickness) grown by its halo in x and y
    std::vector<double>        size_;   ///< each request's size
    std::vector<RefinementMap> maps_;
    std::vector<std::array<double, 2>> map_z_; ///< z range of each map's layer
    mutable std::vector<unsigned int>  found_;
  };
} // namespace chiptherm::mesh
