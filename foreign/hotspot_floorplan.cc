#include "hotspot_floorplan.h"

#include "token_lines.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

namespace chiptherm::foreign
{
  namespace
  {
    // HotSpot files carry rounded coordinates: a nanometre of slack before
    // anything counts as a gap or an overlap.
    constexpr double rounding_m = 1e-9;

    std::string mm(const double m)
    {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4g", m * 1e3);
      return buf;
    }

    std::string um(const double m)
    {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4g", m * 1e6);
      return buf;
    }

    void set_bounding_box(HotspotFloorplan &plan)
    {
      double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
      for (const auto &u : plan.units)
        {
          x0 = std::min(x0, u.left_m), y0 = std::min(y0, u.bottom_m);
          x1 = std::max(x1, u.left_m + u.width_m), y1 = std::max(y1, u.bottom_m + u.height_m);
        }
      plan.left_m = x0, plan.bottom_m = y0, plan.width_m = x1 - x0, plan.height_m = y1 - y0;
    }

    struct Overlap
    {
      HotspotUnit *earlier, *later;
      double       width_m, height_m;
    };

    /// Pairs of units whose rectangles share more than rounding (sweep in x).
    std::vector<Overlap> find_overlaps(std::vector<HotspotUnit> &units)
    {
      std::vector<HotspotUnit *> order;
      for (auto &u : units)
        order.push_back(&u);
      std::sort(order.begin(), order.end(), [](auto a, auto b) { return a->left_m < b->left_m; });
      std::vector<Overlap> found;
      for (std::size_t a = 0; a < order.size(); ++a)
        for (std::size_t b = a + 1;
             b < order.size() && order[b]->left_m < order[a]->left_m + order[a]->width_m - rounding_m; ++b)
          {
            auto        &p = *order[a], &q = *order[b];
            const double w = std::min(p.left_m + p.width_m, q.left_m + q.width_m) - std::max(p.left_m, q.left_m);
            const double h =
              std::min(p.bottom_m + p.height_m, q.bottom_m + q.height_m) - std::max(p.bottom_m, q.bottom_m);
            if (w > rounding_m && h > rounding_m)
              found.push_back(p.line > q.line ? Overlap{&q, &p, w, h} : Overlap{&p, &q, w, h});
          }
      return found;
    }

    /// An overlap no thicker than the tolerance is cut from the later unit (the
    /// side it overlaps on); a thicker one is an error.
    void absorb_overlaps(HotspotFloorplan &plan, const double tolerance_m)
    {
      for (const auto &o : find_overlaps(plan.units))
        {
          auto &e = *o.earlier, &l = *o.later;
          if (std::min(o.width_m, o.height_m) > tolerance_m + rounding_m)
            throw InputError(SourceLocation{plan.file, l.line, ""},
                             "unit '" + l.name + "' overlaps unit '" + e.name + "' (line " + std::to_string(e.line) +
                               ") by " + mm(o.width_m) + " x " + mm(o.height_m) +
                               " mm, more than the tolerance for rounding in floorplans (" + um(tolerance_m) + " um)");
          if (o.width_m <= o.height_m)
            {
              if (l.left_m > e.left_m)
                l.left_m += o.width_m;
              l.width_m -= o.width_m;
            }
          else
            {
              if (l.bottom_m > e.bottom_m)
                l.bottom_m += o.height_m;
              l.height_m -= o.height_m;
            }
          plan.absorbed.push_back(plan.file + ":" + std::to_string(l.line) + ": unit '" + l.name + "' overlapped '" +
                                  e.name + "' by " + um(std::min(o.width_m, o.height_m)) +
                                  " um; cut from '" + l.name + "'");
        }
      if (const auto left = find_overlaps(plan.units); !left.empty())
        throw InputError(SourceLocation{plan.file, left.front().later->line, ""},
                         "unit '" + left.front().later->name + "' still overlaps unit '" + left.front().earlier->name +
                           "' after cutting the overlaps below the tolerance: fix the floorplan");
    }

    /// Sorted distinct coordinates (within rounding).
    std::vector<double> grid_lines(std::vector<double> v)
    {
      std::sort(v.begin(), v.end());
      std::vector<double> lines;
      for (const double x : v)
        if (lines.empty() || x > lines.back() + rounding_m)
          lines.push_back(x);
      return lines;
    }

    std::size_t line_index(const std::vector<double> &lines, const double x)
    {
      return std::lower_bound(lines.begin(), lines.end(), x - rounding_m) - lines.begin();
    }

