#include "steady_command.h"

#include "case_setup.h"
#include "progress_log.h"
#include "solver/energy_integrals.h"
#include "solver/foreign_outputs.h"
#include "solver/output_staging.h"
#include "solver/report_writer.h"
#include "solver/solution_writer.h"
#include "solver/steady_chip_solve.h"
#include "solver/throttling.h"

#include <deal.II/base/timer.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

namespace chiptherm::commands
{
  using namespace dealii;
  using namespace chiptherm::solver;

  namespace
  {
    /// Share of the power that must move between blocks (throttling, leakage)
    /// before a predictor-seeded mesh is seeded again.
    constexpr double reseed_threshold = 0.1;

    void log_mesh(ProgressLog &log, const SteadyChipSolve &run)
    {
      const auto &seeding = run.predictor_seeding();
      if (seeding.dies > 0)
        log.line("predict", "refinement maps of " + std::to_string(seeding.dies) + " die(s) from mesh.predictor in " +
                              std::to_string(int(std::round(seeding.milliseconds))) + " ms");
      for (const auto &fallback : seeding.fallbacks)
        log.line("predict", "outside the model's training domain, the package model answers: " + fallback);
      log.line("mesh", std::to_string(run.mesh_info().coarse_cells) + " coarse cells (the edges of " +
                         std::to_string(run.mesh_info().blocks_on_lines) + " of " +
                         std::to_string(run.coefficients().block_pieces().blocks().size()) + " blocks on its lines), " +
                         std::to_string(run.triangulation().n_global_active_cells()) + " cells after " +
                         std::to_string(run.a_priori_passes()) + " policy refinement passes" +
                         (run.a_priori_budget_hit() ? " (stopped by mesh.max_cells)" : "") + ", max aspect ratio " +
                         std::to_string(int(std::round(run.mesh_info().max_aspect_ratio))));
    }

    /// DVFS blocks settle on the a priori mesh first (cheap), so the adaptive
    /// loop refines for the power they will run at; a predictor-seeded mesh is
    /// seeded again when throttling and leakage moved enough of the power.
    ThrottlingReport settle_on_first_mesh(SteadyChipSolve &run, const CaseSetup &setup, ProgressLog &log)
    {
      const auto &model    = *setup.model;
      auto        throttle = [&](const std::string &line) { log.line("throttle", line); };
      const bool  seeded   = !setup.mesh.predictor_model.empty();
      if (!has_dvfs(model) && !(seeded && run.coefficients().depends_on_temperature()))
        return {};
      // Steering solves: the bounds come with the adaptive loop's first solve.
      run.steer(true);
      run.solve();
      ThrottlingReport coarse = throttle_to_limits(run, model, setup.signoff, throttle);
      run.steer(false);
      run.set_block_powers(coarse.block_power_w);
      auto settled = coarse.block_power_w;
      if (run.coefficients().has_leakage())
        {
          const auto leakage = run.coefficients().block_leakage_w(run.field());
          for (std::size_t b = 0; b < settled.size(); ++b)
            settled[b] += leakage[b];
        }
      if (const double moved = run.reseed(settled, reseed_threshold); moved >= 0)
        log.line("mesh", "re-seeded from the predictor at the settled powers (" +
                           std::to_string(int(std::round(100 * moved))) + " % of the power moved): " +
                           std::to_string(run.triangulation().n_global_active_cells()) + " cells");
      return coarse;
    }

    /// ": die/b934 (bound 0.0382 K, needs 0.0291 K)" after "1 block(s) open": which blocks the next
    /// cycle is for, when only a few are open.
    std::string describe_open_blocks(const CycleRecord &c, const std::vector<const floorplans::Block *> &blocks)
    {
      std::string text;
      for (const OpenBlock &o : c.named_open)
        {
          text += (text.empty() ? ": " : ", ") + blocks[o.block]->die + "/" + blocks[o.block]->name;
          text += std::isfinite(o.target_k)
                    ? " (bound " + format_kelvin(o.bound_k) + ", needs " + format_kelvin(o.target_k) + ")"
                    : " (not yet resolved by its cells)";
        }
      return text;
    }

