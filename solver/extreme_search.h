#pragma once
// Where a field's max and min lie between its sample points.
//
// Block figures (block_statistics.h), their error bounds (error_bounds.h)
// and the layer hotspots (layer_hotspots.h) sample a Q_p field at 2p + 1
// equispaced points per direction of every box they cover. The polynomial's
// max can lie between two samples: on a 1000-block floorplan in die/48 cells,
// a block's t_max rose by 24 mK with 9 points per direction, more than its
// error bound (docs/benchmarks.md, "Resolved at twice the side"). Sampling
// every box more densely costs the estimate phase 3x; instead, only the boxes
// whose sampled extreme comes near their group's (a block's, a layer's, over
// all ranks) are searched, by grids zoomed on their best sample. A consumer
// records its samples as it takes them (add), then asks for the zooms
// (collective) and reads the extremes found, and where: the same points for
// every field of the same mesh, so the figures and their bounds agree.
#include "block_statistics.h"

#include <deal.II/base/mpi.h>

#include <vector>

namespace chiptherm::solver
{
  /// One searched box: its grids, best first point last, for the max and the min.
  struct ExtremeZoom
  {
    int                       level = 0, index = 0; ///< the cell, in the field's triangulation
    unsigned int              group = 0;
    std::vector<TensorPoints> grids;               ///< the max's grids, then the min's
    double                    t_max = 0, t_min = 0; ///< the best values found (K), samples included
    std::array<double, 3>     at_max{}, at_min{};   ///< where, in the reference cell
  };

  /// What a search found: the boxes searched on this rank, and every group's
  /// sampled max and min over all ranks (what the figures were without it).
  struct ExtremeZooms
  {
    std::vector<ExtremeZoom> boxes;
    std::vector<double>      sampled_max, sampled_min;
  };

  class ExtremeSearch
  {
  public:
    /// A box is searched for its group's max when its sampled max comes within
    /// a margin of the group's sampled max (and alike for the min): this share
    /// of the sum over directions of the samples' largest second difference.
    /// A quadratic rises above its samples by an eighth of it, between two of
    /// them; the share leaves room for the cubic and mixed terms of Q2 and Q3.
    static constexpr double margin_share = 0.5;
    /// Zoom steps: each halves the spacing, from one sample spacing around the
    /// best sample to 1/64 of it.
    static constexpr unsigned int steps = 6;
    /// Points per direction of each zoomed grid (spacing: half the previous).
    static constexpr unsigned int points_per_step = 5;

    explicit ExtremeSearch(std::size_t n_groups);

    /// The samples `values` taken at `points` of `box` of `cell` (x fastest).
    void add(const dealii::CellAccessor<3, 3> &cell, unsigned int group, const RefBox &box, const TensorPoints &points,
             const std::vector<double> &values);

    /// Collective: reduces the groups' sampled extremes over ranks, then
    /// zooms on this rank's boxes that come near them. `sampler` reads the
    /// field the samples came from. Every group has a box here or on another
    /// rank. A degree-1 field's extremes are at the corners (samples): its
    /// boxes come back with their sampled extremes and no grids.
    ExtremeZooms zoom(BoxSampler &sampler, MPI_Comm comm) const;

  private:
    struct Sampled
    {
      int                   level, index;
      unsigned int          group;
      RefBox                box;
      double                t_max, t_min, margin;
      std::array<double, 3> at_max, at_min, spacing;
    };
    std::size_t          n_groups_;
    std::vector<Sampled> sampled_;
  };
} // namespace chiptherm::solver
