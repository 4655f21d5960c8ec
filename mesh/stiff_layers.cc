#include "stiff_layers.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_tools.h>

#include <algorithm>
#include <cstdint>

namespace chiptherm::mesh
{
  using namespace dealii;

  namespace
  {
    double through_conductance(const floorplans::ChipModel &model, const std::string &material, double thickness_m)
    {
      const auto *m = model.materials.find(material);
      return m != nullptr && thickness_m > 0 ? m->conductivity_w_mk[2] / thickness_m : 0.0;
    }

    /// The largest k_z / thickness among a layer's materials.
    double largest_through_conductance(const floorplans::ChipModel &model, const floorplans::Layer &layer)
    {
      double g = through_conductance(model, layer.material, layer.thickness_m);
      for (const auto &region : layer.regions)
        g = std::max(g, through_conductance(model, region.material, layer.thickness_m));
      return g;
    }
  } // namespace

  std::vector<bool> stiff_zones(const floorplans::ChipModel &model, const ZoneTable &zones, double ratio)
  {
    std::vector<bool> stiff(zones.size(), false);
    if (ratio <= 0) // mesh.stiff_layer_ratio: 0 turns the columns off
      return stiff;
    for (std::size_t z = 0; z < zones.size(); ++z)
      {
        const int l = zones[z].layer;
        if (l < 0 || l >= int(model.layers.size()))
          continue;
        const double g = through_conductance(model, zones[z].material, model.layers[l].thickness_m);
        bool         s = g > 0 && (l > 0 || l + 1 < int(model.layers.size()));
        if (l > 0)
          s = s && g >= ratio * largest_through_conductance(model, model.layers[l - 1]);
        if (l + 1 < int(model.layers.size()))
          s = s && g >= ratio * largest_through_conductance(model, model.layers[l + 1]);
        stiff[z] = s;
      }
    // A layer with one stiff zone is stiff in all of them: the bond's gap-fill
    // oxide around a hybrid-bonded tier (3.7x its neighbours) left hanging
    // nodes in the same 2 um layer, and they cost as much (docs/benchmarks.md).
    std::vector<bool> layer_stiff(model.layers.size(), false);
    for (std::size_t z = 0; z < zones.size(); ++z)
      if (stiff[z])
        layer_stiff[zones[z].layer] = true;
    for (std::size_t z = 0; z < zones.size(); ++z)
      stiff[z] = zones[z].layer >= 0 && zones[z].layer < int(model.layers.size()) && layer_stiff[zones[z].layer];
    return stiff;
  }

  unsigned long long close_flags_at_stiff_zones(parallel::distributed::Triangulation<3> &tria,
                                                const std::vector<bool>                  &stiff)
  {
    if (std::none_of(stiff.begin(), stiff.end(), [](bool s) { return s; }))
      return 0;
    using CellIterator = parallel::distributed::Triangulation<3>::active_cell_iterator;
    const auto is_stiff = [&](const auto &cell) {
      return cell->material_id() < stiff.size() && stiff[cell->material_id()];
    };
    // The refine flags of ghost cells, by active cell index (flags are not set on ghosts).
    std::vector<std::uint8_t> ghost_flag(tria.n_active_cells(), 0);
    unsigned long long        total = 0;
    for (;;)
      {
        GridTools::exchange_cell_data_to_ghosts<std::uint8_t, parallel::distributed::Triangulation<3>>(
          tria, [](const CellIterator &cell) { return std::uint8_t(cell->refine_flag_set() ? 1 : 0); },
          [&](const CellIterator &cell, const std::uint8_t &flag) { ghost_flag[cell->active_cell_index()] = flag; });
        const auto future_level = [&](const auto &cell) {
          if (cell->has_children())
            return int(cell->level()) + 1;
          const bool flagged = cell->is_locally_owned() ? cell->refine_flag_set() : ghost_flag[cell->active_cell_index()] != 0;
          return int(cell->level()) + (flagged ? 1 : 0);
        };
        unsigned long long added = 0;
        for (const auto &cell : tria.active_cell_iterators())
          if (cell->is_locally_owned())
            for (const unsigned int f : {4u, 5u}) // the faces normal to z
              {
                if (cell->at_boundary(f))
                  continue;
                const auto neighbor = cell->neighbor(f);
                if (!is_stiff(cell) && !is_stiff(neighbor))
                  continue;
                if (cell->coarsen_flag_set())
                  cell->clear_coarsen_flag();
                if (future_level(neighbor) > future_level(cell))
                  {
                    cell->set_refine_flag();
                    ++added;
                  }
              }
        added = Utilities::MPI::sum(added, tria.get_communicator());
        if (added == 0)
          return total;
        total += added;
      }
  }
} // namespace chiptherm::mesh
