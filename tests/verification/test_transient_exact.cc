// Transient verification against exact solutions: the lumped RC limit, a 1D
// slab's series solution with the measured temporal order of TR-BDF2, the
// energy balance, and the approach to the steady solver's answer. Runs on 1
// and 2 ranks (ctest: verification, verification_np2).
#include "solver/steady_chip_solve.h"
#include "transient_run.h"

#include "tests/unit/sample_case.h"

#include <deal.II/base/mpi.h>

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <memory>

using namespace chiptherm;
using namespace dealii;

namespace
{
  using chiptherm::testing::run_transient_case;

  // One 10 x 10 mm plate, 100 um thick, of a conductor so good that it stays
  // isothermal (Biot number h t / k = 1e-7), fully powered, cooled on top:
  // T(t) = T_amb + P R (1 - exp(-t / RC)), R = 1 / (h A), C = rho c V.
  const char *lumped_case = R"(version: 1
name: lumped
units: {length: um, temperature: C}
ambient: 25
materials:
  - standard
  - {name: isothermal, conductivity: 1.0e5, heat_capacity: 1.66e6, source: "test material"}
stack:
  - name: plate
    material: isothermal
    thickness: 100
    footprint: [0, 0, 10000, 10000]
    blocks:
      - {name: all, type: logic, rect: [0, 0, 10000, 10000], power: 1.0}
boundaries:
  top: {h: 1000}
mesh: {die_cell_size: 2500, package_cell_size: 2500, vertical_cell_size: 50, policy: none}
transient: {end_time: 0.5, output_interval: 0.05, step_tolerance: 1.0e-4}
)";
} // namespace

TEST_CASE("lumped RC limit: T_amb + P R (1 - exp(-t/RC)) to 0.1 % of the rise; energy closes")
{
  const auto   r    = run_transient_case(lumped_case, {});
  const double R    = 1.0 / (1000.0 * 1e-4);       // K/W
  const double C    = 1.66e6 * (1e-2 * 1e-2 * 1e-4); // J/K
  const double rise = 1.0 * R;
  REQUIRE(r->times.size() == 11);
  double worst = 0;
  for (std::size_t k = 0; k < r->times.size(); ++k)
    {
      const double exact = 298.15 + rise * (1 - std::exp(-r->times[k] / (R * C)));
      worst              = std::max(worst, std::abs(r->blocks[k][0].t_avg_k - exact));
      // Isothermal: the block's max and mean agree.
      CHECK(r->blocks[k][0].t_max_k - r->blocks[k][0].t_min_k < 1e-4 * rise);
    }
  MESSAGE("lumped RC: worst error " << worst << " K of a " << rise << " K rise; " << r->report.steps << " steps, "
                                    << r->report.rejected_steps << " rejected");
  CHECK(worst < 1e-3 * rise);
  CHECK(r->report.energy_rel_error() < 1e-6);
  // Heat in is the exact integral of the (constant) power.
  CHECK(r->report.energy_in_j == doctest::Approx(0.5).epsilon(1e-12));
  // The controller grows the step: far fewer steps than end_time / initial_step.
  CHECK(r->report.steps < 200);
}

