#include "refinement_map.h"

#include "common/raster_file.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace chiptherm::mesh
{
  double RefinementMap::smallest_over(const floorplans::Rect &r) const
  {
    const double px = extent.width / nx, py = extent.height / ny;
    // Pixels whose interior overlaps r (a touching edge does not count).
    const auto first = [](double lo, double origin, double pitch) {
      return static_cast<long>(std::floor((lo - origin) / pitch + 1e-9));
    };
    const auto last = [](double hi, double origin, double pitch) {
      return static_cast<long>(std::ceil((hi - origin) / pitch - 1e-9)) - 1;
    };
    const long i0 = std::max(0L, first(r.x, extent.x, px)), i1 = std::min(long(nx) - 1, last(r.x_end(), extent.x, px));
    const long j0 = std::max(0L, first(r.y, extent.y, py)), j1 = std::min(long(ny) - 1, last(r.y_end(), extent.y, py));
    double smallest = 0;
    for (long j = j0; j <= j1; ++j)
      for (long i = i0; i <= i1; ++i)
        {
          const double s = cell_size_m[j * nx + i];
          if (s > 0 && (smallest == 0 || s < smallest))
            smallest = s;
        }
    return smallest;
  }

  RefinementMap read_refinement_map(const CaseNode &n, const std::string &base_directory,
                                    const floorplans::ChipModel &model, double default_finest_m,
                                    double default_coarsest_m)
  {
    n.expect_keys({"file", "layer", "values", "extent", "finest", "coarsest"});
    RefinementMap map;

    // Layer: by name, default the first powered layer.
    map.layer = -1;
    if (n.has("layer"))
      {
        std::vector<std::string> names;
        for (const auto &l : model.layers)
          names.push_back(l.name);
        const std::string name = n.at("layer").choice(names);
        map.layer = int(std::find(names.begin(), names.end(), name) - names.begin());
      }
    else
      for (std::size_t l = 0; l < model.layers.size() && map.layer < 0; ++l)
        if (model.layers[l].is_powered())
          map.layer = int(l);
    if (map.layer < 0)
      n.fail("expected a 'layer' (no layer holds blocks)");

    map.extent = model.layers[map.layer].footprint;
    if (n.has("extent"))
      {
        const auto v = n.at("extent").lengths(4);
        map.extent = {v[0], v[1], v[2], v[3]};
        if (!(map.extent.width > 0 && map.extent.height > 0))
          n.at("extent").fail("expected [x, y, width, height] with positive width and height");
      }

    const CaseNode    file_node = n.at("file");
    std::filesystem::path file  = file_node.text();
    if (file.is_relative())
      file = std::filesystem::path(base_directory) / file;
    const std::string ext = file.extension().string();
    Raster            raster;
    if (ext == ".csv" || ext == ".txt")
      raster = read_raster_csv(file.string(), "refinement map file");
    else if (ext == ".npy")
      raster = read_raster_npy(file.string(), "refinement map file");
    else
      file_node.fail("expected a .csv or .npy file");
    map.nx = raster.nx, map.ny = raster.ny;

    const std::string kind = n.has("values") ? n.at("values").choice({"cell_size", "priority"}) : "cell_size";
    const double finest   = n.has("finest") ? n.at("finest").positive_length() : default_finest_m;
    const double coarsest = n.has("coarsest") ? n.at("coarsest").positive_length() : default_coarsest_m;
    if (coarsest < finest)
      n.fail("expected coarsest >= finest");
    const double to_m = n.units().length_to_m;
    map.cell_size_m.resize(raster.values.size());
    for (std::size_t k = 0; k < raster.values.size(); ++k)
      {
        const double v = raster.values[k];
        if (!std::isfinite(v) || v <= 0)
          map.cell_size_m[k] = 0;
        else if (kind == "cell_size")
          map.cell_size_m[k] = v * to_m;
        else if (v > 1)
          throw InputError(SourceLocation{file.string(), -1, n.key() + ".values"},
                           "priority values must lie in [0, 1], got " + std::to_string(v) + " at row " +
                             std::to_string(k / raster.nx) + ", column " + std::to_string(k % raster.nx));
        else
          map.cell_size_m[k] = coarsest * std::pow(finest / coarsest, v);
      }
    return map;
  }
} // namespace chiptherm::mesh
