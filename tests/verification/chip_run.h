#pragma once
// A chip case solved in-process for the verification tests: read the case
// text with --set style overrides, mesh it and solve (adaptively when enabled).
#include "floorplans/case_reader.h"
#include "solver/steady_chip_solve.h"

#include <deal.II/base/timer.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace chiptherm::testing
{
  struct Run
  {
    floorplans::ChipModel                     model;
    std::unique_ptr<dealii::TimerOutput>              timer;
    std::unique_ptr<solver::SteadyChipSolve>  solve;
    solver::AdaptivityReport                  adaptivity;
  };

  /// Reads the case with overrides, meshes it and solves (adaptively when enabled).
  inline std::unique_ptr<Run> run_case(const std::string &text, const std::vector<std::string> &overrides,
                                       const std::string &label = "case.yaml")
  {
    auto doc = CaseDocument::parse(text, label);
    for (const auto &o : overrides)
      doc.apply_override(o);
    auto r   = std::make_unique<Run>();
    r->model = floorplans::read_chip_model(doc);
    const auto solver_set    = solver::SolverSettings::read(doc.root().optional("solver"));
    const auto mesh_settings = mesh::MeshSettings::read(doc.root().optional("mesh"), r->model,
                                                        solver_set.degree ? solver_set.degree : 2);
    const auto adapt_set     = solver::AdaptivitySettings::read(doc.root().optional("adaptivity"));
    r->timer = std::make_unique<dealii::TimerOutput>(std::cout, dealii::TimerOutput::never, dealii::TimerOutput::wall_times);
    r->solve = std::make_unique<solver::SteadyChipSolve>(r->model, mesh_settings, solver_set, MPI_COMM_WORLD, *r->timer);
    r->solve->mesh();
    r->adaptivity = r->solve->solve_adaptively(adapt_set);
    return r;
  }

} // namespace chiptherm::testing
