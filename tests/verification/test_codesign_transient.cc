// The co-design loop in time (issue 7) against references computed here,
// independently of the finite elements:
// - leakage on the isothermal plate against its ODE C dx/dt = P + c e^{beta x} - x/R,
//   integrated by RK4 with a step 1000 times smaller than the solver's;
// - above the runaway threshold the run stops with ThermalRunaway naming the block;
// - k(T) in a slab: the transient ends on the Kirchhoff-transform steady state,
//   and the lagged conductivity still converges with the step;
// - DVFS control on the plate against the exact piecewise-exponential answer of
//   the same controller (same control times, limit, hysteresis).
#include "kirchhoff_slab.h"
#include "lumped_plate.h"
#include "nodal_error.h"
#include "transient_run.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace chiptherm;
using chiptherm::testing::run_transient_case;

namespace
{
  constexpr double beta = 0.03, t0_k = 298.15, dynamic_w = 5.0;

  /// p0 at which the plate's leakage has no fixed point any more (Lambert W's
  /// branch point: beta R c e^{beta R P} = 1/e, c = p0 e^{beta (ambient - t0)}).
  double runaway_p0()
  {
    const double R = testing::plate_r_k_w;
    return 1 / (std::exp(1.0) * beta * R * std::exp(beta * (testing::plate_ambient_k - t0_k)) *
                std::exp(beta * R * dynamic_w));
  }

  std::string leaky_plate(double p0, const std::string &transient)
  {
    return testing::lumped_plate("power: " + std::to_string(dynamic_w) + ", leakage: {p0: " + std::to_string(p0) +
                                   ", t0: 25, beta: 0.03}",
                                 "transient: " + transient + "\n");
  }

  /// x(t) = T - ambient of the lumped ODE from x = 0, by classical RK4 with n steps per unit of `every`.
  std::vector<double> lumped_leakage_reference(double p0, double every, std::size_t outputs)
  {
    const double R = testing::plate_r_k_w, C = testing::plate_c_j_k;
    const double c = p0 * std::exp(beta * (testing::plate_ambient_k - t0_k));
    auto         f = [&](double x) { return (dynamic_w + c * std::exp(beta * x) - x / R) / C; };
    const int    n = 20000;
    const double dt = every / n;
    std::vector<double> x = {0.0};
    double              y = 0;
    for (std::size_t k = 1; k <= outputs; ++k)
      {
        for (int i = 0; i < n; ++i)
          {
            const double k1 = f(y), k2 = f(y + 0.5 * dt * k1), k3 = f(y + 0.5 * dt * k2), k4 = f(y + dt * k3);
            y += dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
          }
        x.push_back(y);
      }
    return x;
  }
} // namespace

TEST_CASE("transient leakage: the isothermal plate follows its ODE; energy in = out + stored")
{
  for (const double share : {0.5, 0.9})
    {
      CAPTURE(share);
      const double p0      = share * runaway_p0();
      const auto   r       = run_transient_case(leaky_plate(p0, "{end_time: 0.3, output_interval: 0.01, "
                                                                "step_tolerance: 1e-4}"), {});
      const auto   exact   = lumped_leakage_reference(p0, 0.01, 30);
      REQUIRE(r->times.size() == exact.size());
      double worst = 0;
      for (std::size_t k = 0; k < exact.size(); ++k)
        worst = std::max(worst, std::abs(r->blocks[k][0].t_avg_k - testing::plate_ambient_k - exact[k]));
      const double rise = exact.back();
      MESSAGE("leakage at " << share << " of runaway: rise " << rise << " K at 0.3 s, worst error " << worst
                            << " K; " << r->report.steps << " steps, " << r->report.rejected_steps << " rejected, "
                            << r->report.amg_builds << " AMG builds; energy balance " << r->report.energy_rel_error());
      // Without leakage the rise would end at R P = 25 K: the test sees it.
      CHECK(rise > 30);
      CHECK(worst < 2e-3 * rise);
      CHECK(r->report.energy_rel_error() < 1e-6);
      // The leakage the report gives is p0 e^{beta (T - t0)} at the end state.
      const double t_end = r->blocks.back()[0].t_avg_k;
      CHECK(r->solve->block_leakage_w()[0] == doctest::Approx(p0 * std::exp(beta * (t_end - t0_k))).epsilon(1e-6));
    }
}

