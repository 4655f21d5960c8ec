#include "training_set.h"

#include "common/case_document.h"
#include "floorplans/case_reader.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <filesystem>
#include <fstream>

namespace chiptherm::ai_predictor
{
  std::vector<TrainingSample> read_training_set(const std::string &folder, const RasterSettings &settings)
  {
    namespace fs = std::filesystem;
    if (!fs::is_directory(folder))
      throw InputError(SourceLocation{folder, -1, ""}, "expected a folder of samples written by chiptherm train --generate");
    std::vector<fs::path> files;
    for (const auto &entry : fs::directory_iterator(folder))
      {
        const auto name = entry.path().filename().string();
        if (name.rfind("sample_", 0) == 0 && entry.path().extension() == ".json")
          files.push_back(entry.path());
      }
    std::sort(files.begin(), files.end());
    std::vector<TrainingSample> dies;
    for (const auto &file : files)
      {
        const SourceLocation where{file.string(), -1, ""};
        nlohmann::json       sample;
        try
          {
            std::ifstream in(file);
            sample = nlohmann::json::parse(in);
          }
        catch (const nlohmann::json::exception &e)
          {
            throw InputError(where, std::string("not a readable sample: ") + e.what());
          }
        if (!sample.contains("case") || !sample.contains("dies"))
          throw InputError(where, "not a sample: expected keys 'case' and 'dies'");
        const auto model   = std::make_shared<const floorplans::ChipModel>(floorplans::read_chip_model(
          CaseDocument::parse(sample["case"].get<std::string>(), file.string())));
        const auto rasters = rasterize(*model, settings);
        for (const auto &d : sample["dies"])
          {
            const auto it = std::find_if(rasters.begin(), rasters.end(),
                                         [&](const DieRaster &r) { return r.die == d.at("die").get<std::string>(); });
            if (it == rasters.end())
              throw InputError(where, "die '" + d.at("die").get<std::string>() + "' is not a powered die of its case");
            TrainingSample s{*it, d.at("rise_k").get<std::vector<float>>(), file.filename().string(), model,
                             sample.value("converged", true)};
            if (s.rise_k.size() != std::size_t(it->rows) * it->cols)
              throw InputError(where, "the rise map of die '" + it->die + "' has " + std::to_string(s.rise_k.size()) +
                                        " pixels, this build rasterises " + std::to_string(it->rows) + " x " +
                                        std::to_string(it->cols) + ": regenerate the data");
            dies.push_back(std::move(s));
          }
      }
    return dies;
  }

  std::vector<TrainingSample> converged_only(const std::vector<TrainingSample> &samples)
  {
    std::vector<TrainingSample> kept;
    std::copy_if(samples.begin(), samples.end(), std::back_inserter(kept), [](const TrainingSample &s) { return s.converged; });
    return kept;
  }
} // namespace chiptherm::ai_predictor
