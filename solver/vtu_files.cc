#include "vtu_files.h"

#include "common/output_file.h"
#include <deal.II/base/utilities.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <zlib.h>

namespace chiptherm::solver
{
  namespace
  {
    std::vector<unsigned char> as_bytes(const void *data, std::size_t n_bytes)
    {
      const auto *begin = static_cast<const unsigned char *>(data);
      return {begin, begin + n_bytes};
    }

    /// VTK's inline compressed binary: base64(header) base64(zlib(data)), the
    /// header (UInt64 words) being {blocks, block size, last block size,
    /// compressed size of each block}; one block, or none for an empty array.
    std::string compressed_base64(const void *data, std::size_t n_bytes)
    {
      if (n_bytes == 0)
        {
          const std::uint64_t header[3] = {0, 0, 0};
          return dealii::Utilities::encode_base64(as_bytes(header, sizeof header));
        }
      uLongf                     size = compressBound(uLong(n_bytes));
      std::vector<unsigned char> packed(size);
      // Level 1: zlib's best compression costs seconds per million cells and
      // saves ~20 % of the size.
      if (compress2(packed.data(), &size, static_cast<const Bytef *>(data), uLong(n_bytes), Z_BEST_SPEED) != Z_OK)
        throw std::runtime_error("zlib could not compress a VTU array");
      packed.resize(size);
      const std::uint64_t header[4] = {1, n_bytes, n_bytes, size};
      return dealii::Utilities::encode_base64(as_bytes(header, sizeof header)) +
             dealii::Utilities::encode_base64(packed);
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
      std::snprintf(line, sizeof line, file_header, type, compressed ? " compressor=\"vtkZLibDataCompressor\"" : "");
      out << line;
    }
  } // namespace

  namespace
  {
    /// The <Points> and <Cells> elements of piece.
    std::string geometry_elements(const VtuPiece &piece)
    {
      static_assert(sizeof(float) == 4, "Float32 arrays");
      const std::size_t         n_cells = piece.n_cells();
      std::vector<std::int64_t> offsets(n_cells);
      for (std::size_t c = 0; c < n_cells; ++c)
        offsets[c] = std::int64_t(8 * (c + 1));
      const std::vector<std::uint8_t> types(n_cells, 12); // VTK_HEXAHEDRON
      std::ostringstream              out;
      out << "<Points>\n";
      data_array(out, "Float32", "", 3, piece.points);
      out << "</Points>\n<Cells>\n";
      data_array(out, "Int32", "connectivity", 1, piece.hex_corners);
      data_array(out, "Int64", "offsets", 1, offsets);
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
