#include "steady_chip_solve.h"

#include "flux_residual_estimator.h"
#include "goal_dual.h"
#include "nonlinear_solve.h"

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/solution_transfer.h>

#include <cmath>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// The degree-p solve stops when its residual has fallen by this much from
    /// the Q1 solution's (or at solver.relative_tolerance): its algebraic error
    /// is then far below any discretisation error the bounds measure.
    constexpr double primal_reduction = 1e-5;
    /// The degree p + 1 solve starts from the degree-p solution, whose error is
    /// the bound: a 1e-5 share of it is left (the reported figures move by a
    /// ten-thousandth of their bound, and the energy balance closes to ~1e-10;
    /// 1e-4 saved 6 of 20 iterations on the 10-block SoC but left 5e-8).
    constexpr double enriched_reduction = 1e-5;
    /// Steering solves (throttling on the first mesh) converge a
    /// temperature-dependent problem this far only, K.
    constexpr double steering_tolerance_k = 1e-2;
    /// The Q1 solve that gives the degree-p solve its first guess stops here
    /// (relative residual).
    constexpr double q1_guess_tolerance = 1e-4;

    /// The owned entries of rise = temperature - reference on these DoFs.
    HeatOperator::VectorType rise_of(const LinearAlgebra::distributed::Vector<double> &temperature, double reference_k,
                                     const HeatOperator &layout)
    {
      HeatOperator::VectorType rise;
      layout.initialize_dof_vector(rise);
      for (unsigned int i = 0; i < rise.locally_owned_size(); ++i)
        rise.local_element(i) = temperature.local_element(i) - reference_k;
      return rise;
    }
  } // namespace

  SteadyChipSolve::SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                                   const SolverSettings &solver_settings, MPI_Comm comm, TimerOutput &timer,
                                   bool estimates)
    : model_(model)
    , solver_settings_(solver_settings)
    , estimates_(estimates)
    , timer_(timer)
    , mesh_(model, mesh_settings, comm, timer)
  {
    if (solver_settings_.degree == 0)
      solver_settings_.degree = SolverSettings::steady_default_degree;
    mesh_.defer_policy(estimates);
  }

  SteadyChipSolve::~SteadyChipSolve() = default;

  void SteadyChipSolve::release_solution()
  {
    hierarchy_.reset(), newton_hierarchy_.reset();
    primal_.reset(), enriched_.reset(), q1_.reset();
    error_indicator_.reset();
  }

  void SteadyChipSolve::mesh()
  {
    clock_.restart();
    release_solution();
    problem_.reset(); // its DoFHandler lives on the mesh
    warm_start_ = false;
    mesh_.build();
  }

  double SteadyChipSolve::reseed(const std::vector<double> &block_power_w, double threshold)
  {
    if (mesh_.settings().predictor_model.empty())
      return -1;
    // Everything on the mesh goes, as the mesh may be rebuilt; the next solve()
    // sets up anew in any case.
    release_solution();
    problem_.reset();
    warm_start_ = false;
    return mesh_.reseed(block_power_w, threshold);
  }

  const HeatProblem<3> &SteadyChipSolve::problem() const { return problem_ ? *problem_ : *q1_; }

  TemperatureField SteadyChipSolve::primal_field() const
  {
    return primal_ ? primal_->view(problem().mapping()) : problem_->field();
  }

  TemperatureField SteadyChipSolve::field() const
  {
    return enriched_ ? enriched_->view(problem().mapping()) : primal_field();
  }

  unsigned int SteadyChipSolve::reported_degree() const { return field().dofs->get_fe().degree; }
  types::global_dof_index SteadyChipSolve::reported_dofs() const { return field().dofs->n_dofs(); }
  types::global_dof_index SteadyChipSolve::primal_dofs() const { return primal_field().dofs->n_dofs(); }

  LinearSolveReport SteadyChipSolve::solve()
  {
    estimating_              = estimates_ && !steering_;
    const auto &coefficients = mesh_.coefficients();
    SolverSettings settings  = solver_settings_;
    if (steering_)
      settings.nonlinear_tolerance_k = std::max(settings.nonlinear_tolerance_k, steering_tolerance_k);
    // The degree-p solution of a steering solve (same mesh, same powers) is
    // where the next solve starts: converged to the tolerance if it was not,
    // then estimated. Throttling settles with steering solves, and the first
    // adaptive cycle finishes the settled solution.
    const bool reuse = primal_ && !enriched_ && !steering_ && primal_powers_ == block_powers_;
    if (reuse)
      {
        error_indicator_.reset();
        if (hierarchy_ && hierarchy_->top_degree() <= solver_settings_.degree)
          hierarchy_.reset(); // made without the degree p + 1 level: solve_enriched() makes one
        if (data_.is_nonlinear() && primal_tolerance_k_ > settings.nonlinear_tolerance_k)
          primal_report_ = with_runaway_culprit(
            [&] { return solve_steady_matrix_free(*q1_, primal_report_, *primal_, data_, settings, true, newton_hierarchy_); });
      }
    else
      {
        // Same mesh (anything that changes it releases the solution first):
        // the Q1 problem, the degree-p DoFs and the Newton hierarchy stay,
        // for a throttling step's new powers.
        if (q1_ && primal_)
          hierarchy_.reset(), enriched_.reset(), error_indicator_.reset();
        else
          release_solution();
        data_ = block_powers_.empty() ? coefficients.problem_data() : coefficients.problem_data(block_powers_);
        const bool matrix_free = solver_settings_.degree >= 2;
        if (matrix_free)
          problem_.reset(), warm_start_ = false;
        primal_report_ = with_runaway_culprit(
          [&] { return matrix_free ? solve_matrix_free(settings) : solve_assembled(settings); });
        primal_powers_ = block_powers_;
      }
    primal_tolerance_k_ = settings.nonlinear_tolerance_k;
    enriched_report_ = {};
    if (estimating_)
      enriched_report_ = solve_enriched();
    block_results_ = compute_block_results(field(), coefficients, model_.all_blocks().size());
    block_errors_.clear(), upper_.clear(), lower_.clear();
    if (estimating_)
      {
        TimerOutput::Scope scope(timer_, "estimate");
        const std::size_t  n = model_.all_blocks().size();
        const auto         pieces_of = coefficients.block_pieces().as_function();
        upper_               = block_differences(field(), field(), primal_field(), pieces_of, n);
        // With a Q2 solution computed by p-multigrid, the Q1 one is at hand
        // (reported for the record: how fast the figures converge in p).
        if (primal_ && solver_settings_.degree == 2)
          lower_ = block_differences(field(), primal_field(), q1_->field(), pieces_of, n);
        block_errors_ = block_error_bounds(upper_);
      }
    return primal_report_;
  }

  LinearSolveReport SteadyChipSolve::with_runaway_culprit(const std::function<LinearSolveReport()> &solve)
  {
    try
      {
        return solve();
      }
    catch (const ThermalRunaway &e)
      {
        throw ThermalRunaway(std::string(e.what()) + "; " + mesh_.coefficients().runaway_culprit(problem()));
      }
  }

  LinearSolveReport SteadyChipSolve::solve_matrix_free(const SolverSettings &settings)
  {
    const unsigned int p = settings.degree;
    if (!q1_)
      {
        q1_ = std::make_unique<HeatProblem<3>>(mesh_.triangulation(), 1, timer_);
        q1_->setup();
      }
    q1_->assemble(data_);
    // The Q1 solution is only the first guess of the degree-p solve: its
    // discretisation error is far above 1e-4 of the residual.
    SolverSettings first_guess     = settings;
    first_guess.relative_tolerance = std::max(settings.relative_tolerance, q1_guess_tolerance);
    // A temperature-dependent problem converges on Q1 first (Newton on the
    // assembled Q1 matrix: cheap), so the degree-p iteration starts close.
    const LinearSolveReport q1_report = data_.is_nonlinear() ? solve_steady(*q1_, settings)
                                                             : q1_->solve(first_guess);
    if (!primal_)
      {
        primal_ = std::make_unique<FeField>(mesh_.triangulation());
        primal_->reinit(p);
      }
    if (estimating_)
      {
        enriched_ = std::make_unique<FeField>(mesh_.triangulation());
        enriched_->reinit(p + 1);
      }
    if (data_.is_nonlinear())
      {
        hierarchy_.reset(); // the enriched solve makes its own, about the final solution
        return solve_steady_matrix_free(*q1_, q1_report, *primal_, data_, settings, false, newton_hierarchy_);
      }
    std::map<unsigned int, PMultigridSolver::Level> levels{{p, {&primal_->dofs(), &primal_->constraints()}}};
    if (estimating_)
      levels[p + 1] = {&enriched_->dofs(), &enriched_->constraints()};
    hierarchy_ = std::make_unique<PMultigridSolver>(*q1_, levels, data_, LinearisationPoint{}, settings);
    PMultigridSolver::VectorType x;
    hierarchy_->prolongate_from_q1(q1_->temperature_rise(), p, x);
    // Without estimates this is the reported solution: solved to the full tolerance.
    LinearSolveReport report = hierarchy_->solve(p, x, settings, estimating_ ? primal_reduction : 0.0);
    primal_->set_from_rise(x, data_.reference_temperature_k);
    return report;
  }

  LinearSolveReport SteadyChipSolve::solve_assembled(const SolverSettings &settings)
  {
    if (!warm_start_)
      {
        problem_ = std::make_unique<HeatProblem<3>>(mesh_.triangulation(), solver_settings_.degree, timer_);
        problem_->setup();
      }
    warm_start_ = false;
    problem_->assemble(data_);
    return solve_steady(*problem_, settings);
  }

  LinearSolveReport SteadyChipSolve::solve_enriched()
  {
    const unsigned int p = solver_settings_.degree;
    if (!hierarchy_)
      {
        // Degree p >= 2: above the matrix-free degree-p solution, the Q1
        // problem the coarse level; degree 1: above the assembled Q1 problem.
        // Linearised about the degree-p solution when temperature-dependent.
        HeatProblem<3> &coarse = primal_ ? *q1_ : *problem_;
        if (!enriched_)
          {
            enriched_ = std::make_unique<FeField>(mesh_.triangulation());
            enriched_->reinit(p + 1);
          }
        std::map<unsigned int, PMultigridSolver::Level> levels{{p + 1, {&enriched_->dofs(), &enriched_->constraints()}}};
        if (primal_)
          levels[p] = {&primal_->dofs(), &primal_->constraints()};
        const LinearisationPoint around = primal_ ? LinearisationPoint{&primal_->dofs(), &primal_->temperature()}
                                                  : LinearisationPoint{&problem_->dof_handler(), &problem_->temperature()};
        hierarchy_ = std::make_unique<PMultigridSolver>(coarse, levels, data_,
                                                        data_.is_nonlinear() ? around : LinearisationPoint{},
                                                        solver_settings_);
      }
    PMultigridSolver::VectorType y;
    if (primal_)
      hierarchy_->prolongate(p, rise_of(primal_->temperature(), data_.reference_temperature_k, hierarchy_->level_operator(p)),
                             p + 1, y);
    else
      hierarchy_->prolongate_from_q1(problem_->temperature_rise(), 2, y);
    const PMultigridSolver::VectorType lower = y; // T_p on the degree p + 1 DoFs
    const LinearSolveReport report = hierarchy_->solve(p + 1, y, solver_settings_, enriched_reduction);
    enriched_->set_from_rise(y, data_.reference_temperature_k);
    bound_field_ = enriched_->temperature();
    bound_field_.zero_out_ghost_values();
    for (unsigned int i = 0; i < bound_field_.locally_owned_size(); ++i)
      bound_field_.local_element(i) =
        std::abs(bound_field_.local_element(i) - data_.reference_temperature_k - lower.local_element(i));
    bound_field_.update_ghost_values();
    return report;
  }

  const Vector<float> &SteadyChipSolve::error_indicator()
  {
    if (error_indicator_)
      return *error_indicator_;
    TimerOutput::Scope scope(timer_, "estimate");
    if (estimating_)
      {
        error_indicator_ = cellwise_difference_energy(field(), primal_field(), [&](types::material_id z) {
          return mesh_.coefficients().conductivity_tensor(z);
        });
        for (auto &e : *error_indicator_)
          e = std::sqrt(e);
      }
    else
      error_indicator_ = estimate_flux_residual(*primal_field().dofs, *primal_field().temperature, data_,
                                                problem().is_cartesian());
    return *error_indicator_;
  }

  Vector<float> SteadyChipSolve::marking_indicator(const AdaptivitySettings &settings, const std::vector<bool> &goal)
  {
    Vector<float> eta = error_indicator();
    if (settings.estimator != "goal")
      return eta;
    // Goal: the mean temperature of every open block, each of weight one, so a
    // small sensitive block weighs as much as a large one. Its dual weights
    // the local error: cells that change those blocks' figures come first.
    std::vector<double> weight(goal.size(), 0.0); // J = sum of the goal blocks' mean temperatures
    for (std::size_t b = 0; b < goal.size(); ++b)
      weight[b] = goal[b] ? 1.0 : 0.0;
    HeatProblemData<3> dual_data = data_;
    dual_data.power_density      = nullptr;
    dual_data.box_sources        = mesh_.coefficients().problem_data(weight, false).box_sources;
    HeatProblem<3> &q1           = q1_ ? *q1_ : *problem_;
    dual_                        = solve_goal_dual(q1, dual_data, solver_settings_);
    TimerOutput::Scope scope(timer_, "estimate");
    dual_data.temperature_source  = nullptr; // the dual of the last linearisation: a linear problem
    dual_data.conductivity_factor = nullptr;
    for (auto &[id, robin] : dual_data.robin)
      robin.far_temperature_k = [](const Point<3> &) { return 0.0; };
    const Vector<float> dual_eta = estimate_flux_residual(q1.dof_handler(), dual_, dual_data, q1.is_cartesian());
    for (unsigned int i = 0; i < eta.size(); ++i)
      eta[i] *= dual_eta[i];
    return eta;
  }

  bool SteadyChipSolve::block_resolved(std::size_t b) const
  {
    const auto &rule = mesh_.settings().policy.per_block[b];
    if (!std::isfinite(rule.cell_size_m)) // `policy: none`: the user resolves blocks (or not) by other means
      return true;
    const auto &block = *model_.all_blocks()[b];
    // Only a source inside a cell escapes both degrees alike; an unpowered
    // block's field is as smooth as its neighbours' and the difference sees it.
    if (!(block.power_w > 0) && !block.leakage)
      return true;
    double smallest = std::numeric_limits<double>::infinity();
    for (const auto &r : block.rects)
      smallest = std::min({smallest, r.width, r.height});
    const double across = solver_settings_.degree >= 2 ? 1.0 : 2.0;
    return block_results_[b].cell_max_m <= smallest / across * (1 + 1e-9);
  }

  void SteadyChipSolve::refine()
  {
    if (!problem_ || !mesh_.coefficients().depends_on_temperature())
      {
        release_solution();
        problem_.reset();
        mesh_.refine_marked();
        return;
      }
    // The transfer packs the temperature during refinement: keep a copy alive
    // (a copy starts with its ghost values zeroed: fetch them again).
    release_solution();
    LinearAlgebra::distributed::Vector<double> old_temperature = problem_->temperature();
    old_temperature.update_ghost_values();
    parallel::distributed::SolutionTransfer<3, LinearAlgebra::distributed::Vector<double>> transfer(
      problem_->dof_handler());
    mesh_.refine_marked([&]() { transfer.prepare_for_coarsening_and_refinement(old_temperature); });
    problem_->setup();
    LinearAlgebra::distributed::Vector<double> temperature = problem_->make_ghosted_vector();
    transfer.interpolate(temperature);
    auto u = problem_->make_vector();
    for (const auto i : problem_->dof_handler().locally_owned_dofs())
      u[i] = temperature[i] - model_.ambient_k;
    u.compress(VectorOperation::insert);
    problem_->distribute_constraints(u);
    problem_->set_temperature_rise(u);
    warm_start_ = true; // the next solve() starts its iteration from here
  }

  CycleRecord SteadyChipSolve::record_cycle(unsigned int cycle, const LinearSolveReport &linear,
                                            const std::vector<BlockResult> &previous) const
  {
    CycleRecord record;
    record.cycle                = cycle;
    record.cells                = mesh_.triangulation().n_global_active_cells();
    record.dofs                 = primal_dofs();
    record.linear_iterations    = linear.iterations;
    record.nonlinear_iterations = linear.nonlinear_iterations;
    record.nonlinear_change_k   = linear.nonlinear_change_k;
    record.final_residual       = linear.final_residual;
    if (estimates_)
      {
        record.enriched_dofs       = reported_dofs();
        record.enriched_iterations = enriched_report_.iterations;
        record.max_error_k         = 0;
        for (const auto &e : block_errors_)
          record.max_error_k = std::max(record.max_error_k, e.largest_k());
      }
    if (!previous.empty())
      {
        record.max_block_change_k = 0;
        for (std::size_t b = 0; b < previous.size(); ++b)
          record.max_block_change_k =
            std::max({record.max_block_change_k, std::abs(block_results_[b].t_max_k - previous[b].t_max_k),
                      std::abs(block_results_[b].t_avg_k - previous[b].t_avg_k)});
      }
    return record;
  }

  double SteadyChipSolve::worst_open_bound(const std::vector<bool> &open) const
  {
    double worst = 0;
    for (std::size_t b = 0; b < open.size() && estimates_; ++b)
      worst = open[b] ? std::max(worst, block_errors_[b].largest_k()) : worst;
    return worst;
  }

  AdaptivityReport SteadyChipSolve::solve_adaptively(const AdaptivitySettings                       &settings,
                                                     const std::function<void(const CycleRecord &)> &on_cycle,
                                                     const UndecidedBlocks                          &undecided)
  {
    AdaptivityReport report;
    report.enabled     = settings.enabled;
    report.tolerance_k = settings.tolerance_k;
    report.until       = settings.until;
    const bool to_tolerance = settings.until == "tolerance";
    report.estimator   = settings.estimator;
    report.estimates   = estimates_;
    const std::size_t        n_blocks = model_.all_blocks().size();
    const auto              &deferrable = mesh_.settings().policy.deferrable;
    std::vector<BlockResult> previous;
    report.policy.assign(n_blocks, "");
    for (std::size_t b = 0; b < n_blocks; ++b)
      if (std::isfinite(mesh_.settings().policy.per_block[b].cell_size_m) &&
          mesh_.settings().policy.per_block[b].halo_m > 0)
        report.policy[b] = mesh_.policy_applied()[b] && !(estimates_ && deferrable[b]) ? "a priori" : "";
    for (unsigned int cycle = 0;; ++cycle)
      {
        CycleRecord record = record_cycle(cycle, solve(), previous);
        // Blocks still open: a bound above the tolerance, or an open verdict.
        // open_by_estimate: a bound above the tolerance, or an open verdict.
        std::vector<bool> open_by_estimate(n_blocks, false);
        if (estimates_ && to_tolerance)
          for (std::size_t b = 0; b < n_blocks; ++b)
            open_by_estimate[b] = block_errors_[b].largest_k() > settings.tolerance_k;
        if (estimates_ && undecided)
          {
            const auto u = undecided(block_results_, block_errors_);
            for (std::size_t b = 0; b < n_blocks; ++b)
              open_by_estimate[b] = open_by_estimate[b] || u[b];
          }
        // A powered block smaller than its cells is not resolved: both degrees
        // miss it alike (docs/benchmarks.md, "blocks inside cells"), so it stays
        // open until its rule (below) refines it. It does not steer the marking:
        // that spent cells all over the chip on a block already within tolerance.
        std::vector<bool> open = open_by_estimate;
        if (estimates_)
          for (std::size_t b = 0; b < n_blocks; ++b)
            open[b] = open[b] || !block_resolved(b);
        record.open_blocks = static_cast<unsigned int>(std::count(open.begin(), open.end(), true));
        // The first solve decides on the deferred rules of sensitive blocks:
        // applied (a level per cycle while the block stays open) or waived.
        std::vector<bool> apply(n_blocks, false);
        if (estimates_)
          for (std::size_t b = 0; b < n_blocks; ++b)
            if (deferrable[b])
              {
                if (cycle == 0 && !mesh_.policy_applied()[b])
                  report.policy[b] = settings.enabled && open[b] ? "applied" : "waived";
                apply[b] = settings.enabled && open[b] && report.policy[b] == "applied";
              }
        const bool any_apply = std::count(apply.begin(), apply.end(), true) > 0;
        record.wall_s        = clock_.wall_time();
        report.cycles.push_back(record);
        report.max_error_k = record.max_error_k;
        if (on_cycle)
          on_cycle(record);

        const bool settled = estimates_ ? record.open_blocks == 0
                                        : record.max_block_change_k >= 0 &&
                                            record.max_block_change_k < settings.tolerance_k;
        if (!settings.enabled)
          report.stop_reason = "disabled", report.converged = estimates_ && settled;
        else if (settled && !any_apply)
          report.converged = true, report.stop_reason = estimates_ && !to_tolerance ? "verdicts" : "tolerance";
        else if (cycle >= settings.max_cycles)
          report.stop_reason = "max_cycles";
        else if (record.cells >= mesh_.settings().policy.max_cells)
          report.stop_reason = "cell budget";
        if (!report.stop_reason.empty())
          break;
        const bool any_estimate_open =
          std::count(open_by_estimate.begin(), open_by_estimate.end(), true) > 0;
        const auto goal   = any_estimate_open ? open_by_estimate : std::vector<bool>(n_blocks, true);
        const bool marked = !settled && (!estimates_ || any_estimate_open) &&
                            mesh_.mark_share(settings.doerfler_share(worst_open_bound(open_by_estimate)),
                                             settings.coarsen_fraction,
                                             mesh_.settings().policy.max_cells,
                                             estimates_ ? marking_indicator(settings, goal) : error_indicator());
        if (!marked && !any_apply)
          {
            report.stop_reason = "level cap";
            break;
          }
        previous = block_results_;
        refine();
        if (any_apply && mesh_.apply_policy_level(apply))
          {
            // Further refinement: a carried-over temperature would not fit the mesh.
            problem_.reset();
            warm_start_ = false;
          }
      }
    return report;
  }
} // namespace chiptherm::solver
