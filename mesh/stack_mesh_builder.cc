#include "stack_mesh_builder.h"

#include <deal.II/base/table.h>
#include <deal.II/grid/grid_generator.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace chiptherm::mesh
{
  using namespace dealii;

  std::vector<double> make_grid_lines(std::vector<double> edges, double fine_lo, double fine_hi, double fine_size,
                                      double coarse_size, double merge_tolerance)
  {
    std::sort(edges.begin(), edges.end());
    std::vector<double> merged;
    for (const double e : edges)
      if (merged.empty() || e - merged.back() > merge_tolerance)
        merged.push_back(e);

    std::vector<double> lines;
    for (std::size_t i = 0; i + 1 < merged.size(); ++i)
      {
        const double a = merged[i], b = merged[i + 1];
        const double mid = 0.5 * (a + b);
        // Distance of the interval's middle from the fine zone: cells grow by
        // about half that distance, so neighbours differ by a bounded factor.
        const double distance = std::max({0.0, fine_lo - mid, mid - fine_hi});
        const double size     = std::min(coarse_size, fine_size + 0.5 * distance);
        const auto   n        = static_cast<std::size_t>(std::max(1.0, std::ceil((b - a) / size - 1e-9)));
        for (std::size_t k = 0; k < n; ++k)
          lines.push_back(a + (b - a) * double(k) / double(n));
      }
    lines.push_back(merged.back());
    return lines;
  }

  void assign_boundary_ids(Triangulation<3> &tria, double tolerance)
  {
    double z_top = -1e300, z_bottom = 1e300;
    for (const auto &v : tria.get_vertices())
      z_top = std::max(z_top, v[2]), z_bottom = std::min(z_bottom, v[2]);
    for (const auto &cell : tria.cell_iterators_on_level(0))
      for (const unsigned int f : cell->face_indices())
        if (cell->face(f)->at_boundary())
          {
            const double z = cell->face(f)->center()[2];
            cell->face(f)->set_boundary_id(std::abs(z - z_top) < tolerance      ? boundary_top
                                           : std::abs(z - z_bottom) < tolerance ? boundary_bottom
                                                                                : boundary_sides);
          }
  }

  namespace
  {
    /// Index of the grid line nearest to v.
    std::size_t line_index(const std::vector<double> &lines, double v)
    {
      const auto it = std::lower_bound(lines.begin(), lines.end(), v);
      if (it == lines.end())
        return lines.size() - 1;
      if (it == lines.begin())
        return 0;
      return (v - *(it - 1) < *it - v) ? std::size_t(it - lines.begin() - 1) : std::size_t(it - lines.begin());
    }
  } // namespace

  StackMeshBuilder::StackMeshBuilder(const floorplans::ChipModel &model, const MeshSettings &settings)
    : model_(model)
    , settings_(settings)
  {
    std::array<std::vector<double>, 2> edges;
    double fine_lo[2] = {1e300, 1e300}, fine_hi[2] = {-1e300, -1e300};
    auto   add_rect   = [&](const floorplans::Rect &r) {
      edges[0].push_back(r.x), edges[0].push_back(r.x_end());
      edges[1].push_back(r.y), edges[1].push_back(r.y_end());
    };
    for (const auto &layer : model.layers)
      {
        add_rect(layer.footprint);
        for (const auto &r : layer.regions)
          add_rect(r.rect);
        for (const auto &b : layer.blocks)
          add_rect(b.rect);
        if (layer.is_powered())
          {
            fine_lo[0] = std::min(fine_lo[0], layer.footprint.x), fine_hi[0] = std::max(fine_hi[0], layer.footprint.x_end());
            fine_lo[1] = std::min(fine_lo[1], layer.footprint.y), fine_hi[1] = std::max(fine_hi[1], layer.footprint.y_end());
          }
      }
    for (unsigned int d = 0; d < 2; ++d)
      lines_[d] = make_grid_lines(edges[d], fine_lo[d], fine_hi[d], settings.die_cell_size_m,
                                  settings.package_cell_size_m, settings.merge_tolerance_m);

    // z: each layer split into equal cells no thicker than vertical_cell_size.
    lines_[2].push_back(0.0);
    for (unsigned int l = 0; l < model.layers.size(); ++l)
      {
        const auto &layer = model.layers[l];
        const int   least = layer.is_powered() ? std::max(settings.min_layer_cells, settings.min_powered_cells)
                                               : settings.min_layer_cells;
        const int   n     = std::max(least, int(std::ceil(layer.thickness_m / settings.vertical_cell_size_m - 1e-9)));
        for (int k = 1; k <= n; ++k)
          {
            lines_[2].push_back(layer.z_bottom_m + layer.thickness_m * double(k) / n);
            layer_of_z_cell_.push_back(l);
          }
      }
  }

  StackMeshInfo StackMeshBuilder::build(Triangulation<3> &tria) const
  {
    const std::size_t nx = lines_[0].size() - 1, ny = lines_[1].size() - 1, nz = lines_[2].size() - 1;
    StackMeshInfo     info;
    info.lines = {{lines_[0].size(), lines_[1].size(), lines_[2].size()}};

    // Paint each layer's plane: footprint, then regions, then blocks on top.
    std::map<std::tuple<int, int, int>, types::material_id> zone_ids;
    auto zone_id = [&](int layer, int region, int block, const std::string &material) {
      const auto key = std::make_tuple(layer, region, block);
      const auto it  = zone_ids.find(key);
      if (it != zone_ids.end())
        return it->second;
      const auto id = static_cast<types::material_id>(info.zones.size());
      info.zones.push_back(Zone{layer, region, block, material});
      zone_ids.emplace(key, id);
      return id;
    };
    auto cell_range = [&](const floorplans::Rect &r) {
      return std::array<std::size_t, 4>{{line_index(lines_[0], r.x), line_index(lines_[0], r.x_end()),
                                         line_index(lines_[1], r.y), line_index(lines_[1], r.y_end())}};
    };

    std::vector<std::vector<types::material_id>> plane_of_layer(model_.layers.size());
    int                                          first_block = 0;
    for (unsigned int l = 0; l < model_.layers.size(); ++l)
      {
        const auto &layer = model_.layers[l];
        auto       &plane = plane_of_layer[l];
        plane.assign(nx * ny, numbers::invalid_material_id);
        std::vector<int> region_of(nx * ny, -1);
        auto paint = [&](const floorplans::Rect &r, auto &&value_at) {
          const auto c = cell_range(r);
          for (std::size_t j = c[2]; j < c[3]; ++j)
            for (std::size_t i = c[0]; i < c[1]; ++i)
              plane[j * nx + i] = value_at(j * nx + i);
        };
        paint(layer.footprint, [&](std::size_t) { return zone_id(l, -1, -1, layer.material); });
        for (int r = 0; r < int(layer.regions.size()); ++r)
          {
            const auto c = cell_range(layer.regions[r].rect);
            for (std::size_t j = c[2]; j < c[3]; ++j)
              for (std::size_t i = c[0]; i < c[1]; ++i)
                region_of[j * nx + i] = r;
            paint(layer.regions[r].rect, [&](std::size_t) { return zone_id(l, r, -1, layer.regions[r].material); });
          }
        for (int b = 0; b < int(layer.blocks.size()); ++b)
          paint(layer.blocks[b].rect, [&](std::size_t ij) {
            const int r = region_of[ij];
            return zone_id(l, r, first_block + b, r >= 0 ? layer.regions[r].material : layer.material);
          });
        first_block += int(layer.blocks.size());
      }

    Table<3, types::material_id> material(nx, ny, nz);
    for (std::size_t k = 0; k < nz; ++k)
      {
        const auto &plane = plane_of_layer[layer_of_z_cell_[k]];
        for (std::size_t j = 0; j < ny; ++j)
          for (std::size_t i = 0; i < nx; ++i)
            {
              material[i][j][k] = plane[j * nx + i];
              if (plane[j * nx + i] != numbers::invalid_material_id)
                {
                  const double dx = lines_[0][i + 1] - lines_[0][i], dy = lines_[1][j + 1] - lines_[1][j],
                               dz = lines_[2][k + 1] - lines_[2][k];
                  const double lo = std::min({dx, dy, dz}), hi = std::max({dx, dy, dz});
                  info.max_aspect_ratio = std::max(info.max_aspect_ratio, hi / lo);
                  info.min_cell_m = info.coarse_cells == 0 ? lo : std::min(info.min_cell_m, lo);
                  ++info.coarse_cells;
                }
            }
      }

    std::vector<std::vector<double>> spacing(3);
    for (unsigned int d = 0; d < 3; ++d)
      for (std::size_t i = 0; i + 1 < lines_[d].size(); ++i)
        spacing[d].push_back(lines_[d][i + 1] - lines_[d][i]);
    GridGenerator::subdivided_hyper_rectangle(tria, spacing, Point<3>(lines_[0][0], lines_[1][0], 0.0), material);

    assign_boundary_ids(tria, 1e-6 * settings_.merge_tolerance_m);
    if (settings_.global_refinements > 0)
      tria.refine_global(settings_.global_refinements);
    return info;
  }
} // namespace chiptherm::mesh
