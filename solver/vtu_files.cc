#include "vtu_files.h"

#include "common/base64_text.h"
#include "common/output_file.h"

#include <lz4.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace chiptherm::solver
{
  namespace
  {
    /// Uncompressed bytes per block: LZ4 takes at most ~2 GB at once, and a
    /// reader inflates one block at a time.
    constexpr std::size_t block_bytes = std::size_t(1) << 20;

    /// VTK's inline compressed binary: base64(header) base64(blocks), the
    /// header (UInt64 words) being {blocks, block size, size of the last block
    /// when it is partial (else 0), compressed size of each block}, each block
    /// LZ4-compressed on its own (vtkLZ4DataCompressor).
    std::string compressed_base64(const void *data, std::size_t n_bytes)
    {
      const std::size_t          n_blocks = (n_bytes + block_bytes - 1) / block_bytes;
      std::vector<std::uint64_t> header{n_blocks, n_blocks > 0 ? block_bytes : 0, n_bytes % block_bytes};
      const int                  bound = LZ4_compressBound(int(block_bytes));
      std::vector<unsigned char> packed(n_blocks * std::size_t(bound));
      std::size_t                used = 0;
      for (std::size_t b = 0; b < n_blocks; ++b)
        {
          const std::size_t begin = b * block_bytes, size = std::min(block_bytes, n_bytes - begin);
          const int         n = LZ4_compress_default(static_cast<const char *>(data) + begin,
                                                     reinterpret_cast<char *>(packed.data() + used), int(size), bound);
          if (n <= 0)
            throw std::runtime_error("LZ4 could not compress a VTU array");
          header.push_back(std::uint64_t(n));
          used += std::size_t(n);
        }
      std::string encoded;
      append_base64(encoded, reinterpret_cast<const unsigned char *>(header.data()),
                    header.size() * sizeof(std::uint64_t));
      append_base64(encoded, packed.data(), used);
      return encoded;
    }

    template <typename T>
    void data_array(std::ostream &out, const char *type, const std::string &name, unsigned int components,
                    const std::vector<T> &values)
    {
      out << "<DataArray type=\"" << type << "\"";
      if (!name.empty())
        out << " Name=\"" << name << "\"";
      if (components > 1)
        out << " NumberOfComponents=\"" << components << "\"";
      out << " format=\"binary\">\n" << compressed_base64(values.data(), values.size() * sizeof(T)) << "\n</DataArray>\n";
    }

    void check_lengths(const std::vector<std::pair<std::string, std::vector<float>>> &fields, std::size_t n,
                       const char *what)
    {
      for (const auto &[name, values] : fields)
        if (values.size() != n)
          throw std::invalid_argument("VTU " + std::string(what) + " field " + name + " has " +
                                      std::to_string(values.size()) + " values for " + std::to_string(n));
    }

    const char *file_header = "<?xml version=\"1.0\"?>\n<VTKFile type=\"%s\" version=\"1.0\" "
                              "byte_order=\"LittleEndian\" header_type=\"UInt64\"%s>\n";

    void open_file(std::ostream &out, const char *type, bool compressed)
    {
      char line[256];
      std::snprintf(line, sizeof line, file_header, type, compressed ? " compressor=\"vtkLZ4DataCompressor\"" : "");
      out << line;
    }
  } // namespace

  namespace
  {
    /// Where each cell's corners end in the connectivity: 8, 16, ...
    template <typename T>
    std::vector<T> cell_offsets(std::size_t n_cells)
    {
      std::vector<T> offsets(n_cells);
      for (std::size_t c = 0; c < n_cells; ++c)
        offsets[c] = T(8 * (c + 1));
      return offsets;
    }

    /// The <Points> and <Cells> elements of piece.
    std::string geometry_elements(const VtuPiece &piece)
    {
      static_assert(sizeof(float) == 4, "Float32 arrays");
      const std::size_t               n_cells = piece.n_cells();
      const std::vector<std::uint8_t> types(n_cells, 12); // VTK_HEXAHEDRON
      std::ostringstream              out;
      out << "<Points>\n";
      data_array(out, "Float32", "", 3, piece.points);
      out << "</Points>\n<Cells>\n";
      data_array(out, "Int32", "connectivity", 1, piece.hex_corners);
      // The offsets in 32 bits while they fit (half the bytes), else in 64.
      if (8 * n_cells <= std::size_t(std::numeric_limits<std::int32_t>::max()))
        data_array(out, "Int32", "offsets", 1, cell_offsets<std::int32_t>(n_cells));
      else
        data_array(out, "Int64", "offsets", 1, cell_offsets<std::int64_t>(n_cells));
      data_array(out, "UInt8", "types", 1, types);
      out << "</Cells>\n";
      return out.str();
    }
  } // namespace

  VtuFixedArrays encode_fixed_arrays(const VtuPiece &piece)
  {
    VtuFixedArrays fixed;
    fixed.n_points = piece.n_points(), fixed.n_cells = piece.n_cells();
    check_lengths(piece.cell_fields, fixed.n_cells, "cell");
    fixed.geometry = geometry_elements(piece);
    std::ostringstream cell_data;
    for (const auto &[name, values] : piece.cell_fields)
      {
        data_array(cell_data, "Float32", name, 1, values);
        fixed.cell_field_names.push_back(name);
      }
    fixed.cell_data = cell_data.str();
    return fixed;
  }

  void write_vtu(const std::string &path, const VtuFixedArrays &fixed, const VtuPiece &frame)
  {
    check_lengths(frame.point_fields, fixed.n_points, "point");
    check_lengths(frame.cell_fields, fixed.n_cells, "cell");
    std::ofstream out(path, std::ios::binary);
    open_file(out, "UnstructuredGrid", true);
    out << "<UnstructuredGrid>\n<Piece NumberOfPoints=\"" << fixed.n_points << "\" NumberOfCells=\"" << fixed.n_cells
        << "\">\n"
        << fixed.geometry << "<PointData>\n";
    for (const auto &[name, values] : frame.point_fields)
      data_array(out, "Float32", name, 1, values);
    out << "</PointData>\n<CellData>\n";
    for (const auto &[name, values] : frame.cell_fields)
      data_array(out, "Float32", name, 1, values);
    out << fixed.cell_data << "</CellData>\n</Piece>\n</UnstructuredGrid>\n</VTKFile>\n";
    check_written(out, path);
  }

  void write_vtu(const std::string &path, const VtuPiece &piece)
  {
    VtuFixedArrays geometry;
    geometry.n_points = piece.n_points(), geometry.n_cells = piece.n_cells();
    geometry.geometry = geometry_elements(piece);
    write_vtu(path, geometry, piece);
  }

  void write_pvtu(const std::string &path, const std::vector<std::string> &piece_files, const VtuPiece &layout)
  {
    std::ofstream out(path);
    open_file(out, "PUnstructuredGrid", false);
    out << "<PUnstructuredGrid GhostLevel=\"0\">\n<PPointData>\n";
    for (const auto &field : layout.point_fields)
      out << "<PDataArray type=\"Float32\" Name=\"" << field.first << "\"/>\n";
    out << "</PPointData>\n<PCellData>\n";
    for (const auto &field : layout.cell_fields)
      out << "<PDataArray type=\"Float32\" Name=\"" << field.first << "\"/>\n";
    out << "</PCellData>\n<PPoints>\n<PDataArray type=\"Float32\" NumberOfComponents=\"3\"/>\n</PPoints>\n";
    for (const auto &file : piece_files)
      out << "<Piece Source=\"" << file << "\"/>\n";
    out << "</PUnstructuredGrid>\n</VTKFile>\n";
    check_written(out, path);
  }
} // namespace chiptherm::solver
