#pragma once
// The transient throttling policy of blocks with DVFS (issue 7): every
// control interval each such block's controller reads its t_max and moves
// one operating point down when it is over its limit, one point up when it
// is below the limit by more than the hysteresis. Between control times the
// point, and so the block's dynamic power, stays constant (a power step at
// each change, which the time stepper lands on). The state lives in the
// TransientReport, so checkpoints carry it and a resumed run continues it.
#include "floorplans/chip_model.h"
#include "block_statistics.h"
#include "signoff.h"
#include "transient_report.h"

#include <string>
#include <vector>

namespace chiptherm::solver
{
  class DvfsControl
  {
  public:
    /// Limits from each block's dvfs.limit or its sign-off limit.
    DvfsControl(const floorplans::ChipModel &model, const SignoffSettings &signoff);

    /// True when some block has DVFS points.
    bool active() const { return !dvfs_.empty(); }
    /// Sizes report's DVFS fields; every block starts at its fastest point.
    void start(TransientReport &report) const;
    /// Block b's dynamic power at its current point, W (b must have DVFS).
    double dynamic_power_w(std::size_t b, const TransientReport &report) const;
    /// Accounts an accepted step of step_s at the current points (cycles, throttled time).
    void advance(double step_s, TransientReport &report) const;
    /// The steady start (transient.initial: steady): every block over its
    /// limit steps one point down (events at t = 0); true when one did.
    bool settle(const std::vector<BlockResult> &results, TransientReport &report) const;
    /// A control time: moves points by the policy, logs events; true when a point changed.
    bool control(double t_s, const std::vector<BlockResult> &results, TransientReport &report) const;
    /// Blocks with DVFS (all_blocks indices).
    const std::vector<std::size_t> &blocks() const { return dvfs_; }
    double limit_k(std::size_t b) const { return limit_k_[b]; }
    /// Cycles run over elapsed_s relative to the fastest point's: the sustained throughput.
    double throughput(std::size_t b, const TransientReport &report, double elapsed_s) const;
    /// A line for the log: when, which block, from and to which frequency, at what temperature.
    std::string describe(const ThrottleEvent &event) const;

  private:
    std::vector<const floorplans::Block *> blocks_;
    std::vector<std::size_t>               dvfs_;
    std::vector<double>                    limit_k_; ///< per block (all_blocks order)
  };
} // namespace chiptherm::solver
