#pragma once
// Step-size control of the transient march: where the next step ends (it
// lands on the next stop time: a power breakpoint, an output or control time,
// without leaving a sliver), whether a step's local error estimate is accepted,
// and the next step size from it, h_new = h clamp(0.9 (tol/err)^(1/3), 0.1, 2),
// growing only by a clear margin so that M + d h K is not rebuilt at every step.
// See docs/design.md ("Transient").
#include <nlohmann/json.hpp>

namespace chiptherm::solver
{
  class StepSizeController
  {
  public:
    /// The first accepted step after the last power jump (0: none yet); part of
    /// the march's checkpointed state, so a resumed run steps as the original.
    struct JumpMemory
    {
      double step_s = 0, error_k = 0, jump = 0;
      NLOHMANN_DEFINE_TYPE_INTRUSIVE(JumpMemory, step_s, error_k, jump)
    };

    /// A step from t: its length, the controller's target, and whether it lands on the stop.
    struct Step
    {
      double length = 0, target = 0;
      bool   lands  = false;
    };

    /// tolerance_k: local error per step (transient.step_tolerance); fixed:
    /// every step is accepted and h never changes (transient.fixed_step).
    StepSizeController(double tolerance_k, double max_step_s, bool fixed);

    /// The step from t toward stop with the controller's h: it lands on stop
    /// when within reach, and splits the rest evenly when stop is less than two
    /// steps away (steps within a factor 2 of h keep the AMG hierarchy).
    Step next_step(double t_s, double h_s, double stop_s) const;
    bool accepts(double error_k) const { return fixed_ || error_k <= tolerance_k_; }
    /// The h to retry with after a step from t was rejected. A second rejection
    /// at the same t uses the order the two attempts show: after a power jump
    /// the error falls more slowly than h^3 (the fast initial layer), so a
    /// first rejection at a jump (jump > 0) already assumes the order
    /// jump_error_order.
    double after_rejection(double t_s, double step_s, double error_k, double jump = 0);
    /// The h to start with from a power jump of this size (any measure that
    /// scales the error of the first step, e.g. the largest change of a block's
    /// power density): the step that the last jump's first accepted step
    /// predicts for this jump (the error grows linearly with the jump and like
    /// h^jump_error_order), h itself when that is smaller or there was none.
    double before_jump(double h_s, double jump) const;
    /// Records the first accepted step after a jump, for before_jump.
    void after_jump(double step_s, double error_k, double jump) { last_jump_ = {step_s, error_k, jump}; }
    const JumpMemory &last_jump() const { return last_jump_; }
    void              restore(const JumpMemory &last_jump) { last_jump_ = last_jump; }

    /// How the local error of the first steps after a power jump grows with
    /// the step: measured 1.2-1.3 on the shipped example (docs/design.md).
    static constexpr double jump_error_order = 1.25;
    /// The controller's h after an accepted step: grown only by a clear margin;
    /// a step cut short to land keeps h unless it showed h too large.
    double after_acceptance(double h_s, const Step &step, double error_k) const;

  private:
    double factor(double error_k) const;

    double tolerance_k_, max_step_s_;
    bool   fixed_;
    double rejected_at_ = -1, rejected_step_ = 0, rejected_error_ = 0; ///< the last rejected attempt
    JumpMemory last_jump_;
  };
} // namespace chiptherm::solver
