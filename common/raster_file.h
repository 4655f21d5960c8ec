#pragma once
// Rasters of numbers from files: CSV and NumPy .npy, for refinement maps and
// power maps (row 0 first as stored; the maps say which way is up). No deal.II.
#include <cstddef>
#include <string>
#include <vector>

namespace chiptherm
{
  struct Raster
  {
    std::size_t         nx = 0, ny = 0;
    std::size_t         nt = 1;  ///< frames (a 3D .npy of shape (T, ny, nx)); values hold them one after another
    std::vector<double> values; ///< row-major, row 0 first as stored
  };

  /// CSV: one row per line, comma-separated numbers, '#' starts a comment;
  /// every row the same length. Throws InputError naming file and line;
  /// `what` names the file's role in messages ("power map file").
  Raster read_raster_csv(const std::string &path, const std::string &what);
  /// NumPy .npy (format 1.0-3.0): 2D, little-endian float64/float32/int64/int32/uint8/uint16.
  /// A shape with a side above max_side (0: no limit) is refused from the header,
  /// before the data is read. With frames, a 3D shape (T, ny, nx) is read too.
  Raster read_raster_npy(const std::string &path, const std::string &what, std::size_t max_side = 0,
                         bool frames = false);
} // namespace chiptherm
