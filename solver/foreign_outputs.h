#pragma once
// Results in the foreign tools' layouts, on request (the case's `outputs:`
// section), so that users can diff chiptherm against their HotSpot and 3D-ICE
// runs with the scripts they have:
//   hotspot_steady -> temperatures.steady: `block<TAB>temperature_K` per block
//                     (the block's mean temperature; steady runs);
//   3dice_table    -> elements.tflpel: per block (3D-ICE's floorplan element)
//                     its maximum, minimum and average temperature in K.
#include "foreign_output_settings.h"
#include "report_writer.h"

#include <mpi.h>

#include <string>
#include <vector>

namespace chiptherm::solver
{
  /// Writes what settings ask for into directory (rank 0). hotspot_steady is
  /// written only for steady runs (steady = true): a transient run's end state
  /// is not what HotSpot's .steady holds.
  void write_foreign_outputs(const std::string &directory, const ForeignOutputSettings &settings,
                             const floorplans::ChipModel &model, const std::vector<BlockReportRow> &rows, bool steady,
                             MPI_Comm comm);
} // namespace chiptherm::solver
