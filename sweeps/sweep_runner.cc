#include "sweep_runner.h"

#include "common/output_file.h"
#include "common/case_document.h"
#include "common/errors.h"
#include "sweep_prediction.h"
#include "sweep_screen.h"
#include "sweep_table.h"

#include <deal.II/base/mpi.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

namespace chiptherm::sweeps
{
  namespace
  {
    using Clock = std::chrono::steady_clock;

    void say(const std::string &line) { std::cout << "[sweep] " << line << std::endl; }

    /// OUT/cases/<name>.json, whole or not at all: the case is finished.
    void write_marker(const std::string &out_dir, const std::string &name, const std::string &status, double wall_s,
                      const std::string &message)
    {
      const std::string path = out_dir + "/cases/" + name + ".json";
      write_text_file(path + ".partial",
                      nlohmann::json{{"status", status}, {"wall_s", wall_s}, {"message", message}}.dump(
                        -1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      std::filesystem::rename(path + ".partial", path);
    }

    /// A case --resume keeps: its marker is there and it did not fail (a failure
    /// may have been the machine's: a full disk, memory; it runs again).
    bool finished(const std::string &out_dir, const std::string &name)
    {
      std::ifstream in(out_dir + "/cases/" + name + ".json");
      if (!in)
        return false;
      const auto marker = nlohmann::json::parse(in, nullptr, false);
      return !marker.is_discarded() && marker.value("status", std::string()) != "failed";
    }

    /// The last non-empty line of a log: a failed case's reason.
    std::string last_line(const std::string &path)
    {
      std::ifstream in(path);
      std::string   line, last;
      while (std::getline(in, line))
        if (!line.empty())
          last = line;
      return last;
    }

    struct Progress
    {
      std::size_t       total = 0, done = 0, failed = 0;
      Clock::time_point start = Clock::now();
      void report(std::size_t running, unsigned int lanes)
      {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        char         buf[200];
        if (done > 0)
          std::snprintf(buf, sizeof buf, "%zu/%zu done (%zu failed), %zu running, about %.1f min left", done, total,
                        failed, running, elapsed / double(done) * double(total - done) / 60.0);
        else
          std::snprintf(buf, sizeof buf, "0/%zu done, %zu running", total, running);
        (void)lanes;
        say(buf);
      }
    };

    CaseRequest request_of(const SweepSpec &spec, const SweepPoint &p, const std::string &out_dir)
    {
      return {spec.base_case, p.assignments, out_dir + "/cases/" + p.name};
    }

    /// Starts the executor's child process for a case, its output into log; returns its pid.
    pid_t spawn_case(const std::vector<std::string> &command, const std::string &log)
    {
      std::vector<std::string> args = command;
      std::vector<char *>      argv;
      for (auto &a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&actions, 1, 2);
      pid_t      pid     = 0;
      const bool started = posix_spawn(&pid, args.front().c_str(), &actions, nullptr, argv.data(), environ) == 0;
      posix_spawn_file_actions_destroy(&actions);
      if (!started)
        throw NumericalError("cannot start a case of the sweep (" + args.front() + ")");
      return pid;
    }

    /// One process: up to jobs child processes (the executor's command) at a time.
    void run_children(const SweepSpec &spec, const std::vector<SweepPoint> &todo, const std::string &out_dir,
                      unsigned int jobs, const CaseExecutor &executor)
    {
      struct Running
      {
        const SweepPoint *point;
        Clock::time_point start;
      };
      std::map<pid_t, Running> running;
      Progress                 progress;
      progress.total = todo.size();
      std::size_t next = 0;
      while (next < todo.size() || !running.empty())
        {
          while (next < todo.size() && running.size() < jobs)
            {
              const SweepPoint  &p       = todo[next++];
              const CaseRequest  request = request_of(spec, p, out_dir);
              running[spawn_case(executor.child_command(request), request.out_dir + ".log")] = {&p, Clock::now()};
            }
          int         status = 0;
          const pid_t pid    = waitpid(-1, &status, 0);
          const auto  it     = running.find(pid);
          if (it == running.end())
            continue;
          const SweepPoint &p    = *it->second.point;
          const double      wall = std::chrono::duration<double>(Clock::now() - it->second.start).count();
          const int         code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
          running.erase(it);
          // signoff: 0 all limits met, 1 some violated (both solved); 2 bad input, 3 numerical.
          const bool solved = code == 0 || code == 1;
          write_marker(out_dir, p.name, solved ? "solved" : "failed", wall,
                       solved ? "" : "exit " + std::to_string(code) + ": " + last_line(out_dir + "/cases/" + p.name + ".log"));
          ++progress.done;
          progress.failed += solved ? 0 : 1;
          progress.report(running.size(), jobs);
        }
    }

    /// Under mpirun: groups of ranks_per_case ranks, case i to group i mod groups, solved in this process.
    void run_in_groups(const SweepSpec &spec, const std::vector<SweepPoint> &todo, const std::string &out_dir,
                       unsigned int ranks_per_case, const CaseExecutor &executor, MPI_Comm comm)
    {
      const unsigned int size   = dealii::Utilities::MPI::n_mpi_processes(comm);
      const unsigned int rank   = dealii::Utilities::MPI::this_mpi_process(comm);
      const unsigned int groups = std::max(1u, size / ranks_per_case);
      const unsigned int group  = std::min(rank / ranks_per_case, groups - 1);
      MPI_Comm           group_comm;
      MPI_Comm_split(comm, int(group), int(rank), &group_comm);
      const bool group_root = dealii::Utilities::MPI::this_mpi_process(group_comm) == 0;
      for (std::size_t i = group; i < todo.size(); i += groups)
        {
          const SweepPoint &p     = todo[i];
          const auto        start = Clock::now();
          std::string       status = "solved", message;
          try
            {
              executor.run_in_process(request_of(spec, p, out_dir), group_comm);
            }
          catch (const std::exception &e)
            {
              status = "failed", message = e.what();
            }
          if (group_root)
            {
              write_marker(out_dir, p.name, status, std::chrono::duration<double>(Clock::now() - start).count(),
                           message);
              say(p.name + " " + status + " (group " + std::to_string(group) + ")");
            }
        }
      MPI_Comm_free(&group_comm);
    }
    void run_cases(const SweepSpec &spec, const std::vector<SweepPoint> &todo, const std::string &out_dir,
                   const SweepOptions &options, const CaseExecutor &executor, MPI_Comm comm)
    {
      if (dealii::Utilities::MPI::n_mpi_processes(comm) == 1)
        run_children(spec, todo, out_dir, std::max(1u, options.jobs), executor);
      else
        run_in_groups(spec, todo, out_dir, std::max(1u, options.ranks_per_case), executor, comm);
      MPI_Barrier(comm);
    }

    /// --screen-with first-mesh: every admitted candidate solved on its first
    /// mesh (the policy mesh, no adaptive cycles) into OUT/first_mesh, a
    /// sweep of its own (markers, --resume); the ranking is by the objective.
    Predictions first_mesh_predictions(const SweepSpec &spec, const std::vector<ScreenedPoint> &screened,
                                       const std::string &out, const SweepOptions &options,
                                       const CaseExecutor &executor, MPI_Comm comm)
    {
      const auto        start = Clock::now();
      const std::string dir   = out + "/first_mesh";
      std::vector<SweepPoint> todo;
      std::size_t             admitted = 0;
      for (const auto &s : screened)
        {
          if (!s.admitted)
            continue;
          ++admitted;
          if (options.resume && finished(dir, s.point.name))
            continue;
          todo.push_back(s.point);
          todo.back().assignments.push_back("adaptivity.enabled=false");
        }
      if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::filesystem::create_directories(dir + "/cases");
          say("ranking " + std::to_string(admitted) + " candidates on their first mesh (" +
              std::to_string(todo.size()) + " to solve, in " + dir + ")");
        }
      MPI_Barrier(comm);
      run_cases(spec, todo, dir, options, executor, comm);
      Predictions p;
      p.column           = "first_mesh_" + spec.objective;
      p.higher_is_better = spec.maximize;
      p.value_c.assign(screened.size(), std::numeric_limits<double>::quiet_NaN());
      const auto rows = collect_rows(screened, dir);
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].status == "solved" && rows[i].numbers.count(spec.objective))
          p.value_c[i] = rows[i].numbers.at(spec.objective);
      p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      return p;
    }
  } // namespace

  void run_sweep(const SweepOptions &options, const CaseExecutor &executor, MPI_Comm comm)
  {
    const bool root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
    const auto spec = SweepSpec::read(options.sweep_file);
    const std::string out = options.out_dir.empty() ? "chiptherm-out/" + std::filesystem::path(options.sweep_file).stem().string()
                                                    : options.out_dir;
    // Root looks and tells the others: a rank that looked itself could find the
    // folder root has just created, throw alone and leave root in a barrier
    // (a 9-minute hang of the sweep test under mpirun).
    const bool exists = dealii::Utilities::MPI::broadcast(comm, root && std::filesystem::exists(out), 0);
    if (exists && !options.resume)
      throw InputError("the sweep's output folder " + out + " exists: --resume continues it, or choose another (-o)");

    auto points = expand(spec);
    for (auto &p : points)
      p.assignments.insert(p.assignments.begin(), options.overrides.begin(), options.overrides.end());
    auto screened = screen(spec, points, executor);
    if (options.screen_with != "package" && options.screen_with != "first-mesh")
      throw InputError("--screen-with " + options.screen_with + ": expected package or first-mesh");
    Predictions predicted;
    if ((options.predict || options.screen > 0) && options.screen_with == "first-mesh")
      predicted = first_mesh_predictions(spec, screened, out, options, executor, comm);
    else if (options.predict || options.screen > 0)
      predicted = predict_candidates(spec, screened, comm);
    std::vector<bool> selected(screened.size(), true);
    if (options.screen > 0)
      {
        selected.assign(screened.size(), false);
        for (const std::size_t i : screen_by_prediction(spec, screened, predicted, options.screen))
          selected[i] = true;
      }
    std::vector<SweepPoint> todo;
    std::size_t             rejected = 0, already = 0, screened_out = 0;
    for (std::size_t i = 0; i < screened.size(); ++i)
      {
        const auto &s = screened[i];
        if (!s.admitted)
          {
            ++rejected;
            if (root)
              say(s.point.name + " rejected: " + s.reason);
          }
        else if (!selected[i])
          ++screened_out;
        else if (options.resume && finished(out, s.point.name))
          ++already;
        else
          todo.push_back(s.point);
      }
    if (root)
      {
        std::filesystem::create_directories(out + "/cases");
        if (!predicted.column.empty() && options.screen_with == "first-mesh")
          {
            char buf[120];
            std::snprintf(buf, sizeof buf, "ranked every admitted candidate on its first mesh in %.1f s",
                          predicted.seconds);
            say(buf);
          }
        else if (!predicted.column.empty())
          {
            char buf[200];
            std::snprintf(buf, sizeof buf,
                          "predicted every admitted candidate with the package model (%zu unknowns) in %.2f s "
                          "(%.0f ms each)",
                          predicted.unknowns, predicted.seconds,
                          1000 * predicted.seconds / double(std::max<std::size_t>(1, points.size() - rejected)));
            say(buf);
          }
        say(std::to_string(points.size()) + " candidates (" + spec.design + "), " + std::to_string(rejected) +
            " rejected before solving, " +
            (options.screen > 0 ? std::to_string(screened_out) + " screened out by the prediction, " : std::string()) +
            std::to_string(already) + " finished earlier, " + std::to_string(todo.size()) + " to solve");
      }
    MPI_Barrier(comm);

    run_cases(spec, todo, out, options, executor, comm);

    if (!root)
      return;
    auto rows = collect_rows(screened, out);
    for (std::size_t i = 0; i < rows.size(); ++i)
      {
        if (!predicted.column.empty() && !std::isnan(predicted.value_c[i]))
          rows[i].numbers[predicted.column] = predicted.value_c[i];
        if (screened[i].admitted && !selected[i])
          rows[i].status = "screened", rows[i].reason = "not solved: --screen " + std::to_string(options.screen);
      }
    const long best = best_row(rows, spec.objective, spec.maximize);
    write_table(spec, rows, best, screening_summary(spec, rows, best, predicted, options.screen), out);
    if (best >= 0)
      {
        const auto &b = rows[std::size_t(best)];
        std::string values;
        for (std::size_t v = 0; v < b.values.size(); ++v)
          values += (v ? ", " : "") + spec.variables[v].key + " = " + b.values[v];
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.3f", b.numbers.at(spec.objective));
        say("best by " + spec.objective + " (" + (spec.maximize ? "max" : "min") + "): " + b.name + ", " +
            spec.objective + " = " + buf + " (" + values + ")");
      }
    else
      say("no solved case has the objective column '" + spec.objective + "'");
    say("table: " + out + "/sweep.csv, " + out + "/sweep.json");
  }
} // namespace chiptherm::sweeps
