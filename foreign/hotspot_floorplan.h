#pragma once
// HotSpot floorplans (.flp, ../shared/docs/foreign-formats.md): one unit per
// line, `name width height left-x bottom-y [heat-capacity resistivity]` in SI
// units; `#` comments; three-token lines are wire connectivity and skipped.
// The units must tile their bounding box (the die), up to a tolerance for
// rounding (default 1 um): an overlap that thin is cut from the later unit, a
// gap that thin is left to the die's material without power (HotSpot itself
// checks neither; its ev6.flp has two 1 um slivers); each is noted in
// `absorbed`. Thicker overlaps and gaps are errors naming the file and lines.
// No deal.II here.
#include <optional>
#include <string>
#include <vector>

namespace chiptherm::foreign
{
  struct HotspotUnit
  {
    std::string           name;
    double                width_m = 0, height_m = 0, left_m = 0, bottom_m = 0;
    std::optional<double> heat_capacity_j_m3k; ///< with resistivity: a per-unit material
    std::optional<double> resistivity_mk_w;
    int                   line = 0;            ///< 1-based line in the file
  };

  struct HotspotFloorplan
  {
    std::string              file;
    std::vector<HotspotUnit> units;
    /// The die: the bounding box of the units, m.
    double left_m = 0, bottom_m = 0, width_m = 0, height_m = 0;
    /// One line per overlap or gap absorbed (file, units, size), for warnings.
    std::vector<std::string> absorbed;
  };

  /// Reads and checks path. Throws InputError (file, line, what was expected).
  HotspotFloorplan read_hotspot_floorplan(const std::string &path, double tolerance_m = 1e-6);
} // namespace chiptherm::foreign
