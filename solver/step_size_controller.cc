#include "step_size_controller.h"

#include <algorithm>
#include <cmath>

namespace chiptherm::solver
{
  namespace
  {
    /// Limits per step: a rejected step after a power jump may need a tenth of
    /// the step (the cube-root rule underestimates the cut inside the fast
    /// initial layer), growth at most doubles.
    constexpr double min_step_factor = 0.1, max_step_factor = 2.0;
    /// An accepted step grows h only when the controller allows this much more.
    constexpr double growth_threshold = 1.5;
    /// The first step after a jump aims at this share of the tolerance: the
    /// order and the jump's measure are rough, and a rejection costs a step.
    constexpr double jump_safety = 0.7;
  } // namespace

  StepSizeController::StepSizeController(double tolerance_k, double max_step_s, bool fixed)
    : tolerance_k_(tolerance_k)
    , max_step_s_(max_step_s)
    , fixed_(fixed)
  {}

  StepSizeController::Step StepSizeController::next_step(double t, double h, double stop) const
  {
    Step s;
    s.target = std::min(h, max_step_s_);
    s.length = s.target;
    s.lands  = stop - t <= s.target * (1 + 1e-9);
    if (s.lands)
      s.length = stop - t;
    else if (stop - t < 2 * s.target)
      s.length = 0.5 * (stop - t);
    return s;
  }

  double StepSizeController::factor(double error_k) const
  {
    return std::clamp(0.9 * std::cbrt(tolerance_k_ / std::max(error_k, 1e-300)), min_step_factor, max_step_factor);
  }

  double StepSizeController::after_rejection(double t, double step, double error_k, double jump)
  {
    double h = step * factor(error_k);
    if (jump > 0 && rejected_at_ != t)
      h = step * std::clamp(jump_safety * std::pow(tolerance_k_ / error_k, 1.0 / jump_error_order), 0.01, 1.0);
    if (rejected_at_ == t && rejected_step_ > step && rejected_error_ > error_k)
      {
        const double order =
          std::clamp(std::log(rejected_error_ / error_k) / std::log(rejected_step_ / step), 0.5, 3.0);
        h = step * std::clamp(0.9 * std::pow(tolerance_k_ / error_k, 1.0 / order), min_step_factor, 1.0);
      }
    rejected_at_ = t, rejected_step_ = step, rejected_error_ = error_k;
    return h;
  }

  double StepSizeController::before_jump(double h, double jump) const
  {
    if (fixed_ || last_jump_.step_s <= 0 || jump <= 0)
      return h;
    const double predicted = last_jump_.step_s * std::pow(jump_safety * tolerance_k_ * last_jump_.jump /
                                                            (std::max(last_jump_.error_k, 1e-300) * jump),
                                                          1.0 / jump_error_order);
    return std::min(h, predicted);
  }

  double StepSizeController::after_acceptance(double h, const Step &step, double error_k) const
  {
    if (fixed_)
      return h;
    const double f = factor(error_k);
    if (step.length >= step.target * (1 - 1e-9))
      return f >= growth_threshold ? step.length * f : h;
    return step.length * f < h ? step.length * f : h;
  }
} // namespace chiptherm::solver
