#include "local_refinement.h"

#include "stiff_layers.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <array>

namespace chiptherm::mesh
{
  using namespace dealii;

  bool exceeds_target_size(const SizeField &field, const Box3 &box)
  {
    const double target = field.target_size(box);
    return target > 0 && std::max(box.hi[0] - box.lo[0], box.hi[1] - box.lo[1]) > target * (1 + 1e-9);
  }

  namespace
  {
    /// Cells that refining `box` (at `level`) down to the size field makes, added to count.
    void count_cells(const Box3 &box, int level, const SizeField &field, const std::function<int(const Box3 &)> &cap,
                     unsigned long long stop_after, unsigned long long &count)
    {
      if (count > stop_after)
        return;
      if (!exceeds_target_size(field, box) || level >= cap(box))
        {
          ++count;
          return;
        }
      std::array<double, 3> mid;
      for (unsigned int d = 0; d < 3; ++d)
        mid[d] = 0.5 * (box.lo[d] + box.hi[d]);
      for (unsigned int child = 0; child < 8; ++child)
        {
          Box3 c;
          for (unsigned int d = 0; d < 3; ++d)
            {
              const bool upper = (child >> d) & 1U;
              c.lo[d]          = upper ? mid[d] : box.lo[d];
              c.hi[d]          = upper ? box.hi[d] : mid[d];
            }
          count_cells(c, level + 1, field, cap, stop_after, count);
        }
    }
  } // namespace

  unsigned long long estimate_refined_cells(const std::function<void(const std::function<bool(const Box3 &)> &)> &coarse_cells,
                                            const SizeField &field, const std::function<int(const Box3 &)> &level_cap,
                                            unsigned long long stop_after)
  {
    unsigned long long count = 0;
    coarse_cells([&](const Box3 &box) {
      count_cells(box, 0, field, level_cap, stop_after, count);
      return count <= stop_after;
    });
    return count;
  }

  LocalRefinementOutcome refine_to_size_field(parallel::distributed::Triangulation<3> &tria, const SizeField &field,
                                              const std::function<int(const Box3 &)> &level_cap, unsigned long long max_cells,
                                              const std::vector<bool> &stiff, unsigned int max_passes,
                                              const std::function<void()> &before_pass)
  {
    const MPI_Comm         comm = tria.get_communicator();
    LocalRefinementOutcome outcome;
    while (outcome.passes < max_passes)
      {
        unsigned long long flagged = 0;
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned() && exceeds_target_size(field, bounding_box_of(cell)) &&
              cell->level() < level_cap(bounding_box_of(cell)))
            {
              cell->set_refine_flag();
              ++flagged;
            }
        flagged = Utilities::MPI::sum(flagged, comm) + close_flags_at_stiff_zones(tria, stiff);
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
        if (before_pass)
          before_pass();
        tria.execute_coarsening_and_refinement();
        ++outcome.passes;
      }
    return outcome;
  }
} // namespace chiptherm::mesh
