#pragma once
// Where a trained network may be trusted: the ranges of the package scalars
// (vertical conductance, sink film, die spreading, pixel size) it saw in
// training. Outside them, the prediction falls back to the package model
// alone (physics_baseline.h) and says why: a network extrapolating to a
// package it never saw did worse than the physics it corrects (measured on the
// hard family, docs/benchmarks.md). No LibTorch here.
#include "training_set.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>

namespace chiptherm::ai_predictor
{
  struct ModelDomain
  {
    std::map<std::string, std::pair<double, double>> ranges; ///< channel -> [min, max] over the training dies

    /// The scalar channels' ranges over samples.
    static ModelDomain of(const std::vector<TrainingSample> &samples);
    nlohmann::json     to_json() const;
    /// An empty domain (no "domain" key: a model without one) accepts every die.
    static ModelDomain from_json(const nlohmann::json &record);

    /// Empty when the die lies inside the ranges widened by `margin` of their
    /// width; otherwise which channel lies outside, its value and the range.
    std::string outside(const DieRaster &raster, double margin = 0.05) const;
  };
} // namespace chiptherm::ai_predictor
