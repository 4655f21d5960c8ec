#pragma once
// Residual-based a posteriori error indicator for -div(K grad T) = q:
//   eta_K^2 = h_K^2 / (p^2 k_K) ||q + div(K grad T)||^2_K
//           + sum over faces F of K: w_F h_F / (p k_F) ||[K grad T . n]||^2_F
// with the jump of the normal flux between neighbours (w_F = 1/2, shared with
// the neighbour), the Robin residual K grad T . n + h (T - T_far) on convective
// faces and K grad T . n on adiabatic ones (w_F = 1). k_F is the larger of the
// two conductivities (Bernardi-Verfuerth weighting, robust for jumps).
// Unlike deal.II's Kelly estimator it measures the jump of the flux, not of
// the gradient, so material interfaces where the flux is continuous do not
// light up. sum(eta_K^2)^(1/2) estimates the energy norm ||k^(1/2) grad e||.
// A temperature-dependent problem uses K = K0 k(T) at each cell's centre and
// adds the temperature-dependent source (leakage) at the solved temperature.
#include "heat_problem_data.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/vector.h>

namespace chiptherm::solver
{
  /// One value per active cell (zero on cells not owned here). temperature
  /// must be ghosted (locally relevant) and absolute (K). cartesian: every
  /// cell is an axis-aligned box (cheaper geometry).
  template <int dim>
  dealii::Vector<float> estimate_flux_residual(const dealii::DoFHandler<dim>                            &dof_handler,
                                               const dealii::LinearAlgebra::distributed::Vector<double> &temperature,
                                               const HeatProblemData<dim>                               &data,
                                               bool cartesian);
} // namespace chiptherm::solver
