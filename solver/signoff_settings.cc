#include "signoff_settings.h"

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
    n.expect_keys({"limits", "delta_limits", "limit_resolution"});
    s.limit_resolution_k = n.positive_number_or("limit_resolution", s.limit_resolution_k);
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
} // namespace chiptherm::solver
