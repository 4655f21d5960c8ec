#include "throttling.h"

#include "common/units.h"

#include <cstdio>

namespace chiptherm::solver
{
  bool has_dvfs(const floorplans::ChipModel &model)
  {
    for (const auto *b : model.all_blocks())
      if (b->dvfs)
        return true;
    return false;
  }

  double dvfs_limit_k(const floorplans::Block &block, const SignoffSettings &signoff)
  {
    return block.dvfs && block.dvfs->limit_k ? *block.dvfs->limit_k : block_limit_k(block, signoff);
  }

  ThrottlingReport throttle_to_limits(SteadyChipSolve &run, const floorplans::ChipModel &model,
                                      const SignoffSettings                      &signoff,
                                      const std::function<void(const std::string &)> &on_event,
                                      const ThrottlingReport                     *from)
  {
    const auto       blocks = model.all_blocks();
    ThrottlingReport report;
    if (from)
      report = *from, report.blocks.clear();
    else
      {
        for (const auto *b : blocks)
          report.block_power_w.push_back(b->power_w); // a DVFS block's power_w is its fastest point's
        report.point.assign(blocks.size(), 0);
      }
    std::vector<std::size_t> dvfs;
    for (std::size_t b = 0; b < blocks.size(); ++b)
      if (blocks[b]->dvfs)
        dvfs.push_back(b);
    if (dvfs.empty())
      return report;

    auto &point = report.point;
    for (;;)
      {
        const auto &results  = run.block_results();
        bool        stepped  = false;
        for (const std::size_t b : dvfs)
          {
            const auto  &points = blocks[b]->dvfs->points;
            const double limit  = dvfs_limit_k(*blocks[b], signoff);
            if (results[b].t_max_k <= limit || point[b] + 1 >= points.size())
              continue;
            char line[300];
            std::snprintf(line, sizeof line, "%s/%s at %.2f C is over its limit %.2f C: %.3g GHz -> %.3g GHz (%.3g W)",
                          blocks[b]->die.c_str(), blocks[b]->name.c_str(), kelvin_to_celsius(results[b].t_max_k),
                          kelvin_to_celsius(limit), points[point[b]].frequency_hz / 1e9,
                          points[point[b] + 1].frequency_hz / 1e9, points[point[b] + 1].power_w);
            ++point[b];
            report.block_power_w[b] = points[point[b]].power_w;
            report.events.push_back(line);
            on_event(line);
            stepped = true;
          }
        if (!stepped)
          break;
        run.set_block_powers(report.block_power_w);
        run.solve();
        ++report.solves;
      }

    const auto &results = run.block_results();
    for (const std::size_t b : dvfs)
      {
        const auto    &points = blocks[b]->dvfs->points;
        ThrottledBlock t;
        t.block        = b;
        t.point        = point[b];
        t.limit_k      = dvfs_limit_k(*blocks[b], signoff);
        t.t_max_k      = results[b].t_max_k;
        t.within_limit = t.t_max_k <= t.limit_k;
        t.throughput   = points[point[b]].frequency_hz / points.front().frequency_hz;
        report.blocks.push_back(t);
      }
    return report;
  }
} // namespace chiptherm::solver
