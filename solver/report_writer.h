#pragma once
// report.json and blocks.csv (contract.md). Temperatures in degrees C.
#include "../floorplans/chip_model.h"
#include "adaptivity_report.h"
#include "block_statistics.h"
#include "signoff.h"

#include <map>
#include <string>

namespace chiptherm::solver
{
  struct RunSummary
  {
    std::string status; ///< "pass", "fail" (signoff) or "solved"
    unsigned long long cells = 0, dofs = 0;
    double       min_cell_m = 0;
    unsigned int max_level  = 0;
    unsigned int degree     = 1;
    unsigned int policy_passes     = 0;     ///< a priori refinement sweeps
    bool         policy_budget_hit = false; ///< mesh.max_cells stopped them
    unsigned int linear_iterations = 0;
    double       power_in_w = 0, heat_out_w = 0;
    unsigned int mpi_ranks  = 1;
    AdaptivityReport adaptivity;
    std::map<std::string, double> timing_s; ///< total, mesh, assemble, solve, output, ...
  };

  struct BlockReportRow
  {
    const floorplans::Block *block;
    BlockResult              result;
    BlockVerdict             verdict;
    double                   z_bottom_m = 0, z_top_m = 0; ///< the block's layer
  };

  void write_report_json(const std::string &path, const floorplans::ChipModel &model, const RunSummary &summary,
                         const std::vector<BlockReportRow> &rows);
  void write_blocks_csv(const std::string &path, const std::vector<BlockReportRow> &rows);
} // namespace chiptherm::solver
