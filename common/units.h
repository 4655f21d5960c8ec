#pragma once
// Units of a case file. Everything inside chiptherm is SI (m, W, K); values are
// converted here, at the edge, when a case file is read.
#include <string>

namespace chiptherm
{
  struct Units
  {
    double      length_to_m = 1e-6;  ///< metres per case length unit
    bool        celsius     = true;  ///< case temperatures in C (else K)
    std::string length_name = "um";

    /// Absolute temperature in the case unit -> kelvin.
    double to_kelvin(double t) const { return celsius ? t + kelvin_offset : t; }
    /// Kelvin -> absolute temperature in the case unit.
    double from_kelvin(double t) const { return celsius ? t - kelvin_offset : t; }

    static constexpr double kelvin_offset = 273.15;
  };

  /// Physical ranges of what a case describes (issue 22): values outside are input errors,
  /// so that a typo cannot ask for a kilometre-wide package or a gigawatt block.
  namespace physical_range
  {
    constexpr double max_length_m = 1.0;  ///< coordinates and sizes: a package is well under 1 m
    constexpr double max_power_w  = 1e5;  ///< one block, schedule point or map (a wafer is ~20 kW)
    /// Materials: air conducts 0.026 W/(m K), diamond 2200, vapour chambers an effective ~1e5;
    /// the ceiling leaves room for idealised isothermal plates, the floor for HotSpot's "no
    /// lateral heat flow" layers (in-plane k x 1e-6).
    constexpr double min_conductivity_w_mk = 1e-9, max_conductivity_w_mk = 1e7;
    /// Volumetric heat capacity: air 1.2e3 J/(m^3 K), water 4.2e6, metals 2.5-3.5e6.
    constexpr double min_heat_capacity_j_m3k = 1.0, max_heat_capacity_j_m3k = 1e8;
    /// Film coefficients: natural convection ~5 W/(m^2 K), two-phase/jet cooling ~1e6.
    constexpr double max_film_coefficient_w_m2k = 1e8;
    /// Temperatures given and computed: silicon melts at 1414 C, solder near 220 C; a chip
    /// above 1000 C means the input is wrong (a power or a cooling off by orders of magnitude).
    constexpr double max_temperature_k = 1000.0 + 273.15;
  } // namespace physical_range

  inline double kelvin_to_celsius(double t_k) { return t_k - Units::kelvin_offset; }
} // namespace chiptherm
