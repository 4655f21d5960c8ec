#include "steady_chip_solve.h"

#include "flux_residual_estimator.h"
#include "goal_dual.h"
#include "nonlinear_solve.h"
#include "owned_entries.h"

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/lac/vector_memory.h>

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
    , blocks_(model.all_blocks())
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
    warm_enriched_rise_.reset();
  }

  void SteadyChipSolve::release_solver()
  {
    hierarchy_.reset(), newton_hierarchy_.reset();
    warm_primal_.reset(), warm_enriched_.reset(), warm_enriched_rise_.reset();
    for (HeatProblem<3> *assembled : {problem_.get(), q1_.get()})
      if (assembled)
        assembled->release_preconditioner();
    // The solvers' scratch vectors, kept in deal.II's pool for the next solve.
    GrowingVectorMemory<LinearAlgebra::distributed::Vector<double>>::release_unused_memory();
  }

  void SteadyChipSolve::forget_mesh()
  {
    release_solution();
    warm_primal_.reset(), warm_enriched_.reset();
    problem_.reset(); // its DoFHandler lives on the mesh
    warm_start_         = false;
    memory_limited_     = false;
    second_level_cells_ = 0;
  }

  void SteadyChipSolve::mesh()
  {
    clock_.restart();
    forget_mesh();
    mesh_.build();
  }

  double SteadyChipSolve::reseed(const std::vector<double> &block_power_w, double threshold)
  {
    if (mesh_.settings().predictor_model.empty())
      return -1;
    // Everything on the mesh goes, as the mesh may be rebuilt; the next solve()
    // sets up anew in any case.
    forget_mesh();
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
          {
            release_solution();
            const auto &tria = mesh_.triangulation();
            memory_.check(tria.get_communicator(), tria.n_locally_owned_active_cells(),
                          "solve on " + std::to_string(tria.n_global_active_cells()) + " cells");
          }
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
    memory_.observe(mesh_.triangulation().n_locally_owned_active_cells());
    {
      TimerOutput::Scope scope(timer_, "figures");
      block_results_ = compute_block_results(field(), coefficients, model_.all_blocks().size());
    }
    block_errors_.clear(), map_errors_.clear(), upper_.clear(), lower_.clear();
    if (estimating_)
      {
        TimerOutput::Scope scope(timer_, "estimate");
        const std::size_t  n = model_.all_blocks().size();
        const auto         pieces_of = coefficients.block_pieces().as_function();
        if (!map_goals_)
          map_goals_ = std::make_unique<MapLayerGoals>(model_, coefficients.zones());
        // Blocks, then one goal per layer with a power map (map_layer_goals.h).
        auto       all    = block_differences(field(), field(), primal_field(), map_goals_->with_goals(pieces_of, n),
                                              n + map_goals_->size());
        const auto bounds = block_error_bounds(all);
        upper_.assign(all.begin(), all.begin() + n);
        block_errors_.assign(bounds.begin(), bounds.begin() + n);
        map_errors_.assign(bounds.begin() + n, bounds.end());
      }
    return primal_report_;
  }

  void SteadyChipSolve::compute_lower_differences()
  {
    // With a Q2 solution computed by p-multigrid, the Q1 one is at hand. Only
    // for the report, so only on the mesh reported: at every cycle it took 1.3
    // of the estimate's 2.9 s (the 1000-block floorplan's cycle 1).
    if (!estimating_ || !primal_ || !q1_ || solver_settings_.degree != 2 || !lower_.empty())
      return;
    TimerOutput::Scope scope(timer_, "estimate");
    lower_ = block_differences(field(), primal_field(), q1_->field(), mesh_.coefficients().block_pieces().as_function(),
                               model_.all_blocks().size());
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
    // The last mesh's solutions carried over (refine()) are alternative first guesses.
    const bool warm         = primal_ == nullptr && warm_primal_ && !data_.is_nonlinear();
    const bool warm_enriched = warm && estimating_ && warm_enriched_;
    if (!primal_)
      primal_ = warm ? std::move(warm_primal_) : field_of_degree(p);
    if (estimating_)
      enriched_ = warm_enriched ? std::move(warm_enriched_) : field_of_degree(p + 1);
    warm_primal_.reset(), warm_enriched_.reset();
    if (data_.is_nonlinear())
      {
        hierarchy_.reset(); // the enriched solve makes its own, about the final solution
        return solve_steady_matrix_free(*q1_, q1_report, *primal_, data_, settings, false, newton_hierarchy_);
      }
    std::map<unsigned int, PMultigridSolver::Level> levels{{p, {&primal_->dofs(), &primal_->constraints()}}};
    if (estimating_)
      levels[p + 1] = {&enriched_->dofs(), &enriched_->constraints()};
    hierarchy_ = std::make_unique<PMultigridSolver>(*q1_, levels, data_, LinearisationPoint{}, settings);
    PMultigridSolver::VectorType x, carried;
    hierarchy_->prolongate_from_q1(q1_->temperature_rise(), p, x);
    if (warm)
      carried = rise_of(primal_->temperature(), data_.reference_temperature_k, hierarchy_->operator_of(p));
    if (warm_enriched)
      warm_enriched_rise_ =
        rise_of(enriched_->temperature(), data_.reference_temperature_k, hierarchy_->operator_of(p + 1));
    // Without estimates this is the reported solution: solved to the full tolerance.
    LinearSolveReport report =
      hierarchy_->solve(p, x, settings, estimating_ ? primal_reduction : 0.0, warm ? &carried : nullptr);
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

  std::unique_ptr<FeField> SteadyChipSolve::field_of_degree(unsigned int degree)
  {
    TimerOutput::Scope scope(timer_, "setup");
    auto               field = std::make_unique<FeField>(mesh_.triangulation());
    field->reinit(degree);
    return field;
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
          enriched_ = field_of_degree(p + 1);
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
      hierarchy_->prolongate(p, rise_of(primal_->temperature(), data_.reference_temperature_k, hierarchy_->operator_of(p)),
                             p + 1, y);
    else
      hierarchy_->prolongate_from_q1(problem_->temperature_rise(), 2, y);
    const PMultigridSolver::VectorType lower = y; // T_p on the degree p + 1 DoFs
    const LinearSolveReport report = hierarchy_->solve(p + 1, y, solver_settings_, solver_settings_.estimate_reduction,
                                                       warm_enriched_rise_ ? &*warm_enriched_rise_ : nullptr);
    warm_enriched_rise_.reset();
    enriched_->set_from_rise(y, data_.reference_temperature_k);
    // T_p's hanging-node values on the degree p + 1 DoFs too: the matrix-free
    // vector holds 0 there, which made the field read the whole rise at every
    // hanging node (ParaView's error_bound_k up to 55 K where the bounds were 0.1 K).
    const FeField::VectorType lower_values = enriched_->constrained(lower);
    bound_field_                           = enriched_->temperature();
    bound_field_.zero_out_ghost_values();
    for (unsigned int i = 0; i < bound_field_.locally_owned_size(); ++i)
      bound_field_.local_element(i) =
        std::abs(bound_field_.local_element(i) - data_.reference_temperature_k - lower_values.local_element(i));
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

  void SteadyChipSolve::attach_warm_fields()
  {
    if (warm_primal_)
      warm_primal_->prepare_transfer();
    if (warm_enriched_)
      warm_enriched_->prepare_transfer();
  }

  void SteadyChipSolve::finish_warm_fields()
  {
    TimerOutput::Scope scope(timer_, "refine");
    if (warm_primal_)
      warm_primal_->finish_transfer();
    if (warm_enriched_)
      warm_enriched_->finish_transfer();
  }

  void SteadyChipSolve::refine(bool carry_over)
  {
    if (carry_over && primal_ && enriched_ && !data_.is_nonlinear())
      {
        // Matrix-free and linear: the solutions of both degrees go over to the
        // refined mesh as the next solve's first guesses (its stopping residual
        // is still set by the usual guess's: the answer is as accurate, in fewer iterations).
        warm_primal_ = std::move(primal_), warm_enriched_ = std::move(enriched_);
        release_solution();
        mesh_.refine_marked([&]() { attach_warm_fields(); });
        finish_warm_fields();
        return;
      }
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
    copy_owned(temperature, -model_.ambient_k, u);
    problem_->distribute_constraints(u);
    problem_->set_temperature_rise(u);
    warm_start_ = true; // the next solve() starts its iteration from here
  }

} // namespace chiptherm::solver
