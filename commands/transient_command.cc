#include "transient_command.h"

#include "case_setup.h"
#include "progress_log.h"
#include "solver/energy_integrals.h"
#include "solver/foreign_outputs.h"
#include "solver/output_staging.h"
#include "solver/report_writer.h"
#include "solver/solution_writer.h"
#include "solver/trace_writer.h"
#include "solver/transient_chip_solve.h"

#include <deal.II/base/timer.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>

namespace chiptherm::commands
{
  using namespace dealii;
  using namespace chiptherm::solver;

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

    /// One transient run: the solve's callbacks write frames, traces and
    /// progress lines as the march goes; the report comes at the end.
    class TransientCommand
    {
    public:
      TransientCommand(const CaseDocument &document, std::string out_dir, bool resume, MPI_Comm comm)
        : comm_(comm)
        , log_(comm)
        , timer_(std::cout, TimerOutput::never, TimerOutput::wall_times)
        , setup_(read_case(document, true))
        , settings_(*setup_.transient)
        , out_dir_(out_dir.empty() ? "chiptherm-out/" + setup_.model->name : std::move(out_dir))
      {
        const auto &model = *setup_.model;
        char        buf[256];
        std::snprintf(buf, sizeof buf, "%zu layers, %zu blocks, %.4g s simulated%s", model.layers.size(),
                      model.all_blocks().size(), settings_.end_time_s,
                      settings_.traces_file.empty() ? "" : (", trace " + settings_.traces_file).c_str());
        log_.line("read", document.path() + ": " + buf);
        staging_ = std::make_unique<OutputStaging>(out_dir_, comm, resume);
        run_     = std::make_unique<TransientChipSolve>(model, setup_.mesh, setup_.solver, settings_, comm, timer_,
                                                    setup_.signoff);
        if (settings_.checkpoint_interval_s > 0 || resume)
          run_->enable_checkpoints(staging_->path() + "/checkpoint", case_digest(document));
        mesh_or_resume(resume);
      }

      CommandOutcome run()
      {
        const TransientReport report = run_->run([this](unsigned int k, double t) { on_output(k, t); },
                                                 [this](double t, double h, const TransientReport &r) { on_step(t, h, r); },
                                                 [this]() { return checkpoint_extra(); });
        // The end state, for a later run to start from (transient.initial: OUT).
        run_->save_final_state(staging_->path() + "/final_state");
        write_results(report);
        log_summary(report);
        return {"solved", out_dir_, true};
      }

    private:
      void mesh_or_resume(bool resume)
      {
        resumed_ = resume && run_->resume();
        if (resume && !resumed_)
          log_.line("resume", "no checkpoint in " + staging_->path() + ": starting from t = 0");
        if (!resumed_)
          run_->mesh();
        log_.line(resumed_ ? "resume" : "mesh",
                  (resumed_ ? "from the checkpoint at t = " + std::to_string(run_->start_time_s()) + " s, "
                            : std::string()) +
                    std::to_string(run_->mesh_info().coarse_cells) + " coarse cells, " +
                    std::to_string(run_->triangulation().n_global_active_cells()) + " cells, " +
                    std::to_string(run_->problem().n_dofs()) + " unknowns (Q" + std::to_string(setup_.solver.degree) +
                    ")");
        std::vector<std::string> dvfs_labels;
        for (const std::size_t b : run_->dvfs().blocks())
          dvfs_labels.push_back(setup_.model->block_labels()[b]);
        traces_ = std::make_unique<TraceWriter>(staging_->path(), setup_.model->block_labels(), dvfs_labels,
                                                settings_.hotspot_ttrace, comm_, resumed_ ? run_->start_time_s() : -1.0);
        if (resumed_)
          try
            {
              frames_ = read_checkpoint_frames(run_->resumed_extra(), run_->outputs_done(), run_->start_time_s());
            }
          catch (const InputError &e)
            {
              throw InputError("the checkpoint in " + staging_->path() + " is damaged (" + e.what() +
                               "): run without --resume to start over");
            }
      }

