#pragma once
// The steady solve of a HeatProblem, linear or not. A temperature-dependent
// problem (k(T), leakage) is iterated from the current temperature: each
// iteration assembles K and F linearised about the last iterate (Newton on the
// source, Picard on K) and solves it, all iterations sharing one BoomerAMG
// hierarchy while CG stays fast, until no nodal temperature moves by
// settings.nonlinear_tolerance_k. Thermal runaway (no steady state) is detected
// when the linearised operator stops being positive definite, CG fails, or T
// passes 5000 K.
#include "heat_problem.h"

namespace chiptherm::solver
{
  /// Solves problem (assembled) to its steady state and leaves the temperature
  /// in it. Throws NumericalError (CG failure, no convergence) or ThermalRunaway.
  template <int dim>
  LinearSolveReport solve_steady(HeatProblem<dim> &problem, const SolverSettings &settings);
} // namespace chiptherm::solver
