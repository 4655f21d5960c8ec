#include "threedice_stack.h"

#include "common/input_files.h"
#include "common/text_distance.h"
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

  namespace
  {
    /// The sections of a stack description, each read by its own member.
    class StackParser
    {
    public:
      explicit StackParser(const std::string &path)
        : in_(path, "3D-ICE stack description")
        , path_(path)
        , folder_(std::filesystem::path(path).parent_path())
      {
        s_.file = path;
      }

      ThreediceStack parse()
      {
        while (!in_.at_end())
          {
            const int line = in_.peek().line;
            if (in_.peek().value == "output")
              break; // probes: chiptherm writes its own outputs
            if (!section(line))
              in_.fail("expected a section (material, top heat sink, bottom heat sink, dimensions, layer, die, stack, "
                       "solver, output), got '" + in_.peek().value + "'");
          }
        if (!has_dimensions_ || !has_stack_ || !has_solver_)
          throw InputError(SourceLocation{path_, -1, ""},
                           std::string("the stack description has no '") +
                             (!has_dimensions_ ? "dimensions" : !has_stack_ ? "stack" : "solver") + "' section");
        if (!s_.top_sink && !s_.bottom_sink)
          throw InputError(SourceLocation{path_, -1, ""},
                           "no 'top heat sink' or 'bottom heat sink': the stack would have no way to lose heat");
        return s_;
      }

    private:
      /// Reads the section that starts here; false when no section starts here.
      bool section(int line)
      {
        if (in_.accept("material"))
          material(line);
        else if ((in_.peek().value == "top" || in_.peek().value == "bottom") && in_.peek(1).value == "pluggable")
          in_.fail(pluggable);
        else if (in_.accept("top"))
          in_.expect_words({"heat", "sink"}, "after 'top'"), read_heat_sink(in_, s_.top_sink, "top");
        else if (in_.accept("bottom"))
          in_.expect_words({"heat", "sink"}, "after 'bottom'"), read_heat_sink(in_, s_.bottom_sink, "bottom");
        else if (in_.peek().value == "heat" && in_.peek(1).value == "sink")
          in_.expect_words({"heat", "sink"}, ""), read_heat_sink(in_, s_.top_sink, "top");
        else if (in_.peek().value == "microchannel" || in_.peek().value == "pinfin" || in_.peek().value == "channel")
          in_.fail(cavity);
        else if (in_.accept("dimensions"))
          dimensions();
        else if (in_.accept("layer"))
          layer(line);
        else if (in_.accept("die"))
          die(line);
        else if (in_.accept("stack"))
          stack();
        else if (in_.accept("solver"))
          solver(line);
        else
          return false;
        return true;
      }

      void material(int line)
      {
        const std::string name = in_.name("after 'material'");
        if (s_.materials.count(name))
          in_.fail("material '" + name + "' is defined twice");
        in_.expect(":", "after the material name");
        ThreediceMaterial m;
        m.line = line;
        in_.expect_words({"thermal", "conductivity"}, "in material '" + name + "'");
        m.conductivity_w_mk = in_.positive("for the thermal conductivity (W/(um K))") * 1e6;
        in_.expect(";", "after the thermal conductivity");
        in_.expect_words({"volumetric", "heat", "capacity"}, "in material '" + name + "'");
        m.heat_capacity_j_m3k = in_.positive("for the volumetric heat capacity (J/(um^3 K))") * 1e18;
        in_.expect(";", "after the volumetric heat capacity");
        s_.materials[name] = m;
      }

      /// `WHAT length L, width W ;`
      void length_width(const std::string &what, double &length, double &width)
      {
        in_.expect_words({what, "length"}, "in dimensions");
        length = in_.positive("for the " + what + " length (um)") * um;
        in_.expect(",", "after the " + what + " length");
        in_.expect("width", "in dimensions");
        width = in_.positive("for the " + what + " width (um)") * um;
        in_.expect(";", "after the " + what + " width");
      }

      void dimensions()
      {
        in_.expect(":", "after 'dimensions'");
        length_width("chip", s_.chip_length_m, s_.chip_width_m);
        length_width("cell", s_.cell_length_m, s_.cell_width_m);
        if (in_.accept("non-uniform"))
          {
            const std::string flag = in_.name("(true or false) after 'non-uniform'");
            if (flag == "true")
              in_.fail("non-uniform grids are not imported yet (chiptherm builds its own variable mesh: set "
                       "'non-uniform false')");
            in_.expect(";", "after non-uniform");
          }
        has_dimensions_ = true;
      }

      void layer(int line)
      {
        const std::string name = in_.name("after 'layer'");
        in_.expect(":", "after the layer name");
        ThreediceLayer l;
        l.line = line;
        in_.expect("height", "in layer '" + name + "'");
        l.height_m = in_.positive("for the layer height (um)") * um;
        in_.expect(";", "after the height");
        in_.expect("material", "in layer '" + name + "'");
        l.material = material_name(in_, s_.materials);
        in_.expect(";", "after the material");
        layer_types_[name] = l;
      }

      void die(int line)
      {
        const std::string name = in_.name("after 'die'");
        in_.expect(":", "after the die name");
        std::vector<ThreediceLayer> layers;
        while (in_.peek().value == "source" || (in_.peek().value == "layer" && in_.peek(1).kind == ThreediceToken::number))
          {
            ThreediceLayer l;
            l.line   = in_.peek().line;
            l.source = in_.accept("source");
            if (!l.source)
              in_.expect("layer", "");
            l.height_m = in_.positive("for the layer height (um) in die '" + name + "'") * um;
            l.material = material_name(in_, s_.materials);
            in_.expect(";", "after the layer of die '" + name + "'");
            layers.push_back(l);
          }
        const auto sources = std::count_if(layers.begin(), layers.end(), [](const auto &l) { return l.source; });
        if (sources != 1)
          throw InputError(SourceLocation{path_, line, ""},
                           "die '" + name + "' has " + std::to_string(sources) +
                             " source layers: expected exactly one ('source HEIGHT MATERIAL ;')");
        die_types_[name] = layers;
      }

      /// `die NAME TYPE floorplan "file" ;` or `layer NAME TYPE ;`
      ThreediceStackEntry stack_entry()
      {
        ThreediceStackEntry e;
        e.line = in_.peek().line;
        if (in_.accept("channel"))
          in_.fail(cavity);
        e.is_die = in_.accept("die");
        if (!e.is_die)
          in_.expect("layer", "");
        e.name = in_.name("(the instance name) in the stack");
        for (const auto &other : s_.entries)
          if (other.name == e.name)
            in_.fail("'" + e.name + "' appears twice in the stack");
        const int type_line = in_.peek().line;
        e.type              = in_.name("(a " + std::string(e.is_die ? "die" : "layer") + " type)");
        const SourceLocation type_at{path_, type_line, ""};
        if (e.is_die)
          {
            if (!die_types_.count(e.type))
              throw InputError(type_at, "die type '" + e.type + "' is not defined" +
                                          did_you_mean(e.type, names_of(die_types_)));
            e.layers = die_types_[e.type];
            in_.expect("floorplan", "after the die type");
            const std::string file     = in_.quoted("after 'floorplan'");
            // Relative to the stack's folder; else, as 3D-ICE opens it, to the
            // current folder (its own tests name files relative to test/).
            auto resolved = (folder_ / file).lexically_normal();
            if (!is_input_file(resolved) && std::filesystem::path(file).is_relative() &&
                is_input_file(file))
              resolved = std::filesystem::path(file).lexically_normal();
            e.floorplan = read_threedice_floorplan(resolved.string(), s_.chip_length_m, s_.chip_width_m);
            if (in_.accept("discretization"))
              in_.number("(columns)"), in_.number("(rows)");
          }
        else
          {
            if (!layer_types_.count(e.type))
              throw InputError(type_at, "layer type '" + e.type + "' is not defined" +
                                          did_you_mean(e.type, names_of(layer_types_)));
            e.layers = {layer_types_[e.type]};
          }
        in_.expect(";", "after the stack entry '" + e.name + "'");
        return e;
      }

      void stack()
      {
        in_.expect(":", "after 'stack'");
        if (!has_dimensions_)
          in_.fail("expected the 'dimensions' section before the stack");
        while (in_.peek().value == "die" || in_.peek().value == "layer" || in_.peek().value == "channel")
          s_.entries.push_back(stack_entry());
        if (s_.entries.empty())
          in_.fail("expected 'die NAME TYPE floorplan \"file\" ;' or 'layer NAME TYPE ;' in the stack");
        has_stack_ = true;
      }

      void solver(int line)
      {
        in_.expect(":", "after 'solver'");
        s_.solver_line = line;
        if (in_.accept("transient"))
          {
            s_.transient = true;
            in_.expect("step", "after 'transient'");
            s_.step_s = in_.positive("for the time step (s)");
            in_.expect(",", "after the step");
            in_.expect("slot", "after the step");
            s_.slot_s = in_.positive("for the time slot (s)");
            if (s_.slot_s < s_.step_s)
              in_.fail("expected a slot at least as long as the step");
          }
        else if (!in_.accept("steady"))
          in_.fail("expected 'steady' or 'transient step DT, slot DS' after 'solver :', got '" + in_.peek().value + "'");
        in_.expect(";", "after the solver kind");
        in_.expect_words({"initial", "temperature"}, "in the solver section");
        s_.initial_temperature_k = in_.positive("for the initial temperature (K)");
        in_.expect(";", "after the initial temperature");
        has_solver_ = true;
      }

      static constexpr const char *cavity =
        "microchannel and pin-fin cavities are not imported yet: chiptherm models solid stacks only";
      static constexpr const char *pluggable =
        "a pluggable heat sink runs a user's compiled model (a shared library or FMU) at every step: chiptherm "
        "cannot run it; give 'heat sink : heat transfer coefficient H ; temperature T ;' instead";

      TokenStream                                        in_;
      std::string                                        path_;
      std::filesystem::path                              folder_;
      ThreediceStack                                     s_;
      std::map<std::string, ThreediceLayer>              layer_types_;
      std::map<std::string, std::vector<ThreediceLayer>> die_types_;
      bool has_dimensions_ = false, has_stack_ = false, has_solver_ = false;
    };
  } // namespace

  ThreediceStack read_threedice_stack(const std::string &path) { return StackParser(path).parse(); }
} // namespace chiptherm::foreign
