#include "hotspot_config.h"

#include "common/text_distance.h"
#include "token_lines.h"

#include <algorithm>

namespace chiptherm::foreign
{
  namespace
  {
    // HotSpot's numeric keys and defaults (SI units, temperatures in K).
    const std::map<std::string, double> &numeric_defaults()
    {
      static const std::map<std::string, double> d{
        {"t_chip", 0.15e-3},      {"k_chip", 100.0},        {"p_chip", 1.75e6},          {"c_convec", 140.4},
        {"r_convec", 0.1},        {"s_sink", 60e-3},        {"t_sink", 6.9e-3},          {"k_sink", 400.0},
        {"p_sink", 3.55e6},       {"s_spreader", 30e-3},    {"t_spreader", 1e-3},        {"k_spreader", 400.0},
        {"p_spreader", 3.55e6},   {"t_interface", 20e-6},   {"k_interface", 4.0},        {"p_interface", 4.0e6},
        {"model_secondary", 0},   {"r_convec_sec", 1.0},    {"c_convec_sec", 140.4},     {"n_metal", 8},
        {"t_metal", 10e-6},       {"t_c4", 1e-4},           {"s_c4", 20e-6},             {"n_c4", 400},
        {"s_sub", 0.021},         {"t_sub", 1e-3},          {"s_solder", 0.021},         {"t_solder", 0.94e-3},
        {"s_pcb", 0.1},           {"t_pcb", 2e-3},          {"ambient", 318.15},         {"init_temp", 333.15},
        {"sampling_intvl", 3.333e-6}, {"leakage_used", 0},  {"leakage_mode", 0},         {"package_model_used", 0},
        {"use_microchannels", 0}};
      return d;
    }

    // HotSpot's text keys (file names, modes, material names) and defaults;
    // c, f, p, o, d are the command line's config, floorplan, power trace,
    // temperature trace and dump-config files.
    const std::map<std::string, std::string> &text_defaults()
    {
      static const std::map<std::string, std::string> d{
        {"model_type", "block"},    {"detailed_3D", "off"},     {"init_file", ""},     {"steady_file", ""},
        {"package_config_file", ""}, {"grid_layer_file", ""},   {"material_chip", ""}, {"material_sink", ""},
        {"material_spreader", ""},  {"material_interface", ""}, {"materials_file", ""}, {"c", ""},
        {"f", ""},                  {"p", ""},                  {"o", ""},             {"d", ""}};
      return d;
    }

    // Keys HotSpot 7 accepts that change nothing in the runs chiptherm imports,
    // by the module that reads them (flp.c, microchannel.c, package.c), with
    // why they are ignored. The modules they drive are refused when switched on
    // (hotspot_import.cc), so ignoring their settings loses nothing.
    struct IgnoredGroup
    {
      const char              *why;
      std::vector<std::string> keys;
    };
    const std::vector<IgnoredGroup> &ignored_groups()
    {
      static const std::vector<IgnoredGroup> g{
        {"hotfloorplan's floorplanning options; a thermal run does not read them",
         {"Davg", "Kmoves", "Nmax", "P0", "Rcool", "Rreject", "compact_ratio", "l2_label", "lambdaA", "lambdaT",
          "lambdaW", "model_rim", "n_orients", "rim_thickness", "wrap_l2"}},
        {"microchannel cooling options; -use_microchannels is 0, so HotSpot ignores them too",
         {"coolant_capac", "coolant_material", "coolant_res", "coolant_visc", "htc", "inlet_temperature",
          "network_file", "pump_internal_res", "pumping_pressure", "wall_capac", "wall_material", "wall_res",
          "use_microfluidic_cooling"}},
        {"HotSpot's grid model and its output files; chiptherm meshes the stack itself and writes the whole "
         "field to solution.pvd (block temperatures to -steady_file and -o)",
         {"grid_rows", "grid_cols", "grid_map_mode", "grid_steady_file", "grid_transient_file"}},
        {"HotSpot's dynamic thermal management and block-model settings; chiptherm has no DTM (its throttling "
         "is the co-design loop's) and no block model",
         {"dtm_used", "base_proc_freq", "thermal_threshold", "block_omit_lateral"}},
        {"HotSpot's package convection model options; -package_model_used is 0, so HotSpot ignores them too",
         {"natural_convec", "flow_type", "sink_type", "fin_height", "fin_width", "channel_width", "pin_height",
          "pin_diam", "pin_dist", "fan_radius", "motor_radius", "rpm"}}};
      return g;
    }

    const IgnoredGroup *ignored_group_of(const std::string &key)
    {
      for (const auto &group : ignored_groups())
        if (std::find(group.keys.begin(), group.keys.end(), key) != group.keys.end())
          return &group;
      return nullptr;
    }

