#pragma once
// A block's power as a function of time, W. Given by breakpoints (t_i, P_i):
// piecewise constant (P_i holds from t_i until t_{i+1}) or piecewise linear,
// constant before the first and after the last breakpoint, or repeated with a
// period. Breakpoints are what a time stepper must land on: the power jumps
// (step) or kinks (linear) there and nowhere else. No deal.II here.
#include <vector>

namespace chiptherm::floorplans
{
  enum class Interpolation
  {
    step,  ///< P_i holds on [t_i, t_{i+1})
    linear ///< straight lines between breakpoints
  };

  class PowerSchedule
  {
  public:
    /// Constant power, W.
    static PowerSchedule constant(double power_w);
    /// times_s strictly increasing, powers_w >= 0, same length, at least one.
    /// period_s > 0 repeats the pattern: then times_s[0] must be 0 and the last
    /// time below the period; linear interpolation runs from the last point back
    /// to the first at t = period.
    PowerSchedule(std::vector<double> times_s, std::vector<double> powers_w, Interpolation interpolation,
                  double period_s = 0);
    PowerSchedule() = default; ///< constant 0 W

    /// Power at t, W. At a jump, the value after it; with before = true the one
    /// before it (the end of a step that lands there).
    double at(double t_s, bool before = false) const;
    /// Appends the breakpoints in (t0, t1] (sorted, without duplicates of each other).
    void breakpoints(double t0_s, double t1_s, std::vector<double> &out) const;
    /// Energy in [t0, t1], J (exact for both interpolations).
    double energy_j(double t0_s, double t1_s) const;
    /// The power the schedule settles to, which a steady run uses when the block
    /// gives no `power`: the mean over one period, or the value after the last
    /// breakpoint.
    double settled_w() const;
    bool   is_constant() const { return powers_.size() <= 1 && period_ == 0; }
    double period_s() const { return period_; }
    const std::vector<double> &times_s() const { return times_; }
    const std::vector<double> &powers_w() const { return powers_; }
    Interpolation              interpolation() const { return interpolation_; }

  private:
    /// Value at tau in [0, period) (or any t without a period) just after (or before) tau.
    double local_value(double tau, bool before) const;

    std::vector<double> times_{0.0};
    std::vector<double> powers_{0.0};
    Interpolation       interpolation_ = Interpolation::step;
    double              period_        = 0;
  };
} // namespace chiptherm::floorplans
