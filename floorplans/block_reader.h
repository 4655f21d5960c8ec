#pragma once
// A case file's blocks: name, type, rectangle, power (a number, a schedule,
// DVFS operating points, an activity factor), leakage and limits, with the
// defaults per block type of the case's power_models section.
#include "chip_model.h"
#include "common/case_node.h"

#include <array>
#include <optional>
#include <string>

namespace chiptherm::floorplans
{
  /// power_models: {<block type>: {leakage: {...}, activity: a}, ...}: what
  /// blocks of a type get when they do not say themselves.
  struct TypeDefaults
  {
    std::optional<CaseNode> leakage, activity;
  };
  using PowerModelDefaults = std::array<TypeDefaults, n_block_types>;

  /// Reads (and checks) the power_models section; absent: no defaults.
  PowerModelDefaults read_power_models(const CaseNode &power_models_section);

  /// One block; its rect is relative to (origin_x, origin_y) (a region's
  /// corner, or 0), owner names its layer or region in messages.
  Block read_block(const CaseNode &n, double origin_x, double origin_y, const std::string &owner,
                   const PowerModelDefaults &defaults);
} // namespace chiptherm::floorplans
