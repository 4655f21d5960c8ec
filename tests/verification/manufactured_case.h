#pragma once
// The manufactured solution with piecewise conductivity, shared by the
// convergence test and the error-bound test:
//   u = 300 + cos(pi x) cos(pi y) g(z),  g = (z - 1/2)/k_i + 1  in layer i,
// so u and the normal flux k du/dz are continuous across z = 1/2; the sides
// are adiabatic (du/dx = 0 at x = 0, 1), top and bottom are Robin with a far
// temperature chosen so that u satisfies them. Material ids: 0 and 1 the
// bottom layer (x < 1/2 and x > 1/2), 2 and 3 the top one.
#include "solver/heat_problem_data.h"

#include <deal.II/base/function.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/grid/grid_generator.h>

#include <cmath>

namespace chiptherm::testing
{
  struct ManufacturedCase
  {
    static constexpr double k_bottom = 1.0, k_top = 10.0, h = 2.0;
    static constexpr double offset_k = 300; ///< keeps u a physical temperature (the solver rejects T <= 0 K)
    static double k_of(dealii::types::material_id m) { return m < 2 ? k_bottom : k_top; }

    class Exact : public dealii::Function<3>
    {
    public:
      double value(const dealii::Point<3> &p, unsigned int = 0) const override
      {
        return offset_k + std::cos(pi * p[0]) * std::cos(pi * p[1]) * ((p[2] - 0.5) / k_at(p[2]) + 1);
      }
      dealii::Tensor<1, 3> gradient(const dealii::Point<3> &p, unsigned int = 0) const override
      {
        const double         g = (p[2] - 0.5) / k_at(p[2]) + 1;
        dealii::Tensor<1, 3> d;
        d[0] = -pi * std::sin(pi * p[0]) * std::cos(pi * p[1]) * g;
        d[1] = -pi * std::cos(pi * p[0]) * std::sin(pi * p[1]) * g;
        d[2] = std::cos(pi * p[0]) * std::cos(pi * p[1]) / k_at(p[2]);
        return d;
      }
      static double k_at(double z) { return z < 0.5 ? k_bottom : k_top; }
    };

    /// The unit cube refined `refinements` times, faces 4 (z = 0) and 5 (z = 1), material ids as above.
    static void make_mesh(dealii::parallel::distributed::Triangulation<3> &tria, unsigned int refinements)
    {
      dealii::GridGenerator::hyper_cube(tria, 0, 1, true);
      tria.refine_global(refinements);
      for (const auto &cell : tria.active_cell_iterators())
        cell->set_material_id((cell->center()[2] < 0.5 ? 0 : 2) + (cell->center()[0] < 0.5 ? 0 : 1));
    }

    static solver::HeatProblemData<3> data()
    {
      solver::HeatProblemData<3> d;
      d.conductivity  = [](dealii::types::material_id m) { return k_of(m) * dealii::unit_symmetric_tensor<3>(); };
      d.power_density = [](dealii::types::material_id m, const dealii::Point<3> &p) {
        return 2 * pi * pi * std::cos(pi * p[0]) * std::cos(pi * p[1]) * (p[2] - 0.5 + k_of(m));
      };
      const auto flux_z = [](const dealii::Point<3> &p) { return std::cos(pi * p[0]) * std::cos(pi * p[1]); }; // k du/dz
      d.robin[4] = {h, [flux_z](const dealii::Point<3> &p) { return Exact().value(p) - flux_z(p) / h; }};
      d.robin[5] = {h, [flux_z](const dealii::Point<3> &p) { return Exact().value(p) + flux_z(p) / h; }};
      return d;
    }

    static constexpr double pi = 3.14159265358979323846;
  };
} // namespace chiptherm::testing
