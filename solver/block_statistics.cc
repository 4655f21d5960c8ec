#include "block_statistics.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  Quadrature<3> extreme_sample_points(unsigned int degree)
  {
    if (degree <= 1)
      return QTrapezoid<3>(); // the vertices
    std::vector<Point<1>> points;
    for (unsigned int i = 0; i <= 2 * degree; ++i)
      points.emplace_back(double(i) / double(2 * degree));
    const Quadrature<1> line(points, std::vector<double>(points.size(), 1.0 / double(points.size())));
    return Quadrature<3>(line);
  }

  std::vector<BlockResult> compute_block_results(const TemperatureField                        &field,
                                                 const std::function<int(types::material_id)> &block_of,
                                                 std::size_t                                   n_blocks)
  {
    const auto        &fe = field.dofs->get_fe();
    const QGauss<3>    gauss(fe.degree + 1);
    const Quadrature<3> nodes = fe.degree == 1 ? Quadrature<3>(fe.get_unit_support_points())
                                               : extreme_sample_points(fe.degree);
    FEValues<3>        at_gauss(*field.mapping, fe, gauss, update_values | update_gradients | update_JxW_values);
    FEValues<3>        at_nodes(*field.mapping, fe, nodes, update_values);
    std::vector<double>         t_gauss(gauss.size()), t_nodes(nodes.size());
    std::vector<Tensor<1, 3>>   grad(gauss.size());

    const double big = std::numeric_limits<double>::max();
    std::vector<double> t_max(n_blocks, -big), t_min(n_blocks, big), integral(n_blocks, 0), volume(n_blocks, 0),
      grad_max(n_blocks, 0), cell_min(n_blocks, big), cell_max(n_blocks, 0);

    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const int b = block_of(cell->material_id());
          if (b < 0)
            continue;
          at_gauss.reinit(cell);
          at_nodes.reinit(cell);
          at_gauss.get_function_values(*field.temperature, t_gauss);
          at_gauss.get_function_gradients(*field.temperature, grad);
          at_nodes.get_function_values(*field.temperature, t_nodes);
          for (const double t : t_nodes)
            t_max[b] = std::max(t_max[b], t), t_min[b] = std::min(t_min[b], t);
          for (const unsigned int q : at_gauss.quadrature_point_indices())
            {
              integral[b] += t_gauss[q] * at_gauss.JxW(q);
              volume[b] += at_gauss.JxW(q);
              grad_max[b] = std::max(grad_max[b], std::hypot(grad[q][0], grad[q][1]));
            }
          const double edge = std::max(cell->extent_in_direction(0), cell->extent_in_direction(1));
          cell_min[b] = std::min(cell_min[b], edge);
          cell_max[b] = std::max(cell_max[b], edge);
        }

    const MPI_Comm comm = field.communicator();
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