namespace
{
  // A 1 mm slab, fully powered (uniform q), adiabatic below and at the sides,
  // convective on top: 1D in z. Exact: T = T_s(z) + sum c_n cos(l_n z) exp(-a l_n^2 t)
  // with T_s = T_amb + q L / h + q (L^2 - z^2) / (2k), l_n tan(l_n L) = h / k.
  const char *slab_case = R"(version: 1
name: slab
units: {length: um, temperature: C}
ambient: 25
materials:
  - {name: slab_material, conductivity: 100, heat_capacity: 1.66e6, source: "test material"}
stack:
  - name: slab
    material: slab_material
    thickness: 1000
    footprint: [0, 0, 2000, 2000]
    blocks:
      - {name: all, type: logic, rect: [0, 0, 2000, 2000], power: 1.0}
boundaries:
  top: {h: 10000}
mesh: {die_cell_size: 2000, package_cell_size: 2000, vertical_cell_size: 62.5, policy: none}
solver: {degree: 2}
transient: {end_time: 0.05, output_interval: 0.01, step_tolerance: 1.0e-5}
)";

  struct SlabExact
  {
    double L = 1e-3, k = 100, rho_c = 1.66e6, h = 1e4, q = 1.0 / (2e-3 * 2e-3 * 1e-3), t_amb = 298.15;
    std::vector<double> lambda, coefficient;

    SlabExact()
    {
      const double alpha = h / k;
      for (int n = 0; n < 400; ++n)
        {
          // Root of f(l) = l tan(l L) - h/k in (n pi / L, (n + 1/2) pi / L): bisection.
          double lo = n * M_PI / L + 1e-12 / L, hi = (n + 0.5) * M_PI / L - 1e-12 / L;
          for (int it = 0; it < 200; ++it)
            {
              const double mid = 0.5 * (lo + hi);
              (mid * std::tan(mid * L) - alpha > 0 ? hi : lo) = mid;
            }
          const double l = 0.5 * (lo + hi);
          // theta_0(z) = -(q L / h + q (L^2 - z^2) / (2k)); project on cos(l z).
          const double s = std::sin(l * L), c = std::cos(l * L);
          const double int_cos  = s / l;
          const double int_z2   = L * L * s / l + 2 * L * c / (l * l) - 2 * s / (l * l * l);
          const double int_proj = -(q * L / h + q * L * L / (2 * k)) * int_cos + q / (2 * k) * int_z2;
          const double norm     = L / 2 + std::sin(2 * l * L) / (4 * l);
          lambda.push_back(l);
          coefficient.push_back(int_proj / norm);
        }
    }
    double temperature(double z, double t) const
    {
      double T = t_amb + q * L / h + q * (L * L - z * z) / (2 * k);
      for (std::size_t n = 0; n < lambda.size(); ++n)
        T += coefficient[n] * std::cos(lambda[n] * z) * std::exp(-k / rho_c * lambda[n] * lambda[n] * t);
      return T;
    }
  };
} // namespace

TEST_CASE("1D slab against its series solution; TR-BDF2 converges with order 2 in time")
{
  const SlabExact exact;
  // The series itself: it starts at ambient and ends at the steady profile.
  CHECK(std::abs(exact.temperature(0.0, 0.0) - exact.t_amb) < 1e-3);
  const double rise = exact.temperature(0.0, 1e3) - exact.t_amb;

  // Adaptive steps, tight tolerance: the block maximum sits on the adiabatic bottom (z = 0).
  const auto r = run_transient_case(slab_case, {});
  REQUIRE(r->times.size() == 6);
  double worst = 0;
  for (std::size_t k = 1; k < r->times.size(); ++k)
    worst = std::max(worst, std::abs(r->blocks[k][0].t_max_k - exact.temperature(0.0, r->times[k])));
  MESSAGE("slab: worst error " << worst << " K of a " << rise << " K rise over 5 output times, "
                               << r->report.steps << " steps, " << r->report.rejected_steps << " rejected");
  CHECK(worst < 1e-4 * rise);
  CHECK(r->report.energy_rel_error() < 1e-6);

  // Fixed steps: the error at t = 0.05 s against a run with a 16 times smaller
  // step on the same mesh (so only the temporal error remains) falls 4x per halving.
  // Stage solves to 1e-10 (not the transient's 1e-7): the finest step's error is 1e-5 K.
  auto at_end = [&](double dt) {
    const auto run = run_transient_case(slab_case, {"transient.fixed_step=" + std::to_string(dt),
                                                    "solver.relative_tolerance=1e-10"});
    return run->blocks.back()[0].t_max_k;
  };
  const double reference = at_end(0.05 / 640);
  const double e1 = std::abs(at_end(0.05 / 10) - reference), e2 = std::abs(at_end(0.05 / 20) - reference),
               e3 = std::abs(at_end(0.05 / 40) - reference);
  const double order1 = std::log2(e1 / e2), order2 = std::log2(e2 / e3);
  MESSAGE("fixed steps 5 ms / 2.5 ms / 1.25 ms: temporal errors " << e1 << ", " << e2 << ", " << e3
                                                                  << " K; observed orders " << order1 << ", " << order2);
  CHECK(order1 > 1.8);
  CHECK(order1 < 2.3);
  CHECK(order2 > 1.8);
  CHECK(order2 < 2.3);
}

