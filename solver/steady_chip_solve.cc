#include "steady_chip_solve.h"

#include "../common/errors.h"
#include "../mesh/gmsh_io.h"
#include "../mesh/local_refinement.h"
#include "flux_residual_estimator.h"

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/grid_refinement.h>
#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/dofs/dof_tools.h>

#include <cmath>
#include <cstdio>

namespace chiptherm::solver
{
  using namespace dealii;

  SteadyChipSolve::SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                                   const SolverSettings &solver_settings, MPI_Comm comm, TimerOutput &timer)
    : model_(model)
    , mesh_settings_(mesh_settings)
    , solver_settings_(solver_settings)
    , timer_(timer)
    , tria_(comm, Triangulation<3>::limit_level_difference_at_vertices)
  {}

  void SteadyChipSolve::mesh()
  {
    clock_.restart();
    if (seeding_.dies == 0)
      user_maps_ = mesh_settings_.refinement_maps.size();
    mesh_settings_.refinement_maps.resize(user_maps_); // a second mesh(): the predictor's maps again
    seeding_ = {};
    build_mesh(model_);
  }

  double SteadyChipSolve::reseed(const std::vector<double> &block_power_w, double threshold)
  {
    if (mesh_settings_.predictor_model.empty())
      return -1;
    double moved = 0, total = 0;
    for (std::size_t b = 0; b < block_power_w.size(); ++b)
      moved += std::abs(block_power_w[b] - seeded_powers_[b]), total += seeded_powers_[b];
    if (!(moved > threshold * total))
      return -1;
    floorplans::ChipModel seed_model = model_;
    std::size_t           b          = 0;
    for (auto &layer : seed_model.layers)
      for (auto &block : layer.blocks)
        block.power_w = block_power_w[b++];
    // The problem's DoFHandler lives on the mesh: gone first.
    problem_.reset();
    warm_start_ = false;
    tria_.clear();
    mesh_settings_.refinement_maps.resize(user_maps_);
    seeding_ = {};
    build_mesh(seed_model);
    return moved / total;
  }

  void SteadyChipSolve::build_mesh(const floorplans::ChipModel &seed_model)
  {
    TimerOutput::Scope scope(timer_, "mesh");
    mesh_info_   = mesh_settings_.gmsh_file.empty() ? mesh::StackMeshBuilder(model_, mesh_settings_).build(tria_)
                                                    : mesh::read_gmsh_mesh(mesh_settings_.gmsh_file, model_, tria_);
    if (!mesh_settings_.predictor_model.empty())
      for (auto &map : ai_predictor::net_plugin().predicted_refinement_maps(seed_model, mesh_settings_.predictor_model,
                                                               mesh_settings_.predictor_finest_m,
                                                               mesh_settings_.predictor_coarsest_m, &seeding_))
        mesh_settings_.refinement_maps.push_back(std::move(map));
    seeded_powers_.clear();
    for (const auto *block : seed_model.all_blocks())
      seeded_powers_.push_back(block->power_w);
    size_field_  = std::make_unique<mesh::SizeField>(model_, mesh_settings_.policy, mesh_settings_.refinement_maps);
    level_caps_  = mesh::zone_level_caps(mesh_info_.zones, mesh_settings_.policy);
    const auto outcome   = mesh::refine_to_size_field(tria_, *size_field_, level_caps_, mesh_settings_.policy.max_cells);
    a_priori_passes_     = outcome.passes;
    a_priori_budget_hit_ = outcome.budget_hit;
    coefficients_        = std::make_unique<ChipCoefficients>(model_, mesh_info_.zones, tria_);
  }

  void SteadyChipSolve::mesh_from_checkpoint(const std::string &mesh_file, unsigned long long coarse_cells)
  {
    TimerOutput::Scope scope(timer_, "mesh");
    clock_.restart();
    if (!mesh_settings_.gmsh_file.empty())
      throw InputError("resuming from a checkpoint is not available yet for cases that read their mesh from mesh.file ('" +
                       mesh_settings_.gmsh_file + "')");
    // p4est restores the refinement on exactly the coarse mesh it was saved from.
    auto coarse               = mesh_settings_;
    coarse.global_refinements = 0;
    mesh_info_                = mesh::StackMeshBuilder(model_, coarse).build(tria_);
    if (mesh_info_.coarse_cells != coarse_cells)
      throw InputError("the saved state in " + mesh_file + " was computed on another mesh (" +
                       std::to_string(coarse_cells) + " coarse cells; this case has " +
                       std::to_string(mesh_info_.coarse_cells) + "): the stack, floorplan and mesh settings must match");
    tria_.load(mesh_file);
    size_field_   = std::make_unique<mesh::SizeField>(model_, mesh_settings_.policy, mesh_settings_.refinement_maps);
    level_caps_   = mesh::zone_level_caps(mesh_info_.zones, mesh_settings_.policy);
    coefficients_ = std::make_unique<ChipCoefficients>(model_, mesh_info_.zones, tria_);
  }

  LinearSolveReport SteadyChipSolve::solve()
  {
    if (!warm_start_)
      {
        problem_ = std::make_unique<HeatProblem<3>>(tria_, solver_settings_.degree, timer_);
        problem_->setup();
      }
    warm_start_ = false;
    problem_->assemble(block_powers_.empty() ? coefficients_->problem_data()
                                             : coefficients_->problem_data(block_powers_));
    const LinearSolveReport report = [&] {
      try
        {
          return problem_->solve(solver_settings_);
        }
      catch (const ThermalRunaway &e)
        {
          throw ThermalRunaway(std::string(e.what()) + "; " + runaway_culprit());
        }
    }();
    block_results_ = compute_block_results(*problem_, *coefficients_, model_.all_blocks().size());
    return report;
  }

  std::string SteadyChipSolve::runaway_culprit() const { return coefficients_->runaway_culprit(*problem_); }

  Vector<float> SteadyChipSolve::goal_indicator()
  {
    // Goal: the mean over blocks of each block's mean temperature, so a small
    // sensitive block weighs as much as a large one.
    const auto   n_blocks = model_.all_blocks().size();
    const auto  &zones    = mesh_info_.zones;
    auto density = [&](types::material_id z) {
      const int b = zones[z].block;
      return b < 0 ? 0.0 : 1.0 / (double(n_blocks) * coefficients_->block_volume_m3(b));
    };
    problem_->solve_dual(density, solver_settings_);
    TimerOutput::Scope scope(timer_, "estimate");
    HeatProblemData<3> dual_data = coefficients_->problem_data();
    dual_data.power_density      = [&](types::material_id z, const Point<3> &) { return density(z); };
    dual_data.temperature_source = nullptr; // the dual of the last linearisation: a linear problem
    dual_data.conductivity_factor = nullptr;
    for (auto &[id, robin] : dual_data.robin)
      robin.far_temperature_k = [](const Point<3> &) { return 0.0; };
    const Vector<float> dual_eta =
      estimate_flux_residual(problem_->dof_handler(), problem_->dual(), dual_data, problem_->is_cartesian());
    Vector<float> eta = problem_->error_indicator();
    for (unsigned int i = 0; i < eta.size(); ++i)
      eta[i] *= dual_eta[i];
    return eta;
  }

  bool SteadyChipSolve::mark_cells(double refine_fraction, double coarsen_fraction, unsigned long long max_cells,
                                   const Vector<float> &indicator)
  {
    parallel::distributed::GridRefinement::refine_and_coarsen_fixed_number(
      tria_, indicator, refine_fraction, coarsen_fraction,
      static_cast<unsigned int>(std::min<unsigned long long>(max_cells, 4'000'000'000ULL)));
    unsigned long long refined = 0;
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          if (cell->refine_flag_set() && cell->level() >= level_caps_[cell->material_id()])
            cell->clear_refine_flag();
          if (cell->coarsen_flag_set())
            {
              // Coarse cells have no parent; a parent must still meet the policy's size where it lies.
              if (cell->level() == 0 || mesh::exceeds_target_size(*size_field_, mesh::bounding_box_of(cell->parent())))
                cell->clear_coarsen_flag();
            }
          refined += cell->refine_flag_set() ? 1 : 0;
        }
    return Utilities::MPI::sum(refined, tria_.get_communicator()) > 0;
  }

  void SteadyChipSolve::refine_keeping_temperature()
  {
    // The transfer packs the temperature during refinement: keep a copy alive
    // (a copy starts with its ghost values zeroed: fetch them again).
    LinearAlgebra::distributed::Vector<double> old_temperature = problem_->temperature();
    old_temperature.update_ghost_values();
    parallel::distributed::SolutionTransfer<3, LinearAlgebra::distributed::Vector<double>> transfer(
      problem_->dof_handler());
    refine_marked([&]() { transfer.prepare_for_coarsening_and_refinement(old_temperature); });
    problem_->setup();
    const auto &dofs = problem_->dof_handler();
    LinearAlgebra::distributed::Vector<double> temperature(
      dofs.locally_owned_dofs(), DoFTools::extract_locally_relevant_dofs(dofs), tria_.get_communicator());
    transfer.interpolate(temperature);
    auto u = problem_->make_vector();
    for (const auto i : dofs.locally_owned_dofs())
      u[i] = temperature[i] - model_.ambient_k;
    u.compress(VectorOperation::insert);
    problem_->distribute_constraints(u);
    problem_->set_temperature_rise(u);
    warm_start_ = true; // the next solve() starts its iteration from here
  }

  void SteadyChipSolve::refine_marked(const std::function<void()> &attach_data)
  {
    {
      TimerOutput::Scope scope(timer_, "refine");
      tria_.prepare_coarsening_and_refinement();
      if (attach_data)
        attach_data();
      tria_.execute_coarsening_and_refinement();
    }
    // Zones are coarse cells' material ids, which children inherit: the
    // coefficients (block volumes included) stay valid.
  }

  AdaptivityReport SteadyChipSolve::solve_adaptively(const AdaptivitySettings        &settings,
                                                     const std::function<void(const CycleRecord &)> &on_cycle)
  {
    AdaptivityReport report;
    report.enabled     = settings.enabled;
    report.tolerance_k = settings.tolerance_k;
    report.estimator   = settings.estimator;
    std::vector<BlockResult> previous;
    for (unsigned int cycle = 0;; ++cycle)
      {
        const LinearSolveReport linear = solve();
        CycleRecord             record;
        record.cycle             = cycle;
        record.cells             = tria_.n_global_active_cells();
        record.dofs              = problem_->n_dofs();
        record.linear_iterations = linear.iterations;
        record.nonlinear_iterations = linear.nonlinear_iterations;
        record.nonlinear_change_k   = linear.nonlinear_change_k;
        record.final_residual       = linear.final_residual;
        const Vector<float> indicator = [&]() -> Vector<float> {
          if (settings.estimator == "goal")
            return goal_indicator();
          TimerOutput::Scope scope(timer_, "estimate");
          return problem_->error_indicator();
        }();
        // Energy: (sum eta_K^2)^1/2; goal: sum of eta_K(T) eta_K(z), an estimate in K.
        record.estimated_error = settings.estimator == "goal"
                                   ? Utilities::MPI::sum(double(indicator.l1_norm()), tria_.get_communicator())
                                   : std::sqrt(Utilities::MPI::sum(indicator.norm_sqr(), tria_.get_communicator()));
        if (!previous.empty())
          {
            record.max_block_change_k = 0;
            for (std::size_t b = 0; b < previous.size(); ++b)
              record.max_block_change_k =
                std::max({record.max_block_change_k, std::abs(block_results_[b].t_max_k - previous[b].t_max_k),
                          std::abs(block_results_[b].t_avg_k - previous[b].t_avg_k)});
          }
        record.wall_s = clock_.wall_time();
        report.cycles.push_back(record);
        if (on_cycle)
          on_cycle(record);

        if (!settings.enabled)
          {
            report.stop_reason = "disabled";
            break;
          }
        if (record.max_block_change_k >= 0 && record.max_block_change_k < settings.tolerance_k)
          {
            report.converged   = true;
            report.stop_reason = "tolerance";
            break;
          }
        if (cycle >= settings.max_cycles)
          {
            report.stop_reason = "max_cycles";
            break;
          }
        if (record.cells >= mesh_settings_.policy.max_cells)
          {
            report.stop_reason = "cell budget";
            break;
          }
        if (!mark_cells(settings.refine_fraction, settings.coarsen_fraction, mesh_settings_.policy.max_cells, indicator))
          {
            report.stop_reason = "level cap";
            break;
          }
        if (coefficients_->depends_on_temperature())
          refine_keeping_temperature();
        else
          {
            TimerOutput::Scope scope(timer_, "refine");
            tria_.execute_coarsening_and_refinement();
          }
        previous = block_results_;
      }
    return report;
  }
} // namespace chiptherm::solver
