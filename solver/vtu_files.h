#pragma once
// The VTK XML files ParaView reads: one rank's piece of an unstructured grid of
// linear hexahedra (.vtu) and the parallel record that lists the pieces (.pvtu).
// Arrays are inline, LZ4-compressed in blocks of 1 MiB and base64-encoded, as
// VTK's own writer does with its LZ4 compressor (vtkLZ4DataCompressor, read by
// ParaView 5.11): about 5x faster to compress than zlib's fastest level, for
// files 1.64x larger (docs/benchmarks.md, "Huge pages only for small runs; LZ4
// for the ParaView files"). The files stay well-formed XML. Format only: what the points, cells and fields
// mean is the caller's (solution_writer.cc).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace chiptherm::solver
{
  /// One rank's share of the grid. Every point is stored once; a cell names its
  /// eight corners in VTK's hexahedron order.
  struct VtuPiece
  {
    std::vector<float>                                          points;       ///< x, y, z per point (m)
    std::vector<std::int32_t>                                   hex_corners;  ///< 8 point indices per cell
    std::vector<std::pair<std::string, std::vector<float>>>     point_fields; ///< one value per point
    std::vector<std::pair<std::string, std::vector<float>>>     cell_fields;  ///< one value per cell

    std::size_t n_points() const { return points.size() / 3; }
    std::size_t n_cells() const { return hex_corners.size() / 8; }
  };

  /// Writes piece to path (replacing it); throws OutputError when the stream
  /// fails and std::invalid_argument when a field's length does not match.
  void write_vtu(const std::string &path, const VtuPiece &piece);

  /// The arrays of a piece that stay the same from frame to frame of a time
  /// series on one mesh, encoded once: the points, the cells and some cell fields.
  struct VtuFixedArrays
  {
    std::size_t              n_points = 0, n_cells = 0;
    std::string              geometry;         ///< the <Points> and <Cells> elements
    std::string              cell_data;        ///< the fixed cell fields' <DataArray> elements
    std::vector<std::string> cell_field_names; ///< their names, in that order
  };

  /// Encodes piece's points, cells and cell fields (not its point fields).
  VtuFixedArrays encode_fixed_arrays(const VtuPiece &piece);

  /// Writes a piece made of fixed arrays and the frame's own fields (frame's
  /// points and cells are not used; its cell fields come before the fixed ones).
  void write_vtu(const std::string &path, const VtuFixedArrays &fixed, const VtuPiece &frame);

  /// Writes the .pvtu record at path listing piece_files (relative to it), with
  /// the field names of layout (any rank's piece: all carry the same fields).
  void write_pvtu(const std::string &path, const std::vector<std::string> &piece_files, const VtuPiece &layout);
} // namespace chiptherm::solver
