#pragma once
// Temperature figures per block: max, mean, min, largest in-plane gradient,
// and the cell sizes inside it. Reduced over all MPI ranks.
#include "chip_coefficients.h"
#include "heat_problem.h"

#include <deal.II/base/quadrature.h>

#include <functional>
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

  /// Where a block's max and min are looked for in each cell: an equispaced
  /// grid of 2 degree + 1 points per direction, which holds the nodes of the
  /// element (degree 1: the vertices, where a trilinear function has its
  /// extremes) and the mid-points between them (an odd degree's nodes miss the
  /// centre of a cell, where a hotspot block's peak sits).
  dealii::Quadrature<3> extreme_sample_points(unsigned int degree);

  /// One entry per block, in ChipModel::all_blocks() order. Max and min are
  /// taken at extreme_sample_points(), the mean is the volume average,
  /// gradients are taken at the Gauss points.
  std::vector<BlockResult> compute_block_results(const TemperatureField &field,
                                                 const std::function<int(dealii::types::material_id)> &block_of,
                                                 std::size_t n_blocks);
  inline std::vector<BlockResult> compute_block_results(const TemperatureField &field,
                                                        const ChipCoefficients &coefficients, std::size_t n_blocks)
  {
    return compute_block_results(
      field, [&](dealii::types::material_id z) { return coefficients.block_of(z); }, n_blocks);
  }
  inline std::vector<BlockResult> compute_block_results(const HeatProblem<3> &problem,
                                                        const ChipCoefficients &coefficients, std::size_t n_blocks)
  {
    return compute_block_results(problem.field(), coefficients, n_blocks);
  }
} // namespace chiptherm::solver
