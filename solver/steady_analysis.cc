#include "steady_analysis.h"

#include "../floorplans/case_reader.h"
#include "../mesh/stack_mesh_builder.h"
#include "block_statistics.h"
#include "chip_coefficients.h"
#include "heat_problem.h"
#include "foreign_outputs.h"
#include "output_staging.h"
#include "progress_log.h"
#include "report_writer.h"
#include "signoff.h"
#include "solution_writer.h"
#include "steady_chip_solve.h"
#include "throttling.h"

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>

#include <cmath>
#include <limits>
#include <iostream>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// Share of the power that must move between blocks (throttling, leakage)
    /// before a predictor-seeded mesh is seeded again.
    constexpr double reseed_threshold = 0.1;
  } // namespace


  SteadyOutcome run_steady(const CaseDocument &document, std::string out_dir, bool signoff, MPI_Comm comm)
  {
    ProgressLog log(comm);
    Timer       total;
    // Rank-local timings (no communicator): phases are collective, so every rank
    // measures about the same, and an exception unwinds without a collective call.
    TimerOutput timer(std::cout, TimerOutput::never, TimerOutput::wall_times);

    // --- read and validate everything before any output exists ------------
    const floorplans::ChipModel model   = floorplans::read_chip_model(document);
    const CaseNode              root    = document.root();
    const auto mesh_settings            = mesh::MeshSettings::read(root.optional("mesh"), model);
    const auto solver_settings          = SolverSettings::read(root.optional("solver"));
    const auto signoff_settings         = SignoffSettings::read(root.optional("signoff"));
    const auto adaptivity_settings      = AdaptivitySettings::read(root.optional("adaptivity"));
    const auto foreign_outputs          = read_foreign_output_settings(root);
    const auto blocks                   = model.all_blocks();
    if (out_dir.empty())
      out_dir = "chiptherm-out/" + model.name;
    log.line("read", document.path() + ": " + std::to_string(model.layers.size()) + " layers, " +
                       std::to_string(blocks.size()) + " blocks, " + format_watts(model.total_power_w()));

    // --- mesh and solve -----------------------------------------------------
    SteadyChipSolve run(model, mesh_settings, solver_settings, comm, timer);
    run.mesh();
    const auto &tria      = run.triangulation();
    const auto &mesh_info = run.mesh_info();
    if (run.predictor_seeding().dies > 0)
      log.line("predict", "refinement maps of " + std::to_string(run.predictor_seeding().dies) +
                            " die(s) from mesh.predictor in " +
                            std::to_string(int(std::round(run.predictor_seeding().milliseconds))) + " ms");
    for (const auto &fallback : run.predictor_seeding().fallbacks)
      log.line("predict", "outside the model's training domain, the package model answers: " + fallback);
    log.line("mesh", std::to_string(mesh_info.coarse_cells) + " coarse cells, " +
                       std::to_string(tria.n_global_active_cells()) + " cells after " +
                       std::to_string(run.a_priori_passes()) + " policy refinement passes" +
                       (run.a_priori_budget_hit() ? " (stopped by mesh.max_cells)" : "") + ", max aspect ratio " +
                       std::to_string(int(std::round(mesh_info.max_aspect_ratio))));
    // DVFS blocks settle on the a priori mesh first (cheap), so the adaptive
    // loop refines for the power they will run at.
    auto throttle_log = [&](const std::string &line) { log.line("throttle", line); };
    ThrottlingReport coarse_throttling;
    const bool       seeded = !mesh_settings.predictor_model.empty();
    if (has_dvfs(model) || (seeded && run.coefficients().depends_on_temperature()))
      {
        run.solve();
        coarse_throttling = throttle_to_limits(run, model, signoff_settings, throttle_log);
        run.set_block_powers(coarse_throttling.block_power_w);
        // The predictor seeded the mesh for the nominal powers: when throttling
        // and leakage have moved enough of the power, seed it again.
        auto settled = coarse_throttling.block_power_w;
        if (run.coefficients().has_leakage())
          {
            const auto leakage = run.coefficients().block_leakage_w(run.problem());
            for (std::size_t b = 0; b < settled.size(); ++b)
              settled[b] += leakage[b];
          }
        if (const double moved = run.reseed(settled, reseed_threshold); moved >= 0)
          log.line("mesh", "re-seeded from the predictor at the settled powers (" +
                             std::to_string(int(std::round(100 * moved))) + " % of the power moved): " +
                             std::to_string(run.triangulation().n_global_active_cells()) + " cells");
      }
    const AdaptivityReport adaptivity = run.solve_adaptively(adaptivity_settings, [&](const CycleRecord &c) {
      char buf[200];
      if (c.max_block_change_k < 0)
        std::snprintf(buf, sizeof buf, "cycle %u: %llu cells, %llu unknowns (Q%u), %u CG iterations, estimate %.3g",
                      c.cycle, c.cells, c.dofs, solver_settings.degree, c.linear_iterations, c.estimated_error);
      else
        std::snprintf(buf, sizeof buf,
                      "cycle %u: %llu cells, %llu unknowns, %u CG iterations, estimate %.3g, block change %.3g K",
                      c.cycle, c.cells, c.dofs, c.linear_iterations, c.estimated_error, c.max_block_change_k);
      std::string line = buf;
      if (c.nonlinear_iterations > 0)
        line += ", " + std::to_string(c.nonlinear_iterations) + " nonlinear iterations (k(T), leakage)";
      log.line("solve", line);
    });
    // On the final mesh a block may still be over its limit: it steps further
    // down, re-solved on this mesh (a lower power only flattens the field the
    // mesh was adapted to).
    const ThrottlingReport throttling = throttle_to_limits(run, model, signoff_settings, throttle_log,
                                                           has_dvfs(model) ? &coarse_throttling : nullptr);
    if (adaptivity.enabled)
      log.line("adapt", adaptivity.converged
                          ? "block temperatures settled within " + format_kelvin(adaptivity.tolerance_k)
                          : "NOT converged to " + format_kelvin(adaptivity.tolerance_k) + ": stopped by " +
                              adaptivity.stop_reason);
    const HeatProblem<3>   &problem      = run.problem();
    const ChipCoefficients &coefficients = run.coefficients();

    // --- evaluate -------------------------------------------------------------
    RunSummary summary;
    summary.power_in_w = problem.power_in_w();
    summary.set_heat_out(problem.heat_out_by_boundary_w());
    const auto &results  = run.block_results();
    const auto verdicts = evaluate_signoff(blocks, results, signoff_settings);
    auto       rows     = make_block_rows(model, results, verdicts);
    if (coefficients.has_leakage())
      {
        const auto leakage = coefficients.block_leakage_w(problem);
        for (std::size_t b = 0; b < rows.size(); ++b)
          rows[b].leakage_w = leakage[b];
      }
    for (std::size_t b = 0; b < rows.size(); ++b)
      rows[b].dynamic_w = throttling.block_power_w[b];
    bool       all_pass = true;
    for (const auto &v : verdicts)
      all_pass = all_pass && v.pass;
    record_mesh(tria, summary);
    summary.dofs              = problem.n_dofs();
    summary.degree            = solver_settings.degree;
    summary.policy_passes     = run.a_priori_passes();
    summary.policy_budget_hit = run.a_priori_budget_hit();
    summary.linear_iterations = adaptivity.cycles.back().linear_iterations;
    summary.nonlinear_iterations = adaptivity.cycles.back().nonlinear_iterations;
    summary.nonlinear_change_k   = adaptivity.cycles.back().nonlinear_change_k;
    summary.final_residual       = adaptivity.cycles.back().final_residual;
    summary.adaptivity        = adaptivity;
    if (!throttling.blocks.empty())
      summary.throttling = &throttling;
    summary.status            = signoff ? (all_pass ? "pass" : "fail") : "solved";

    // --- write (staged; moved into OUT only when complete) -------------------
    OutputStaging staging(out_dir, comm);
    {
      TimerOutput::Scope scope(timer, "output");
      write_solution(problem, coefficients, throttling.block_power_w, staging.path());
    }
    record_timing(timer, total.wall_time(), summary);
    write_reports(staging.path(), model, summary, rows, comm);
    write_foreign_outputs(staging.path(), foreign_outputs, model, rows, true, comm);
    staging.commit();

    double t_hot = -1e300;
    std::string hottest;
    for (std::size_t b = 0; b < blocks.size(); ++b)
      if (results[b].t_max_k > t_hot)
        t_hot = results[b].t_max_k, hottest = blocks[b]->name;
    char buf[256];
    std::snprintf(buf, sizeof buf, "hottest block %s at %.2f C; energy balance %.2e; %s", hottest.c_str(),
                  kelvin_to_celsius(t_hot),
                  std::abs(summary.power_in_w - summary.heat_out_w) / summary.power_in_w, out_dir.c_str());
    log.line("done", buf);
    if (signoff)
      {
        // A handful of failures on the terminal; all of them are in blocks.csv.
        constexpr std::size_t shown_failures = 10;
        std::size_t           failures       = 0;
        for (std::size_t b = 0; b < blocks.size(); ++b)
          if (!verdicts[b].pass && ++failures <= shown_failures)
            log.line("FAIL", blocks[b]->die + "/" + blocks[b]->name + ": " + verdicts[b].reason);
        if (failures > shown_failures)
          log.line("FAIL", "... and " + std::to_string(failures - shown_failures) + " more blocks (see " + out_dir +
                             "/blocks.csv)");
      }
    return {summary.status, out_dir, all_pass};
  }
} // namespace chiptherm::solver
