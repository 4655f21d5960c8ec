#include "transient_settings.h"

#include "common/input_files.h"
#include "floorplans/power_trace.h"

#include <algorithm>
#include <filesystem>

namespace chiptherm::solver
{
  namespace
  {
    /// initial: ambient, steady, {temperature: T}, or the folder of a finished
    /// run (its final_state inside it, or itself).
    void read_initial(const CaseNode &n, TransientSettings &s)
    {
      const CaseNode initial = n.at("initial");
      const std::string text = initial.is_map() ? std::string() : initial.text();
      if (initial.is_map())
        {
          initial.expect_keys({"temperature"});
          s.initial               = "uniform";
          s.initial_temperature_k = initial.at("temperature").temperature();
        }
      else if (text == "ambient" || text == "steady")
        s.initial = text;
      else
        {
          std::filesystem::path dir = text;
          if (dir.is_relative())
            dir = std::filesystem::path(n.file()).parent_path() / dir;
          if (is_input_file(dir / "final_state" / "latest"))
            dir /= "final_state";
          if (!is_input_file(dir / "latest"))
            n.at("initial").fail("expected ambient, steady, {temperature: T}, or the output folder of a finished "
                                 "transient run (holding final_state/), got '" + text + "'");
          s.initial           = "state";
          s.initial_state_dir = dir.string();
        }
    }

    /// adapt: {every, refine_fraction, coarsen_fraction, max_cells_factor}
    void read_adaptation(const CaseNode &a, TransientSettings &s)
    {
      a.expect_keys({"every", "refine_fraction", "coarsen_fraction", "max_cells_factor"});
      s.adapt_every = a.integer_or("every", 10, 1, 1000000);
      auto fraction = [&](const char *key, double fallback) {
        if (!a.has(key))
          return fallback;
        const double f = a.at(key).non_negative_number();
        if (f > 1)
          a.at(key).fail("expected a fraction of the cells in [0, 1]");
        return f;
      };
      s.adapt_refine  = fraction("refine_fraction", s.adapt_refine);
      s.adapt_coarsen = fraction("coarsen_fraction", s.adapt_coarsen);
      if (s.adapt_refine + s.adapt_coarsen > 1)
        a.at("coarsen_fraction").fail("expected refine_fraction + coarsen_fraction <= 1");
      if (a.has("max_cells_factor"))
        s.adapt_max_cells_factor = a.at("max_cells_factor").positive_number();
    }
    // Bounds on the work a transient section asks for (issue 22: no input may hang a run).
    constexpr double max_end_time_s = 1e6;
    constexpr double max_outputs     = 1e5;
    constexpr double max_steps       = 1e7;

    void expect_count(const CaseNode &n, const char *key, double count, double most, const char *what)
    {
      if (count > most)
        n.at(key).fail("expected at most " + std::to_string(static_cast<long long>(most)) + " " + what +
                       " over end_time, got " + std::to_string(static_cast<long long>(std::min(count, 9e18))) +
                       ": choose a longer " + key);
    }
  } // namespace

