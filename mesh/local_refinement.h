#pragma once
// A priori refinement: split cells until every cell is as small as the size
// field asks, without passing each zone's level cap or the cell budget.
#include "mesh_policy.h"
#include "size_field.h"
#include "zone_table.h"

#include <deal.II/distributed/tria.h>

#include <vector>

namespace chiptherm::mesh
{
  struct LocalRefinementOutcome
  {
    unsigned int passes     = 0;     ///< refinement sweeps executed
    bool         budget_hit = false; ///< stopped because the next sweep would pass max_cells
  };

  /// Refinement levels allowed in each zone: the block's rule inside blocks,
  /// policy.max_level elsewhere.
  std::vector<int> zone_level_caps(const ZoneTable &zones, const MeshPolicy &policy);

  /// The axis-aligned bounding box of a cell.
  template <typename CellIterator>
  Box3 bounding_box_of(const CellIterator &cell)
  {
    Box3 b;
    b.lo = {{1e300, 1e300, 1e300}};
    b.hi = {{-1e300, -1e300, -1e300}};
    for (const unsigned int v : cell->vertex_indices())
      for (unsigned int d = 0; d < 3; ++d)
        b.lo[d] = std::min(b.lo[d], cell->vertex(v)[d]), b.hi[d] = std::max(b.hi[d], cell->vertex(v)[d]);
    return b;
  }

  /// True when the box's in-plane edge exceeds what the field asks there.
  bool exceeds_target_size(const SizeField &field, const Box3 &box);

  /// Refines (collectively, on all ranks) until no cell's in-plane edge exceeds
  /// the field's target size there, or after max_passes refinement sweeps.
  LocalRefinementOutcome refine_to_size_field(dealii::parallel::distributed::Triangulation<3> &tria,
                                              const SizeField &field, const std::vector<int> &level_caps,
                                              unsigned long long max_cells, unsigned int max_passes = ~0u);
} // namespace chiptherm::mesh
