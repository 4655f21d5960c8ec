#pragma once
// Which blocks cover which part of each cell. Blocks are not zones (the mesh
// does not follow their edges), so every cell that a block overlaps lists the
// box of its reference cell the block covers. Power goes into cells by these
// boxes (exactly: box_rule.h), and a block's figures are taken over them
// (block_statistics.h). The table is rebuilt, on first use, after any change
// of the triangulation; it holds the locally owned and ghost cells.
#include "box_rule.h"
#include "mesh/block_boxes.h"

#include <deal.II/base/array_view.h>
#include <deal.II/grid/tria.h>

#include <boost/signals2/connection.hpp>

#include <functional>
#include <mutex>
#include <vector>

namespace chiptherm::solver
{
  struct BlockPiece
  {
    unsigned int block;    ///< ChipModel::all_blocks() order
    RefBox       box;      ///< the covered part of the reference cell
    double       fraction; ///< covered share of the cell's volume
  };

  /// The blocks a cell overlaps, for code that does not care where they come from.
  using BlockPiecesOf = std::function<dealii::ArrayView<const BlockPiece>(const dealii::CellAccessor<3, 3> &)>;

  class CellBlockPieces
  {
  public:
    CellBlockPieces(const floorplans::ChipModel &model, const dealii::Triangulation<3> &tria);
    ~CellBlockPieces();
    CellBlockPieces(const CellBlockPieces &)            = delete;
    CellBlockPieces &operator=(const CellBlockPieces &) = delete;

    const mesh::BlockBoxes &blocks() const { return blocks_; }
    /// The pieces of a locally owned or ghost cell (none for artificial cells).
    dealii::ArrayView<const BlockPiece> operator()(const dealii::CellAccessor<3, 3> &cell) const;
    BlockPiecesOf                       as_function() const
    {
      return [this](const dealii::CellAccessor<3, 3> &cell) { return (*this)(cell); };
    }

  private:
    void rebuild() const;

    mesh::BlockBoxes                   blocks_;
    const dealii::Triangulation<3>    &tria_;
    boost::signals2::connection        on_change_;
    mutable std::mutex                 mutex_;
    mutable bool                       stale_ = true;
    mutable std::vector<unsigned int>  offset_; ///< per active cell index: its first piece; one past the end last
    mutable std::vector<BlockPiece>    pieces_;
  };
} // namespace chiptherm::solver
