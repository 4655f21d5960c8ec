#include "layer_hotspots.h"

#include "block_statistics.h"
#include "extreme_search.h"

#include <deal.II/base/mpi.h>

#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  std::vector<LayerHotspot> compute_layer_hotspots(const TemperatureField &field, const mesh::ZoneTable &zones,
                                                   const std::vector<int> &layers)
  {
    std::vector<int> slot_of_zone(zones.size(), -1);
    for (std::size_t z = 0; z < zones.size(); ++z)
      for (std::size_t i = 0; i < layers.size(); ++i)
        if (zones[z].layer == layers[i])
          slot_of_zone[z] = static_cast<int>(i);

    // Per layer: t, x, y, z of this rank's best point, searched between the
    // samples like a block's t_max (extreme_search.h).
    const double        lowest = std::numeric_limits<double>::lowest();
    std::vector<double> best(4 * layers.size(), 0.0);
    for (std::size_t i = 0; i < layers.size(); ++i)
      best[4 * i] = lowest;
    const TensorPoints  points = extreme_sample_points(RefBox{}, field.dofs->get_fe().degree);
    BoxSampler          sampler(field);
    ExtremeSearch       search(layers.size());
    std::vector<double> t;
    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() < slot_of_zone.size() &&
          slot_of_zone[cell->material_id()] >= 0)
        {
          sampler.values(*cell, points, t);
          search.add(*cell, slot_of_zone[cell->material_id()], RefBox{}, points, t);
        }
    const auto &tria = field.dofs->get_triangulation();
    const auto  found = search.zoom(sampler, field.communicator());
    for (const auto &z : found.boxes)
      if (z.t_max > best[4 * z.group])
        {
          const typename Triangulation<3>::active_cell_iterator cell(&tria, z.level, z.index);
          const Point<3> p = field.mapping->transform_unit_to_real_cell(
            cell, Point<3>(z.at_max[0], z.at_max[1], z.at_max[2]));
          best[4 * z.group] = z.t_max;
          for (unsigned int d = 0; d < 3; ++d)
            best[4 * z.group + 1 + d] = p[d];
        }

    const auto all = Utilities::MPI::all_gather(field.communicator(), best);
    std::vector<LayerHotspot> result(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i)
      {
        result[i].layer   = layers[i];
        result[i].t_max_k = lowest;
        for (const auto &rank : all)
          if (rank[4 * i] > result[i].t_max_k)
            {
              result[i].t_max_k = rank[4 * i];
              result[i].where   = Point<3>(rank[4 * i + 1], rank[4 * i + 2], rank[4 * i + 3]);
            }
      }
    return result;
  }
} // namespace chiptherm::solver
