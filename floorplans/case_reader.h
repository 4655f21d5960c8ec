#pragma once
// Reads the geometric and power part of a case file (version, name, units,
// ambient, materials, stack, boundaries, power_models) into a validated ChipModel.
#include "common/case_document.h"
#include "chip_model.h"

namespace chiptherm::floorplans
{
  /// The top-level keys read_chip_model() reads (the other sections belong to
  /// the modules that read them; commands/case_setup checks the whole top level).
  const std::vector<std::string> &model_sections();

  /// Reads the chip from its sections. Throws InputError (file, line, key,
  /// expectation) on anything wrong: the model it returns is consistent
  /// (blocks inside their layers and regions, no overlaps, known materials).
  ChipModel read_chip_model(const CaseDocument &document);
} // namespace chiptherm::floorplans