    std::string describe_cycle(const CycleRecord &c, unsigned int degree, const std::vector<const floorplans::Block *> &blocks)
    {
      char buf[240];
      if (c.max_error_k >= 0)
        std::snprintf(buf, sizeof buf,
                      "cycle %u: %llu cells, %llu unknowns (Q%u) + %llu (Q%u, the estimate), %u + %u CG iterations, "
                      "largest bound %.3g K, %u block(s) open",
                      c.cycle, c.cells, c.dofs, degree, c.enriched_dofs, degree + 1, c.linear_iterations,
                      c.enriched_iterations, c.max_error_k, c.open_blocks);
      else if (c.max_block_change_k < 0)
        std::snprintf(buf, sizeof buf, "cycle %u: %llu cells, %llu unknowns (Q%u), %u CG iterations", c.cycle, c.cells,
                      c.dofs, degree, c.linear_iterations);
      else
        std::snprintf(buf, sizeof buf, "cycle %u: %llu cells, %llu unknowns, %u CG iterations, block change %.3g K",
                      c.cycle, c.cells, c.dofs, c.linear_iterations, c.max_block_change_k);
      std::string line = buf;
      if (c.memory_limited)
        line.insert(line.find(" cells") + 6, " (refined within the memory left)");
      else if (c.second_level_cells > 0)
        line.insert(line.find(" cells") + 6,
                    " (" + std::to_string(c.second_level_cells) + " of the last mesh's refined two levels)");
      if (c.warm_start)
        line.insert(line.find(" CG iterations") + 14, " from the last mesh's solution");
      if (c.max_error_k >= 0)
        line += describe_open_blocks(c, blocks);
      if (c.nonlinear_iterations > 0)
        line += ", " + std::to_string(c.nonlinear_iterations) + " nonlinear iterations (k(T), leakage)";
      return line;
    }

    /// The figures of the run for report.json, from the solved run.
    RunSummary summarise(SteadyChipSolve &run, const CaseSetup &setup, const AdaptivityReport &adaptivity,
                         const ThrottlingReport &throttling)
    {
      RunSummary  summary;
      summary.power_in_w = power_in_w(run.field(), run.data());
      summary.set_heat_out(heat_out_by_boundary_w(run.field(), run.data()));
      record_mesh(run.triangulation(), summary);
      summary.dofs                 = run.primal_dofs();
      summary.reported_dofs        = run.reported_dofs();
      summary.reported_degree      = run.reported_degree();
      summary.degree               = setup.solver.degree;
      summary.policy_passes        = run.a_priori_passes();
      summary.policy_budget_hit    = run.a_priori_budget_hit();
      summary.linear_iterations    = adaptivity.cycles.back().linear_iterations;
      summary.nonlinear_iterations = adaptivity.cycles.back().nonlinear_iterations;
      summary.nonlinear_change_k   = adaptivity.cycles.back().nonlinear_change_k;
      summary.final_residual       = adaptivity.cycles.back().final_residual;
      summary.adaptivity           = adaptivity;
      summary.hotspots             = powered_layer_hotspots(*setup.model, run.field(), run.coefficients().zones());
      if (run.map_goals())
        for (std::size_t g = 0; g < run.map_goals()->size() && g < run.map_errors().size(); ++g)
          for (auto &h : summary.hotspots)
            if (h.layer == run.map_goals()->layer(g))
              h.t_max_error_k = run.map_errors()[g].t_max_k;
      if (!throttling.blocks.empty())
        summary.throttling = &throttling;
      return summary;
    }

