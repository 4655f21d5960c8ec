#include "model_record.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace chiptherm::ai_predictor
{
  namespace
  {
    constexpr const char *format_tag = "chiptherm-thermal-unet-3" /* 3: the baseline channel is the package model */;

    const nlohmann::json &field(const nlohmann::json &meta, const char *key, const SourceLocation &where)
    {
      const auto it = meta.find(key);
      if (it == meta.end())
        throw InputError(where, std::string("the model's chiptherm record has no '") + key + "'");
      return *it;
    }

    int integer_in(const nlohmann::json &meta, const char *key, int lo, int hi, const SourceLocation &where)
    {
      const auto &v = field(meta, key, where);
      if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
        throw InputError(where, std::string("the model's chiptherm record: '") + key + "' must be an integer in " +
                                  std::to_string(lo) + "-" + std::to_string(hi) + ", got " + v.dump());
      return v.get<int>();
    }

    /// metadata.domain: {channel: [min, max]} of finite numbers; blur_gain a number.
    void check_metadata(const nlohmann::json &metadata, const std::vector<std::string> &channels,
                        const SourceLocation &where)
    {
      if (!metadata.is_object())
        throw InputError(where, "the model's chiptherm record: 'metadata' must be a map");
      if (const auto gain = metadata.find("blur_gain"); gain != metadata.end() && !gain->is_number())
        throw InputError(where, "the model's chiptherm record: 'metadata.blur_gain' must be a number");
      const auto domain = metadata.find("domain");
      if (domain == metadata.end())
        return;
      if (!domain->is_object())
        throw InputError(where, "the model's chiptherm record: 'metadata.domain' must be a map of channel ranges");
      for (const auto &[name, range] : domain->items())
        if (!range.is_array() || range.size() != 2 || !range[0].is_number() || !range[1].is_number() ||
            !std::isfinite(range[0].get<double>()) || !std::isfinite(range[1].get<double>()) ||
            std::find(channels.begin(), channels.end(), name) == channels.end())
          throw InputError(where, "the model's chiptherm record: 'metadata.domain." + name +
                                    "' must be [min, max] of a known channel");
    }
  } // namespace

  std::string model_record_text(const ModelRecord &record)
  {
    nlohmann::json meta;
    meta["format"]      = format_tag;
    meta["in_channels"] = record.architecture.in_channels;
    meta["width"]       = record.architecture.width;
    meta["levels"]      = record.architecture.levels;
    meta["channels"]    = record.channels;
    meta["blur_factor"] = record.blur_factor;
    meta["metadata"]    = nlohmann::json::parse(record.metadata_json);
    return meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  ModelRecord parse_model_record(const std::string &text, const std::vector<std::string> &channels_expected,
                                 const SourceLocation &where)
  {
    const auto meta = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (meta.is_discarded() || !meta.is_object())
      throw InputError(where, "the model's chiptherm record is damaged");
    const auto format = meta.find("format");
    if (format == meta.end() || !format->is_string() || *format != format_tag)
      throw InputError(where, "model format '" + (format != meta.end() && format->is_string() ? format->get<std::string>()
                                                                                               : std::string("?")) +
                                "', this build reads '" + format_tag + "'");
    ModelRecord record;
    const auto &channels = field(meta, "channels", where);
    const bool  names = channels.is_array() && std::all_of(channels.begin(), channels.end(),
                                                           [](const nlohmann::json &c) { return c.is_string(); });
    if (!names || channels.get<std::vector<std::string>>() != channels_expected)
      throw InputError(where, "the model was trained on other input channels than this build rasterises: "
                              "retrain it with this build's `chiptherm train`");
    record.channels                 = channels.get<std::vector<std::string>>();
    record.architecture.in_channels = integer_in(meta, "in_channels", 1, 1000, where);
    record.architecture.width       = integer_in(meta, "width", 1, max_net_width, where);
    record.architecture.levels      = integer_in(meta, "levels", 1, max_net_levels, where);
    if (record.architecture.in_channels != int(record.channels.size()) + 1)
      throw InputError(where, "the model's input channels do not match its channel list");
    const auto &blur = field(meta, "blur_factor", where);
    if (!blur.is_number() || !std::isfinite(blur.get<double>()) || blur.get<double>() <= 0)
      throw InputError(where, "the model's chiptherm record: 'blur_factor' must be a positive number");
    record.blur_factor = blur.get<double>();
    const auto &metadata = field(meta, "metadata", where);
    check_metadata(metadata, channels_expected, where);
    record.metadata_json = metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return record;
  }
} // namespace chiptherm::ai_predictor
