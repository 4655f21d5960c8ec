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
  /// The part of a block inside one cell.
  struct BlockOverlap
  {
    unsigned int block; ///< ChipModel::all_blocks() order
    Box3         box;   ///< the intersection of the block's box with the cell's, m
  };

  class BlockBoxes
  {
  public:
    explicit BlockBoxes(const floorplans::ChipModel &model);

    std::size_t size() const { return index_.boxes().size(); }
    const Box3 &box(unsigned int block) const { return index_.boxes()[block]; }
    /// The block's volume, m^3: what its power is spread over, on any mesh.
    double      volume_m3(unsigned int block) const { return box(block).volume(); }
    /// The blocks whose interior overlaps the cell, with the common boxes, into out (cleared).
    void        overlaps(const Box3 &cell, std::vector<BlockOverlap> &out) const;

  private:
    BoxIndex                          index_;
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
