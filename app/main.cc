// The chiptherm executable: parse the command line, call the command layer,
// map its outcome and exceptions to the exit codes of contract.md. No physics here.
#include "command_line.h"
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
      if (is_root)
        std::cerr << "chiptherm: error: " << chiptherm::printable_utf8(e.what()) << std::endl;
      return exit_bad_input;
    }
  catch (const chiptherm::OutputError &e)
    {
      if (is_root)
        std::cerr << "chiptherm: error: " << chiptherm::printable_utf8(e.what()) << std::endl;
      return exit_numerical;
    }
  catch (const chiptherm::NumericalError &e)
    {
      if (is_root)
        std::cerr << "chiptherm: numerical failure: " << chiptherm::printable_utf8(e.what()) << std::endl;
      return exit_numerical;
    }
  catch (const std::exception &e)
    {
      if (is_root)
        std::cerr << "chiptherm: internal error: " << chiptherm::printable_utf8(e.what()) << std::endl;
      return exit_numerical;
    }
}
