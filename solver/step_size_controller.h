#pragma once
// Step-size control of the transient march: where the next step ends (it
// lands on the next stop time: a power breakpoint, an output or control time,
// without leaving a sliver), whether a step's local error estimate is accepted,
// and the next step size from it, h_new = h clamp(0.9 (tol/err)^(1/3), 0.1, 2),
// growing only by a clear margin so that M + d h K is not rebuilt at every step.
// See docs/design.md ("Transient").
namespace chiptherm::solver
{
  class StepSizeController
  {
  public:
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
    /// the error falls more slowly than h^3 (the fast initial layer).
    double after_rejection(double t_s, double step_s, double error_k);
    /// The controller's h after an accepted step: grown only by a clear margin;
    /// a step cut short to land keeps h unless it showed h too large.
    double after_acceptance(double h_s, const Step &step, double error_k) const;

  private:
    double factor(double error_k) const;

    double tolerance_k_, max_step_s_;
    bool   fixed_;
    double rejected_at_ = -1, rejected_step_ = 0, rejected_error_ = 0; ///< the last rejected attempt
  };
} // namespace chiptherm::solver
