#include "cell_block_pieces.h"

#include "mesh/local_refinement.h"

#include <algorithm>

namespace chiptherm::solver
{
  using namespace dealii;

  CellBlockPieces::CellBlockPieces(const floorplans::ChipModel &model, const Triangulation<3> &tria)
    : blocks_(model)
    , tria_(tria)
  {
    on_change_ = tria.signals.any_change.connect([this]() {
      const std::lock_guard<std::mutex> lock(mutex_);
      stale_ = true;
    });
  }

  CellBlockPieces::~CellBlockPieces()
  {
    on_change_.disconnect();
  }

  ArrayView<const BlockPiece> CellBlockPieces::operator()(const CellAccessor<3, 3> &cell) const
  {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (stale_)
        {
          rebuild();
          stale_ = false;
        }
    }
    const unsigned int i = cell.active_cell_index();
    return {pieces_.data() + offset_[i], offset_[i + 1] - offset_[i]};
  }

  void CellBlockPieces::rebuild() const
  {
    offset_.assign(tria_.n_active_cells() + 1, 0);
    pieces_.clear();
    std::vector<mesh::BlockOverlap> found;
    for (const auto &cell : tria_.active_cell_iterators())
      {
        offset_[cell->active_cell_index()] = static_cast<unsigned int>(pieces_.size());
        if (cell->is_artificial())
          continue;
        const mesh::Box3 box = mesh::bounding_box_of(cell);
        blocks_.overlaps(box, found);
        const double volume = box.volume();
        for (const auto &o : found)
          {
            BlockPiece piece{o.block, RefBox{}, o.box.volume() / volume};
            for (unsigned int d = 0; d < 3; ++d)
              {
                const double length = box.hi[d] - box.lo[d];
                piece.box.lo[d]     = std::clamp((o.box.lo[d] - box.lo[d]) / length, 0.0, 1.0);
                piece.box.hi[d]     = std::clamp((o.box.hi[d] - box.lo[d]) / length, 0.0, 1.0);
              }
            if (piece.fraction > 1e-12)
              pieces_.push_back(piece);
          }
      }
    // Active cells are visited in index order, so each offset is where its pieces start.
    offset_.back() = static_cast<unsigned int>(pieces_.size());
  }
} // namespace chiptherm::solver
