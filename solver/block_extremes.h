#pragma once
// Each block's hottest and coolest value, taken at the same sample points as
// compute_block_results (block_statistics.h), for a field that changes every
// time step on a fixed mesh. The samples are a fixed linear map of the dof
// values: it is set up once per mesh, and each evaluation is one sparse
// product instead of a loop over cells with their geometry.
#include "cell_block_pieces.h"

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <vector>

namespace chiptherm::solver
{
  class BlockExtremes
  {
  public:
    /// For the field on `dofs` (its element's degree decides the sample points).
    BlockExtremes(const dealii::DoFHandler<3> &dofs, const BlockPiecesOf &pieces_of, std::size_t n_blocks);

    /// t_max and t_min per block (0 .. n_blocks - 1) of `temperature` (ghosted,
    /// hanging-node values set), reduced over all ranks: equal to
    /// compute_block_results' t_max_k and t_min_k to rounding.
    void evaluate(const dealii::LinearAlgebra::distributed::Vector<double> &temperature, std::vector<double> &t_max,
                  std::vector<double> &t_min) const;

  private:
    std::size_t                                   n_blocks_;
    MPI_Comm                                      comm_;
    std::vector<unsigned int>                     block_of_sample_;
    std::vector<std::size_t>                      sample_start_; ///< sample s uses entries [start[s], start[s + 1])
    std::vector<dealii::types::global_dof_index> dof_;
    std::vector<double>                           weight_;
  };
} // namespace chiptherm::solver
