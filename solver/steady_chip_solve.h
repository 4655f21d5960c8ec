#pragma once
// The numerical core of a steady chip run, without any output: mesh the
// model (coarse mesh + a priori policy refinement), build the coefficients,
// solve, and optionally refine a posteriori until the block temperatures
// settle. run_steady(), `chiptherm mesh` and the verification tests use it.
#include "../ai_predictor/net_plugin.h"
#include "../floorplans/chip_model.h"
#include "../mesh/size_field.h"
#include "../mesh/stack_mesh_builder.h"
#include "adaptivity_report.h"
#include "adaptivity_settings.h"
#include "block_statistics.h"
#include "chip_coefficients.h"
#include "heat_problem.h"

#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>

#include <functional>
#include <memory>
#include <string>

namespace chiptherm::solver
{
  class SteadyChipSolve
  {
  public:
    SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                    const SolverSettings &solver_settings, MPI_Comm comm, dealii::TimerOutput &timer);

    /// Builds the coarse mesh (or reads mesh.file), refines it to the mesh
    /// policy and refinement maps, builds the coefficients (timer "mesh").
    void mesh();
    /// The mesh saved in a checkpoint (Triangulation::save) instead: the same
    /// coarse mesh, then p4est's saved refinement. Throws InputError when this
    /// case's coarse mesh does not have the saved one's coarse_cells.
    void mesh_from_checkpoint(const std::string &mesh_file, unsigned long long coarse_cells);
    /// With a predictor (mesh.predictor), builds the mesh again from its maps
    /// for these block powers (all_blocks order: the settled dynamic power plus
    /// leakage) when more than `threshold` of the power the mesh was seeded
    /// for has moved between blocks (sum |P - P_seeded| / sum P_seeded).
    /// Returns the share that moved, or -1 when nothing was re-seeded.
    double reseed(const std::vector<double> &block_power_w, double threshold);
    /// Sets up, assembles and solves on the current mesh; throws NumericalError on failure.
    LinearSolveReport solve();
    /// solve(), then refine-and-coarsen cycles driven by the flux-residual
    /// estimator until no block temperature moves by more than the tolerance,
    /// the cell budget or level caps stop refinement, or max_cycles pass.
    /// on_cycle is called after every solve (for progress lines).
    AdaptivityReport solve_adaptively(const AdaptivitySettings &settings,
                                      const std::function<void(const CycleRecord &)> &on_cycle = {});

    /// Flags the given fractions of cells with the largest (smallest) indicator
    /// for refinement (coarsening), within max_cells, then drops flags that
    /// would pass a zone's level cap or coarsen below the policy's size.
    /// Returns whether any cell is flagged for refinement.
    bool mark_cells(double refine_fraction, double coarsen_fraction, unsigned long long max_cells,
                    const dealii::Vector<float> &indicator);
    /// Executes the flags (timer "refine"); the coefficients stay valid (zones
    /// are inherited by children and parents alike). attach_data() runs after prepare_coarsening_and_refinement(), for a
    /// SolutionTransfer to register its vectors.
    void refine_marked(const std::function<void()> &attach_data = {});

    const dealii::parallel::distributed::Triangulation<3> &triangulation() const { return tria_; }
    const mesh::StackMeshInfo                             &mesh_info() const { return mesh_info_; }
    const ChipCoefficients                                &coefficients() const { return *coefficients_; }
    const HeatProblem<3>                                  &problem() const { return *problem_; }
    /// Dynamic power per block (all_blocks order) for the next solves; by
    /// default each block's power_w. The mesh stays as it is.
    void set_block_powers(const std::vector<double> &block_power_w) { block_powers_ = block_power_w; }
    /// Block figures of the last solve.
    const std::vector<BlockResult>                        &block_results() const { return block_results_; }
    /// Sweeps of a priori refinement, and whether the cell budget stopped them.
    unsigned int a_priori_passes() const { return a_priori_passes_; }
    bool         a_priori_budget_hit() const { return a_priori_budget_hit_; }
    /// The predictor's part in the first mesh (mesh.predictor): dies and milliseconds; 0 dies without one.
    const ai_predictor::SeedingReport &predictor_seeding() const { return seeding_; }

  private:
    /// mesh() with the predictor reading seed_model's block powers.
    void build_mesh(const floorplans::ChipModel &seed_model);
    /// eta_K(T) eta_K(z) with z the dual solution for the mean block temperature.
    dealii::Vector<float> goal_indicator();
    /// Names the block driving a thermal runaway, for the error message.
    std::string runaway_culprit() const;
    /// Refines the marked cells and carries the temperature over as the next
    /// solve's starting point (nonlinear problems: fewer iterations).
    void refine_keeping_temperature();

    const floorplans::ChipModel                    &model_;
    std::vector<double>                             block_powers_; ///< empty: each block's power_w
    bool                                            warm_start_ = false; ///< problem_ holds the next start
    mesh::MeshSettings                              mesh_settings_;
    SolverSettings                                  solver_settings_;
    dealii::TimerOutput                            &timer_;
    dealii::Timer                                   clock_;
    dealii::parallel::distributed::Triangulation<3> tria_;
    mesh::StackMeshInfo                             mesh_info_;
    std::unique_ptr<mesh::SizeField>                size_field_;
    std::vector<int>                                level_caps_;
    std::unique_ptr<ChipCoefficients>               coefficients_;
    std::unique_ptr<HeatProblem<3>>                 problem_;
    std::vector<BlockResult>                        block_results_;
    unsigned int                                    a_priori_passes_     = 0;
    bool                                            a_priori_budget_hit_ = false;
    ai_predictor::SeedingReport                     seeding_;
    std::size_t                                     user_maps_ = 0;   ///< refinement maps of the case (before the predictor's)
    std::vector<double>                             seeded_powers_;   ///< what the predictor's maps were made for
  };
} // namespace chiptherm::solver
