#pragma once
// Where each block is, as a box (its rectangle through its layer's
// thickness), independent of the mesh: the coarse mesh does not follow block
// edges (docs/design.md, "The mesh"), so which cells a block covers, and how
// much of each, is found by overlap. No deal.II here.
#include "box_index.h"
#include "floorplans/chip_model.h"

#include <vector>

namespace chiptherm::mesh
{
  /// The part of a block inside one cell (a rectilinear block's rectangles
  /// each give their own part).
  struct BlockOverlap
  {
    unsigned int block; ///< ChipModel::all_blocks() order
    Box3         box;   ///< the intersection of one of the block's boxes with the cell's, m
  };

  class BlockBoxes
  {
  public:
    explicit BlockBoxes(const floorplans::ChipModel &model);

    std::size_t size() const { return volume_.size(); } ///< blocks
    /// The block's volume, m^3 (all its rectangles): what its power is spread over, on any mesh.
    double      volume_m3(unsigned int block) const { return volume_[block]; }
    /// The blocks whose interior overlaps the cell, with the common boxes, into out (cleared).
    void        overlaps(const Box3 &cell, std::vector<BlockOverlap> &out) const;

  private:
    std::vector<unsigned int>         block_of_; ///< box -> block (filled while index_ is built: declared first)
    BoxIndex                          index_;    ///< one box per rectangle of every block
    std::vector<double>               volume_;   ///< per block
    mutable std::vector<unsigned int> found_;
  };

  /// Refinement levels allowed in a cell: the largest of the `max_level` rules
  /// of the blocks it overlaps, the policy's `max_level` where it overlaps none.
  class LevelCaps
  {
  public:
    LevelCaps(const BlockBoxes &blocks, std::vector<int> block_caps, int elsewhere);
    int operator()(const Box3 &cell) const;

  private:
    const BlockBoxes                 *blocks_;
    std::vector<int>                  block_caps_;
    int                               elsewhere_;
    mutable std::vector<BlockOverlap> found_;
  };
} // namespace chiptherm::mesh
