#include "case_reader.h"

#include "../common/text_distance.h"

#include <algorithm>
#include <array>
#include <optional>
#include <filesystem>
#include <map>
#include <set>

namespace chiptherm::floorplans
{
  const std::vector<std::string> &case_sections()
  {
    static const std::vector<std::string> s = {"version", "name",  "units", "ambient", "materials", "stack",
                                               "boundaries", "mesh", "adaptivity", "solver", "signoff", "transient",
                                               "outputs", "power_models"};
    return s;
  }

  namespace
  {
    /// Geometric tolerance for containment/overlap checks: a nanometre.
    constexpr double geometry_tolerance_m = 1e-9;

    Rect read_rect(const CaseNode &n)
    {
      const auto v = n.numbers(4);
      const double s = n.units().length_to_m;
      Rect r{v[0] * s, v[1] * s, v[2] * s, v[3] * s};
      if (!(r.width > 0) || !(r.height > 0))
        n.fail("expected [x, y, width, height] with positive width and height, got width " + std::to_string(v[2]) +
               " and height " + std::to_string(v[3]));
      return r;
    }

    Rect read_footprint(const CaseNode &n, const std::optional<Rect> &below)
    {
      if (n.is_sequence())
        return read_rect(n);
      n.expect_keys({"x", "y", "width", "height", "centered"});
      Rect r;
      r.width  = n.at("width").positive_length();
      r.height = n.at("height").positive_length();
      const bool centered = n.has("centered") && n.at("centered").choice({"true", "false"}) == "true";
      if (centered)
        {
          if (n.has("x") || n.has("y"))
            n.fail("give either x and y or centered: true, not both");
          if (!below)
            n.fail("centered: true needs a layer below to centre on");
          r.x = below->x + 0.5 * (below->width - r.width);
          r.y = below->y + 0.5 * (below->height - r.height);
        }
      else
        {
          r.x = n.at("x").length();
          r.y = n.at("y").length();
        }
      return r;
    }

    std::string length_text(double m, const Units &u)
    {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g %s", m / u.length_to_m, u.length_name.c_str());
      return buf;
    }

    std::string rect_text(const Rect &r, const Units &u)
    {
      return "[" + length_text(r.x, u) + ", " + length_text(r.y, u) + ", " + length_text(r.width, u) + ", " +
             length_text(r.height, u) + "]";
    }

    /// schedule: {points: [[t_s, W], ...], interpolation: step|linear, period: s}
    ///        or {pulse: {base: W, peak: W, start: s, width: s}, period: s}
    PowerSchedule read_power_schedule(const CaseNode &n)
    {
      n.expect_keys({"points", "interpolation", "period", "pulse"});
      const double period = n.has("period") ? n.at("period").positive_number() : 0.0;
      if (n.has("points") == n.has("pulse"))
        n.fail("expected exactly one of 'points' (a list of [time_s, power_w]) or 'pulse' ({base, peak, start, width})");
      std::vector<double> times, powers;
      auto interpolation = Interpolation::step;
      if (n.has("points"))
        {
          interpolation = n.text_or("interpolation", "step") == "linear" ? Interpolation::linear : Interpolation::step;
          if (n.has("interpolation"))
            n.at("interpolation").choice({"step", "linear"});
          for (const auto &item : n.at("points").items())
            {
              const auto tp = item.numbers(2);
              if (tp[0] < 0 || (!times.empty() && tp[0] <= times.back()))
                item.fail("expected times that start at 0 or later and increase, got " + item.describe_value());
              if (tp[1] < 0)
                item.fail("expected a power >= 0 W, got " + item.describe_value());
              times.push_back(tp[0]), powers.push_back(tp[1]);
            }
          if (times.empty())
            n.at("points").fail("expected at least one [time_s, power_w] point");
        }
      else
        {
          const CaseNode p = n.at("pulse");
          p.expect_keys({"base", "peak", "start", "width"});
          const double base = p.at("base").non_negative_number(), peak = p.at("peak").non_negative_number();
          const double start = p.has("start") ? p.at("start").non_negative_number() : 0.0;
          const double width = p.at("width").positive_number();
          if (period > 0 && start + width > period)
            p.fail("expected start + width <= period (" + std::to_string(period) + " s)");
          if (start > 0)
            times.push_back(0), powers.push_back(base);
          times.push_back(start), powers.push_back(peak);
          if (period == 0 || start + width < period)
            times.push_back(start + width), powers.push_back(base);
        }
      if (period > 0 && (times.front() != 0 || times.back() >= period))
        n.fail("expected a periodic schedule to start at time 0 and end before its period (" + std::to_string(period) +
               " s)");
      return PowerSchedule(times, powers, interpolation, period);
    }

