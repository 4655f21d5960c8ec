#pragma once
// How a sweep reads and runs its cases, handed in by the command layer: the
// sweep library knows sweep files, screening, scheduling and tables, not the
// solver or the executable's command line. A case is a parsed request; running
// it in a child process is an execution detail of the executor.
#include "common/case_document.h"
#include "floorplans/chip_model.h"

#include <mpi.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chiptherm::sweeps
{
  /// One case of a sweep: the base case, its overrides, where its results go.
  struct CaseRequest
  {
    std::string              case_file;
    std::vector<std::string> overrides; ///< KEY=VALUE, applied in order
    std::string              out_dir;
  };

  struct CaseExecutor
  {
    /// Reads and checks every section of a candidate's case; throws InputError.
    std::function<std::shared_ptr<const floorplans::ChipModel>(const CaseDocument &)> read_case;
    /// Signs the case off in this process on comm; throws on failure.
    std::function<void(const CaseRequest &, MPI_Comm)> run_in_process;
    /// The program and arguments of a child process that signs the case off;
    /// its exit code 0 or 1 means solved (limits met or not), anything else failed.
    std::function<std::vector<std::string>(const CaseRequest &)> child_command;
  };
} // namespace chiptherm::sweeps
