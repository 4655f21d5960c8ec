#include "hotspot_layers.h"

#include "common/input_files.h"
#include "common/text_distance.h"
#include "token_lines.h"

#include <filesystem>

namespace chiptherm::foreign
{
  namespace
  {
    /// The next entry of a file whose entries stand one per line.
    struct EntryCursor
    {
      const std::vector<TokenLine> &lines;
      const std::string            &path;
      std::size_t                   next = 0;

      bool at_end() const { return next == lines.size(); }
      /// The next line's single token; what says what the entry should be.
      std::pair<std::string, SourceLocation> take(const std::string &what, const SourceLocation &record)
      {
        if (at_end())
          throw InputError(record, "the record that starts here ends early: expected " + what +
                                     " on a further line");
        const TokenLine &l = lines[next++];
        const SourceLocation at{path, l.line, ""};
        if (l.tokens.size() != 1)
          throw InputError(at, "expected one entry per line (" + what + "), got " + std::to_string(l.tokens.size()) +
                                 " values");
        return {l.tokens[0], at};
      }
      bool yes_no(const std::string &what, const SourceLocation &record)
      {
        const auto [token, at] = take(what, record);
        if (token == "Y" || token == "y")
          return true;
        if (token == "N" || token == "n")
          return false;
        throw InputError(at, "expected Y or N for " + what + ", got '" + token + "'");
      }
    };
  } // namespace

  std::map<std::string, HotspotMaterial> read_hotspot_materials(const std::string &path)
  {
    const auto                             lines = read_token_lines(path, "HotSpot materials file");
    EntryCursor                            cursor{lines, path};
    std::map<std::string, HotspotMaterial> materials;
    while (!cursor.at_end())
      {
        HotspotMaterial m;
        const SourceLocation record{path, lines[cursor.next].line, ""};
        m.where = record;
        m.name  = cursor.take("the material name", record).first;
        const auto [kind, kind_at] = cursor.take("solid or fluid", record);
        if (kind != "solid" && kind != "fluid")
          throw InputError(kind_at, "expected solid or fluid for material '" + m.name + "', got '" + kind + "'");
        m.fluid = kind == "fluid";
        auto [k, k_at] = cursor.take("the thermal conductivity (W/(m K))", record);
        m.conductivity_w_mk = parse_positive(k, k_at, "thermal conductivity (W/(m K))");
        auto [c, c_at] = cursor.take("the volumetric heat capacity (J/(m^3 K))", record);
        m.heat_capacity_j_m3k = parse_positive(c, c_at, "volumetric heat capacity (J/(m^3 K))");
        if (m.fluid)
          {
            auto [mu, mu_at] = cursor.take("the dynamic viscosity (Pa s) of a fluid", record);
            parse_positive(mu, mu_at, "dynamic viscosity (Pa s)");
          }
        if (materials.count(m.name))
          throw InputError(record, "material '" + m.name + "' is defined twice (first at line " +
                                     std::to_string(materials[m.name].where.line) + ")");
        materials[m.name] = m;
      }
    return materials;
  }

  std::vector<HotspotLayer> read_hotspot_layers(const std::string &path,
                                                const std::map<std::string, HotspotMaterial> &materials)
  {
    const auto                lines = read_token_lines(path, "HotSpot layer file");
    EntryCursor               cursor{lines, path};
    std::vector<HotspotLayer> layers;
    const auto                folder = std::filesystem::path(path).parent_path();
    while (!cursor.at_end())
      {
        HotspotLayer l;
        l.where = SourceLocation{path, lines[cursor.next].line, ""};
        const auto [number, number_at] = cursor.take("the layer number", l.where);
        const double as_read = parse_number(number, number_at, "layer number");
        l.number             = as_read >= 0 && as_read < 1e6 ? static_cast<int>(as_read) : -1;
        if (l.number != static_cast<int>(layers.size()) || std::to_string(l.number) != number)
          throw InputError(number_at, "expected layer number " + std::to_string(layers.size()) +
                                        " (layers are numbered 0, 1, 2, ... in order), got '" + number + "'");
        l.lateral_flow     = cursor.yes_no("lateral heat flow", l.where);
        l.dissipates_power = cursor.yes_no("power dissipation", l.where);
        const auto [fourth, fourth_at] = cursor.take("the volumetric heat capacity or a material name", l.where);
        char *end = nullptr;
        std::strtod(fourth.c_str(), &end);
        if (*end == '\0')
          {
            l.heat_capacity_j_m3k = parse_positive(fourth, fourth_at, "volumetric heat capacity (J/(m^3 K))");
            const auto [r, r_at]  = cursor.take("the resistivity (m K/W)", l.where);
            l.conductivity_w_mk   = 1.0 / parse_positive(r, r_at, "resistivity (m K/W)");
          }
        else
          {
            const auto it = materials.find(fourth);
            if (it == materials.end())
              {
                std::vector<std::string> names;
                for (const auto &[name, m] : materials)
                  names.push_back(name);
                throw InputError(fourth_at, "expected a heat capacity or a material of the materials file, got '" +
                                              fourth + "'" +
                                              (names.empty() ? std::string(" (no -materials_file was given)")
                                                             : did_you_mean(fourth, names)));
              }
            if (it->second.fluid)
              throw InputError(fourth_at, "material '" + fourth +
                                            "' is a fluid: microchannel layers are not imported yet");
            l.material_name       = fourth;
            l.heat_capacity_j_m3k = it->second.heat_capacity_j_m3k;
            l.conductivity_w_mk   = it->second.conductivity_w_mk;
          }
        const auto [t, t_at] = cursor.take("the thickness (m)", l.where);
        l.thickness_m        = parse_positive(t, t_at, "thickness (m)");
        const auto [file, file_at] = cursor.take("the floorplan file", l.where);
        // HotSpot opens it from the folder it runs in; a layer file usually
        // sits beside its floorplans. Either is accepted, the layer file's folder first.
        l.floorplan_file = (folder / file).lexically_normal().string();
        if (!is_input_file(l.floorplan_file) && is_input_file(file))
          l.floorplan_file = file;
        if (!is_input_file(l.floorplan_file))
          throw InputError(file_at, "floorplan file '" + file + "' does not exist (looked in " +
                                      (folder.empty() ? std::string(".") : folder.string()) + " and .)");
        layers.push_back(l);
      }
    if (layers.empty())
      throw InputError(SourceLocation{path, -1, ""}, "the layer file holds no layers");
    return layers;
  }
} // namespace chiptherm::foreign