    /// leakage: {p0: W, t0: temperature, beta: per degree}, or {fraction, t0, beta}
    /// with p0 = fraction x the block's nominal dynamic power (nominal_w).
    Leakage read_leakage(const CaseNode &l, double nominal_w)
    {
      l.expect_keys({"p0", "fraction", "t0", "beta"});
      if (l.has("p0") == l.has("fraction"))
        l.fail("expected exactly one of p0 (W at t0) or fraction (of the block's dynamic power, at t0)");
      Leakage leak;
      leak.p0_w       = l.has("p0") ? l.at("p0").non_negative_number() : l.at("fraction").non_negative_number() * nominal_w;
      leak.t0_k       = l.at("t0").temperature();
      leak.beta_per_k = l.at("beta").non_negative_number();
      if (leak.beta_per_k > 1)
        l.at("beta").fail("expected a leakage growth rate per degree, typically 0.01-0.05 (got " + l.at("beta").text() +
                          ")");
      return leak;
    }

    /// A block of a rotated region: its rect was read relative to the die's
    /// own corner (offset by the region's corner); turns it with the die
    /// (counter-clockwise, the die's lower-left corner staying at `at`).
    void rotate_in_region(Rect &b, const Region &r)
    {
      if (r.rotation == 0)
        return;
      const bool   turned = r.rotation == 90 || r.rotation == 270;
      const double W = turned ? r.rect.height : r.rect.width, H = turned ? r.rect.width : r.rect.height; // unrotated
      const double x = b.x - r.rect.x, y = b.y - r.rect.y, w = b.width, h = b.height;
      Rect         out;
      if (r.rotation == 90)
        out = {H - y - h, x, h, w};
      else if (r.rotation == 180)
        out = {W - x - w, H - y - h, w, h};
      else
        out = {y, W - x - w, h, w};
      b = {r.rect.x + out.x, r.rect.y + out.y, out.width, out.height};
    }

    /// power_models: {<block type>: {leakage: {...}, activity: a}, ...}: what
    /// blocks of a type get when they do not say themselves.
    struct TypeDefaults
    {
      std::optional<CaseNode> leakage, activity;
    };
    using PowerModelDefaults = std::array<TypeDefaults, n_block_types>;

    PowerModelDefaults read_power_models(const CaseNode &n)
    {
      PowerModelDefaults defaults;
      if (!n.is_defined())
        return defaults;
      n.expect_keys(block_type_names());
      for (std::size_t t = 0; t < block_type_names().size(); ++t)
        if (n.has(block_type_names()[t]))
          {
            const CaseNode d = n.at(block_type_names()[t]);
            d.expect_keys({"leakage", "activity"});
            if (d.has("leakage"))
              {
                read_leakage(d.at("leakage"), 0.0); // checks it here, once
                defaults[t].leakage = d.at("leakage");
              }
            if (d.has("activity"))
              defaults[t].activity = d.at("activity");
          }
      return defaults;
    }

