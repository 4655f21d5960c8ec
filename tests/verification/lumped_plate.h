#pragma once
// A 10 mm x 10 mm, 100 um plate that conducts so well it is one temperature
// (Biot number h t / k = 2e-7), cooled by h = 2000 W/(m^2 K) on top at 45 C:
// R = 1 / (h A) = 5 K/W, C = rho c V = 0.01 J/K, RC = 50 ms. One block covers
// it. The co-design verification tests (steady and transient) use it.
#include <string>

namespace chiptherm::testing
{
  constexpr double plate_r_k_w = 5, plate_c_j_k = 0.01, plate_ambient_k = 318.15;

  /// The plate's case file text up to its block's power keys (which follow:
  /// "power: 5, leakage: {...}}" or "dvfs: {...}}"), then tail.
  inline std::string lumped_plate(const std::string &block_keys, const std::string &tail = "")
  {
    return R"(version: 1
units: {length: um, temperature: C}
ambient: 45
materials:
  - {name: ideal, conductivity: 1e6, heat_capacity: 1e6}
stack:
  - name: die
    material: ideal
    thickness: 100
    footprint: [0, 0, 10000, 10000]
    blocks:
      - {name: core, type: logic, rect: [0, 0, 10000, 10000], )" +
           block_keys + R"(}
boundaries:
  top: {h: 2000}
mesh: {die_cell_size: 2500, package_cell_size: 2500, vertical_cell_size: 100}
)" + tail;
  }
} // namespace chiptherm::testing
