#pragma once
// The chip as chiptherm sees it: layers bottom to top, in-plane regions of other
// materials, powered blocks, boundaries. SI units throughout (m, W, K).
// No deal.II here: the mesh builder turns this into cells.
#include "common/errors.h"
#include "materials/material_library.h"
#include "power_schedule.h"

#include <optional>
#include <string>
#include <vector>

namespace chiptherm::floorplans
{
  enum class BlockType
  {
    logic,
    memory,
    accelerator,
    analog,
    clock,
    pmic,
    photonic,
    io,
    other
  };
  constexpr std::size_t           n_block_types = 9;
  const std::vector<std::string> &block_type_names();
  std::string                     to_string(BlockType t);

  /// Axis-aligned rectangle in the plane, metres.
  struct Rect
  {
    double x = 0, y = 0, width = 0, height = 0;
    double x_end() const { return x + width; }
    double y_end() const { return y + height; }
    double area() const { return width * height; }
    bool   contains(double px, double py) const { return px >= x && px <= x_end() && py >= y && py <= y_end(); }
    /// True when the interiors overlap by more than tol in both directions.
    bool overlaps(const Rect &o, double tol) const
    {
      return x + tol < o.x_end() && o.x + tol < x_end() && y + tol < o.y_end() && o.y + tol < y_end();
    }
    /// True when o lies inside this rectangle, up to tol.
    bool encloses(const Rect &o, double tol) const
    {
      return o.x >= x - tol && o.x_end() <= x_end() + tol && o.y >= y - tol && o.y_end() <= y_end() + tol;
    }
  };

  /// The bounding box of non-empty rects.
  inline Rect bounding_box(const std::vector<Rect> &rects)
  {
    double x0 = rects.front().x, y0 = rects.front().y, x1 = rects.front().x_end(), y1 = rects.front().y_end();
    for (const auto &r : rects)
      {
        x0 = r.x < x0 ? r.x : x0, y0 = r.y < y0 ? r.y : y0;
        x1 = r.x_end() > x1 ? r.x_end() : x1, y1 = r.y_end() > y1 ? r.y_end() : y1;
      }
    return {x0, y0, x1 - x0, y1 - y0};
  }

  /// Leakage power that grows with the local temperature:
  /// P_leak = p0 exp(beta (T - t0)), spread over the block's volume and
  /// evaluated cell by cell from the temperature there.
  struct Leakage
  {
    double p0_w       = 0;
    double t0_k       = 0;
    double beta_per_k = 0;
  };

  /// One operating point of a block with dynamic voltage and frequency scaling.
  struct OperatingPoint
  {
    double frequency_hz = 0, voltage_v = 0, power_w = 0; ///< power: dynamic, at this point
  };

  /// DVFS: operating points from the fastest down, and the throttling policy:
  /// the block runs at the fastest point that keeps its t_max within limit_k
  /// (its sign-off limit unless given); hysteresis_k for transient control.
  struct Dvfs
  {
    std::vector<OperatingPoint> points;
    std::optional<double>       limit_k;
    double                      hysteresis_k = 2;
  };

  struct Block
  {
    std::string name;
    BlockType   type = BlockType::logic;
    Rect        rect;          ///< global coordinates, m; the bounding box of rects
    /// The block's rectangles (global, m, not overlapping): one for a plain
    /// block, several for a rectilinear one (`rects:`); power spreads over
    /// their area, figures are taken over all of them.
    std::vector<Rect> rects;
    double      area_m2() const
    {
      double a = 0;
      for (const auto &r : rects)
        a += r.area();
      return a;
    }
    double      power_w = 0;   ///< uniform over the block's volume; what steady runs use
    /// Power over time for transient runs (constant power_w unless the case
    /// gives a schedule or a trace names the block).
    PowerSchedule power_over_time;
    std::string die;           ///< the layer (or region) it belongs to, for reports
    std::optional<double> limit_k;       ///< per-block override of the type's temperature limit
    std::optional<double> delta_limit_k; ///< per-block limit on t_max - t_min inside the block, K
    std::optional<Leakage> leakage;      ///< adds to power_w (steady runs)
    std::optional<Dvfs>    dvfs;         ///< power_w is then its fastest point's power
    SourceLocation        where;
  };

  /// A rectangle of another material inside a layer (a chiplet die, a TSV field).
  struct Region
  {
    std::string name;
    std::string material;
    Rect        rect;         ///< as placed (after rotation)
    int         rotation = 0; ///< degrees counter-clockwise: 0, 90, 180 or 270
  };

  /// Power as a raster over a layer or a die region (`power_map:`): pixel
  /// (i, j) covers [x + i w/nx, x + (i+1) w/nx] x [y + j h/ny, ...] (row 0 is
  /// the lowest y) through the layer's thickness, and its power spreads
  /// uniformly over that box. Adds to the blocks' power.
  struct PowerMap
  {
    std::string         file;
    Rect                extent;       ///< m
    std::size_t         nx = 0, ny = 0;
    std::vector<double> power_w;      ///< per pixel, row-major (j * nx + i), >= 0; steady runs' (the frames' mean)
    double              total_w = 0;  ///< their sum
    /// Over time (transient runs): frame k holds from times_s[k] until the
    /// next (step; before times_s[0] the first frame). Empty: power_w throughout.
    std::vector<double>              times_s;
    std::vector<std::vector<double>> frames_w;
    std::vector<double>              frame_total_w;
    /// The frame in force at t (just before t when `before`), or -1 without frames.
    int frame_at(double t, bool before) const
    {
      int k = 0;
      while (k + 1 < int(times_s.size()) && (before ? times_s[k + 1] < t : times_s[k + 1] <= t))
        ++k;
      return times_s.empty() ? -1 : k;
    }
    const std::vector<double> &pixels(int frame) const { return frame < 0 ? power_w : frames_w[frame]; }
  };

  struct Layer
  {
    std::string         name;
    std::string         material;
    double              thickness_m = 0;
    double              z_bottom_m  = 0;
    Rect                footprint;
    std::vector<Region> regions;
    std::vector<Block>  blocks; ///< global coordinates (region blocks already offset)
    std::vector<PowerMap> power_maps; ///< the layer's and its regions', global coordinates
    bool                is_powered() const { return !blocks.empty() || !power_maps.empty(); }
    double              z_top_m() const { return z_bottom_m + thickness_m; }
  };

  /// Heat exchange of one boundary group with ambient: h = 0 means adiabatic.
  struct BoundaryCondition
  {
    double h_w_m2k = 0;
    bool   is_adiabatic() const { return h_w_m2k == 0; }
  };

  /// top: outer faces at the top of the stack; bottom: at the bottom; sides: all others.
  struct Boundaries
  {
    BoundaryCondition top, bottom, sides;
  };

  struct ChipModel
  {
    std::string                 name;
    double                      ambient_k = 318.15;
    materials::MaterialLibrary  materials;
    std::vector<Layer>          layers; ///< bottom to top
    Boundaries                  boundaries;

    double total_power_w() const;
    double height_m() const { return layers.empty() ? 0 : layers.back().z_top_m(); }
    /// All blocks of all layers, bottom layer first.
    std::vector<const Block *> all_blocks() const;
    /// A column name per block (all_blocks order) for trace files: the block's
    /// name, or die/name where two blocks share a name.
    std::vector<std::string> block_labels() const;
  };
} // namespace chiptherm::floorplans
