#pragma once
// report.json and blocks.csv (contract.md). Temperatures in degrees C.
#include "floorplans/chip_model.h"
#include "adaptivity_report.h"
#include "transient_report.h"
#include "block_statistics.h"
#include "layer_hotspots.h"
#include "error_bounds.h"
#include "signoff.h"

#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>

#include <map>
#include <optional>
#include <utility>
#include <string>

namespace chiptherm::solver
{
  struct ThrottlingReport;
  class DvfsControl;

  struct RunSummary
  {
    std::string status; ///< "pass", "fail" (signoff) or "solved"
    unsigned long long cells = 0, dofs = 0;
    double       min_cell_m = 0;
    unsigned int max_level  = 0;
    unsigned int degree     = 1;       ///< of the solve the mesh is adapted for
    unsigned long long reported_dofs = 0; ///< of the field whose figures are reported (degree + 1 with estimates)
    unsigned int reported_degree     = 0;
    unsigned int policy_passes     = 0;     ///< a priori refinement sweeps
    bool         policy_budget_hit = false; ///< mesh.max_cells stopped them
    unsigned int linear_iterations = 0;
    unsigned int nonlinear_iterations = 0; ///< of the last solve; 0 when the problem is linear
    double       nonlinear_change_k   = 0; ///< its last iteration's largest nodal change, K
    double       final_residual       = 0; ///< the last CG solve's residual norm (W)
    double       power_in_w = 0, heat_out_w = 0;
    std::map<unsigned int, double> heat_out_by_boundary_w; ///< by mesh::BoundaryGroup (convective ones)
    /// Sets heat_out_by_boundary_w and heat_out_w (their sum).
    void set_heat_out(std::map<unsigned int, double> by_boundary_w)
    {
      heat_out_by_boundary_w = std::move(by_boundary_w);
      heat_out_w             = 0;
      for (const auto &[face, w] : heat_out_by_boundary_w)
        heat_out_w += w;
    }
    unsigned int mpi_ranks  = 1;
    AdaptivityReport adaptivity;
    const TransientReport *transient = nullptr; ///< set for transient runs
    const ThrottlingReport *throttling = nullptr; ///< steady runs with DVFS blocks
    const DvfsControl      *dvfs       = nullptr; ///< transient runs with DVFS blocks (state in *transient)
    std::map<std::string, double> timing_s; ///< total, mesh, assemble, solve, output, ...
    std::vector<LayerHotspot>     hotspots; ///< per powered layer, of the reported (final) field
  };

  /// The powered layers' hotspots of a field (RunSummary::hotspots).
  std::vector<LayerHotspot> powered_layer_hotspots(const floorplans::ChipModel &model, const TemperatureField &field,
                                                   const mesh::ZoneTable &zones);

  struct BlockReportRow
  {
    const floorplans::Block *block;
    BlockResult              result;
    BlockVerdict             verdict;
    double                   z_bottom_m = 0, z_top_m = 0; ///< the block's layer
    /// Transient runs: the block's peak t_max over the run and when (else peak_time_s < 0).
    double                   peak_k = 0, peak_time_s = -1;
    /// The block's dynamic power (its DVFS point's when it has one) and its
    /// leakage at the solved temperature (transient: at the end), W.
    double                   dynamic_w = 0, leakage_w = 0;
    /// Bounds of the figures' discretisation error (steady runs with estimates).
    std::optional<BlockErrorBound> error;
    /// What the bounds are made of (docs/design.md): degree p + 1 - p, and p - (p - 1).
    std::optional<BlockDifference> upper_difference, lower_difference;
    /// What became of the block type's built-in mesh rule (AdaptivityReport::policy).
    std::string policy;
    /// Steady runs with bounds: the cells it overlaps are no larger than the
    /// block (its bound is calibrated only then; docs/design.md).
    std::optional<bool> resolved;
    /// Steady runs with bounds: resolved, and no unresolved block within the
    /// reach of its cells (SteadyChipSolve::unresolved_neighbours): only then
    /// do its bounds hold as calibrated.
    std::optional<bool> bounds_guaranteed;
    /// What the block dissipates, W.
    double                   power_w() const { return dynamic_w + leakage_w; }
  };

  /// One row per block (all_blocks order) with its layer's z range.
  std::vector<BlockReportRow> make_block_rows(const floorplans::ChipModel &model, const std::vector<BlockResult> &results,
                                              const std::vector<BlockVerdict> &verdicts);
  /// Cells, smallest cell edge and deepest level of the mesh into summary (collective).
  void record_mesh(const dealii::parallel::distributed::Triangulation<3> &tria, RunSummary &summary);

  /// Seconds per phase from the run's timer (every phase it measured) and the total.
  void record_timing(const dealii::TimerOutput &timer, double total_s, RunSummary &summary);
  /// report.json and blocks.csv into directory, written by rank 0.
  void write_reports(const std::string &directory, const floorplans::ChipModel &model, const RunSummary &summary,
                     const std::vector<BlockReportRow> &rows, MPI_Comm comm);

  void write_report_json(const std::string &path, const floorplans::ChipModel &model, const RunSummary &summary,
                         const std::vector<BlockReportRow> &rows);
  void write_blocks_csv(const std::string &path, const std::vector<BlockReportRow> &rows);
} // namespace chiptherm::solver
