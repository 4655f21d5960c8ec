#pragma once
// `chiptherm mesh`: the final mesh of a case (policy, refinement maps and,
// when enabled, the adaptive cycles) written as a Gmsh .msh file.
#include "common/case_document.h"

#include <mpi.h>

#include <string>

namespace chiptherm::commands
{
  /// Writes msh_path (staged as NAME.partial.msh, renamed when complete).
  /// Progress lines on rank 0. Throws InputError / NumericalError.
  void run_mesh(const CaseDocument &document, const std::string &msh_path, MPI_Comm comm);
} // namespace chiptherm::commands
