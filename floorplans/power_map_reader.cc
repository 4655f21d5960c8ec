#include "power_map_reader.h"

#include "common/raster_file.h"
#include "reader_geometry.h"

#include <cmath>
#include <filesystem>

namespace chiptherm::floorplans
{
  PowerMap read_power_map(const CaseNode &n, const Rect &whole, const std::string &whole_name, const bool in_region)
  {
    n.expect_keys({"file", "extent", "values", "scale"});
    PowerMap map;
    map.extent = whole;
    if (n.has("extent"))
      {
        map.extent = read_rect(n.at("extent"));
        if (in_region)
          map.extent.x += whole.x, map.extent.y += whole.y;
        if (!whole.encloses(map.extent, geometry_tolerance_m))
          n.at("extent").fail("expected the map inside " + whole_name + " " + rect_text(whole, n.units()));
      }
    const CaseNode        file_node = n.at("file");
    std::filesystem::path file      = file_node.text();
    if (file.is_relative())
      file = std::filesystem::path(n.file()).parent_path() / file;
    map.file              = file.string();
    const std::string ext = file.extension().string();
    if (ext != ".csv" && ext != ".txt" && ext != ".npy")
      file_node.fail("expected a .csv or .npy file");
    if (!std::filesystem::is_regular_file(file))
      file_node.fail("expected a power map file, '" + map.file + "' does not exist");
    // A .npy's header gives its shape: a huge raster is refused before its data is read.
    const Raster raster = ext == ".npy" ? read_raster_npy(map.file, "power map file", max_power_map_side)
                                        : read_raster_csv(map.file, "power map file");
    if (raster.nx > max_power_map_side || raster.ny > max_power_map_side)
      throw InputError(SourceLocation{map.file, -1, n.key() + ".file"},
                       "expected at most " + std::to_string(max_power_map_side) + " x " +
                         std::to_string(max_power_map_side) + " pixels, got " + std::to_string(raster.ny) + " rows x " +
                         std::to_string(raster.nx) + " columns");
    map.nx = raster.nx, map.ny = raster.ny;

    const std::string kind  = n.has("values") ? n.at("values").choice({"power_w", "density_w_m2"}) : "power_w";
    const double      scale = n.has("scale") ? n.at("scale").non_negative_number() : 1.0;
    const double pixel_area = map.extent.width / double(map.nx) * map.extent.height / double(map.ny);
    map.power_w.resize(raster.values.size());
    for (std::size_t k = 0; k < raster.values.size(); ++k)
      {
        const double v = raster.values[k];
        if (!std::isfinite(v) || v < 0)
          throw InputError(SourceLocation{map.file, -1, n.key() + ".file"},
                           "expected finite, non-negative " + kind + " values, got " + std::to_string(v) +
                             " at row " + std::to_string(k / map.nx) + ", column " + std::to_string(k % map.nx));
        map.power_w[k] = scale * (kind == "power_w" ? v : v * pixel_area);
        map.total_w += map.power_w[k];
      }
    return map;
  }
} // namespace chiptherm::floorplans
