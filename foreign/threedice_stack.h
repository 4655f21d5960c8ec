#pragma once
// 3D-ICE inputs (v3/v4, ../shared/docs/foreign-formats.md): the stack
// description (.stk) and its floorplans (.flp), converted to SI units
// (3D-ICE writes um, W/(um K), J/(um^3 K), W/(um^2 K)). Microchannel and
// pin-fin cavities are refused with a clear message. No deal.II here.
#include "common/errors.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chiptherm::foreign
{
  struct ThreediceRect
  {
    double x_m = 0, y_m = 0, length_m = 0, width_m = 0; ///< length along x, width along y
  };

  struct ThreediceElement
  {
    std::string                name;
    std::vector<ThreediceRect> rects;    ///< one, or several for `rectangle (...)` lists
    std::vector<double>        powers_w; ///< one per time slot
    int                        line = 0;
  };

  struct ThreediceFloorplan
  {
    std::string                   file;
    std::vector<ThreediceElement> elements;
  };

  /// Reads path; elements must lie inside the chip (length x width) and not
  /// overlap; every element has the same number of power values.
  ThreediceFloorplan read_threedice_floorplan(const std::string &path, double chip_length_m, double chip_width_m);

  struct ThreediceMaterial
  {
    double conductivity_w_mk = 0, heat_capacity_j_m3k = 0;
    int    line = 0;
  };

  struct ThreediceHeatSink
  {
    double h_w_m2k = 0, temperature_k = 0;
    int    line = 0;
  };

  struct ThreediceLayer ///< a layer of a die, or a stand-alone layer of the stack
  {
    double      height_m = 0;
    std::string material;
    bool        source = false;
    int         line   = 0;
  };

  struct ThreediceStackEntry
  {
    bool                    is_die = false;
    std::string             name; ///< the instance name in the stack
    std::string             type; ///< the die or layer definition it uses
    std::vector<ThreediceLayer> layers; ///< top to bottom (a layer entry: one)
    std::optional<ThreediceFloorplan> floorplan; ///< dies
    int                     line = 0;
  };

  struct ThreediceStack
  {
    std::string                              file;
    std::map<std::string, ThreediceMaterial> materials;
    std::optional<ThreediceHeatSink>         top_sink, bottom_sink;
    double chip_length_m = 0, chip_width_m = 0, cell_length_m = 0, cell_width_m = 0;
    std::vector<ThreediceStackEntry> entries; ///< first entry topmost, as in the file
    bool   transient = false;
    double step_s = 0, slot_s = 0;
    double initial_temperature_k = 300;
    int    solver_line = 0;
  };

  /// Reads path and the floorplans it names (relative to its folder). Errors
  /// name the file and line: unknown materials, dies and layer types, a die
  /// without exactly one source layer, cavities, a missing section.
  ThreediceStack read_threedice_stack(const std::string &path);
} // namespace chiptherm::foreign
