#pragma once
// A priori refinement: split cells until every cell is as small as the size
// field asks, without passing the level cap where a cell lies or the cell budget.
#include "mesh_policy.h"
#include "size_field.h"
#include "zone_table.h"

#include <functional>

#include <deal.II/distributed/tria.h>

#include <vector>

namespace chiptherm::mesh
{
  struct LocalRefinementOutcome
  {
    unsigned int passes     = 0;     ///< refinement sweeps executed
    bool         budget_hit = false; ///< stopped because the next sweep would pass max_cells
  };

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

  /// The active cells refine_to_size_field() would make from these coarse
  /// cells (without 2:1 balance), counted on boxes before anything is
  /// allocated; counting stops as soon as the count passes stop_after (the
  /// result is then stop_after + 1 or a little more). Cost: one size-field
  /// query per cell counted.
  unsigned long long estimate_refined_cells(const std::function<void(const std::function<bool(const Box3 &)> &)> &coarse_cells,
                                            const SizeField &field,
                                            const std::function<int(const Box3 &)> &level_cap,
                                            unsigned long long stop_after);

  /// Refines (collectively, on all ranks) until no cell's in-plane edge exceeds
  /// the field's target size there, or after max_passes refinement sweeps;
  /// stiff zones (per zone, stiff_layers.h) are refined in columns with their neighbours.
  /// before_pass() runs before each sweep executes, the cells flagged (a
  /// SolutionTransfer registers its vectors there).
  LocalRefinementOutcome refine_to_size_field(dealii::parallel::distributed::Triangulation<3> &tria,
                                              const SizeField &field,
                                              const std::function<int(const Box3 &)> &level_cap,
                                              unsigned long long max_cells, const std::vector<bool> &stiff,
                                              unsigned int max_passes = ~0u,
                                              const std::function<void()> &before_pass = {});
} // namespace chiptherm::mesh
