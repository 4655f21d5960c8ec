#include "transient_chip_solve.h"

#include "../common/errors.h"
#include "tr_bdf2_stepper.h"

#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/dofs/dof_tools.h>

#include <algorithm>
#include <cmath>
#include <limits>

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
    /// A temperature-dependent run past this is a thermal runaway (as in steady solves).
    constexpr double runaway_ceiling_k = 5000;
  } // namespace

  TransientChipSolve::TransientChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                                         const SolverSettings &solver_settings, const TransientSettings &settings,
                                         MPI_Comm comm, TimerOutput &timer, const SignoffSettings &signoff)
    : model_(model)
    , solver_settings_(solver_settings)
    , settings_(settings)
    , timer_(timer)
    , steady_(model, mesh_settings, solver_settings, comm, timer)
    , dvfs_(model, signoff)
  {}

  std::vector<double> TransientChipSolve::block_powers(double t, bool before) const
  {
    const auto          blocks = model_.all_blocks();
    std::vector<double> p;
    for (std::size_t b = 0; b < blocks.size(); ++b)
      p.push_back(blocks[b]->dvfs ? dvfs_.dynamic_power_w(b, march_ ? march_->report : TransientReport())
                                  : blocks[b]->power_over_time.at(t, before));
    return p;
  }

  std::vector<double> TransientChipSolve::block_leakage_w() const
  {
    const auto &c = steady_.coefficients();
    return c.has_leakage() ? c.block_leakage_w(*problem_) : std::vector<double>(model_.all_blocks().size(), 0.0);
  }

  std::vector<double> TransientChipSolve::dvfs_frequencies_hz() const
  {
    const auto          blocks = model_.all_blocks();
    std::vector<double> f;
    for (const std::size_t b : dvfs_.blocks())
      {
        const std::size_t point = march_ && !march_->report.dvfs_point.empty() ? march_->report.dvfs_point[b] : 0;
        f.push_back(blocks[b]->dvfs->points[point].frequency_hz);
      }
    return f;
  }

  bool TransientChipSolve::is_control_time(double t) const
  {
    if (!dvfs_.active())
      return false;
    const double k = std::round(t / settings_.control_interval_s);
    return k >= 1 && std::abs(t - k * settings_.control_interval_s) <= 1e-12 * settings_.end_time_s;
  }

  void TransientChipSolve::mesh()
  {
    if (settings_.initial == "state")
      {
        load_state(CheckpointStore(settings_.initial_state_dir, steady_.triangulation().get_communicator()), 0);
        initial_state_loaded_ = true;
        return;
      }
    steady_.mesh();
    make_problem(0);
  }

  nlohmann::json TransientChipSolve::load_state(const CheckpointStore &store, double t)
  {
    const auto state = store.state();
    steady_.mesh_from_checkpoint(store.mesh_file(), state.at("coarse_cells").get<unsigned long long>());
    make_problem(t);
    LinearAlgebra::distributed::Vector<double> temperature = ghosted_vector();
    store.load_temperature(problem_->dof_handler(), temperature);
    PETScWrappers::MPI::Vector u = problem_->make_vector();
    for (const auto i : problem_->dof_handler().locally_owned_dofs())
      u[i] = temperature[i] - model_.ambient_k;
    u.compress(VectorOperation::insert);
    problem_->set_temperature_rise(u);
    return state;
  }

  void TransientChipSolve::save_final_state(const std::string &directory) const
  {
    CheckpointStore store(directory, steady_.triangulation().get_communicator());
    store.save(steady_.triangulation(), problem_->dof_handler(), problem_->temperature(),
               {{"coarse_cells", steady_.mesh_info().coarse_cells}, {"t", march_ ? march_->t : 0.0},
                {"case", model_.name}});
  }

  void TransientChipSolve::make_problem(double t)
  {
    problem_ = std::make_unique<HeatProblem<3>>(steady_.triangulation(), solver_settings_.degree, timer_);
    problem_->setup(true);
    assembled_powers_ = block_powers(t, false);
    problem_->assemble(steady_.coefficients().problem_data(assembled_powers_));
  }

  LinearAlgebra::distributed::Vector<double> TransientChipSolve::ghosted_vector() const
  {
    // Unpacking writes the values of every locally owned cell, some of whose
    // DoFs other ranks own: the vector needs the ghost layout (not its values).
    const auto &dofs = problem_->dof_handler();
    LinearAlgebra::distributed::Vector<double> v(dofs.locally_owned_dofs(), DoFTools::extract_locally_relevant_dofs(dofs),
                                                 steady_.triangulation().get_communicator());
    v.zero_out_ghost_values();
    return v;
  }

  void TransientChipSolve::adapt_mesh(double t, PETScWrappers::MPI::Vector &u, TransientReport &report)
  {
    const double   stored_before = problem_->stored_heat_j(u);
    Vector<float>  indicator;
    {
      TimerOutput::Scope scope(timer_, "estimate");
      indicator = problem_->error_indicator();
    }
    const auto cap = static_cast<unsigned long long>(settings_.adapt_max_cells_factor * double(starting_cells_));
    steady_.mark_cells(settings_.adapt_refine, settings_.adapt_coarsen, cap, indicator);
    // The transfer packs the temperature during refinement: keep a copy alive.
    // (A copy starts with its ghost values zeroed: fetch them again.)
    LinearAlgebra::distributed::Vector<double> old_temperature = problem_->temperature();
    old_temperature.update_ghost_values();
    parallel::distributed::SolutionTransfer<3, LinearAlgebra::distributed::Vector<double>> transfer(
      problem_->dof_handler());
    steady_.refine_marked([&]() { transfer.prepare_for_coarsening_and_refinement(old_temperature); });

    problem_->setup(true);
    assembled_powers_ = block_powers(t, false);
    problem_->assemble(steady_.coefficients().problem_data(assembled_powers_));
    LinearAlgebra::distributed::Vector<double> temperature = ghosted_vector();
    transfer.interpolate(temperature);
    u = problem_->make_vector();
    for (const auto i : problem_->dof_handler().locally_owned_dofs())
      u[i] = temperature[i] - model_.ambient_k;
    u.compress(VectorOperation::insert);
    problem_->distribute_constraints(u);
    // Interpolation onto coarsened cells changes the integral of rho c T a
    // little; a uniform shift restores it exactly (constants are in the space).
    const double shift = (stored_before - problem_->stored_heat_j(u)) / problem_->heat_capacity_j_k();
    u.add(shift);
    problem_->set_temperature_rise(u);
    ++report.mesh_changes;
    report.max_remap_shift_k = std::max(report.max_remap_shift_k, std::abs(shift));
    const unsigned long long cells = steady_.triangulation().n_global_active_cells();
    report.min_cells = std::min(report.min_cells, cells);
    report.max_cells = std::max(report.max_cells, cells);
  }

  void TransientChipSolve::enable_checkpoints(const std::string &directory, const std::string &case_digest)
  {
    checkpoints_ = std::make_unique<CheckpointStore>(directory, steady_.triangulation().get_communicator());
    case_digest_ = case_digest;
  }

  bool TransientChipSolve::resume()
  {
    if (!checkpoints_ || !checkpoints_->exists())
      return false;
    const auto state = checkpoints_->state();
    if (state.at("case_digest").get<std::string>() != case_digest_)
      throw InputError("the checkpoint in " + checkpoints_->mesh_file() +
                       " belongs to another version of this case (the case file or its --set options changed): "
                       "run without --resume to start over");
    march_ = state.at("march").get<MarchState>();
    load_state(*checkpoints_, march_->t);
    resumed_extra_ = state.at("extra");
    return true;
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

  std::vector<double> TransientChipSolve::output_times() const
  {
    const double        end = settings_.end_time_s;
    std::vector<double> t;
    for (unsigned int k = 1; double(k) * settings_.output_interval_s < end * (1 - 1e-12); ++k)
      t.push_back(double(k) * settings_.output_interval_s);
    t.push_back(end);
    return t;
  }

  std::vector<double> TransientChipSolve::stop_times() const
  {
    const double        end = settings_.end_time_s;
    std::vector<double> t   = output_times();
    for (const auto *b : model_.all_blocks())
      b->power_over_time.breakpoints(0, end, t);
    if (dvfs_.active())
      for (unsigned long k = 1; double(k) * settings_.control_interval_s < end * (1 - 1e-12); ++k)
        t.push_back(double(k) * settings_.control_interval_s);
    std::sort(t.begin(), t.end());
    std::vector<double> merged;
    for (const double x : t)
      if (merged.empty() || x - merged.back() > 1e-12 * end)
        merged.push_back(x);
    return merged;
  }

  TransientReport TransientChipSolve::run(const std::function<void(unsigned int, double)>                 &on_output,
                                          const std::function<void(double, double, const TransientReport &)> &on_step,
                                          const std::function<nlohmann::json()> &checkpoint_extra)
  {
    const std::size_t n_blocks = model_.all_blocks().size();
    const double      end      = settings_.end_time_s;
    const double      eps      = 1e-12 * end;
    const bool        fixed    = settings_.fixed_step_s > 0;
    const double      tol      = settings_.step_tolerance_k;

    auto track_peaks = [&](TransientReport &report, double t) {
      const auto results = block_results();
      for (std::size_t b = 0; b < n_blocks; ++b)
        {
          if (results[b].t_max_k > report.peak_k[b])
            report.peak_k[b] = results[b].t_max_k, report.peak_time_s[b] = t;
          report.peak_spread_k[b] = std::max(report.peak_spread_k[b], results[b].t_max_k - results[b].t_min_k);
        }
    };

    PETScWrappers::MPI::Vector u = problem_->make_vector();
    if (march_)
      u = problem_->temperature_rise(); // resumed: the checkpoint's state
    else
      {
        // --- a fresh run: the initial state ---------------------------------------
        march_.emplace();
        MarchState &m       = *march_;
        m.h                 = fixed ? settings_.fixed_step_s : settings_.initial_step_s;
        m.next_checkpoint_s = settings_.checkpoint_interval_s;
        TransientReport &r  = m.report;
        r.end_time_s        = end;
        r.peak_k.assign(n_blocks, -std::numeric_limits<double>::max());
        r.peak_time_s.assign(n_blocks, 0.0);
        r.peak_spread_k.assign(n_blocks, 0.0);
        r.min_step_s = std::numeric_limits<double>::max();
        r.min_cells = r.max_cells = steady_.triangulation().n_global_active_cells();
        dvfs_.start(r);
        double p0    = 0;
        for (const double p : assembled_powers_)
          p0 += p;
        if (initial_state_loaded_)
          u = problem_->temperature_rise();
        else if (settings_.initial == "steady" && p0 > 0)
          {
            // The steady state a steady run reports: DVFS blocks over their
            // limits step down one point per solve until none is (events at t = 0).
            problem_->solve(solver_settings_);
            while (dvfs_.settle(block_results(), r))
              {
                assembled_powers_ = block_powers(0, false);
                problem_->assemble(steady_.coefficients().problem_data(assembled_powers_));
                problem_->solve(solver_settings_);
              }
            u = problem_->temperature_rise();
          }
        else
          {
            if (settings_.initial == "uniform")
              u.add(settings_.initial_temperature_k - model_.ambient_k);
            problem_->set_temperature_rise(u);
          }
        m.stored_at_start_j = problem_->stored_heat_j(u);
        track_peaks(r, 0);
        on_output(0, 0.0);
      }
    MarchState      &m      = *march_;
    TransientReport &report = m.report;
    starting_cells_         = report.min_cells;

    // --- march ------------------------------------------------------------------
    const auto    stops   = stop_times();
    const auto    outputs = output_times();
    std::size_t   next_stop = 0;
    auto make_stepper = [this]() {
      return std::make_unique<TrBdf2Stepper>(*problem_, solver_settings_,
                                             [this](double t, bool before) { return set_source(t, before); });
    };
    auto stepper = make_stepper();
    double        rejected_at = -1, rejected_step = 0, rejected_error = 0; ///< the last rejected attempt
    while (m.t < end - eps)
      {
        const double t = m.t;
        while (stops[next_stop] <= t + eps)
          ++next_stop;
        const double stop   = stops[next_stop];
        const double target = std::min(m.h, settings_.max_step_s);
        // Land on the stop; when it is less than two steps away, split the rest
        // evenly rather than leave a sliver (steps within a factor 2 of h keep
        // the AMG hierarchy).
        double     step  = target;
        const bool lands = stop - t <= target * (1 + 1e-9);
        if (lands)
          step = stop - t;
        else if (stop - t < 2 * target)
          step = 0.5 * (stop - t);

        StepOutcome outcome;
        try
          {
            outcome = stepper->attempt(t, step, u);
          }
        catch (const NumericalError &e)
          {
            // A step of a temperature-dependent problem can be too long for its
            // linearisation (leakage growing faster than the step can follow):
            // the shifted operator stops being positive and CG fails. Shorter.
            if (!problem_->is_nonlinear() || fixed)
              throw;
            ++report.rejected_steps;
            m.h = 0.25 * step;
            if (m.h < settings_.min_step_s)
              throw ThermalRunaway("thermal runaway at t = " + std::to_string(t) +
                                   " s: no time step is short enough for the temperature-dependent power (" +
                                   e.what() + "); " + steady_.coefficients().runaway_culprit(*problem_));
            continue;
          }
        report.cg_iterations += outcome.iterations;
        const double factor =
          std::clamp(0.9 * std::cbrt(tol / std::max(outcome.error_k, 1e-300)), min_step_factor, max_step_factor);
        if (!fixed && outcome.error_k > tol)
          {
            ++report.rejected_steps;
            m.h = step * factor;
            // A second rejection at the same t: after a power jump the error
            // falls more slowly than h^3 (the fast initial layer), so use the
            // order the two attempts show.
            if (rejected_at == t && rejected_step > step && rejected_error > outcome.error_k)
              {
                const double order = std::clamp(std::log(rejected_error / outcome.error_k) / std::log(rejected_step / step),
                                                 0.5, 3.0);
                m.h = step * std::clamp(0.9 * std::pow(tol / outcome.error_k, 1.0 / order), min_step_factor, 1.0);
              }
            rejected_at = t, rejected_step = step, rejected_error = outcome.error_k;
            if (m.h < settings_.min_step_s)
              {
                // With leakage a collapsing step is the run-away itself: the
                // temperature grows without bound in finite time.
                if (steady_.coefficients().has_leakage())
                  throw ThermalRunaway("thermal runaway at t = " + std::to_string(t) +
                                       " s: the leakage heats the chip faster than any time step can follow (the "
                                       "step fell below transient.min_step); " +
                                       steady_.coefficients().runaway_culprit(*problem_));
                throw NumericalError("the time step fell below transient.min_step (" +
                                     std::to_string(settings_.min_step_s) + " s) at t = " + std::to_string(t) +
                                     " s: the local error estimate stays above transient.step_tolerance");
              }
            continue;
          }

        u   = stepper->new_state();
        m.t = lands ? stop : t + step;
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
                  m.h = step * factor;
              }
            else if (step * factor < m.h)
              m.h = step * factor;
          }
        problem_->set_temperature_rise(u);
        track_peaks(report, m.t);
        dvfs_.advance(step, report);
        if (problem_->is_nonlinear())
          {
            const double hottest = *std::max_element(report.peak_k.begin(), report.peak_k.end());
            if (hottest > runaway_ceiling_k)
              throw ThermalRunaway("thermal runaway at t = " + std::to_string(m.t) + " s: a block passed " +
                                   std::to_string(int(runaway_ceiling_k)) + " K; " +
                                   steady_.coefficients().runaway_culprit(*problem_));
          }
        if (settings_.adapt_every > 0 && ++m.steps_since_adapt >= settings_.adapt_every && m.t < end - eps)
          {
            adapt_mesh(m.t, u, report);
            stepper             = make_stepper(); // vectors of the new layout
            m.steps_since_adapt = 0;
          }
        const bool output = m.outputs_done < outputs.size() && std::abs(m.t - outputs[m.outputs_done]) <= eps;
        // The frame at t shows the power up to t; a DVFS change acts after it.
        if (output)
          on_output(++m.outputs_done, m.t);
        if (is_control_time(m.t) && m.t < end - eps)
          dvfs_.control(m.t, block_results(), report);
        if (on_step)
          on_step(m.t, step, report);
        // Checkpoints at output times: the caller's files then match the state.
        if (output && checkpoints_ && settings_.checkpoint_interval_s > 0 && m.t >= m.next_checkpoint_s - eps &&
            m.t < end - eps)
          {
            while (m.next_checkpoint_s <= m.t + eps)
              m.next_checkpoint_s += settings_.checkpoint_interval_s;
            report.matrix_builds = m.matrix_builds_before + problem_->shifted_matrix_builds();
            report.amg_builds    = m.amg_builds_before + problem_->shifted_amg_builds();
            nlohmann::json state = {{"case_digest", case_digest_},
                                    {"coarse_cells", steady_.mesh_info().coarse_cells},
                                    {"march", m},
                                    {"extra", checkpoint_extra ? checkpoint_extra() : nlohmann::json::object()}};
            TimerOutput::Scope scope(timer_, "output");
            checkpoints_->save(steady_.triangulation(), problem_->dof_handler(), problem_->temperature(), state);
            // A resumed run starts with a fresh solver: so does this one.
            problem_->reset_shifted_solver();
          }
      }
    report.stored_j      = problem_->stored_heat_j(u) - m.stored_at_start_j;
    report.matrix_builds = m.matrix_builds_before + problem_->shifted_matrix_builds();
    report.amg_builds    = m.amg_builds_before + problem_->shifted_amg_builds();
    if (report.steps == 0)
      report.min_step_s = 0;
    return report;
  }
} // namespace chiptherm::solver
