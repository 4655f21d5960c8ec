// Temperature-dependent problems against closed forms (issue 7):
// - a slab of k = k0 (T/T0)^a with uniform heat, solved exactly through the
//   Kirchhoff transform;
// - a lumped chip with exponential leakage, whose fixed point is given by
//   Lambert's W, and the runaway threshold where W stops being real.
#include "floorplans/case_reader.h"
#include "kirchhoff_slab.h"
#include "lumped_plate.h"
#include "nodal_error.h"
#include "solver/energy_integrals.h"
#include "solver/steady_chip_solve.h"

#include <boost/math/special_functions/lambert_w.hpp>

#include <doctest/doctest.h>

#include <cmath>

using namespace chiptherm;
using namespace dealii;

namespace
{
  struct Solved
  {
    std::unique_ptr<floorplans::ChipModel>     model;
    std::unique_ptr<TimerOutput>               timer;
    std::unique_ptr<solver::SteadyChipSolve>   run;
    solver::LinearSolveReport                  report;
  };

  Solved solve_case(const std::string &text)
  {
    Solved s;
    auto   doc = CaseDocument::parse(text, "nonlinear.yaml");
    s.model    = std::make_unique<floorplans::ChipModel>(floorplans::read_chip_model(doc));
    const auto mesh_settings   = mesh::MeshSettings::read(doc.root().at("mesh"), *s.model);
    const auto solver_settings = solver::SolverSettings::read(doc.root().optional("solver"));
    s.timer = std::make_unique<TimerOutput>(std::cout, TimerOutput::never, TimerOutput::wall_times);
    s.run   = std::make_unique<solver::SteadyChipSolve>(*s.model, mesh_settings, solver_settings, MPI_COMM_WORLD,
                                                      *s.timer);
    s.run->mesh();
    s.report = s.run->solve();
    return s;
  }
} // namespace

TEST_CASE("k(T) = k0 (T/T0)^-1.3: a heated slab matches the Kirchhoff-transform solution to 1e-6 of its rise")
{
  const testing::KirchhoffSlab slab;
  for (const int cells : {10, 20})
    {
      CAPTURE(cells);
      const auto s = solve_case(testing::KirchhoffSlab::case_text("{degree: 2, nonlinear_tolerance: 1e-10}", 2000 / cells));
      auto         exact = [&](double z) { return slab.temperature(z); };
      const double rise  = exact(0) - slab.ambient_k;
      // The Q2 solution (matrix-free Newton from the Q1 one), and the Q3 one
      // of the bounds (one solve linearised about it).
      const double error     = testing::max_nodal_error(s.run->primal_field(), exact);
      const double error_q3  = testing::max_nodal_error(s.run->field(), exact);
      MESSAGE("Q2, " << cells << " cells through 2 mm: rise " << rise << " K, max nodal error " << error
                     << " K (" << error / rise << " of the rise; Q3 " << error_q3 / rise << "), "
                     << s.report.nonlinear_iterations << " iterations");
      CHECK(s.run->primal_field().dofs->get_fe().degree == 2);
      CHECK(rise > 30);
      CHECK(s.report.nonlinear_iterations >= 3); // really nonlinear
      CHECK(error < 1e-6 * rise);
      CHECK(error_q3 < 1e-6 * rise);
      // The constant-k answer is far off: the test sees k(T).
      CHECK(std::abs(rise - slab.constant_k_rise()) > 1.0);
      CHECK(solver::heat_out_w(s.run->primal_field(), s.run->data()) == doctest::Approx(slab.power_w).epsilon(1e-9));
    }
}

