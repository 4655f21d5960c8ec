#include "sweep_screen.h"

#include "common/case_document.h"
#include "common/errors.h"

#include <algorithm>
#include <cstdio>

namespace chiptherm::sweeps
{
  namespace
  {
    /// Gap between two rectangles (0 when they touch or overlap), m.
    double gap_m(const floorplans::Rect &a, const floorplans::Rect &b)
    {
      const double dx = std::max({0.0, b.x - a.x_end(), a.x - b.x_end()});
      const double dy = std::max({0.0, b.y - a.y_end(), a.y - b.y_end()});
      return std::max(dx, dy);
    }
  } // namespace

  std::vector<ScreenedPoint> screen(const SweepSpec &spec, const std::vector<SweepPoint> &points,
                                    const CaseExecutor &executor)
  {
    std::vector<ScreenedPoint> out;
    for (const auto &point : points)
      {
        ScreenedPoint s{point, true, "", nullptr};
        try
          {
            auto doc = CaseDocument::load(spec.base_case);
            for (const auto &a : point.assignments)
              doc.apply_override(a);
            const auto model = executor.read_case(doc);
            const double min_gap = spec.min_spacing * doc.root().units().length_to_m;
            for (const auto &layer : model->layers)
              for (std::size_t i = 0; i < layer.regions.size() && s.admitted; ++i)
                for (std::size_t j = i + 1; j < layer.regions.size() && s.admitted; ++j)
                  {
                    const double g = gap_m(layer.regions[i].rect, layer.regions[j].rect);
                    if (g < min_gap * (1 - 1e-9))
                      {
                        char buf[300];
                        std::snprintf(buf, sizeof buf, "dies '%s' and '%s' in layer '%s' are %.6g %s apart, "
                                      "closer than constraints.min_spacing (%.6g)",
                                      layer.regions[i].name.c_str(), layer.regions[j].name.c_str(), layer.name.c_str(),
                                      g / doc.root().units().length_to_m, doc.root().units().length_name.c_str(),
                                      spec.min_spacing);
                        s.admitted = false;
                        s.reason   = buf;
                      }
                  }
            if (s.admitted)
              s.model = model;
          }
        catch (const InputError &e)
          {
            s.admitted = false;
            s.reason   = e.what();
          }
        out.push_back(s);
      }
    return out;
  }
} // namespace chiptherm::sweeps
