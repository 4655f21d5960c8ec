#include "transient_chip_solve.h"

#include "../common/errors.h"
#include "tr_bdf2_stepper.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// Step-size controller limits per step: a rejected step after a power
    /// jump may need a tenth of the step (the cube-root rule underestimates
    /// the cut inside the fast initial layer), growth at most doubles.
    constexpr double min_step_factor = 0.1, max_step_factor = 2.0;
    /// An accepted step grows h only when the controller allows this much more.
    constexpr double growth_threshold = 1.5;
  } // namespace

  TransientChipSolve::TransientChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                                         const SolverSettings &solver_settings, const TransientSettings &settings,
                                         MPI_Comm comm, TimerOutput &timer)
    : model_(model)
    , solver_settings_(solver_settings)
    , settings_(settings)
    , timer_(timer)
    , steady_(model, mesh_settings, solver_settings, comm, timer)
  {}

  std::vector<double> TransientChipSolve::block_powers(double t, bool before) const
  {
    std::vector<double> p;
    for (const auto *b : model_.all_blocks())
      p.push_back(b->power_over_time.at(t, before));
    return p;
  }

  void TransientChipSolve::mesh()
  {
    steady_.mesh();
    const auto &coefficients = steady_.coefficients();
    std::set<std::string> missing;
    for (std::size_t z = 0; z < coefficients.zones().size(); ++z)
      if (!(coefficients.heat_capacity_j_m3k(z) > 0))
        missing.insert(coefficients.zones()[z].material);
    if (!missing.empty())
      throw InputError("material '" + *missing.begin() +
                       "' has no heat_capacity (volumetric, J/(m^3 K)): a transient run needs one for every material");
    problem_ = std::make_unique<HeatProblem<3>>(steady_.triangulation(), solver_settings_.degree, timer_);
    problem_->setup(true);
    assembled_powers_ = block_powers(0, false);
    problem_->assemble(coefficients.problem_data(assembled_powers_));
  }

  double TransientChipSolve::set_source(double t, bool before)
  {
    const auto powers = block_powers(t, before);
    if (powers != assembled_powers_)
      {
        problem_->assemble_rhs(steady_.coefficients().problem_data(powers));
        assembled_powers_ = powers;
      }
    double total = 0;
    for (const double p : powers)
      total += p;
    return total;
  }

  std::vector<BlockResult> TransientChipSolve::block_results() const
  {
    return compute_block_results(*problem_, steady_.coefficients(), model_.all_blocks().size());
  }

  std::vector<double> TransientChipSolve::stop_times() const
  {
    const double        end = settings_.end_time_s;
    std::vector<double> t;
    for (const auto *b : model_.all_blocks())
      b->power_over_time.breakpoints(0, end, t);
    for (unsigned int k = 1; double(k) * settings_.output_interval_s < end * (1 - 1e-12); ++k)
      t.push_back(double(k) * settings_.output_interval_s);
    t.push_back(end);
    std::sort(t.begin(), t.end());
    std::vector<double> merged;
    for (const double x : t)
      if (merged.empty() || x - merged.back() > 1e-12 * end)
        merged.push_back(x);
    return merged;
  }

  TransientReport TransientChipSolve::run(const std::function<void(unsigned int, double)>                 &on_output,
                                          const std::function<void(double, double, const TransientReport &)> &on_step)
  {
    const std::size_t n_blocks = model_.all_blocks().size();
    const double      end      = settings_.end_time_s;
    const double      eps      = 1e-12 * end;
    TransientReport   report;
    report.peak_k.assign(n_blocks, -std::numeric_limits<double>::max());
    report.peak_time_s.assign(n_blocks, 0.0);
    report.peak_spread_k.assign(n_blocks, 0.0);
    report.end_time_s = end;
    report.min_step_s = std::numeric_limits<double>::max();

    // --- initial state --------------------------------------------------------
    PETScWrappers::MPI::Vector u = problem_->make_vector();
    double                     p0 = 0;
    for (const double p : assembled_powers_)
      p0 += p;
    if (settings_.initial == "steady" && p0 > 0)
      {
        problem_->solve(solver_settings_);
        u = problem_->temperature_rise();
      }
    else
      problem_->set_temperature_rise(u);
    const double stored_at_start = problem_->stored_heat_j(u);

    auto track_peaks = [&](double t) {
      const auto results = block_results();
      for (std::size_t b = 0; b < n_blocks; ++b)
        {
          if (results[b].t_max_k > report.peak_k[b])
            report.peak_k[b] = results[b].t_max_k, report.peak_time_s[b] = t;
          report.peak_spread_k[b] = std::max(report.peak_spread_k[b], results[b].t_max_k - results[b].t_min_k);
        }
    };
    track_peaks(0);
    on_output(0, 0.0);

    // --- march ------------------------------------------------------------------
    const auto          stops = stop_times();
    std::vector<double> outputs;
    for (unsigned int k = 1; double(k) * settings_.output_interval_s < end * (1 - 1e-12); ++k)
      outputs.push_back(double(k) * settings_.output_interval_s);
    outputs.push_back(end);

    TrBdf2Stepper stepper(*problem_, solver_settings_, [this](double t, bool before) { return set_source(t, before); });
    const bool    fixed = settings_.fixed_step_s > 0;
    const double  tol   = settings_.step_tolerance_k;
    double        h     = fixed ? settings_.fixed_step_s : settings_.initial_step_s;
    double        t     = 0;
    std::size_t   next_stop = 0, next_output = 0;
    double        rejected_at = -1, rejected_step = 0, rejected_error = 0; ///< the last rejected attempt
    while (t < end - eps)
      {
        while (stops[next_stop] <= t + eps)
          ++next_stop;
        const double stop   = stops[next_stop];
        const double target = std::min(h, settings_.max_step_s);
        // Land on the stop; when it is less than two steps away, split the rest
        // evenly rather than leave a sliver (steps within a factor 2 of h keep
        // the AMG hierarchy).
        double     step  = target;
        const bool lands = stop - t <= target * (1 + 1e-9);
        if (lands)
          step = stop - t;
        else if (stop - t < 2 * target)
          step = 0.5 * (stop - t);

        const StepOutcome outcome = stepper.attempt(t, step, u);
        report.cg_iterations += outcome.iterations;
        const double factor =
          std::clamp(0.9 * std::cbrt(tol / std::max(outcome.error_k, 1e-300)), min_step_factor, max_step_factor);
        if (!fixed && outcome.error_k > tol)
          {
            ++report.rejected_steps;
            h = step * factor;
            // A second rejection at the same t: after a power jump the error
            // falls more slowly than h^3 (the fast initial layer), so use the
            // order the two attempts show.
            if (rejected_at == t && rejected_step > step && rejected_error > outcome.error_k)
              {
                const double order = std::clamp(std::log(rejected_error / outcome.error_k) / std::log(rejected_step / step),
                                                 0.5, 3.0);
                h = step * std::clamp(0.9 * std::pow(tol / outcome.error_k, 1.0 / order), min_step_factor, 1.0);
              }
            rejected_at = t, rejected_step = step, rejected_error = outcome.error_k;
            if (h < settings_.min_step_s)
              throw NumericalError("the time step fell below transient.min_step (" +
                                   std::to_string(settings_.min_step_s) + " s) at t = " + std::to_string(t) +
                                   " s: the local error estimate stays above transient.step_tolerance");
            continue;
          }

        u = stepper.new_state();
        t = lands ? stop : t + step;
        ++report.steps;
        report.energy_in_j += outcome.energy_in_j;
        report.heat_out_j += outcome.heat_out_j;
        report.min_step_s = std::min(report.min_step_s, step);
        report.max_step_s = std::max(report.max_step_s, step);
        if (!fixed)
          {
            // Grow only by a clear margin (fewer matrix rebuilds, no thrashing);
            // a step shortened to land keeps the controller's h unless it showed h too large.
            if (step >= target * (1 - 1e-9))
              {
                if (factor >= growth_threshold)
                  h = step * factor;
              }
            else if (step * factor < h)
              h = step * factor;
          }
        problem_->set_temperature_rise(u);
        track_peaks(t);
        if (on_step)
          on_step(t, step, report);
        if (next_output < outputs.size() && std::abs(t - outputs[next_output]) <= eps)
          on_output(static_cast<unsigned int>(++next_output), t);
      }
    report.stored_j      = problem_->stored_heat_j(u) - stored_at_start;
    report.matrix_builds = problem_->shifted_matrix_builds();
    report.amg_builds    = problem_->shifted_amg_builds();
    if (report.steps == 0)
      report.min_step_s = 0;
    return report;
  }
} // namespace chiptherm::solver
