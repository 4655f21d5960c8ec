#pragma once
// The line blocks of a heat operator on axis-aligned box cells with a diagonal
// conductivity (the tensor meshes chiptherm builds): the separable form of the
// cell matrices, a_ij = sum_e c_e prod_f X_ef[i_f][j_f] with X_ef = K1 for
// f = e and M1 otherwise (1D reference stiffness and mass at the cell
// quadrature), gives the diagonal and the couplings along each DoF's most
// strongly coupled direction without applying any cell operator. Used by
// MatrixFreeHeatOperator for its smoothers (line_jacobi.h).
#include "line_jacobi.h"

#include <deal.II/base/index_set.h>
#include <deal.II/base/point.h>
#include <deal.II/base/types.h>
#include <deal.II/lac/affine_constraints.h>

#include <array>
#include <functional>
#include <vector>

namespace chiptherm::solver
{
  /// The 1D reference stiffness K1 and mass M1 of the degree's Lagrange basis
  /// at Gauss-Lobatto points, by the (degree + 1)-point Gauss rule (exact for both); row-major n x n.
  struct ReferenceMatrices1D
  {
    explicit ReferenceMatrices1D(unsigned int degree);
    unsigned int        n;
    std::vector<double> K, M;
    /// The 1D indices (x, y, z) of each lexicographic 3D DoF.
    std::vector<std::array<unsigned char, 3>> lex;
    double k(unsigned int i, unsigned int j) const { return K[i * n + j]; }
    double m(unsigned int i, unsigned int j) const { return M[i * n + j]; }
  };

  /// One box cell of the operator: its DoFs in lexicographic order, its place
  /// and its terms (c_d = K_dd J^-1_dd^2 det J; k's factor and the leakage
  /// slope as cell means, 1 and 0 for a temperature-independent problem).
  struct SeparableCell
  {
    std::vector<dealii::types::global_dof_index> dofs;
    dealii::Point<3>                             origin;
    std::array<double, 3>                        extent{};
    double                                       factor = 1, slope = 0, det = 0;
    std::array<double, 3>                        c{};
    /// The cell matrix entry of lexicographic DoFs i and j.
    double entry(unsigned int i, unsigned int j, const ReferenceMatrices1D &r) const;
    /// The whole cell matrix, row-major in lexicographic order (n^3 x n^3):
    /// the entries of entry() to rounding, at two operations each.
    void matrix(const ReferenceMatrices1D &r, std::vector<double> &out) const;
  };

  /// Calls visit on every locally owned cell.
  using SeparableCells = std::function<void(const std::function<void(const SeparableCell &)> &visit)>;

  /// The diagonal and the line couplings of the operator (owned DoFs of
  /// `owned`, hanging-node `constraints`, `diagonal` a zero vector of the
  /// operator's layout with its ghosts), not yet factorised. A DoF's
  /// direction is the one whose diagonal term, summed over its cells, is
  /// largest; DoFs that differ only along their common direction are
  /// coupled. On cells with constrained DoFs the cell matrix is condensed
  /// onto the masters (a constrained DoF's entries go to its masters with the
  /// product of their weights), so that every block is the operator's own
  /// restriction to its line. Couplings with DoFs owned elsewhere are left out.
  std::shared_ptr<LineJacobi> assemble_line_blocks(unsigned int degree, const SeparableCells &cells,
                                                   const dealii::IndexSet                  &owned,
                                                   const dealii::AffineConstraints<double> &constraints,
                                                   LineJacobi::VectorType                  &diagonal);
} // namespace chiptherm::solver
