#pragma once
// The numerical core of a steady chip run, without any output: mesh the
// model (ChipMesh), solve, and optionally refine a posteriori until the block
// temperatures settle. run_steady(), `chiptherm mesh` and the verification
// tests use it.
#include "adaptivity_report.h"
#include "adaptivity_settings.h"
#include "block_statistics.h"
#include "chip_mesh.h"
#include "heat_problem.h"

#include <deal.II/base/timer.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace chiptherm::solver
{
  class SteadyChipSolve
  {
  public:
    SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                    const SolverSettings &solver_settings, MPI_Comm comm, dealii::TimerOutput &timer);

    /// Builds the mesh: ChipMesh::build().
    void mesh();
    /// ChipMesh::reseed(), releasing the problem first when the mesh is rebuilt.
    double reseed(const std::vector<double> &block_power_w, double threshold);
    /// Sets up, assembles and solves on the current mesh; throws NumericalError on failure.
    LinearSolveReport solve();
    /// solve(), then refine-and-coarsen cycles driven by the flux-residual
    /// estimator until no block temperature moves by more than the tolerance,
    /// the cell budget or level caps stop refinement, or max_cycles pass.
    /// on_cycle is called after every solve (for progress lines).
    AdaptivityReport solve_adaptively(const AdaptivitySettings &settings,
                                      const std::function<void(const CycleRecord &)> &on_cycle = {});

    const ChipMesh                                        &chip_mesh() const { return mesh_; }
    const dealii::parallel::distributed::Triangulation<3> &triangulation() const { return mesh_.triangulation(); }
    const mesh::StackMeshInfo                             &mesh_info() const { return mesh_.info(); }
    const ChipCoefficients                                &coefficients() const { return mesh_.coefficients(); }
    unsigned int a_priori_passes() const { return mesh_.a_priori_passes(); }
    bool         a_priori_budget_hit() const { return mesh_.a_priori_budget_hit(); }
    const ai_predictor::SeedingReport &predictor_seeding() const { return mesh_.predictor_seeding(); }
    const HeatProblem<3>                                  &problem() const { return *problem_; }
    /// Dynamic power per block (all_blocks order) for the next solves; by
    /// default each block's power_w. The mesh stays as it is.
    void set_block_powers(const std::vector<double> &block_power_w) { block_powers_ = block_power_w; }
    /// Block figures of the last solve.
    const std::vector<BlockResult>                        &block_results() const { return block_results_; }
    /// The flux-residual indicator of the last solve, one value per active cell
    /// (computed on first request).
    const dealii::Vector<float> &error_indicator();
    /// The dual solution of the last goal-oriented cycle (adaptivity.estimator: goal).
    const dealii::LinearAlgebra::distributed::Vector<double> &dual() const { return dual_; }

  private:
    /// eta_K(T) eta_K(z) with z the dual solution for the mean block temperature.
    dealii::Vector<float> goal_indicator();
    /// The indicator the settings ask for (timer "estimate").
    dealii::Vector<float> indicator(const AdaptivitySettings &settings);
    /// Refines the marked cells; a temperature-dependent problem carries its
    /// temperature over as the next solve's starting point (fewer iterations).
    void refine();
    /// The cycle's record after a solve.
    CycleRecord record_cycle(unsigned int cycle, const LinearSolveReport &linear,
                             const std::vector<BlockResult> &previous) const;

    const floorplans::ChipModel                    &model_;
    std::vector<double>                             block_powers_; ///< empty: each block's power_w
    bool                                            warm_start_ = false; ///< problem_ holds the next start
    SolverSettings                                  solver_settings_;
    dealii::TimerOutput                            &timer_;
    dealii::Timer                                   clock_;
    ChipMesh                                        mesh_;
    std::unique_ptr<HeatProblem<3>>                 problem_;
    std::vector<BlockResult>                        block_results_;
    dealii::LinearAlgebra::distributed::Vector<double> dual_;
    std::optional<dealii::Vector<float>>            error_indicator_; ///< of the last solve, once computed
  };
} // namespace chiptherm::solver
