#include "predict_command.h"

#include "common/output_file.h"
#include "floorplans/case_reader.h"
#include "map_image.h"
#include "physics_baseline.h"
#include "refinement_from_prediction.h"
#include "trainer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

namespace chiptherm::ai_predictor
{
  void run_predict(const CaseDocument &document, const PredictOptions &o)
  {
    namespace fs     = std::filesystem;
    const auto model = floorplans::read_chip_model(document);
    const auto out   = o.out_dir.empty() ? "chiptherm-out/" + model.name + "/prediction" : o.out_dir;
    torch::set_num_threads(o.threads);
    std::optional<ThermalUNet> net;
    ModelRecord                record;
    if (!o.model.empty())
      net = load_model(o.model, record);
    else
      std::cout << "[chiptherm] predict: --model physics: the physics baseline (the package model's coarse "
                   "finite-volume rise) stands in for the network"
                << std::endl;
    const auto domain = ModelDomain::from_json(nlohmann::json::parse(record.metadata_json));

    // everything is computed before anything is written
    nlohmann::json report{{"case", model.name}, {"model", o.model.empty() ? "physics baseline" : o.model}};
    struct Result
    {
      DieRaster          raster;
      std::vector<float> rise, priority;
    };
    std::vector<Result> results;
    for (auto &r : rasterize(model))
      {
        const auto start = std::chrono::steady_clock::now();
        std::string fallback;
        auto        rise = net ? predict_rise(*net, domain, r, &fallback) : physics_baseline(r).rise_k;
        if (!fallback.empty())
          std::cout << "[chiptherm] predict: die " << r.die << " lies outside the model's training domain (" << fallback
                    << "): the package model stands in for the network" << std::endl;
        const double ms = 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        auto         priority = refinement_priority(r, rise);
        const auto   peak     = std::max_element(rise.begin(), rise.end()) - rise.begin();
        report["dies"].push_back({{"die", r.die},
                                  {"layer", r.layer},
                                  {"rows", r.rows},
                                  {"cols", r.cols},
                                  {"pixel_um", r.pixel_m * 1e6},
                                  {"extent_um", {r.extent.x * 1e6, r.extent.y * 1e6, r.extent.width * 1e6, r.extent.height * 1e6}},
                                  {"peak_rise_k", rise[peak]},
                                  {"peak_at_um", {(r.extent.x + (peak % r.cols + 0.5) * r.pixel_m) * 1e6,
                                                  (r.extent.y + (peak / r.cols + 0.5) * r.pixel_m) * 1e6}},
                                  {"inference_ms", ms},
                                  {"answered_by", net && fallback.empty() ? "network" : "package model"}});
        std::printf("[chiptherm] predict: die %s: %d x %d pixels of %.0f um, peak rise %.2f K, %.1f ms\n",
                    r.die.c_str(), r.rows, r.cols, r.pixel_m * 1e6, rise[peak], ms);
        results.push_back({std::move(r), std::move(rise), std::move(priority)});
      }
    fs::create_directories(out);
    for (const auto &res : results)
      {
        const std::string base = (fs::path(out) / res.raster.die).string();
        write_map_csv(base + "_rise.csv", res.raster, res.rise);
        write_map_csv(base + "_refinement.csv", res.raster, res.priority);
        write_map_png(base + "_rise.png", res.raster, res.rise);
        write_map_png(base + "_refinement.png", res.raster, res.priority);
        std::vector<float> power(std::size_t(res.raster.rows) * res.raster.cols);
        for (std::size_t i = 0; i < power.size(); ++i)
          power[i] = res.raster.data[std::size_t(DieRaster::channel("power")) * power.size() + i];
        write_map_vtk(base + "_prediction.vtk", res.raster,
                      {{"predicted_rise_k", &res.rise}, {"refinement_priority", &res.priority},
                       {"power_density_100w_cm2", &power}});
        const double unit = document.root().units().length_to_m;
        std::printf("[chiptherm] predict: to mesh with it: mesh.refinement_map: {file: %s_refinement.csv, layer: %s, "
                    "extent: [%g, %g, %g, %g], values: priority}\n",
                    base.c_str(), res.raster.layer.c_str(), res.raster.extent.x / unit, res.raster.extent.y / unit,
                    res.raster.extent.width / unit, res.raster.extent.height / unit);
      }
    write_text_file((fs::path(out) / "prediction.json").string(),
                    report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
} // namespace chiptherm::ai_predictor
