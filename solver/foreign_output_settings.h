#pragma once
// The case's `outputs:` section: results also in HotSpot's and 3D-ICE's layouts
// (foreign_outputs.h writes them). No deal.II: read before any mesh.
#include "common/case_node.h"

namespace chiptherm::solver
{
  struct ForeignOutputSettings
  {
    /// The case file's top-level key read_foreign_output_settings() reads.
    static constexpr const char *section = "outputs";
    bool hotspot_steady = false;
    bool threedice_table = false;
  };

  /// The `outputs:` section of the case root (absent: nothing extra).
  ForeignOutputSettings read_foreign_output_settings(const CaseNode &root);
} // namespace chiptherm::solver
