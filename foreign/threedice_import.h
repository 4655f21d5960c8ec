#pragma once
// A 3D-ICE stack description -> a native case file (YAML text, commented).
// The stack is written bottom to top (3D-ICE lists it top first); each die
// becomes one layer per die layer, its source layer named after the die and
// holding the floorplan's elements as blocks; the heat sinks become top and
// bottom film coefficients; `solver: transient` becomes a transient section
// with each element's power values as a step schedule, one value per slot.
// No deal.II here.
#include "hotspot_import.h" // ImportedCase

#include <string>

namespace chiptherm::foreign
{
  /// Reads and checks the stack and its floorplans (InputError with file and
  /// line) and writes the case. The case refers to no other file: the
  /// floorplans' elements are written into it.
  ImportedCase import_threedice(const std::string &stack_file);
} // namespace chiptherm::foreign