  TransientSettings TransientSettings::read(const CaseNode &n, floorplans::ChipModel &model)
  {
    TransientSettings s;
    if (!n.is_defined())
      throw InputError(SourceLocation{n.file(), -1, "transient"},
                       "a transient run needs a 'transient:' section with at least end_time (s)");
    n.expect_keys({"end_time", "output_interval", "initial", "traces", "trace_interval", "interpolation",
                   "step_tolerance", "initial_step", "max_step", "min_step", "fixed_step", "hotspot_ttrace",
                   "checkpoint_interval", "adapt", "control_interval"});
    if (n.has("hotspot_ttrace"))
      s.hotspot_ttrace = n.at("hotspot_ttrace").choice({"true", "false"}) == "true";
    if (n.has("initial"))
      read_initial(n, s);
    if (n.has("interpolation"))
      s.interpolation = n.at("interpolation").choice({"step", "linear"}) == "linear" ? floorplans::Interpolation::linear
                                                                                        : floorplans::Interpolation::step;

    double trace_end = 0;
    if (n.has("traces"))
      {
        std::filesystem::path file = n.at("traces").text();
        if (file.is_relative())
          file = std::filesystem::path(n.file()).parent_path() / file;
        s.traces_file  = file.string();
        s.trace_format = file.extension() == ".ptrace" ? "ptrace" : "csv";
        if (s.trace_format == "ptrace")
          {
            if (!n.has("trace_interval"))
              n.at("traces").fail("a HotSpot .ptrace needs transient.trace_interval (s per row; HotSpot's "
                                  "-sampling_intvl)");
            s.trace_interval_s = n.at("trace_interval").positive_number();
            if (n.has("interpolation") && s.interpolation == floorplans::Interpolation::linear)
              n.at("interpolation").fail("a .ptrace holds one power per interval: interpolation must be step");
          }
        else if (n.has("trace_interval"))
          n.at("trace_interval").fail("trace_interval is for HotSpot .ptrace files; a CSV trace has a time_s column");
        try
          {
            const auto trace = s.trace_format == "ptrace"
                                 ? floorplans::read_hotspot_ptrace(s.traces_file, s.trace_interval_s)
                                 : floorplans::read_power_trace_csv(s.traces_file, s.interpolation);
            floorplans::apply_power_trace(trace, model);
            trace_end = trace.end_s;
          }
        catch (const InputError &e)
          {
            // The trace's own file and line come first; say which key named it.
            throw InputError(std::string(e.what()) + " (the trace named by " + n.at("traces").where().file + ":" +
                             std::to_string(n.at("traces").where().line) + ", key 'transient.traces')");
          }
      }
    else if (n.has("trace_interval"))
      n.at("trace_interval").fail("trace_interval needs a .ptrace file in transient.traces");

    if (n.has("end_time"))
      {
        // A package settles in minutes; past 1e6 s (11 days) the number is not a chip's time.
        s.end_time_s = n.at("end_time").positive_number();
        s.end_time_s = n.at("end_time").number_in(0, max_end_time_s, "s");
      }
    else if (trace_end > 0)
      s.end_time_s = trace_end;
    else
      n.fail("expected end_time (s): the length of the simulated interval");

    s.output_interval_s = n.has("output_interval") ? n.at("output_interval").positive_number() : s.end_time_s / 50;
    if (s.output_interval_s > s.end_time_s)
      n.at("output_interval").fail("expected an output_interval no longer than end_time (" +
                                   std::to_string(s.end_time_s) + " s)");
    expect_count(n, "output_interval", s.end_time_s / s.output_interval_s, max_outputs, "outputs (ParaView frames)");
    if (n.has("step_tolerance"))
      s.step_tolerance_k = n.at("step_tolerance").number_in(1e-6, 1e3, "K");
    s.initial_step_s = n.has("initial_step") ? n.at("initial_step").positive_number() : s.output_interval_s / 1000;
    s.max_step_s     = n.has("max_step") ? n.at("max_step").positive_number() : s.output_interval_s;
    s.min_step_s     = n.has("min_step") ? n.at("min_step").positive_number() : s.end_time_s * 1e-12;
    if (n.has("fixed_step"))
      {
        s.fixed_step_s = n.at("fixed_step").positive_number();
        expect_count(n, "fixed_step", s.end_time_s / s.fixed_step_s, max_steps, "time steps");
      }
    s.control_interval_s = n.has("control_interval") ? n.at("control_interval").positive_number()
                                                     : std::min(1e-3, s.output_interval_s);
    if (n.has("control_interval"))
      expect_count(n, "control_interval", s.end_time_s / s.control_interval_s, max_steps, "control steps");
    if (n.has("min_step"))
      expect_count(n, "min_step", s.end_time_s / s.min_step_s, 1e12, "steps at the smallest step");
    s.checkpoint_interval_s = n.has("checkpoint_interval") ? n.at("checkpoint_interval").non_negative_number()
                                                           : s.end_time_s / 10;
    s.checkpoint_min_wall_s = n.has("checkpoint_interval") ? 0.0 : TransientSettings::default_checkpoint_min_wall_s;
    if (n.has("adapt"))
      read_adaptation(n.at("adapt"), s);
    if (s.min_step_s > s.max_step_s)
      (n.has("min_step") ? n.at("min_step") : n)
        .fail("expected min_step (" + std::to_string(s.min_step_s) + " s) <= max_step (" + std::to_string(s.max_step_s) +
              " s)");
    return s;
  }
} // namespace chiptherm::solver