TEST_CASE("transient leakage above the runaway threshold stops with ThermalRunaway naming the block")
{
  const std::string text = leaky_plate(1.5 * runaway_p0(), "{end_time: 2, output_interval: 0.1, step_tolerance: 1e-4}");
  std::string       message;
  try
    {
      run_transient_case(text, {});
    }
  catch (const solver::ThermalRunaway &e)
    {
      message = e.what();
    }
  MESSAGE(message);
  const auto at = message.find("thermal runaway at t = ");
  REQUIRE(at != std::string::npos);
  CHECK(message.find("die/core") != std::string::npos);
  // The ODE's solution blows up at t* = integral of C dx / f(x) from 0 to
  // infinity (f > 0 everywhere above the threshold); the run stops there, a
  // little late by its accumulated error (0.239 s with step_tolerance 1e-2,
  // 0.2369 s with 1e-4, for t* = 0.23665 s).
  const double R = testing::plate_r_k_w, C = testing::plate_c_j_k;
  const double c = 1.5 * runaway_p0() * std::exp(beta * (testing::plate_ambient_k - t0_k));
  double       blow_up = 0;
  const double dx      = 1e-3;
  for (double x = 0.5 * dx; x < 2000; x += dx) // beyond 2000 K the rest is below 1e-20 s
    blow_up += C * dx / (dynamic_w + c * std::exp(beta * x) - x / R);
  const double stopped = std::stod(message.substr(at + std::string("thermal runaway at t = ").size()));
  MESSAGE("stopped at " << stopped << " s; the ODE blows up at " << blow_up << " s");
  CHECK(std::abs(stopped - blow_up) < 5e-3 * blow_up);
}

TEST_CASE("transient k(T): a slab ends on the Kirchhoff-transform steady state; lagged k converges with the step")
{
  // The slab of kirchhoff_slab.h, now with heat capacity: L^2 rho c / k ~ 45 ms.
  const testing::KirchhoffSlab slab;
  const std::string            text  = testing::KirchhoffSlab::case_text("{degree: 2}", 100);
  auto                         exact = [&](double z) { return slab.temperature(z); };

  const auto   r     = run_transient_case(text + "transient: {end_time: 1.5, output_interval: 0.5}\n", {});
  const double rise  = exact(0) - slab.ambient_k;
  const double error = testing::max_nodal_error(r->solve->problem(), exact);
  MESSAGE("k(T) slab after 1.5 s: max nodal error " << error << " K of a " << rise << " K rise; " << r->report.steps
                                                    << " steps; energy balance " << r->report.energy_rel_error());
  CHECK(error < 1e-5 * rise);
  CHECK(r->report.energy_rel_error() < 1e-6);

  // Fixed steps to t = 20 ms against a 64 times smaller step on the same mesh:
  // k(T) is taken at the start of each step (lagged), so the error falls
  // linearly (measured: orders 0.88, 0.98), not quadratically as it does for
  // leakage (linearised by Newton) and constant k.
  auto at_end = [&](double dt) {
    const auto run = run_transient_case(text + "transient: {end_time: 0.02, output_interval: 0.02, fixed_step: " +
                                          std::to_string(dt) + "}\n", {});
    return run->blocks.back()[0].t_max_k;
  };
  const double reference = at_end(0.02 / 640);
  const double e1 = std::abs(at_end(0.02 / 10) - reference), e2 = std::abs(at_end(0.02 / 20) - reference),
               e3 = std::abs(at_end(0.02 / 40) - reference);
  MESSAGE("k(T), fixed steps 2 / 1 / 0.5 ms: errors " << e1 << ", " << e2 << ", " << e3 << " K; observed orders "
                                                     << std::log2(e1 / e2) << ", " << std::log2(e2 / e3));
  CHECK(std::log2(e1 / e2) > 0.8);
  CHECK(std::log2(e2 / e3) > 0.9);
  CHECK(e3 < 1e-4 * rise);
}

