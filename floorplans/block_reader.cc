#include "block_reader.h"

#include "reader_geometry.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace chiptherm::floorplans
{
  namespace
  {
    /// schedule: {points: [[t_s, W], ...], interpolation: step|linear, period: s}
    ///        or {pulse: {base: W, peak: W, start: s, width: s}, period: s}
    PowerSchedule read_power_schedule(const CaseNode &n)
    {
      n.expect_keys({"points", "interpolation", "period", "pulse"});
      const double period = n.has("period") ? n.at("period").positive_number() : 0.0;
      if (n.has("points") == n.has("pulse"))
        n.fail("expected exactly one of 'points' (a list of [time_s, power_w]) or 'pulse' ({base, peak, start, width})");
      std::vector<double> times, powers;
      auto interpolation = Interpolation::step;
      if (n.has("points"))
        {
          interpolation = n.text_or("interpolation", "step") == "linear" ? Interpolation::linear : Interpolation::step;
          if (n.has("interpolation"))
            n.at("interpolation").choice({"step", "linear"});
          for (const auto &item : n.at("points").items())
            {
              const auto tp = item.numbers(2);
              if (tp[0] < 0 || (!times.empty() && tp[0] <= times.back()))
                item.fail("expected times that start at 0 or later and increase, got " + item.describe_value());
              if (tp[1] < 0 || tp[1] > physical_range::max_power_w)
                item.fail("expected a power from 0 to 1e5 W, got " + item.describe_value());
              times.push_back(tp[0]), powers.push_back(tp[1]);
            }
          if (times.empty())
            n.at("points").fail("expected at least one [time_s, power_w] point");
        }
      else
        {
          const CaseNode p = n.at("pulse");
          p.expect_keys({"base", "peak", "start", "width"});
          const double base = p.at("base").power(), peak = p.at("peak").power();
          const double start = p.has("start") ? p.at("start").non_negative_number() : 0.0;
          const double width = p.at("width").positive_number();
          if (period > 0 && start + width > period)
            p.fail("expected start + width <= period (" + std::to_string(period) + " s)");
          if (start > 0)
            times.push_back(0), powers.push_back(base);
          times.push_back(start), powers.push_back(peak);
          if (period == 0 || start + width < period)
            times.push_back(start + width), powers.push_back(base);
        }
      if (period > 0 && (times.front() != 0 || times.back() >= period))
        n.fail("expected a periodic schedule to start at time 0 and end before its period (" + std::to_string(period) +
               " s)");
      return PowerSchedule(times, powers, interpolation, period);
    }

    /// leakage: {p0: W, t0: temperature, beta: per degree}, or {fraction, t0, beta}
    /// with p0 = fraction x the block's nominal dynamic power (nominal_w).
    Leakage read_leakage(const CaseNode &l, double nominal_w)
    {
      l.expect_keys({"p0", "fraction", "t0", "beta"});
      if (l.has("p0") == l.has("fraction"))
        l.fail("expected exactly one of p0 (W at t0) or fraction (of the block's dynamic power, at t0)");
      Leakage leak;
      leak.p0_w       = l.has("p0") ? l.at("p0").non_negative_number() : l.at("fraction").non_negative_number() * nominal_w;
      leak.t0_k       = l.at("t0").temperature();
      leak.beta_per_k = l.at("beta").non_negative_number();
      if (leak.beta_per_k > 1)
        l.at("beta").fail("expected a leakage growth rate per degree, typically 0.01-0.05 (got " + l.at("beta").text() +
                          ")");
      return leak;
    }
  } // namespace

  PowerModelDefaults read_power_models(const CaseNode &n)
  {
    PowerModelDefaults defaults;
    if (!n.is_defined())
      return defaults;
    n.expect_keys(block_type_names());
    for (std::size_t t = 0; t < block_type_names().size(); ++t)
      if (n.has(block_type_names()[t]))
        {
          const CaseNode d = n.at(block_type_names()[t]);
          d.expect_keys({"leakage", "activity"});
          if (d.has("leakage"))
            {
              read_leakage(d.at("leakage"), 0.0); // checks it here, once
              defaults[t].leakage = d.at("leakage");
            }
          if (d.has("activity"))
            defaults[t].activity = d.at("activity");
        }
    return defaults;
  }

  Block read_block(const CaseNode &n, double origin_x, double origin_y, const std::string &owner,
                   const PowerModelDefaults &defaults)
  {
    n.expect_keys(
      {"name", "type", "rect", "rects", "power", "schedule", "limit", "delta_limit", "leakage", "dvfs", "activity"});
    Block b;
    b.name  = n.at("name").text();
    b.type  = static_cast<BlockType>(
      std::find(block_type_names().begin(), block_type_names().end(), n.at("type").choice(block_type_names())) -
      block_type_names().begin());
    if (n.has("rect") == n.has("rects"))
      n.fail(n.has("rect") ? "expected one of rect and rects, not both"
                           : "expected rect: [x, y, width, height] or rects: [[x, y, width, height], ...]");
    if (n.has("rect"))
      b.rects = {read_rect(n.at("rect"))};
    else
      {
        const auto items = n.at("rects").items();
        if (items.empty())
          n.at("rects").fail("expected at least one rectangle [x, y, width, height]");
        for (const auto &item : items)
          b.rects.push_back(read_rect(item));
        for (std::size_t i = 0; i < b.rects.size(); ++i)
          for (std::size_t j = 0; j < i; ++j)
            if (b.rects[i].overlaps(b.rects[j], geometry_tolerance_m))
              items[i].fail("expected the block's rectangles not to overlap; this one overlaps rectangle " +
                            std::to_string(j + 1));
      }
    for (auto &r : b.rects)
      r.x += origin_x, r.y += origin_y;
    b.rect = bounding_box(b.rects);
    if (n.has("schedule"))
      {
        b.power_over_time = read_power_schedule(n.at("schedule"));
        b.power_w = n.has("power") ? n.at("power").power() : b.power_over_time.settled_w();
      }
    else
      {
        b.power_w         = n.has("power") ? n.at("power").power() : 0.0;
        b.power_over_time = PowerSchedule::constant(b.power_w);
      }
    if (n.has("limit"))
      b.limit_k = n.at("limit").temperature();
    if (n.has("delta_limit"))
      b.delta_limit_k = n.at("delta_limit").temperature_difference();
    if (n.has("dvfs"))
      {
        // dvfs: {points: [{frequency: Hz, voltage: V, power: W}, ...], limit: T, hysteresis: K};
        // a point after the first may leave power out: CMOS dynamic power a C V^2 f
        // then scales the first point's by (V/V0)^2 (f/f0).
        const CaseNode d = n.at("dvfs");
        d.expect_keys({"points", "limit", "hysteresis"});
        if (n.has("power") || n.has("schedule"))
          n.at(n.has("power") ? "power" : "schedule")
            .fail("a block with dvfs takes its power from its operating points: give one or the other");
        Dvfs dvfs;
        for (const auto &pn : d.at("points").items())
          {
            pn.expect_keys({"frequency", "voltage", "power"});
            OperatingPoint p{pn.at("frequency").positive_number(), pn.at("voltage").positive_number(), 0.0};
            if (pn.has("power"))
              p.power_w = pn.at("power").power();
            else if (dvfs.points.empty())
              pn.fail("the first (fastest) operating point needs its power; later ones may scale from it");
            else
              {
                const auto &first = dvfs.points.front();
                p.power_w         = first.power_w * (p.voltage_v / first.voltage_v) * (p.voltage_v / first.voltage_v) *
                            (p.frequency_hz / first.frequency_hz);
              }
            dvfs.points.push_back(p);
          }
        if (dvfs.points.empty())
          d.at("points").fail("expected at least one operating point {frequency, voltage, power}");
        for (std::size_t i = 1; i < dvfs.points.size(); ++i)
          if (!(dvfs.points[i].frequency_hz < dvfs.points[i - 1].frequency_hz &&
                dvfs.points[i].power_w <= dvfs.points[i - 1].power_w))
            d.at("points").items()[i].fail("expected operating points from the fastest down: frequency falling "
                                            "and power not rising from one point to the next");
        if (d.has("limit"))
          dvfs.limit_k = d.at("limit").temperature();
        if (d.has("hysteresis"))
          dvfs.hysteresis_k = d.at("hysteresis").temperature_difference();
        b.power_w         = dvfs.points.front().power_w;
        b.power_over_time = PowerSchedule::constant(b.power_w);
        b.dvfs            = dvfs;
      }
    // Leakage and activity: the block's own, else its type's from power_models.
    const auto &type_defaults = defaults[static_cast<std::size_t>(b.type)];
    if (n.has("leakage"))
      b.leakage = read_leakage(n.at("leakage"), b.power_w);
    else if (type_defaults.leakage)
      {
        b.leakage = read_leakage(*type_defaults.leakage, b.power_w);
        if (b.leakage->p0_w == 0)
          b.leakage.reset(); // a fraction of no power: nothing leaks
      }
    std::optional<CaseNode> activity = n.has("activity") ? std::optional<CaseNode>(n.at("activity"))
                                       : n.has("schedule") ? std::nullopt // a schedule is the power over time itself
                                                           : type_defaults.activity;
    if (activity)
      {
        // switching activity: scales the dynamic power (power or every DVFS point's)
        const double a = activity->non_negative_number();
        if (a > 1)
          activity->fail("expected an activity factor from 0 to 1 (the share of the nominal switching)");
        if (n.has("schedule"))
          activity->fail("activity scales power and dvfs points; a schedule gives the power over time itself");
        b.power_w *= a;
        b.power_over_time = PowerSchedule::constant(b.power_w);
        if (b.dvfs)
          for (auto &p : b.dvfs->points)
            p.power_w *= a;
      }
    b.die   = owner;
    b.where = n.where();
    return b;
  }
} // namespace chiptherm::floorplans
