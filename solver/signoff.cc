#include "signoff.h"

#include <cstdio>

namespace chiptherm::solver
{
  SignoffSettings SignoffSettings::defaults()
  {
    SignoffSettings s;
    const double    limits_c[n_block_types] = {105, 95, 105, 90, 95, 115, 75, 105, 105};
    for (std::size_t t = 0; t < n_block_types; ++t)
      s.limit_k[t] = limits_c[t] + Units::kelvin_offset;
    return s;
  }

  SignoffSettings SignoffSettings::read(const CaseNode &n)
  {
    SignoffSettings s = defaults();
    if (!n.is_defined())
      return s;
    n.expect_keys({"limits", "delta_limits"});
    const auto &types = floorplans::block_type_names();
    for (std::size_t t = 0; t < n_block_types; ++t)
      {
        const CaseNode limits = n.optional("limits");
        if (limits.is_defined())
          {
            limits.expect_keys(types);
            if (limits.has(types[t]))
              s.limit_k[t] = limits.at(types[t]).temperature();
          }
        const CaseNode deltas = n.optional("delta_limits");
        if (deltas.is_defined())
          {
            deltas.expect_keys(types);
            if (deltas.has(types[t]))
              s.delta_limit_k[t] = deltas.at(types[t]).temperature_difference();
          }
      }
    return s;
  }

  double block_limit_k(const floorplans::Block &block, const SignoffSettings &settings)
  {
    return block.limit_k.value_or(settings.limit_k[static_cast<std::size_t>(block.type)]);
  }

  std::vector<BlockVerdict> evaluate_signoff(const std::vector<const floorplans::Block *> &blocks,
                                             const std::vector<BlockResult>              &results,
                                             const SignoffSettings                        &settings)
  {
    std::vector<BlockVerdict> verdicts(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b)
      {
        const auto  type = static_cast<std::size_t>(blocks[b]->type);
        auto       &v    = verdicts[b];
        v.limit_k        = block_limit_k(*blocks[b], settings);
        v.delta_limit_k  = blocks[b]->delta_limit_k ? blocks[b]->delta_limit_k : settings.delta_limit_k[type];
        char buf[160];
        if (results[b].t_max_k > v.limit_k)
          {
            std::snprintf(buf, sizeof buf, "t_max %.2f C exceeds the limit %.2f C", kelvin_to_celsius(results[b].t_max_k),
                          kelvin_to_celsius(v.limit_k));
            v.pass   = false;
            v.reason = buf;
          }
        const double delta = results[b].t_max_k - results[b].t_min_k;
        if (v.delta_limit_k && delta > *v.delta_limit_k)
          {
            std::snprintf(buf, sizeof buf, "%st_max - t_min %.3f K exceeds the limit %.3f K", v.pass ? "" : "; ", delta,
                          *v.delta_limit_k);
            v.pass = false;
            v.reason += buf;
          }
      }
    return verdicts;
  }
} // namespace chiptherm::solver
