#pragma once
// The steady solve of a HeatProblem, linear or not, and the Newton iteration
// of a temperature-dependent problem at degree >= 2 without a matrix. A
// temperature-dependent problem (k(T), leakage) is iterated from the current
// temperature: each iteration linearises about the last iterate (Newton on the
// source, Picard on K) and solves: assembled, all iterations sharing one
// BoomerAMG hierarchy while CG stays fast; matrix-free, starting from the
// converged Q1 solution, by p-multigrid above it. Both stop when no nodal
// temperature moves by settings.nonlinear_tolerance_k. Thermal runaway (no
// steady state) is detected when the linearised operator stops being positive
// definite, CG fails, or T passes 5000 K.
#include "fe_field.h"
#include "heat_problem.h"

namespace chiptherm::solver
{
  class PMultigridSolver;

  /// Solves problem (assembled) to its steady state and leaves the temperature
  /// in it. Throws NumericalError (CG failure, no convergence) or ThermalRunaway.
  template <int dim>
  LinearSolveReport solve_steady(HeatProblem<dim> &problem, const SolverSettings &settings);

  /// The same at degree p >= 2 without a matrix: q1 is the problem's Q1
  /// discretisation, already solved to the nonlinear tolerance (q1_report);
  /// Newton steps at the degree of `solution` (its DoFs) follow from q1's
  /// solution, each linearised about the last iterate and solved by
  /// p-multigrid above q1 (whose AMG, of its last linearisation, serves all
  /// steps) to a tenth of its first residual (inexact Newton), until no nodal
  /// temperature moves by settings.nonlinear_tolerance_k. The result is left
  /// in `solution`. Throws as solve_steady() does.
  /// from_solution: start from `solution` as it is (a looser solve's) instead.
  /// hierarchy: the p-multigrid of an earlier call on the same mesh and
  /// DoFs (other powers: a throttling step), relinearised instead of built
  /// anew; made when empty, and left for the next call.
  LinearSolveReport solve_steady_matrix_free(HeatProblem<3> &q1, const LinearSolveReport &q1_report,
                                             FeField &solution, const HeatProblemData<3> &data,
                                             const SolverSettings &settings, bool from_solution,
                                             std::unique_ptr<PMultigridSolver> &hierarchy);

  /// The checks every steady nonlinear iteration makes (assembled or
  /// matrix-free), after iteration `it` moved the temperature by `change_k`
  /// (largest nodal change) along a step of curvature step . A step:
  /// - a step of non-positive curvature (the linearised operator is not
  ///   positive: loop gain above one) when the source depends on temperature,
  ///   or a hottest temperature above 5000 K: ThermalRunaway;
  /// - no convergence within settings.nonlinear_max_iterations: NumericalError.
  /// Returns true when the iteration has converged (change below the tolerance).
  bool check_nonlinear_iteration(unsigned int it, double change_k, double curvature, double hottest_k,
                                 bool temperature_source, const SolverSettings &settings);
  /// The ThermalRunaway of a linear solve that failed on a temperature-dependent source (why: its message).
  ThermalRunaway runaway_without_solution(const std::string &why);
} // namespace chiptherm::solver
