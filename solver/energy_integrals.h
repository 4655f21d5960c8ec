#pragma once
// Where the heat goes, from a solved HeatProblem: the heat generated (the
// power density plus the temperature-dependent source at the solved
// temperature) and the heat leaving through each convective boundary.
// Sign-off reports them as the energy balance.
#include "heat_problem.h"

#include <map>
#include <vector>

namespace chiptherm::solver
{
  /// Heat generated, W: integral of the power density and of the
  /// temperature-dependent source at the current temperature.
  template <int dim>
  double power_in_w(const HeatProblem<dim> &problem);
  /// Integral of the temperature-dependent source alone over the cells of
  /// each material id, W (index = material id; empty when there is none).
  template <int dim>
  std::vector<double> temperature_source_w(const HeatProblem<dim> &problem);
  /// Heat leaving through the convective boundaries, W, by boundary id.
  template <int dim>
  std::map<unsigned int, double> heat_out_by_boundary_w(const HeatProblem<dim> &problem);
  /// Heat leaving through all convective boundaries, W.
  template <int dim>
  double heat_out_w(const HeatProblem<dim> &problem);
} // namespace chiptherm::solver
