#pragma once
// Thermal material data and the library a case draws from. No deal.II here.
#include "common/case_node.h"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace chiptherm::materials
{
  struct Material
  {
    std::string           name;
    std::array<double, 3> conductivity_w_mk{};     ///< kx, ky, kz at reference temperature, W/(m K)
    double                heat_capacity_j_m3k = 0; ///< volumetric, J/(m^3 K)
    /// k(T) = k0 (T / t0_k)^exponent; exponent 0 means constant conductivity.
    double      k_exponent = 0;
    double      k_reference_temperature_k = 300;
    std::string source;       ///< where the numbers come from
    std::string defined_at;   ///< "file:line" of the entry, for messages

    bool is_isotropic() const
    {
      return conductivity_w_mk[0] == conductivity_w_mk[1] && conductivity_w_mk[1] == conductivity_w_mk[2];
    }
    bool depends_on_temperature() const { return k_exponent != 0; }
  };

  /// An array of parallel cylindrical pillars (bumps, C4 balls, TSVs, bond
  /// pads) in a fill, as one homogeneous anisotropic material: z along the
  /// pillars (parallel: phi k_p + (1 - phi) k_f, exact for straight pillars),
  /// x and y across them (Maxwell-Garnett / Rayleigh for cylinders in a square
  /// array: k_f ((1 + phi) k_p + (1 - phi) k_f) / ((1 - phi) k_p + (1 + phi) k_f)),
  /// rho c by volume. area_fraction phi = pi d^2 / (4 pitch^2).
  struct HomogenisedArray
  {
    std::array<double, 3> conductivity_w_mk{};
    double                heat_capacity_j_m3k = 0;
  };
  HomogenisedArray homogenise_array(const Material &pillar, const Material &fill, double area_fraction);

  class MaterialLibrary
  {
  public:
    /// The library shipped in materials/data/standard.yaml (embedded in the binary).
    static MaterialLibrary standard();

    /// Reads a case's `materials:` list: the name `standard`, paths to library
    /// files (relative to base_directory), and inline entries. Later entries
    /// override earlier ones of the same name.
    void add_from_case(const CaseNode &materials_list, const std::string &base_directory);
    /// Reads a library file: a map with key `materials:` holding a list of entries.
    void add_file(const std::string &path);
    /// Reads one entry (a map with name, conductivity, heat_capacity, source).
    void add_entry(const CaseNode &entry);

    bool                     contains(const std::string &name) const { return by_name_.count(name) > 0; }
    /// The material called name, or nullptr.
    const Material          *find(const std::string &name) const
    {
      const auto it = by_name_.find(name);
      return it == by_name_.end() ? nullptr : &it->second;
    }
    /// The material called name; fails at `where` with a did-you-mean otherwise.
    const Material          &get(const std::string &name, const CaseNode &where) const;
    std::vector<std::string> names() const;
    std::size_t              size() const { return by_name_.size(); }

  private:
    void add_library_document(const CaseNode &root);
    std::map<std::string, Material> by_name_;
  };
} // namespace chiptherm::materials
