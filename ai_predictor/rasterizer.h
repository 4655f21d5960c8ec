#pragma once
// What the learned predictor sees of a chip: for each powered die, a stack of
// channels on a square-pixel raster over the die (row 0 at the lowest y, as
// refinement maps). No deal.II, no LibTorch here: plain floats.
//
// Channels (normalised so that they do not depend on the raster's resolution:
// densities and coverage fractions per pixel, physical scalars on log scales):
//   die             share of the pixel inside the die (0 outside, pixels pad
//                   the die's shorter side to a square-pixel grid)
//   power           areal power density / 1e6 W/m^2 (100 W/cm^2), pixel mean
//   digital, analog, clock, pmic, photonic
//                   share of the pixel covered by blocks of those types
//                   (digital: logic, memory, accelerator, io, other)
//   vertical        log10(G / 1e4 W/(m^2 K)): the die's conductance to ambient
//                   per unit area through the layers above and below to the top
//                   and bottom films, layers wider than the die credited with
//                   their area (rasterizer.cc)
//   sink            log10(h_top / 1e4 W/(m^2 K)) (-4 when the top is adiabatic)
//   lateral         log10(k t / 0.01 W/K) of the die layer: how far heat spreads
//   pixel           log10(pixel edge / 100 um)
#include "floorplans/chip_model.h"

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  struct RasterSettings
  {
    int    min_pixels   = 64;     ///< pixels along the die's longer side, at least
    double max_pixel_m  = 250e-6; ///< and more where the die is large (pixels no larger than this)
    int    pixel_multiple = 16;   ///< sides rounded up to a multiple (the network halves them 4 times)
    bool   package_model  = true; ///< fill package_rise_k (package_model.h: one coarse solve per chip)
  };

  struct DieRaster
  {
    std::string      die;          ///< the layer or region whose blocks it holds
    std::string      layer;        ///< the layer the die lies in
    std::size_t      layer_index = 0; ///< and its index in model.layers
    floorplans::Rect die_rect;     ///< the die, m
    floorplans::Rect extent;       ///< what the raster covers (the die, centred, padded), m
    double           pixel_m = 0;  ///< square pixels
    int              rows = 0, cols = 0;
    std::vector<float> data;       ///< channel-major: data[(c * rows + row) * cols + col]
    /// rows x cols, K: the package model's steady rise at the die's mid-plane
    /// (package_model.h), 0 at padding pixels; empty when not computed.
    std::vector<float> package_rise_k;

    static const std::vector<std::string> &channel_names();
    static int channel(const std::string &name); ///< index of a channel by name
    float      at(int c, int row, int col) const { return data[(std::size_t(c) * rows + row) * cols + col]; }
    float     &at(int c, int row, int col) { return data[(std::size_t(c) * rows + row) * cols + col]; }
    /// Pixel (row, col) as a rectangle, m.
    floorplans::Rect pixel(int row, int col) const;
  };

  /// One raster per powered die: the blocks of a region, or those of a layer
  /// outside its regions, in the order of model.all_blocks().
  std::vector<DieRaster> rasterize(const floorplans::ChipModel &model, const RasterSettings &settings = {});

  /// Areal power density of one pixel of channel `power` back in W/m^2.
  constexpr double power_density_scale_w_m2 = 1e6;
} // namespace chiptherm::ai_predictor
