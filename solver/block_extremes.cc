#include "block_extremes.h"

#include "block_statistics.h"

#include <deal.II/base/mpi.h>
#include <deal.II/lac/vector.h>

#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  BlockExtremes::BlockExtremes(const DoFHandler<3> &dofs, const BlockPiecesOf &pieces_of, std::size_t n_blocks)
    : n_blocks_(n_blocks)
    , comm_(dofs.get_triangulation().get_communicator())
  {
    const unsigned int degree = dofs.get_fe().degree, n = dofs.get_fe().n_dofs_per_cell();
    const TensorBoxRule rule(degree);
    Vector<double>      unit(n);
    std::vector<std::vector<double>> weights(n); // weights[i][q]: shape function i at sample q
    std::vector<types::global_dof_index> indices(n);
    std::vector<double>                  in_mean; // shape function i's share of the block's integral
    volume_.assign(n_blocks, 0.0);
    sample_start_.push_back(0);
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto pieces = pieces_of(*cell);
          if (pieces.size() == 0)
            continue;
          cell->get_dof_indices(indices);
          for (const auto &piece : pieces)
            {
              const TensorPoints points = extreme_sample_points(piece.box, degree);
              for (unsigned int i = 0; i < n; ++i)
                {
                  unit    = 0;
                  unit(i) = 1;
                  rule.values(points, unit, weights[i]);
                }
              for (std::size_t q = 0; q < points.size(); ++q)
                {
                  for (unsigned int i = 0; i < n; ++i)
                    if (weights[i][q] != 0)
                      dof_.push_back(indices[i]), weight_.push_back(weights[i][q]);
                  block_of_sample_.push_back(piece.block);
                  sample_start_.push_back(dof_.size());
                }
              // The mean: Gauss points of the box, as compute_block_results integrates.
              const TensorPoints gauss       = gauss_points(piece.box, degree + 1);
              const double       cell_volume = cell->measure();
              for (unsigned int i = 0; i < n; ++i)
                {
                  unit    = 0;
                  unit(i) = 1;
                  rule.values(gauss, unit, in_mean);
                  double w = 0;
                  for (std::size_t q = 0; q < gauss.size(); ++q)
                    w += in_mean[q] * gauss.weight_of(q) * cell_volume;
                  if (w != 0)
                    mean_block_.push_back(piece.block), mean_dof_.push_back(indices[i]), mean_weight_.push_back(w);
                }
              volume_[piece.block] += piece.box.volume() * cell_volume;
            }
        }
    Utilities::MPI::sum(volume_, comm_, volume_);
  }

  void BlockExtremes::evaluate(const LinearAlgebra::distributed::Vector<double> &temperature,
                               std::vector<double> &t_max, std::vector<double> &t_min) const
  {
    const double big = std::numeric_limits<double>::max();
    t_max.assign(n_blocks_, -big);
    t_min.assign(n_blocks_, big);
    for (std::size_t s = 0; s < block_of_sample_.size(); ++s)
      {
        double v = 0;
        for (std::size_t e = sample_start_[s]; e < sample_start_[s + 1]; ++e)
          v += weight_[e] * temperature(dof_[e]);
        const unsigned int b = block_of_sample_[s];
        t_max[b] = std::max(t_max[b], v), t_min[b] = std::min(t_min[b], v);
      }
    Utilities::MPI::max(t_max, comm_, t_max);
    Utilities::MPI::min(t_min, comm_, t_min);
  }

  void BlockExtremes::evaluate_mean(const LinearAlgebra::distributed::Vector<double> &temperature,
                                    std::vector<double>                              &t_avg) const
  {
    std::vector<double> integral(n_blocks_, 0.0);
    for (std::size_t e = 0; e < mean_dof_.size(); ++e)
      integral[mean_block_[e]] += mean_weight_[e] * temperature(mean_dof_[e]);
    Utilities::MPI::sum(integral, comm_, integral);
    t_avg.resize(n_blocks_);
    for (std::size_t b = 0; b < n_blocks_; ++b)
      t_avg[b] = integral[b] / volume_[b];
  }
} // namespace chiptherm::solver
