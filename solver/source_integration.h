#pragma once
// The heat source's part of a right-hand side: the smooth power_density by
// Gauss quadrature, the box sources (blocks' parts of cells) exactly, so the
// heat that enters equals the sum of the block powers on any mesh. One place
// for the Q1 assembly, the matrix-free right-hand side, the goal dual and the
// energy balance.
#include "box_rule.h"
#include "heat_problem_data.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/vector.h>

#include <vector>

namespace chiptherm::solver
{
  class SourceIntegrator
  {
  public:
    SourceIntegrator(const dealii::Mapping<3> &mapping, const dealii::FiniteElement<3> &fe);

    /// Adds integral(q phi_i) over the cell to *cell_rhs (when given);
    /// returns the heat the source puts into the cell, integral(q), W.
    double add_to(const HeatProblemData<3> &data, const dealii::DoFHandler<3>::active_cell_iterator &cell,
                  dealii::Vector<double> *cell_rhs);

  private:
    dealii::FEValues<3>           fe_values_;
    TensorBoxRule                 rule_;
    std::vector<BoxSource<3>>     boxes_;
    std::vector<double>           integrals_;
  };

  /// The source at a point of the cell, given in real (x) and reference
  /// (x_ref) coordinates: power_density plus the boxes that hold x_ref.
  double source_at(const HeatProblemData<3> &data, const CellRef<3> &cell, const dealii::Point<3> &x,
                   const dealii::Point<3> &x_ref, std::vector<BoxSource<3>> &scratch);

  /// Adds the source's right-hand side of the locally owned cells to rhs
  /// (through the constraints); the caller compresses.
  template <typename VectorType>
  void add_source_rhs(const dealii::DoFHandler<3> &dofs, const dealii::Mapping<3> &mapping,
                      const dealii::AffineConstraints<double> &constraints, const HeatProblemData<3> &data,
                      VectorType &rhs);
} // namespace chiptherm::solver
