#pragma once
// The right-hand side of the blocks' powers as a sum of fixed vectors: F is
// linear in the power of each block, F = sum_b P_b f_b, with f_b the load of
// 1 W spread over block b (its pieces of cells, integrated exactly as the
// assembly does: box_rule.h, through the hanging-node constraints). Set up
// once per mesh; a transient step whose powers changed then costs a scaled
// sum over the blocks' own entries instead of a loop over every cell (on the
// 10-block SoC trace the per-step assembly was 7 % of the run).
#include "cell_block_pieces.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_vector.h>

#include <vector>

namespace chiptherm::solver
{
  class BlockLoadVectors
  {
  public:
    /// Loads of the locally owned cells (entries may belong to other ranks).
    BlockLoadVectors(const dealii::DoFHandler<3> &dofs, const dealii::AffineConstraints<double> &constraints,
                     const BlockPiecesOf &pieces_of, const std::vector<double> &block_volume_m3);

    /// rhs += sum_b power_w[b] f_b (a non-ghosted vector of the dofs'
    /// layout); the caller compresses with VectorOperation::add.
    void add_to(const std::vector<double> &power_w, dealii::PETScWrappers::MPI::Vector &rhs) const;

    /// Entries held, over all blocks (this rank).
    std::size_t n_entries() const;

  private:
    /// Per block: the dofs it loads (ascending, unique) and the load at 1 W.
    std::vector<std::vector<dealii::types::global_dof_index>> dofs_;
    std::vector<std::vector<double>>                          load_;
    mutable std::vector<double>                               scaled_;
  };
} // namespace chiptherm::solver