    /// One row per block with its verdict, dynamic power and leakage.
    std::vector<BlockReportRow> block_rows(const SteadyChipSolve &run, const CaseSetup &setup,
                                           const ThrottlingReport &throttling, bool &all_pass)
    {
      const auto verdicts =
        evaluate_signoff(setup.model->all_blocks(), run.block_results(), setup.signoff, &run.block_errors());
      auto       rows     = make_block_rows(*setup.model, run.block_results(), verdicts);
      if (run.coefficients().has_leakage())
        {
          const auto leakage = run.coefficients().block_leakage_w(run.field());
          for (std::size_t b = 0; b < rows.size(); ++b)
            rows[b].leakage_w = leakage[b];
        }
      for (std::size_t b = 0; b < rows.size(); ++b)
        rows[b].dynamic_w = throttling.block_power_w[b];
      const std::vector<std::size_t> near_unresolved =
        run.block_errors().empty() ? std::vector<std::size_t>() : run.unresolved_neighbours();
      if (!run.block_errors().empty())
        for (std::size_t b = 0; b < rows.size(); ++b)
          {
            rows[b].error            = run.block_errors()[b];
            rows[b].upper_difference = run.block_differences_upper()[b];
            if (!run.block_differences_lower().empty())
              rows[b].lower_difference = run.block_differences_lower()[b];
            // A block smaller than its cells has a bound that is not guaranteed
            // (docs/design.md, "resolved blocks"): no verdict rests on it.
            rows[b].resolved          = run.block_resolved(b);
            const bool near           = near_unresolved[b] < rows.size();
            rows[b].bounds_guaranteed = *rows[b].resolved && !near;
            if (setup.adaptivity.enabled &&
                left_at_limit(rows[b].verdict, *rows[b].error, setup.adaptivity.tolerance_k))
              {
                char note[160];
                std::snprintf(note, sizeof note,
                              "; within %.3g K of the limit (signoff.limit_resolution): not refined to decide it",
                              setup.signoff.limit_resolution_k);
                rows[b].verdict.reason += note;
              }
            if (!*rows[b].resolved && rows[b].verdict.verdict != "undecided")
              {
                rows[b].verdict.verdict = "undecided";
                rows[b].verdict.pass    = false;
                char asked[32];
                std::snprintf(asked, sizeof asked, "%.3g um", run.resolving_cell_m(b) * 1e6);
                rows[b].verdict.reason =
                  "smaller than the cells it lies in (" +
                  std::to_string(int(std::round(rows[b].result.cell_max_m * 1e6))) + " um): its error bound is not guaranteed; " +
                  (run.beyond_level_cap(b) ? "the level cap (mesh.max_level) keeps its cells larger than " +
                                               std::string(asked) + ": check its size, or raise mesh.max_level"
                                           : std::string("refine it (adaptivity on) for a verdict"));
              }
            else if (near && rows[b].verdict.verdict != "undecided")
              {
                // Its peak can sit at the unresolved block's edge, missed alike by both degrees.
                const auto &other       = *setup.model->all_blocks()[near_unresolved[b]];
                rows[b].verdict.verdict = "undecided";
                rows[b].verdict.pass    = false;
                rows[b].verdict.reason  = "next to " + other.die + "/" + other.name +
                                         ", which is smaller than the cells it lies in: its extremes' error bounds "
                                         "are not guaranteed; refine it (adaptivity on) for a verdict";
              }
          }
      all_pass = true;
      for (const auto &row : rows)
        all_pass = all_pass && row.verdict.pass;
      return rows;
    }

    /// pass when every block passes, fail when one fails, else undecided.
    std::string overall_status(const std::vector<BlockReportRow> &rows)
    {
      std::string status = "pass";
      for (const auto &row : rows)
        if (row.verdict.verdict == "fail")
          return "fail";
        else if (row.verdict.verdict == "undecided")
          status = "undecided";
      return status;
    }

    /// The closing lines: the hottest block, the balance, and (sign-off) the failures.
    void log_done(ProgressLog &log, const SteadyChipSolve &run, const std::vector<BlockReportRow> &rows,
                  const RunSummary &summary, const std::string &out_dir, bool signoff)
    {
      const auto &results = run.block_results();
      double      t_hot   = -1e300;
      std::string hottest;
      for (std::size_t b = 0; b < rows.size(); ++b)
        if (results[b].t_max_k > t_hot)
          t_hot = results[b].t_max_k, hottest = rows[b].block->name;
      char buf[256];
      std::snprintf(buf, sizeof buf, "hottest block %s at %.2f C; energy balance %.2e; %s", hottest.c_str(),
                    kelvin_to_celsius(t_hot), std::abs(summary.power_in_w - summary.heat_out_w) / summary.power_in_w,
                    out_dir.c_str());
      log.line("done", buf);
      if (!signoff)
        return;
      // A handful of failures on the terminal; all of them are in blocks.csv.
      constexpr std::size_t shown_failures = 10;
      std::size_t           failures       = 0;
      for (const auto &row : rows)
        if (!row.verdict.pass && ++failures <= shown_failures)
          log.line(row.verdict.verdict == "fail" ? "FAIL" : "UNDECIDED",
                   row.block->die + "/" + row.block->name + ": " + row.verdict.reason);
      if (failures > shown_failures)
        log.line("FAIL", "... and " + std::to_string(failures - shown_failures) + " more blocks (see " + out_dir +
                           "/blocks.csv)");
    }
  } // namespace

