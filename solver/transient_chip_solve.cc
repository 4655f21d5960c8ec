#include "transient_chip_solve.h"

#include "common/errors.h"
#include "flux_residual_estimator.h"
#include "nonlinear_solve.h"
#include "owned_entries.h"

#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/dofs/dof_tools.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  TransientChipSolve::TransientChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                                         const SolverSettings &solver_settings, const TransientSettings &settings,
                                         MPI_Comm comm, TimerOutput &timer, const SignoffSettings &signoff)
    : model_(model)
    , solver_settings_(solver_settings)
    , settings_(settings)
    , timer_(timer)
    , mesh_(model, mesh_settings, comm, timer)
    , dvfs_(model, signoff)
  {
    if (solver_settings_.degree == 0)
      solver_settings_.degree = 1;
  }

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
    const auto &c = mesh_.coefficients();
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
        try
          {
            const CheckpointStore saved(settings_.initial_state_dir, mesh_.triangulation().get_communicator());
            load_state(saved, saved.state(), 0);
          }
        catch (const InputError &e)
          {
            throw InputError(std::string(e.what()) + ": expected the final_state/ of a finished transient run");
          }
        catch (const std::exception &e) // nlohmann's parse and type errors, deal.II's ExcIO on the mesh files
          {
            throw InputError("the initial state in " + settings_.initial_state_dir + " is damaged (" +
                             std::string(e.what()).substr(0, 200) + "): expected the final_state/ of a finished transient run");
          }
        initial_state_loaded_ = true;
        return;
      }
    mesh_.build();
    make_problem(0);
  }

  void TransientChipSolve::make_problem(double t)
  {
    problem_ = std::make_unique<HeatProblem<3>>(mesh_.triangulation(), solver_settings_.degree, timer_);
    problem_->setup();
    forget_mesh_caches();
    assemble_at(t);
    shifted_ = std::make_unique<ShiftedOperator<3>>(*problem_);
    shifted_->reinit();
  }

  std::unique_ptr<TrBdf2Stepper> TransientChipSolve::make_stepper()
  {
    return std::make_unique<TrBdf2Stepper>(*problem_, *shifted_, solver_settings_,
                                           [this](double t, bool before) { return set_source(t, before); });
  }

  void TransientChipSolve::adapt_mesh(double t, PETScWrappers::MPI::Vector &u, TransientReport &report)
  {
    const double   stored_before = shifted_->stored_heat_j(u);
    Vector<float>  indicator;
    {
      TimerOutput::Scope scope(timer_, "estimate");
      indicator = estimate_flux_residual(problem_->dof_handler(), problem_->temperature(), problem_->data(),
                                         problem_->is_cartesian());
    }
    const auto cap = static_cast<unsigned long long>(settings_.adapt_max_cells_factor * double(starting_cells_));
    mesh_.mark_cells(settings_.adapt_refine, settings_.adapt_coarsen, cap, indicator);
    // The transfer packs the temperature during refinement: keep a copy alive.
    // (A copy starts with its ghost values zeroed: fetch them again.)
    LinearAlgebra::distributed::Vector<double> old_temperature = problem_->temperature();
    old_temperature.update_ghost_values();
    parallel::distributed::SolutionTransfer<3, LinearAlgebra::distributed::Vector<double>> transfer(
      problem_->dof_handler());
    mesh_.refine_marked([&]() { transfer.prepare_for_coarsening_and_refinement(old_temperature); });

    problem_->setup();
    forget_mesh_caches();
    assemble_at(t);
    shifted_->reinit();
    LinearAlgebra::distributed::Vector<double> temperature = problem_->make_ghosted_vector();
    transfer.interpolate(temperature);
    u = problem_->make_vector();
    copy_owned(temperature, -model_.ambient_k, u);
    problem_->distribute_constraints(u);
    // Interpolation onto coarsened cells changes the integral of rho c T a
    // little; a uniform shift restores it exactly (constants are in the space).
    const double shift = (stored_before - shifted_->stored_heat_j(u)) / shifted_->heat_capacity_j_k();
    u.add(shift);
    problem_->set_temperature_rise(u);
    ++report.mesh_changes;
    report.max_remap_shift_k = std::max(report.max_remap_shift_k, std::abs(shift));
    const unsigned long long cells = mesh_.triangulation().n_global_active_cells();
    report.min_cells = std::min(report.min_cells, cells);
    report.max_cells = std::max(report.max_cells, cells);
  }

  void TransientChipSolve::assemble_at(double t)
  {
    assembled_powers_ = block_powers(t, false);
    assembled_frames_ = mesh_.coefficients().power_maps().frames_at(t, false);
    problem_->assemble(mesh_.coefficients().problem_data(assembled_powers_, true, assembled_frames_));
    // F from the loads as every later step's: a run resumed here (which
    // starts with this assembly) then repeats the uninterrupted one bit for bit.
    if (!problem_->is_nonlinear())
      set_linear_rhs(assembled_powers_, assembled_frames_);
  }

  double TransientChipSolve::set_source(double t, bool before)
  {
    const auto &maps   = mesh_.coefficients().power_maps();
    const auto  powers = block_powers(t, before);
    const auto  frames = maps.frames_at(t, before);
    if (powers != assembled_powers_ || frames != assembled_frames_)
      {
        if (problem_->is_nonlinear())
          problem_->assemble_rhs(mesh_.coefficients().problem_data(powers, true, frames));
        else
          set_linear_rhs(powers, frames);
        assembled_powers_ = powers, assembled_frames_ = frames;
      }
    double total = maps.total_w(frames);
    for (const double p : powers)
      total += p;
    return total;
  }

  void TransientChipSolve::set_linear_rhs(const std::vector<double> &powers, const std::vector<int> &frames)
  {
    const ChipCoefficients &c = mesh_.coefficients();
    if (!other_rhs_ || other_rhs_frames_ != frames)
      {
        // Everything but the blocks: one assembly with their powers at zero.
        problem_->assemble_rhs(c.problem_data(std::vector<double>(powers.size(), 0.0), true, frames));
        other_rhs_        = problem_->rhs();
        other_rhs_frames_ = frames;
      }
    if (!block_loads_)
      {
        TimerOutput::Scope  scope(timer_, "assemble");
        std::vector<double> volume;
        for (std::size_t b = 0; b < powers.size(); ++b)
          volume.push_back(c.block_volume_m3(b));
        block_loads_ = std::make_unique<BlockLoadVectors>(problem_->dof_handler(), problem_->constraints(),
                                                          c.block_pieces().as_function(), volume);
      }
    problem_->set_rhs(c.problem_data(powers, true, frames), [&](PETScWrappers::MPI::Vector &rhs) {
      rhs = *other_rhs_;
      block_loads_->add_to(powers, rhs);
    });
  }

  void TransientChipSolve::forget_mesh_caches()
  {
    extremes_.reset();
    block_loads_.reset();
    other_rhs_.reset();
  }

  double TransientChipSolve::power_jump_w_m2(double t) const
  {
    // A march from a uniform field (no steady state, no saved one) switches
    // every power on at t = 0: its first steps are those after a jump.
    const bool   switched_on = t <= 0 && !initial_state_loaded_ && settings_.initial != "steady";
    const auto   blocks      = model_.all_blocks();
    const auto   after       = block_powers(t, false);
    const auto   before      = switched_on ? std::vector<double>(after.size(), 0.0) : block_powers(t, true);
    double       jump        = 0;
    for (std::size_t b = 0; b < blocks.size(); ++b)
      jump = std::max(jump, std::abs(after[b] - before[b]) / blocks[b]->area_m2());
    return std::max(jump, mesh_.coefficients().power_maps().jump_w_m2(t, switched_on));
  }

  std::vector<BlockResult> TransientChipSolve::block_results() const
  {
    TimerOutput::Scope scope(timer_, "figures");
    return compute_block_results(*problem_, mesh_.coefficients(), model_.all_blocks().size());
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
    mesh_.coefficients().power_maps().breakpoints(end, t);
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

  const BlockExtremes &TransientChipSolve::extremes() const
  {
    if (!extremes_)
      extremes_ = std::make_unique<BlockExtremes>(problem_->dof_handler(), mesh_.coefficients().block_pieces().as_function(),
                                                  model_.all_blocks().size());
    return *extremes_;
  }

  void TransientChipSolve::block_trace_figures(std::vector<double> &t_max_k, std::vector<double> &t_avg_k) const
  {
    std::vector<double> t_min_k;
    extremes().evaluate(*problem_->field().temperature, t_max_k, t_min_k);
    extremes().evaluate_mean(*problem_->field().temperature, t_avg_k);
  }

  void TransientChipSolve::track_peaks(TransientReport &report, double t) const
  {
    std::vector<double> t_max, t_min;
    extremes().evaluate(*problem_->field().temperature, t_max, t_min);
    for (std::size_t b = 0; b < t_max.size(); ++b)
      {
        if (t_max[b] > report.peak_k[b])
          report.peak_k[b] = t_max[b], report.peak_time_s[b] = t;
        report.peak_spread_k[b] = std::max(report.peak_spread_k[b], t_max[b] - t_min[b]);
      }
  }

  void TransientChipSolve::settle_steady_start(TransientReport &report)
  {
    solve_steady(*problem_, solver_settings_);
    while (dvfs_.settle(block_results(), report))
      {
        assemble_at(0);
        solve_steady(*problem_, solver_settings_);
      }
  }

  PETScWrappers::MPI::Vector TransientChipSolve::start(const std::function<void(unsigned int, double)> &on_output)
  {
    const std::size_t n_blocks = model_.all_blocks().size();
    march_.emplace();
    MarchState &m       = *march_;
    m.h                 = settings_.fixed_step_s > 0 ? settings_.fixed_step_s : settings_.initial_step_s;
    m.next_checkpoint_s = settings_.checkpoint_interval_s;
    TransientReport &r  = m.report;
    r.end_time_s        = settings_.end_time_s;
    r.peak_k.assign(n_blocks, -std::numeric_limits<double>::max());
    r.peak_time_s.assign(n_blocks, 0.0);
    r.peak_spread_k.assign(n_blocks, 0.0);
    r.min_step_s = std::numeric_limits<double>::max();
    r.min_cells = r.max_cells = mesh_.triangulation().n_global_active_cells();
    dvfs_.start(r);
    double p0 = mesh_.coefficients().power_maps().total_w(assembled_frames_);
    for (const double p : assembled_powers_)
      p0 += p;
    PETScWrappers::MPI::Vector u = problem_->make_vector();
    if (initial_state_loaded_)
      u = problem_->temperature_rise();
    else if (settings_.initial == "steady" && p0 > 0)
      {
        settle_steady_start(r);
        u = problem_->temperature_rise();
      }
    else
      {
        if (settings_.initial == "uniform")
          u.add(settings_.initial_temperature_k - model_.ambient_k);
        problem_->set_temperature_rise(u);
      }
    m.stored_at_start_j = shifted_->stored_heat_j(u);
    track_peaks(r, 0);
    on_output(0, 0.0);
    return u;
  }

  bool TransientChipSolve::try_step(TrBdf2Stepper &stepper, double t, double step,
                                    const PETScWrappers::MPI::Vector &u, StepOutcome &outcome)
  {
    try
      {
        outcome = stepper.attempt(t, step, u);
        return true;
      }
    catch (const NumericalError &e)
      {
        // A step of a temperature-dependent problem can be too long for its
        // linearisation (leakage growing faster than the step can follow):
        // the shifted operator stops being positive and CG fails. Shorter.
        if (!problem_->is_nonlinear() || settings_.fixed_step_s > 0)
          throw;
        ++march_->report.rejected_steps;
        march_->h = 0.25 * step;
        if (march_->h < settings_.min_step_s)
          throw ThermalRunaway("thermal runaway at t = " + std::to_string(t) +
                               " s: no time step is short enough for the temperature-dependent power (" + e.what() +
                               "); " + runaway_culprit());
        return false;
      }
  }

  void TransientChipSolve::reject(StepSizeController &controller, double t, double step, double error_k, double jump)
  {
    ++march_->report.rejected_steps;
    march_->h = controller.after_rejection(t, step, error_k, jump);
    if (march_->h >= settings_.min_step_s)
      return;
    // With leakage a collapsing step is the run-away itself: the temperature
    // grows without bound in finite time.
    if (mesh_.coefficients().has_leakage())
      throw ThermalRunaway("thermal runaway at t = " + std::to_string(t) +
                           " s: the leakage heats the chip faster than any time step can follow (the step fell below "
                           "transient.min_step); " + runaway_culprit());
    throw NumericalError("the time step fell below transient.min_step (" + std::to_string(settings_.min_step_s) +
                         " s) at t = " + std::to_string(t) +
                         " s: the local error estimate stays above transient.step_tolerance");
  }

  void TransientChipSolve::record_step(double step, const StepOutcome &outcome, const PETScWrappers::MPI::Vector &u)
  {
    TransientReport &report = march_->report;
    ++report.steps;
    report.energy_in_j += outcome.energy_in_j;
    report.heat_out_j += outcome.heat_out_j;
    report.min_step_s = std::min(report.min_step_s, step);
    report.max_step_s = std::max(report.max_step_s, step);
    problem_->set_temperature_rise(u);
    track_peaks(report, march_->t);
    dvfs_.advance(step, report);
    if (!problem_->is_nonlinear())
      return;
    const double hottest = *std::max_element(report.peak_k.begin(), report.peak_k.end());
    if (hottest > runaway_ceiling_k)
      throw ThermalRunaway("thermal runaway at t = " + std::to_string(march_->t) + " s: a block passed " +
                           std::to_string(int(runaway_ceiling_k)) + " K; " + runaway_culprit());
  }

  TransientReport TransientChipSolve::run(const std::function<void(unsigned int, double)>                 &on_output,
                                          const std::function<void(double, double, const TransientReport &)> &on_step,
                                          const std::function<nlohmann::json()> &checkpoint_extra)
  {
    const double               end = settings_.end_time_s, eps = 1e-12 * end;
    PETScWrappers::MPI::Vector u   = march_ ? problem_->temperature_rise() : start(on_output);
    MarchState                &m   = *march_;
    TransientReport           &report = m.report;
    starting_cells_                   = report.min_cells;

    const auto         stops     = stop_times();
    const auto         outputs   = output_times();
    std::size_t        next_stop = 0;
    StepSizeController controller(settings_.step_tolerance_k, settings_.max_step_s, settings_.fixed_step_s > 0);
    controller.restore(m.last_jump);
    auto               stepper = make_stepper();
    double             jump_checked_at = -1, jump = 0;
    while (m.t < end - eps)
      {
        const double t = m.t;
        while (stops[next_stop] <= t + eps)
          ++next_stop;
        if (t != jump_checked_at)
          {
            // A power jump at t: start from the step the last jump's first step predicts.
            jump_checked_at = t, jump = power_jump_w_m2(t);
            m.h = controller.before_jump(m.h, jump);
          }
        const auto  step = controller.next_step(t, m.h, stops[next_stop]);
        StepOutcome outcome;
        if (!try_step(*stepper, t, step.length, u, outcome))
          continue;
        report.cg_iterations += outcome.iterations;
        if (!controller.accepts(outcome.error_k))
          {
            reject(controller, t, step.length, outcome.error_k, jump);
            continue;
          }
        if (jump > 0)
          controller.after_jump(step.length, outcome.error_k, jump), m.last_jump = controller.last_jump();
        u = stepper->new_state();
        stepper->accept();
        m.t = step.lands ? stops[next_stop] : t + step.length;
        m.h = controller.after_acceptance(m.h, step, outcome.error_k);
        record_step(step.length, outcome, u);
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
          on_step(m.t, step.length, report);
        // Checkpoints at output times: the caller's files then match the state.
        if (output && checkpoint_if_due(checkpoint_extra))
          {
            // Go on exactly as a run resumed from it: no slope from before the
            // checkpoint, and the rise read back from the stored absolute
            // temperatures (which can differ from u in the last bit).
            stepper = make_stepper();
            u       = problem_->temperature_rise();
            problem_->set_temperature_rise(u);
          }
      }
    report.stored_j      = shifted_->stored_heat_j(u) - m.stored_at_start_j;
    report.matrix_builds = m.matrix_builds_before + shifted_->matrix_builds();
    report.amg_builds    = m.amg_builds_before + shifted_->amg_builds();
    if (report.steps == 0)
      report.min_step_s = 0;
    return report;
  }
} // namespace chiptherm::solver
