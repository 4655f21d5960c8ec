#pragma once
// Temperature figures per block: max, mean, min, largest in-plane gradient,
// and the cell sizes inside it. Reduced over all MPI ranks.
//
// A block covers whole cells or boxes of cells (the mesh does not follow block
// edges, cell_block_pieces.h); its figures are taken over exactly the part of
// each cell it covers: the mean integrates the field over those boxes (Gauss,
// exact for the element's polynomials), max and min are taken at sample
// points spread over each box, the box's corners included, and between them
// in the boxes whose samples come near the block's extreme (extreme_search.h).
#include "box_rule.h"
#include "chip_coefficients.h"
#include "heat_problem.h"

#include <functional>
#include <vector>

namespace chiptherm::solver
{
  struct BlockResult
  {
    double t_max_k = 0, t_avg_k = 0, t_min_k = 0;
    double grad_max_k_per_m = 0;   ///< largest |(dT/dx, dT/dy)| in the cells the block covers
    double cell_min_m = 0, cell_max_m = 0; ///< smallest / largest in-plane edge of the cells it covers
    double volume_m3 = 0;
  };

  /// Where a block's max and min are looked for in the box it covers of a cell
  /// for a field of this degree: 2 degree + 1 equispaced points per direction
  /// (degree 1: the corners, where a trilinear function has its extremes),
  /// which on a whole cell are the element's nodes and the mid-points between
  /// them (an odd degree's nodes miss the centre of a cell, where a hotspot
  /// block's peak sits). Degree 1 needs no more: a trilinear function has
  /// its extremes at a box's corners; higher degrees are searched between the
  /// samples near the extremes (extreme_search.h).
  TensorPoints extreme_sample_points(const RefBox &box, unsigned int degree);

  /// A field's values at points of a box of one cell, for any cell of the
  /// field's triangulation (whichever DoFHandler the caller iterates).
  class BoxSampler
  {
  public:
    explicit BoxSampler(const TemperatureField &field);
    const TemperatureField &field() const { return field_; }
    void values(const dealii::CellAccessor<3, 3> &cell, const TensorPoints &points, std::vector<double> &out);

  private:
    TemperatureField       field_;
    TensorBoxRule          rule_;
    dealii::Vector<double> local_;
  };

  /// One entry per block (0 .. n_blocks - 1).
  std::vector<BlockResult> compute_block_results(const TemperatureField &field, const BlockPiecesOf &pieces_of,
                                                 std::size_t n_blocks);
  inline std::vector<BlockResult> compute_block_results(const TemperatureField &field,
                                                        const ChipCoefficients &coefficients, std::size_t n_blocks)
  {
    return compute_block_results(field, coefficients.block_pieces().as_function(), n_blocks);
  }
  inline std::vector<BlockResult> compute_block_results(const HeatProblem<3> &problem,
                                                        const ChipCoefficients &coefficients, std::size_t n_blocks)
  {
    return compute_block_results(problem.field(), coefficients, n_blocks);
  }
} // namespace chiptherm::solver
