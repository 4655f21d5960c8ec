#include "raster_file.h"

#include "input_files.h"
#include "errors.h"
#include "numeric_table.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <regex>

namespace chiptherm
{
  Raster read_raster_csv(const std::string &path, const std::string &what)
  {
    const NumericTable table = read_numeric_table(path, what, Separator::comma, false);
    Raster             raster;
    raster.nx = table.rows.front().size();
    raster.ny = table.rows.size();
    for (const auto &row : table.rows)
      raster.values.insert(raster.values.end(), row.begin(), row.end());
    return raster;
  }

  Raster read_raster_npy(const std::string &path, const std::string &what, const std::size_t max_side,
                         const bool frames)
  {
    std::ifstream in;
    if (is_input_file(path)) // never open a folder, device or pipe
      in.open(path, std::ios::binary);
    if (!in.is_open())
      throw InputError(SourceLocation{path, -1, ""}, "cannot open the " + what);
    auto fail = [&](const std::string &what) -> Raster { throw InputError(SourceLocation{path, -1, ""}, what); };
    char magic[8];
    if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
      return fail("not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
    const int major = static_cast<unsigned char>(magic[6]);
    if (major < 1 || major > 3)
      return fail("unknown .npy format version " + std::to_string(major) + " (expected 1, 2 or 3)");
    std::uint32_t header_length = 0;
    unsigned char len[4]        = {0, 0, 0, 0};
    if (!in.read(reinterpret_cast<char *>(len), major == 1 ? 2 : 4))
      return fail("truncated .npy header");
    header_length = len[0] | (len[1] << 8) | (std::uint32_t(len[2]) << 16) | (std::uint32_t(len[3]) << 24);
    // NumPy writes about 128 bytes for the dtypes read here; a long header is not one of them.
    if (header_length > 4096)
      return fail("the .npy header says it has " + std::to_string(header_length) +
                  " bytes: expected at most 4096 (a plain numeric array)");
    std::string header(header_length, '\0');
    if (!in.read(header.data(), header_length))
      return fail("truncated .npy header");

    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d{1,2})'")))
      return fail("the .npy header has no 'descr'");
    const std::string order = m[1], kind = m[2];
    const int         bytes = std::stoi(m[3]);
    const bool fortran = std::regex_search(header, std::regex("'fortran_order'\\s*:\\s*True"));
    Raster raster;
    if (frames && std::regex_search(header, m,
                                    std::regex("'shape'\\s*:\\s*\\(\\s*(\\d{1,9})\\s*,\\s*(\\d{1,9})\\s*,\\s*(\\d{1,9})\\s*,?\\s*\\)")))
      {
        if (fortran)
          return fail("a Fortran-ordered 3D .npy is not supported; save it in C order (numpy's default)");
        raster.nt = std::stoul(m[1]), raster.ny = std::stoul(m[2]), raster.nx = std::stoul(m[3]);
      }
    else if (std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(\\s*(\\d{1,9})\\s*,\\s*(\\d{1,9})\\s*,?\\s*\\)")))
      raster.ny = std::stoul(m[1]), raster.nx = std::stoul(m[2]);
    else
      return fail(frames ? "expected a 2D array (shape (ny, nx)) or a 3D one (shape (T, ny, nx)) in the .npy file"
                         : "expected a 2D array (shape (ny, nx)) in the .npy file");
    if (raster.nx == 0 || raster.ny == 0 || raster.nt == 0)
      return fail("the .npy array is empty");
    if (max_side > 0 && (raster.nx > max_side || raster.ny > max_side))
      return fail("expected at most " + std::to_string(max_side) + " x " + std::to_string(max_side) + " values, got " +
                  std::to_string(raster.ny) + " rows x " + std::to_string(raster.nx) + " columns");
    if (order == ">" && bytes > 1)
      return fail("big-endian .npy data is not supported; save with a little-endian dtype ('<f8')");
    const bool supported = (kind == "f" && (bytes == 4 || bytes == 8)) || (kind == "i" && (bytes == 4 || bytes == 8)) ||
                           (kind == "u" && (bytes == 1 || bytes == 2));
    if (!supported)
      return fail("unsupported .npy dtype '" + kind + std::to_string(bytes) +
                  "': expected float64, float32, int64, int32, uint16 or uint8");

    const std::size_t n = raster.nt * raster.nx * raster.ny;
    if (max_side > 0 && n > 4 * max_side * max_side)
      return fail("expected at most " + std::to_string(4 * max_side * max_side) + " values in all, got " +
                  std::to_string(raster.nt) + " frames of " + std::to_string(raster.ny) + " x " +
                  std::to_string(raster.nx));
    // The shape must fit the file before anything that large is allocated.
    const auto here = in.tellg();
    in.seekg(0, std::ios::end);
    const auto left = static_cast<double>(in.tellg() - here);
    in.seekg(here);
    if (double(raster.nt) * double(raster.nx) * double(raster.ny) * bytes > left)
      return fail("the .npy file holds fewer values than its shape says (" + std::to_string(raster.nt) + " x " +
                  std::to_string(raster.ny) + " x " + std::to_string(raster.nx) + ")");
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

} // namespace chiptherm
