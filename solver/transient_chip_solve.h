#pragma once
// The numerical core of a transient chip run, without result files: mesh the
// model (as a steady run does, a priori), set the initial state or resume a
// checkpoint, and march TR-BDF2 steps with error control, landing on every
// power breakpoint and output time, writing checkpoints as it goes.
// run_transient() and the verification tests use it.
#include "block_extremes.h"
#include "block_load_vectors.h"
#include "block_statistics.h"
#include "checkpoint_store.h"
#include "chip_mesh.h"
#include "dvfs_control.h"
#include "heat_problem.h"
#include "march_state.h"
#include "shifted_operator.h"
#include "step_size_controller.h"
#include "tr_bdf2_stepper.h"
#include "transient_report.h"
#include "transient_settings.h"

#include <deal.II/base/timer.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace chiptherm::solver
{
  class TransientChipSolve
  {
  public:
    /// signoff gives the limits DVFS blocks are kept under (unless their dvfs.limit does).
    TransientChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                       const SolverSettings &solver_settings, const TransientSettings &settings, MPI_Comm comm,
                       dealii::TimerOutput &timer, const SignoffSettings &signoff = SignoffSettings::defaults());

    /// Builds the mesh (coarse + policy), the coefficients and the problem
    /// (every material has a heat capacity: the material reader requires it);
    /// with initial "state", the saved run's mesh and temperature instead.
    void mesh();
    /// Saves the current state into directory (a CheckpointStore), so that
    /// another run can start from it (transient.initial: OUT).
    void save_final_state(const std::string &directory) const;
    /// Checkpoints go to directory (every settings.checkpoint_interval_s);
    /// case_digest identifies the case, so that a resume of another case fails.
    void enable_checkpoints(const std::string &directory, const std::string &case_digest);
    /// Instead of mesh(): the mesh, temperature and march state of the latest
    /// checkpoint in the enabled directory. Returns false when there is none.
    /// Throws InputError when the checkpoint belongs to another case.
    bool resume();
    /// The march's time, s: before run(), where a resumed run continues from
    /// (0 for a fresh run); during it, the time reached.
    double start_time_s() const { return march_ ? march_->t : 0.0; }
    /// Output times written before the start (a resumed run's; 0 for a fresh one).
    unsigned int outputs_done() const { return march_ ? march_->outputs_done : 0; }
    /// What the caller stored with the checkpoint it resumed from (see run()).
    const nlohmann::json &resumed_extra() const { return resumed_extra_; }

    /// Marches to end_time from the initial state (or the resumed one).
    /// on_output(k, t) is called at every output time (and at t = 0 on a fresh
    /// run) with problem() holding T(t); on_step after every accepted step (and
    /// after the DVFS controller acted on it: new events are in the report);
    /// leakage and k(T) are linearised about the state at the start of each step;
    /// checkpoint_extra() is stored with each checkpoint (the caller's own state).
    TransientReport run(const std::function<void(unsigned int, double)>                 &on_output,
                        const std::function<void(double t, double h, const TransientReport &)> &on_step = {},
                        const std::function<nlohmann::json()>                            &checkpoint_extra = {});

    const HeatProblem<3>                  &problem() const { return *problem_; }
    /// The time term: M, M + c K and the transient energy integrals.
    const ShiftedOperator<3>              &shifted_operator() const { return *shifted_; }
    const ChipCoefficients                &coefficients() const { return mesh_.coefficients(); }
    const dealii::parallel::distributed::Triangulation<3> &triangulation() const { return mesh_.triangulation(); }
    const mesh::StackMeshInfo             &mesh_info() const { return mesh_.info(); }
    unsigned int a_priori_passes() const { return mesh_.a_priori_passes(); }
    /// Block figures at the current state.
    std::vector<BlockResult> block_results() const;
    /// Each block's t_max and t_avg (K) at the current state, from the sample
    /// maps of the mesh (what the traces record; block_results() to rounding).
    void block_trace_figures(std::vector<double> &t_max_k, std::vector<double> &t_avg_k) const;
    /// Block dynamic powers at t, W (before a jump at t when before is true);
    /// DVFS blocks at their current operating point.
    std::vector<double> block_powers(double t_s, bool before) const;
    /// Each block's leakage at the current state, W (zeros without leakage).
    std::vector<double> block_leakage_w() const;
    const DvfsControl  &dvfs() const { return dvfs_; }
    /// The frequency each DVFS block runs at now, Hz (DvfsControl::blocks() order).
    std::vector<double> dvfs_frequencies_hz() const;

  private:
    /// Mesh, problem and temperature from a checkpoint store (resume or initial state).
    /// state: store.state(), read (and its digests checked) once by the caller.
    void load_state(const CheckpointStore &store, const nlohmann::json &state, double t_s);
    /// Sets up and assembles the problem on the current mesh for the powers at t.
    void                make_problem(double t_s);
    std::unique_ptr<TrBdf2Stepper> make_stepper();
    /// What a checkpoint of this run may hold (read_march_state).
    MarchLimits march_limits() const;
    /// A fresh run: the march state and the initial temperature (written as output 0).
    dealii::PETScWrappers::MPI::Vector start(const std::function<void(unsigned int, double)> &on_output);
    /// initial: steady: the steady state of the power at t = 0, DVFS blocks
    /// stepping down one point per solve until none is over its limit (events at t = 0).
    void                settle_steady_start(TransientReport &report);
    /// Attempts a step; false when a temperature-dependent step failed and was
    /// shortened (a step too long for its linearisation), or throws at runaway.
    bool try_step(TrBdf2Stepper &stepper, double t_s, double step_s, const dealii::PETScWrappers::MPI::Vector &u,
                  StepOutcome &outcome);
    /// A step whose error estimate was above the tolerance: the next h, or an
    /// error when it falls below min_step. jump: power_jump_w_m2 at t_s.
    void reject(StepSizeController &controller, double t_s, double step_s, double error_k, double jump);
    /// The largest change of a block's power density at t (after minus before), W/m2; 0 without a jump.
    /// At t = 0 of a march from a uniform field, the powers switched on from nothing.
    double power_jump_w_m2(double t_s) const;
    /// The bookkeeping of an accepted step ending at the march's t with state u.
    void record_step(double step_s, const StepOutcome &outcome, const dealii::PETScWrappers::MPI::Vector &u);
    /// Each block's peak t_max and spread at the current state, time t.
    void track_peaks(TransientReport &report, double t_s) const;
    /// At an output time: a checkpoint when one is due; true when one was written
    /// (the solvers then start afresh, as a run resumed from it does).
    bool checkpoint_if_due(const std::function<nlohmann::json()> &checkpoint_extra);
    /// Refines and coarsens by the flux-residual indicator of the current
    /// state, carries u over (SolutionTransfer) and keeps its stored heat
    /// exactly (a uniform shift, recorded in the report).
    void                adapt_mesh(double t_s, dealii::PETScWrappers::MPI::Vector &u, TransientReport &report);
    /// Assembles matrix and right-hand side with the blocks' powers and the maps' frames at t.
    void   assemble_at(double t_s);
    /// Assembles F for the block powers and map frames at t unless they equal the
    /// ones assembled; returns the total power.
    double set_source(double t_s, bool before);
    /// True when t is one of the DVFS control times (multiples of the interval).
    bool is_control_time(double t_s) const;
    /// Breakpoints of every block, the output times and the DVFS control times in (0, end], sorted, merged.
    std::vector<double> stop_times() const;
    /// The output times after 0, the last being end_time.
    std::vector<double> output_times() const;
    /// For runaway messages: the block driving it.
    std::string runaway_culprit() const { return mesh_.coefficients().runaway_culprit(*problem_); }

    const floorplans::ChipModel     &model_;
    SolverSettings                   solver_settings_;
    TransientSettings                settings_;
    dealii::TimerOutput             &timer_;
    ChipMesh                         mesh_; ///< the mesh and coefficients
    DvfsControl                      dvfs_;
    std::unique_ptr<HeatProblem<3>>  problem_;
    std::unique_ptr<ShiftedOperator<3>> shifted_;
    /// The blocks' sample points on the current mesh (built at the first use after a mesh change).
    mutable std::unique_ptr<BlockExtremes> extremes_;
    const BlockExtremes &extremes() const;
    /// F of a linear problem: the blocks' loads on the current mesh (built at
    /// the first change of power after a mesh change) plus everything else
    /// (power maps, far fields) at the maps' frames other_rhs_frames_.
    std::unique_ptr<BlockLoadVectors>               block_loads_;
    std::optional<dealii::PETScWrappers::MPI::Vector> other_rhs_;
    std::vector<int>                                other_rhs_frames_;
    /// Sets F for these powers and frames from block_loads_ and other_rhs_.
    void set_linear_rhs(const std::vector<double> &powers, const std::vector<int> &frames);
    /// Drops what belongs to the last mesh (sample points, loads).
    void forget_mesh_caches();
    std::vector<double>              assembled_powers_;
    std::vector<int>                 assembled_frames_; ///< the power maps' frames in the assembled problem
    std::unique_ptr<CheckpointStore> checkpoints_;
    /// When this object was made or last wrote a checkpoint (settings_.checkpoint_min_wall_s).
    std::chrono::steady_clock::time_point last_checkpoint_wall_ = std::chrono::steady_clock::now();
    std::string                      case_digest_;
    std::optional<MarchState>        march_; ///< set by resume()
    unsigned long long               starting_cells_ = 0; ///< for the adaptation's cell cap
    nlohmann::json                   resumed_extra_;
    bool                             initial_state_loaded_ = false;
  };
} // namespace chiptherm::solver
