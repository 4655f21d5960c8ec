// The chiptherm executable: parse the command line, call the library, map
// errors to the exit codes of contract.md. No physics here.
#include "../common/case_document.h"
#include "../common/errors.h"
#include "../solver/mesh_command.h"
#include "../solver/steady_analysis.h"
#include "../solver/transient_analysis.h"

#include <deal.II/base/mpi.h>

#include <CLI/CLI.hpp>

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

  struct CaseOptions
  {
    std::string              case_file;
    std::string              out_dir;
    std::vector<std::string> overrides;
  };

  void add_case_options(CLI::App *command, CaseOptions &options, bool allow_set)
  {
    command->add_option("case", options.case_file, "case file (YAML, see docs/case-file.md)")->required();
    command->add_option("-o,--out", options.out_dir, "output folder (default ./chiptherm-out/<case name>)");
    if (allow_set)
      command->add_option("--set", options.overrides, "override a case key: KEY=VALUE (dot path; list entries by name)")
        ->take_all();
  }

  chiptherm::CaseDocument load_case(const CaseOptions &options)
  {
    auto document = chiptherm::CaseDocument::load(options.case_file);
    for (const auto &assignment : options.overrides)
      document.apply_override(assignment);
    return document;
  }
} // namespace

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool is_root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;

  CLI::App app{"chiptherm: thermal sign-off for chips (steady and transient FEM on deal.II/p4est/PETSc)", "chiptherm"};
  app.set_version_flag("--version", std::string("chiptherm ") + CHIPTHERM_VERSION);
  app.require_subcommand(1);

  CaseOptions solve_options, signoff_options;
  auto *solve = app.add_subcommand("solve", "steady-state temperature of a case");
  add_case_options(solve, solve_options, true);
  auto *signoff = app.add_subcommand("signoff", "steady solve + temperature limits per block: exit 0 pass, 1 fail");
  add_case_options(signoff, signoff_options, true);

  CaseOptions transient_options;
  auto *transient = app.add_subcommand("transient", "temperature over time under power traces and schedules "
                                                    "(the case's transient: section)");
  add_case_options(transient, transient_options, true);
  bool resume = false;
  transient->add_flag("--resume", resume,
                      "continue a run that was killed from its latest checkpoint (kept in OUT.partial/checkpoint)");

  CaseOptions mesh_options;
  auto *mesh = app.add_subcommand("mesh", "the case's final mesh (policy + adaptive cycles) as a Gmsh .msh file");
  mesh->add_option("case", mesh_options.case_file, "case file (YAML, see docs/case-file.md)")->required();
  mesh->add_option("-o,--out", mesh_options.out_dir, "the .msh file to write")->required();
  mesh->add_option("--set", mesh_options.overrides, "override a case key: KEY=VALUE (dot path; list entries by name)")
    ->take_all();

  try
    {
      app.parse(argc, argv);
    }
  catch (const CLI::ParseError &e)
    {
      const int code = is_root ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 1);
      return code == 0 ? exit_success : exit_bad_input;
    }

  try
    {
      if (mesh->parsed())
        {
          chiptherm::solver::run_mesh(load_case(mesh_options), mesh_options.out_dir, MPI_COMM_WORLD);
          return exit_success;
        }
      if (transient->parsed())
        {
          chiptherm::solver::run_transient(load_case(transient_options), transient_options.out_dir, resume, MPI_COMM_WORLD);
          return exit_success;
        }
      const bool         is_signoff = signoff->parsed();
      const CaseOptions &options    = is_signoff ? signoff_options : solve_options;
      const auto outcome = chiptherm::solver::run_steady(load_case(options), options.out_dir, is_signoff, MPI_COMM_WORLD);
      if (is_signoff && !outcome.all_pass)
        return exit_limit_failed;
      return exit_success;
    }
  catch (const chiptherm::InputError &e)
    {
      if (is_root)
        std::cerr << "chiptherm: error: " << e.what() << std::endl;
      return exit_bad_input;
    }
  catch (const chiptherm::NumericalError &e)
    {
      if (is_root)
        std::cerr << "chiptherm: numerical failure: " << e.what() << std::endl;
      return exit_numerical;
    }
  catch (const std::exception &e)
    {
      if (is_root)
        std::cerr << "chiptherm: internal error: " << e.what() << std::endl;
      return exit_numerical;
    }
}
