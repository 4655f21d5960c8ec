#pragma once
// The cell size the a priori mesh must reach at each place: the policy's
// rule of every block (inside the block and its halo) and every refinement
// map, combined by taking the smallest request. No deal.II here.
#include "mesh_policy.h"
#include "refinement_map.h"

#include <array>
#include <vector>

namespace chiptherm::mesh
{
  /// Axis-aligned box, m.
  struct Box3
  {
    std::array<double, 3> lo{}, hi{};
    /// Interiors overlap (touching faces do not count).
    bool overlaps(const Box3 &o) const;
  };

  class SizeField
  {
  public:
    SizeField(const floorplans::ChipModel &model, const MeshPolicy &policy, std::vector<RefinementMap> maps);

    /// Smallest in-plane cell edge requested anywhere inside cell, or 0 when
    /// nothing asks for a size there.
    double target_size(const Box3 &cell) const;

  private:
    /// Bin of coordinate v along axis d (0: x, 1: y), clamped to the grid.
    std::size_t bin_of(double v, unsigned int d) const;

    struct Request
    {
      Box3   where; ///< block box grown by its halo in x, y and z
      double size;
    };
    std::vector<Request>       requests_;
    std::vector<RefinementMap> maps_;
    std::vector<std::array<double, 2>> map_z_; ///< z range of each map's layer
    // Requests binned on a regular grid over their bounding box in x and y, so
    // a query looks at the few requests near the cell, not at all of them.
    std::array<double, 2> bin_origin_{}, bin_pitch_{};
    std::array<std::size_t, 2> bins_{};
    std::vector<std::vector<unsigned int>> bin_requests_;
  };
} // namespace chiptherm::mesh
