#include "report_writer.h"

#include "common/output_file.h"
#include "mesh/zone_table.h"
#include "dvfs_control.h"
#include "throttling.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <fstream>

namespace chiptherm::solver
{
  namespace
  {
    constexpr double um_per_m = 1e6, m_per_mm = 1e-3;
    double celsius(double k) { return kelvin_to_celsius(k); }
  } // namespace

  std::vector<BlockReportRow> make_block_rows(const floorplans::ChipModel &model, const std::vector<BlockResult> &results,
                                              const std::vector<BlockVerdict> &verdicts)
  {
    std::vector<BlockReportRow> rows;
    for (const auto &layer : model.layers)
      for (const auto &block : layer.blocks)
        {
          const std::size_t b = rows.size();
          BlockReportRow row{&block, results[b], verdicts[b], 0, 0, 0, -1, 0, 0, std::nullopt, std::nullopt, std::nullopt, "",
                             std::nullopt, std::nullopt};
          row.z_bottom_m = layer.z_bottom_m, row.z_top_m = layer.z_top_m();
          row.dynamic_w  = block.power_w;
          rows.push_back(row);
        }
    return rows;
  }

  std::vector<LayerHotspot> powered_layer_hotspots(const floorplans::ChipModel &model, const TemperatureField &field,
                                                   const mesh::ZoneTable &zones)
  {
    std::vector<int> powered;
    for (std::size_t l = 0; l < model.layers.size(); ++l)
      if (model.layers[l].is_powered())
        powered.push_back(static_cast<int>(l));
    return compute_layer_hotspots(field, zones, powered);
  }

