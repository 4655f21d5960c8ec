// The predictor model's record (ai_predictor/model_record.h): what a model file
// stores beside its weights, and every way a damaged one is refused.
#include "ai_predictor/model_record.h"
#include "ai_predictor/rasterizer.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace chiptherm;
using namespace chiptherm::ai_predictor;

namespace
{
  ModelRecord sample()
  {
    return ModelRecord{NetArchitecture{int(DieRaster::channel_names().size()) + 1, 12, 3}, DieRaster::channel_names(),
                       4.0, R"({"blur_gain": 1.07, "domain": {"sink": [-1.3, 0.3], "pixel": [-0.16, 0.4]}})"};
  }

  std::string refusal(const nlohmann::json &record)
  {
    try
      {
        parse_model_record(record.dump(), DieRaster::channel_names(), SourceLocation{"m.pt", -1, ""});
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

TEST_CASE("model record: written and read back")
{
  const auto text = model_record_text(sample());
  const auto back = parse_model_record(text, DieRaster::channel_names(), SourceLocation{"m.pt", -1, ""});
  CHECK(back.architecture.in_channels == 12);
  CHECK(back.architecture.width == 12);
  CHECK(back.architecture.levels == 3);
  CHECK(back.channels == DieRaster::channel_names());
  CHECK(back.blur_factor == doctest::Approx(4.0));
  CHECK(nlohmann::json::parse(back.metadata_json)["domain"]["sink"][1] == doctest::Approx(0.3));
}

TEST_CASE("model record: a damaged or foreign record is refused with a reason, never another exception")
{
  const auto good = nlohmann::json::parse(model_record_text(sample()));
  CHECK(refusal(good).empty());
  const auto with = [&](const char *key, const nlohmann::json &value) {
    auto r = good;
    r[key] = value;
    return refusal(r);
  };
  CHECK(refusal(nlohmann::json::array({1, 2})).find("damaged") != std::string::npos);
  CHECK(with("format", 3).find("model format '?'") != std::string::npos);
  CHECK(with("format", "other").find("model format 'other'") != std::string::npos);
  CHECK(with("channels", 5).find("other input channels") != std::string::npos);
  CHECK(with("channels", nlohmann::json::array({1, 2})).find("other input channels") != std::string::npos);
  CHECK(with("width", 1000000000).find("'width' must be an integer in 1-256") != std::string::npos);
  CHECK(with("width", "12").find("'width' must be an integer") != std::string::npos);
  CHECK(with("levels", 40).find("'levels' must be an integer in 1-6") != std::string::npos);
  CHECK(with("in_channels", 11).find("input channels do not match") != std::string::npos);
  CHECK(with("blur_factor", -1).find("'blur_factor' must be a positive number") != std::string::npos);
  CHECK(with("metadata", 7).find("'metadata' must be a map") != std::string::npos);
  CHECK(with("metadata", {{"blur_gain", "x"}}).find("blur_gain' must be a number") != std::string::npos);
  CHECK(with("metadata", {{"domain", {{"sink", "wide"}}}}).find("metadata.domain.sink") != std::string::npos);
  // An unknown channel would have been looked up past the raster's channels.
  CHECK(with("metadata", {{"domain", {{"nosuch", {0, 1}}}}}).find("known channel") != std::string::npos);
  auto missing = good;
  missing.erase("levels");
  CHECK(refusal(missing).find("no 'levels'") != std::string::npos);
}
