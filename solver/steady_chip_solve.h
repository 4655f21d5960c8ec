#pragma once
// The numerical core of a steady chip run, without any output: mesh the
// model, build the coefficients, assemble and solve. run_steady() and the
// verification tests both use it.
#include "../floorplans/chip_model.h"
#include "../mesh/stack_mesh_builder.h"
#include "chip_coefficients.h"
#include "heat_problem.h"

#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>

#include <memory>

namespace chiptherm::solver
{
  class SteadyChipSolve
  {
  public:
    SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                    const SolverSettings &solver_settings, MPI_Comm comm, dealii::TimerOutput &timer);

    /// Builds the mesh and coefficients (timer section "mesh").
    void mesh();
    /// Sets up, assembles and solves; throws NumericalError on failure.
    LinearSolveReport solve();

    const dealii::parallel::distributed::Triangulation<3> &triangulation() const { return tria_; }
    const mesh::StackMeshInfo                             &mesh_info() const { return mesh_info_; }
    const ChipCoefficients                                &coefficients() const { return *coefficients_; }
    const HeatProblem<3>                                  &problem() const { return *problem_; }

  private:
    const floorplans::ChipModel                    &model_;
    mesh::MeshSettings                              mesh_settings_;
    SolverSettings                                  solver_settings_;
    dealii::TimerOutput                            &timer_;
    dealii::parallel::distributed::Triangulation<3> tria_;
    mesh::StackMeshInfo                             mesh_info_;
    std::unique_ptr<ChipCoefficients>               coefficients_;
    std::unique_ptr<HeatProblem<3>>                 problem_;
  };
} // namespace chiptherm::solver
