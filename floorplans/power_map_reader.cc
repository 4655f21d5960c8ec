#include "power_map_reader.h"

#include "common/input_files.h"
#include "common/raster_file.h"
#include "reader_geometry.h"

#include <cmath>
#include <filesystem>

namespace chiptherm::floorplans
{
  namespace
  {
    /// One file's raster (a 3D .npy holds several frames), its shape checked.
    Raster read_map_file(const CaseNode &file_node, const std::string &key, std::string &path)
    {
      std::filesystem::path file = file_node.text();
      if (file.is_relative())
        file = std::filesystem::path(file_node.file()).parent_path() / file;
      path                  = file.string();
      const std::string ext = file.extension().string();
      if (ext != ".csv" && ext != ".txt" && ext != ".npy")
        file_node.fail("expected a .csv or .npy file");
      if (!is_input_file(file))
        file_node.fail("expected a power map file, '" + path + "' does not exist");
      // A .npy's header gives its shape: a huge raster is refused before its data is read.
      const Raster raster = ext == ".npy" ? read_raster_npy(path, "power map file", max_power_map_side, true)
                                          : read_raster_csv(path, "power map file");
      if (raster.nx > max_power_map_side || raster.ny > max_power_map_side)
        throw InputError(SourceLocation{path, -1, key},
                         "expected at most " + std::to_string(max_power_map_side) + " x " +
                           std::to_string(max_power_map_side) + " pixels, got " + std::to_string(raster.ny) +
                           " rows x " + std::to_string(raster.nx) + " columns");
      return raster;
    }
  } // namespace

  PowerMap read_power_map(const CaseNode &n, const Rect &whole, const std::string &whole_name, const bool in_region)
  {
    n.expect_keys({"file", "files", "times", "extent", "values", "scale"});
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
    if (n.has("file") == n.has("files"))
      n.fail("expected file: F.csv|F.npy (one map, or a 3D .npy of frames over time) or files: [F0, F1, ...] "
             "(one map per time), not " + std::string(n.has("file") ? "both" : "neither"));

    // Every frame's raw values, and the file each came from (for messages).
    std::vector<std::vector<double>> raw;
    std::vector<std::string>         from;
    const std::string                key = n.key() + (n.has("file") ? ".file" : ".files");
    const auto add_file = [&](const CaseNode &file_node) {
      std::string  path;
      const Raster r = read_map_file(file_node, key, path);
      if (!raw.empty() && (r.nx != map.nx || r.ny != map.ny))
        throw InputError(SourceLocation{path, -1, key}, "expected " + std::to_string(map.ny) + " rows x " +
                                                          std::to_string(map.nx) + " columns like the first map, got " +
                                                          std::to_string(r.ny) + " x " + std::to_string(r.nx));
      map.nx = r.nx, map.ny = r.ny;
      map.file = map.file.empty() ? path : map.file;
      const std::size_t per_frame = r.nx * r.ny;
      for (std::size_t t = 0; t < r.nt; ++t)
        raw.emplace_back(r.values.begin() + t * per_frame, r.values.begin() + (t + 1) * per_frame), from.push_back(path);
    };
    if (n.has("file"))
      add_file(n.at("file"));
    else
      for (const auto &item : n.at("files").items())
        add_file(item);

    if (raw.size() > 1 || n.has("times"))
      {
        if (!n.has("times"))
          n.fail("expected times: [t0, t1, ...] (s), one per frame: the map has " + std::to_string(raw.size()));
        const auto items = n.at("times").items();
        if (items.size() != raw.size())
          n.at("times").fail("expected " + std::to_string(raw.size()) + " times, one per frame, got " +
                             std::to_string(items.size()));
        for (const auto &item : items)
          {
            map.times_s.push_back(item.non_negative_number());
            if (map.times_s.size() > 1 && !(map.times_s.back() > map.times_s[map.times_s.size() - 2]))
              item.fail("expected increasing times");
          }
      }

    const std::string kind  = n.has("values") ? n.at("values").choice({"power_w", "density_w_m2"}) : "power_w";
    const double      scale = n.has("scale") ? n.at("scale").non_negative_number() : 1.0;
    const double pixel_area = map.extent.width / double(map.nx) * map.extent.height / double(map.ny);
    for (std::size_t f = 0; f < raw.size(); ++f)
      {
        std::vector<double> pixels(raw[f].size());
        double              total = 0;
        for (std::size_t k = 0; k < raw[f].size(); ++k)
          {
            const double v = raw[f][k];
            if (!std::isfinite(v) || v < 0)
              throw InputError(SourceLocation{from[f], -1, key},
                               "expected finite, non-negative " + kind + " values, got " + std::to_string(v) +
                                 (raw.size() > 1 ? " in frame " + std::to_string(f) : std::string()) + " at row " +
                                 std::to_string(k / map.nx) + ", column " + std::to_string(k % map.nx));
            pixels[k] = scale * (kind == "power_w" ? v : v * pixel_area);
            total += pixels[k];
            if (total > physical_range::max_power_w)
              throw InputError(SourceLocation{from[f], -1, key},
                               "expected at most " + std::to_string(int(physical_range::max_power_w)) +
                                 " W in the map, got more by row " + std::to_string(k / map.nx) + ", column " +
                                 std::to_string(k % map.nx) + " (values: " + kind + ", scale " + std::to_string(scale) + ")");
          }
        map.frames_w.push_back(std::move(pixels));
        map.frame_total_w.push_back(total);
      }
    // Steady runs: the frames' mean (as a HotSpot trace's columns).
    map.power_w.assign(map.nx * map.ny, 0.0);
    for (const auto &frame : map.frames_w)
      for (std::size_t k = 0; k < frame.size(); ++k)
        map.power_w[k] += frame[k] / double(map.frames_w.size());
    for (const double p : map.power_w)
      map.total_w += p;
    if (map.times_s.empty())
      map.frames_w.clear(), map.frame_total_w.clear();
    return map;
  }
} // namespace chiptherm::floorplans
