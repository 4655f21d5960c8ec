#pragma once
// Reads the geometric and power part of a case file (version, name, units,
// ambient, materials, stack, boundaries) into a validated ChipModel.
#include "../common/case_document.h"
#include "chip_model.h"

namespace chiptherm::floorplans
{
  /// Top-level keys a case file may hold; each section belongs to one module.
  const std::vector<std::string> &case_sections();

  /// Validates the top level and reads the chip. Throws InputError (file, line,
  /// key, expectation) on anything wrong: the model it returns is consistent
  /// (blocks inside their layers and regions, no overlaps, known materials).
  ChipModel read_chip_model(const CaseDocument &document);
} // namespace chiptherm::floorplans
