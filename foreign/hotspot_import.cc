#include "hotspot_import.h"

#include "common/text_distance.h"
#include "floorplans/power_trace.h"
#include "hotspot_floorplan.h"
#include "hotspot_layers.h"
#include "floorplans/case_text.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace chiptherm::foreign
{
  using floorplans::guess_block_type;
  using floorplans::name_text;
  using floorplans::number_text;
  using floorplans::path_from_case;
  using floorplans::um_text;

  namespace
  {
    /// A layer of the imported stack, before it is written.
    struct StackLayer
    {
      std::string                     name, material, comment;
      double                          thickness_m = 0;
      std::optional<HotspotFloorplan> floorplan; ///< die layers
      bool                            dissipates = false;
      std::optional<double>           square_side_m; ///< spreader and sink: centred squares
    };

    struct MaterialEntry
    {
      std::string name;
      double      k = 0, c = 0;
      bool        lateral = true;
      std::string source;
    };

    /// A package material from -k_X/-p_X or, when -material_X is given, from the materials file.
    MaterialEntry package_material(const HotspotConfig &cfg, const std::map<std::string, HotspotMaterial> &materials,
                                   const std::string &part, const std::string &name)
    {
      const std::string key = "material_" + part;
      if (!cfg.text(key).empty())
        {
          const auto it = materials.find(cfg.text(key));
          if (it == materials.end())
            throw InputError(cfg.where(key), "expected a material of the materials file, got '" + cfg.text(key) + "'" +
                                               (materials.empty() ? std::string(" (no -materials_file was given)") : ""));
          return {name, it->second.conductivity_w_mk, it->second.heat_capacity_j_m3k, true,
                  "-" + key + " " + cfg.text(key) + " (" + cfg.origin(key) + ")"};
        }
      return {name, cfg.number("k_" + part), cfg.number("p_" + part), true,
              "-k_" + part + " (" + cfg.origin("k_" + part) + "), -p_" + part + " (" + cfg.origin("p_" + part) + ")"};
    }

    void reject_unsupported(const HotspotConfig &cfg)
    {
      const std::map<std::string, std::string> unsupported{
        {"model_secondary", "the secondary heat path (C4, substrate, PCB) is not imported yet: model it as native "
                            "layers below the die with a bottom boundary"},
        {"leakage_used", "temperature-dependent leakage is the co-design loop's work (issue 7), not imported yet"},
        {"package_model_used", "HotSpot's package convection model is not imported: give -r_convec"},
        {"use_microchannels", "microchannel cooling is not imported yet"}};
      for (const auto &[key, why] : unsupported)
        if (cfg.number(key) != 0)
          throw InputError(cfg.where(key), why);
      if (!cfg.text("init_file").empty())
        throw InputError(cfg.where("init_file"),
                         "initial temperatures from a file are not imported: the case starts from -init_temp; use "
                         "transient.initial: steady (the steady state of the first row) instead");
    }

    std::string location(const SourceLocation &w)
    {
      return w.line > 0 ? w.file + ":" + std::to_string(w.line) : w.file;
    }
  } // namespace

  HotspotInputs hotspot_inputs_from_arguments(const std::vector<std::string> &arguments, const std::string &where)
  {
    HotspotInputs in;
    for (auto &o : parse_hotspot_arguments(arguments, where))
      {
        if (o.key == "c")
          in.config = o.value;
        else if (o.key == "f")
          in.flp = o.value;
        else if (o.key == "p")
          in.ptrace = o.value;
        else
          in.options.push_back(o);
      }
    return in;
  }

  namespace
  {
    /// The stack bottom to top (die layers, then spreader and sink) and its materials.
    struct HotspotStack
    {
      std::vector<StackLayer>    layers;
      std::vector<MaterialEntry> materials;
      const HotspotFloorplan    &die() const { return *layers.front().floorplan; }
    };

    /// Die and TIM from the configuration (no layer file), or the layer file's layers.
    void read_die_layers(const HotspotInputs &in, const HotspotConfig &cfg,
                         const std::map<std::string, HotspotMaterial> &materials, const std::string &lcf_file,
                         HotspotStack &stack)
    {
      auto &layers = stack.layers;
      auto &entries = stack.materials;
      if (lcf_file.empty())
        {
          if (in.flp.empty())
            throw InputError("chiptherm import hotspot: expected a floorplan (--flp F.flp, or -f F.flp) or a layer "
                             "file (--lcf L.lcf)");
          entries.push_back(package_material(cfg, materials, "chip", "hotspot_chip"));
          entries.push_back(package_material(cfg, materials, "interface", "hotspot_interface"));
          layers.push_back({"die", "hotspot_chip", "-t_chip (" + cfg.origin("t_chip") + ")", cfg.number("t_chip"),
                            read_hotspot_floorplan(in.flp, in.flp_tolerance_m), true, std::nullopt});
          layers.push_back({"tim", "hotspot_interface", "-t_interface (" + cfg.origin("t_interface") + ")",
                            cfg.number("t_interface"), std::nullopt, false, std::nullopt});
          return;
        }
      for (const auto &l : read_hotspot_layers(lcf_file, materials))
        {
          const std::string name     = "layer" + std::to_string(l.number);
          const std::string material = l.material_name.empty() ? name : l.material_name;
          const bool        known    = std::any_of(entries.begin(), entries.end(),
                                                   [&](const MaterialEntry &e) { return e.name == material; });
          if (!known || !l.lateral_flow)
            entries.push_back({l.lateral_flow ? material : name, l.conductivity_w_mk, l.heat_capacity_j_m3k,
                               l.lateral_flow, location(l.where) + (l.material_name.empty() ? "" : " (" + material + ")")});
          layers.push_back({name, l.lateral_flow ? material : name, location(l.where), l.thickness_m,
                            read_hotspot_floorplan(l.floorplan_file, in.flp_tolerance_m), l.dissipates_power, std::nullopt});
          const auto &first = *layers.front().floorplan, &now = *layers.back().floorplan;
          if (std::abs(now.width_m - first.width_m) > 1e-9 || std::abs(now.height_m - first.height_m) > 1e-9)
            {
              char buf[200];
              std::snprintf(buf, sizeof buf,
                            "layer %d's floorplan is %.6g x %.6g mm, layer 0's %.6g x %.6g mm: every layer of a "
                            "HotSpot stack must have the same size",
                            l.number, now.width_m * 1e3, now.height_m * 1e3, first.width_m * 1e3, first.height_m * 1e3);
              throw InputError(l.where, buf);
            }
        }
      if (std::none_of(layers.begin(), layers.end(), [](const StackLayer &l) { return l.dissipates; }))
        throw InputError(SourceLocation{lcf_file, -1, ""}, "no layer dissipates power (third entry Y)");
    }

    /// The die layers, then the spreader and the sink (checked to be at least as wide as what they cover).
    HotspotStack read_stack(const HotspotInputs &in, const HotspotConfig &cfg,
                            const std::map<std::string, HotspotMaterial> &materials, const std::string &lcf_file)
    {
      HotspotStack stack;
      read_die_layers(in, cfg, materials, lcf_file, stack);
      const HotspotFloorplan &die = stack.die();
      for (const char *part : {"spreader", "sink"})
        {
          const std::string side = std::string("s_") + part;
          if (cfg.number(side) < std::max(die.width_m, die.height_m) - 1e-12)
            throw InputError(cfg.where(side), "the " + std::string(part) + " (" + number_text(cfg.number(side) * 1e3) +
                                                " mm) is narrower than the die (" + number_text(die.width_m * 1e3) +
                                                " x " + number_text(die.height_m * 1e3) +
                                                " mm): HotSpot needs it at least as wide");
        }
      if (cfg.number("s_sink") < cfg.number("s_spreader"))
        throw InputError(cfg.where("s_sink"), "the sink is narrower than the spreader: HotSpot needs it at least as wide");
      stack.materials.push_back(package_material(cfg, materials, "spreader", "hotspot_spreader"));
      stack.materials.push_back(package_material(cfg, materials, "sink", "hotspot_sink"));
      stack.layers.push_back({"spreader", "hotspot_spreader", "-t_spreader, -s_spreader (" + cfg.origin("t_spreader") + ")",
                              cfg.number("t_spreader"), std::nullopt, false, cfg.number("s_spreader")});
      stack.layers.push_back({"sink", "hotspot_sink", "-t_sink, -s_sink (" + cfg.origin("t_sink") + ")",
                              cfg.number("t_sink"), std::nullopt, false, cfg.number("s_sink")});
      return stack;
    }

    /// Each unit's mean power over the trace, checked: the trace's columns name
    /// units of the dissipating layers, every such unit once.
    std::map<std::string, double> mean_unit_powers(const std::string &ptrace, const floorplans::PowerTrace &trace,
                                                   const std::vector<StackLayer> &layers)
    {
      std::map<std::string, double>      mean_power;
      std::map<std::string, std::string> unit_layer;
      std::vector<std::string>           unit_names;
      for (const auto &l : layers)
        if (l.dissipates)
          for (const auto &u : l.floorplan->units)
            {
              if (unit_layer.count(u.name))
                throw InputError(SourceLocation{l.floorplan->file, u.line, ""},
                                 "unit '" + u.name + "' also names a unit of " + unit_layer[u.name] +
                                   ": a power trace names units, so they must differ across power layers");
              unit_layer[u.name] = l.name;
              unit_names.push_back(u.name);
            }
      const SourceLocation header{ptrace, trace.header_line, ""};
      for (std::size_t c = 0; c < trace.columns.size(); ++c)
        {
          const std::string &column = trace.columns[c];
          if (!unit_layer.count(column))
            throw InputError(header, "unit '" + column + "' (column " + std::to_string(c + 1) +
                                       ") is not a unit of a power-dissipating floorplan layer" +
                                       did_you_mean(column, unit_names));
          if (mean_power.count(column))
            throw InputError(header, "unit '" + column + "' has two columns");
          mean_power[column] = trace.schedules[c].energy_j(0, trace.end_s) / trace.end_s;
        }
      for (const auto &name : unit_names)
        if (!mean_power.count(name))
          throw InputError(header, "the trace has no column for unit '" + name + "' (layer " + unit_layer[name] +
                                     "): HotSpot needs a power for every unit");
      return mean_power;
    }

    void write_materials(std::ostream &y, const HotspotStack &stack)
    {
      y << "materials:\n";
      for (const auto &e : stack.materials)
        {
          y << "  - {name: " << name_text(e.name) << ", conductivity: ";
          if (e.lateral)
            y << number_text(e.k);
          else
            y << "[" << number_text(e.k * 1e-6) << ", " << number_text(e.k * 1e-6) << ", " << number_text(e.k) << "]";
          y << ", heat_capacity: " << number_text(e.c) << ",\n     source: " << name_text(e.source) << "}"
            << (e.lateral ? "" : "   # lateral heat flow N: in-plane conductivity 1e-6 of k") << "\n";
        }
      for (const auto &l : stack.layers)
        if (l.floorplan)
          for (const auto &u : l.floorplan->units)
            if (u.resistivity_mk_w)
              y << "  - {name: " << name_text(l.name + "_" + u.name) << ", conductivity: "
                << number_text(1.0 / *u.resistivity_mk_w) << ", heat_capacity: " << number_text(*u.heat_capacity_j_m3k)
                << ", source: " << name_text(location({l.floorplan->file, u.line, ""})) << "}\n";
    }

    /// A die layer's units: blocks, and regions of their own material (with a block when powered).
    void write_units(std::ostream &y, const StackLayer &l, const HotspotFloorplan &die,
                     const std::map<std::string, double> &mean_power)
    {
      // Every die layer sits on layer 0's die outline.
      const auto  &plan = *l.floorplan;
      const double dx = die.left_m - plan.left_m, dy = die.bottom_m - plan.bottom_m;
      y << "    footprint: [" << um_text(die.left_m) << ", " << um_text(die.bottom_m) << ", " << um_text(die.width_m)
        << ", " << um_text(die.height_m) << "]   # " << plan.file << "\n";
      auto block = [&](const HotspotUnit &u, double x, double yy) {
        std::ostringstream b;
        b << "{name: " << name_text(u.name) << ", type: " << guess_block_type(u.name) << ", rect: [" << um_text(x)
          << ", " << um_text(yy) << ", " << um_text(u.width_m) << ", " << um_text(u.height_m)
          << "], power: " << number_text(mean_power.count(u.name) ? mean_power.at(u.name) : 0.0) << "}";
        return b.str();
      };
      bool any_block = false, any_region = false;
      for (const auto &u : plan.units)
        (u.resistivity_mk_w ? any_region : any_block) = true;
      if (l.dissipates && any_block)
        {
          y << "    blocks:\n";
          for (const auto &u : plan.units)
            if (!u.resistivity_mk_w)
              y << "      - " << block(u, u.left_m + dx, u.bottom_m + dy) << "   # line " << u.line << "\n";
        }
      if (!any_region)
        return;
      y << "    regions:   # units with their own material (heat capacity and resistivity in the floorplan)\n";
      for (const auto &u : plan.units)
        if (u.resistivity_mk_w)
          {
            y << "      - {name: " << name_text(u.name) << ", material: " << name_text(l.name + "_" + u.name)
              << ", at: [" << um_text(u.left_m + dx) << ", " << um_text(u.bottom_m + dy) << "], size: ["
              << um_text(u.width_m) << ", " << um_text(u.height_m) << "]";
            if (l.dissipates)
              y << ",\n         blocks: [" << block(u, 0, 0) << "]";
            y << "}   # line " << u.line << "\n";
          }
    }

    void write_stack(std::ostream &y, const HotspotStack &stack, const std::map<std::string, double> &mean_power)
    {
      y << "stack:\n";
      for (const auto &l : stack.layers)
        {
          y << "  - name: " << name_text(l.name) << "   # " << l.comment << "\n"
            << "    material: " << name_text(l.material) << "\n"
            << "    thickness: " << um_text(l.thickness_m) << "\n";
          if (l.square_side_m)
            y << "    footprint: {width: " << um_text(*l.square_side_m) << ", height: " << um_text(*l.square_side_m)
              << ", centered: true}\n";
          if (l.floorplan)
            write_units(y, l, stack.die(), mean_power);
        }
    }

    /// Boundaries, the transient section that replays the trace, the HotSpot-layout outputs.
    void write_boundaries_and_runs(std::ostream &y, const HotspotConfig &cfg, const floorplans::PowerTrace &trace,
                                   const std::string &ptrace, const std::string &case_path)
    {
      y << "boundaries:\n"
        << "  top: {r_convec: " << number_text(cfg.number("r_convec")) << "}   # -r_convec (" << cfg.origin("r_convec")
        << "), over the sink's " << number_text(cfg.number("s_sink") * 1e3) << " mm square top face\n"
        << "  bottom: adiabatic\n"
        << "  sides: adiabatic\n";
      // One output per trace row, as HotSpot, up to 100 outputs (each is a ParaView frame too).
      const long rows  = std::lround(trace.end_s / cfg.number("sampling_intvl"));
      const long every = std::max(1L, (rows + 99) / 100);
      y << "transient:   # chiptherm transient: the trace row by row, as HotSpot runs it\n"
        << "  traces: " << name_text(path_from_case(ptrace, case_path)) << "\n"
        << "  trace_interval: " << number_text(cfg.number("sampling_intvl")) << "   # -sampling_intvl ("
        << cfg.origin("sampling_intvl") << ")\n"
        << "  output_interval: " << number_text(every * cfg.number("sampling_intvl"))
        << (every == 1 ? "   # a traces.ttrace row per trace row, as HotSpot writes them\n"
                       : "   # a traces.ttrace row (and a ParaView frame) every " + std::to_string(every) +
                           " trace rows; set it to trace_interval for one per row\n")
        << "  initial: {temperature: " << number_text(cfg.number("init_temp")) << "}   # -init_temp ("
        << cfg.origin("init_temp") << ")\n"
        << "  hotspot_ttrace: true   # also traces.ttrace: block mean temperatures in K, HotSpot's layout\n";
      y << "outputs: {hotspot_steady: true}   # also temperatures.steady: block temperatures in K, HotSpot's layout\n";
    }
  } // namespace

  ImportedCase import_hotspot(const HotspotInputs &in, const std::string &case_path)
  {
    std::vector<HotspotOption> options;
    if (!in.config.empty())
      options = read_hotspot_config_file(in.config);
    options.insert(options.end(), in.options.begin(), in.options.end());
    const HotspotConfig cfg(options);
    reject_unsupported(cfg);

    const std::string materials_file = !in.materials.empty() ? in.materials : cfg.text("materials_file");
    const auto        materials =
      materials_file.empty() ? std::map<std::string, HotspotMaterial>{} : read_hotspot_materials(materials_file);
    const std::string  lcf_file = !in.lcf.empty() ? in.lcf : cfg.text("grid_layer_file");
    const HotspotStack stack    = read_stack(in, cfg, materials, lcf_file);
    // Power: the trace's columns name units of the dissipating layers.
    if (in.ptrace.empty())
      throw InputError("chiptherm import hotspot: expected a power trace (--ptrace P.ptrace, or -p P.ptrace), as "
                       "HotSpot does: it gives the blocks their power");
    const auto trace      = floorplans::read_hotspot_ptrace(in.ptrace, cfg.number("sampling_intvl"));
    const auto mean_power = mean_unit_powers(in.ptrace, trace, stack.layers);

    const std::string  name = std::filesystem::path(lcf_file.empty() ? in.flp : lcf_file).stem().string();
    std::ostringstream y;
    y << "# chiptherm case imported from HotSpot inputs by `chiptherm import hotspot`.\n";
    if (!in.flp.empty() && lcf_file.empty())
      y << "#   floorplan:     " << in.flp << "\n";
    if (!lcf_file.empty())
      y << "#   layer file:    " << lcf_file << "\n";
    if (!in.config.empty())
      y << "#   configuration: " << in.config << "\n";
    if (!materials_file.empty())
      y << "#   materials:     " << materials_file << "\n";
    y << "#   power trace:   " << in.ptrace << " (" << number_text(std::round(trace.end_s / cfg.number("sampling_intvl")))
      << " rows of " << number_text(cfg.number("sampling_intvl")) << " s; steady power = each column's mean)\n";
    y << "# HotSpot's package as a 3D stack, bottom to top: "
      << (lcf_file.empty() ? "die, TIM" : "the layer file's layers (layer 0 at the bottom)")
      << ", then a square spreader and sink centred over the die. Convection -r_convec over the sink's top face\n"
         "# (h = 1/(r_convec s_sink^2)); every other face adiabatic. Not imported: HotSpot's lumped -c_convec (" +
           number_text(cfg.number("c_convec")) +
           " J/K; the sink's own heat capacity is modelled instead)\n"
           "# and -model_type (" + cfg.text("model_type") +
           "): chiptherm meshes the stack itself. Block types are guessed from the unit names: check them.\n";
    for (const auto &note : cfg.ignored_notes())
      y << "# Ignored: " << note << "\n";
    std::vector<std::string> warnings;
    for (const auto &layer : stack.layers)
      if (layer.floorplan)
        for (const auto &absorbed : layer.floorplan->absorbed)
          {
            y << "# Absorbed (below the floorplan tolerance, " << number_text(in.flp_tolerance_m * 1e6)
              << " um): " << absorbed << "\n";
            warnings.push_back(absorbed);
          }
    y << "version: 1\n"
      << "name: " << name_text(name) << "\n"
      << "units: {length: um, temperature: K}\n"
      << "ambient: " << number_text(cfg.number("ambient")) << "   # -ambient (" << cfg.origin("ambient") << ")\n";
    write_materials(y, stack);
    write_stack(y, stack, mean_power);
    write_boundaries_and_runs(y, cfg, trace, in.ptrace, case_path);
    return ImportedCase{name, y.str(), warnings};
  }
} // namespace chiptherm::foreign
