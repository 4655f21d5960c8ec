#pragma once
// ParaView output: solution.pvd -> solution_0000.pvtu -> one .vtu per rank,
// with the named fields of the contract. Coordinates in metres.
#include "chip_coefficients.h"
#include "heat_problem.h"

#include <string>

namespace chiptherm::solver
{
  /// Writes the fields into directory (which must exist); returns the .pvd name.
  std::string write_solution(const HeatProblem<3> &problem, const ChipCoefficients &coefficients,
                             const std::string &directory);
} // namespace chiptherm::solver
