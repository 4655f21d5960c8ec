#include "foreign_output_settings.h"

namespace chiptherm::solver
{
  ForeignOutputSettings read_foreign_output_settings(const CaseNode &root)
  {
    ForeignOutputSettings s;
    const CaseNode        n = root.optional("outputs");
    if (!n.is_defined())
      return s;
    n.expect_keys({"hotspot_steady", "3dice_table"});
    if (n.has("hotspot_steady"))
      s.hotspot_steady = n.at("hotspot_steady").choice({"true", "false"}) == "true";
    if (n.has("3dice_table"))
      s.threedice_table = n.at("3dice_table").choice({"true", "false"}) == "true";
    return s;
  }
} // namespace chiptherm::solver
