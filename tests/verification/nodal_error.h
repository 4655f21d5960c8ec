#pragma once
// The largest |T_h - exact(z)| over the nodes (support points) of a solved
// field (or problem), across all ranks: how the 1D exact-solution tests measure error.
#include "solver/heat_problem.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace chiptherm::testing
{
  template <typename Exact>
  double max_nodal_error(const solver::TemperatureField &field, const Exact &exact_of_z)
  {
    using namespace dealii;
    const auto         &fe = field.dofs->get_fe();
    const Quadrature<3> nodes(fe.get_unit_support_points());
    FEValues<3>         fe_values(*field.mapping, fe, nodes, update_values | update_quadrature_points);
    std::vector<double> t(nodes.size());
    double              error = 0;
    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values.get_function_values(*field.temperature, t);
          for (unsigned int q = 0; q < nodes.size(); ++q)
            error = std::max(error, std::abs(t[q] - exact_of_z(fe_values.quadrature_point(q)[2])));
        }
    return Utilities::MPI::max(error, field.communicator());
  }
  template <typename Exact>
  double max_nodal_error(const solver::HeatProblem<3> &problem, const Exact &exact_of_z)
  {
    return max_nodal_error(problem.field(), exact_of_z);
  }
} // namespace chiptherm::testing
