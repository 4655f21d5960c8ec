#pragma once
// `chiptherm predict CASE.yaml -o OUT [--model MODEL.pt]`: for every powered
// die, the predicted temperature rise and the refinement map it implies, in
// milliseconds, without a solve. Writes OUT/<die>_rise.csv,
// OUT/<die>_refinement.csv (mesh.refinement_map, values: priority),
// OUT/<die>_prediction.vtk (ParaView) and OUT/prediction.json. Without a model
// the physics baseline stands in, and the output says so. No deal.II here.
#include "common/case_document.h"

#include <string>

namespace chiptherm::ai_predictor
{
  struct PredictOptions
  {
    std::string out_dir;
    std::string model; ///< empty: the physics baseline
    int         threads = 1;
  };

  void run_predict(const CaseDocument &document, const PredictOptions &options);
} // namespace chiptherm::ai_predictor