  void record_mesh(const dealii::parallel::distributed::Triangulation<3> &tria, RunSummary &summary)
  {
    double       min_cell  = std::numeric_limits<double>::max();
    unsigned int max_level = 0;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          for (unsigned int d = 0; d < 3; ++d)
            min_cell = std::min(min_cell, cell->extent_in_direction(d));
          max_level = std::max(max_level, static_cast<unsigned int>(cell->level()));
        }
    const MPI_Comm comm = tria.get_communicator();
    summary.min_cell_m  = dealii::Utilities::MPI::min(min_cell, comm);
    summary.max_level   = dealii::Utilities::MPI::max(max_level, comm);
    summary.cells       = tria.n_global_active_cells();
    summary.mpi_ranks   = dealii::Utilities::MPI::n_mpi_processes(comm);
  }

  void record_timing(const dealii::TimerOutput &timer, double total_s, RunSummary &summary)
  {
    // The contract's keys are always there, measured or not.
    for (const char *phase : {"mesh", "assemble", "solve", "output"})
      summary.timing_s[phase] = 0.0;
    for (const auto &[phase, seconds] : timer.get_summary_data(dealii::TimerOutput::total_wall_time))
      summary.timing_s[phase] = seconds;
    summary.timing_s["total"] = total_s;
  }

  void write_reports(const std::string &directory, const floorplans::ChipModel &model, const RunSummary &summary,
                     const std::vector<BlockReportRow> &rows, MPI_Comm comm)
  {
    if (dealii::Utilities::MPI::this_mpi_process(comm) != 0)
      return;
    write_report_json(directory + "/report.json", model, summary, rows);
    write_blocks_csv(directory + "/blocks.csv", rows);
  }

  namespace
  {
    using nlohmann::json;

    json adaptivity_json(const AdaptivityReport &a)
    {
      json history = json::array();
      for (const auto &c : a.cycles)
        history.push_back({{"cycle", c.cycle},
                           {"cells", c.cells},
                           {"dofs", c.dofs},
                           {"estimate_dofs", c.enriched_dofs},
                           {"max_error_k", c.max_error_k < 0 ? json(nullptr) : json(c.max_error_k)},
                           {"open_blocks", c.open_blocks},
                           {"max_block_change_k", c.max_block_change_k < 0 ? json(nullptr) : json(c.max_block_change_k)},
                           {"linear_iterations", c.linear_iterations},
                           {"estimate_iterations", c.enriched_iterations},
                           {"warm_start", c.warm_start},
                           {"memory_limited", c.memory_limited},
                           {"second_level_cells", c.second_level_cells},
                           {"nonlinear_iterations", c.nonlinear_iterations},
                           {"wall_s", c.wall_s}});
      return {{"enabled", a.enabled},
              {"cycles", a.cycles.empty() ? 0 : a.cycles.size() - 1},
              {"converged", a.converged},
              {"tolerance_k", a.tolerance_k},
              {"until", a.until},
              {"max_error_k", a.max_error_k < 0 ? json(nullptr) : json(a.max_error_k)},
              {"stop_reason", a.stop_reason},
              {"estimate", a.estimates ? "the difference to a solve of one degree higher on the same mesh (bounds "
                                         "of every block's t_max, t_avg and t_min, K)"
                                       : "none"},
              {"marking", a.estimator == "goal" ? "goal: energy of the higher-degree correction weighted by the dual of "
                                                 "the open blocks' mean temperatures (Doerfler)"
                                               : "energy of the higher-degree correction (Doerfler)"},
              {"history", history}};
    }

    /// The steady throttling policy's outcome per DVFS block.
    json steady_codesign_json(const ThrottlingReport &throttling, const std::vector<BlockReportRow> &rows)
    {
      json throttled = json::array();
      for (const auto &t : throttling.blocks)
        {
          const auto &r     = rows[t.block];
          const auto &point = r.block->dvfs->points[t.point];
          throttled.push_back({{"die", r.block->die},
                               {"name", r.block->name},
                               {"point", t.point},
                               {"frequency_hz", point.frequency_hz},
                               {"voltage_v", point.voltage_v},
                               {"dynamic_w", point.power_w},
                               {"leakage_w", r.leakage_w},
                               {"throughput", t.throughput},
                               {"throttled", t.point > 0},
                               {"limit_c", celsius(t.limit_k)},
                               {"t_max_c", celsius(t.t_max_k)},
                               {"within_limit", t.within_limit}});
        }
      return {{"solves", throttling.solves},
              {"dvfs_blocks", throttled},
              {"events", throttling.events},
              {"policy", "each DVFS block at its fastest operating point whose t_max is within its "
                         "limit (stepping down one point per solve, on the same mesh)"}};
    }

    json difference_json(const std::optional<BlockDifference> &d)
    {
      if (!d)
        return nullptr;
      return {{"t_max", d->t_max_k},       {"t_avg", d->t_avg_k},          {"t_min", d->t_min_k},
              {"mean_abs", d->mean_abs_k}, {"max_abs", d->max_abs_k},      {"t_max_search", d->t_max_search_k},
              {"t_min_search", d->t_min_search_k}};
    }

    json differences_json(const BlockReportRow &r)
    {
      if (!r.upper_difference)
        return nullptr;
      return {{"upper", difference_json(r.upper_difference)}, {"lower", difference_json(r.lower_difference)}};
    }

    json block_json(const BlockReportRow &r)
    {
      json row = {{"die", r.block->die},
              {"name", r.block->name},
              {"type", floorplans::to_string(r.block->type)},
              {"power_w", r.power_w()},
              {"dynamic_w", r.dynamic_w},
              {"leakage_w", r.leakage_w},
              {"t_max_c", celsius(r.result.t_max_k)},
              {"t_avg_c", celsius(r.result.t_avg_k)},
              {"t_min_c", celsius(r.result.t_min_k)},
              {"grad_max_k_per_mm", r.result.grad_max_k_per_m * m_per_mm},
              {"limit_c", celsius(r.verdict.limit_k)},
              {"delta_limit_k", r.verdict.delta_limit_k ? json(*r.verdict.delta_limit_k) : json(nullptr)},
              {"pass", r.verdict.pass},
              {"verdict", r.verdict.verdict},
              {"reason", r.verdict.reason},
              {"rect_um",
               {r.block->rect.x * um_per_m, r.block->rect.y * um_per_m, r.block->rect.width * um_per_m,
                r.block->rect.height * um_per_m}},
              {"z_um", {r.z_bottom_m * um_per_m, r.z_top_m * um_per_m}},
              {"cell_um_min", r.result.cell_min_m * um_per_m},
              {"cell_um_max", r.result.cell_max_m * um_per_m},
              {"t_max_error_k", r.error ? json(r.error->t_max_k) : json(nullptr)},
              {"t_avg_error_k", r.error ? json(r.error->t_avg_k) : json(nullptr)},
              {"t_min_error_k", r.error ? json(r.error->t_min_k) : json(nullptr)},
              {"differences_k", differences_json(r)},
              {"mesh_policy", r.policy.empty() ? json(nullptr) : json(r.policy)},
              {"resolved", r.resolved ? json(*r.resolved) : json(nullptr)},
              {"bounds_guaranteed", r.bounds_guaranteed ? json(*r.bounds_guaranteed) : json(nullptr)}};
      // A rectilinear block: rect_um is the bounding box, rects_um its rectangles.
      if (r.block->rects.size() > 1)
        {
          json rects = json::array();
          for (const auto &p : r.block->rects)
            rects.push_back({p.x * um_per_m, p.y * um_per_m, p.width * um_per_m, p.height * um_per_m});
          row["rects_um"] = rects;
        }
      return row;
    }

    json transient_json(const TransientReport &t)
    {
      return {{"end_time_s", t.end_time_s},
              {"method", "TR-BDF2, local error control"},
              {"steps", t.steps},
              {"rejected_steps", t.rejected_steps},
              {"min_step_s", t.min_step_s},
              {"max_step_s", t.max_step_s},
              {"linear_iterations", t.cg_iterations},
              {"matrix_builds", t.matrix_builds},
              {"amg_builds", t.amg_builds},
              {"mesh_changes", t.mesh_changes},
              {"max_remap_shift_k", t.max_remap_shift_k},
              {"cells_min", t.min_cells},
              {"cells_max", t.max_cells},
              {"energy",
               {{"in_j", t.energy_in_j}, {"out_j", t.heat_out_j}, {"stored_j", t.stored_j},
                {"rel_error", t.energy_rel_error()}}}};
    }

    /// The DVFS controller over a transient run: per block and every event.
    json transient_codesign_json(const DvfsControl &dvfs, const TransientReport &t,
                                 const std::vector<BlockReportRow> &rows)
    {
      json throttled = json::array(), events = json::array();
      for (const std::size_t b : dvfs.blocks())
        {
          const auto &r    = rows[b];
          const auto &last = r.block->dvfs->points[t.dvfs_point[b]];
          throttled.push_back({{"die", r.block->die},
                               {"name", r.block->name},
                               {"throughput", dvfs.throughput(b, t, t.end_time_s)},
                               {"throttled_s", t.throttled_s[b]},
                               {"final_point", t.dvfs_point[b]},
                               {"final_frequency_hz", last.frequency_hz},
                               {"final_voltage_v", last.voltage_v},
                               {"dynamic_w", last.power_w},
                               {"leakage_w", r.leakage_w},
                               {"limit_c", celsius(dvfs.limit_k(b))},
                               {"peak_c", celsius(r.peak_k)},
                               {"hysteresis_k", r.block->dvfs->hysteresis_k}});
        }
      for (const auto &e : t.throttle_events)
        {
          const auto &points = rows[e.block].block->dvfs->points;
          events.push_back({{"t_s", e.t_s},
                            {"die", rows[e.block].block->die},
                            {"name", rows[e.block].block->name},
                            {"from_hz", points[e.from].frequency_hz},
                            {"to_hz", points[e.to].frequency_hz},
                            {"power_w", points[e.to].power_w},
                            {"t_max_c", celsius(e.t_max_k)}});
        }
      return {{"dvfs_blocks", throttled},
              {"events", events},
              {"control_times", t.control_times},
              {"policy", "every control interval each DVFS block steps one point down when its "
                         "t_max is over its limit, one point up when below the limit by more "
                         "than its hysteresis"}};
    }
  } // namespace

  void write_report_json(const std::string &path, const floorplans::ChipModel &model, const RunSummary &s,
                         const std::vector<BlockReportRow> &rows)
  {
    json report;
    report["chiptherm_version"] = CHIPTHERM_VERSION;
    report["case"]              = model.name;
    report["status"]            = s.status;
    report["ambient_c"]         = celsius(model.ambient_k);
    report["mpi_ranks"]         = s.mpi_ranks;
    report["mesh"] = {{"cells", s.cells}, {"dofs", s.dofs}, {"min_cell_um", s.min_cell_m * um_per_m},
                      {"max_level", s.max_level}, {"element_degree", s.degree},
                      {"reported_degree", s.reported_degree ? s.reported_degree : s.degree},
                      {"reported_dofs", s.reported_dofs ? s.reported_dofs : s.dofs},
                      {"policy_passes", s.policy_passes}, {"policy_budget_hit", s.policy_budget_hit}};
    report["adaptivity"] = adaptivity_json(s.adaptivity);
    const double rel = s.power_in_w > 0 ? std::abs(s.power_in_w - s.heat_out_w) / s.power_in_w : 0.0;
    report["energy"] = {{"power_in_w", s.power_in_w}, {"heat_out_w", s.heat_out_w}, {"rel_error", rel}};
    // Where the heat leaves: the lid or sink on top, the board path below, the sides.
    json by_face = json::object();
    for (const auto &[id, w] : s.heat_out_by_boundary_w)
      by_face[id == mesh::boundary_top ? "top" : id == mesh::boundary_bottom ? "bottom" : "sides"] = w;
    report["energy"]["heat_out_by_face_w"] = by_face;
    report["solver"] = {{"linear_iterations", s.linear_iterations}, {"nonlinear_iterations", s.nonlinear_iterations},
                        {"final_residual", s.final_residual}, {"converged", true},
                        {"method", "PETSc CG + hypre BoomerAMG"}};
    if (s.nonlinear_iterations > 0)
      report["solver"]["nonlinear_change_k"] = s.nonlinear_change_k;
    if (s.throttling)
      report["codesign"] = steady_codesign_json(*s.throttling, rows);
    json blocks = json::array();
    for (const auto &r : rows)
      blocks.push_back(block_json(r));
    if (s.transient)
      {
        for (std::size_t b = 0; b < rows.size(); ++b)
          {
            blocks[b]["peak_c"]      = celsius(rows[b].peak_k);
            blocks[b]["peak_time_s"] = rows[b].peak_time_s;
          }
        report["transient"] = transient_json(*s.transient);
        if (s.dvfs)
          report["codesign"] = transient_codesign_json(*s.dvfs, *s.transient, rows);
        // power_in_w / heat_out_w are those of the final state; the balance
        // that holds over a transient is energy in = out + stored.
        report["energy"]["rel_error"] = s.transient->energy_rel_error();
      }
    report["blocks"]   = blocks;
    json hotspots      = json::array();
    for (const auto &h : s.hotspots)
      hotspots.push_back({{"layer", model.layers[h.layer].name}, {"t_max_c", celsius(h.t_max_k)},
                          {"x_um", h.where[0] * um_per_m}, {"y_um", h.where[1] * um_per_m},
                          {"z_um", h.where[2] * um_per_m},
                          {"t_max_error_k", h.t_max_error_k >= 0 ? json(h.t_max_error_k) : json(nullptr)}});
    report["hotspots"] = hotspots;
    report["timing_s"] = s.timing_s;
    write_text_file(path, report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }

  void write_blocks_csv(const std::string &path, const std::vector<BlockReportRow> &rows)
  {
    std::ofstream out(path);
    const bool    transient = !rows.empty() && rows.front().peak_time_s >= 0;
    out << "die,block,type,power_w,t_max_c,t_avg_c,t_min_c,grad_max_k_per_mm,limit_c,pass,t_max_error_k,t_avg_error_k"
        << (transient ? ",peak_c,peak_time_s" : "") << ",verdict\n";
    char buf[512];
    for (const auto &r : rows)
      {
        std::snprintf(buf, sizeof buf, "%s,%s,%s,%.9g,%.9f,%.9f,%.9f,%.9g,%.3f,%s", r.block->die.c_str(),
                      r.block->name.c_str(), floorplans::to_string(r.block->type).c_str(), r.power_w(),
                      celsius(r.result.t_max_k), celsius(r.result.t_avg_k), celsius(r.result.t_min_k),
                      r.result.grad_max_k_per_m * m_per_mm, celsius(r.verdict.limit_k), r.verdict.pass ? "true" : "false");
        out << buf;
        if (r.error)
          std::snprintf(buf, sizeof buf, ",%.6g,%.6g", r.error->t_max_k, r.error->t_avg_k);
        else
          std::snprintf(buf, sizeof buf, ",,");
        out << buf;
        if (transient)
          {
            std::snprintf(buf, sizeof buf, ",%.9f,%.9g", celsius(r.peak_k), r.peak_time_s);
            out << buf;
          }
        out << "," << r.verdict.verdict << "\n"; // pass, fail or undecided
      }
    check_written(out, path);
  }
} // namespace chiptherm::solver
