#include "sweep_command.h"

#include "case_setup.h"
#include "steady_command.h"

#include <filesystem>

namespace chiptherm::commands
{
  sweeps::CaseExecutor sweep_case_executor()
  {
    sweeps::CaseExecutor executor;
    executor.read_case = [](const CaseDocument &document) -> std::shared_ptr<const floorplans::ChipModel> {
      return read_case(document).model;
    };
    executor.run_in_process = [](const sweeps::CaseRequest &request, MPI_Comm comm) {
      auto document = CaseDocument::load(request.case_file);
      for (const auto &assignment : request.overrides)
        document.apply_override(assignment);
      run_steady(document, request.out_dir, true, comm);
    };
    // A child is this very program signing the case off: a crash of one case
    // cannot take the sweep down.
    executor.child_command = [](const sweeps::CaseRequest &request) {
      std::vector<std::string> args = {std::filesystem::read_symlink("/proc/self/exe").string(), "signoff",
                                       request.case_file, "-o", request.out_dir};
      for (const auto &assignment : request.overrides)
        args.push_back("--set"), args.push_back(assignment);
      return args;
    };
    return executor;
  }

  void run_sweep(const sweeps::SweepOptions &options, MPI_Comm comm)
  {
    sweeps::run_sweep(options, sweep_case_executor(), comm);
  }
} // namespace chiptherm::commands
