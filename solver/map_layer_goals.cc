#include "map_layer_goals.h"

#include <algorithm>

namespace chiptherm::solver
{
  MapLayerGoals::MapLayerGoals(const floorplans::ChipModel &model, const mesh::ZoneTable &zones)
    : goal_of_zone_(std::make_shared<std::vector<int>>(zones.size(), -1))
  {
    for (std::size_t l = 0; l < model.layers.size(); ++l)
      if (!model.layers[l].power_maps.empty())
        layers_.push_back(static_cast<int>(l));
    for (std::size_t z = 0; z < zones.size(); ++z)
      {
        const auto at = std::find(layers_.begin(), layers_.end(), zones[z].layer);
        if (at != layers_.end())
          (*goal_of_zone_)[z] = static_cast<int>(at - layers_.begin());
      }
  }

  BlockPiecesOf MapLayerGoals::with_goals(BlockPiecesOf blocks, const std::size_t n_blocks) const
  {
    if (layers_.empty())
      return blocks;
    auto scratch = std::make_shared<std::vector<BlockPiece>>();
    return [blocks, n_blocks, scratch, goal_of_zone = goal_of_zone_](const dealii::CellAccessor<3, 3> &cell) {
      const auto own  = blocks(cell);
      const int  goal = cell.material_id() < goal_of_zone->size() ? (*goal_of_zone)[cell.material_id()] : -1;
      if (goal < 0)
        return own;
      scratch->assign(own.begin(), own.end());
      scratch->push_back({static_cast<unsigned int>(n_blocks + goal), RefBox{}, 1.0});
      return dealii::ArrayView<const BlockPiece>(scratch->data(), scratch->size());
    };
  }
} // namespace chiptherm::solver
