#include "error_bounds.h"

#include "block_statistics.h"
#include "extreme_search.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <cmath>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// The lower field's cell that is `cell` of the higher field's DoFs.
    typename DoFHandler<3>::active_cell_iterator same_cell(const typename DoFHandler<3>::active_cell_iterator &cell,
                                                           const DoFHandler<3>                                &dofs)
    {
      return typename DoFHandler<3>::active_cell_iterator(&cell->get_triangulation(), cell->level(), cell->index(),
                                                          &dofs);
    }
  } // namespace

  namespace
  {
    /// Per block: the reported field's temperature at the nodes that can
    /// decide its extremes' bounds, and |a - b| there.
    struct BlockNodes
    {
      std::vector<std::pair<double, double>> t_and_difference;
      double                                 integral = 0, absolute = 0, volume = 0;
    };

    /// The difference where an extreme can lie (max when sign = 1, min when
    /// -1): the true extreme lies where the reported field is within 2 E of
    /// its own extreme (E a bound of |e| there), so only the nodes of that
    /// level set count; shrinking E shrinks the set, until it stops shrinking.
    std::vector<double> at_extremes(const std::vector<BlockNodes> &blocks, double sign, MPI_Comm comm)
    {
      const std::size_t   n = blocks.size();
      std::vector<double> extreme(n, -1e300), bound(n, 0.0);
      for (std::size_t b = 0; b < n; ++b)
        for (const auto &[t, e] : blocks[b].t_and_difference)
          extreme[b] = std::max(extreme[b], sign * t), bound[b] = std::max(bound[b], e);
      Utilities::MPI::max(extreme, comm, extreme);
      Utilities::MPI::max(bound, comm, bound);
      // The bound never grows from one pass to the next, so neither does the
      // level set: each pass keeps the nodes of its set and the next scans only
      // those (20 scans of every node were 4 % of the 1000-block sign-off).
      std::vector<std::vector<std::pair<double, double>>> in_set(n);
      for (unsigned int it = 0; it < 20; ++it)
        {
          std::vector<double> next(n, 0.0);
          for (std::size_t b = 0; b < n; ++b)
            {
              const auto &nodes = it == 0 ? blocks[b].t_and_difference : in_set[b];
              std::vector<std::pair<double, double>> kept;
              for (const auto &[t, e] : nodes)
                if (sign * t >= extreme[b] - 2 * bound[b])
                  next[b] = std::max(next[b], e), kept.emplace_back(t, e);
              in_set[b] = std::move(kept);
            }
          Utilities::MPI::max(next, comm, next);
          if (next == bound)
            break;
          bound = next;
        }
      return bound;
    }
  } // namespace

  namespace
  {
    /// The maximum's candidates among samples (sign 1; the minimum's with -1),
    /// appended in order of sign T descending: the samples whose |e| beats every
    /// one's before them in that order. Samples that the largest |e| or the
    /// extreme T matches or beats in both are dropped first, in one pass (the
    /// order sort of a cell's 343 samples was 5 % of the 1000-block floorplan's
    /// cycle 1): the sweep would pass over them, so `out` gets the same
    /// samples in the same order.
    void append_front(const std::vector<std::pair<double, double>> &samples, double sign,
                      std::vector<std::pair<double, double>> &kept, std::vector<std::pair<double, double>> &out)
    {
      // Before in the sweep's order: sign T larger, or equal with |e| larger.
      const auto before = [sign](const auto &x, const auto &y) {
        return sign * x.first > sign * y.first || (x.first == y.first && x.second > y.second);
      };
      std::pair<double, double> largest_e = samples.front(), extreme = samples.front();
      for (const auto &s : samples)
        {
          if (s.second > largest_e.second || (s.second == largest_e.second && sign * s.first > sign * largest_e.first))
            largest_e = s;
          if (before(s, extreme))
            extreme = s;
        }
      const auto covered = [sign](const auto &s, const auto &by) {
        return sign * s.first <= sign * by.first && s.second <= by.second;
      };
      kept.clear();
      for (const auto &s : samples)
        if (!covered(s, largest_e) && !covered(s, extreme))
          kept.push_back(s);
      kept.push_back(largest_e), kept.push_back(extreme);
      std::sort(kept.begin(), kept.end(), before);
      double largest = -1;
      for (const auto &s : kept)
        if (s.second > largest)
          out.push_back(s), largest = s.second;
    }
  } // namespace

  void append_extreme_candidates(std::vector<std::pair<double, double>> &samples,
                                 std::vector<std::pair<double, double>> &out)
  {
    if (samples.empty())
      return;
    static thread_local std::vector<std::pair<double, double>> kept;
    append_front(samples, 1.0, kept, out);
    append_front(samples, -1.0, kept, out);
  }

  std::vector<BlockDifference> block_differences(const TemperatureField &reported, const TemperatureField &a,
                                                 const TemperatureField &b_field, const BlockPiecesOf &pieces_of,
                                                 std::size_t n_blocks)
  {
    const unsigned int  degree = reported.dofs->get_fe().degree;
    BoxSampler          r(reported), sa(a), sb(b_field);
    std::vector<double> tr, ta, tb;
    std::vector<BlockNodes> blocks(n_blocks);
    ExtremeSearch           search(n_blocks);
    std::vector<std::pair<double, double>> samples; // one piece's
    // The bounds' call passes the reported field as `a` too: its values once.
    const bool reported_is_a = reported.dofs == a.dofs && reported.temperature == a.temperature;
    const auto add_samples   = [&](const CellAccessor<3, 3> &cell, const TensorPoints &points, BlockNodes &block) {
      r.values(cell, points, tr), sb.values(cell, points, tb);
      if (reported_is_a)
        ta = tr;
      else
        sa.values(cell, points, ta);
      samples.clear();
      for (std::size_t i = 0; i < tr.size(); ++i)
        samples.emplace_back(tr[i], std::abs(ta[i] - tb[i]));
      append_extreme_candidates(samples, block.t_and_difference);
    };
    for (const auto &cell : reported.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto &piece : pieces_of(*cell))
          {
            auto              &block = blocks[piece.block];
            const TensorPoints nodes = extreme_sample_points(piece.box, degree);
            add_samples(*cell, nodes, block);
            search.add(*cell, piece.block, piece.box, nodes, tr);
            const TensorPoints gauss = gauss_points(piece.box, degree + 1);
            sa.values(*cell, gauss, ta), sb.values(*cell, gauss, tb);
            const double volume = cell->measure();
            for (std::size_t q = 0; q < ta.size(); ++q)
              {
                const double w = gauss.weight_of(q) * volume;
                block.integral += (ta[q] - tb[q]) * w;
                block.absolute += std::abs(ta[q] - tb[q]) * w;
                block.volume += w;
              }
          }
    const MPI_Comm comm = reported.communicator();
    // Between the samples: the points the search found for the reported
    // field's extremes, where compute_block_results takes its t_max and t_min.
    const auto &tria = reported.dofs->get_triangulation();
    const auto          found = search.zoom(r, comm);
    std::vector<double> found_max(found.sampled_max), found_min(found.sampled_min);
    for (const auto &z : found.boxes)
      {
        found_max[z.group] = std::max(found_max[z.group], z.t_max);
        found_min[z.group] = std::min(found_min[z.group], z.t_min);
        const CellAccessor<3, 3> cell(&tria, z.level, z.index);
        for (const auto &at : {z.at_max, z.at_min})
          {
            TensorPoints point;
            for (unsigned int d = 0; d < 3; ++d)
              point.coordinate[d] = {at[d]}, point.weight[d] = {1.0};
            add_samples(cell, point, blocks[z.group]);
          }
      }
    std::vector<double> integral(n_blocks), absolute(n_blocks), volume(n_blocks);
    for (std::size_t b = 0; b < n_blocks; ++b)
      integral[b] = blocks[b].integral, absolute[b] = blocks[b].absolute, volume[b] = blocks[b].volume;
    Utilities::MPI::sum(integral, comm, integral);
    Utilities::MPI::sum(absolute, comm, absolute);
    Utilities::MPI::sum(volume, comm, volume);
    const auto at_max = at_extremes(blocks, 1.0, comm), at_min = at_extremes(blocks, -1.0, comm);
    std::vector<double> max_abs(n_blocks, 0.0);
    for (std::size_t b = 0; b < n_blocks; ++b)
      for (const auto &[t, e] : blocks[b].t_and_difference)
        max_abs[b] = std::max(max_abs[b], e);
    Utilities::MPI::max(max_abs, comm, max_abs);
    Utilities::MPI::max(found_max, comm, found_max);
    Utilities::MPI::min(found_min, comm, found_min);
    std::vector<BlockDifference> d(n_blocks);
    for (std::size_t b = 0; b < n_blocks; ++b)
      if (volume[b] > 0)
        d[b] = {at_max[b],     integral[b] / volume[b], at_min[b], absolute[b] / volume[b], max_abs[b],
                found_max[b] - found.sampled_max[b], found.sampled_min[b] - found_min[b]};
    return d;
  }

  std::vector<BlockErrorBound> block_error_bounds(const std::vector<BlockDifference> &to_lower)
  {
    double largest = 0;
    for (const auto &d : to_lower)
      largest = std::max({largest, d.t_max_k, std::abs(d.t_avg_k)});
    const double                 floor = pollution_share * largest;
    std::vector<BlockErrorBound> bounds;
    for (const auto &d : to_lower)
      bounds.push_back({extreme_saturation_factor * d.t_max_k + floor + d.t_max_search_k,
                        saturation_factor * std::abs(d.t_avg_k) + floor,
                        extreme_saturation_factor * d.t_min_k + floor + d.t_min_search_k});
    return bounds;
  }

  Vector<float> cellwise_difference_energy(const TemperatureField &higher, const TemperatureField &lower,
                                           const std::function<SymmetricTensor<2, 3>(types::material_id)> &conductivity)
  {
    const auto               &fe_high = higher.dofs->get_fe();
    const QGauss<3>           gauss(fe_high.degree + 1);
    FEValues<3>               high(*higher.mapping, fe_high, gauss, update_gradients | update_JxW_values);
    FEValues<3>               low(*lower.mapping, lower.dofs->get_fe(), gauss, update_gradients);
    std::vector<Tensor<1, 3>> gh(gauss.size()), gl(gauss.size());
    Vector<float>             energy(higher.dofs->get_triangulation().n_active_cells());
    for (const auto &cell : higher.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          high.reinit(cell), low.reinit(same_cell(cell, *lower.dofs));
          high.get_function_gradients(*higher.temperature, gh);
          low.get_function_gradients(*lower.temperature, gl);
          const auto K = conductivity(cell->material_id());
          double     e = 0;
          for (const unsigned int q : high.quadrature_point_indices())
            {
              const Tensor<1, 3> d = gh[q] - gl[q];
              e += d * (K * d) * high.JxW(q);
            }
          energy[cell->active_cell_index()] = static_cast<float>(e);
        }
    return energy;
  }
} // namespace chiptherm::solver
