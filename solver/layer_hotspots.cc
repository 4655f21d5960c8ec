#include "layer_hotspots.h"

#include "block_statistics.h"

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

    // Per layer: t, x, y, z of this rank's best sample.
    const double        lowest = std::numeric_limits<double>::lowest();
    std::vector<double> best(4 * layers.size(), 0.0);
    for (std::size_t i = 0; i < layers.size(); ++i)
      best[4 * i] = lowest;
    const TensorPoints  points = extreme_sample_points(RefBox{}, field.dofs->get_fe().degree);
    const std::size_t   nx = points.coordinate[0].size(), ny = points.coordinate[1].size();
    BoxSampler          sampler(field);
    std::vector<double> t;
    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() < slot_of_zone.size() &&
          slot_of_zone[cell->material_id()] >= 0)
        {
          const std::size_t slot = slot_of_zone[cell->material_id()];
          sampler.values(*cell, points, t);
          const auto top = std::max_element(t.begin(), t.end());
          if (*top <= best[4 * slot])
            continue;
          const std::size_t q = top - t.begin();
          const Point<3>    unit(points.coordinate[0][q % nx], points.coordinate[1][(q / nx) % ny],
                                 points.coordinate[2][q / (nx * ny)]);
          const Point<3>    p = field.mapping->transform_unit_to_real_cell(cell, unit);
          best[4 * slot]     = *top;
          for (unsigned int d = 0; d < 3; ++d)
            best[4 * slot + 1 + d] = p[d];
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
