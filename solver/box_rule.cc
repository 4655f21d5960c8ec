#include "box_rule.h"

#include <deal.II/base/quadrature_lib.h>

#include <cmath>
#include <optional>
#include <stdexcept>

namespace chiptherm::solver
{
  using namespace dealii;

  bool RefBox::is_whole_cell() const
  {
    for (unsigned int d = 0; d < 3; ++d)
      if (lo[d] > 1e-12 || hi[d] < 1 - 1e-12)
        return false;
    return true;
  }

  double TensorPoints::weight_of(std::size_t index) const
  {
    const std::size_t nx = coordinate[0].size(), ny = coordinate[1].size();
    return weight[0][index % nx] * weight[1][(index / nx) % ny] * weight[2][index / (nx * ny)];
  }

  TensorPoints equispaced_points(const RefBox &box, unsigned int n)
  {
    TensorPoints p;
    for (unsigned int d = 0; d < 3; ++d)
      for (unsigned int i = 0; i < n; ++i)
        {
          const double s = n == 1 ? 0.5 : double(i) / double(n - 1);
          p.coordinate[d].push_back(box.lo[d] + s * (box.hi[d] - box.lo[d]));
          p.weight[d].push_back((box.hi[d] - box.lo[d]) / double(n));
        }
    return p;
  }

  TensorPoints gauss_points(const RefBox &box, unsigned int n)
  {
    // Built once per n: QGauss<1>'s constructor finds Jacobi polynomial roots
    // by Newton iteration, and block figures ask for a rule for every piece of
    // every block at every output (a tenth of a transient run with frames
    // every 2 ms on 3D-ICE's test, perf).
    static const std::vector<QGauss<1>> rules = [] {
      std::vector<QGauss<1>> r;
      for (unsigned int k = 1; k <= 12; ++k)
        r.emplace_back(k);
      return r;
    }();
    std::optional<QGauss<1>> own;
    const QGauss<1>         &rule = n >= 1 && n <= rules.size() ? rules[n - 1] : own.emplace(n);
    TensorPoints             p;
    for (unsigned int d = 0; d < 3; ++d)
      {
        const double length = box.hi[d] - box.lo[d];
        p.coordinate[d].resize(n), p.weight[d].resize(n);
        for (unsigned int i = 0; i < n; ++i)
          {
            p.coordinate[d][i] = box.lo[d] + rule.point(i)[0] * length;
            p.weight[d][i]     = rule.weight(i) * length;
          }
      }
    return p;
  }

  TensorBoxRule::TensorBoxRule(unsigned int degree)
    : fe_1d_(degree)
  {
    // FE_Q's 3D shape function i is the product of the 1D Lagrange
    // polynomials whose support points are its own support point's coordinates.
    const FE_Q<3> fe(degree);
    const auto   &points_3d = fe.get_unit_support_points();
    const auto   &points_1d = fe_1d_.get_unit_support_points();
    for (const auto &p : points_3d)
      {
        std::array<unsigned int, 3> k{};
        for (unsigned int d = 0; d < 3; ++d)
          {
            unsigned int match = points_1d.size();
            for (unsigned int j = 0; j < points_1d.size(); ++j)
              if (std::abs(points_1d[j][0] - p[d]) < 1e-12)
                match = j;
            if (match == points_1d.size())
              throw std::logic_error("FE_Q support points are not a tensor product of the 1D ones");
            k[d] = match;
          }
        axis_index_.push_back(k);
      }
  }

  void TensorBoxRule::shape_integrals(const RefBox &box, std::vector<double> &out) const
  {
    const unsigned int                 n1 = fe_1d_.n_dofs_per_cell();
    const TensorPoints                 gauss = gauss_points(box, fe_1d_.degree + 1);
    std::array<std::vector<double>, 3> integral_1d;
    for (unsigned int d = 0; d < 3; ++d)
      {
        integral_1d[d].assign(n1, 0.0);
        for (unsigned int k = 0; k < n1; ++k)
          for (std::size_t q = 0; q < gauss.coordinate[d].size(); ++q)
            integral_1d[d][k] += fe_1d_.shape_value(k, Point<1>(gauss.coordinate[d][q])) * gauss.weight[d][q];
      }
    out.resize(axis_index_.size());
    for (std::size_t i = 0; i < axis_index_.size(); ++i)
      out[i] = integral_1d[0][axis_index_[i][0]] * integral_1d[1][axis_index_[i][1]] * integral_1d[2][axis_index_[i][2]];
  }

  void TensorBoxRule::values(const TensorPoints &points, const Vector<double> &dof_values,
                             std::vector<double> &out) const
  {
    const unsigned int                 n1 = fe_1d_.n_dofs_per_cell();
    std::array<std::vector<double>, 3> table; // table[d][k * n_d + q]
    for (unsigned int d = 0; d < 3; ++d)
      {
        const auto &c = points.coordinate[d];
        table[d].resize(n1 * c.size());
        for (unsigned int k = 0; k < n1; ++k)
          for (std::size_t q = 0; q < c.size(); ++q)
            table[d][k * c.size() + q] = fe_1d_.shape_value(k, Point<1>(c[q]));
      }
    const std::size_t nx = points.coordinate[0].size(), ny = points.coordinate[1].size(),
                      nz = points.coordinate[2].size();
    // Sum factorisation: the dof values as a tensor u[k2][k1][k0], then one
    // axis at a time (n1^3 nx + n1^2 nx ny + n1 nx ny nz products, not n1^3 nx ny nz).
    std::vector<double> u(n1 * n1 * n1);
    for (std::size_t i = 0; i < axis_index_.size(); ++i)
      u[(axis_index_[i][2] * n1 + axis_index_[i][1]) * n1 + axis_index_[i][0]] = dof_values[i];
    std::vector<double> along_x(n1 * n1 * nx, 0.0), along_y(n1 * ny * nx, 0.0);
    for (std::size_t k = 0; k < n1 * n1; ++k) // (k2, k1) rows
      for (unsigned int k0 = 0; k0 < n1; ++k0)
        for (std::size_t a = 0; a < nx; ++a)
          along_x[k * nx + a] += u[k * n1 + k0] * table[0][k0 * nx + a];
    for (unsigned int k2 = 0; k2 < n1; ++k2)
      for (unsigned int k1 = 0; k1 < n1; ++k1)
        for (std::size_t b = 0; b < ny; ++b)
          for (std::size_t a = 0; a < nx; ++a)
            along_y[(k2 * ny + b) * nx + a] += along_x[(k2 * n1 + k1) * nx + a] * table[1][k1 * ny + b];
    out.assign(nx * ny * nz, 0.0);
    for (std::size_t c = 0; c < nz; ++c)
      for (unsigned int k2 = 0; k2 < n1; ++k2)
        for (std::size_t ba = 0; ba < ny * nx; ++ba)
          out[c * ny * nx + ba] += along_y[k2 * ny * nx + ba] * table[2][k2 * nz + c];
  }
} // namespace chiptherm::solver
