#pragma once
// `chiptherm solve` and `chiptherm signoff`: one steady run of a case, read ->
// mesh -> solve (co-design loop and adaptive cycles) -> evaluate -> write.
// Every input is validated before the first output is staged.
#include "common/case_document.h"

#include <mpi.h>

#include <string>

namespace chiptherm::commands
{
  /// How a run ended (the app maps it to an exit code).
  struct CommandOutcome
  {
    std::string status;      ///< "pass", "fail" or "solved"
    std::string out_dir;     ///< where the results are
    bool        all_pass = true;
  };

  /// Runs the case. out_dir empty means ./chiptherm-out/<case name>. With
  /// signoff the status is pass/fail; otherwise "solved". Progress lines go to
  /// standard output on rank 0. Throws InputError / NumericalError.
  CommandOutcome run_steady(const CaseDocument &document, std::string out_dir, bool signoff, MPI_Comm comm);
} // namespace chiptherm::commands