TEST_CASE("stage solves stopped early still close the energy balance to rounding (the constant mode is corrected)")
{
  // Tested with the constant function a stage equation is the step's energy
  // balance; ShiftedOperator's Galerkin correction along the constants makes
  // it hold whatever tolerance CG stopped at.
  const auto tight = run_transient_case(slab_case, {});
  const auto loose = run_transient_case(slab_case, {"solver.relative_tolerance=1e-3"});
  const double apart = std::abs(loose->blocks.back()[0].t_max_k - tight->blocks.back()[0].t_max_k);
  MESSAGE("slab, stage solves to 1e-3: energy error " << loose->report.energy_rel_error() << " (default "
                                                      << tight->report.energy_rel_error() << "), end peaks "
                                                      << apart << " K apart, " << loose->report.steps
                                                      << " steps (default " << tight->report.steps << ")");
  CHECK(apart > 1e-6); // the loose solves did stop early
  CHECK(loose->report.energy_rel_error() < 1e-10); // 3e-15 on 1 rank, 2e-12 on 2 (rounding over 3,000 steps)
  CHECK(tight->report.energy_rel_error() < 1e-10);
}

namespace
{
  /// Largest difference of the blocks' t_max and t_avg after a transient of
  /// the three-layer case (its own mesh, a 10 s march from ambient) from the
  /// steady solve on the same mesh and space (Q1, no estimate).
  double distance_from_steady(const std::string &mesh, const std::string &solver, solver::TransientReport &report)
  {
    const std::string text = std::string(chiptherm::test::three_layer_case) + mesh + solver +
                             "transient: {end_time: 10, output_interval: 1, initial: ambient}\n";
    const auto r = run_transient_case(text, {});
    report       = r->report;

    auto        doc   = CaseDocument::parse(text, "steady.yaml");
    auto        model = floorplans::read_chip_model(doc);
    TimerOutput timer(MPI_COMM_WORLD, std::cout, TimerOutput::never, TimerOutput::wall_times);
    auto        solver_settings = solver::SolverSettings::read(doc.root().optional("solver"));
    solver_settings.degree      = 1;
    solver::SteadyChipSolve steady(model, mesh::MeshSettings::read(doc.root().optional("mesh"), model),
                                   solver_settings, MPI_COMM_WORLD, timer, false);
    steady.mesh();
    steady.solve();
    double worst = 0;
    for (std::size_t b = 0; b < steady.block_results().size(); ++b)
      {
        worst = std::max(worst, std::abs(r->blocks.back()[b].t_max_k - steady.block_results()[b].t_max_k));
        worst = std::max(worst, std::abs(r->blocks.back()[b].t_avg_k - steady.block_results()[b].t_avg_k));
      }
    MESSAGE(mesh << solver << "after 10 s: largest block difference from the steady solve " << worst << " K; "
                 << report.steps << " steps, " << report.rejected_steps << " rejected, " << report.amg_builds
                 << " AMG builds, " << report.cg_iterations << " CG iterations");
    return worst;
  }
} // namespace

TEST_CASE("a long transient reaches the steady solver's answer")
{
  solver::TransientReport report;
  const double            worst = distance_from_steady(
    "mesh: {die_cell_size: 500, package_cell_size: 1000, vertical_cell_size: 250, policy: none}\n", "", report);
  CHECK(worst < 1e-5);
  CHECK(report.energy_rel_error() < 1e-6);
}

TEST_CASE("time steps: rungs too stiff for ICC(0) switch to BoomerAMG, and both reach the steady answer")
{
  // Finer cells make the long steps' M + c K stiff: ICC(0) needs more than 30
  // CG iterations there and the rung goes on with BoomerAMG.
  const std::string       mesh = "mesh: {die_cell_size: 100, package_cell_size: 250, vertical_cell_size: 25, policy: none}\n";
  solver::TransientReport first, amg;
  const double            worst_first = distance_from_steady(mesh, "", first);
  const double            worst_amg   = distance_from_steady(mesh, "solver: {time_step_preconditioner: boomeramg}\n", amg);
  CHECK(first.amg_builds > 0);               // some rungs switched ...
  CHECK(first.amg_builds < amg.amg_builds);  // ... not all
  CHECK(worst_first < 1e-5);
  CHECK(worst_amg < 1e-5);
  CHECK(first.energy_rel_error() < 1e-6);
}
