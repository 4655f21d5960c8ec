// Time of the predictor's two parts on one thread: the package model (one
// coarse solve per chip, package_model.h) and the network's inference per
// die, each N times after a warm-up; prints medians and p90 in ms.
//   build/bench/predictor_timing CASE.yaml [MODEL.pt|-] [N] [die_sublayers thick_sublayers pixel_stride growth]
// Without a model, an untrained network of the default architecture (the same
// work per call). Figures go to docs/benchmarks.md; nothing is asserted here.
#include "ai_predictor/package_model.h"
#include "ai_predictor/trainer.h"
#include "common/case_document.h"
#include "floorplans/case_reader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace chiptherm;
using namespace chiptherm::ai_predictor;

int main(int argc, char **argv)
{
  if (argc < 2)
    {
      std::fprintf(stderr, "usage: predictor_timing CASE.yaml [MODEL.pt|-] [N] [die_sublayers thick_sublayers "
                           "pixel_stride growth]\n");
      return 2;
    }
  torch::set_num_threads(1);
  const auto  model   = floorplans::read_chip_model(CaseDocument::load(argv[1]));
  auto        rasters = rasterize(model);
  const int   n       = argc > 3 ? std::atoi(argv[3]) : 50;
  auto        median_p90 = [](std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return std::make_pair(ms[ms.size() / 2], ms[ms.size() * 9 / 10]);
  };
  PackageModelSettings settings;
  if (argc > 7)
    settings.die_sublayers = std::atoi(argv[4]), settings.thick_sublayers = std::atoi(argv[5]),
    settings.pixel_stride = std::atoi(argv[6]), settings.growth = std::atof(argv[7]);
  {
    PackageModelReport  report;
    std::vector<double> ms;
    for (int i = 0; i < std::max(3, n / 5); ++i)
      {
        add_package_rise(model, rasters, settings, &report);
        ms.push_back(report.milliseconds);
      }
    const auto [median, p90] = median_p90(ms);
    std::printf("package model (%d/%d sublayers, stride %d, growth %.2f): %zu unknowns, %zu die(s): median %.2f ms, p90 %.2f ms over %zu runs (1 thread)\n",
                settings.die_sublayers, settings.thick_sublayers, settings.pixel_stride, settings.growth,
                report.unknowns, rasters.size(), median, p90, ms.size());
  }
  ModelRecord record;
  record.architecture = NetArchitecture{int(DieRaster::channel_names().size()) + 1};
  ThermalUNet net     = argc > 2 && std::string(argv[2]) != "-" ? load_model(argv[2], record)
                                                                : ThermalUNet(record.architecture);
  for (const auto &r : rasters)
    {
      for (int i = 0; i < 3; ++i)
        predict_rise(net, r);
      std::vector<double> ms;
      for (int i = 0; i < n; ++i)
        {
          const auto start = std::chrono::steady_clock::now();
          predict_rise(net, r);
          ms.push_back(1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
      const auto [median, p90] = median_p90(ms);
      std::printf("network, die %s: %d x %d pixels, %lld parameters: median %.2f ms, p90 %.2f ms over %d runs (1 thread)\n",
                  r.die.c_str(), r.rows, r.cols, static_cast<long long>(net->parameter_count()), median, p90, n);
    }
}
