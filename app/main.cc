// The chiptherm executable: parse the command line, call the command layer,
// map its outcome and exceptions to the exit codes of contract.md. No physics here.
#include "command_line.h"
#include "failure_on_ranks.h"
#include "commands/mesh_command.h"
#include "commands/steady_command.h"
#include "commands/sweep_command.h"
#include "commands/transient_command.h"
#include "common/errors.h"
#include "common/utf8_text.h"

#include <deal.II/base/mpi.h>

#include <csignal>
#include <dlfcn.h>
#include <cstdlib>
#include <iostream>
#include <string>

namespace
{
  enum ExitCode
  {
    exit_success      = 0,
    exit_limit_failed = 1,
    exit_bad_input    = 2,
    exit_numerical    = 3
  };

  /// A run started without mpirun is one process: Open MPI's shared-memory
  /// transports serve it, and skipping the network probe (UCX) saves 0.2 s
  /// of every start; an isolated singleton starts no orted helper process
  /// (0.1 s more; chiptherm never spawns MPI processes). docs/benchmarks.md.
  /// Concurrent singletons (a sweep's --jobs, two runs of a script) share one
  /// session folder, where MPI-IO's shared-memory file pointer (sharedfp/sm)
  /// fails with "unable to open file for mmap"; its lockedfile sibling serves.
  /// Settings the user made win.
  void prefer_local_transports()
  {
    if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK"))
      return;
    setenv("OMPI_MCA_pml", "ob1", 0);
    setenv("OMPI_MCA_btl", "self,vader", 0);
    setenv("OMPI_MCA_ess_singleton_isolated", "1", 0);
    setenv("OMPI_MCA_sharedfp", "^sm", 0);
  }

  /// MPI ranks are chiptherm's parallelism. A threaded OpenBLAS (Debian's
  /// libblas alternative, behind PETSc's vector kernels) splits each small
  /// dot product and axpy over threads that spin between calls (sched_yield:
  /// 45 % of a 1-rank run's CPU samples on 3D-ICE's transient test, its solve
  /// 0.96 s against 0.86 s with one thread; under mpirun Open MPI's binding
  /// leaves it one thread already). Looked up at run time, since another BLAS
  /// may be installed; OPENBLAS_NUM_THREADS, when set, wins. Not for train and
  /// predict, whose LibTorch sets its own threads.
  void one_blas_thread_per_rank(const std::string &command)
  {
    if (command == "train" || command == "predict" || std::getenv("OPENBLAS_NUM_THREADS"))
      return;
    using SetThreads = void (*)(int);
    if (const auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
      set(1);
  }

  /// Runs the parsed command; sign-off failure is its only non-zero return.
  int run(const chiptherm::app::CommandLine &c, bool is_root)
  {
    namespace commands = chiptherm::commands;
    const MPI_Comm comm = MPI_COMM_WORLD;
    one_blas_thread_per_rank(c.name);
    if (c.name == "import")
      return is_root ? (commands::run_import(c.import), exit_success) : exit_success;
    if (c.name == "train")
      return commands::run_train(c.train, comm), exit_success;
    if (c.name == "predict")
      return commands::run_predict(commands::load_case(c.case_options), c.predict, comm), exit_success;
    if (c.name == "sweep")
      return commands::run_sweep(c.sweep, comm), exit_success;
    if (c.name == "mesh")
      return commands::run_mesh(commands::load_case(c.case_options), c.case_options.out_dir, comm), exit_success;
    const auto case_document = commands::load_case(c.case_options, c.hotspot);
    if (c.name == "transient")
      {
        commands::run_transient(case_document, c.case_options.out_dir, c.resume, comm);
        if (c.hotspot && is_root)
          commands::copy_foreign_result(c.case_options.out_dir, "traces.ttrace", c.hotspot->ttrace_file);
        return exit_success;
      }
    const bool signoff = c.name == "signoff";
    const auto outcome = commands::run_steady(case_document, c.case_options.out_dir, signoff, comm);
    if (c.hotspot && is_root)
      commands::copy_foreign_result(c.case_options.out_dir, "temperatures.steady", c.hotspot->steady_file);
    return signoff && !outcome.all_pass ? exit_limit_failed : exit_success;
  }
  /// How long a rank that failed waits for the others to fail too before it
  /// aborts the job: collective errors reach every rank within moments.
  constexpr double lone_failure_wait_s = 20;

  /// The exit code of an error; its line is printed once, on rank 0, when
  /// every rank failed with it, else by this rank, which then aborts the job
  /// (failure_on_ranks.h: the others would wait for it for ever).
  int failed(bool is_root, int code, const char *kind, const std::exception &e)
  {
    const std::string line = kind + chiptherm::printable_utf8(e.what());
    if (!chiptherm::app::every_rank_failed(MPI_COMM_WORLD, lone_failure_wait_s))
      chiptherm::app::abort_from_this_rank(MPI_COMM_WORLD, line, code);
    if (is_root)
      std::cerr << "chiptherm: " << line << std::endl;
    return code;
  }
} // namespace

int main(int argc, char **argv)
{
  prefer_local_transports();
  // Past a file-size limit (ulimit -f) a write fails with EFBIG instead of
  // killing the process: the run stops with exit 3, naming the file.
  std::signal(SIGXFSZ, SIG_IGN);
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool is_root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  CLI::App   app{"chiptherm: thermal sign-off for chips (steady and transient FEM on deal.II/p4est/PETSc)", "chiptherm"};
  chiptherm::app::CommandLine command;
  try
    {
      command = chiptherm::app::parse_command_line(app, argc, argv, is_root);
      return run(command, is_root);
    }
  catch (const CLI::ParseError &e)
    {
      const int code = is_root ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 1);
      return code == 0 ? exit_success : exit_bad_input;
    }
  catch (const chiptherm::InputError &e)
    {
      return failed(is_root, exit_bad_input, "error: ", e);
    }
  catch (const chiptherm::OutputError &e)
    {
      return failed(is_root, exit_numerical, "error: ", e);
    }
  catch (const chiptherm::NumericalError &e)
    {
      return failed(is_root, exit_numerical, "numerical failure: ", e);
    }
  catch (const std::exception &e)
    {
      return failed(is_root, exit_numerical, "internal error: ", e);
    }
}
