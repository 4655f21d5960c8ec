// TransientChipSolve's checkpoints: writing them during the march, resuming from
// the latest (its record checked against this run first: march_state.h), the
// final state a finished run leaves and loading one as an initial state. The
// march itself is in transient_chip_solve.cc.
#include "common/errors.h"
#include "owned_entries.h"
#include "transient_chip_solve.h"

namespace chiptherm::solver
{
  using namespace dealii;

  void TransientChipSolve::load_state(const CheckpointStore &store, const nlohmann::json &state, double t)
  {
    shifted_.reset(), problem_.reset(); // they live on the mesh
    mesh_.build_from_checkpoint(store.mesh_file(), state.at("coarse_cells").get<unsigned long long>());
    make_problem(t);
    LinearAlgebra::distributed::Vector<double> temperature = problem_->make_ghosted_vector();
    store.load_temperature(problem_->dof_handler(), temperature);
    PETScWrappers::MPI::Vector u = problem_->make_vector();
    copy_owned(temperature, -model_.ambient_k, u);
    problem_->set_temperature_rise(u);
  }

  void TransientChipSolve::save_final_state(const std::string &directory) const
  {
    CheckpointStore store(directory, mesh_.triangulation().get_communicator());
    store.save(mesh_.triangulation(), problem_->dof_handler(), problem_->temperature(),
               {{"coarse_cells", mesh_.info().coarse_cells}, {"t", march_ ? march_->t : 0.0},
                {"case", model_.name}});
  }

  MarchLimits TransientChipSolve::march_limits() const
  {
    MarchLimits limits;
    limits.end_time_s            = settings_.end_time_s;
    limits.checkpoint_interval_s = settings_.checkpoint_interval_s;
    limits.outputs               = output_times().size();
    for (const auto *block : model_.all_blocks())
      limits.dvfs_points.push_back(block->dvfs ? block->dvfs->points.size() : 0);
    limits.blocks = limits.dvfs_points.size();
    return limits;
  }

  void TransientChipSolve::enable_checkpoints(const std::string &directory, const std::string &case_digest)
  {
    checkpoints_ = std::make_unique<CheckpointStore>(directory, mesh_.triangulation().get_communicator());
    case_digest_ = case_digest;
  }

  bool TransientChipSolve::resume()
  {
    if (!checkpoints_ || !checkpoints_->exists())
      return false;
    nlohmann::json   state;
    std::vector<int> amg_rungs;
    try
      {
        try
          {
            state = checkpoints_->state();
          }
        catch (const InputError &e)
          {
            throw InputError(std::string(e.what()) + ": run without --resume to start over");
          }
        if (state.at("case_digest").get<std::string>() != case_digest_)
          throw InputError("the checkpoint in " + checkpoints_->mesh_file() +
                           " belongs to another version of this case (the case file or its --set options changed): "
                           "run without --resume to start over");
        try
          {
            march_ = read_march_state(state.at("march"), march_limits());
            amg_rungs = read_amg_rungs(state);
          }
        catch (const InputError &e)
          {
            throw InputError("the checkpoint in " + checkpoints_->mesh_file() + " is damaged (" + e.what() +
                             "): run without --resume to start over");
          }
        load_state(*checkpoints_, state, march_->t);
        shifted_->set_amg_rungs(amg_rungs);
        resumed_extra_ = state.at("extra");
      }
    catch (const InputError &)
      {
        throw;
      }
    catch (const std::exception &e) // nlohmann's parse and type errors, deal.II's ExcIO on the mesh files
      {
        throw InputError("the checkpoint in " + checkpoints_->mesh_file() + " is damaged (" +
                         std::string(e.what()).substr(0, 200) + "): run without --resume to start over");
      }
    return true;
  }

  bool TransientChipSolve::checkpoint_if_due(const std::function<nlohmann::json()> &checkpoint_extra)
  {
    MarchState  &m   = *march_;
    const double eps = 1e-12 * settings_.end_time_s;
    if (!checkpoints_ || settings_.checkpoint_interval_s <= 0 || m.t < m.next_checkpoint_s - eps ||
        m.t >= settings_.end_time_s - eps)
      return false;
    while (m.next_checkpoint_s <= m.t + eps)
      m.next_checkpoint_s += settings_.checkpoint_interval_s;
    using clock = std::chrono::steady_clock;
    if (settings_.checkpoint_min_wall_s > 0)
      {
        // Rank 0's clock decides for all ranks: the save is collective.
        const double waited = std::chrono::duration<double>(clock::now() - last_checkpoint_wall_).count();
        if (!Utilities::MPI::broadcast(mesh_.triangulation().get_communicator(),
                                       waited >= settings_.checkpoint_min_wall_s, 0))
          return false;
      }
    m.report.matrix_builds = m.matrix_builds_before + shifted_->matrix_builds();
    m.report.amg_builds    = m.amg_builds_before + shifted_->amg_builds();
    nlohmann::json state   = {{"case_digest", case_digest_},
                              {"coarse_cells", mesh_.info().coarse_cells},
                              {"march", m},
                              {"amg_rungs", shifted_->amg_rungs()},
                              {"extra", checkpoint_extra ? checkpoint_extra() : nlohmann::json::object()}};
    TimerOutput::Scope scope(timer_, "output");
    checkpoints_->save(mesh_.triangulation(), problem_->dof_handler(), problem_->temperature(), state);
    last_checkpoint_wall_ = clock::now();
    // A resumed run starts without AMG hierarchies. Those of a linear problem
    // are a fixed function of the step (ShiftedOperator::solve), so it builds
    // the same ones; a temperature-dependent problem's depend on when they were
    // built (the K of that step): it starts afresh here too.
    if (problem_->is_nonlinear())
      shifted_->reset();
    return true;
  }
} // namespace chiptherm::solver
