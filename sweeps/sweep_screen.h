#pragma once
// Checks every candidate of a sweep before anything is solved: the case it
// makes must read (dies inside their layer, no overlaps, every key valid:
// the case reader's own checks) and keep the sweep's min_spacing between the
// dies (regions) of each layer. A rejected candidate carries the reason.
#include "case_executor.h"
#include "floorplans/chip_model.h"
#include "sweep_spec.h"

#include <memory>
#include <string>
#include <vector>

namespace chiptherm::sweeps
{
  struct ScreenedPoint
  {
    SweepPoint  point;
    bool        admitted = true;
    std::string reason; ///< why it was rejected
    /// The model the admitted candidate's case reads to (null when rejected):
    /// what the package-model prediction works on, without reading it again.
    std::shared_ptr<const floorplans::ChipModel> model;
  };

  /// read_case reads and checks a candidate's case (CaseExecutor::read_case).
  std::vector<ScreenedPoint> screen(const SweepSpec &spec, const std::vector<SweepPoint> &points,
                                    const CaseExecutor &executor);
} // namespace chiptherm::sweeps
