#pragma once
// The predictor's physics input: the whole package's steady temperature rise
// from a coarse finite-volume model, sampled at each die raster's pixels.
//
// Cell-centred finite volumes on a tensor grid: in the plane, the rasters'
// pixel edges under the dies, every footprint and region edge, and cells
// growing geometrically (x growth) from there to the package's outer edges; in
// z, each layer cut into sublayers: two through powered layers, four through
// thick ones, graded from thin on the side facing the dies (heat spreads
// sideways from the die's size there; too few or uniform sublayers got the
// peaks wrong by several K: docs/benchmarks.md, "package model alone").
// Conductances are half cells in series (anisotropic k), films in series with
// the half cell on exposed faces (boundaries top, bottom, sides as the FEM
// assigns them), block power spread over the block's volume. The symmetric
// system is solved by conjugate gradients with BoomerAMG (hypre) on one
// process, to a relative residual of 1e-10.
//
// It is what HotSpot's grid model is, with nothing lumped and graded cells
// through each thick layer; the network learns what it still misses. No
// deal.II, no LibTorch.
#include "rasterizer.h"

namespace chiptherm::ai_predictor
{
  struct PackageModelSettings
  {
    int    die_sublayers   = 2;      ///< cells through a powered layer
    int    thick_sublayers = 4;      ///< cells through a layer thicker than thick_layer_m
    double thick_layer_m   = 200e-6;
    /// Thickness ratio of successive sublayers of a thick layer, thinnest on
    /// the side facing the dies (heat spreads from the die's size there).
    double thick_grading   = 2;
    double growth          = 1.3;    ///< cell-size ratio away from the dies
    int    pixel_stride    = 2;      ///< grid lines at every n-th pixel edge under a die
  };

  struct PackageModelReport
  {
    std::size_t unknowns = 0;
    double      milliseconds = 0;
  };

  /// Solves the package once and fills every raster's package_rise_k (the
  /// rise at the die layer's mid-plane, K; 0 at padding pixels).
  void add_package_rise(const floorplans::ChipModel &model, std::vector<DieRaster> &rasters,
                        const PackageModelSettings &settings = {}, PackageModelReport *report = nullptr);
} // namespace chiptherm::ai_predictor