    Block read_block(const CaseNode &n, double origin_x, double origin_y, const std::string &owner,
                     const PowerModelDefaults &defaults)
    {
      n.expect_keys(
        {"name", "type", "rect", "power", "schedule", "limit", "delta_limit", "leakage", "dvfs", "activity"});
      Block b;
      b.name  = n.at("name").text();
      b.type  = static_cast<BlockType>(
        std::find(block_type_names().begin(), block_type_names().end(), n.at("type").choice(block_type_names())) -
        block_type_names().begin());
      b.rect  = read_rect(n.at("rect"));
      b.rect.x += origin_x;
      b.rect.y += origin_y;
      if (n.has("schedule"))
        {
          b.power_over_time = read_power_schedule(n.at("schedule"));
          b.power_w = n.has("power") ? n.at("power").non_negative_number() : b.power_over_time.settled_w();
        }
      else
        {
          b.power_w         = n.has("power") ? n.at("power").non_negative_number() : 0.0;
          b.power_over_time = PowerSchedule::constant(b.power_w);
        }
      if (n.has("limit"))
        b.limit_k = n.at("limit").temperature();
      if (n.has("delta_limit"))
        b.delta_limit_k = n.at("delta_limit").temperature_difference();
      if (n.has("dvfs"))
        {
          // dvfs: {points: [{frequency: Hz, voltage: V, power: W}, ...], limit: T, hysteresis: K};
          // a point after the first may leave power out: CMOS dynamic power a C V^2 f
          // then scales the first point's by (V/V0)^2 (f/f0).
          const CaseNode d = n.at("dvfs");
          d.expect_keys({"points", "limit", "hysteresis"});
          if (n.has("power") || n.has("schedule"))
            n.at(n.has("power") ? "power" : "schedule")
              .fail("a block with dvfs takes its power from its operating points: give one or the other");
          Dvfs dvfs;
          for (const auto &pn : d.at("points").items())
            {
              pn.expect_keys({"frequency", "voltage", "power"});
              OperatingPoint p{pn.at("frequency").positive_number(), pn.at("voltage").positive_number(), 0.0};
              if (pn.has("power"))
                p.power_w = pn.at("power").non_negative_number();
              else if (dvfs.points.empty())
                pn.fail("the first (fastest) operating point needs its power; later ones may scale from it");
              else
                {
                  const auto &first = dvfs.points.front();
                  p.power_w         = first.power_w * (p.voltage_v / first.voltage_v) * (p.voltage_v / first.voltage_v) *
                              (p.frequency_hz / first.frequency_hz);
                }
              dvfs.points.push_back(p);
            }
          if (dvfs.points.empty())
            d.at("points").fail("expected at least one operating point {frequency, voltage, power}");
          for (std::size_t i = 1; i < dvfs.points.size(); ++i)
            if (!(dvfs.points[i].frequency_hz < dvfs.points[i - 1].frequency_hz &&
                  dvfs.points[i].power_w <= dvfs.points[i - 1].power_w))
              d.at("points").items()[i].fail("expected operating points from the fastest down: frequency falling "
                                              "and power not rising from one point to the next");
          if (d.has("limit"))
            dvfs.limit_k = d.at("limit").temperature();
          if (d.has("hysteresis"))
            dvfs.hysteresis_k = d.at("hysteresis").temperature_difference();
          b.power_w         = dvfs.points.front().power_w;
          b.power_over_time = PowerSchedule::constant(b.power_w);
          b.dvfs            = dvfs;
        }
      // Leakage and activity: the block's own, else its type's from power_models.
      const auto &type_defaults = defaults[static_cast<std::size_t>(b.type)];
      if (n.has("leakage"))
        b.leakage = read_leakage(n.at("leakage"), b.power_w);
      else if (type_defaults.leakage)
        {
          b.leakage = read_leakage(*type_defaults.leakage, b.power_w);
          if (b.leakage->p0_w == 0)
            b.leakage.reset(); // a fraction of no power: nothing leaks
        }
      std::optional<CaseNode> activity = n.has("activity") ? std::optional<CaseNode>(n.at("activity"))
                                         : n.has("schedule") ? std::nullopt // a schedule is the power over time itself
                                                             : type_defaults.activity;
      if (activity)
        {
          // switching activity: scales the dynamic power (power or every DVFS point's)
          const double a = activity->non_negative_number();
          if (a > 1)
            activity->fail("expected an activity factor from 0 to 1 (the share of the nominal switching)");
          if (n.has("schedule"))
            activity->fail("activity scales power and dvfs points; a schedule gives the power over time itself");
          b.power_w *= a;
          b.power_over_time = PowerSchedule::constant(b.power_w);
          if (b.dvfs)
            for (auto &p : b.dvfs->points)
              p.power_w *= a;
        }
      b.die   = owner;
      b.where = n.where();
      return b;
    }

    /// Fails at the later of two overlapping rectangles. Sweep over x so that
    /// floorplans of thousands of blocks stay fast.
    template <typename Item, typename GetRect, typename GetNode>
    void check_no_overlap(const std::vector<Item> &items, GetRect rect_of, GetNode node_of, const std::string &what,
                          const Units &u)
    {
      std::vector<std::size_t> order(items.size());
      for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
      std::sort(order.begin(), order.end(), [&](auto a, auto b) { return rect_of(items[a]).x < rect_of(items[b]).x; });
      for (std::size_t a = 0; a < order.size(); ++a)
        for (std::size_t b = a + 1; b < order.size(); ++b)
          {
            const Rect &ra = rect_of(items[order[a]]);
            const Rect &rb = rect_of(items[order[b]]);
            if (rb.x >= ra.x_end() - geometry_tolerance_m)
              break;
            if (ra.overlaps(rb, geometry_tolerance_m))
              {
                const std::size_t first = std::min(order[a], order[b]), second = std::max(order[a], order[b]);
                node_of(second).fail(what + " overlaps '" + items[first].name + "' " +
                                     rect_text(rect_of(items[first]), u) + "; " + what + "s must not overlap");
              }
          }
    }

