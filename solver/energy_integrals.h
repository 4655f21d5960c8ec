#pragma once
// Where the heat goes, from a solved temperature field and the data it solves:
// the heat generated (the power density plus the temperature-dependent source
// at the solved temperature) and the heat leaving through each convective
// boundary. Sign-off reports them as the energy balance. The HeatProblem
// overloads read the problem's own field and data.
#include "heat_problem.h"
#include "temperature_field.h"

#include <map>
#include <vector>

namespace chiptherm::solver
{
  /// Heat generated, W: integral of the power density and of the
  /// temperature-dependent source at the field's temperature.
  double power_in_w(const TemperatureField &field, const HeatProblemData<3> &data);
  /// Integral of the temperature-dependent source alone over the cells of
  /// each material id, W (index = material id; empty when there is none).
  std::vector<double> temperature_source_w(const TemperatureField &field, const HeatProblemData<3> &data);
  /// Heat leaving through the convective boundaries, W, by boundary id.
  std::map<unsigned int, double> heat_out_by_boundary_w(const TemperatureField &field, const HeatProblemData<3> &data);
  /// Heat leaving through all convective boundaries, W.
  double heat_out_w(const TemperatureField &field, const HeatProblemData<3> &data);

  inline double power_in_w(const HeatProblem<3> &problem) { return power_in_w(problem.field(), problem.data()); }
  inline std::vector<double> temperature_source_w(const HeatProblem<3> &problem)
  {
    return temperature_source_w(problem.field(), problem.data());
  }
  inline std::map<unsigned int, double> heat_out_by_boundary_w(const HeatProblem<3> &problem)
  {
    return heat_out_by_boundary_w(problem.field(), problem.data());
  }
  inline double heat_out_w(const HeatProblem<3> &problem) { return heat_out_w(problem.field(), problem.data()); }
} // namespace chiptherm::solver
