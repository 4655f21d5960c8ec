#pragma once
// Power maps have no blocks whose figures could be bounded, so each layer that
// holds a map counts as one more goal: a "block" covering every cell of the
// layer, numbered after the real blocks. Its t_max bound is the bound of the
// layer's hotspot (report.json hotspots[].t_max_error_k), computed by the same
// differences as a block's, and the adaptive loop refines until it meets the
// tolerance. Without maps nothing changes: no extra goal.
#include "cell_block_pieces.h"
#include "floorplans/chip_model.h"
#include "mesh/zone_table.h"

#include <memory>
#include <vector>

namespace chiptherm::solver
{
  class MapLayerGoals
  {
  public:
    MapLayerGoals(const floorplans::ChipModel &model, const mesh::ZoneTable &zones);

    std::size_t size() const { return layers_.size(); }
    /// The ChipModel layer index of goal i.
    int         layer(std::size_t i) const { return layers_[i]; }
    /// The blocks' pieces of a cell plus, in a map layer's cell, the whole
    /// cell as goal n_blocks + i.
    BlockPiecesOf with_goals(BlockPiecesOf blocks, std::size_t n_blocks) const;

  private:
    std::vector<int>                  layers_;
    std::shared_ptr<std::vector<int>> goal_of_zone_; ///< zone -> goal, or -1
  };
} // namespace chiptherm::solver