    BoundaryCondition read_boundary(const CaseNode &n, double area_m2, const std::string &fallback)
    {
      if (!n.is_defined())
        {
          if (fallback == "adiabatic")
            return {};
        }
      if (n.is_defined() && n.is_scalar())
        {
          n.choice({"adiabatic"});
          return {};
        }
      BoundaryCondition bc;
      if (!n.is_defined())
        {
          bc.h_w_m2k = std::stod(fallback);
          return bc;
        }
      n.expect_keys({"h", "r_convec"});
      if (n.has("h") == n.has("r_convec"))
        n.fail("expected exactly one of h (W/(m^2 K)) or r_convec (K/W over the whole face), or 'adiabatic'");
      if (n.has("h"))
        bc.h_w_m2k = n.at("h").positive_number();
      else
        bc.h_w_m2k = 1.0 / (n.at("r_convec").positive_number() * area_m2);
      return bc;
    }
  } // namespace

  ChipModel read_chip_model(const CaseDocument &document)
  {
    const CaseNode root = document.root();
    root.expect_keys(case_sections());
    const Units &units = root.units();

    if (root.at("version").integer(1, 1000) != 1)
      root.at("version").fail("expected version 1 (the only case-file version this chiptherm reads)");

    ChipModel model;
    model.name = root.text_or("name", std::filesystem::path(document.path()).stem().string());
    if (root.has("ambient"))
      model.ambient_k = root.at("ambient").temperature();
    if (!(model.ambient_k > 0))
      root.at("ambient").fail("expected an ambient temperature above absolute zero");

    if (root.has("materials"))
      model.materials.add_from_case(root.at("materials"), document.directory());
    else
      model.materials = materials::MaterialLibrary::standard();

    const PowerModelDefaults power_models = read_power_models(root.optional("power_models"));
    const auto layer_nodes = root.at("stack").items();
    if (layer_nodes.empty())
      root.at("stack").fail("expected at least one layer");
    std::set<std::string> layer_names;
    std::optional<Rect>   below;
    double                z = 0;
    for (const auto &ln : layer_nodes)
      {
        ln.expect_keys({"name", "material", "thickness", "footprint", "blocks", "regions"});
        Layer layer;
        layer.name = ln.at("name").text();
        if (!layer_names.insert(layer.name).second)
          ln.at("name").fail("layer name '" + layer.name + "' is used twice; layer names must be unique");
        layer.material = ln.at("material").text();
        model.materials.get(layer.material, ln.at("material"));
        layer.thickness_m = ln.at("thickness").positive_length();
        layer.z_bottom_m  = z;
        z += layer.thickness_m;

        // Blocks directly in the layer; their footprint default needs them first.
        std::vector<CaseNode> block_nodes;
        if (ln.has("blocks"))
          for (const auto &bn : ln.at("blocks").items())
            {
              layer.blocks.push_back(read_block(bn, 0, 0, layer.name, power_models));
              block_nodes.push_back(bn);
            }

        if (ln.has("footprint"))
          layer.footprint = read_footprint(ln.at("footprint"), below);
        else if (below)
          layer.footprint = *below;
        else if (!layer.blocks.empty())
          {
            double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
            for (const auto &b : layer.blocks)
              {
                x0 = std::min(x0, b.rect.x), y0 = std::min(y0, b.rect.y);
                x1 = std::max(x1, b.rect.x_end()), y1 = std::max(y1, b.rect.y_end());
              }
            layer.footprint = {x0, y0, x1 - x0, y1 - y0};
          }
        else
          ln.fail("the bottom layer needs a footprint: [x, y, width, height]");

        if (below && !layer.footprint.overlaps(*below, geometry_tolerance_m))
          ln.fail("footprint " + rect_text(layer.footprint, units) + " does not overlap the layer below " +
                  rect_text(*below, units) + "; every layer must rest on the one below");

        if (ln.has("regions"))
          {
            std::vector<CaseNode> region_nodes;
            for (const auto &rn : ln.at("regions").items())
              {
                rn.expect_keys({"name", "material", "at", "size", "rotate", "blocks"});
                Region r;
                r.name     = rn.at("name").text();
                r.material = rn.at("material").text();
                model.materials.get(r.material, rn.at("material"));
                // A die spans consecutive layers (active layer, bulk): a region
                // of the same name in the layer below gives at, size and rotate
                // that this one leaves out, so the die moves as one.
                const Region *same = nullptr;
                if (model.layers.size() > 0)
                  for (const auto &other : model.layers.back().regions)
                    if (other.name == r.name)
                      same = &other;
                if (!same)
                  for (const char *key : {"at", "size"})
                    if (!rn.has(key))
                      rn.fail(std::string("expected '") + key + "' (no region '" + r.name +
                              "' in the layer below to take it from)");
                r.rotation = rn.has("rotate") ? std::stoi(rn.at("rotate").choice({"0", "90", "180", "270"}))
                             : same          ? same->rotation
                                             : 0;
                const bool turned = r.rotation == 90 || r.rotation == 270;
                if (rn.has("size"))
                  {
                    const auto size = rn.at("size").numbers(2);
                    if (!(size[0] > 0 && size[1] > 0))
                      rn.at("size").fail("expected [width, height], both positive");
                    // size is the die's own (unrotated); the placed rectangle turns with it.
                    r.rect.width  = (turned ? size[1] : size[0]) * units.length_to_m;
                    r.rect.height = (turned ? size[0] : size[1]) * units.length_to_m;
                  }
                else
                  {
                    const bool was_turned = same->rotation == 90 || same->rotation == 270;
                    r.rect.width  = was_turned == turned ? same->rect.width : same->rect.height;
                    r.rect.height = was_turned == turned ? same->rect.height : same->rect.width;
                  }
                if (rn.has("at"))
                  {
                    const auto at = rn.at("at").numbers(2);
                    r.rect.x = at[0] * units.length_to_m, r.rect.y = at[1] * units.length_to_m;
                  }
                else
                  r.rect.x = same->rect.x, r.rect.y = same->rect.y;
                if (!layer.footprint.encloses(r.rect, geometry_tolerance_m))
                  rn.fail("region " + rect_text(r.rect, units) + " lies outside its layer's footprint " +
                          rect_text(layer.footprint, units));
                if (rn.has("blocks"))
                  for (const auto &bn : rn.at("blocks").items())
                    {
                      Block b = read_block(bn, r.rect.x, r.rect.y, r.name, power_models);
                      rotate_in_region(b.rect, r);
                      if (!r.rect.encloses(b.rect, geometry_tolerance_m))
                        bn.fail("block " + rect_text(b.rect, units) + " (rect is relative to the region's corner) " +
                                "lies outside region '" + r.name + "' " + rect_text(r.rect, units));
                      layer.blocks.push_back(b);
                      block_nodes.push_back(bn);
                    }
                layer.regions.push_back(r);
                region_nodes.push_back(rn);
              }
            check_no_overlap(
              layer.regions, [](const Region &r) -> const Rect & { return r.rect; },
              [&](std::size_t i) { return region_nodes[i]; }, "region", units);
          }

        std::set<std::string> block_names;
        for (std::size_t i = 0; i < layer.blocks.size(); ++i)
          {
            const Block &b = layer.blocks[i];
            if (!block_names.insert(b.name).second)
              block_nodes[i].at("name").fail("block name '" + b.name + "' is used twice in layer '" + layer.name +
                                             "'; block names must be unique within a layer");
            if (!layer.footprint.encloses(b.rect, geometry_tolerance_m))
              block_nodes[i].at("rect").fail("block " + rect_text(b.rect, units) + " lies outside layer '" +
                                             layer.name + "' footprint " + rect_text(layer.footprint, units));
          }
        check_no_overlap(
          layer.blocks, [](const Block &b) -> const Rect & { return b.rect; },
          [&](std::size_t i) { return block_nodes[i].at("rect"); }, "block", units);

        below = layer.footprint;
        model.layers.push_back(std::move(layer));
      }

    if (model.total_power_w() <= 0)
      root.at("stack").fail("expected at least one block with power > 0; the case dissipates no heat");

    const CaseNode b = root.optional("boundaries");
    if (b.is_defined())
      b.expect_keys({"top", "bottom", "sides"});
    // Default top: HotSpot's default package, r_convec 0.1 K/W over a 60 mm sink.
    model.boundaries.top    = read_boundary(b.optional("top"), model.layers.back().footprint.area(), "2777.78");
    model.boundaries.bottom = read_boundary(b.optional("bottom"), model.layers.front().footprint.area(), "adiabatic");
    const CaseNode sides    = b.optional("sides");
    if (sides.is_defined() && sides.is_map() && sides.has("r_convec"))
      sides.at("r_convec").fail("r_convec is for the top or bottom face; give sides a film coefficient h");
    model.boundaries.sides = read_boundary(sides, 1.0, "adiabatic");
    if (model.boundaries.top.is_adiabatic() && model.boundaries.bottom.is_adiabatic() &&
        model.boundaries.sides.is_adiabatic())
      root.at("boundaries").fail("every boundary is adiabatic: the heat has nowhere to go (give top a film coefficient h)");
    return model;
  }
} // namespace chiptherm::floorplans
