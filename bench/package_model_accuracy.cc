// Accuracy and cost of the predictor's package model (package_model.h) against
// the FEM's rise maps of a `chiptherm train --generate` folder, for one choice
// of its settings. Prints per-setting MAE, peak error and recall over the dies,
// the unknowns and the median time per chip (1 thread). Figures go to
// docs/benchmarks.md; nothing is asserted here.
//   build/bench/package_model_accuracy DIR [die_sublayers thick_sublayers pixel_stride growth [max_chips [thick_grading]]]
#include "ai_predictor/package_model.h"
#include "ai_predictor/prediction_metrics.h"
#include "ai_predictor/training_set.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

using namespace chiptherm::ai_predictor;

int main(int argc, char **argv)
{
  if (argc < 2)
    {
      std::fprintf(stderr, "usage: package_model_accuracy DIR [die_sublayers thick_sublayers pixel_stride growth [max_chips [thick_grading]]]\n");
      return 2;
    }
  PackageModelSettings settings;
  if (argc > 5)
    settings.die_sublayers = std::atoi(argv[2]), settings.thick_sublayers = std::atoi(argv[3]),
    settings.pixel_stride = std::atoi(argv[4]), settings.growth = std::atof(argv[5]);
  const std::size_t max_chips = argc > 6 ? std::size_t(std::atol(argv[6])) : 1000000;
  if (argc > 7)
    settings.thick_grading = std::atof(argv[7]);
  RasterSettings    raster_settings;
  raster_settings.package_model = false;
  const auto samples            = read_training_set(argv[1], raster_settings);

  std::vector<MapMetrics> metrics;
  std::vector<double>     peaks, ms;
  std::size_t             unknowns = 0;
  std::set<std::string>   chips;
  for (std::size_t i = 0; i < samples.size(); ++i)
    {
      if (!chips.count(samples[i].sample) && chips.size() >= max_chips)
        break;
      chips.insert(samples[i].sample);
      std::vector<DieRaster> one{samples[i].raster};
      PackageModelReport     report;
      add_package_rise(*samples[i].chip, one, settings, &report);
      unknowns = std::max(unknowns, report.unknowns);
      ms.push_back(report.milliseconds);
      metrics.push_back(compare_maps(one[0], one[0].package_rise_k, samples[i].rise_k));
      peaks.push_back(*std::max_element(samples[i].rise_k.begin(), samples[i].rise_k.end()));
    }
  const auto m = summarize(metrics, peaks);
  std::sort(ms.begin(), ms.end());
  std::printf("package model (die %d, thick %d sublayers graded %.1f, pixel stride %d, growth %.2f) on %zu dies, mean peak rise "
              "%.1f K: MAE %.3f K, max %.3f K, peak p95 %.3f K, recall %.3f; up to %zu unknowns, median %.1f ms, "
              "max %.1f ms per chip\n",
              settings.die_sublayers, settings.thick_sublayers, settings.thick_grading, settings.pixel_stride,
              settings.growth, m.dies, m.rise_k,
              m.mae_k, m.max_error_k, m.peak_error_p95_k, m.recall, unknowns, ms[ms.size() / 2], ms.back());
}
