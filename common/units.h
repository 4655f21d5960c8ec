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

  inline double kelvin_to_celsius(double t_k) { return t_k - Units::kelvin_offset; }
} // namespace chiptherm
