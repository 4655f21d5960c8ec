#include "hotspot_floorplan.h"

#include "token_lines.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace chiptherm::foreign
{
  HotspotFloorplan read_hotspot_floorplan(const std::string &path)
  {
    HotspotFloorplan      plan;
    plan.file = path;
    std::set<std::string> names;
    for (const auto &[line, t] : read_token_lines(path, "HotSpot floorplan"))
      {
        if (t.size() == 3) // wire connectivity, for HotSpot's floorplanner
          continue;
        const SourceLocation at{path, line, ""};
        if (t.size() != 5 && t.size() != 7)
          throw InputError(at, "expected 'name width height left-x bottom-y' (5 values) or those plus heat capacity and "
                               "resistivity (7), got " + std::to_string(t.size()) + " values");
        HotspotUnit u;
        u.name     = t[0];
        u.line     = line;
        u.width_m  = parse_number(t[1], at, "width (m)");
        u.height_m = parse_number(t[2], at, "height (m)");
        u.left_m   = parse_number(t[3], at, "left-x (m)");
        u.bottom_m = parse_number(t[4], at, "bottom-y (m)");
        if (!(u.width_m > 0) || !(u.height_m > 0))
          throw InputError(at, "expected a positive width and height for unit '" + u.name + "'");
        if (t.size() == 7)
          {
            u.heat_capacity_j_m3k = parse_positive(t[5], at, "volumetric heat capacity (J/(m^3 K))");
            u.resistivity_mk_w    = parse_positive(t[6], at, "resistivity (m K/W)");
          }
        if (!names.insert(u.name).second)
          throw InputError(at, "unit '" + u.name + "' is defined twice");
        plan.units.push_back(u);
      }
    if (plan.units.empty())
      throw InputError(SourceLocation{path, -1, ""}, "the HotSpot floorplan holds no units");

    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300, area = 0;
    for (const auto &u : plan.units)
      {
        x0 = std::min(x0, u.left_m), y0 = std::min(y0, u.bottom_m);
        x1 = std::max(x1, u.left_m + u.width_m), y1 = std::max(y1, u.bottom_m + u.height_m);
        area += u.width_m * u.height_m;
      }
    plan.left_m = x0, plan.bottom_m = y0, plan.width_m = x1 - x0, plan.height_m = y1 - y0;
    // HotSpot files carry rounded coordinates: a nanometre of slack.
    const double tol = 1e-9;
    std::vector<const HotspotUnit *> order;
    for (const auto &u : plan.units)
      order.push_back(&u);
    std::sort(order.begin(), order.end(), [](auto a, auto b) { return a->left_m < b->left_m; });
    for (std::size_t a = 0; a < order.size(); ++a)
      for (std::size_t b = a + 1; b < order.size() && order[b]->left_m < order[a]->left_m + order[a]->width_m - tol; ++b)
        {
          const auto &p = *order[a], &q = *order[b];
          if (q.bottom_m < p.bottom_m + p.height_m - tol && p.bottom_m < q.bottom_m + q.height_m - tol)
            {
              const auto &later = p.line > q.line ? p : q, &earlier = p.line > q.line ? q : p;
              throw InputError(SourceLocation{path, later.line, ""}, "unit '" + later.name + "' overlaps unit '" +
                                                                       earlier.name + "' (line " +
                                                                       std::to_string(earlier.line) + ")");
            }
        }
    const double die_area = plan.width_m * plan.height_m;
    if (area < die_area * (1 - 1e-6))
      {
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "the units leave %.4g mm^2 of their bounding box (%.4g x %.4g mm) uncovered: HotSpot units "
                      "must tile the die",
                      (die_area - area) * 1e6, plan.width_m * 1e3, plan.height_m * 1e3);
        throw InputError(SourceLocation{path, -1, ""}, buf);
      }
    return plan;
  }
} // namespace chiptherm::foreign