      void on_output(unsigned int k, double t)
      {
        TimerOutput::Scope scope(timer_, "output");
        auto               power = run_->block_powers(t, true);
        frames_.emplace_back(t, solution_frames_.write(run_->problem().field(), run_->coefficients(), power, staging_->path(), k));
        write_pvd(staging_->path(), frames_, comm_);
        const auto leakage = run_->block_leakage_w();
        for (std::size_t b = 0; b < power.size(); ++b)
          power[b] += leakage[b];
        std::vector<double> t_max_k, t_avg_k;
        run_->block_trace_figures(t_max_k, t_avg_k);
        traces_->add(t, t_max_k, t_avg_k, power);
        traces_->add_frequencies(t, run_->dvfs_frequencies_hz());
      }

      void on_step(double t, double h, const TransientReport &r)
      {
        if (events_seen_ == std::numeric_limits<std::size_t>::max())
          {
            // A resumed run logged the events up to its checkpoint already.
            events_seen_ = 0;
            while (resumed_ && events_seen_ < r.throttle_events.size() &&
                   r.throttle_events[events_seen_].t_s <= run_->start_time_s())
              ++events_seen_;
          }
        if (r.throttle_events.size() > events_seen_)
          log_frequency_changes(r);
        // A line per ~5 s of wall time between output times.
        if (log_.seconds() - last_progress_ > 5 || t >= settings_.end_time_s)
          {
            char buf[256];
            std::snprintf(buf, sizeof buf, "t = %.6g s of %.6g (%3.0f%%), %u steps (%u rejected), dt %.3g s", t,
                          settings_.end_time_s, 100 * t / settings_.end_time_s, r.steps, r.rejected_steps, h);
            log_.line("transient", buf);
            last_progress_ = log_.seconds();
          }
      }

      /// Two rows at each change time, the frequencies before and after:
      /// plotted point to point, the trace is the step it is. (New events are
      /// at t, and at 0 for the settling of a steady start, which the row of
      /// t = 0 already shows.)
      void log_frequency_changes(const TransientReport &r)
      {
        const auto &dvfs   = run_->dvfs();
        const auto  blocks = setup_.model->all_blocks();
        auto        column = [&](std::size_t block) {
          return std::size_t(std::find(dvfs.blocks().begin(), dvfs.blocks().end(), block) - dvfs.blocks().begin());
        };
        auto frequency = [&](std::size_t block, std::size_t point) { return blocks[block]->dvfs->points[point].frequency_hz; };
        auto current   = run_->dvfs_frequencies_hz();
        for (std::size_t e = r.throttle_events.size(); e-- > events_seen_;)
          current[column(r.throttle_events[e].block)] = frequency(r.throttle_events[e].block, r.throttle_events[e].from);
        while (events_seen_ < r.throttle_events.size())
          {
            const double at = r.throttle_events[events_seen_].t_s;
            if (at > 0)
              traces_->add_frequencies(at, current);
            for (; events_seen_ < r.throttle_events.size() && r.throttle_events[events_seen_].t_s == at; ++events_seen_)
              {
                const auto &event            = r.throttle_events[events_seen_];
                current[column(event.block)] = frequency(event.block, event.to);
                log_.line("throttle", dvfs.describe(event));
              }
            if (at > 0)
              traces_->add_frequencies(at, current);
          }
      }

      /// What a checkpoint keeps of this command (the frames so far); called
      /// when one is written.
      nlohmann::json checkpoint_extra()
      {
        char line[96];
        std::snprintf(line, sizeof line, "saving the state at t = %.6g s (for --resume)", run_->start_time_s());
        log_.line("checkpoint", line);
        nlohmann::json list = nlohmann::json::array();
        for (const auto &[t, name] : frames_)
          list.push_back({t, name});
        return nlohmann::json{{"frames", list}};
      }

