#pragma once
// What a transient run did, for progress lines, report.json and the tests.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace chiptherm::solver
{
  /// A DVFS block moved from one operating point to another (transient control).
  struct ThrottleEvent
  {
    double      t_s = 0;
    std::size_t block = 0;          ///< index in ChipModel::all_blocks()
    std::size_t from = 0, to = 0;   ///< operating points (0: the fastest)
    double      t_max_k = 0;        ///< the block's t_max the controller saw
  };
  NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ThrottleEvent, t_s, block, from, to, t_max_k)

  struct TransientReport
  {
    double       end_time_s = 0;
    unsigned int steps = 0, rejected_steps = 0, cg_iterations = 0;
    unsigned int matrix_builds = 0, amg_builds = 0; ///< of M + d h K
    unsigned int mesh_changes = 0;        ///< adaptations during the run
    double       max_remap_shift_k = 0;   ///< largest uniform shift that kept the stored heat over a mesh change
    unsigned long long min_cells = 0, max_cells = 0; ///< over the run
    double       min_step_s = 0, max_step_s = 0;
    /// Heat in (the scheme's quadrature of the power, exact for the traces'
    /// piecewise-linear or constant pieces), heat out through convective faces,
    /// and the change of stored heat integral rho c (T - T0), J.
    double       energy_in_j = 0, heat_out_j = 0, stored_j = 0;
    /// |in - out - stored| / in (0 when no energy entered).
    /// |in - out - stored| relative to the largest of the three (a warm start's
    /// cooling moves far more heat out and from storage than goes in).
    double energy_rel_error() const
    {
      const double scale = std::max({energy_in_j, std::abs(heat_out_j), std::abs(stored_j)});
      return scale > 0 ? std::abs(energy_in_j - heat_out_j - stored_j) / scale : 0.0;
    }
    /// Per block, over all accepted steps: the highest t_max (K) and when (s),
    /// and the largest t_max - t_min inside the block (K).
    std::vector<double> peak_k, peak_time_s, peak_spread_k;

    // --- DVFS control (dvfs_control.h); empty without DVFS blocks ------------
    /// Per block (all_blocks order): the operating point it runs at now, the
    /// cycles it has run (integral of its frequency over time, for the
    /// sustained throughput) and the time it spent below its fastest point.
    std::vector<std::size_t>   dvfs_point;
    std::vector<double>        dvfs_cycles, throttled_s;
    std::vector<ThrottleEvent> throttle_events;
    unsigned int               control_times = 0; ///< times the controller looked
  };

  /// For checkpoints: every field, by its name.
  NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TransientReport, end_time_s, steps, rejected_steps, cg_iterations, matrix_builds,
                                     amg_builds, mesh_changes, max_remap_shift_k, min_cells, max_cells, min_step_s,
                                     max_step_s, energy_in_j, heat_out_j, stored_j, peak_k, peak_time_s, peak_spread_k,
                                     dvfs_point, dvfs_cycles, throttled_s, throttle_events, control_times)
} // namespace chiptherm::solver
