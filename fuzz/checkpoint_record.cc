// Fuzz harness: a transient checkpoint's record (state.json's "march" and
// "extra.frames") as `transient --resume` reads it, checked against a run with
// and without DVFS blocks; then the record is used as the march uses it (the
// next checkpoint time caught up, operating points and per-block values
// indexed), so a record the checks let through must be safe to step with.
#include "fuzz_input.h"
#include "solver/march_state.h"

#include <cmath>

namespace
{
  using namespace chiptherm::solver;

  void use_as_the_march_does(const MarchState &m, const MarchLimits &limits)
  {
    double next = m.next_checkpoint_s;
    const double eps = 1e-9 * limits.end_time_s;
    for (int guard = 0; limits.checkpoint_interval_s > 0 && next <= m.t + eps; ++guard)
      {
        next += limits.checkpoint_interval_s;
        if (guard > 1000) // read_march_state keeps it within one interval of t
          std::abort();
      }
    std::vector<std::vector<double>> points(limits.blocks);
    for (std::size_t b = 0; b < limits.blocks; ++b)
      points[b].assign(limits.dvfs_points[b], 1.0);
    volatile double sink = 0;
    for (std::size_t b = 0; b < m.report.dvfs_point.size(); ++b)
      if (!points[b].empty())
        sink = sink + points[b][m.report.dvfs_point[b]] + m.report.dvfs_cycles[b] + m.report.throttled_s[b];
    for (const auto &e : m.report.throttle_events)
      sink = sink + points[e.block][e.from] + points[e.block][e.to];
    for (std::size_t b = 0; b < limits.blocks; ++b)
      sink = sink + m.report.peak_k[b] + m.report.peak_time_s[b] + m.report.peak_spread_k[b];
  }
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  const auto state = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (state.is_discarded() || !state.is_object()) // resume(): "the checkpoint ... is damaged"
    return 0;
  const MarchLimits plain{1.0, 0.1, 50, 3, {0, 0, 0}};
  const MarchLimits dvfs{0.2, 0.01, 20, 4, {0, 4, 0, 2}};
  for (const auto &limits : {plain, dvfs})
    fuzz::expect_input_errors_only([&] {
      const auto march = state.find("march");
      if (march == state.end())
        return;
      const auto m = read_march_state(*march, limits);
      use_as_the_march_does(m, limits);
      const auto extra = state.find("extra");
      if (extra != state.end())
        read_checkpoint_frames(*extra, m.outputs_done, m.t);
      read_amg_rungs(state);
    });
  return 0;
}
