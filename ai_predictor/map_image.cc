#include "map_image.h"

#include "common/errors.h"

#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace chiptherm::ai_predictor
{
  namespace
  {
    /// Inferno-like: black, purple, red, orange, pale yellow.
    std::array<unsigned char, 3> colour(double t)
    {
      static const double stops[][3] = {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};
      t             = std::clamp(t, 0.0, 1.0) * 4;
      const int    i = std::min(3, int(t));
      const double f = t - i;
      std::array<unsigned char, 3> c;
      for (int k = 0; k < 3; ++k)
        c[k] = static_cast<unsigned char>(std::lround(stops[i][k] + f * (stops[i + 1][k] - stops[i][k])));
      return c;
    }
  } // namespace

  void write_map_png(const std::string &path, const DieRaster &r, const std::vector<float> &map, int scale)
  {
    const int die = DieRaster::channel("die");
    double    lo = 1e300, hi = -1e300;
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        if (r.at(die, row, col) > 0.5f)
          lo = std::min(lo, double(map[std::size_t(row) * r.cols + col])),
          hi = std::max(hi, double(map[std::size_t(row) * r.cols + col]));
    const int                  width = r.cols * scale, height = r.rows * scale;
    std::vector<unsigned char> rgb(std::size_t(width) * height * 3);
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x)
        {
          const int row = r.rows - 1 - y / scale, col = x / scale; // image row 0 is the top
          const auto c  = r.at(die, row, col) > 0.5f
                            ? colour(hi > lo ? (map[std::size_t(row) * r.cols + col] - lo) / (hi - lo) : 0.5)
                            : std::array<unsigned char, 3>{60, 60, 60};
          std::copy(c.begin(), c.end(), rgb.begin() + (std::size_t(y) * width + x) * 3);
        }
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width   = width;
    image.height  = height;
    image.format  = PNG_FORMAT_RGB;
    if (!png_image_write_to_file(&image, path.c_str(), 0, rgb.data(), 0, nullptr))
      throw InputError(SourceLocation{path, -1, ""}, std::string("cannot write the PNG: ") + image.message);
  }
} // namespace chiptherm::ai_predictor
