#include "power_map_sources.h"

#include <deal.II/grid/tria_accessor.h>

#include <algorithm>
#include <cmath>

namespace chiptherm::solver
{
  using namespace dealii;

  PowerMapSources::PowerMapSources(const floorplans::ChipModel &model, const mesh::ZoneTable &zones)
    : maps_of_layer_(model.layers.size())
  {
    for (const auto &zone : zones)
      layer_of_zone_.push_back(zone.layer);
    for (std::size_t l = 0; l < model.layers.size(); ++l)
      {
        thickness_m_.push_back(model.layers[l].thickness_m);
        for (const auto &map : model.layers[l].power_maps)
          maps_of_layer_[l].push_back(maps_.size()), maps_.push_back(&map), ++n_maps_;
      }
  }

  std::vector<int> PowerMapSources::frames_at(const double t, const bool before) const
  {
    std::vector<int> frames;
    for (const auto *map : maps_)
      frames.push_back(map->frame_at(t, before));
    return frames;
  }

  double PowerMapSources::total_w(const std::vector<int> &frames) const
  {
    double total = 0;
    for (std::size_t m = 0; m < maps_.size(); ++m)
      {
        const int f = m < frames.size() ? frames[m] : -1;
        total += f < 0 ? maps_[m]->total_w : maps_[m]->frame_total_w[f];
      }
    return total;
  }

  double PowerMapSources::jump_w_m2(const double t, const bool switched_on) const
  {
    double jump = 0;
    for (const auto *map : maps_)
      {
        const int a = map->frame_at(t, true), b = map->frame_at(t, false);
        if (a == b && !switched_on)
          continue;
        const auto  &after      = map->pixels(b);
        const auto  &before     = map->pixels(a);
        const double pixel_area = map->extent.width / double(map->nx) * map->extent.height / double(map->ny);
        for (std::size_t k = 0; k < after.size(); ++k)
          jump = std::max(jump, std::abs(after[k] - (switched_on ? 0.0 : before[k])) / pixel_area);
      }
    return jump;
  }

  void PowerMapSources::breakpoints(const double end, std::vector<double> &out) const
  {
    for (const auto *map : maps_)
      for (const double t : map->times_s)
        if (t > 0 && t < end)
          out.push_back(t);
  }

  void PowerMapSources::add(const CellRef<3> &cell, std::vector<BoxSource<3>> &out,
                            const std::vector<int> &frames) const
  {
    if (n_maps_ == 0 || cell.material_id() >= layer_of_zone_.size())
      return;
    const int layer = layer_of_zone_[cell.material_id()];
    if (layer < 0 || maps_of_layer_[layer].empty())
      return;
    const auto   box = cell.bounding_box();
    const double x0 = box.lower_bound(0), x1 = box.upper_bound(0), y0 = box.lower_bound(1), y1 = box.upper_bound(1);
    for (const std::size_t m : maps_of_layer_[layer])
      {
        const auto  *map    = maps_[m];
        const auto  &pixels = map->pixels(m < frames.size() ? frames[m] : -1);
        const auto  &e      = map->extent;
        const double pw = e.width / double(map->nx), ph = e.height / double(map->ny);
        // Pixels whose interior overlaps the cell's.
        const long i0 = std::max(0L, long(std::floor((x0 - e.x) / pw))),
                   i1 = std::min(long(map->nx) - 1, long(std::ceil((x1 - e.x) / pw)) - 1);
        const long j0 = std::max(0L, long(std::floor((y0 - e.y) / ph))),
                   j1 = std::min(long(map->ny) - 1, long(std::ceil((y1 - e.y) / ph)) - 1);
        const double volume = pw * ph * thickness_m_[layer];
        for (long j = j0; j <= j1; ++j)
          {
            const double ylo = std::max(y0, e.y + j * ph), yhi = std::min(y1, e.y + (j + 1) * ph);
            if (!(yhi > ylo))
              continue;
            for (long i = i0; i <= i1; ++i)
              {
                const double p = pixels[std::size_t(j) * map->nx + std::size_t(i)];
                const double xlo = std::max(x0, e.x + i * pw), xhi = std::min(x1, e.x + (i + 1) * pw);
                if (p == 0 || !(xhi > xlo))
                  continue;
                out.push_back({{{(xlo - x0) / (x1 - x0), (ylo - y0) / (y1 - y0), 0.0}},
                               {{(xhi - x0) / (x1 - x0), (yhi - y0) / (y1 - y0), 1.0}},
                               p / volume});
              }
          }
      }
  }

  double PowerMapSources::mean_density_w_m3(const CellRef<3> &cell, const std::vector<int> &frames) const
  {
    std::vector<BoxSource<3>> boxes;
    add(cell, boxes, frames);
    double q = 0;
    for (const auto &b : boxes)
      q += b.density_w_m3 * (b.hi[0] - b.lo[0]) * (b.hi[1] - b.lo[1]) * (b.hi[2] - b.lo[2]);
    return q;
  }
} // namespace chiptherm::solver
