#include "refinement_from_prediction.h"

#include "prediction_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace chiptherm::ai_predictor
{
  std::vector<float> refinement_priority(const DieRaster &r, const std::vector<float> &rise)
  {
    const auto          g   = gradient_magnitude(r, rise);
    const int           die = DieRaster::channel("die");
    std::vector<double> on_die_g;
    double              t_min = 1e300, t_max = -1e300;
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        if (r.at(die, row, col) > 0.5f)
          {
            const std::size_t i = std::size_t(row) * r.cols + col;
            on_die_g.push_back(g[i]);
            t_min = std::min(t_min, double(rise[i])), t_max = std::max(t_max, double(rise[i]));
          }
    std::vector<float> p(rise.size(), 0.0f);
    if (on_die_g.empty())
      return p;
    std::nth_element(on_die_g.begin(), on_die_g.begin() + std::size_t(0.95 * (on_die_g.size() - 1)), on_die_g.end());
    const double g95 = std::max(on_die_g[std::size_t(0.95 * (on_die_g.size() - 1))], 1e-30);
    std::vector<double> ranked;
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        {
          const std::size_t i = std::size_t(row) * r.cols + col;
          if (r.at(die, row, col) <= 0.5f)
            continue;
          const double hot = t_max > t_min ? std::pow((rise[i] - t_min) / (t_max - t_min), 8.0) : 0.0;
          p[i]             = float(std::min(1.0, std::max(g[i] / g95, hot)));
          ranked.push_back(p[i]);
        }
    // Only the top quarter of the die asks for anything (what the recall metric
    // scores): the first mesh stays small, the estimator does the rest.
    std::nth_element(ranked.begin(), ranked.begin() + std::size_t(0.75 * (ranked.size() - 1)), ranked.end());
    const double cut = std::max(0.05, ranked[std::size_t(0.75 * (ranked.size() - 1))]);
    for (auto &v : p)
      if (v < cut)
        v = 0.0f;
    return p;
  }

  void write_map_csv(const std::string &path, const DieRaster &r, const std::vector<float> &map)
  {
    std::ofstream out(path);
    char          buf[32];
    for (int row = 0; row < r.rows; ++row)
      {
        for (int col = 0; col < r.cols; ++col)
          {
            std::snprintf(buf, sizeof buf, "%s%.6g", col ? "," : "", map[std::size_t(row) * r.cols + col]);
            out << buf;
          }
        out << "\n";
      }
  }

  void write_map_vtk(const std::string &path, const DieRaster &r,
                     const std::vector<std::pair<std::string, const std::vector<float> *>> &fields)
  {
    std::ofstream out(path);
    out << "# vtk DataFile Version 3.0\nchiptherm predicted maps of die " << r.die << "\nASCII\nDATASET STRUCTURED_POINTS\n"
        << "DIMENSIONS " << r.cols << " " << r.rows << " 1\n"
        << "ORIGIN " << r.extent.x + 0.5 * r.pixel_m << " " << r.extent.y + 0.5 * r.pixel_m << " 0\n"
        << "SPACING " << r.pixel_m << " " << r.pixel_m << " 1\n"
        << "POINT_DATA " << r.rows * r.cols << "\n";
    for (const auto &[name, map] : fields)
      {
        out << "SCALARS " << name << " float 1\nLOOKUP_TABLE default\n";
        for (const float v : *map)
          out << v << "\n";
      }
  }
} // namespace chiptherm::ai_predictor
