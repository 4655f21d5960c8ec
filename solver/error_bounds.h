#pragma once
// Each block's discretisation error, in kelvin, from two solutions of the same
// problem on the same mesh, of degree p and p + 1. The difference e = T_{p+1} -
// T_p is the dual-weighted residual of T_p with every goal's dual taken in the
// richer space at once (J(e) = a(e, z_{p+1}) = R(z_{p+1}) - R(I z_{p+1})), so one
// extra solve serves every block. The figures reported are T_{p+1}'s. Their
// differences to T_p's:
//   t_avg: the mean of e over the block,
//   t_max, t_min: the largest |e| at the sample points of the block where the
//   true extreme can lie (|max T - max T_h| <= max |e| over the points with
//   T_h >= max T_h - 2 E, E a bound of |e| there, iterated),
// bound the figures' errors while T_{p+1} is at least twice as accurate as T_p
// (saturation); as measured on meshes from coarse to fine (bench/
// error_bound_effectivity.py, docs/benchmarks.md), they do so everywhere once
// multiplied (t_avg by 2, the extremes by 2.5) and raised by 15 % of the
// largest t_max or t_avg difference on the chip (the extremes' also by how
// far the search between samples moved them, BlockDifference): where a
// figure's difference happens to vanish, errors made near the worst spot (and
// in the package, which every block shares) still reach it.
#include "cell_block_pieces.h"
#include "temperature_field.h"

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/types.h>
#include <deal.II/lac/vector.h>

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

namespace chiptherm::solver
{
  struct BlockErrorBound
  {
    double t_max_k = 0, t_avg_k = 0, t_min_k = 0;
    /// The bound the tolerance applies to: t_max's and t_avg's (t_min's
    /// matters where a block has a delta limit, through its verdict).
    double largest_k() const { return std::max(t_max_k, t_avg_k); }
  };

  /// How two solutions differ in one block's figures, K: at the nodes where
  /// the reported field's extremes can lie (t_max, t_min), in the mean
  /// (t_avg, signed), and the mean of |difference| over the block.
  struct BlockDifference
  {
    double t_max_k = 0, t_avg_k = 0, t_min_k = 0, mean_abs_k = 0;
    double max_abs_k = 0; ///< the largest |difference| anywhere in the block
    /// How far the search between the samples (extreme_search.h) moved the
    /// reported field's max up and its min down, K. Added to the extremes'
    /// bounds: a rise between samples is either the field's (a peak the
    /// samples missed) or a coarse cell's polynomial overshooting a peak
    /// (measured: the hot block alone in a 250 um Q3 cell rose 7 mK above its
    /// samples, away from the true max), and only the bound can tell.
    double t_max_search_k = 0, t_min_search_k = 0;
  };

  /// Of samples (T, |e|) of one block, appends to `out` those that can decide
  /// the bounds at the block's extremes: every sample that no other matches or
  /// beats in both T and |e| (the maximum's candidates), and in both -T and
  /// |e| (the minimum's). A sample left out has another in every level set it
  /// is in, with an |e| at least as large, so block_differences()' bounds are
  /// the same over the candidates as over all samples, to the last bit; a
  /// cell's 343 Q3 samples keep a handful. `samples` is reordered.
  void append_extreme_candidates(std::vector<std::pair<double, double>> &samples,
                                 std::vector<std::pair<double, double>> &out);

  /// One entry per block, reduced over ranks: a - b, the level sets of the
  /// extremes taken from `reported` (a field of the same DoFs as a, usually a itself).
  std::vector<BlockDifference> block_differences(const TemperatureField &reported, const TemperatureField &a,
                                                 const TemperatureField &b, const BlockPiecesOf &pieces_of,
                                                 std::size_t n_blocks);

  /// The factor on each difference, and the share of the largest difference
  /// added to every bound (calibrated: docs/benchmarks.md, "Error bounds").
  constexpr double saturation_factor = 2.0;
  /// The factor on t_max's and t_min's differences: a block one cell across
  /// (a 500 um hot tile, a 250 um analog block on the default first mesh) has
  /// point-value errors up to 2.2 times their difference.
  constexpr double extreme_saturation_factor = 2.5;
  constexpr double pollution_share   = 0.15;

  /// The bounds from the differences of the reported degree p + 1 to degree p.
  std::vector<BlockErrorBound> block_error_bounds(const std::vector<BlockDifference> &to_lower);

  /// ||k^(1/2) grad (higher - lower)||^2 per active cell (zero on cells not
  /// owned here), W K: where the lower degree's error is made.
  dealii::Vector<float> cellwise_difference_energy(
    const TemperatureField &higher, const TemperatureField &lower,
    const std::function<dealii::SymmetricTensor<2, 3>(dealii::types::material_id)> &conductivity);
} // namespace chiptherm::solver
