#pragma once
// The dual (adjoint) problem of a goal J(T) = integral of w T, w a density per
// material id: the operator is symmetric, so it is K itself (the last
// linearisation for a nonlinear problem), solved with the primal's BoomerAMG
// hierarchy and the goal as right-hand side. Goal-oriented estimators weight
// the primal residual with it.
#include "heat_problem.h"

#include <functional>

namespace chiptherm::solver
{
  /// The dual solution z (ghosted) of K z = j, j_i = integral of goal_density phi_i.
  /// Call after the primal solve.
  template <int dim>
  dealii::LinearAlgebra::distributed::Vector<double>
  solve_goal_dual(HeatProblem<dim> &problem, const std::function<double(dealii::types::material_id)> &goal_density,
                  const SolverSettings &settings);
} // namespace chiptherm::solver
