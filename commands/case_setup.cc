#include "case_setup.h"

#include "floorplans/case_reader.h"

namespace chiptherm::commands
{
  std::vector<std::string> case_sections()
  {
    std::vector<std::string> sections = floorplans::model_sections();
    for (const char *section :
         {mesh::MeshSettings::section, solver::SolverSettings::section, solver::AdaptivitySettings::section,
          solver::SignoffSettings::section, solver::TransientSettings::section, solver::ForeignOutputSettings::section})
      sections.emplace_back(section);
    return sections;
  }

  CaseSetup read_case(const CaseDocument &document, bool with_transient)
  {
    const CaseNode root = document.root();
    root.expect_keys(case_sections());
    CaseSetup setup;
    setup.model      = std::make_shared<floorplans::ChipModel>(floorplans::read_chip_model(document));
    setup.solver     = solver::SolverSettings::read(root.optional(solver::SolverSettings::section));
    if (setup.solver.degree == 0)
      setup.solver.degree = with_transient ? solver::SolverSettings::transient_default_degree
                                          : solver::SolverSettings::steady_default_degree;
    setup.mesh =
      mesh::MeshSettings::read(root.optional(mesh::MeshSettings::section), *setup.model, setup.solver.degree,
                               with_transient ? mesh::MeshSettings::Run::transient : mesh::MeshSettings::Run::steady);
    setup.signoff    = solver::SignoffSettings::read(root.optional(solver::SignoffSettings::section));
    setup.adaptivity = solver::AdaptivitySettings::read(root.optional(solver::AdaptivitySettings::section));
    setup.outputs    = solver::read_foreign_output_settings(root);
    if (with_transient)
      setup.transient =
        solver::TransientSettings::read(root.optional(solver::TransientSettings::section), *setup.model);
    return setup;
  }
} // namespace chiptherm::commands
