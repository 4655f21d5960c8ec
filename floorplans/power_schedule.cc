#include "power_schedule.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace chiptherm::floorplans
{
  PowerSchedule PowerSchedule::constant(double power_w)
  {
    return PowerSchedule({0.0}, {power_w}, Interpolation::step);
  }

  PowerSchedule::PowerSchedule(std::vector<double> times_s, std::vector<double> powers_w, Interpolation interpolation,
                               double period_s)
    : times_(std::move(times_s))
    , powers_(std::move(powers_w))
    , interpolation_(interpolation)
    , period_(period_s)
  {
    // The readers check user input and say where it is wrong; these are programming errors.
    if (times_.empty() || times_.size() != powers_.size())
      throw std::logic_error("PowerSchedule: times and powers must be non-empty and of one length");
    for (std::size_t i = 1; i < times_.size(); ++i)
      if (!(times_[i] > times_[i - 1]))
        throw std::logic_error("PowerSchedule: times must increase");
    if (period_ > 0 && (times_.front() != 0 || times_.back() >= period_))
      throw std::logic_error("PowerSchedule: a periodic schedule starts at 0 and ends before its period");
  }

  double PowerSchedule::local_value(double tau, bool before) const
  {
    // Index of the last breakpoint at or before tau (strictly before with `before`).
    const auto it = before ? std::lower_bound(times_.begin(), times_.end(), tau)
                           : std::upper_bound(times_.begin(), times_.end(), tau);
    if (it == times_.begin())
      return period_ > 0 ? local_value(period_, true) : powers_.front();
    const std::size_t i = std::size_t(it - times_.begin()) - 1;
    if (interpolation_ == Interpolation::step)
      return powers_[i];
    const bool   wraps = i + 1 == times_.size();
    if (wraps && period_ == 0)
      return powers_.back();
    const double t1 = wraps ? period_ : times_[i + 1];
    const double p1 = wraps ? powers_.front() : powers_[i + 1];
    return powers_[i] + (p1 - powers_[i]) * (tau - times_[i]) / (t1 - times_[i]);
  }

  double PowerSchedule::at(double t_s, bool before) const
  {
    if (period_ <= 0)
      return local_value(t_s, before);
    // Times k*period + t_i computed by breakpoints() come back here with
    // rounding: snap the phase to the nearest breakpoint (or the period end) so
    // that "just after a jump" does not read the value before it.
    const double snap   = 1e-9 * period_;
    const double cycles = std::floor(t_s / period_);
    double       tau    = t_s - cycles * period_;
    if (tau > period_ - snap)
      tau = 0;
    const auto near = std::lower_bound(times_.begin(), times_.end(), tau - snap);
    if (near != times_.end() && std::abs(*near - tau) <= snap)
      tau = *near;
    // At a period boundary "before" means the end of the previous period.
    if (before && tau == 0 && t_s > snap)
      tau = period_;
    return local_value(tau, before);
  }

  void PowerSchedule::breakpoints(double t0_s, double t1_s, std::vector<double> &out) const
  {
    if (is_constant())
      return;
    if (period_ <= 0)
      {
        for (const double t : times_)
          if (t > t0_s && t <= t1_s)
            out.push_back(t);
        return;
      }
    const auto first = static_cast<long long>(std::floor(t0_s / period_));
    for (long long k = first; double(k) * period_ <= t1_s; ++k)
      for (const double t : times_)
        {
          const double b = double(k) * period_ + t;
          if (b > t0_s && b <= t1_s)
            out.push_back(b);
        }
  }

  double PowerSchedule::energy_j(double t0_s, double t1_s) const
  {
    std::vector<double> points{t0_s};
    breakpoints(t0_s, t1_s, points);
    if (points.back() < t1_s)
      points.push_back(t1_s);
    double energy = 0;
    for (std::size_t i = 0; i + 1 < points.size(); ++i)
      {
        // Between consecutive breakpoints the power is constant or linear:
        // the trapezoid of the one-sided values is exact.
        const double a = points[i], b = points[i + 1];
        energy += 0.5 * (at(a) + at(b, true)) * (b - a);
      }
    return energy;
  }

  double PowerSchedule::settled_w() const
  {
    return period_ > 0 ? energy_j(0, period_) / period_ : powers_.back();
  }
} // namespace chiptherm::floorplans
