// The VTU writer (solver/vtu_files.h): every array read back from the file,
// decoded as VTK's reader does (base64 header of UInt64 words, then the base64
// blocks, each LZ4-inflated), equals what was written; the parallel record
// names the pieces and fields.
#include "solver/vtu_files.h"

#include "scratch_files.h"

#include <deal.II/base/utilities.h>

#include <doctest/doctest.h>
#include <lz4.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

using namespace chiptherm;
using namespace chiptherm::solver;

namespace
{
  std::string read_all(const std::string &path)
  {
    std::ifstream      in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  /// The bytes of the DataArray whose opening tag contains tag, inflated.
  std::vector<unsigned char> array_bytes(const std::string &file, const std::string &tag)
  {
    const auto at = file.find(tag);
    REQUIRE(at != std::string::npos);
    const auto        begin = file.find('\n', at) + 1;
    const auto        end   = file.find('\n', begin);
    const std::string text  = file.substr(begin, end - begin);
    // The header: {blocks, block size, partial last block, each block's
    // compressed size}; its first three words are 24 bytes, 32 base64 characters.
    const std::vector<unsigned char> first = dealii::Utilities::decode_base64(text.substr(0, 32));
    REQUIRE(first.size() == 24);
    std::uint64_t words[3];
    std::memcpy(words, first.data(), sizeof words);
    const std::uint64_t n_blocks = words[0], block = words[1], last = words[2];
    const std::size_t   header_chars = 4 * ((8 * (3 + n_blocks) + 2) / 3);
    const std::vector<unsigned char> header = dealii::Utilities::decode_base64(text.substr(0, header_chars));
    REQUIRE(header.size() >= 8 * (3 + n_blocks));
    std::vector<std::uint64_t> sizes(n_blocks);
    std::memcpy(sizes.data(), header.data() + 24, 8 * n_blocks);
    const std::vector<unsigned char> packed = dealii::Utilities::decode_base64(text.substr(header_chars));
    std::vector<unsigned char> raw;
    std::size_t                read = 0;
    for (std::uint64_t b = 0; b < n_blocks; ++b)
      {
        const std::uint64_t size   = b + 1 == n_blocks && last > 0 ? last : block;
        const std::size_t   at_raw = raw.size();
        raw.resize(at_raw + size);
        REQUIRE(read + sizes[b] <= packed.size());
        REQUIRE(LZ4_decompress_safe(reinterpret_cast<const char *>(packed.data() + read),
                                    reinterpret_cast<char *>(raw.data() + at_raw), int(sizes[b]), int(size)) == int(size));
        read += sizes[b];
      }
    return raw;
  }

  template <typename T>
  std::vector<T> array_values(const std::string &file, const std::string &tag)
  {
    const auto     bytes = array_bytes(file, tag);
    std::vector<T> values(bytes.size() / sizeof(T));
    std::memcpy(values.data(), bytes.data(), values.size() * sizeof(T));
    return values;
  }

  /// Two unit cubes side by side sharing a face: 12 points, 2 hexahedra.
  VtuPiece two_cubes()
  {
    VtuPiece piece;
    for (int z = 0; z < 2; ++z)
      for (int y = 0; y < 2; ++y)
        for (int x = 0; x < 3; ++x)
          piece.points.insert(piece.points.end(), {float(x), float(y), float(z)});
    const auto id = [](int x, int y, int z) { return std::int32_t(x + 3 * (y + 2 * z)); };
    for (int c = 0; c < 2; ++c)
      piece.hex_corners.insert(piece.hex_corners.end(), {id(c, 0, 0), id(c + 1, 0, 0), id(c + 1, 1, 0), id(c, 1, 0),
                                                         id(c, 0, 1), id(c + 1, 0, 1), id(c + 1, 1, 1), id(c, 1, 1)});
    std::vector<float> t(12);
    for (std::size_t i = 0; i < t.size(); ++i)
      t[i] = 25.0f + 0.5f * float(i);
    piece.point_fields.emplace_back("temperature_c", t);
    piece.cell_fields.emplace_back("block_id", std::vector<float>{3.0f, 7.0f});
    return piece;
  }
} // namespace

TEST_CASE("a VTU piece reads back array by array")
{
  const VtuPiece    piece = two_cubes();
  const std::string path  = test::scratch_file("chiptherm_vtu", "piece.vtu", "");
  write_vtu(path, piece);
  const std::string file = read_all(path);

  CHECK(file.find("NumberOfPoints=\"12\" NumberOfCells=\"2\"") != std::string::npos);
  CHECK(file.find("compressor=\"vtkLZ4DataCompressor\"") != std::string::npos);
  CHECK(file.rfind("</VTKFile>") == file.size() - std::string("</VTKFile>\n").size());
  CHECK(array_values<float>(file, "NumberOfComponents=\"3\"") == piece.points);
  CHECK(array_values<std::int32_t>(file, "Name=\"connectivity\"") == piece.hex_corners);
  CHECK(array_values<std::int32_t>(file, "Name=\"offsets\"") == std::vector<std::int32_t>{8, 16});
  CHECK(array_values<std::uint8_t>(file, "Name=\"types\"") == std::vector<std::uint8_t>{12, 12});
  CHECK(array_values<float>(file, "Name=\"temperature_c\"") == piece.point_fields[0].second);
  CHECK(array_values<float>(file, "Name=\"block_id\"") == piece.cell_fields[0].second);
  // Point fields before cell fields, each in its section.
  CHECK(file.find("Name=\"temperature_c\"") > file.find("<PointData>"));
  CHECK(file.find("Name=\"block_id\"") > file.find("<CellData>"));
}

TEST_CASE("arrays of several blocks, of a whole number of blocks and empty ones read back")
{
  // Blocks are 1 MiB: the points (12 bytes each) and temperatures end in a
  // partial block, the connectivity fills exactly one, a piece without cells has empty cell arrays.
  VtuPiece          piece;
  const std::size_t n_points = (std::size_t(1) << 18) + 100;
  for (std::size_t i = 0; i < 3 * n_points; ++i)
    piece.points.push_back(float(i % 1000) * 0.25f);
  std::vector<float> t(n_points);
  for (std::size_t i = 0; i < t.size(); ++i)
    t[i] = float(i);
  piece.point_fields.emplace_back("temperature_c", t);
  for (std::int32_t i = 0; i < (1 << 18); ++i)
    piece.hex_corners.push_back(i % 5000);
  const std::string path = test::scratch_file("chiptherm_vtu", "blocks.vtu", "");
  write_vtu(path, piece);
  const std::string file = read_all(path);
  CHECK(array_values<float>(file, "NumberOfComponents=\"3\"") == piece.points);
  CHECK(array_values<float>(file, "Name=\"temperature_c\"") == t);
  CHECK(array_values<std::int32_t>(file, "Name=\"connectivity\"") == piece.hex_corners);

  VtuPiece no_cells;
  no_cells.points = {0.f, 0.f, 0.f};
  write_vtu(path, no_cells);
  const std::string empty = read_all(path);
  CHECK(empty.find("NumberOfCells=\"0\"") != std::string::npos);
  CHECK(array_values<std::int32_t>(empty, "Name=\"connectivity\"").empty());
  CHECK(array_values<float>(empty, "NumberOfComponents=\"3\"") == no_cells.points);
}

TEST_CASE("a VTU piece with a field of the wrong length is refused")
{
  VtuPiece piece = two_cubes();
  piece.cell_fields[0].second.push_back(1.0f);
  CHECK_THROWS_AS(write_vtu(test::scratch_file("chiptherm_vtu", "bad.vtu", ""), piece), std::invalid_argument);
}

TEST_CASE("the parallel record lists the pieces and the fields by association")
{
  const std::string path = test::scratch_file("chiptherm_vtu", "frame.pvtu", "");
  write_pvtu(path, {"frame.0.vtu", "frame.1.vtu"}, two_cubes());
  const std::string file = read_all(path);
  CHECK(file.find("<Piece Source=\"frame.0.vtu\"/>") != std::string::npos);
  CHECK(file.find("<Piece Source=\"frame.1.vtu\"/>") != std::string::npos);
  const auto point_data = file.find("<PPointData>"), cell_data = file.find("<PCellData>");
  CHECK(file.find("Name=\"temperature_c\"") > point_data);
  CHECK(file.find("Name=\"temperature_c\"") < cell_data);
  CHECK(file.find("Name=\"block_id\"") > cell_data);
}

TEST_CASE("a frame written over fixed arrays reads back like a whole piece")
{
  VtuPiece fixed_part = two_cubes();
  fixed_part.point_fields.clear(); // encoded once: points, cells, block_id
  const VtuFixedArrays fixed = encode_fixed_arrays(fixed_part);
  CHECK(fixed.n_points == 12);
  CHECK(fixed.n_cells == 2);
  CHECK(fixed.cell_field_names == std::vector<std::string>{"block_id"});

  VtuPiece frame; // its own fields only
  frame.point_fields = two_cubes().point_fields;
  frame.cell_fields.emplace_back("power_density_w_m3", std::vector<float>{1.5f, 0.0f});
  const std::string path = test::scratch_file("chiptherm_vtu", "frame.vtu", "");
  write_vtu(path, fixed, frame);
  const std::string file = read_all(path);
  CHECK(file.find("NumberOfPoints=\"12\" NumberOfCells=\"2\"") != std::string::npos);
  CHECK(array_values<float>(file, "NumberOfComponents=\"3\"") == fixed_part.points);
  CHECK(array_values<std::int32_t>(file, "Name=\"connectivity\"") == fixed_part.hex_corners);
  CHECK(array_values<float>(file, "Name=\"temperature_c\"") == frame.point_fields[0].second);
  CHECK(array_values<float>(file, "Name=\"power_density_w_m3\"") == frame.cell_fields[0].second);
  CHECK(array_values<float>(file, "Name=\"block_id\"") == fixed_part.cell_fields[0].second);
  CHECK(file.find("Name=\"block_id\"") > file.find("<CellData>"));
  CHECK(file.find("Name=\"block_id\"") < file.find("</CellData>"));

  // A frame whose field does not fit the fixed grid is refused.
  frame.point_fields[0].second.pop_back();
  CHECK_THROWS_AS(write_vtu(path, fixed, frame), std::invalid_argument);
}
