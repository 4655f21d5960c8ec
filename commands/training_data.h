#pragma once
// `chiptherm train --generate N`: random chips (ai_predictor/floorplan_generator)
// solved by the steady solver at sign-off accuracy (the adaptive loop to its
// tolerance), each die's temperature rise sampled at the predictor's raster
// pixel centres on the die's mid-plane, and stored one file per chip:
// OUT/sample_<index>.json with the case text, the rise maps and the solve's
// figures. Files are written whole (temporary + rename), so a killed run
// resumes by skipping the chips it finished; under mpirun the ranks share the
// chips, each solving its own on one rank.
#include <mpi.h>

#include <cstdint>
#include <string>

namespace chiptherm::commands
{
  struct GenerateOptions
  {
    std::uint64_t count = 0;
    std::uint64_t first = 0; ///< index of the first chip
    std::uint64_t seed  = 1;
    std::string   family = "training";
    std::string   out_dir;
    double        tolerance_k = 0.1;  ///< adaptivity tolerance of each solve, K
    unsigned int  max_cycles  = 3;    ///< adaptive cycles after the first solve
    unsigned long long max_cells = 400000; ///< cell budget of each solve
  };

  /// Returns the number of chips solved by this call on all ranks (finished ones are skipped).
  unsigned long long generate_training_data(const GenerateOptions &options, MPI_Comm comm);
} // namespace chiptherm::commands
