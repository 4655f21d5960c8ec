#pragma once
// What a heat problem is made of, as functions of a cell's material_id: the
// conductivity, the heat source, the heat capacity, convective boundaries and,
// optionally, temperature dependence (k(T), leakage). HeatProblem assembles it;
// the estimator and the energy integrals read it. Knows nothing of chips.
#include "common/errors.h"
#include "common/units.h"

#include <deal.II/base/point.h>
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/types.h>
#include <deal.II/grid/tria_accessor.h>

#include <array>
#include <functional>
#include <map>
#include <utility>
#include <vector>

namespace chiptherm::solver
{
  /// Convective exchange on one boundary id: flux out = h (T - T_far).
  template <int dim>
  struct RobinBoundary
  {
    double                                               h_w_m2k = 0;
    std::function<double(const dealii::Point<dim> &)>    far_temperature_k;
  };

  /// A constant heat source over a box of a cell's reference cube [0,1]^dim
  /// (cells are axis-aligned boxes): a block's part of the cell.
  template <int dim>
  struct BoxSource
  {
    std::array<double, dim> lo, hi;
    double                  density_w_m3;
  };

  template <int dim>
  using CellRef = dealii::CellAccessor<dim, dim>;

  template <int dim>
  struct HeatProblemData
  {
    /// Conductivity tensor, W/(m K), of the cells with this material_id.
    std::function<dealii::SymmetricTensor<2, dim>(dealii::types::material_id)> conductivity;
    /// Volumetric heat source, W/m^3, at a point of a cell with this
    /// material_id: a smooth source (manufactured solutions), integrated by
    /// Gauss quadrature. Optional.
    std::function<double(dealii::types::material_id, const dealii::Point<dim> &)> power_density;
    /// Heat sources that are constant over boxes of a cell and may start and
    /// stop inside it (blocks whose edges the mesh does not follow), into out
    /// (appended). Integrated exactly (source_integration.h). Optional.
    std::function<void(const CellRef<dim> &, std::vector<BoxSource<dim>> &out)> box_sources;
    /// Convective boundaries; boundary ids not listed are adiabatic.
    std::map<dealii::types::boundary_id, RobinBoundary<dim>> robin;
    /// Volumetric heat capacity rho c, J/(m^3 K), of the cells with this
    /// material_id; needed only by transient runs (ShiftedOperator).
    std::function<double(dealii::types::material_id)> heat_capacity;
    /// The unknown is T - reference_temperature_k (ambient), which keeps the
    /// right-hand side (and so the CG residual test) about the heat, not the offset.
    double reference_temperature_k = 0;

    // --- optional temperature dependence (empty: linear) -------------------
    /// k(T) = conductivity(id) * conductivity_factor(id, T), T in K.
    std::function<double(dealii::types::material_id, double)> conductivity_factor;
    /// Extra volumetric source in a cell that depends on the local temperature (K):
    /// returns {q, dq/dT} in W/m^3 and W/(m^3 K).
    std::function<std::pair<double, double>(const CellRef<dim> &, const dealii::Point<dim> &, double)>
      temperature_source;
    bool is_nonlinear() const { return bool(conductivity_factor) || bool(temperature_source); }
  };

  /// The convective condition on face f of cell, or nullptr (interior or adiabatic).
  template <int dim, typename CellIterator>
  const RobinBoundary<dim> *robin_boundary_of(const HeatProblemData<dim> &data, const CellIterator &cell,
                                              unsigned int f)
  {
    if (!cell->face(f)->at_boundary())
      return nullptr;
    const auto it = data.robin.find(cell->face(f)->boundary_id());
    return it == data.robin.end() ? nullptr : &it->second;
  }

  /// Thermal runaway: the temperature-dependent source grows faster with T
  /// than the package removes heat, so no steady state exists (exit code 3).
  class ThermalRunaway : public NumericalError
  {
  public:
    using NumericalError::NumericalError;
  };

  /// A temperature-dependent solve (steady or transient) past this is a thermal runaway, K.
  constexpr double runaway_ceiling_k = physical_range::max_temperature_k;
} // namespace chiptherm::solver
