#pragma once
// HotSpot inputs -> a native case file (YAML text, commented): the package
// HotSpot assumes, built as a 3D stack (../shared/docs/foreign-formats.md).
// Without a layer file: die (the floorplan's bounding box, -t_chip), TIM
// (-t_interface), spreader and sink (square, centred), bottom to top. With an
// .lcf: its layers (0 at the bottom), then spreader and sink, as HotSpot
// appends them. Convection -r_convec over the sink's top face; other faces
// adiabatic. Steady power: each trace column's mean; transient: the trace
// itself, one row per -sampling_intvl, from -init_temp. No deal.II here.
#include "hotspot_config.h"

#include <string>
#include <vector>

namespace chiptherm::foreign
{
  struct HotspotInputs
  {
    std::string flp;       ///< required unless lcf is given
    std::string ptrace;    ///< required, as HotSpot requires -p
    std::string config;    ///< optional .config (-key value lines)
    std::string lcf;       ///< optional layer file (else -grid_layer_file)
    std::string materials; ///< optional materials file (else -materials_file)
    std::vector<HotspotOption> options; ///< -key value from a command line; override the config file
    double flp_tolerance_m = 1e-6; ///< gaps and overlaps this thin are absorbed (hotspot_floorplan.h)
  };

  /// The inputs of a HotSpot command line: -c, -f, -p and every other -key value
  /// (where names the command, for messages).
  HotspotInputs hotspot_inputs_from_arguments(const std::vector<std::string> &arguments, const std::string &where);

  struct ImportedCase
  {
    std::string name; ///< case name (the floorplan's file name without extension)
    std::string yaml; ///< the case file's text
    std::vector<std::string> warnings; ///< what was absorbed or guessed, for the user (also in the text)
  };

  /// Reads and checks every file (InputError with file and line), and writes
  /// the case. case_path is where the case will be saved (file references in
  /// it are relative to its folder); empty for a case used in memory (absolute
  /// references).
  ImportedCase import_hotspot(const HotspotInputs &inputs, const std::string &case_path);
} // namespace chiptherm::foreign
