#pragma once
// The dual (adjoint) problem of a goal J(T) = integral of w T, w the heat
// source of a HeatProblemData (a density per block: mean temperatures): the operator is symmetric, so it is K itself (the last
// linearisation for a nonlinear problem), solved with the primal's BoomerAMG
// hierarchy and the goal as right-hand side. Goal-oriented estimators weight
// the primal residual with it.
#include "heat_problem.h"

#include <functional>

namespace chiptherm::solver
{
  /// The dual solution z (ghosted) of K z = j, j_i = integral of w phi_i, w
  /// the fixed source of `goal` (power_density and box_sources). Call after the primal solve.
  dealii::LinearAlgebra::distributed::Vector<double>
  solve_goal_dual(HeatProblem<3> &problem, const HeatProblemData<3> &goal, const SolverSettings &settings);
} // namespace chiptherm::solver
