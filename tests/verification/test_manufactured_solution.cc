// Manufactured solution with piecewise conductivity (manufactured_case.h):
// convergence orders.
#include "manufactured_case.h"
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
  using Case = testing::ManufacturedCase;

  struct Errors
  {
    double l2, h1;
  };

  Errors solve_at(unsigned int degree, unsigned int refinements)
  {
    parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
    Case::make_mesh(tria, refinements);
    const auto        data = Case::data();
    const Case::Exact exact;

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
