#include "box_index.h"

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

  Box3 Box3::intersection(const Box3 &o) const
  {
    Box3 r;
    for (unsigned int d = 0; d < 3; ++d)
      {
        r.lo[d] = std::max(lo[d], o.lo[d]);
        r.hi[d] = std::max(r.lo[d], std::min(hi[d], o.hi[d]));
      }
    return r;
  }

  BoxIndex::BoxIndex(std::vector<Box3> boxes)
    : boxes_(std::move(boxes))
  {
    if (boxes_.empty())
      return;
    std::array<double, 2> lo{{1e300, 1e300}}, hi{{-1e300, -1e300}};
    for (const auto &b : boxes_)
      for (unsigned int d = 0; d < 2; ++d)
        lo[d] = std::min(lo[d], b.lo[d]), hi[d] = std::max(hi[d], b.hi[d]);
    const std::size_t per_axis = std::clamp<std::size_t>(std::size_t(std::sqrt(double(boxes_.size()))) + 1, 1, 512);
    for (unsigned int d = 0; d < 2; ++d)
      {
        bins_[d]   = per_axis;
        origin_[d] = lo[d];
        pitch_[d]  = std::max(hi[d] - lo[d], 1e-12) / double(per_axis);
      }
    bin_boxes_.resize(bins_[0] * bins_[1]);
    for (unsigned int k = 0; k < boxes_.size(); ++k)
      for (std::size_t j = bin_of(boxes_[k].lo[1], 1); j <= bin_of(boxes_[k].hi[1], 1); ++j)
        for (std::size_t i = bin_of(boxes_[k].lo[0], 0); i <= bin_of(boxes_[k].hi[0], 0); ++i)
          bin_boxes_[j * bins_[0] + i].push_back(k);
  }

  std::size_t BoxIndex::bin_of(double v, unsigned int d) const
  {
    return std::size_t(std::clamp((v - origin_[d]) / pitch_[d], 0.0, double(bins_[d] - 1)));
  }

  void BoxIndex::overlapping(const Box3 &cell, std::vector<unsigned int> &out) const
  {
    out.clear();
    if (boxes_.empty() || cell.hi[0] < origin_[0] || cell.hi[1] < origin_[1] ||
        cell.lo[0] > origin_[0] + double(bins_[0]) * pitch_[0] || cell.lo[1] > origin_[1] + double(bins_[1]) * pitch_[1])
      return;
    const std::size_t i0 = bin_of(cell.lo[0], 0), i1 = bin_of(cell.hi[0], 0);
    const std::size_t j0 = bin_of(cell.lo[1], 1), j1 = bin_of(cell.hi[1], 1);
    for (std::size_t j = j0; j <= j1; ++j)
      for (std::size_t i = i0; i <= i1; ++i)
        for (const unsigned int k : bin_boxes_[j * bins_[0] + i])
          if (boxes_[k].overlaps(cell))
            out.push_back(k);
    // A box spanning several of the bins the cell touches is listed once.
    if (i0 != i1 || j0 != j1)
      {
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
      }
  }
} // namespace chiptherm::mesh
