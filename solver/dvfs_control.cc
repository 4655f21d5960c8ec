#include "dvfs_control.h"

#include "common/units.h"
#include "throttling.h"

#include <cstdio>

namespace chiptherm::solver
{
  DvfsControl::DvfsControl(const floorplans::ChipModel &model, const SignoffSettings &signoff)
    : blocks_(model.all_blocks())
  {
    limit_k_.assign(blocks_.size(), 0.0);
    for (std::size_t b = 0; b < blocks_.size(); ++b)
      if (blocks_[b]->dvfs)
        {
          dvfs_.push_back(b);
          limit_k_[b] = dvfs_limit_k(*blocks_[b], signoff);
        }
  }

  void DvfsControl::start(TransientReport &report) const
  {
    if (!active())
      return;
    report.dvfs_point.assign(blocks_.size(), 0);
    report.dvfs_cycles.assign(blocks_.size(), 0.0);
    report.throttled_s.assign(blocks_.size(), 0.0);
  }

  double DvfsControl::dynamic_power_w(std::size_t b, const TransientReport &report) const
  {
    const auto &points = blocks_[b]->dvfs->points;
    return points[report.dvfs_point.empty() ? 0 : report.dvfs_point[b]].power_w;
  }

  void DvfsControl::advance(double step_s, TransientReport &report) const
  {
    for (const std::size_t b : dvfs_)
      {
        const std::size_t p = report.dvfs_point[b];
        report.dvfs_cycles[b] += blocks_[b]->dvfs->points[p].frequency_hz * step_s;
        if (p > 0)
          report.throttled_s[b] += step_s;
      }
  }

  bool DvfsControl::control(double t_s, const std::vector<BlockResult> &results, TransientReport &report) const
  {
    ++report.control_times;
    bool changed = false;
    for (const std::size_t b : dvfs_)
      {
        const auto       &dvfs = *blocks_[b]->dvfs;
        std::size_t      &p    = report.dvfs_point[b];
        const double      t    = results[b].t_max_k;
        const std::size_t from = p;
        if (t > limit_k_[b] && p + 1 < dvfs.points.size())
          ++p;
        else if (t < limit_k_[b] - dvfs.hysteresis_k && p > 0)
          --p;
        if (p != from)
          {
            report.throttle_events.push_back({t_s, b, from, p, t});
            changed = true;
          }
      }
    return changed;
  }

  bool DvfsControl::settle(const std::vector<BlockResult> &results, TransientReport &report) const
  {
    bool changed = false;
    for (const std::size_t b : dvfs_)
      if (results[b].t_max_k > limit_k_[b] && report.dvfs_point[b] + 1 < blocks_[b]->dvfs->points.size())
        {
          report.throttle_events.push_back({0.0, b, report.dvfs_point[b], report.dvfs_point[b] + 1, results[b].t_max_k});
          ++report.dvfs_point[b];
          changed = true;
        }
    return changed;
  }

  double DvfsControl::throughput(std::size_t b, const TransientReport &report, double elapsed_s) const
  {
    return elapsed_s > 0 ? report.dvfs_cycles[b] / (blocks_[b]->dvfs->points.front().frequency_hz * elapsed_s) : 1.0;
  }

  std::string DvfsControl::describe(const ThrottleEvent &e) const
  {
    const auto &block  = *blocks_[e.block];
    const auto &points = block.dvfs->points;
    char        line[300];
    std::snprintf(line, sizeof line, "t = %.6g s: %s/%s at %.2f C (limit %.2f C): %.3g GHz -> %.3g GHz (%.3g W)", e.t_s,
                  block.die.c_str(), block.name.c_str(), kelvin_to_celsius(e.t_max_k), kelvin_to_celsius(limit_k_[e.block]),
                  points[e.from].frequency_hz / 1e9, points[e.to].frequency_hz / 1e9, points[e.to].power_w);
    return line;
  }
} // namespace chiptherm::solver
