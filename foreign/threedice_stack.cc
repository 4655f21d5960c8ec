#include "threedice_stack.h"

#include "../common/text_distance.h"
#include "threedice_tokens.h"

#include <algorithm>
#include <filesystem>

namespace chiptherm::foreign
{
  namespace
  {
    constexpr double um = 1e-6;

    template <typename Map>
    std::vector<std::string> names_of(const Map &map)
    {
      std::vector<std::string> names;
      for (const auto &[name, value] : map)
        names.push_back(name);
      return names;
    }

    ThreediceRect read_rectangle(TokenStream &in, const std::string &context)
    {
      ThreediceRect r;
      in.expect("(", context);
      r.x_m = in.number("(x) " + context) * um;
      in.expect(",", context);
      r.y_m = in.number("(y) " + context) * um;
      in.expect(",", context);
      r.length_m = in.positive("(length) " + context) * um;
      in.expect(",", context);
      r.width_m = in.positive("(width) " + context) * um;
      in.expect(")", context);
      return r;
    }

    void read_heat_sink(TokenStream &in, std::optional<ThreediceHeatSink> &sink, const std::string &which)
    {
      const int line = in.peek().line;
      if (sink)
        in.fail("the " + which + " heat sink is defined twice (first at line " + std::to_string(sink->line) + ")");
      in.expect(":", "after 'heat sink'");
      ThreediceHeatSink s;
      s.line = line;
      in.expect_words({"heat", "transfer", "coefficient"}, "in the heat sink");
      s.h_w_m2k = in.positive("for the heat transfer coefficient (W/(um^2 K))") * 1e12;
      in.expect(";", "after the heat transfer coefficient");
      in.expect("temperature", "in the heat sink");
      s.temperature_k = in.positive("for the heat sink temperature (K)");
      in.expect(";", "after the temperature");
      sink = s;
    }

    /// `height H ; material M ;` or, inside a die, `H MATERIAL ;`.
    std::string material_name(TokenStream &in, const std::map<std::string, ThreediceMaterial> &materials)
    {
      const int         line = in.peek().line;
      const std::string name = in.name("(a material)");
      if (!materials.count(name))
        throw InputError(SourceLocation{in.path(), line, ""},
                         "material '" + name + "' is not defined (define it with 'material " + name +
                           " : ...' before it is used)" + did_you_mean(name, names_of(materials)));
      return name;
    }
  } // namespace

  ThreediceFloorplan read_threedice_floorplan(const std::string &path, double chip_length_m, double chip_width_m)
  {
    TokenStream        in(path, "3D-ICE floorplan");
    ThreediceFloorplan plan;
    plan.file = path;
    while (!in.at_end())
      {
        ThreediceElement e;
        e.line = in.peek().line;
        e.name = in.name("(a floorplan element)");
        for (const auto &other : plan.elements)
          if (other.name == e.name)
            in.fail("element '" + e.name + "' is defined twice (first at line " + std::to_string(other.line) + ")");
        const std::string context = "in element '" + e.name + "'";
        in.expect(":", "after the element name");
        if (in.accept("position"))
          {
            ThreediceRect r;
            r.x_m = in.number("(x) " + context) * um;
            in.expect(",", context);
            r.y_m = in.number("(y) " + context) * um;
            in.expect(";", context);
            in.expect("dimension", context);
            r.length_m = in.positive("(length) " + context) * um;
            in.expect(",", context);
            r.width_m = in.positive("(width) " + context) * um;
            in.expect(";", context);
            e.rects.push_back(r);
          }
        else
          {
            if (in.peek().value != "rectangle")
              in.fail("expected 'position' or 'rectangle' " + context + ", got '" + in.peek().value + "'");
            while (in.accept("rectangle"))
              {
                e.rects.push_back(read_rectangle(in, context));
                in.expect(";", context);
              }
          }
        in.expect_words({"power", "values"}, context);
        do
          {
            const double p = in.number("(power, W) " + context);
            if (p < 0)
              in.fail("expected a power >= 0 W " + context);
            e.powers_w.push_back(p);
          }
        while (in.accept(","));
        in.expect(";", "after the power values " + context);
        const double tol = 1e-9;
        for (const auto &r : e.rects)
          if (r.x_m < -tol || r.y_m < -tol || r.x_m + r.length_m > chip_length_m + tol ||
              r.y_m + r.width_m > chip_width_m + tol)
            throw InputError(SourceLocation{path, e.line, ""},
                             "element '" + e.name + "' reaches outside the chip (" + std::to_string(chip_length_m / um) +
                               " x " + std::to_string(chip_width_m / um) + " um)");
        for (const auto &other : plan.elements)
          for (const auto &a : e.rects)
            for (const auto &b : other.rects)
              if (a.x_m < b.x_m + b.length_m - tol && b.x_m < a.x_m + a.length_m - tol && a.y_m < b.y_m + b.width_m - tol &&
                  b.y_m < a.y_m + a.width_m - tol)
                throw InputError(SourceLocation{path, e.line, ""}, "element '" + e.name + "' overlaps element '" +
                                                                     other.name + "' (line " +
                                                                     std::to_string(other.line) + ")");
        if (!plan.elements.empty() && plan.elements.front().powers_w.size() != e.powers_w.size())
          throw InputError(SourceLocation{path, e.line, ""},
                           "element '" + e.name + "' has " + std::to_string(e.powers_w.size()) +
                             " power values, element '" + plan.elements.front().name + "' " +
                             std::to_string(plan.elements.front().powers_w.size()) +
                             ": every element needs one per time slot");
        plan.elements.push_back(e);
      }
    if (plan.elements.empty())
      throw InputError(SourceLocation{path, -1, ""}, "the floorplan holds no elements");
    return plan;
  }

