#include "model_domain.h"

#include <algorithm>
#include <cstdio>

namespace chiptherm::ai_predictor
{
  namespace
  {
    const std::vector<std::string> &scalar_channels()
    {
      static const std::vector<std::string> names{"vertical", "sink", "lateral", "pixel"};
      return names;
    }
  } // namespace

  ModelDomain ModelDomain::of(const std::vector<TrainingSample> &samples)
  {
    ModelDomain d;
    for (const auto &name : scalar_channels())
      {
        const int c = DieRaster::channel(name);
        for (const auto &s : samples)
          {
            const double v  = s.raster.at(c, 0, 0);
            auto         it = d.ranges.find(name);
            if (it == d.ranges.end())
              d.ranges[name] = {v, v};
            else
              it->second = {std::min(it->second.first, v), std::max(it->second.second, v)};
          }
      }
    return d;
  }

  nlohmann::json ModelDomain::to_json() const
  {
    nlohmann::json j = nlohmann::json::object();
    for (const auto &[name, range] : ranges)
      j[name] = {range.first, range.second};
    return j;
  }

  ModelDomain ModelDomain::from_json(const nlohmann::json &record)
  {
    ModelDomain d;
    if (record.contains("domain"))
      for (const auto &[name, range] : record["domain"].items())
        d.ranges[name] = {range.at(0).get<double>(), range.at(1).get<double>()};
    return d;
  }

  std::string ModelDomain::outside(const DieRaster &raster, double margin) const
  {
    for (const auto &[name, range] : ranges)
      {
        const double v = raster.at(DieRaster::channel(name), 0, 0), slack = margin * (range.second - range.first);
        if (v < range.first - slack || v > range.second + slack)
          {
            char text[200];
            std::snprintf(text, sizeof text, "channel '%s' = %.3f lies outside the training range [%.3f, %.3f]",
                          name.c_str(), v, range.first, range.second);
            return text;
          }
      }
    return "";
  }
} // namespace chiptherm::ai_predictor
