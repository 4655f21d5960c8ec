#pragma once
// The predictor's answer in the mesh's terms: one refinement map per powered
// die (mesh/refinement_map.h), from the predicted rise's refinement
// priorities, p mapping to coarsest * (finest / coarsest)^p. Used by
// SteadyChipSolve::mesh() when the case has mesh.predictor. The header knows
// no LibTorch, so deal.II code may include it.
#include "floorplans/chip_model.h"
#include "mesh/refinement_map.h"

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  struct SeedingReport
  {
    std::size_t dies = 0;
    double      milliseconds = 0; ///< rasterise + predict + priorities, all dies
    std::vector<std::string> fallbacks; ///< dies outside the model's domain (the package model answered), and why
  };

  std::vector<mesh::RefinementMap> predicted_refinement_maps(const floorplans::ChipModel &model,
                                                             const std::string &model_file, double finest_m,
                                                             double coarsest_m, SeedingReport *report = nullptr);
} // namespace chiptherm::ai_predictor
