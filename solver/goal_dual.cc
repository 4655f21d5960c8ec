#include "goal_dual.h"

#include "owned_entries.h"
#include "source_integration.h"

namespace chiptherm::solver
{
  using namespace dealii;

  LinearAlgebra::distributed::Vector<double>
  solve_goal_dual(HeatProblem<3> &problem, const HeatProblemData<3> &goal, const SolverSettings &settings)
  {
    TimerOutput::Scope         scope(problem.timer(), "solve");
    PETScWrappers::MPI::Vector b = problem.make_vector(), z = problem.make_vector();
    add_source_rhs(problem.dof_handler(), problem.mapping(), problem.constraints(), goal, b);
    b.compress(VectorOperation::add);
    problem.solve_with_stiffness(b, z, settings);
    LinearAlgebra::distributed::Vector<double> dual = problem.make_ghosted_vector();
    copy_owned(z, 0.0, dual);
    dual.update_ghost_values();
    return dual;
  }
} // namespace chiptherm::solver
