#include "block_boxes.h"

#include <algorithm>

namespace chiptherm::mesh
{
  namespace
  {
    std::vector<Box3> boxes_of_blocks(const floorplans::ChipModel &model)
    {
      std::vector<Box3> boxes;
      for (const auto &layer : model.layers)
        for (const auto &b : layer.blocks)
          boxes.push_back(Box3{{{b.rect.x, b.rect.y, layer.z_bottom_m}},
                               {{b.rect.x_end(), b.rect.y_end(), layer.z_top_m()}}});
      return boxes;
    }
  } // namespace

  BlockBoxes::BlockBoxes(const floorplans::ChipModel &model)
    : index_(boxes_of_blocks(model))
  {}

  void BlockBoxes::overlaps(const Box3 &cell, std::vector<BlockOverlap> &out) const
  {
    out.clear();
    index_.overlapping(cell, found_);
    for (const unsigned int b : found_)
      out.push_back({b, box(b).intersection(cell)});
  }

  LevelCaps::LevelCaps(const BlockBoxes &blocks, std::vector<int> block_caps, int elsewhere)
    : blocks_(&blocks)
    , block_caps_(std::move(block_caps))
    , elsewhere_(elsewhere)
  {}

  int LevelCaps::operator()(const Box3 &cell) const
  {
    blocks_->overlaps(cell, found_);
    if (found_.empty())
      return elsewhere_;
    int cap = 0;
    for (const auto &o : found_)
      cap = std::max(cap, block_caps_[o.block]);
    return cap;
  }
} // namespace chiptherm::mesh
