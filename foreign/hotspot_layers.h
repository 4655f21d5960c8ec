#pragma once
// HotSpot's layer description (.lcf, `-grid_layer_file`) and materials file
// (`-materials_file`). An .lcf layer is seven entries on their own lines:
// number, lateral heat flow Y/N, dissipates power Y/N, volumetric heat capacity,
// resistivity, thickness, floorplan file; or six, with a material name from the
// materials file in place of heat capacity and resistivity. A materials record
// is name, solid|fluid, conductivity, volumetric heat capacity (and a viscosity
// for fluids). Layer 0 is farthest from the heat sink. No deal.II here.
#include "common/errors.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chiptherm::foreign
{
  struct HotspotMaterial
  {
    std::string name;
    bool        fluid = false;
    double      conductivity_w_mk = 0, heat_capacity_j_m3k = 0;
    SourceLocation where;
  };

  /// By name. Errors (file, line) on a short record, an unknown kind or a bad number.
  std::map<std::string, HotspotMaterial> read_hotspot_materials(const std::string &path);

  struct HotspotLayer
  {
    int            number = 0;
    bool           lateral_flow = true, dissipates_power = false;
    double         heat_capacity_j_m3k = 0, conductivity_w_mk = 0, thickness_m = 0;
    std::string    material_name;  ///< set when the layer names a material
    std::string    floorplan_file; ///< resolved against the .lcf's folder
    SourceLocation where;          ///< the line of the layer number
  };

  /// Layers in file order; numbers must run 0, 1, 2, ... Material names are
  /// looked up in materials (an unknown name, or a fluid, is an error).
  std::vector<HotspotLayer> read_hotspot_layers(const std::string &path,
                                                const std::map<std::string, HotspotMaterial> &materials);
} // namespace chiptherm::foreign