  ThreediceStack read_threedice_stack(const std::string &path)
  {
    TokenStream    in(path, "3D-ICE stack description");
    ThreediceStack s;
    s.file = path;
    std::map<std::string, ThreediceLayer>              layer_types;
    std::map<std::string, std::vector<ThreediceLayer>> die_types;
    bool has_dimensions = false, has_stack = false, has_solver = false;
    const auto folder = std::filesystem::path(path).parent_path();
    const std::string cavity =
      "microchannel and pin-fin cavities are not imported yet: chiptherm models solid stacks only";

    while (!in.at_end())
      {
        const int line = in.peek().line;
        if (in.accept("material"))
          {
            const std::string name = in.name("after 'material'");
            if (s.materials.count(name))
              in.fail("material '" + name + "' is defined twice");
            in.expect(":", "after the material name");
            ThreediceMaterial m;
            m.line = line;
            in.expect_words({"thermal", "conductivity"}, "in material '" + name + "'");
            m.conductivity_w_mk = in.positive("for the thermal conductivity (W/(um K))") * 1e6;
            in.expect(";", "after the thermal conductivity");
            in.expect_words({"volumetric", "heat", "capacity"}, "in material '" + name + "'");
            m.heat_capacity_j_m3k = in.positive("for the volumetric heat capacity (J/(um^3 K))") * 1e18;
            in.expect(";", "after the volumetric heat capacity");
            s.materials[name] = m;
          }
        else if (in.accept("top"))
          {
            in.expect_words({"heat", "sink"}, "after 'top'");
            read_heat_sink(in, s.top_sink, "top");
          }
        else if (in.accept("bottom"))
          {
            in.expect_words({"heat", "sink"}, "after 'bottom'");
            read_heat_sink(in, s.bottom_sink, "bottom");
          }
        else if (in.peek().value == "heat" && in.peek(1).value == "sink")
          {
            in.expect_words({"heat", "sink"}, "");
            read_heat_sink(in, s.top_sink, "top");
          }
        else if (in.peek().value == "microchannel" || in.peek().value == "pinfin" || in.peek().value == "channel")
          in.fail(cavity);
        else if (in.accept("dimensions"))
          {
            in.expect(":", "after 'dimensions'");
            // `WHAT length L, width W ;`
            auto length_width = [&](const std::string &what, double &length, double &width) {
              in.expect_words({what, "length"}, "in dimensions");
              length = in.positive("for the " + what + " length (um)") * um;
              in.expect(",", "after the " + what + " length");
              in.expect("width", "in dimensions");
              width = in.positive("for the " + what + " width (um)") * um;
              in.expect(";", "after the " + what + " width");
            };
            length_width("chip", s.chip_length_m, s.chip_width_m);
            length_width("cell", s.cell_length_m, s.cell_width_m);
            if (in.accept("non-uniform"))
              {
                const std::string flag = in.name("(true or false) after 'non-uniform'");
                if (flag == "true")
                  in.fail("non-uniform grids are not imported yet (chiptherm builds its own variable mesh: set "
                          "'non-uniform false')");
                in.expect(";", "after non-uniform");
              }
            has_dimensions = true;
          }
        else if (in.accept("layer"))
          {
            const std::string name = in.name("after 'layer'");
            in.expect(":", "after the layer name");
            ThreediceLayer l;
            l.line = line;
            in.expect("height", "in layer '" + name + "'");
            l.height_m = in.positive("for the layer height (um)") * um;
            in.expect(";", "after the height");
            in.expect("material", "in layer '" + name + "'");
            l.material = material_name(in, s.materials);
            in.expect(";", "after the material");
            layer_types[name] = l;
          }
        else if (in.accept("die"))
          {
            const std::string name = in.name("after 'die'");
            in.expect(":", "after the die name");
            std::vector<ThreediceLayer> layers;
            while (in.peek().value == "source" || (in.peek().value == "layer" && in.peek(1).kind == ThreediceToken::number))
              {
                ThreediceLayer l;
                l.line   = in.peek().line;
                l.source = in.accept("source");
                if (!l.source)
                  in.expect("layer", "");
                l.height_m = in.positive("for the layer height (um) in die '" + name + "'") * um;
                l.material = material_name(in, s.materials);
                in.expect(";", "after the layer of die '" + name + "'");
                layers.push_back(l);
              }
            const auto sources = std::count_if(layers.begin(), layers.end(), [](const auto &l) { return l.source; });
            if (sources != 1)
              throw InputError(SourceLocation{path, line, ""},
                               "die '" + name + "' has " + std::to_string(sources) +
                                 " source layers: expected exactly one ('source HEIGHT MATERIAL ;')");
            die_types[name] = layers;
          }
        else if (in.accept("stack"))
          {
            in.expect(":", "after 'stack'");
            if (!has_dimensions)
              in.fail("expected the 'dimensions' section before the stack");
            while (in.peek().value == "die" || in.peek().value == "layer" || in.peek().value == "channel")
              {
                ThreediceStackEntry e;
                e.line = in.peek().line;
                if (in.accept("channel"))
                  in.fail(cavity);
                e.is_die = in.accept("die");
                if (!e.is_die)
                  in.expect("layer", "");
                e.name = in.name("(the instance name) in the stack");
                for (const auto &other : s.entries)
                  if (other.name == e.name)
                    in.fail("'" + e.name + "' appears twice in the stack");
                const int         type_line = in.peek().line;
                e.type                      = in.name("(a " + std::string(e.is_die ? "die" : "layer") + " type)");
                const SourceLocation type_at{path, type_line, ""};
                if (e.is_die)
                  {
                    if (!die_types.count(e.type))
                      throw InputError(type_at, "die type '" + e.type + "' is not defined" +
                                                  did_you_mean(e.type, names_of(die_types)));
                    e.layers = die_types[e.type];
                    in.expect("floorplan", "after the die type");
                    const std::string file = in.quoted("after 'floorplan'");
                    auto              resolved = (folder / file).lexically_normal();
                    e.floorplan = read_threedice_floorplan(resolved.string(), s.chip_length_m, s.chip_width_m);
                    if (in.accept("discretization"))
                      in.number("(columns)"), in.number("(rows)");
                  }
                else
                  {
                    if (!layer_types.count(e.type))
                      throw InputError(type_at, "layer type '" + e.type + "' is not defined" +
                                                  did_you_mean(e.type, names_of(layer_types)));
                    e.layers = {layer_types[e.type]};
                  }
                in.expect(";", "after the stack entry '" + e.name + "'");
                s.entries.push_back(e);
              }
            if (s.entries.empty())
              in.fail("expected 'die NAME TYPE floorplan \"file\" ;' or 'layer NAME TYPE ;' in the stack");
            has_stack = true;
          }
        else if (in.accept("solver"))
          {
            in.expect(":", "after 'solver'");
            s.solver_line = line;
            if (in.accept("transient"))
              {
                s.transient = true;
                in.expect("step", "after 'transient'");
                s.step_s = in.positive("for the time step (s)");
                in.expect(",", "after the step");
                in.expect("slot", "after the step");
                s.slot_s = in.positive("for the time slot (s)");
                if (s.slot_s < s.step_s)
                  in.fail("expected a slot at least as long as the step");
              }
            else if (!in.accept("steady"))
              in.fail("expected 'steady' or 'transient step DT, slot DS' after 'solver :', got '" + in.peek().value +
                      "'");
            in.expect(";", "after the solver kind");
            in.expect_words({"initial", "temperature"}, "in the solver section");
            s.initial_temperature_k = in.positive("for the initial temperature (K)");
            in.expect(";", "after the initial temperature");
            has_solver = true;
          }
        else if (in.peek().value == "output")
          break; // probes: chiptherm writes its own outputs
        else
          in.fail("expected a section (material, top heat sink, bottom heat sink, dimensions, layer, die, stack, "
                  "solver, output), got '" + in.peek().value + "'");
      }
    if (!has_dimensions || !has_stack || !has_solver)
      throw InputError(SourceLocation{path, -1, ""}, std::string("the stack description has no '") +
                                                       (!has_dimensions ? "dimensions" : !has_stack ? "stack" : "solver") +
                                                       "' section");
    if (!s.top_sink && !s.bottom_sink)
      throw InputError(SourceLocation{path, -1, ""},
                       "no 'top heat sink' or 'bottom heat sink': the stack would have no way to lose heat");
    return s;
  }
} // namespace chiptherm::foreign
