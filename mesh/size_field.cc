#include "size_field.h"

#include <algorithm>
#include <cmath>

namespace chiptherm::mesh
{
  bool Box3::overlaps(const Box3 &o) const
  {
    for (unsigned int d = 0; d < 3; ++d)
      {
        // A relative tolerance keeps faces that only touch (up to rounding) apart.
        const double tol = 1e-9 * std::max({std::abs(hi[d]), std::abs(o.hi[d]), hi[d] - lo[d]});
        if (!(lo[d] + tol < o.hi[d] && o.lo[d] + tol < hi[d]))
          return false;
      }
    return true;
  }

  SizeField::SizeField(const floorplans::ChipModel &model, const MeshPolicy &policy, std::vector<RefinementMap> maps)
    : maps_(std::move(maps))
  {
    std::size_t b = 0;
    for (const auto &layer : model.layers)
      for (const auto &block : layer.blocks)
        {
          const CellSizeRule &rule = policy.per_block[b++];
          const double        h    = rule.halo_m;
          if (!std::isfinite(rule.size_for(block.rect)))
            continue;
          requests_.push_back({Box3{{{block.rect.x - h, block.rect.y - h, layer.z_bottom_m - h}},
                                    {{block.rect.x_end() + h, block.rect.y_end() + h, layer.z_top_m() + h}}},
                               rule.size_for(block.rect)});
        }
    for (const auto &map : maps_)
      map_z_.push_back({{model.layers[map.layer].z_bottom_m, model.layers[map.layer].z_top_m()}});

    if (requests_.empty())
      return;
    std::array<double, 2> lo{{1e300, 1e300}}, hi{{-1e300, -1e300}};
    for (const auto &r : requests_)
      for (unsigned int d = 0; d < 2; ++d)
        lo[d] = std::min(lo[d], r.where.lo[d]), hi[d] = std::max(hi[d], r.where.hi[d]);
    // About one bin per request, at most 256 per axis.
    const std::size_t per_axis = std::clamp<std::size_t>(std::size_t(std::sqrt(double(requests_.size()))) + 1, 1, 256);
    for (unsigned int d = 0; d < 2; ++d)
      {
        bins_[d]       = per_axis;
        bin_origin_[d] = lo[d];
        bin_pitch_[d]  = std::max(hi[d] - lo[d], 1e-12) / double(per_axis);
      }
    bin_requests_.resize(bins_[0] * bins_[1]);
    for (unsigned int k = 0; k < requests_.size(); ++k)
      {
        const auto &w = requests_[k].where;
        for (std::size_t j = bin_of(w.lo[1], 1); j <= bin_of(w.hi[1], 1); ++j)
          for (std::size_t i = bin_of(w.lo[0], 0); i <= bin_of(w.hi[0], 0); ++i)
            bin_requests_[j * bins_[0] + i].push_back(k);
      }
  }

  std::size_t SizeField::bin_of(double v, unsigned int d) const
  {
    return std::size_t(std::clamp((v - bin_origin_[d]) / bin_pitch_[d], 0.0, double(bins_[d] - 1)));
  }

  double SizeField::target_size(const Box3 &cell) const
  {
    double smallest = 0;
    auto   take     = [&](double s) {
      if (s > 0 && (smallest == 0 || s < smallest))
        smallest = s;
    };
    if (!requests_.empty())
      {
        const bool outside = cell.hi[0] < bin_origin_[0] || cell.hi[1] < bin_origin_[1] ||
                             cell.lo[0] > bin_origin_[0] + bins_[0] * bin_pitch_[0] ||
                             cell.lo[1] > bin_origin_[1] + bins_[1] * bin_pitch_[1];
        if (!outside)
          for (std::size_t j = bin_of(cell.lo[1], 1); j <= bin_of(cell.hi[1], 1); ++j)
            for (std::size_t i = bin_of(cell.lo[0], 0); i <= bin_of(cell.hi[0], 0); ++i)
              for (const unsigned int k : bin_requests_[j * bins_[0] + i])
                if (requests_[k].where.overlaps(cell))
                  take(requests_[k].size);
      }
    for (std::size_t m = 0; m < maps_.size(); ++m)
      {
        const double tol = 1e-9 * map_z_[m][1];
        if (cell.lo[2] + tol < map_z_[m][1] && map_z_[m][0] + tol < cell.hi[2])
          take(maps_[m].smallest_over({cell.lo[0], cell.lo[1], cell.hi[0] - cell.lo[0], cell.hi[1] - cell.lo[1]}));
      }
    return smallest;
  }
} // namespace chiptherm::mesh
