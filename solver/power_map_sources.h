#pragma once
// Power maps (ChipModel Layer::power_maps) as heat sources: a map is a
// floorplan of pixels, so its part of a cell is the pixels the cell overlaps,
// found by arithmetic on the raster (no index, no coarse lines), each a box of
// constant density. Integrated exactly like blocks (source_integration.h), the
// heat in equals the maps' sums on any mesh.
#include "heat_problem_data.h"
#include "floorplans/chip_model.h"
#include "mesh/zone_table.h"

#include <vector>

namespace chiptherm::solver
{
  class PowerMapSources
  {
  public:
    PowerMapSources(const floorplans::ChipModel &model, const mesh::ZoneTable &zones);

    bool empty() const { return n_maps_ == 0; }
    /// Which frame of each map (every layer's maps in order) is in force at t
    /// (just before t when `before`); -1 for a map without frames. Empty
    /// frames everywhere below mean the steady maps (PowerMap::power_w).
    std::vector<int> frames_at(double t, bool before) const;
    /// The maps' total power with these frames, W.
    double total_w(const std::vector<int> &frames) const;
    /// The largest change of a pixel's power per area at t, W/m^2 (for the
    /// step-size control); from nothing to the maps in force after t when
    /// `switched_on` (a march starting at t from a field without power).
    double jump_w_m2(double t, bool switched_on = false) const;
    /// Every time a map's frame changes in (0, end), appended to out.
    void   breakpoints(double end, std::vector<double> &out) const;
    /// Appends the powered pixels' parts of the cell (an axis-aligned box
    /// inside one layer) as boxes of its reference cell.
    void add(const CellRef<3> &cell, std::vector<BoxSource<3>> &out, const std::vector<int> &frames = {}) const;
    /// The maps' mean power density over the cell, W/m^3 (for output).
    double mean_density_w_m3(const CellRef<3> &cell, const std::vector<int> &frames = {}) const;

  private:
    std::vector<const floorplans::PowerMap *>               maps_;  ///< every layer's, in order
    std::vector<int>                                       layer_of_zone_;
    std::vector<std::vector<std::size_t>>                  maps_of_layer_; ///< indices into maps_
    std::vector<double>                                    thickness_m_;
    std::size_t                                            n_maps_ = 0;
  };
} // namespace chiptherm::solver
