#include "mesh_seeding.h"

#include "refinement_from_prediction.h"
#include "trainer.h"

#include <chrono>
#include <cmath>

namespace chiptherm::ai_predictor
{
  std::vector<mesh::RefinementMap> predicted_refinement_maps(const floorplans::ChipModel &model,
                                                             const std::string &model_file, double finest_m,
                                                             double coarsest_m, SeedingReport *report)
  {
    const auto  start = std::chrono::steady_clock::now();
    ModelRecord record;
    auto        net = load_model(model_file, record);
    torch::set_num_threads(1);
    const auto domain = ModelDomain::from_json(nlohmann::json::parse(record.metadata_json));
    std::vector<mesh::RefinementMap> maps;
    for (const auto &r : rasterize(model))
      {
        std::string      fallback;
        const auto       priority = refinement_priority(r, predict_rise(net, domain, r, &fallback));
        if (!fallback.empty() && report)
          report->fallbacks.push_back(r.die + ": " + fallback);
        mesh::RefinementMap m;
        m.layer  = int(r.layer_index);
        m.extent = r.extent;
        m.nx     = r.cols;
        m.ny     = r.rows;
        m.cell_size_m.resize(priority.size());
        for (std::size_t i = 0; i < priority.size(); ++i)
          m.cell_size_m[i] = priority[i] > 0 ? coarsest_m * std::pow(finest_m / coarsest_m, double(priority[i])) : 0.0;
        maps.push_back(std::move(m));
      }
    if (report)
      {
        report->dies         = maps.size();
        report->milliseconds = 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
    return maps;
  }
} // namespace chiptherm::ai_predictor