  CommandOutcome run_steady(const CaseDocument &document, std::string out_dir, bool signoff, MPI_Comm comm)
  {
    ProgressLog log(comm);
    Timer       total;
    // Rank-local timings (no communicator): phases are collective, so every rank
    // measures about the same, and an exception unwinds without a collective call.
    TimerOutput timer(std::cout, TimerOutput::never, TimerOutput::wall_times);

    // --- read and validate everything before any output exists ------------
    const CaseSetup setup = read_case(document);
    const auto     &model = *setup.model;
    if (out_dir.empty())
      out_dir = "chiptherm-out/" + model.name;
    log.line("read", document.path() + ": " + std::to_string(model.layers.size()) + " layers, " +
                       std::to_string(model.all_blocks().size()) + " blocks, " + format_watts(model.total_power_w()));

    // --- mesh and solve -----------------------------------------------------
    SteadyChipSolve run(model, setup.mesh, setup.solver, comm, timer);
    run.mesh();
    log_mesh(log, run);
    const ThrottlingReport coarse     = settle_on_first_mesh(run, setup, log);
    SteadyChipSolve::VerdictTargets verdict_targets;
    if (signoff)
      verdict_targets = [&](const std::vector<BlockResult> &results, const std::vector<BlockErrorBound> &errors) {
        const auto          verdicts = evaluate_signoff(model.all_blocks(), results, setup.signoff, &errors);
        std::vector<double> target;
        for (std::size_t b = 0; b < verdicts.size(); ++b)
          target.push_back(left_at_limit(verdicts[b], errors[b], setup.adaptivity.tolerance_k)
                             ? std::numeric_limits<double>::infinity()
                             : verdicts[b].deciding_bound_k);
        return target;
      };
    const AdaptivityReport adaptivity = run.solve_adaptively(
      setup.adaptivity, [&](const CycleRecord &c) {
        log.line("solve", describe_cycle(c, setup.solver.degree, model.all_blocks()));
      },
      verdict_targets);
    // On the final mesh a block may still be over its limit: it steps further
    // down, re-solved on this mesh (a lower power only flattens the field the
    // mesh was adapted to).
    const ThrottlingReport throttling =
      throttle_to_limits(run, model, setup.signoff, [&](const std::string &line) { log.line("throttle", line); },
                         has_dvfs(model) ? &coarse : nullptr);
    const std::string stopped =
      adaptivity.converged ? ""
      : ": stopped by " + adaptivity.stop_reason +
          (adaptivity.stop_reason == "memory"
             ? " (the next mesh would not fit in the memory left; this mesh's answer and bounds are reported: run on "
               "more memory, e.g. more nodes under mpirun, for a finer one)"
             : "");
    if (adaptivity.estimates && adaptivity.until == "verdicts")
      log.line("adapt", std::string(adaptivity.converged ? "every block's verdict decided" : "NOT every verdict decided") +
                          " (largest bound " + format_kelvin(adaptivity.max_error_k) + ", adaptivity.until: verdicts)" +
                          stopped);
    else if (adaptivity.estimates)
      {
        // The bounds can all be within the tolerance with blocks still open (a
        // verdict near its limit, an unresolved block): say which is not met.
        const bool within = adaptivity.max_error_k <= adaptivity.tolerance_k;
        log.line("adapt", (within ? "every block's t_max and t_avg within " : "NOT every block within ") +
                            format_kelvin(adaptivity.tolerance_k) + " (largest bound " +
                            format_kelvin(adaptivity.max_error_k) + ")" +
                            (within && !adaptivity.converged ? ", NOT every block decided (see the undecided blocks)"
                                                             : "") +
                            stopped);
      }
    else if (adaptivity.enabled)
      log.line("adapt", adaptivity.converged ? "block temperatures settled within " + format_kelvin(adaptivity.tolerance_k)
                                             : "NOT converged to " + format_kelvin(adaptivity.tolerance_k) +
                                                 stopped);

    // --- evaluate -------------------------------------------------------------
    bool       all_pass = true;
    run.compute_lower_differences();
    auto       rows     = block_rows(run, setup, throttling, all_pass);
    for (std::size_t b = 0; b < rows.size() && b < adaptivity.policy.size(); ++b)
      rows[b].policy = adaptivity.policy[b];
    RunSummary summary  = summarise(run, setup, adaptivity, throttling);
    summary.status      = signoff ? overall_status(rows) : "solved";

    // --- write (staged; moved into OUT only when complete) -------------------
    // The output's buffers (a quarter of the peak at 2.5 M unknowns) reuse the solver's memory.
    run.release_solver();
    OutputStaging staging(out_dir, comm);
    {
      TimerOutput::Scope scope(timer, "output");
      const SteadyErrorFields errors{&run.error_indicator(),
                                     run.block_errors().empty() ? nullptr : &run.error_bound_field()};
      write_solution(run.field(), run.coefficients(), throttling.block_power_w, errors, staging.path());
    }
    record_timing(timer, total.wall_time(), summary);
    write_reports(staging.path(), model, summary, rows, comm);
    write_foreign_outputs(staging.path(), setup.outputs, model, rows, true, comm);
    staging.commit();
    log_done(log, run, rows, summary, out_dir, signoff);
    return {summary.status, out_dir, all_pass};
  }
} // namespace chiptherm::commands
