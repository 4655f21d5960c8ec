#include "transient_analysis.h"

#include "../floorplans/case_reader.h"
#include "adaptivity_settings.h"
#include "foreign_outputs.h"
#include "output_staging.h"
#include "progress_log.h"
#include "report_writer.h"
#include "signoff.h"
#include "solution_writer.h"
#include "trace_writer.h"
#include "transient_chip_solve.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <cmath>
#include <cstdint>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// FNV-1a of the case as parsed (overrides applied): a resumed run must be the same case.
    std::string case_digest(const CaseDocument &document)
    {
      const std::string text = YAML::Dump(document.root().raw());
      std::uint64_t     hash = 1469598103934665603ULL;
      for (const unsigned char c : text)
        hash = (hash ^ c) * 1099511628211ULL;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
      return buf;
    }
  } // namespace

  SteadyOutcome run_transient(const CaseDocument &document, std::string out_dir, bool resume, MPI_Comm comm)
  {
    ProgressLog log(comm);
    Timer       total;
    TimerOutput timer(std::cout, TimerOutput::never, TimerOutput::wall_times);

    // --- read and validate everything before any output exists ------------
    floorplans::ChipModel model         = floorplans::read_chip_model(document);
    const CaseNode        root          = document.root();
    const auto            mesh_settings = mesh::MeshSettings::read(root.optional("mesh"), model);
    const auto            solver_settings  = SolverSettings::read(root.optional("solver"));
    const auto            signoff_settings = SignoffSettings::read(root.optional("signoff"));
    const auto            foreign_outputs  = read_foreign_output_settings(root);
    const auto            settings         = TransientSettings::read(root.optional("transient"), model);
    // Not used by transient runs, but a bad value there is still an error the user wants to hear about.
    AdaptivitySettings::read(root.optional("adaptivity"));
    const auto            blocks           = model.all_blocks();
    if (out_dir.empty())
      out_dir = "chiptherm-out/" + model.name;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%zu layers, %zu blocks, %.4g s simulated%s", model.layers.size(), blocks.size(),
                  settings.end_time_s, settings.traces_file.empty() ? "" : (", trace " + settings.traces_file).c_str());
    log.line("read", document.path() + ": " + buf);

    // --- mesh (or the checkpoint's) ---------------------------------------------
    OutputStaging      staging(out_dir, comm, resume);
    TransientChipSolve run(model, mesh_settings, solver_settings, settings, comm, timer, signoff_settings);
    if (settings.checkpoint_interval_s > 0 || resume)
      run.enable_checkpoints(staging.path() + "/checkpoint", case_digest(document));
    const bool resumed = resume && run.resume();
    if (resume && !resumed)
      log.line("resume", "no checkpoint in " + staging.path() + ": starting from t = 0");
    if (!resumed)
      run.mesh();
    const auto &tria = run.triangulation();
    log.line(resumed ? "resume" : "mesh",
             (resumed ? "from the checkpoint at t = " + std::to_string(run.start_time_s()) + " s, " : std::string()) +
               std::to_string(run.mesh_info().coarse_cells) + " coarse cells, " +
               std::to_string(tria.n_global_active_cells()) + " cells, " + std::to_string(run.problem().n_dofs()) +
               " unknowns (Q" + std::to_string(solver_settings.degree) + ")");

    // --- march, writing frames and traces as they come ---------------------------
    const DvfsControl       &dvfs = run.dvfs();
    std::vector<std::string> dvfs_labels;
    for (const std::size_t b : dvfs.blocks())
      dvfs_labels.push_back(model.block_labels()[b]);
    TraceWriter traces(staging.path(), model.block_labels(), dvfs_labels, settings.hotspot_ttrace, comm,
                       resumed ? run.start_time_s() : -1.0);
    std::vector<std::pair<double, std::string>> frames;
    if (resumed)
      for (const auto &f : run.resumed_extra().at("frames"))
        frames.emplace_back(f.at(0).get<double>(), f.at(1).get<std::string>());
    double      last_progress = 0;
    std::size_t events_seen   = std::numeric_limits<std::size_t>::max(); // set at the first step
    auto   progress      = [&](double t, const TransientReport &r, double h) {
      std::snprintf(buf, sizeof buf, "t = %.6g s of %.6g (%3.0f%%), %u steps (%u rejected), dt %.3g s", t,
                    settings.end_time_s, 100 * t / settings.end_time_s, r.steps, r.rejected_steps, h);
      log.line("transient", buf);
      last_progress = log.seconds();
    };
    const TransientReport report = run.run(
      [&](unsigned int k, double t) {
        TimerOutput::Scope scope(timer, "output");
        auto power = run.block_powers(t, true);
        frames.emplace_back(t, write_solution_frame(run.problem(), run.coefficients(), power, staging.path(), k));
        write_pvd(staging.path(), frames, comm);
        const auto leakage = run.block_leakage_w();
        for (std::size_t b = 0; b < power.size(); ++b)
          power[b] += leakage[b];
        traces.add(t, run.block_results(), power);
        traces.add_frequencies(t, run.dvfs_frequencies_hz());
      },
      [&](double t, double h, const TransientReport &r) {
        if (events_seen == std::numeric_limits<std::size_t>::max())
          {
            // A resumed run logged the events up to its checkpoint already.
            events_seen = 0;
            while (resumed && events_seen < r.throttle_events.size() &&
                   r.throttle_events[events_seen].t_s <= run.start_time_s())
              ++events_seen;
          }
        if (r.throttle_events.size() > events_seen)
          {
            // Two rows at each change time, the frequencies before and after:
            // plotted point to point, the trace is the step it is. (New events
            // are at t, and at 0 for the settling of a steady start, which the
            // row of t = 0 already shows.)
            auto column = [&](std::size_t block) {
              return std::size_t(std::find(dvfs.blocks().begin(), dvfs.blocks().end(), block) - dvfs.blocks().begin());
            };
            auto current = run.dvfs_frequencies_hz();
            for (std::size_t e = r.throttle_events.size(); e-- > events_seen;)
              current[column(r.throttle_events[e].block)] =
                blocks[r.throttle_events[e].block]->dvfs->points[r.throttle_events[e].from].frequency_hz;
            while (events_seen < r.throttle_events.size())
              {
                const double at = r.throttle_events[events_seen].t_s;
                if (at > 0)
                  traces.add_frequencies(at, current);
                for (; events_seen < r.throttle_events.size() && r.throttle_events[events_seen].t_s == at; ++events_seen)
                  {
                    const auto &event             = r.throttle_events[events_seen];
                    current[column(event.block)] = blocks[event.block]->dvfs->points[event.to].frequency_hz;
                    log.line("throttle", dvfs.describe(event));
                  }
                if (at > 0)
                  traces.add_frequencies(at, current);
              }
          }
        // A line per ~5 s of wall time between output times.
        if (log.seconds() - last_progress > 5 || t >= settings.end_time_s)
          progress(t, r, h);
      },
      [&]() {
        nlohmann::json list = nlohmann::json::array();
        for (const auto &[t, name] : frames)
          list.push_back({t, name});
        return nlohmann::json{{"frames", list}};
      });

    // The end state, for a later run to start from (transient.initial: OUT).
    run.save_final_state(staging.path() + "/final_state");

    // --- evaluate: limits against each block's peak over the run -----------------
    const auto final_results = run.block_results();
    auto       peak_results  = final_results;
    for (std::size_t b = 0; b < blocks.size(); ++b)
      {
        peak_results[b].t_max_k = report.peak_k[b];
        peak_results[b].t_min_k = report.peak_k[b] - report.peak_spread_k[b];
      }
    const auto verdicts = evaluate_signoff(blocks, peak_results, signoff_settings);
    auto       rows     = make_block_rows(model, final_results, verdicts);
    // Powers at the end: dynamic (DVFS blocks at their last point) and leakage.
    const auto final_powers = run.block_powers(settings.end_time_s, true);
    const auto final_leakage = run.block_leakage_w();
    RunSummary summary;
    for (std::size_t b = 0; b < rows.size(); ++b)
      {
        rows[b].peak_k = report.peak_k[b], rows[b].peak_time_s = report.peak_time_s[b];
        rows[b].dynamic_w = final_powers[b], rows[b].leakage_w = final_leakage[b];
        summary.power_in_w += rows[b].power_w();
      }
    summary.set_heat_out(run.problem().heat_out_by_boundary_w());
    record_mesh(tria, summary);
    summary.dofs              = run.problem().n_dofs();
    summary.degree            = solver_settings.degree;
    summary.policy_passes     = run.a_priori_passes();
    summary.linear_iterations = report.cg_iterations;
    summary.adaptivity.enabled = false;
    summary.adaptivity.stop_reason = "not used by transient runs (the a priori mesh is used throughout)";
    summary.transient         = &report;
    if (dvfs.active())
      summary.dvfs = &dvfs;
    summary.status            = "solved";
    record_timing(timer, total.wall_time(), summary);
    write_reports(staging.path(), model, summary, rows, comm);
    write_foreign_outputs(staging.path(), foreign_outputs, model, rows, false, comm);
    staging.commit();

    for (const std::size_t b : dvfs.blocks())
      {
        std::snprintf(buf, sizeof buf, "%s/%s: sustained throughput %.3f of its fastest point, %.4g s throttled, %zu "
                      "changes; peak %.2f C (limit %.2f C)", blocks[b]->die.c_str(), blocks[b]->name.c_str(),
                      dvfs.throughput(b, report, settings.end_time_s), report.throttled_s[b],
                      std::size_t(std::count_if(report.throttle_events.begin(), report.throttle_events.end(),
                                                [b](const ThrottleEvent &e) { return e.block == b; })),
                      kelvin_to_celsius(report.peak_k[b]), kelvin_to_celsius(dvfs.limit_k(b)));
        log.line("dvfs", buf);
      }
    const auto hottest =
      std::size_t(std::max_element(report.peak_k.begin(), report.peak_k.end()) - report.peak_k.begin());
    std::snprintf(buf, sizeof buf, "peak %s at %.2f C (t = %.4g s); %u steps, %u rejected; energy balance %.2e; %s",
                  blocks[hottest]->name.c_str(), kelvin_to_celsius(report.peak_k[hottest]), report.peak_time_s[hottest],
                  report.steps, report.rejected_steps, report.energy_rel_error(), out_dir.c_str());
    log.line("done", buf);
    return {summary.status, out_dir, true};
  }
} // namespace chiptherm::solver
