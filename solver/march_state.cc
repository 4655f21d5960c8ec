#include "march_state.h"

#include <algorithm>
#include <cmath>

namespace chiptherm::solver
{
  namespace
  {
    void require(bool ok, const std::string &what)
    {
      if (!ok)
        throw InputError(what);
    }

    bool finite_all(const std::vector<double> &v)
    {
      for (const double x : v)
        if (!std::isfinite(x))
          return false;
      return true;
    }

    void check_report(const TransientReport &r, const MarchLimits &limits, double t)
    {
      const std::size_t n = limits.blocks;
      require(r.peak_k.size() == n && r.peak_time_s.size() == n && r.peak_spread_k.size() == n,
              "report.peak_*: expected one value per block (" + std::to_string(n) + ")");
      require(finite_all(r.peak_k) && finite_all(r.peak_time_s) && finite_all(r.peak_spread_k),
              "report.peak_*: expected finite numbers");
      bool dvfs = false;
      for (const std::size_t p : limits.dvfs_points)
        dvfs = dvfs || p > 0;
      if (!dvfs)
        require(r.dvfs_point.empty() && r.dvfs_cycles.empty() && r.throttled_s.empty() && r.throttle_events.empty(),
                "report.dvfs_*: the case has no DVFS block");
      else
        {
          require(r.dvfs_point.size() == n && r.dvfs_cycles.size() == n && r.throttled_s.size() == n,
                  "report.dvfs_*: expected one value per block (" + std::to_string(n) + ")");
          require(finite_all(r.dvfs_cycles) && finite_all(r.throttled_s), "report.dvfs_*: expected finite numbers");
          for (std::size_t b = 0; b < n; ++b)
            require(limits.dvfs_points[b] == 0 ? r.dvfs_point[b] == 0 : r.dvfs_point[b] < limits.dvfs_points[b],
                    "report.dvfs_point: block " + std::to_string(b) + " has no operating point " +
                      std::to_string(r.dvfs_point[b]));
          for (const auto &e : r.throttle_events)
            require(e.block < n && e.from < limits.dvfs_points[e.block] && e.to < limits.dvfs_points[e.block] &&
                      std::isfinite(e.t_s) && e.t_s >= 0 && e.t_s <= t && std::isfinite(e.t_max_k),
                    "report.throttle_events: an event of no DVFS block's operating points or time");
        }
      require(std::isfinite(r.energy_in_j) && std::isfinite(r.heat_out_j) && std::isfinite(r.stored_j) &&
                std::isfinite(r.max_remap_shift_k) && std::isfinite(r.min_step_s) && std::isfinite(r.max_step_s),
              "report: expected finite energies and steps");
    }
    /// The counters and indices must be stored as integers: nlohmann converts a
    /// number like 1e127 to unsigned int with a plain cast, which is undefined
    /// (found by the checkpoint_record fuzz harness under UBSan).
    void require_integers(const nlohmann::json &march)
    {
      const auto integer = [](const nlohmann::json &parent, const char *key, const std::string &path) {
        if (!parent.is_object())
          return;
        const auto it = parent.find(key);
        if (it == parent.end())
          return; // missing: from_json says so
        const auto check = [&](const nlohmann::json &v) {
          require(v.is_number_integer(), path + ": expected a whole number, got " + v.dump().substr(0, 40));
        };
        if (it->is_array())
          for (const auto &v : *it)
            check(v);
        else
          check(*it);
      };
      for (const char *key : {"outputs_done", "matrix_builds_before", "amg_builds_before", "steps_since_adapt"})
        integer(march, key, std::string("march.") + key);
      const auto report = march.is_object() ? march.find("report") : march.end();
      if (report == march.end())
        return;
      for (const char *key : {"steps", "rejected_steps", "cg_iterations", "matrix_builds", "amg_builds", "mesh_changes",
                              "min_cells", "max_cells", "control_times", "dvfs_point"})
        integer(*report, key, std::string("report.") + key);
      if (const auto events = report->is_object() ? report->find("throttle_events") : report->end();
          events != report->end() && events->is_array())
        for (const auto &e : *events)
          for (const char *key : {"block", "from", "to"})
            integer(e, key, std::string("report.throttle_events.") + key);
    }
  } // namespace

