#include "block_statistics.h"

#include "extreme_search.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  TensorPoints extreme_sample_points(const RefBox &box, unsigned int degree)
  {
    return equispaced_points(box, degree <= 1 ? 2 : 2 * degree + 1);
  }

  BoxSampler::BoxSampler(const TemperatureField &field)
    : field_(field)
    , rule_(field.dofs->get_fe().degree)
    , local_(field.dofs->get_fe().n_dofs_per_cell())
  {}

  void BoxSampler::values(const CellAccessor<3, 3> &cell, const TensorPoints &points, std::vector<double> &out)
  {
    const typename DoFHandler<3>::active_cell_iterator here(&cell.get_triangulation(), cell.level(), cell.index(),
                                                            field_.dofs);
    here->get_dof_values(*field_.temperature, local_);
    rule_.values(points, local_, out);
  }

  std::vector<BlockResult> compute_block_results(const TemperatureField &field, const BlockPiecesOf &pieces_of,
                                                 std::size_t n_blocks)
  {
    const auto     &fe = field.dofs->get_fe();
    const QGauss<3> gauss(fe.degree + 1);
    FEValues<3>     at_gauss(*field.mapping, fe, gauss, update_gradients);
    std::vector<Tensor<1, 3>> grad(gauss.size());
    BoxSampler                sampler(field);
    ExtremeSearch             search(n_blocks);
    std::vector<double>       t;

    const double big = std::numeric_limits<double>::max();
    std::vector<double> t_max(n_blocks, -big), t_min(n_blocks, big), integral(n_blocks, 0), volume(n_blocks, 0),
      grad_max(n_blocks, 0), cell_min(n_blocks, big), cell_max(n_blocks, 0);

    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto pieces = pieces_of(*cell);
          if (pieces.size() == 0)
            continue;
          at_gauss.reinit(cell);
          at_gauss.get_function_gradients(*field.temperature, grad);
          double cell_grad = 0;
          for (const auto &g : grad)
            cell_grad = std::max(cell_grad, std::hypot(g[0], g[1]));
          const double edge        = std::max(cell->extent_in_direction(0), cell->extent_in_direction(1));
          const double cell_volume = cell->measure();
          for (const auto &piece : pieces)
            {
              const unsigned int b = piece.block;
              const TensorPoints samples = extreme_sample_points(piece.box, fe.degree);
              sampler.values(*cell, samples, t);
              search.add(*cell, b, piece.box, samples, t);
              const TensorPoints points = gauss_points(piece.box, fe.degree + 1);
              sampler.values(*cell, points, t);
              for (std::size_t q = 0; q < t.size(); ++q)
                integral[b] += t[q] * points.weight_of(q) * cell_volume;
              volume[b] += piece.box.volume() * cell_volume;
              grad_max[b] = std::max(grad_max[b], cell_grad);
              cell_min[b] = std::min(cell_min[b], edge);
              cell_max[b] = std::max(cell_max[b], edge);
            }
        }

    const MPI_Comm comm = field.communicator();
    const auto     found = search.zoom(sampler, comm);
    for (const auto &z : found.boxes)
      t_max[z.group] = std::max(t_max[z.group], z.t_max), t_min[z.group] = std::min(t_min[z.group], z.t_min);
    Utilities::MPI::max(t_max, comm, t_max);
    Utilities::MPI::min(t_min, comm, t_min);
    Utilities::MPI::sum(integral, comm, integral);
    Utilities::MPI::sum(volume, comm, volume);
    Utilities::MPI::max(grad_max, comm, grad_max);
    Utilities::MPI::min(cell_min, comm, cell_min);
    Utilities::MPI::max(cell_max, comm, cell_max);

    std::vector<BlockResult> results(n_blocks);
    for (std::size_t b = 0; b < n_blocks; ++b)
      results[b] = BlockResult{t_max[b], integral[b] / volume[b], t_min[b], grad_max[b],
                               cell_min[b], cell_max[b], volume[b]};
    return results;
  }
} // namespace chiptherm::solver