namespace
{
  struct Event
  {
    double      t_s;
    std::size_t from, to;
  };

  /// The plate's DVFS controller, exactly: between control times the plate
  /// relaxes to ambient + R P with time constant RC.
  std::vector<Event> exact_dvfs(const std::vector<double> &power_w, double limit_k, double hysteresis_k, double every,
                                double end, double &throughput_cycles, const std::vector<double> &frequency,
                                double &closest_call_k)
  {
    const double tau = testing::plate_r_k_w * testing::plate_c_j_k;
    double       T   = testing::plate_ambient_k;
    std::size_t  p   = 0;
    std::vector<Event> events;
    throughput_cycles = 0;
    closest_call_k    = 1e300;
    const auto n = static_cast<std::size_t>(std::llround(end / every));
    for (std::size_t k = 1; k <= n; ++k)
      {
        const double t_inf = testing::plate_ambient_k + testing::plate_r_k_w * power_w[p];
        T                  = t_inf + (T - t_inf) * std::exp(-every / tau);
        throughput_cycles += frequency[p] * every;
        if (k == n)
          break;
        closest_call_k = std::min({closest_call_k, std::abs(T - limit_k), std::abs(T - (limit_k - hysteresis_k))});
        const std::size_t from = p;
        if (T > limit_k && p + 1 < power_w.size())
          ++p;
        else if (T < limit_k - hysteresis_k && p > 0)
          --p;
        if (p != from)
          events.push_back({double(k) * every, from, p});
      }
    return events;
  }
} // namespace

TEST_CASE("DVFS in time: the plate's controller matches the exact piecewise-exponential answer")
{
  // Points 20 / 15 / 10 / 5 W settle at 145 / 120 / 95 / 70 C; limit 100 C,
  // hysteresis 3 K, a control every 4 ms (RC = 50 ms).
  const std::vector<double> power = {20, 15, 10, 5}, frequency = {2.0e9, 1.6e9, 1.2e9, 0.8e9};
  const std::string         text  = testing::lumped_plate(
    "dvfs: {limit: 100, hysteresis: 3, points: [{frequency: 2.0e9, voltage: 0.9, power: 20}, "
    "{frequency: 1.6e9, voltage: 0.8, power: 15}, {frequency: 1.2e9, voltage: 0.7, power: 10}, "
    "{frequency: 0.8e9, voltage: 0.6, power: 5}]}",
    "transient: {end_time: 0.5, output_interval: 0.05, control_interval: 0.004, step_tolerance: 1e-5}\n");
  const auto r = run_transient_case(text, {});

  double     cycles = 0, closest = 0;
  const auto exact  = exact_dvfs(power, 373.15, 3, 0.004, 0.5, cycles, frequency, closest);
  const auto &got   = r->report.throttle_events;
  MESSAGE("DVFS plate: " << got.size() << " events (exact " << exact.size() << "), throughput "
                         << r->solve->dvfs().throughput(0, r->report, 0.5) << " (exact " << cycles / (2.0e9 * 0.5)
                         << "); closest call of the exact controller " << closest << " K; " << r->report.steps
                         << " steps");
  // The comparison is well posed: no control time sees T within 1 mK of a threshold.
  REQUIRE(closest > 1e-3);
  REQUIRE(got.size() == exact.size());
  for (std::size_t i = 0; i < exact.size(); ++i)
    {
      CAPTURE(i);
      CHECK(got[i].t_s == doctest::Approx(exact[i].t_s).epsilon(1e-12));
      CHECK(got[i].from == exact[i].from);
      CHECK(got[i].to == exact[i].to);
    }
  CHECK(exact.size() >= 4); // it really throttles, and recovers
  CHECK(r->solve->dvfs().throughput(0, r->report, 0.5) == doctest::Approx(cycles / (2.0e9 * 0.5)).epsilon(1e-12));
  CHECK(r->report.control_times == 124);
  CHECK(r->report.energy_rel_error() < 1e-6);
}
