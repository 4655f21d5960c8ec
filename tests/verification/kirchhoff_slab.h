#pragma once
// A slab of k(T) = k0 (T/T0)^a, solved exactly through the Kirchhoff
// transform: 2 W uniform in a 1 mm x 1 mm x 2 mm silicon-like column,
// adiabatic but for h = 1e5 W/(m^2 K) on top (20 K across the film, ~16 K
// inside, k falls ~15 %). The steady and transient k(T) tests share it.
#include <cmath>
#include <string>

namespace chiptherm::testing
{
  struct KirchhoffSlab
  {
    double k0 = 148, t0 = 300, a = -1.3, power_w = 2.0, area_m2 = 1e-6, length_m = 2e-3, h = 1e5, ambient_k = 318.15;

    /// The case file, with `solver:` given (degree, tolerances) and cell_um cells through the slab.
    static std::string case_text(const std::string &solver, int cell_um)
    {
      return R"(version: 1
units: {length: um, temperature: C}
ambient: 45
materials:
  - {name: hot_silicon, conductivity: {k0: 148, t0_k: 300, exponent: -1.3}, heat_capacity: 1.66e6}
stack:
  - name: die
    material: hot_silicon
    thickness: 2000
    footprint: [0, 0, 1000, 1000]
    blocks: [{name: all, type: logic, rect: [0, 0, 1000, 1000], power: 2.0}]
boundaries:
  top: {h: 1e5}
solver: )" + solver + R"(
mesh: {die_cell_size: 1000, package_cell_size: 1000, vertical_cell_size: )" +
             std::to_string(cell_um) + "}\n";
    }

    /// Theta(T) = integral from T0 to T of k(s)/k0 ds solves -k0 Theta'' = q with
    /// Theta'(0) = 0 and the top at T_top = ambient + (P/A)/h: T at height z (m).
    double temperature(double z) const
    {
      const double q     = power_w / (area_m2 * length_m);
      const double t_top = ambient_k + power_w / area_m2 / h;
      const double theta = t0 / (a + 1) * (std::pow(t_top / t0, a + 1) - 1) +
                           q / (2 * k0) * (length_m * length_m - z * z);
      return t0 * std::pow(1 + (a + 1) * theta / t0, 1 / (a + 1));
    }
    /// The same slab's rise with a constant k0: what a solver ignoring k(T) gives.
    double constant_k_rise() const
    {
      return power_w / area_m2 / h + power_w / (area_m2 * length_m) * length_m * length_m / (2 * k0);
    }
  };
} // namespace chiptherm::testing