      /// Limits against each block's peak over the run; report.json, blocks.csv.
      void write_results(const TransientReport &report)
      {
        const auto &model         = *setup_.model;
        const auto  blocks        = model.all_blocks();
        const auto  final_results = run_->block_results();
        auto        peak_results  = final_results;
        for (std::size_t b = 0; b < blocks.size(); ++b)
          {
            peak_results[b].t_max_k = report.peak_k[b];
            peak_results[b].t_min_k = report.peak_k[b] - report.peak_spread_k[b];
          }
        const auto verdicts = evaluate_signoff(blocks, peak_results, setup_.signoff);
        auto       rows     = make_block_rows(model, final_results, verdicts);
        // Powers at the end: dynamic (DVFS blocks at their last point) and leakage.
        const auto final_powers  = run_->block_powers(settings_.end_time_s, true);
        const auto final_leakage = run_->block_leakage_w();
        RunSummary summary;
        for (std::size_t b = 0; b < rows.size(); ++b)
          {
            rows[b].peak_k = report.peak_k[b], rows[b].peak_time_s = report.peak_time_s[b];
            rows[b].dynamic_w = final_powers[b], rows[b].leakage_w = final_leakage[b];
            summary.power_in_w += rows[b].power_w();
          }
        summary.set_heat_out(heat_out_by_boundary_w(run_->problem()));
        record_mesh(run_->triangulation(), summary);
        summary.dofs                   = run_->problem().n_dofs();
        summary.degree                 = setup_.solver.degree;
        summary.policy_passes          = run_->a_priori_passes();
        summary.linear_iterations      = report.cg_iterations;
        summary.adaptivity.enabled     = false;
        summary.adaptivity.stop_reason = "not used by transient runs (the a priori mesh is used throughout)";
        summary.transient              = &report;
        summary.hotspots = powered_layer_hotspots(model, run_->problem().field(), run_->coefficients().zones());
        if (run_->dvfs().active())
          summary.dvfs = &run_->dvfs();
        summary.status = "solved";
        record_timing(timer_, total_.wall_time(), summary);
        write_reports(staging_->path(), model, summary, rows, comm_);
        write_foreign_outputs(staging_->path(), setup_.outputs, model, rows, false, comm_);
        staging_->commit();
      }

      void log_summary(const TransientReport &report)
      {
        const auto  blocks = setup_.model->all_blocks();
        const auto &dvfs   = run_->dvfs();
        char        buf[512];
        for (const std::size_t b : dvfs.blocks())
          {
            std::snprintf(buf, sizeof buf,
                          "%s/%s: sustained throughput %.3f of its fastest point, %.4g s throttled, %zu "
                          "changes; peak %.2f C (limit %.2f C)",
                          blocks[b]->die.c_str(), blocks[b]->name.c_str(), dvfs.throughput(b, report, settings_.end_time_s),
                          report.throttled_s[b],
                          std::size_t(std::count_if(report.throttle_events.begin(), report.throttle_events.end(),
                                                    [b](const ThrottleEvent &e) { return e.block == b; })),
                          kelvin_to_celsius(report.peak_k[b]), kelvin_to_celsius(dvfs.limit_k(b)));
            log_.line("dvfs", buf);
          }
        const auto hottest =
          std::size_t(std::max_element(report.peak_k.begin(), report.peak_k.end()) - report.peak_k.begin());
        std::snprintf(buf, sizeof buf, "peak %s at %.2f C (t = %.4g s); %u steps, %u rejected; energy balance %.2e; %s",
                      blocks[hottest]->name.c_str(), kelvin_to_celsius(report.peak_k[hottest]),
                      report.peak_time_s[hottest], report.steps, report.rejected_steps, report.energy_rel_error(),
                      out_dir_.c_str());
        log_.line("done", buf);
      }

      MPI_Comm                                    comm_;
      ProgressLog                                 log_;
      Timer                                       total_;
      TimerOutput                                 timer_;
      CaseSetup                                   setup_;
      const TransientSettings                    &settings_;
      std::string                                 out_dir_;
      std::unique_ptr<OutputStaging>              staging_;
      std::unique_ptr<TransientChipSolve>         run_;
      std::unique_ptr<TraceWriter>                traces_;
      std::vector<std::pair<double, std::string>> frames_;
      solver::SolutionFrames                      solution_frames_; ///< the grid encoded once per mesh
      bool                                        resumed_       = false;
      double                                      last_progress_ = 0;
      std::size_t events_seen_ = std::numeric_limits<std::size_t>::max(); ///< set at the first step
    };
  } // namespace

  CommandOutcome run_transient(const CaseDocument &document, std::string out_dir, bool resume, MPI_Comm comm)
  {
    return TransientCommand(document, std::move(out_dir), resume, comm).run();
  }
} // namespace chiptherm::commands