  MarchState read_march_state(const nlohmann::json &march, const MarchLimits &limits)
  {
    require_integers(march);
    MarchState m;
    try
      {
        m = march.get<MarchState>();
      }
    catch (const nlohmann::json::exception &e)
      {
        throw InputError(std::string("march: ") + e.what());
      }
    const double eps = 1e-9 * std::max(1.0, limits.end_time_s);
    require(std::isfinite(m.t) && m.t >= 0 && m.t <= limits.end_time_s + eps,
            "march.t: expected a time within [0, end_time]");
    require(std::isfinite(m.h) && m.h > 0 && m.h <= limits.end_time_s + eps,
            "march.h: expected a step within (0, end_time]");
    require(m.outputs_done <= limits.outputs, "march.outputs_done: more outputs than the run has");
    require(std::isfinite(m.next_checkpoint_s) &&
              (limits.checkpoint_interval_s <= 0 ||
               std::abs(m.next_checkpoint_s - m.t) <= limits.checkpoint_interval_s + eps),
            "march.next_checkpoint_s: expected the next checkpoint within one interval of t");
    require(std::isfinite(m.stored_at_start_j), "march.stored_at_start_j: expected a finite number");
    require(std::isfinite(m.last_jump.step_s) && m.last_jump.step_s >= 0 && std::isfinite(m.last_jump.error_k) &&
              std::isfinite(m.last_jump.jump),
            "march.last_jump: expected finite numbers");
    check_report(m.report, limits, m.t);
    return m;
  }

  std::vector<int> read_amg_rungs(const nlohmann::json &state)
  {
    const auto rungs = state.is_object() ? state.find("amg_rungs") : state.end();
    if (rungs == state.end())
      return {};
    require(rungs->is_array() && rungs->size() <= 257, "amg_rungs: expected a list of at most 257 rungs");
    std::vector<int> out;
    for (const auto &k : *rungs)
      {
        require(k.is_number_integer() && k.get<long long>() >= -128 && k.get<long long>() <= 128,
                "amg_rungs: expected whole numbers within [-128, 128], got " + k.dump().substr(0, 40));
        const int rung = static_cast<int>(k.get<long long>());
        require(std::find(out.begin(), out.end(), rung) == out.end(), "amg_rungs: rung " + std::to_string(rung) + " twice");
        out.push_back(rung);
      }
    return out;
  }

  std::vector<std::pair<double, std::string>> read_checkpoint_frames(const nlohmann::json &extra,
                                                                     unsigned int outputs_done, double t_s)
  {
    const auto frames = extra.is_object() ? extra.find("frames") : extra.end();
    require(frames != extra.end() && frames->is_array() && frames->size() == std::size_t(outputs_done) + 1,
            "extra.frames: expected one [t, file] per output written (" + std::to_string(outputs_done + 1) + ")");
    std::vector<std::pair<double, std::string>> out;
    for (const auto &f : *frames)
      {
        require(f.is_array() && f.size() == 2 && f[0].is_number() && f[1].is_string(),
                "extra.frames: expected [t, file] pairs");
        const double      t    = f[0].get<double>();
        const std::string name = f[1].get<std::string>();
        require(std::isfinite(t) && t >= 0 && t <= t_s * (1 + 1e-12) + 1e-15, "extra.frames: a frame after t");
        require(!name.empty() && name.size() < 256 && name.find('/') == std::string::npos && name[0] != '.',
                "extra.frames: expected a plain file name, got '" + name.substr(0, 80) + "'");
        out.emplace_back(t, name);
      }
    return out;
  }
} // namespace chiptherm::solver
