#pragma once
// Where a transient march is, as a checkpoint stores it (state.json's "march"
// and "extra.frames"), and the checks a stored state must pass before a resumed
// run trusts it. A checkpoint is bytes from disk: a damaged one whose numbers
// still parse (a flipped bit, a hand edit) must be refused, not stepped with
// (an index past a block's operating points, a step of zero, a next checkpoint
// time of -1e300 that the march would never catch up with). No deal.II here, so
// fuzz/ runs these checks with the other readers.
#include "common/errors.h"
#include "step_size_controller.h"
#include "transient_report.h"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace chiptherm::solver
{
  struct MarchState
  {
    double          t = 0, h = 0;
    unsigned int    outputs_done   = 0; ///< output times written after t = 0
    double          next_checkpoint_s = 0;
    double          stored_at_start_j = 0;
    unsigned int    matrix_builds_before = 0, amg_builds_before = 0; ///< counts of earlier runs (resume)
    unsigned int    steps_since_adapt = 0;
    StepSizeController::JumpMemory last_jump;
    TransientReport report;
    NLOHMANN_DEFINE_TYPE_INTRUSIVE(MarchState, t, h, outputs_done, next_checkpoint_s, stored_at_start_j,
                                   matrix_builds_before, amg_builds_before, steps_since_adapt, last_jump, report)
  };

  /// What the run resuming a checkpoint allows.
  struct MarchLimits
  {
    double                   end_time_s = 0;
    double                   checkpoint_interval_s = 0;
    std::size_t              outputs = 0;     ///< output times after t = 0
    std::size_t              blocks = 0;      ///< ChipModel::all_blocks()
    std::vector<std::size_t> dvfs_points;     ///< per block: its operating points (0: not a DVFS block)
  };

  /// state.json's "march" read and checked against limits; throws InputError
  /// (what is wrong, for "the checkpoint ... is damaged (...)") on anything
  /// out of place, nlohmann's type errors included.
  MarchState read_march_state(const nlohmann::json &march, const MarchLimits &limits);

  /// state.json's "amg_rungs" (ShiftedOperator::amg_rungs(): the step-size
  /// rungs preconditioned by BoomerAMG), empty when the checkpoint has none
  /// (written before they were stored). Throws InputError unless it is a list
  /// of distinct whole numbers within [-128, 128] (log2 of d h in seconds).
  std::vector<int> read_amg_rungs(const nlohmann::json &state);

  /// state.json's "extra.frames": [[t, file name], ...], one per output written
  /// (outputs_done + 1, the start included), times within [0, t], names plain
  /// file names. Throws InputError.
  std::vector<std::pair<double, std::string>> read_checkpoint_frames(const nlohmann::json &extra,
                                                                     unsigned int outputs_done, double t_s);
} // namespace chiptherm::solver
