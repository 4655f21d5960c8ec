#include "material_library.h"

#include "common/input_files.h"
#include "common/case_document.h"
#include "common/text_distance.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace chiptherm::materials
{
  namespace
  {
    double conductivity(const CaseNode &k)
    {
      return k.number_in(physical_range::min_conductivity_w_mk, physical_range::max_conductivity_w_mk, "W/(m K)");
    }
  } // namespace

  const char *standard_library_yaml(); // generated from data/standard.yaml at build time

  MaterialLibrary MaterialLibrary::standard()
  {
    // Parsed once per process: sweeps, imports and every case read start from it.
    static const MaterialLibrary parsed = [] {
      MaterialLibrary lib;
      lib.add_library_document(CaseDocument::parse(standard_library_yaml(), "materials/data/standard.yaml").root());
      return lib;
    }();
    return parsed;
  }

  void MaterialLibrary::add_library_document(const CaseNode &root)
  {
    root.expect_keys({"materials"});
    for (const auto &entry : root.at("materials").items())
      add_entry(entry);
  }

  void MaterialLibrary::add_file(const std::string &path)
  {
    add_library_document(CaseDocument::load(path).root());
  }

  HomogenisedArray homogenise_array(const Material &pillar, const Material &fill, double area_fraction)
  {
    const double phi = area_fraction;
    HomogenisedArray h;
    for (std::size_t d = 0; d < 3; ++d)
      {
        const double kp = pillar.conductivity_w_mk[d], kf = fill.conductivity_w_mk[d];
        // Along the pillars the two conduct side by side (exact for straight
        // pillars); across them, Maxwell-Garnett / Rayleigh's first-order
        // result for parallel cylinders in a square array.
        h.conductivity_w_mk[d] = d == 2 ? phi * kp + (1 - phi) * kf
                                        : kf * ((1 + phi) * kp + (1 - phi) * kf) / ((1 - phi) * kp + (1 + phi) * kf);
      }
    h.heat_capacity_j_m3k = phi * pillar.heat_capacity_j_m3k + (1 - phi) * fill.heat_capacity_j_m3k;
    return h;
  }

  void MaterialLibrary::add_entry(const CaseNode &entry)
  {
    entry.expect_keys({"name", "conductivity", "heat_capacity", "source", "array"});
    Material m;
    m.name = entry.at("name").text();
    if (entry.has("array"))
      {
        // A bump, C4, TSV or bond-pad array as one anisotropic layer material:
        // {pitch, diameter, pillar: material, fill: material}, square layout.
        const CaseNode a = entry.at("array");
        a.expect_keys({"pitch", "diameter", "pillar", "fill"});
        for (const char *key : {"conductivity", "heat_capacity"})
          if (entry.has(key))
            entry.at(key).fail("an array's conductivity and heat capacity come from its pillar and fill materials");
        const double pitch = a.at("pitch").positive_number(), diameter = a.at("diameter").positive_number();
        if (diameter >= pitch)
          a.at("diameter").fail("expected a diameter below the pitch (" + a.at("pitch").text() + ")");
        const Material &pillar = get(a.at("pillar").text(), a.at("pillar"));
        const Material &fill   = get(a.at("fill").text(), a.at("fill"));
        for (const Material *part : {&pillar, &fill})
          if (part->depends_on_temperature())
            a.fail("material '" + part->name + "' has k(T): an array homogenises constant conductivities");
        const double area_fraction = M_PI * diameter * diameter / (4 * pitch * pitch);
        const auto   h             = homogenise_array(pillar, fill, area_fraction);
        m.conductivity_w_mk        = h.conductivity_w_mk;
        m.heat_capacity_j_m3k      = h.heat_capacity_j_m3k;
        char buf[300];
        std::snprintf(buf, sizeof buf, "homogenised %s pillars (%.4g%% of the area) in %s: k_z parallel, k_xy "
                      "Maxwell-Garnett for cylinders", pillar.name.c_str(), 100 * area_fraction, fill.name.c_str());
        m.source     = entry.text_or("source", buf);
        const auto w = entry.where();
        m.defined_at = w.file + (w.line > 0 ? ":" + std::to_string(w.line) : "");
        by_name_[m.name] = m;
        return;
      }
    const CaseNode k = entry.at("conductivity");
    if (k.is_sequence())
      {
        k.numbers(3);
        const auto items = k.items();
        for (std::size_t d = 0; d < 3; ++d)
          m.conductivity_w_mk[d] = conductivity(items[d]);
      }
    else if (k.is_map())
      {
        k.expect_keys({"k0", "t0_k", "exponent"});
        const double k0 = conductivity(k.at("k0"));
        m.conductivity_w_mk         = {k0, k0, k0};
        m.k_reference_temperature_k = k.at("t0_k").positive_number();
        m.k_exponent                = k.at("exponent").number();
      }
    else
      {
        const double k0     = conductivity(k);
        m.conductivity_w_mk = {k0, k0, k0};
      }
    m.heat_capacity_j_m3k = entry.at("heat_capacity").number_in(physical_range::min_heat_capacity_j_m3k,
                                                                physical_range::max_heat_capacity_j_m3k, "J/(m^3 K)");
    m.source              = entry.text_or("source", "");
    const auto w          = entry.where();
    m.defined_at          = w.file + (w.line > 0 ? ":" + std::to_string(w.line) : "");
    by_name_[m.name]      = m;
  }

  void MaterialLibrary::add_from_case(const CaseNode &materials_list, const std::string &base_directory)
  {
    for (const auto &item : materials_list.items())
      {
        if (item.is_map())
          {
            add_entry(item);
            continue;
          }
        const std::string ref = item.text();
        if (ref == "standard")
          {
            for (auto &[name, m] : standard().by_name_)
              by_name_[name] = m;
            continue;
          }
        std::filesystem::path p(ref);
        if (p.is_relative())
          p = std::filesystem::path(base_directory) / p;
        if (!is_input_file(p))
          item.fail("expected 'standard', a material entry, or a library file; no file '" + p.string() + "'");
        add_file(p.string());
      }
  }

  const Material &MaterialLibrary::get(const std::string &name, const CaseNode &where) const
  {
    const auto it = by_name_.find(name);
    if (it == by_name_.end())
      where.fail("unknown material '" + name + "'" + did_you_mean(name, names()) +
                 "; known: " + join(names()));
    return it->second;
  }

  std::vector<std::string> MaterialLibrary::names() const
  {
    std::vector<std::string> n;
    for (const auto &kv : by_name_)
      n.push_back(kv.first);
    return n;
  }
} // namespace chiptherm::materials