TEST_CASE("a steering solve (1e-2 K, no estimate) continued by the next solve gives the direct solve's figures and bounds")
{
  const std::string text = testing::KirchhoffSlab::case_text("{degree: 2, nonlinear_tolerance: 1e-9}", 200);
  const auto        direct = solve_case(text);
  auto              steered = solve_case(text); // then solved again below, steering first
  steered.run->steer(true);
  const auto steering = steered.run->solve();
  CHECK(steered.run->block_errors().empty()); // no estimate while steering
  CHECK(steering.nonlinear_change_k < 1e-2);
  steered.run->steer(false);
  const auto finished = steered.run->solve();
  CHECK(finished.nonlinear_change_k < 1e-9);
  REQUIRE(steered.run->block_errors().size() == direct.run->block_errors().size());
  for (std::size_t b = 0; b < direct.run->block_results().size(); ++b)
    {
      const auto &a = direct.run->block_results()[b], &c = steered.run->block_results()[b];
      CHECK(std::abs(a.t_max_k - c.t_max_k) < 1e-7);
      CHECK(std::abs(a.t_avg_k - c.t_avg_k) < 1e-7);
      CHECK(std::abs(direct.run->block_errors()[b].largest_k() - steered.run->block_errors()[b].largest_k()) < 1e-7);
    }
}

namespace
{
  /// The isothermal plate (lumped_plate.h) whose block leaks p0 exp(beta (T - t0)).
  std::string lumped_case(double p0_w, double dynamic_w)
  {
    return testing::lumped_plate("power: " + std::to_string(dynamic_w) + ", leakage: {p0: " + std::to_string(p0_w) +
                                   ", t0: 25, beta: 0.03}",
                                 "solver: {degree: 1, nonlinear_tolerance: 1e-7}\n");
  }
} // namespace

TEST_CASE("exponential leakage: the lumped fixed point is Lambert's W, and runaway starts where W stops being real")
{
  const double h = 2000, area = 1e-4, ambient = 318.15, t0 = 298.15, beta = 0.03, P0 = 5.0;
  const double R = 1 / (h * area); // 5 K/W
  // x = T - ambient solves x = R (P0 + p0 e^{beta (ambient - t0)} e^{beta x}); with
  // c = p0 e^{beta (ambient - t0)} and z = beta R c e^{beta R P0}: x = R P0 - W0(-z)/beta,
  // real (a steady state) only for z <= 1/e.
  auto z_of  = [&](double p0) { return beta * R * p0 * std::exp(beta * (ambient - t0)) * std::exp(beta * R * P0); };
  auto exact = [&](double p0) { return R * P0 - boost::math::lambert_w0(-z_of(p0)) / beta; };
  const double p0_threshold = 1 / (std::exp(1.0) * z_of(1.0)); // z(p0) is linear in p0

  for (const double share : {0.3, 0.9, 0.98})
    {
      CAPTURE(share);
      const double p0 = share * p0_threshold;
      const auto   s  = solve_case(lumped_case(p0, P0));
      const auto  &problem = s.run->problem();
      const auto   blocks  = s.run->block_results();
      const double t_mean  = blocks.front().t_avg_k;
      const double rise    = t_mean - ambient, expected = exact(p0);
      MESSAGE(share << " of the runaway leakage (p0 = " << p0 << " W): rise " << rise << " K, Lambert W "
                    << expected << " K, " << s.report.nonlinear_iterations << " iterations");
      // The plate is isothermal to ~1e-6 (Biot number h t / k = 2e-7).
      CHECK(blocks.front().t_max_k - blocks.front().t_min_k < 1e-5 * rise);
      // Near the fold dx/dz grows like (1 - e z)^-1/2, so the plate's tiny
      // non-uniformity weighs more there.
      CHECK(std::abs(rise - expected) < (share < 0.95 ? 1e-5 : 1e-4) * expected);
      // Energy: dynamic + leakage in, all of it out through the top.
      const double leak = p0 * std::exp(beta * (t_mean - t0));
      CHECK(solver::power_in_w(problem) == doctest::Approx(P0 + leak).epsilon(1e-6));
      CHECK(solver::heat_out_w(problem) == doctest::Approx(solver::power_in_w(problem)).epsilon(1e-8));
      CHECK(s.run->coefficients().block_leakage_w(problem).front() == doctest::Approx(leak).epsilon(1e-6));
    }
  for (const double share : {1.02, 2.0})
    {
      CAPTURE(share);
      CHECK_THROWS_AS(solve_case(lumped_case(share * p0_threshold, P0)), solver::ThermalRunaway);
    }
}
