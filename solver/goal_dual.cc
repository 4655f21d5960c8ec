#include "goal_dual.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/vector.h>

namespace chiptherm::solver
{
  using namespace dealii;

  template <int dim>
  LinearAlgebra::distributed::Vector<double>
  solve_goal_dual(HeatProblem<dim> &problem, const std::function<double(types::material_id)> &goal_density,
                  const SolverSettings &settings)
  {
    TimerOutput::Scope         scope(problem.timer(), "solve");
    PETScWrappers::MPI::Vector b = problem.make_vector(), z = problem.make_vector();
    const QGauss<dim>          quadrature(problem.fe().degree + 1);
    FEValues<dim>      fe_values(problem.mapping(), problem.fe(), quadrature, update_values | update_JxW_values);
    const unsigned int n = problem.fe().n_dofs_per_cell();
    Vector<double>     cell_rhs(n);
    std::vector<types::global_dof_index> dof_indices(n);
    for (const auto &cell : problem.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const double w = goal_density(cell->material_id());
          if (w == 0)
            continue;
          fe_values.reinit(cell);
          cell_rhs = 0;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            for (unsigned int i = 0; i < n; ++i)
              cell_rhs(i) += w * fe_values.shape_value(i, q) * fe_values.JxW(q);
          cell->get_dof_indices(dof_indices);
          problem.constraints().distribute_local_to_global(cell_rhs, dof_indices, b);
        }
    b.compress(VectorOperation::add);
    problem.solve_with_stiffness(b, z, settings);
    LinearAlgebra::distributed::Vector<double> dual = problem.make_ghosted_vector();
    for (const auto i : problem.dof_handler().locally_owned_dofs())
      dual[i] = z[i];
    dual.update_ghost_values();
    return dual;
  }

  template LinearAlgebra::distributed::Vector<double>
  solve_goal_dual<3>(HeatProblem<3> &, const std::function<double(types::material_id)> &, const SolverSettings &);
} // namespace chiptherm::solver
