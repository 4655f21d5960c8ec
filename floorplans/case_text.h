#pragma once
// Writing a native case file as text, for the importers and the predictor's
// floorplan generator: numbers that read
// back exactly and look like what a person would type, names quoted only when
// YAML needs it, a block type guessed from a foreign unit's name, and paths
// relative to the case file. No deal.II here.
#include <string>

namespace chiptherm::floorplans
{
  /// Shortest text that reads back as value to 12 significant digits (150, 1.75e+06, 0.1).
  std::string number_text(double value);
  /// metres as micrometres, the imported cases' length unit.
  std::string um_text(double metres);
  /// A YAML scalar for a name: bare when it is safe, else double-quoted.
  std::string name_text(const std::string &name);
  /// chiptherm's block type for a foreign unit, from its name: caches and
  /// memories are memory, PLLs and clocks clock, ADCs/DACs/sensors analog,
  /// I/O and PHYs io, regulators pmic, lasers/optics photonic; else logic.
  std::string guess_block_type(const std::string &unit_name);
  /// file as the case at case_path should name it: relative to the case's
  /// folder, or absolute when case_path is empty (a case built in memory).
  std::string path_from_case(const std::string &file, const std::string &case_path);
} // namespace chiptherm::floorplans
