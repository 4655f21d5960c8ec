#pragma once
// Each block's hottest and coolest value, taken at the same sample points as
// compute_block_results (block_statistics.h), and its mean over the same Gauss
// points, for a field that changes every time step on a fixed mesh. Samples
// and means are fixed linear maps of the dof values: they are set up once per
// mesh, and each evaluation is one sparse product instead of a loop over cells
// with their geometry (on 3D-ICE's transient test 0.3 ms instead of 17 ms).
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
    /// Collective.
    BlockExtremes(const dealii::DoFHandler<3> &dofs, const BlockPiecesOf &pieces_of, std::size_t n_blocks);

    /// t_max and t_min per block (0 .. n_blocks - 1) of `temperature` (ghosted,
    /// hanging-node values set), reduced over all ranks: equal to
    /// compute_block_results' t_max_k and t_min_k to rounding for degree 1
    /// (the transient default: a trilinear field's extremes are samples); for
    /// higher degrees at the samples only, which compute_block_results also
    /// searches between (extreme_search.h), so up to the sampling gap inside.
    void evaluate(const dealii::LinearAlgebra::distributed::Vector<double> &temperature, std::vector<double> &t_max,
                  std::vector<double> &t_min) const;

    /// t_avg per block, reduced over all ranks: equal to compute_block_results'
    /// t_avg_k to rounding.
    void evaluate_mean(const dealii::LinearAlgebra::distributed::Vector<double> &temperature,
                       std::vector<double>                                      &t_avg) const;

  private:
    std::size_t                                   n_blocks_;
    MPI_Comm                                      comm_;
    std::vector<unsigned int>                     block_of_sample_;
    std::vector<std::size_t>                      sample_start_; ///< sample s uses entries [start[s], start[s + 1])
    std::vector<dealii::types::global_dof_index> dof_;
    std::vector<double>                           weight_;
    // The means: sum over entries of mean_weight_ x T(mean_dof_) into block
    // mean_block_, divided by the block's volume.
    std::vector<unsigned int>                     mean_block_;
    std::vector<dealii::types::global_dof_index> mean_dof_;
    std::vector<double>                           mean_weight_;
    std::vector<double>                           volume_; ///< per block, over all ranks
  };
} // namespace chiptherm::solver
