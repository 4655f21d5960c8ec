#include "report_writer.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace chiptherm::solver
{
  namespace
  {
    constexpr double um_per_m = 1e6, m_per_mm = 1e-3;
    double celsius(double k) { return kelvin_to_celsius(k); }
  } // namespace

  void write_report_json(const std::string &path, const floorplans::ChipModel &model, const RunSummary &s,
                         const std::vector<BlockReportRow> &rows)
  {
    using nlohmann::json;
    json report;
    report["chiptherm_version"] = CHIPTHERM_VERSION;
    report["case"]              = model.name;
    report["status"]            = s.status;
    report["ambient_c"]         = celsius(model.ambient_k);
    report["mpi_ranks"]         = s.mpi_ranks;
    report["mesh"] = {{"cells", s.cells}, {"dofs", s.dofs}, {"min_cell_um", s.min_cell_m * um_per_m},
                      {"max_level", s.max_level}, {"element_degree", s.degree},
                      {"policy_passes", s.policy_passes}, {"policy_budget_hit", s.policy_budget_hit}};
    const AdaptivityReport &a = s.adaptivity;
    json history = json::array();
    for (const auto &c : a.cycles)
      history.push_back({{"cycle", c.cycle},
                         {"cells", c.cells},
                         {"dofs", c.dofs},
                         {"estimated_error", c.estimated_error},
                         {"max_block_change_k", c.max_block_change_k < 0 ? json(nullptr) : json(c.max_block_change_k)},
                         {"linear_iterations", c.linear_iterations},
                         {"wall_s", c.wall_s}});
    report["adaptivity"] = {{"enabled", a.enabled},
                            {"cycles", a.cycles.empty() ? 0 : a.cycles.size() - 1},
                            {"converged", a.converged},
                            {"tolerance_k", a.enabled ? json(a.tolerance_k) : json(nullptr)},
                            {"stop_reason", a.stop_reason},
                            {"estimator", a.estimator == "goal" ? "goal: flux residual of T times that of the dual for the mean block "
                                                                 "temperature (K, an upper-bound-style estimate)"
                                                               : "energy: flux residual (energy norm, sqrt(W K))"},
                            {"history", history}};
    const double rel = s.power_in_w > 0 ? std::abs(s.power_in_w - s.heat_out_w) / s.power_in_w : 0.0;
    report["energy"] = {{"power_in_w", s.power_in_w}, {"heat_out_w", s.heat_out_w}, {"rel_error", rel}};
    report["solver"] = {{"linear_iterations", s.linear_iterations}, {"nonlinear_iterations", 0}, {"converged", true},
                        {"method", "PETSc CG + hypre BoomerAMG"}};
    json blocks = json::array();
    for (const auto &r : rows)
      blocks.push_back({{"die", r.block->die},
                        {"name", r.block->name},
                        {"type", floorplans::to_string(r.block->type)},
                        {"power_w", r.block->power_w},
                        {"t_max_c", celsius(r.result.t_max_k)},
                        {"t_avg_c", celsius(r.result.t_avg_k)},
                        {"t_min_c", celsius(r.result.t_min_k)},
                        {"grad_max_k_per_mm", r.result.grad_max_k_per_m * m_per_mm},
                        {"limit_c", celsius(r.verdict.limit_k)},
                        {"delta_limit_k", r.verdict.delta_limit_k ? json(*r.verdict.delta_limit_k) : json(nullptr)},
                        {"pass", r.verdict.pass},
                        {"reason", r.verdict.reason},
                        {"rect_um", {r.block->rect.x * um_per_m, r.block->rect.y * um_per_m,
                                     r.block->rect.width * um_per_m, r.block->rect.height * um_per_m}},
                        {"z_um", {r.z_bottom_m * um_per_m, r.z_top_m * um_per_m}},
                        {"cell_um_min", r.result.cell_min_m * um_per_m},
                        {"cell_um_max", r.result.cell_max_m * um_per_m}});
    report["blocks"]   = blocks;
    report["timing_s"] = s.timing_s;
    std::ofstream(path) << report.dump(2) << "\n";
  }

  void write_blocks_csv(const std::string &path, const std::vector<BlockReportRow> &rows)
  {
    std::ofstream out(path);
    out << "die,block,type,power_w,t_max_c,t_avg_c,t_min_c,grad_max_k_per_mm,limit_c,pass\n";
    char buf[512];
    for (const auto &r : rows)
      {
        std::snprintf(buf, sizeof buf, "%s,%s,%s,%.9g,%.9f,%.9f,%.9f,%.9g,%.3f,%s\n", r.block->die.c_str(),
                      r.block->name.c_str(), floorplans::to_string(r.block->type).c_str(), r.block->power_w,
                      celsius(r.result.t_max_k), celsius(r.result.t_avg_k), celsius(r.result.t_min_k),
                      r.result.grad_max_k_per_m * m_per_mm, celsius(r.verdict.limit_k), r.verdict.pass ? "true" : "false");
        out << buf;
      }
  }
} // namespace chiptherm::solver
