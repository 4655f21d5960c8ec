#include "extreme_search.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    std::array<double, 3> point_of(const TensorPoints &points, std::size_t q)
    {
      const std::size_t nx = points.coordinate[0].size(), ny = points.coordinate[1].size();
      return {{points.coordinate[0][q % nx], points.coordinate[1][(q / nx) % ny], points.coordinate[2][q / (nx * ny)]}};
    }

    /// Grids of `box` zoomed on `at`, halving the spacing `h` at every step;
    /// `best` and `at` follow the best sample (sign 1: largest, -1: smallest).
    void zoom_on(BoxSampler &sampler, const CellAccessor<3, 3> &cell, const RefBox &box, std::array<double, 3> h,
                 double sign, double &best, std::array<double, 3> &at, std::vector<TensorPoints> &grids)
    {
      std::vector<double> t;
      for (unsigned int step = 0; step < ExtremeSearch::steps; ++step)
        {
          RefBox sub;
          for (unsigned int d = 0; d < 3; ++d)
            sub.lo[d] = std::max(box.lo[d], at[d] - h[d]), sub.hi[d] = std::min(box.hi[d], at[d] + h[d]), h[d] /= 2;
          TensorPoints grid = equispaced_points(sub, ExtremeSearch::points_per_step);
          sampler.values(cell, grid, t);
          for (std::size_t q = 0; q < t.size(); ++q)
            if (sign * t[q] > sign * best)
              best = t[q], at = point_of(grid, q);
          grids.push_back(std::move(grid));
        }
    }
  } // namespace

  ExtremeSearch::ExtremeSearch(std::size_t n_groups)
    : n_groups_(n_groups)
  {}

  void ExtremeSearch::add(const CellAccessor<3, 3> &cell, unsigned int group, const RefBox &box,
                          const TensorPoints &points, const std::vector<double> &values)
  {
    if (values.empty())
      return;
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    Sampled s{cell.level(), cell.index(), group, box, *high, *low, 0.0,
              point_of(points, high - values.begin()), point_of(points, low - values.begin()), {}};
    const std::array<std::size_t, 3> n{{points.coordinate[0].size(), points.coordinate[1].size(),
                                        points.coordinate[2].size()}};
    const std::array<std::size_t, 3> stride{{1, n[0], n[0] * n[1]}};
    for (unsigned int d = 0; d < 3; ++d)
      {
        s.spacing[d] = (box.hi[d] - box.lo[d]) / (n[d] > 1 ? double(n[d] - 1) : 2.0);
        // The largest second difference along d: how far the field can rise
        // between two samples (a quadratic, by an eighth of it).
        // Samples with a neighbour on both sides along d: index i along d in
        // [1, n[d] - 2]; `outer` runs over the indices of the directions above
        // d, `inner` over those below it (no division per sample: the loop
        // was 2 % of the 1000-block floorplan's samples with one).
        double            curvature = 0;
        const std::size_t inner = stride[d], outer = values.size() / (stride[d] * n[d]);
        for (std::size_t o = 0; o < outer; ++o)
          for (std::size_t i = 1; i + 1 < n[d]; ++i)
            {
              const double *v = values.data() + (o * n[d] + i) * inner;
              for (std::size_t j = 0; j < inner; ++j)
                curvature = std::max(curvature, std::abs(v[j + inner] - 2 * v[j] + v[j - inner]));
            }
        s.margin += margin_share * curvature;
      }
    sampled_.push_back(s);
  }

  ExtremeZooms ExtremeSearch::zoom(BoxSampler &sampler, MPI_Comm comm) const
  {
    const double        big = std::numeric_limits<double>::max();
    std::vector<double> group_max(n_groups_, -big), group_min(n_groups_, big);
    for (const auto &s : sampled_)
      group_max[s.group] = std::max(group_max[s.group], s.t_max),
      group_min[s.group] = std::min(group_min[s.group], s.t_min);
    Utilities::MPI::max(group_max, comm, group_max);
    Utilities::MPI::min(group_min, comm, group_min);

    const auto              &tria = sampler.field().dofs->get_triangulation();
    // A trilinear function has its extremes at a box's corners, which are samples.
    const bool               search = sampler.field().dofs->get_fe().degree > 1;
    ExtremeZooms             found{{}, group_max, group_min};
    for (const auto &s : sampled_)
      {
        const bool for_max = s.t_max + s.margin >= group_max[s.group];
        const bool for_min = s.t_min - s.margin <= group_min[s.group];
        if (!for_max && !for_min)
          continue;
        const CellAccessor<3, 3> cell(&tria, s.level, s.index);
        ExtremeZoom              z{s.level, s.index, s.group, {}, s.t_max, s.t_min, s.at_max, s.at_min};
        if (for_max && search)
          zoom_on(sampler, cell, s.box, s.spacing, 1.0, z.t_max, z.at_max, z.grids);
        if (for_min && search)
          zoom_on(sampler, cell, s.box, s.spacing, -1.0, z.t_min, z.at_min, z.grids);
        found.boxes.push_back(std::move(z));
      }
    return found;
  }
} // namespace chiptherm::solver
