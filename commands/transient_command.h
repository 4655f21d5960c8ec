#pragma once
// `chiptherm transient`: one transient run of a case, read -> mesh -> march ->
// write (frames and traces as they come, report at the end). Every input,
// trace files included, is validated before the first output is staged.
#include "steady_command.h"

#include <mpi.h>

#include <string>

namespace chiptherm::commands
{
  /// Runs the case's `transient:` section. out_dir empty means
  /// ./chiptherm-out/<case name>. Checkpoints live in OUT.partial/checkpoint
  /// until the run completes; with resume, a run killed before completion
  /// continues from its latest checkpoint (or starts over when there is none).
  /// Throws InputError / NumericalError.
  CommandOutcome run_transient(const CaseDocument &document, std::string out_dir, bool resume, MPI_Comm comm);
} // namespace chiptherm::commands
