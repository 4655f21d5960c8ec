#include "stack_mesh_builder.h"

#include "common/errors.h"

#include <deal.II/base/table.h>
#include <deal.II/grid/grid_generator.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace chiptherm::mesh
{
  using namespace dealii;

  namespace
  {
    /// More lines than this along one axis cannot make a mesh that fits in memory.
    constexpr std::size_t max_grid_lines = 1'000'000;
  } // namespace

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
        const double cells    = std::max(1.0, std::ceil((b - a) / size - 1e-9));
        // Decided before allocating: a footprint of kilometres is an input error, not a mesh.
        if (double(lines.size()) + cells > double(max_grid_lines))
          throw InputError("the stack spans " + std::to_string(merged.back() - merged.front()) +
                           " m along one axis: cells of mesh.die_cell_size / mesh.package_cell_size would take more "
                           "than " + std::to_string(max_grid_lines) +
                           " grid lines; check the footprints' units (m) or raise the cell sizes");
        const auto   n        = static_cast<std::size_t>(cells);
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
        if (layer.is_powered())
          {
            fine_lo[0] = std::min(fine_lo[0], layer.footprint.x), fine_hi[0] = std::max(fine_hi[0], layer.footprint.x_end());
            fine_lo[1] = std::min(fine_lo[1], layer.footprint.y), fine_hi[1] = std::max(fine_hi[1], layer.footprint.y_end());
          }
      }
    // Block edges: the densest blocks' first (mesh.block_edges), as many as keep the coarse mesh small.
    std::vector<const floorplans::Block *> blocks = model.all_blocks();
    std::stable_sort(blocks.begin(), blocks.end(), [](const auto *a, const auto *b) {
      return a->power_w / a->area_m2() > b->power_w / b->area_m2();
    });
    // A block edge closer than a quarter of the die's cell size to a line already
    // there is left out: it would only make a sliver (its power goes in by overlap).
    const double min_gap    = settings.block_edges == MeshSettings::BlockEdges::all ? settings.merge_tolerance_m
                                                                                    : settings.die_cell_size_m / 16;
    auto         lines_with = [&](std::size_t n_blocks) {
      auto with = edges;
      for (unsigned int d = 0; d < 2; ++d)
        {
          std::set<double> kept(edges[d].begin(), edges[d].end());
          auto             keep = [&](double e) {
            const auto above = kept.lower_bound(e);
            if ((above != kept.end() && *above - e < min_gap) || (above != kept.begin() && e - *std::prev(above) < min_gap))
              return;
            kept.insert(e);
            with[d].push_back(e);
          };
          for (std::size_t b = 0; b < n_blocks; ++b)
            {
              for (const auto &r : blocks[b]->rects)
                keep(d == 0 ? r.x : r.y), keep(d == 0 ? r.x_end() : r.y_end());
            }
        }
      for (unsigned int d = 0; d < 2; ++d)
        lines_[d] = make_grid_lines(with[d], fine_lo[d], fine_hi[d], settings.die_cell_size_m,
                                    settings.package_cell_size_m, settings.merge_tolerance_m);
    };
    make_z_lines();
    std::size_t with_edges = settings.block_edges == MeshSettings::BlockEdges::all ? blocks.size() : 0;
    if (settings.block_edges == MeshSettings::BlockEdges::automatic)
      {
        lines_with(0);
        const std::size_t limit = std::max<std::size_t>(4 * count_coarse_cells(), 10'000);
        // The coarse mesh grows with every block added: the most that fit, by bisection.
        std::size_t fit = 0, too_many = blocks.size() + 1;
        while (too_many - fit > 1)
          {
            const std::size_t mid = (fit + too_many) / 2;
            lines_with(mid);
            (count_coarse_cells() <= limit ? fit : too_many) = mid;
          }
        with_edges = fit;
      }
    lines_with(with_edges);
    blocks_on_lines_ = with_edges;
  }

  void StackMeshBuilder::make_z_lines()
  {
    // z: within the powered layers' span each layer is split into equal
    // cells no thicker than vertical_cell_size. A layer outside it (spreader,
    // sink, substrate) gets cells that grow away from the span, each by half
    // its distance from the layer's face nearest the span, up to
    // package_cell_size, as cells grow in the plane away from the die: a thick
    // heat sink needs fine cells only where the heat enters it.
    double powered_lo = std::numeric_limits<double>::max(), powered_hi = -powered_lo;
    for (const auto &layer : model_.layers)
      if (layer.is_powered())
        powered_lo = std::min(powered_lo, layer.z_bottom_m),
        powered_hi = std::max(powered_hi, layer.z_bottom_m + layer.thickness_m);
    const double v = settings_.vertical_cell_size_m, cap = std::max(settings_.package_cell_size_m, v);
    lines_[2].push_back(0.0);
    for (unsigned int l = 0; l < model_.layers.size(); ++l)
      {
        const auto  &layer  = model_.layers[l];
        const double bottom = layer.z_bottom_m, top = bottom + layer.thickness_m;
        const int    least  = layer.is_powered() ? std::max(settings_.min_layer_cells, settings_.min_powered_cells)
                                                 : settings_.min_layer_cells;
        const bool   above = powered_lo <= powered_hi && bottom >= powered_hi - 1e-12;
        const bool   below = powered_lo <= powered_hi && top <= powered_lo + 1e-12;
        // Cell thicknesses from the face nearest the powered span outwards.
        // Graded only when the cell nearest the span stays no thicker than
        // equal cells would be: a layer just over vertical_cell_size thick
        // (3 equal cells -> 2 graded) would otherwise get a coarser first cell
        // where its heat enters.
        const std::size_t   n_equal = std::size_t(std::ceil(layer.thickness_m / v - 1e-9));
        std::vector<double> sizes;
        if (above || below)
          {
            double sum = 0;
            for (double d = 0; d < layer.thickness_m * (1 - 1e-9);)
              sizes.push_back(std::min(cap, v + 0.5 * d)), d += sizes.back(), sum += sizes.back();
            if (sizes.front() * layer.thickness_m / sum > layer.thickness_m / double(n_equal) * (1 + 1e-9))
              sizes.assign(n_equal, v);
          }
        else
          sizes.assign(n_equal, v);
        // At least `least` cells; the sizes scaled (down) to fill the layer exactly.
        while (sizes.size() < std::size_t(least))
          sizes.push_back(sizes.empty() ? v : sizes.back());
        double sum = 0;
        for (const double x : sizes)
          sum += x;
        if (below)
          std::reverse(sizes.begin(), sizes.end());
        double z = bottom;
        for (std::size_t k = 0; k < sizes.size(); ++k)
          {
            z = k + 1 == sizes.size() ? top : z + sizes[k] * layer.thickness_m / sum;
            lines_[2].push_back(z);
            layer_of_z_cell_.push_back(l);
          }
      }
  }

  std::array<std::size_t, 4> StackMeshBuilder::cells_of(const floorplans::Rect &r) const
  {
    return {{line_index(lines_[0], r.x), line_index(lines_[0], r.x_end()), line_index(lines_[1], r.y),
             line_index(lines_[1], r.y_end())}};
  }

  std::size_t StackMeshBuilder::count_coarse_cells() const
  {
    std::size_t n = 0;
    for (std::size_t k = 0; k < layer_of_z_cell_.size(); ++k)
      {
        const auto c = cells_of(model_.layers[layer_of_z_cell_[k]].footprint);
        n += (c[1] - c[0]) * (c[3] - c[2]);
      }
    return n;
  }

  void StackMeshBuilder::for_each_coarse_cell(const std::function<bool(const Box3 &)> &visit) const
  {
    for (std::size_t k = 0; k < layer_of_z_cell_.size(); ++k)
      {
        const auto c = cells_of(model_.layers[layer_of_z_cell_[k]].footprint);
        for (std::size_t j = c[2]; j < c[3]; ++j)
          for (std::size_t i = c[0]; i < c[1]; ++i)
            if (!visit(Box3{{{lines_[0][i], lines_[1][j], lines_[2][k]}},
                            {{lines_[0][i + 1], lines_[1][j + 1], lines_[2][k + 1]}}}))
              return;
      }
  }

  StackMeshInfo StackMeshBuilder::build(Triangulation<3> &tria) const
  {
    const std::size_t nx = lines_[0].size() - 1, ny = lines_[1].size() - 1, nz = lines_[2].size() - 1;
    StackMeshInfo     info;
    info.lines = {{lines_[0].size(), lines_[1].size(), lines_[2].size()}};
    info.blocks_on_lines = blocks_on_lines_;

    // Paint each layer's plane: footprint, then regions on top.
    std::map<std::pair<int, int>, types::material_id> zone_ids;
    auto zone_id = [&](int layer, int region, const std::string &material) {
      const auto key = std::make_pair(layer, region);
      const auto it  = zone_ids.find(key);
      if (it != zone_ids.end())
        return it->second;
      const auto id = static_cast<types::material_id>(info.zones.size());
      info.zones.push_back(Zone{layer, region, material});
      zone_ids.emplace(key, id);
      return id;
    };
    auto cell_range = [&](const floorplans::Rect &r) { return cells_of(r); };

    std::vector<std::vector<types::material_id>> plane_of_layer(model_.layers.size());
    for (unsigned int l = 0; l < model_.layers.size(); ++l)
      {
        const auto &layer = model_.layers[l];
        auto       &plane = plane_of_layer[l];
        plane.assign(nx * ny, numbers::invalid_material_id);
        auto paint = [&](const floorplans::Rect &r, auto &&value_at) {
          const auto c = cell_range(r);
          for (std::size_t j = c[2]; j < c[3]; ++j)
            for (std::size_t i = c[0]; i < c[1]; ++i)
              plane[j * nx + i] = value_at(j * nx + i);
        };
        paint(layer.footprint, [&](std::size_t) { return zone_id(l, -1, layer.material); });
        for (int r = 0; r < int(layer.regions.size()); ++r)
          paint(layer.regions[r].rect, [&](std::size_t) { return zone_id(l, r, layer.regions[r].material); });
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
