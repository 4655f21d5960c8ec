#pragma once
// Geometry helpers shared by the case file's readers (floorplans/): rectangles
// as [x, y, width, height] in the case's length unit, and how they are named
// in error messages.
#include "chip_model.h"
#include "common/case_node.h"

#include <cstdio>
#include <string>

namespace chiptherm::floorplans
{
  /// Geometric tolerance for containment/overlap checks: a nanometre.
  constexpr double geometry_tolerance_m = 1e-9;

  inline std::string length_text(double m, const Units &u)
  {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g %s", m / u.length_to_m, u.length_name.c_str());
    return buf;
  }

  inline Rect read_rect(const CaseNode &n)
  {
    const auto v = n.lengths(4);
    Rect r{v[0], v[1], v[2], v[3]};
    if (!(r.width > 0) || !(r.height > 0))
      n.fail("expected [x, y, width, height] with positive width and height, got width " + length_text(v[2], n.units()) +
             " and height " + length_text(v[3], n.units()));
    return r;
  }

  inline std::string rect_text(const Rect &r, const Units &u)
  {
    return "[" + length_text(r.x, u) + ", " + length_text(r.y, u) + ", " + length_text(r.width, u) + ", " +
           length_text(r.height, u) + "]";
  }
} // namespace chiptherm::floorplans
