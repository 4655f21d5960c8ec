#include "signoff.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace chiptherm::solver
{
  namespace
  {
    /// One check of a value v (with bound e) against limit: the value's reading.
    enum class Reading
    {
      within,
      over,
      straddles
    };
    Reading read(double v, double e, double limit)
    {
      return v + e <= limit ? Reading::within : v - e > limit ? Reading::over : Reading::straddles;
    }

    void add_reason(BlockVerdict &v, const std::string &text)
    {
      v.reason += (v.reason.empty() ? "" : "; ") + text;
    }
  } // namespace

  std::vector<BlockVerdict> evaluate_signoff(const std::vector<const floorplans::Block *> &blocks,
                                             const std::vector<BlockResult>              &results,
                                             const SignoffSettings                        &settings,
                                             const std::vector<BlockErrorBound>           *errors)
  {
    std::vector<BlockVerdict> verdicts(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b)
      {
        const auto  type = static_cast<std::size_t>(blocks[b]->type);
        auto       &v    = verdicts[b];
        v.limit_k        = block_limit_k(*blocks[b], settings);
        v.delta_limit_k  = blocks[b]->delta_limit_k ? blocks[b]->delta_limit_k : settings.delta_limit_k[type];
        const BlockErrorBound e = errors && !errors->empty() ? (*errors)[b] : BlockErrorBound{};
        bool                  over = false, straddles = false, near_limits = true;
        char                  buf[200];
        const auto            max_reading = read(results[b].t_max_k, e.t_max_k, v.limit_k);
        if (max_reading != Reading::within)
          {
            std::snprintf(buf, sizeof buf, "t_max %.2f C%s %s the limit %.2f C", kelvin_to_celsius(results[b].t_max_k),
                          e.t_max_k > 0 ? (" +/- " + std::to_string(e.t_max_k).substr(0, 6) + " K").c_str() : "",
                          max_reading == Reading::over ? "exceeds" : "straddles", kelvin_to_celsius(v.limit_k));
            add_reason(v, buf);
            (max_reading == Reading::over ? over : straddles) = true;
            const double margin = std::abs(results[b].t_max_k - v.limit_k);
            near_limits         = near_limits && margin <= settings.limit_resolution_k;
            v.deciding_bound_k  = std::min(v.deciding_bound_k, margin);
          }
        const double delta = results[b].t_max_k - results[b].t_min_k, delta_error = e.t_max_k + e.t_min_k;
        if (v.delta_limit_k)
          if (const auto r = read(delta, delta_error, *v.delta_limit_k); r != Reading::within)
            {
              std::snprintf(buf, sizeof buf, "t_max - t_min %.3f K%s %s the limit %.3f K", delta,
                            delta_error > 0 ? (" +/- " + std::to_string(delta_error).substr(0, 6) + " K").c_str() : "",
                            r == Reading::over ? "exceeds" : "straddles", *v.delta_limit_k);
              add_reason(v, buf);
              (r == Reading::over ? over : straddles) = true;
              const double margin = std::abs(delta - *v.delta_limit_k);
              near_limits         = near_limits && margin <= settings.limit_resolution_k;
              v.deciding_bound_k  = std::min(v.deciding_bound_k, margin / 2);
            }
        v.verdict  = over ? "fail" : straddles ? "undecided" : "pass";
        v.pass     = v.verdict == "pass";
        v.at_limit = v.verdict == "undecided" && near_limits;
        if (v.verdict != "undecided")
          v.deciding_bound_k = std::numeric_limits<double>::infinity();
      }
    return verdicts;
  }

  bool left_at_limit(const BlockVerdict &verdict, const BlockErrorBound &error, double tolerance_k)
  {
    return verdict.at_limit && error.largest_k() <= tolerance_k;
  }
} // namespace chiptherm::solver
