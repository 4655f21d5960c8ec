#include "refinement_map.h"

#include "common/numeric_table.h"

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

  Raster read_raster_csv(const std::string &path)
  {
    const NumericTable table = read_numeric_table(path, "refinement map file", Separator::comma, false);
    Raster             raster;
    raster.nx = table.rows.front().size();
    raster.ny = table.rows.size();
    for (const auto &row : table.rows)
      raster.values.insert(raster.values.end(), row.begin(), row.end());
    return raster;
  }

  Raster read_raster_npy(const std::string &path)
  {
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw InputError(SourceLocation{path, -1, ""}, "cannot open the refinement map file");
    auto fail = [&](const std::string &what) -> Raster { throw InputError(SourceLocation{path, -1, ""}, what); };
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
      return fail("not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
    const int major = static_cast<unsigned char>(magic[6]);
    std::uint32_t header_length = 0;
    unsigned char len[4]        = {0, 0, 0, 0};
    if (!in.read(reinterpret_cast<char *>(len), major == 1 ? 2 : 4))
      return fail("truncated .npy header");
    header_length = len[0] | (len[1] << 8) | (std::uint32_t(len[2]) << 16) | (std::uint32_t(len[3]) << 24);
    std::string header(header_length, '\0');
    if (!in.read(header.data(), header_length))
      return fail("truncated .npy header");

    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'")))
      return fail("the .npy header has no 'descr'");
    const std::string order = m[1], kind = m[2];
    const int         bytes = std::stoi(m[3]);
    const bool fortran = std::regex_search(header, std::regex("'fortran_order'\\s*:\\s*True"));
    if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)")))
      return fail("expected a 2D array (shape (ny, nx)) in the .npy file");
    Raster raster;
    raster.ny = std::stoul(m[1]);
    raster.nx = std::stoul(m[2]);
    if (raster.nx == 0 || raster.ny == 0)
      return fail("the .npy array is empty");
    if (order == ">" && bytes > 1)
      return fail("big-endian .npy data is not supported; save with a little-endian dtype ('<f8')");
    const bool supported = (kind == "f" && (bytes == 4 || bytes == 8)) || (kind == "i" && (bytes == 4 || bytes == 8)) ||
                           (kind == "u" && (bytes == 1 || bytes == 2));
    if (!supported)
      return fail("unsupported .npy dtype '" + kind + std::to_string(bytes) +
                  "': expected float64, float32, int64, int32, uint16 or uint8");

    const std::size_t n = raster.nx * raster.ny;
    std::vector<char> data(n * bytes);
    if (!in.read(data.data(), data.size()))
      return fail("the .npy file holds fewer values than its shape says");
    raster.values.resize(n);
    for (std::size_t k = 0; k < n; ++k)
      {
        const char *p = data.data() + k * bytes;
        double      v = 0;
        if (kind == "f" && bytes == 8) { double x; std::memcpy(&x, p, 8); v = x; }
        else if (kind == "f") { float x; std::memcpy(&x, p, 4); v = x; }
        else if (kind == "i" && bytes == 8) { std::int64_t x; std::memcpy(&x, p, 8); v = double(x); }
        else if (kind == "i") { std::int32_t x; std::memcpy(&x, p, 4); v = x; }
        else if (bytes == 2) { std::uint16_t x; std::memcpy(&x, p, 2); v = x; }
        else v = static_cast<unsigned char>(*p);
        // Fortran order stores columns first: element k is (row k % ny, column k / ny).
        const std::size_t target = fortran ? (k % raster.ny) * raster.nx + k / raster.ny : k;
        raster.values[target] = v;
      }
    return raster;
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
        const auto v = n.at("extent").numbers(4);
        const double to_m = n.units().length_to_m;
        map.extent = {v[0] * to_m, v[1] * to_m, v[2] * to_m, v[3] * to_m};
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
      raster = read_raster_csv(file.string());
    else if (ext == ".npy")
      raster = read_raster_npy(file.string());
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
