#pragma once
// A transient case run from its text to the end, with the block figures at
// every output time: how the transient verification tests drive the solver.
#include "floorplans/case_reader.h"
#include "solver/transient_chip_solve.h"

#include <deal.II/base/timer.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace chiptherm::testing
{
  struct TransientRun
  {
    floorplans::ChipModel                        model;
    mesh::MeshSettings                           mesh_settings;
    solver::SolverSettings                       solver_settings;
    solver::TransientSettings                    settings;
    std::unique_ptr<dealii::TimerOutput>                 timer;
    std::unique_ptr<solver::TransientChipSolve>  solve;
    solver::TransientReport                      report;
    std::vector<double>                          times;      ///< output times
    std::vector<std::vector<solver::BlockResult>> blocks;    ///< block figures at each output time
  };

  inline std::unique_ptr<TransientRun> run_transient_case(const std::string &text, const std::vector<std::string> &overrides)
  {
    auto doc = CaseDocument::parse(text, "transient_case.yaml");
    for (const auto &o : overrides)
      doc.apply_override(o);
    auto r             = std::make_unique<TransientRun>();
    r->model           = floorplans::read_chip_model(doc);
    const auto root    = doc.root();
    r->mesh_settings   = mesh::MeshSettings::read(root.optional("mesh"), r->model);
    r->solver_settings = solver::SolverSettings::read(root.optional("solver"));
    r->settings        = solver::TransientSettings::read(root.optional("transient"), r->model);
    r->timer = std::make_unique<dealii::TimerOutput>(MPI_COMM_WORLD, std::cout, dealii::TimerOutput::never, dealii::TimerOutput::wall_times);
    r->solve = std::make_unique<solver::TransientChipSolve>(r->model, r->mesh_settings, r->solver_settings,
                                                             r->settings, MPI_COMM_WORLD, *r->timer);
    r->solve->mesh();
    r->report = r->solve->run([&](unsigned int, double t) {
      r->times.push_back(t);
      r->blocks.push_back(r->solve->block_results());
    });
    return r;
  }
} // namespace chiptherm::testing
