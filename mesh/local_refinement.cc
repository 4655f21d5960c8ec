#include "local_refinement.h"

#include <deal.II/base/mpi.h>

#include <algorithm>

namespace chiptherm::mesh
{
  using namespace dealii;

  std::vector<int> zone_level_caps(const ZoneTable &zones, const MeshPolicy &policy)
  {
    std::vector<int> caps;
    for (const auto &zone : zones)
      caps.push_back(zone.block >= 0 ? policy.per_block[zone.block].max_level : policy.max_level);
    return caps;
  }

  bool exceeds_target_size(const SizeField &field, const Box3 &box)
  {
    const double target = field.target_size(box);
    return target > 0 && std::max(box.hi[0] - box.lo[0], box.hi[1] - box.lo[1]) > target * (1 + 1e-9);
  }

  LocalRefinementOutcome refine_to_size_field(parallel::distributed::Triangulation<3> &tria, const SizeField &field,
                                              const std::vector<int> &level_caps, unsigned long long max_cells,
                                              unsigned int max_passes)
  {
    const MPI_Comm         comm = tria.get_communicator();
    LocalRefinementOutcome outcome;
    while (outcome.passes < max_passes)
      {
        unsigned long long flagged = 0;
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned() && cell->level() < level_caps[cell->material_id()] &&
              exceeds_target_size(field, bounding_box_of(cell)))
            {
              cell->set_refine_flag();
              ++flagged;
            }
        flagged = Utilities::MPI::sum(flagged, comm);
        if (flagged == 0)
          break;
        // Each flagged cell becomes 8 (2:1 balancing may add a few more).
        if (tria.n_global_active_cells() + 7 * flagged > max_cells)
          {
            outcome.budget_hit = true;
            for (const auto &cell : tria.active_cell_iterators())
              if (cell->is_locally_owned())
                cell->clear_refine_flag();
            break;
          }
        tria.execute_coarsening_and_refinement();
        ++outcome.passes;
      }
    return outcome;
  }
} // namespace chiptherm::mesh
