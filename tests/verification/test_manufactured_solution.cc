// Manufactured solution with piecewise conductivity: convergence orders.
//   u = 300 + cos(pi x) cos(pi y) g(z),  g = (z - 1/2)/k_i + 1  in layer i,
// so u and the normal flux k du/dz are continuous across z = 1/2; the sides
// are adiabatic (du/dx = 0 at x = 0, 1), top and bottom are Robin with a far
// temperature chosen so that u satisfies them.
#include "solver/heat_problem.h"

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/numerics/vector_tools.h>

#include <doctest/doctest.h>

#include <cmath>

using namespace chiptherm;
using namespace dealii;

namespace
{
  constexpr double k_bottom = 1.0, k_top = 10.0, h = 2.0;
  constexpr double offset_k = 300; // keeps u a physical temperature (the solver rejects T <= 0 K)
  const double     pi = numbers::PI;

  double k_at(double z) { return z < 0.5 ? k_bottom : k_top; }

  class Exact : public Function<3>
  {
  public:
    double value(const Point<3> &p, unsigned int = 0) const override
    {
      return offset_k + std::cos(pi * p[0]) * std::cos(pi * p[1]) * ((p[2] - 0.5) / k_at(p[2]) + 1);
    }
    Tensor<1, 3> gradient(const Point<3> &p, unsigned int = 0) const override
    {
      const double g = (p[2] - 0.5) / k_at(p[2]) + 1;
      Tensor<1, 3> d;
      d[0] = -pi * std::sin(pi * p[0]) * std::cos(pi * p[1]) * g;
      d[1] = -pi * std::cos(pi * p[0]) * std::sin(pi * p[1]) * g;
      d[2] = std::cos(pi * p[0]) * std::cos(pi * p[1]) / k_at(p[2]);
      return d;
    }
  };

  struct Errors
  {
    double l2, h1;
  };

  Errors solve_at(unsigned int degree, unsigned int refinements)
  {
    parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
    GridGenerator::hyper_cube(tria, 0, 1, true); // faces 4 (z=0) and 5 (z=1)
    tria.refine_global(refinements);
    for (const auto &cell : tria.active_cell_iterators())
      cell->set_material_id(cell->center()[2] < 0.5 ? 0 : 1);

    solver::HeatProblemData<3> data;
    data.conductivity = [](types::material_id m) {
      return (m == 0 ? k_bottom : k_top) * unit_symmetric_tensor<3>();
    };
    data.power_density = [](types::material_id m, const Point<3> &p) {
      return 2 * pi * pi * std::cos(pi * p[0]) * std::cos(pi * p[1]) * (p[2] - 0.5 + (m == 0 ? k_bottom : k_top));
    };
    const Exact exact;
    const auto  flux_z = [](const Point<3> &p) { return std::cos(pi * p[0]) * std::cos(pi * p[1]); }; // k du/dz
    data.robin[4] = {h, [&](const Point<3> &p) { return exact.value(p) - flux_z(p) / h; }};
    data.robin[5] = {h, [&](const Point<3> &p) { return exact.value(p) + flux_z(p) / h; }};

    TimerOutput timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
    solver::HeatProblem<3> problem(tria, degree, timer);
    problem.setup();
    problem.assemble(data);
    solver::SolverSettings settings;
    settings.relative_tolerance = 1e-13;
    problem.solve(settings);

    Vector<float> cellwise(tria.n_active_cells());
    const QGauss<3> quadrature(degree + 2);
    VectorTools::integrate_difference(problem.dof_handler(), problem.temperature(), exact, cellwise, quadrature,
                                      VectorTools::L2_norm);
    const double l2 = VectorTools::compute_global_error(tria, cellwise, VectorTools::L2_norm);
    VectorTools::integrate_difference(problem.dof_handler(), problem.temperature(), exact, cellwise, quadrature,
                                      VectorTools::H1_seminorm);
    const double h1 = VectorTools::compute_global_error(tria, cellwise, VectorTools::H1_seminorm);
    return {l2, h1};
  }

  void check_orders(unsigned int degree, unsigned int first, unsigned int last)
  {
    std::vector<Errors> e;
    for (unsigned int r = first; r <= last; ++r)
      e.push_back(solve_at(degree, r));
    for (std::size_t i = 1; i < e.size(); ++i)
      {
        const double l2_order = std::log2(e[i - 1].l2 / e[i].l2), h1_order = std::log2(e[i - 1].h1 / e[i].h1);
        MESSAGE("Q" << degree << " refinement " << first + i << ": L2 " << e[i].l2 << " (order " << l2_order
                    << "), H1 " << e[i].h1 << " (order " << h1_order << ")");
        CHECK(l2_order == doctest::Approx(degree + 1).epsilon(0.1 / (degree + 1)));
        CHECK(h1_order == doctest::Approx(degree).epsilon(0.1 / degree));
      }
  }
} // namespace

TEST_CASE("manufactured solution, piecewise conductivity: Q1 converges at orders 2 (L2) and 1 (H1)")
{
  check_orders(1, 2, 5);
}

TEST_CASE("manufactured solution, piecewise conductivity: Q2 converges at orders 3 (L2) and 2 (H1)")
{
  check_orders(2, 1, 4);
}
