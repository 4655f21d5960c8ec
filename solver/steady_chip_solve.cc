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

  SteadyChipSolve::SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                                   const SolverSettings &solver_settings, MPI_Comm comm, TimerOutput &timer)
    : model_(model)
    , solver_settings_(solver_settings)
    , timer_(timer)
    , mesh_(model, mesh_settings, comm, timer)
  {}

  void SteadyChipSolve::mesh()
  {
    clock_.restart();
    problem_.reset(); // its DoFHandler lives on the mesh
    warm_start_ = false;
    mesh_.build();
  }

  double SteadyChipSolve::reseed(const std::vector<double> &block_power_w, double threshold)
  {
    if (mesh_.settings().predictor_model.empty())
      return -1;
    // The problem's DoFHandler lives on the mesh, which may be rebuilt; the
    // next solve() sets up a new problem in any case.
    problem_.reset();
    warm_start_ = false;
    return mesh_.reseed(block_power_w, threshold);
  }

  LinearSolveReport SteadyChipSolve::solve()
  {
    if (!warm_start_)
      {
        problem_ = std::make_unique<HeatProblem<3>>(mesh_.triangulation(), solver_settings_.degree, timer_);
        problem_->setup();
      }
    warm_start_ = false;
    const auto &coefficients = mesh_.coefficients();
    problem_->assemble(block_powers_.empty() ? coefficients.problem_data() : coefficients.problem_data(block_powers_));
    const LinearSolveReport report = [&] {
      try
        {
          return solve_steady(*problem_, solver_settings_);
        }
      catch (const ThermalRunaway &e)
        {
          throw ThermalRunaway(std::string(e.what()) + "; " + coefficients.runaway_culprit(*problem_));
        }
    }();
    block_results_ = compute_block_results(*problem_, coefficients, model_.all_blocks().size());
    error_indicator_.reset();
    return report;
  }

  Vector<float> SteadyChipSolve::goal_indicator()
  {
    // Goal: the mean over blocks of each block's mean temperature, so a small
    // sensitive block weighs as much as a large one.
    const auto   n_blocks     = model_.all_blocks().size();
    const auto  &coefficients = mesh_.coefficients();
    auto density = [&](types::material_id z) {
      const int b = coefficients.block_of(z);
      return b < 0 ? 0.0 : 1.0 / (double(n_blocks) * coefficients.block_volume_m3(b));
    };
    dual_ = solve_goal_dual(*problem_, density, solver_settings_);
    TimerOutput::Scope scope(timer_, "estimate");
    HeatProblemData<3> dual_data  = coefficients.problem_data();
    dual_data.power_density       = [&](types::material_id z, const Point<3> &) { return density(z); };
    dual_data.temperature_source  = nullptr; // the dual of the last linearisation: a linear problem
    dual_data.conductivity_factor = nullptr;
    for (auto &[id, robin] : dual_data.robin)
      robin.far_temperature_k = [](const Point<3> &) { return 0.0; };
    const Vector<float> dual_eta =
      estimate_flux_residual(problem_->dof_handler(), dual_, dual_data, problem_->is_cartesian());
    Vector<float> eta = error_indicator();
    for (unsigned int i = 0; i < eta.size(); ++i)
      eta[i] *= dual_eta[i];
    return eta;
  }

  Vector<float> SteadyChipSolve::indicator(const AdaptivitySettings &settings)
  {
    if (settings.estimator == "goal")
      return goal_indicator();
    TimerOutput::Scope scope(timer_, "estimate");
    return error_indicator();
  }

  const Vector<float> &SteadyChipSolve::error_indicator()
  {
    if (!error_indicator_)
      error_indicator_ = estimate_flux_residual(problem_->dof_handler(), problem_->temperature(), problem_->data(),
                                                problem_->is_cartesian());
    return *error_indicator_;
  }

  void SteadyChipSolve::refine()
  {
    if (!mesh_.coefficients().depends_on_temperature())
      {
        mesh_.refine_marked();
        return;
      }
    // The transfer packs the temperature during refinement: keep a copy alive
    // (a copy starts with its ghost values zeroed: fetch them again).
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
    record.dofs                 = problem_->n_dofs();
    record.linear_iterations    = linear.iterations;
    record.nonlinear_iterations = linear.nonlinear_iterations;
    record.nonlinear_change_k   = linear.nonlinear_change_k;
    record.final_residual       = linear.final_residual;
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

  AdaptivityReport SteadyChipSolve::solve_adaptively(const AdaptivitySettings                       &settings,
                                                     const std::function<void(const CycleRecord &)> &on_cycle)
  {
    AdaptivityReport report;
    report.enabled     = settings.enabled;
    report.tolerance_k = settings.tolerance_k;
    report.estimator   = settings.estimator;
    std::vector<BlockResult> previous;
    const MPI_Comm           comm = mesh_.triangulation().get_communicator();
    for (unsigned int cycle = 0;; ++cycle)
      {
        CycleRecord         record = record_cycle(cycle, solve(), previous);
        const Vector<float> eta    = indicator(settings);
        // Energy: (sum eta_K^2)^1/2; goal: sum of eta_K(T) eta_K(z), an estimate in K.
        record.estimated_error = settings.estimator == "goal" ? Utilities::MPI::sum(double(eta.l1_norm()), comm)
                                                              : std::sqrt(Utilities::MPI::sum(eta.norm_sqr(), comm));
        record.wall_s = clock_.wall_time();
        report.cycles.push_back(record);
        if (on_cycle)
          on_cycle(record);

        if (!settings.enabled)
          report.stop_reason = "disabled";
        else if (record.max_block_change_k >= 0 && record.max_block_change_k < settings.tolerance_k)
          report.converged = true, report.stop_reason = "tolerance";
        else if (cycle >= settings.max_cycles)
          report.stop_reason = "max_cycles";
        else if (record.cells >= mesh_.settings().policy.max_cells)
          report.stop_reason = "cell budget";
        else if (!mesh_.mark_cells(settings.refine_fraction, settings.coarsen_fraction,
                                   mesh_.settings().policy.max_cells, eta))
          report.stop_reason = "level cap";
        if (!report.stop_reason.empty())
          break;
        refine();
        previous = block_results_;
      }
    return report;
  }
} // namespace chiptherm::solver
