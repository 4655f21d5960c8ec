#pragma once
// Temperature figures per block: max, mean, min, largest in-plane gradient,
// and the cell sizes inside it. Reduced over all MPI ranks.
#include "chip_coefficients.h"
#include "heat_problem.h"

#include <vector>

namespace chiptherm::solver
{
  struct BlockResult
  {
    double t_max_k = 0, t_avg_k = 0, t_min_k = 0;
    double grad_max_k_per_m = 0;   ///< largest |(dT/dx, dT/dy)| in the block
    double cell_min_m = 0, cell_max_m = 0; ///< smallest / largest in-plane cell edge inside the block
    double volume_m3 = 0;
  };

  /// One entry per block, in ChipModel::all_blocks() order. Max and min are
  /// taken at the element's support points (the nodes), the mean is the volume
  /// average, gradients are taken at the Gauss points.
  std::vector<BlockResult> compute_block_results(const HeatProblem<3> &problem, const ChipCoefficients &coefficients,
                                                 std::size_t n_blocks);
} // namespace chiptherm::solver
