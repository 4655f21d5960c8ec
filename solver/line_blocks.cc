#include "line_blocks.h"

#include <deal.II/base/polynomial.h>
#include <deal.II/base/quadrature_lib.h>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace chiptherm::solver
{
  using namespace dealii;

  ReferenceMatrices1D::ReferenceMatrices1D(unsigned int degree)
    : n(degree + 1)
    , K(n * n, 0.0)
    , M(n * n, 0.0)
  {
    const auto      basis = Polynomials::generate_complete_Lagrange_basis(QGaussLobatto<1>(n).get_points());
    const QGauss<1> quadrature(n);
    std::vector<double> vi(2), vj(2);
    for (unsigned int i = 0; i < n; ++i)
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int q = 0; q < n; ++q)
          {
            basis[i].value(quadrature.point(q)[0], vi);
            basis[j].value(quadrature.point(q)[0], vj);
            M[i * n + j] += quadrature.weight(q) * vi[0] * vj[0];
            K[i * n + j] += quadrature.weight(q) * vi[1] * vj[1];
          }
  }

  double SeparableCell::entry(unsigned int i, unsigned int j, const ReferenceMatrices1D &r) const
  {
    const unsigned int n = r.n;
    const unsigned int a[3] = {i % n, (i / n) % n, i / (n * n)}, b[3] = {j % n, (j / n) % n, j / (n * n)};
    const double       m[3] = {r.m(a[0], b[0]), r.m(a[1], b[1]), r.m(a[2], b[2])};
    return factor * (c[0] * r.k(a[0], b[0]) * m[1] * m[2] + c[1] * m[0] * r.k(a[1], b[1]) * m[2] +
                     c[2] * m[0] * m[1] * r.k(a[2], b[2])) -
           slope * det * m[0] * m[1] * m[2];
  }

  namespace
  {
    /// Per owned DoF: where it is and its line's direction.
    struct DofPlaces
    {
      std::vector<std::array<double, 3>> position;
      std::vector<unsigned char>         direction;

      /// Two owned DoFs on one line: same direction, same other coordinates.
      bool on_one_line(unsigned int a, unsigned int b, double tolerance) const
      {
        const unsigned int d = direction[a];
        if (direction[b] != d)
          return false;
        for (unsigned int e = 0; e < 3; ++e)
          if (e != d && std::abs(position[a][e] - position[b][e]) > tolerance)
            return false;
        return true;
      }
    };

    /// The lexicographic DoF i's index along direction d.
    unsigned int index_along(unsigned int i, unsigned int d, unsigned int n)
    {
      return d == 0 ? i % n : d == 1 ? (i / n) % n : i / (n * n);
    }

    /// Owned index of each cell DoF: -1 owned elsewhere, -2 constrained.
    bool owned_indices(const SeparableCell &cell, const IndexSet &owned, const AffineConstraints<double> &constraints,
                       std::vector<int> &local)
    {
      bool constrained = false;
      local.resize(cell.dofs.size());
      for (unsigned int i = 0; i < cell.dofs.size(); ++i)
        {
          const auto g = cell.dofs[i];
          const bool c = constraints.is_constrained(g);
          constrained  = constrained || c;
          local[i]     = c ? -2 : owned.is_element(g) ? static_cast<int>(owned.index_within_set(g)) : -1;
        }
      return constrained;
    }

    DofPlaces place_dofs(const SeparableCells &cells, const IndexSet &owned,
                         const AffineConstraints<double> &constraints, const ReferenceMatrices1D &r)
    {
      const unsigned int n      = r.n;
      const auto         points = QGaussLobatto<1>(n).get_points();
      DofPlaces          places;
      places.position.resize(owned.n_elements());
      std::vector<std::array<double, 3>> strength(owned.n_elements(), {{0, 0, 0}});
      std::vector<int>                   local;
      cells([&](const SeparableCell &cell) {
        owned_indices(cell, owned, constraints, local);
        for (unsigned int i = 0; i < local.size(); ++i)
          if (local[i] >= 0)
            for (unsigned int d = 0; d < 3; ++d)
              {
                const unsigned int id = index_along(i, d, n), e1 = index_along(i, (d + 1) % 3, n),
                                   e2 = index_along(i, (d + 2) % 3, n);
                places.position[local[i]][d] = cell.origin[d] + points[id][0] * cell.extent[d];
                strength[local[i]][d] += cell.factor * cell.c[d] * r.k(id, id) * r.m(e1, e1) * r.m(e2, e2);
              }
      });
      places.direction.resize(owned.n_elements());
      for (unsigned int k = 0; k < owned.n_elements(); ++k)
        {
          const auto &s         = strength[k];
          places.direction[k] = s[2] >= s[0] && s[2] >= s[1] ? 2 : s[1] >= s[0] ? 1 : 0;
        }
      return places;
    }

    /// A cell without constrained DoFs: its diagonal, and the couplings along
    /// each owned DoF's direction within the cell.
    void add_plain_cell(const SeparableCell &cell, const std::vector<int> &local, const DofPlaces &places,
                        const ReferenceMatrices1D &r, LineJacobi &lines, LineJacobi::VectorType &diagonal)
    {
      const unsigned int n = r.n;
      for (unsigned int i = 0; i < local.size(); ++i)
        {
          diagonal(cell.dofs[i]) += cell.entry(i, i, r);
          if (local[i] < 0)
            continue;
          const unsigned int d = places.direction[local[i]], id = index_along(i, d, n),
                             stride = d == 0 ? 1 : d == 1 ? n : n * n;
          for (unsigned int jd = id + 1; jd < n; ++jd)
            {
              const unsigned int j = i + (jd - id) * stride;
              if (local[j] >= 0 && places.direction[local[j]] == d)
                lines.add_coupling(local[i], local[j], cell.entry(i, j, r));
            }
        }
    }

    /// A cell with constrained DoFs, condensed: entry(a, b) = sum over the
    /// cell DoFs i of master a and j of master b of w_ia w_jb a_ij.
    void add_condensed_cell(const SeparableCell &cell, const DofPlaces &places, const IndexSet &owned,
                            const AffineConstraints<double> &constraints, const ReferenceMatrices1D &r,
                            LineJacobi &lines, LineJacobi::VectorType &diagonal)
    {
      std::vector<std::tuple<types::global_dof_index, unsigned int, double>> weights; // (master, cell DoF, weight)
      for (unsigned int i = 0; i < cell.dofs.size(); ++i)
        if (const auto *entries = constraints.get_constraint_entries(cell.dofs[i]))
          for (const auto &[master, w] : *entries)
            weights.emplace_back(master, i, w);
        else
          weights.emplace_back(cell.dofs[i], i, 1.0);
      std::sort(weights.begin(), weights.end());
      std::vector<std::size_t> start;
      for (std::size_t k = 0; k < weights.size(); ++k)
        if (k == 0 || std::get<0>(weights[k]) != std::get<0>(weights[k - 1]))
          start.push_back(k);
      start.push_back(weights.size());
      const auto condensed = [&](std::size_t ga, std::size_t gb) {
        double sum = 0;
        for (std::size_t k = start[ga]; k < start[ga + 1]; ++k)
          for (std::size_t l = start[gb]; l < start[gb + 1]; ++l)
            sum += std::get<2>(weights[k]) * std::get<2>(weights[l]) *
                   cell.entry(std::get<1>(weights[k]), std::get<1>(weights[l]), r);
        return sum;
      };
      const double tolerance = 1e-9 * std::max({cell.extent[0], cell.extent[1], cell.extent[2]});
      for (std::size_t ga = 0; ga + 1 < start.size(); ++ga)
        {
          const auto a_global = std::get<0>(weights[start[ga]]);
          diagonal(a_global) += condensed(ga, ga);
          if (!owned.is_element(a_global))
            continue;
          const auto a = static_cast<unsigned int>(owned.index_within_set(a_global));
          for (std::size_t gb = ga + 1; gb + 1 < start.size(); ++gb)
            {
              const auto b_global = std::get<0>(weights[start[gb]]);
              if (!owned.is_element(b_global))
                continue;
              const auto b = static_cast<unsigned int>(owned.index_within_set(b_global));
              if (places.on_one_line(a, b, tolerance))
                lines.add_coupling(a, b, condensed(ga, gb));
            }
        }
    }
  } // namespace

  std::shared_ptr<LineJacobi> assemble_line_blocks(unsigned int degree, const SeparableCells &cells,
                                                   const IndexSet &owned, const AffineConstraints<double> &constraints,
                                                   LineJacobi::VectorType &diagonal)
  {
    const ReferenceMatrices1D r(degree);
    const DofPlaces           places = place_dofs(cells, owned, constraints, r);
    auto                      lines  = std::make_shared<LineJacobi>(diagonal);
    std::vector<int>          local;
    cells([&](const SeparableCell &cell) {
      if (owned_indices(cell, owned, constraints, local))
        add_condensed_cell(cell, places, owned, constraints, r, *lines, diagonal);
      else
        add_plain_cell(cell, local, places, r, *lines, diagonal);
    });
    diagonal.compress(VectorOperation::add);
    for (unsigned int k = 0; k < owned.n_elements(); ++k)
      lines->set_coordinate(k, places.position[k][places.direction[k]]);
    lines->set_diagonal(diagonal);
    return lines;
  }
} // namespace chiptherm::solver
