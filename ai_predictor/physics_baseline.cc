#include "physics_baseline.h"

#include <algorithm>
#include <cmath>

namespace chiptherm::ai_predictor
{
  namespace
  {
    /// 1D Gaussian blur along rows or columns, reflecting at the raster's edges
    /// (adiabatic die edges keep their heat).
    void blur_1d(std::vector<double> &f, int rows, int cols, double sigma_px, bool along_cols)
    {
      if (sigma_px < 0.3)
        return;
      const int           reach = int(std::ceil(3 * sigma_px));
      std::vector<double> w(2 * reach + 1);
      double              sum = 0;
      for (int k = -reach; k <= reach; ++k)
        sum += w[k + reach] = std::exp(-0.5 * k * k / (sigma_px * sigma_px));
      for (auto &v : w)
        v /= sum;
      const int           n = along_cols ? cols : rows, lines = along_cols ? rows : cols;
      std::vector<double> line(n), out(n);
      auto reflect = [n](int i) {
        while (i < 0 || i >= n)
          i = i < 0 ? -i - 1 : 2 * n - i - 1;
        return i;
      };
      for (int l = 0; l < lines; ++l)
        {
          for (int i = 0; i < n; ++i)
            line[i] = along_cols ? f[std::size_t(l) * cols + i] : f[std::size_t(i) * cols + l];
          for (int i = 0; i < n; ++i)
            {
              double s = 0;
              for (int k = -reach; k <= reach; ++k)
                s += w[k + reach] * line[reflect(i + k)];
              out[i] = s;
            }
          for (int i = 0; i < n; ++i)
            (along_cols ? f[std::size_t(l) * cols + i] : f[std::size_t(i) * cols + l]) = out[i];
        }
    }
  } // namespace

  Baseline physics_baseline(const DieRaster &r)
  {
    if (r.package_rise_k.empty())
      return blurred_power_rise(r);
    Baseline     b;
    const int    die_c = DieRaster::channel("die");
    double       sum = 0, pixels = 0;
    b.rise_k = r.package_rise_k;
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        sum += r.package_rise_k[std::size_t(row) * r.cols + col] * r.at(die_c, row, col), pixels += r.at(die_c, row, col);
    b.scale_k = pixels > 0 && sum > 0 ? sum / pixels : 1.0;
    return b;
  }

  Baseline blurred_power_rise(const DieRaster &r, double blur_factor)
  {
    const int    power_c = DieRaster::channel("power"), die_c = DieRaster::channel("die");
    const double g       = 1e4 * std::pow(10.0, r.at(DieRaster::channel("vertical"), 0, 0));  // W/(m^2 K)
    const double kt      = 0.01 * std::pow(10.0, r.at(DieRaster::channel("lateral"), 0, 0)); // W/K
    Baseline     b;
    b.healing_length_m = std::sqrt(kt / g);
    std::vector<double> f(std::size_t(r.rows) * r.cols);
    double              die_sum = 0, die_pixels = 0;
    for (int row = 0; row < r.rows; ++row)
      for (int col = 0; col < r.cols; ++col)
        {
          const double rise = r.at(power_c, row, col) * power_density_scale_w_m2 / g;
          f[std::size_t(row) * r.cols + col] = rise;
          die_sum += rise * r.at(die_c, row, col);
          die_pixels += r.at(die_c, row, col);
        }
    const double sigma_px = blur_factor * b.healing_length_m / r.pixel_m;
    blur_1d(f, r.rows, r.cols, sigma_px, true);
    blur_1d(f, r.rows, r.cols, sigma_px, false);
    b.rise_k.assign(f.begin(), f.end());
    b.scale_k = die_pixels > 0 && die_sum > 0 ? die_sum / die_pixels : 1.0;
    return b;
  }
} // namespace chiptherm::ai_predictor
