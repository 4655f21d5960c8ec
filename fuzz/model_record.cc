// Fuzz harness: a predictor model's chiptherm record (the JSON stored beside the
// weights in models/*.pt), read as load_model() reads it before building the
// network from the recorded architecture.
#include "ai_predictor/model_record.h"
#include "ai_predictor/raster_channels.h"
#include "fuzz_input.h"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  const auto &channels = ai_predictor::raster_channel_names(); // DieRaster::channel_names()
  const std::string text(reinterpret_cast<const char *>(data), size);
  return fuzz::expect_input_errors_only([&] {
    const auto record = ai_predictor::parse_model_record(text, channels, SourceLocation{"model.pt", -1, ""});
    if (record.architecture.width < 1 || record.architecture.width > ai_predictor::max_net_width ||
        record.architecture.levels < 1 || record.architecture.levels > ai_predictor::max_net_levels)
      std::abort();
    // As run_evaluation() and the seeding read the metadata back.
    const auto meta = nlohmann::json::parse(record.metadata_json);
    volatile double gain = meta.value("blur_gain", 1.0);
    if (const auto d = meta.find("domain"); d != meta.end())
      for (const auto &[name, range] : d->items())
        gain = gain + range.at(0).get<double>() + range.at(1).get<double>();
  });
}