    /// The uncovered parts of the die on the grid of every unit edge, as
    /// 4-connected components. A component no thicker than the tolerance
    /// (its area at most tolerance x (width + height) of its bounding box: a
    /// straight or bent sliver) is left to the die's material without power,
    /// as HotSpot does; a larger one is an error.
    void absorb_gaps(HotspotFloorplan &plan, const double tolerance_m)
    {
      double area = 0;
      for (const auto &u : plan.units)
        area += u.width_m * u.height_m;
      const double die_area = plan.width_m * plan.height_m;
      if (area >= die_area * (1 - 1e-9))
        return;
      std::vector<double> xv, yv;
      for (const auto &u : plan.units)
        xv.insert(xv.end(), {u.left_m, u.left_m + u.width_m}), yv.insert(yv.end(), {u.bottom_m, u.bottom_m + u.height_m});
      const auto xs = grid_lines(xv), ys = grid_lines(yv);
      const std::size_t nx = xs.size() - 1, ny = ys.size() - 1;
      char buf[200];
      std::snprintf(buf, sizeof buf, "the units leave %.4g mm^2 of their bounding box (%.4g x %.4g mm) uncovered",
                    (die_area - area) * 1e6, plan.width_m * 1e3, plan.height_m * 1e3);
      const std::string uncovered = buf;
      if (nx * ny > 20'000'000)
        throw InputError(SourceLocation{plan.file, -1, ""}, uncovered + ": HotSpot units must tile the die");
      std::vector<char> covered(nx * ny, 0);
      for (const auto &u : plan.units)
        for (std::size_t j = line_index(ys, u.bottom_m); j < line_index(ys, u.bottom_m + u.height_m); ++j)
          for (std::size_t i = line_index(xs, u.left_m); i < line_index(xs, u.left_m + u.width_m); ++i)
            covered[j * nx + i] = 1;
      for (std::size_t start = 0; start < covered.size(); ++start)
        {
          if (covered[start])
            continue;
          // Flood one component, marking it covered as it goes.
          std::vector<std::size_t> stack{start};
          covered[start]  = 1;
          double gap_area = 0, gx0 = 1e300, gy0 = 1e300, gx1 = -1e300, gy1 = -1e300;
          while (!stack.empty())
            {
              const std::size_t c = stack.back(), i = c % nx, j = c / nx;
              stack.pop_back();
              gap_area += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]);
              gx0 = std::min(gx0, xs[i]), gx1 = std::max(gx1, xs[i + 1]);
              gy0 = std::min(gy0, ys[j]), gy1 = std::max(gy1, ys[j + 1]);
              for (const std::size_t n : {i > 0 ? c - 1 : c, i + 1 < nx ? c + 1 : c, j > 0 ? c - nx : c,
                                          j + 1 < ny ? c + nx : c})
                if (!covered[n])
                  covered[n] = 1, stack.push_back(n);
            }
          const double w = gx1 - gx0, h = gy1 - gy0;
          std::snprintf(buf, sizeof buf, "%s x %s um at (%s, %s) mm", um(w).c_str(), um(h).c_str(), mm(gx0).c_str(),
                        mm(gy0).c_str());
          const std::string where = buf;
          if (gap_area > tolerance_m * (w + h) * (1 + 1e-6) + rounding_m * rounding_m)
            throw InputError(SourceLocation{plan.file, -1, ""},
                             uncovered + ", among them a gap of " + where +
                               " wider than the tolerance for rounding in floorplans (" + um(tolerance_m) +
                               " um): HotSpot units must tile the die");
          std::string between;
          for (const auto &u : plan.units)
            if (u.left_m <= gx1 + rounding_m && u.left_m + u.width_m >= gx0 - rounding_m &&
                u.bottom_m <= gy1 + rounding_m && u.bottom_m + u.height_m >= gy0 - rounding_m)
              between += (between.empty() ? "'" : ", '") + u.name + "'";
          plan.absorbed.push_back(plan.file + ": a gap of " + where + " between " + between +
                                  " is left to the die's material, without power");
        }
    }
  } // namespace

  HotspotFloorplan read_hotspot_floorplan(const std::string &path, const double tolerance_m)
  {
    HotspotFloorplan      plan;
    plan.file = path;
    std::set<std::string> names;
    if (std::filesystem::path(path).extension() == ".desc")
      throw InputError(SourceLocation{path, -1, ""},
                       "this is a floorplan description for HotSpot's floorplanner (name, area, aspect ratios, "
                       "rotation per line), not a floorplan: run hotfloorplan on it and import the .flp it writes");
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

    set_bounding_box(plan);
    absorb_overlaps(plan, tolerance_m);
    absorb_gaps(plan, tolerance_m);
    return plan;
  }
} // namespace chiptherm::foreign
