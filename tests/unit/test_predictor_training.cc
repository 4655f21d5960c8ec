// The predictor's network end to end on a tiny problem (a few seconds): the
// loss falls, the model saves with its record and reloads into identical
// predictions, and mismatched or foreign files are refused clearly.
#include "ai_predictor/physics_baseline.h"
#include "ai_predictor/trainer.h"
#include "common/case_document.h"
#include "common/errors.h"
#include "floorplans/case_reader.h"

#include "sample_case.h"
#include "scratch_files.h"

#include <doctest/doctest.h>

#include <random>

using namespace chiptherm;
using namespace chiptherm::ai_predictor;

namespace
{
  /// Dies with block a moved and both powers changed; the "solved" rise is a
  /// smooth field the baseline does not give exactly (another blur, scaled).
  std::vector<TrainingSample> synthetic_samples(int n)
  {
    std::mt19937                           rng(7);
    std::uniform_real_distribution<double> pos(0, 3000), power(0.5, 4);
    std::vector<TrainingSample>            samples;
    for (int i = 0; i < n; ++i)
      {
        auto doc = CaseDocument::parse(test::three_layer_case, "sample.yaml");
        doc.apply_override("stack.die.blocks.b.rect=[0, 3000, 4000, 1000]");
        doc.apply_override("stack.die.blocks.a.rect=[" + std::to_string(pos(rng)) + ", " +
                           std::to_string(pos(rng) * 0.6) + ", 800, 700]");
        doc.apply_override("stack.die.blocks.a.power=" + std::to_string(power(rng)));
        doc.apply_override("stack.die.blocks.b.power=" + std::to_string(power(rng)));
        TrainingSample s;
        s.raster           = rasterize(floorplans::read_chip_model(doc)).at(0);
        const auto sharper = blurred_power_rise(s.raster, 0.4);
        for (const float v : sharper.rise_k)
          s.rise_k.push_back(1.3f * v);
        samples.push_back(std::move(s));
      }
    return samples;
  }
} // namespace

TEST_CASE("Predictor network: the default U-Net has 50k to 250k parameters")
{
  ThermalUNet net(NetArchitecture{int(DieRaster::channel_names().size()) + 1});
  CHECK(net->parameter_count() >= 50000);
  CHECK(net->parameter_count() <= 250000);
  const auto y = net->forward(torch::zeros({2, int(DieRaster::channel_names().size()) + 1, 64, 32}));
  CHECK(y.sizes() == torch::IntArrayRef({2, 1, 64, 32}));
}

TEST_CASE("Predictor training: the loss falls; save, reload, identical predictions")
{
  const auto      samples = synthetic_samples(16);
  NetArchitecture arch{int(DieRaster::channel_names().size()) + 1, 8, 3};
  torch::manual_seed(3);
  ThermalUNet   net(arch);
  TrainSettings settings;
  settings.epochs         = 12;
  settings.batch_size     = 4;
  settings.learning_rate  = 3e-3;
  std::vector<TrainingSample> train, held_out;
  split_samples(samples, 0.25, 5, train, held_out);
  const auto history = train_network(net, train, held_out, settings);
  REQUIRE(history.train_loss.size() == 12);
  CHECK(history.train_samples == 12);
  CHECK(history.held_out_samples == 4);
  MESSAGE("loss " << history.train_loss.front() << " -> " << history.train_loss.back() << ", held out "
                  << history.held_out_loss.front() << " -> " << history.held_out_loss.back());
  CHECK(history.train_loss.back() < 0.5 * history.train_loss.front());
  CHECK(history.held_out_loss.back() < 0.5 * history.held_out_loss.front());

  const auto  path = test::scratch_file("chiptherm_unit_predictor", "tiny.pt", "");
  ModelRecord record{arch, DieRaster::channel_names(), 1.0, R"({"seed": 3, "samples": 16})"};
  save_model(path, net, record);
  ModelRecord loaded_record;
  auto        loaded = load_model(path, loaded_record);
  CHECK(loaded_record.architecture.width == 8);
  CHECK(loaded_record.metadata_json.find("\"samples\":16") != std::string::npos);
  for (const auto &s : samples)
    {
      const auto a = predict_rise(net, s.raster), b = predict_rise(loaded, s.raster);
      REQUIRE(a.size() == b.size());
      CHECK(std::equal(a.begin(), a.end(), b.begin()));
    }
}

TEST_CASE("Predictor model files: a foreign or mismatched file is refused with a clear message")
{
  ModelRecord record;
  const auto  junk = test::scratch_file("chiptherm_unit_predictor", "junk.pt", "not a model");
  CHECK(test::input_error_of([&] { load_model(junk, record); }).find("junk.pt: cannot read a predictor model") !=
        std::string::npos);

  NetArchitecture arch{int(DieRaster::channel_names().size()) + 1, 8, 2};
  ThermalUNet     net(arch);
  auto            channels = DieRaster::channel_names();
  channels.back()          = "resolution";
  const auto other         = test::scratch_file("chiptherm_unit_predictor", "other.pt", "");
  save_model(other, net, ModelRecord{arch, channels, 1.0, "{}"});
  CHECK(test::input_error_of([&] { load_model(other, record); }).find("other input channels") != std::string::npos);

  // a bare module file (torch::save without the record)
  const auto bare = test::scratch_file("chiptherm_unit_predictor", "bare.pt", "");
  torch::save(net, bare);
  CHECK(test::input_error_of([&] { load_model(bare, record); }).find("not a chiptherm predictor model") !=
        std::string::npos);
}