    std::vector<std::string> known_keys()
    {
      std::vector<std::string> keys;
      for (const auto &[k, v] : numeric_defaults())
        keys.push_back(k);
      for (const auto &[k, v] : text_defaults())
        keys.push_back(k);
      for (const auto &group : ignored_groups())
        keys.insert(keys.end(), group.keys.begin(), group.keys.end());
      return keys;
    }

    /// HotSpot writes "(null)" for "no file" (util.h, NULLFILE).
    std::string text_value(const std::string &value)
    {
      return value == "(null)" ? std::string() : value;
    }

    HotspotOption make_option(const std::string &flag, const std::string &value, const SourceLocation &where)
    {
      if (flag.size() < 2 || flag[0] != '-')
        throw InputError(where, "expected '-key value' (a HotSpot option such as -r_convec 0.1), got '" + flag + "'");
      return HotspotOption{flag.substr(1), value, where};
    }
  } // namespace

  std::vector<HotspotOption> read_hotspot_config_file(const std::string &path)
  {
    std::vector<HotspotOption> options;
    for (const auto &[line, t] : read_token_lines(path, "HotSpot configuration"))
      {
        const SourceLocation at{path, line, ""};
        if (t.size() != 2)
          throw InputError(at, "expected one '-key value' pair per line, got " + std::to_string(t.size()) + " values");
        options.push_back(make_option(t[0], t[1], at));
      }
    return options;
  }

  std::vector<HotspotOption> parse_hotspot_arguments(const std::vector<std::string> &arguments, const std::string &where)
  {
    std::vector<HotspotOption> options;
    for (std::size_t i = 0; i < arguments.size(); i += 2)
      {
        const SourceLocation at{where, -1, arguments[i]};
        if (i + 1 == arguments.size())
          throw InputError(at, "expected a value after '" + arguments[i] + "'");
        options.push_back(make_option(arguments[i], arguments[i + 1], at));
      }
    return options;
  }

  HotspotConfig::HotspotConfig(const std::vector<HotspotOption> &options)
    : numbers_(numeric_defaults())
    , texts_(text_defaults())
  {
    for (const auto &o : options)
      {
        SourceLocation at = o.where;
        at.key            = "-" + o.key;
        if (numbers_.count(o.key))
          numbers_[o.key] = parse_number(o.value, at, "HotSpot option -" + o.key);
        else if (texts_.count(o.key))
          texts_[o.key] = text_value(o.value);
        else if (ignored_group_of(o.key))
          ignored_[o.key] = o.value;
        else
          throw InputError(at, "expected a HotSpot option; -" + o.key + " is not one" +
                                 did_you_mean(o.key, known_keys()));
        origin_[o.key] = at;
      }
    for (const char *key : {"t_chip", "k_chip", "p_chip", "s_sink", "t_sink", "k_sink", "p_sink", "s_spreader",
                            "t_spreader", "k_spreader", "p_spreader", "t_interface", "k_interface", "p_interface",
                            "r_convec", "ambient", "sampling_intvl"})
      if (!(numbers_[key] > 0))
        throw InputError(where(key), "expected a positive value for -" + std::string(key) + ", got " +
                                       std::to_string(numbers_[key]));
    const std::string model = texts_["model_type"];
    if (model != "block" && model != "grid")
      throw InputError(where("model_type"), "expected -model_type block or grid, got '" + model + "'");
  }

  std::vector<std::string> HotspotConfig::ignored_notes() const
  {
    std::vector<std::string> notes;
    for (const auto &group : ignored_groups())
      {
        std::string keys;
        for (const auto &key : group.keys)
          if (ignored_.count(key))
            keys += (keys.empty() ? "-" : ", -") + key;
        if (!keys.empty())
          notes.push_back(keys + ": " + group.why);
      }
    return notes;
  }

  double HotspotConfig::number(const std::string &key) const
  {
    return numbers_.at(key);
  }

  std::string HotspotConfig::text(const std::string &key) const
  {
    return texts_.at(key);
  }

  std::string HotspotConfig::origin(const std::string &key) const
  {
    const auto it = origin_.find(key);
    if (it == origin_.end())
      return "HotSpot default";
    return it->second.line > 0 ? it->second.file + ":" + std::to_string(it->second.line) : it->second.file;
  }

  SourceLocation HotspotConfig::where(const std::string &key) const
  {
    const auto it = origin_.find(key);
    return it == origin_.end() ? SourceLocation{"HotSpot defaults", -1, "-" + key} : it->second;
  }
} // namespace chiptherm::foreign
