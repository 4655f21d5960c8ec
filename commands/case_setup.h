#pragma once
// Everything a case file says, read and validated before any command meshes,
// solves or writes: the top level against the sections the modules read (each
// module names its own), then the chip (floorplans/) and every settings
// section by the module that owns it.
#include "common/case_document.h"
#include "floorplans/chip_model.h"
#include "mesh/mesh_settings.h"
#include "solver/adaptivity_settings.h"
#include "solver/foreign_output_settings.h"
#include "solver/signoff_settings.h"
#include "solver/solver_settings.h"
#include "solver/transient_settings.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chiptherm::commands
{
  /// The top-level keys a case file may hold: the union of the modules' sections.
  std::vector<std::string> case_sections();

  struct CaseSetup
  {
    /// Shared so that its address outlives moves: solvers keep a reference.
    std::shared_ptr<floorplans::ChipModel> model;
    mesh::MeshSettings                     mesh;
    solver::SolverSettings                 solver;
    solver::AdaptivitySettings             adaptivity;
    solver::SignoffSettings                signoff;
    solver::ForeignOutputSettings          outputs;
    /// Read only when asked for (it loads trace files into the model's blocks).
    std::optional<solver::TransientSettings> transient;
  };

  /// Reads and validates every section of document (with_transient: the
  /// transient section too). Throws InputError naming file, line and key.
  CaseSetup read_case(const CaseDocument &document, bool with_transient = false);
} // namespace chiptherm::commands
