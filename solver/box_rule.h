#pragma once
// Exact integrals and point values of Q_p functions over boxes inside a cell.
// The coarse mesh does not follow block edges, so a block covers a box of a
// cell's reference cube [0,1]^3 (cells are axis-aligned boxes). FE_Q's shape
// functions are products of 1D Lagrange polynomials, so their integral over a
// box is a product of 1D integrals (Gauss with p + 1 points: exact), and
// values on a tensor grid of points cost one table per axis: no FEValues
// object per cut cell.
#include <deal.II/fe/fe_q.h>
#include <deal.II/lac/vector.h>

#include <array>
#include <vector>

namespace chiptherm::solver
{
  /// A box of the reference cell [0,1]^3.
  struct RefBox
  {
    std::array<double, 3> lo{{0, 0, 0}}, hi{{1, 1, 1}};
    double volume() const { return (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]); }
    bool   is_whole_cell() const;
  };

  /// Points along each axis of a tensor grid in the reference cell (x, y, z),
  /// with an optional weight per point (reference measure).
  struct TensorPoints
  {
    std::array<std::vector<double>, 3> coordinate, weight;
    std::size_t size() const { return coordinate[0].size() * coordinate[1].size() * coordinate[2].size(); }
    /// Weight of point `index` (x fastest).
    double      weight_of(std::size_t index) const;
  };
  /// n equispaced points per axis over the box, ends included (n = 1: the centre).
  TensorPoints equispaced_points(const RefBox &box, unsigned int n);
  /// The n-point Gauss rule per axis over the box; weights sum to box.volume().
  TensorPoints gauss_points(const RefBox &box, unsigned int n);

  class TensorBoxRule
  {
  public:
    explicit TensorBoxRule(unsigned int degree);
    unsigned int degree() const { return fe_1d_.degree; }
    unsigned int n_dofs() const { return static_cast<unsigned int>(axis_index_.size()); }

    /// I_i = integral of shape function i of FE_Q<3>(degree) over the box, in
    /// reference measure (times the cell's volume on an axis-aligned cell).
    void shape_integrals(const RefBox &box, std::vector<double> &out) const;
    /// The FE function with these cell dof values at every point (x fastest).
    void values(const TensorPoints &points, const dealii::Vector<double> &dof_values, std::vector<double> &out) const;

  private:
    dealii::FE_Q<1>                          fe_1d_;
    std::vector<std::array<unsigned int, 3>> axis_index_; ///< per 3D shape function: its 1D factor per axis
  };
} // namespace chiptherm::solver
