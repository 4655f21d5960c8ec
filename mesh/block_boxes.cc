#include "block_boxes.h"

#include <algorithm>

namespace chiptherm::mesh
{
  namespace
  {
    /// One box per rectangle of every block, through its layer's thickness, and the block of each.
    std::vector<Box3> boxes_of_blocks(const floorplans::ChipModel &model, std::vector<unsigned int> &block_of)
    {
      std::vector<Box3> boxes;
      unsigned int      block = 0;
      for (const auto &layer : model.layers)
        for (const auto &b : layer.blocks)
          {
            for (const auto &r : b.rects)
              {
                boxes.push_back(Box3{{{r.x, r.y, layer.z_bottom_m}}, {{r.x_end(), r.y_end(), layer.z_top_m()}}});
                block_of.push_back(block);
              }
            ++block;
          }
      return boxes;
    }
  } // namespace

  BlockBoxes::BlockBoxes(const floorplans::ChipModel &model)
    : index_(boxes_of_blocks(model, block_of_))
  {
    volume_.assign(block_of_.empty() ? 0 : block_of_.back() + 1, 0.0);
    for (std::size_t i = 0; i < block_of_.size(); ++i)
      volume_[block_of_[i]] += index_.boxes()[i].volume();
  }

  void BlockBoxes::overlaps(const Box3 &cell, std::vector<BlockOverlap> &out) const
  {
    out.clear();
    index_.overlapping(cell, found_);
    for (const unsigned int i : found_)
      out.push_back({block_of_[i], index_.boxes()[i].intersection(cell)});
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
