#pragma once
// The numerical core of a steady chip run, without any output: mesh the
// model (ChipMesh), solve at the element degree p and, for error estimates, at
// p + 1 on the same mesh (p-multigrid, error_bounds.h), and refine where the
// estimate says the blocks' figures are not yet within the tolerance: one
// solve per mesh, stopping at the first whose bounds all meet it. run_steady(),
// `chiptherm mesh` and the verification tests use it.
#include "adaptivity_report.h"
#include "adaptivity_settings.h"
#include "block_statistics.h"
#include "chip_mesh.h"
#include "memory_guard.h"
#include "error_bounds.h"
#include "fe_field.h"
#include "heat_problem.h"
#include "map_layer_goals.h"
#include "p_multigrid.h"

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
    /// Per block (all_blocks order), for these figures and bounds: the bound
    /// that would decide its open sign-off verdict (the distance to its limit),
    /// infinite where the verdict is decided or left open on purpose. The
    /// adaptive loop refines on while any is finite, aiming the bound at it.
    using VerdictTargets =
      std::function<std::vector<double>(const std::vector<BlockResult> &, const std::vector<BlockErrorBound> &)>;

    /// estimates: also solve at degree + 1 and bound every block's error
    /// (report the degree + 1 figures); without, the degree-p solution alone.
    SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                    const SolverSettings &solver_settings, MPI_Comm comm, dealii::TimerOutput &timer,
                    bool estimates = true);
    ~SteadyChipSolve();

    /// Builds the mesh: ChipMesh::build() (deferring the sensitive types'
    /// built-in rules when estimates can decide on them).
    void mesh();
    /// ChipMesh::reseed(), releasing the solution first when the mesh is rebuilt.
    double reseed(const std::vector<double> &block_power_w, double threshold);
    /// Steering solves while on (throttling on the first mesh): no degree
    /// p + 1 estimate, and a temperature-dependent problem converged to 1e-2 K
    /// only (a throttling decision that close to a limit is taken again after
    /// the adaptive loop). The next solve() with it off, on the same mesh and
    /// powers, continues from that solution: converges it, then estimates.
    void steer(bool on) { steering_ = on; }
    /// Solves on the current mesh (and bounds the error); throws NumericalError on failure.
    LinearSolveReport solve();
    /// Frees what only another solve on this mesh needs: the p-multigrid
    /// hierarchies (operators, line blocks, transfers, level vectors), the
    /// carried-over first guesses and the BoomerAMG hierarchy. The fields,
    /// figures, bounds and indicator stay, so the results are written in the
    /// memory the solver held; a later solve() builds what it needs again.
    void release_solver();
    /// solve(), then refine where the blocks' bounds exceed the tolerance
    /// (Doerfler marking on goal-weighted indicators), one solve per mesh,
    /// until every bound meets it and no verdict target is open, or the cell
    /// budget, level caps or max_cycles stop it. Without estimates the loop
    /// stops when no block's figures move by more than the tolerance between
    /// two meshes. on_cycle is called after every solve (progress lines).
    AdaptivityReport solve_adaptively(const AdaptivitySettings &settings,
                                      const std::function<void(const CycleRecord &)> &on_cycle = {},
                                      const VerdictTargets &verdict_targets = {});

    const ChipMesh                                        &chip_mesh() const { return mesh_; }
    const dealii::parallel::distributed::Triangulation<3> &triangulation() const { return mesh_.triangulation(); }
    const mesh::StackMeshInfo                             &mesh_info() const { return mesh_.info(); }
    const ChipCoefficients                                &coefficients() const { return mesh_.coefficients(); }
    unsigned int a_priori_passes() const { return mesh_.a_priori_passes(); }
    bool         a_priori_budget_hit() const { return mesh_.a_priori_budget_hit(); }
    const ai_predictor::SeedingReport &predictor_seeding() const { return mesh_.predictor_seeding(); }

    /// The reported solution: degree p + 1 with estimates, else degree p.
    TemperatureField                   field() const;
    unsigned int                       reported_degree() const;
    dealii::types::global_dof_index    reported_dofs() const;
    /// The degree-p solution (the one the mesh is adapted for).
    TemperatureField                   primal_field() const;
    dealii::types::global_dof_index    primal_dofs() const;
    /// The data of the last solve (block powers as set).
    const HeatProblemData<3>          &data() const { return data_; }
    /// The assembled problem of the last solve: the degree-1 problem, or the
    /// Q1 coarse level of a higher degree.
    const HeatProblem<3>              &problem() const;
    /// Dynamic power per block (all_blocks order) for the next solves; by
    /// default each block's power_w. The mesh stays as it is.
    void set_block_powers(const std::vector<double> &block_power_w) { block_powers_ = block_power_w; }
    /// Block figures of the last solve (of the reported solution).
    const std::vector<BlockResult>     &block_results() const { return block_results_; }
    /// Bounds of their errors (empty without estimates).
    const std::vector<BlockErrorBound> &block_errors() const { return block_errors_; }
    /// The bounds of the power-map layers' hotspots (t_max_k), one per goal of map_goals().
    const std::vector<BlockErrorBound> &map_errors() const { return map_errors_; }
    const MapLayerGoals                *map_goals() const { return map_goals_.get(); }
    /// What the bounds are made of: the differences of degree p + 1 to p, and
    /// of p to p - 1 (empty when there is no degree p - 1 solution).
    const std::vector<BlockDifference> &block_differences_upper() const { return upper_; }
    /// Collective. Computes block_differences_lower() for the last solve
    /// (degree 2 by p-multigrid: Q2 against its Q1 level), for the report.
    void compute_lower_differences();
    /// Empty until compute_lower_differences().
    const std::vector<BlockDifference> &block_differences_lower() const { return lower_; }
    /// The local error indicator of the last solve, one value per active cell:
    /// the energy of the degree p + 1 correction with estimates, else the
    /// flux residual (computed on first request).
    const dealii::Vector<float> &error_indicator();
    /// |T_{p+1} - T_p| at the nodes of the reported field, K (ghosted); empty without estimates.
    const dealii::LinearAlgebra::distributed::Vector<double> &error_bound_field() const { return bound_field_; }
    /// The dual solution of the last goal-oriented marking.
    const dealii::LinearAlgebra::distributed::Vector<double> &dual() const { return dual_; }

    /// Block b's overlapping cells are no larger than twice its smaller side
    /// (Q2 and higher; half of it for Q1): its bound is calibrated (always
    /// true with `policy: none`).
    bool block_resolved(std::size_t b) const;
    /// Block b cannot be resolved: its cells refined to their level cap
    /// (mesh.max_level) would still be larger than block_resolved asks. The
    /// adaptive loop does not chase it (its bound stays uncalibrated; decided
    /// on the first cycle of solve_adaptively()).
    bool beyond_level_cap(std::size_t b) const { return b < beyond_level_cap_.size() && beyond_level_cap_[b]; }
    /// The cell edge block_resolved asks for over block b, m.
    double resolving_cell_m(std::size_t b) const;
    /// Per block, an unresolved block within the reach of its cells (its
    /// rectangles grown in-plane by the cells it lies in), or npos: a resolved
    /// block there has extremes whose bounds are not guaranteed either (its
    /// peak can sit at the unresolved source's edge; docs/design.md, "resolved
    /// blocks"). npos for unresolved blocks themselves.
    std::vector<std::size_t> unresolved_neighbours() const;
    /// Sets beyond_level_cap() for every unresolved block (collective).
    void find_blocks_beyond_level_cap();
    /// The largest bound among the open blocks, K (0 without estimates).
    double worst_open_bound(const std::vector<bool> &open) const;
    /// Blocks whose bound exceeds their target (set here: the tolerance, or an
    /// open verdict's distance to its limit), and every open verdict.
    std::vector<bool> blocks_open_by_estimate(const AdaptivitySettings &settings, const VerdictTargets &verdict_targets,
                                              std::vector<double> &target) const;
    /// The open block whose bound is the most times its target: {bound, target}, K.
    std::pair<double, double> steering_bound(const std::vector<bool> &open, const std::vector<double> &target) const;
    /// Collective. Flags the next cycle's cells: the Doerfler `share` of
    /// `indicator`, and when that adds less than settings.min_growth of the
    /// cells, the cells of largest indicator that add that many.
    /// Returns whether any cell is flagged for refinement.
    bool mark_next_cycle(const AdaptivitySettings &settings, double share, const dealii::Vector<float> &indicator);
    /// Collective. After mark_next_cycle(): the marked cells that go a second
    /// level this cycle (ChipMesh::flagged_cells_carrying half the marked
    /// indicator) when the bound steering the marking is more than one
    /// level's fall above its target, settings allow two levels and they are
    /// AdaptivitySettings::second_level_affordable; else none.
    std::vector<double> second_level_cells(const AdaptivitySettings &settings, double steering_k, double aim_k,
                                           double fall_per_level) const;
    /// Collective. The next cycle's mesh: the flags executed (refine()), then
    /// the children of `second_level` (second_level_cells) refined, then a
    /// level of the rules of `apply`, the carried solutions going along each
    /// time. Returns {whether the rules refined, whether the second level did}.
    std::pair<bool, bool> refine_for_next_cycle(bool carry_over, const std::vector<double> &second_level,
                                                const std::vector<bool> &apply);
    /// Collective. Whether the mesh the refine flags, `second_level` (64 cells
    /// for each, dropped first when they do not fit) and a level of the rules of
    /// `apply` would make fits in the memory left (MemoryCeiling::fits). If not,
    /// the rules of every block whose cells are flagged wait (no cell refined
    /// twice), and if that does not fit either, the marking shrinks to the
    /// cells of largest indicator that fit, as long as they add at least
    /// settings.min_growth of the cells; else the flags are dropped and the loop
    /// ends on this mesh. carry_over: whether that mesh is small enough for the
    /// solutions to be carried over.
    bool next_mesh_fits(const AdaptivitySettings &settings, std::vector<bool> &apply, std::vector<double> &second_level,
                        bool &carry_over);
    /// Collective. The share of next_mesh_fits: the largest fraction of the
    /// cells by the last marking's `indicator` whose mesh fits (`fits`), every
    /// rule of `apply` waiting. False, flags dropped, when it adds less than
    /// settings.min_growth.
    bool shrink_marking_to_fit(const AdaptivitySettings &settings, const dealii::Vector<float> &indicator,
                               std::vector<bool> &apply, const std::function<bool()> &fits);
    /// Collective. Drops from `apply` the resolved blocks whose cells are
    /// flagged for refinement: their rule's level waits a cycle.
    void wait_rules_of_marked_blocks(std::vector<bool> &apply) const;
    /// The open blocks whose deferred type rule refines a level now; on the
    /// first cycle also records each deferrable block's rule as "applied" or
    /// "waived" in `policy`.
    std::vector<bool> deferred_rules_to_apply(unsigned int cycle, bool adapting, const std::vector<bool> &open,
                                              std::vector<std::string> &policy) const;

  private:
    /// The degree-p solution by p-multigrid above an assembled Q1 problem (linear data).
    LinearSolveReport solve_matrix_free(const SolverSettings &settings);
    /// solve(), a ThermalRunaway's message completed by its likely culprit.
    LinearSolveReport with_runaway_culprit(const std::function<LinearSolveReport()> &solve);
    /// The degree-1 solution assembled (Newton when temperature-dependent).
    LinearSolveReport solve_assembled(const SolverSettings &settings);
    /// The degree p + 1 solution from the degree-p one (p-multigrid, linearised about it).
    LinearSolveReport solve_enriched();
    /// The DoFs, constraints and vector of a degree on the current mesh (timed as setup).
    std::unique_ptr<FeField> field_of_degree(unsigned int degree);
    /// The goal-weighted marking indicator for the blocks in `goal`
    /// (eta_K(correction) eta_K(dual)), or the correction's energy alone.
    dealii::Vector<float> marking_indicator(const AdaptivitySettings &settings, const std::vector<bool> &goal);
    /// Refines the marked cells; a temperature-dependent problem carries its
    /// temperature over as the next solve's starting point (fewer iterations),
    /// and so do the matrix-free solutions when carry_over.
    void refine(bool carry_over);
    /// The cycle's record after a solve.
    CycleRecord record_cycle(unsigned int cycle, const LinearSolveReport &linear,
                             const std::vector<BlockResult> &previous) const;
    /// Releases everything that lives on the mesh but the persistent problem
    /// (and the carried-over first guesses: refine() made them for this mesh).
    void release_solution();
    /// Drops what lives on the mesh (solutions, warm starts, the problem) and
    /// the last refinement's flags, before a new first mesh (mesh(), reseed()).
    void forget_mesh();
    /// Refinements carry the matrix-free solutions (degrees p and p + 1) over
    /// to the refined mesh as the next solve's alternative first guesses:
    /// attach_warm_fields() before a refinement executes, finish_warm_fields() after it.
    void attach_warm_fields();
    void finish_warm_fields();

    const floorplans::ChipModel                    &model_;
    /// model_.all_blocks(), once: it builds a vector, and per-block loops that
    /// indexed it afresh cost O(blocks^2) (seconds at 10,000 blocks).
    const std::vector<const floorplans::Block *>    blocks_;
    std::vector<double>                             block_powers_; ///< empty: each block's power_w
    bool                                            warm_start_ = false; ///< problem_ holds the next start
    SolverSettings                                  solver_settings_;
    bool                                            estimates_;
    bool                                            steering_       = false;
    double                                          primal_tolerance_k_ = 0; ///< its nonlinear tolerance
    bool                                            estimating_     = false; ///< in the current solve
    LinearSolveReport                               primal_report_; ///< of the degree-p solution held
    std::vector<double>                             primal_powers_; ///< the block powers it was solved for
    dealii::TimerOutput                            &timer_;
    MemoryCeiling                                   memory_; ///< checked before each solve on a new mesh
    dealii::Timer                                   clock_;
    ChipMesh                                        mesh_;
    HeatProblemData<3>                              data_;
    std::unique_ptr<HeatProblem<3>>                 problem_; ///< assembled degree p (persists for warm starts)
    std::unique_ptr<HeatProblem<3>>                 q1_;      ///< Q1 coarse level when problem_ is not Q1
    std::unique_ptr<FeField>                        primal_, enriched_; ///< matrix-free degrees p and p + 1
    /// The last mesh's primal_ and enriched_ carried over to this one (first guesses), and the
    /// latter's rise taken out for solve_enriched() once the next solve reuses the field.
    std::unique_ptr<FeField>                        warm_primal_, warm_enriched_;
    std::optional<HeatOperator::VectorType>         warm_enriched_rise_;
    std::unique_ptr<PMultigridSolver>               hierarchy_;
    std::unique_ptr<PMultigridSolver>               newton_hierarchy_; ///< degree p only, kept across throttling steps
    LinearSolveReport                               enriched_report_;
    std::vector<BlockResult>                        block_results_;
    std::vector<bool>                               beyond_level_cap_; ///< per block, beyond_level_cap()
    std::vector<BlockErrorBound>                    block_errors_, map_errors_;
    std::unique_ptr<MapLayerGoals>                  map_goals_; ///< made with the first estimate
    std::vector<BlockDifference>                    upper_, lower_;
    dealii::LinearAlgebra::distributed::Vector<double> dual_;
    std::optional<dealii::Vector<float>>            error_indicator_; ///< of the last solve, once computed
    dealii::Vector<float>                           marking_indicator_; ///< the last marking's (next_mesh_fits)
    bool memory_limited_ = false; ///< next_mesh_fits cut the last marking to the memory left
    /// Cells of the last mesh refined two levels to make this one (refine_for_next_cycle).
    unsigned long long second_level_cells_ = 0;
    dealii::LinearAlgebra::distributed::Vector<double> bound_field_;
  };
} // namespace chiptherm::solver
