#include "steady_chip_solve.h"

namespace chiptherm::solver
{
  using namespace dealii;

  SteadyChipSolve::SteadyChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                                   const SolverSettings &solver_settings, MPI_Comm comm, TimerOutput &timer)
    : model_(model)
    , mesh_settings_(mesh_settings)
    , solver_settings_(solver_settings)
    , timer_(timer)
    , tria_(comm)
  {}

  void SteadyChipSolve::mesh()
  {
    TimerOutput::Scope scope(timer_, "mesh");
    mesh_info_    = mesh::StackMeshBuilder(model_, mesh_settings_).build(tria_);
    coefficients_ = std::make_unique<ChipCoefficients>(model_, mesh_info_.zones, tria_);
  }

  LinearSolveReport SteadyChipSolve::solve()
  {
    problem_ = std::make_unique<HeatProblem<3>>(tria_, solver_settings_.degree, timer_);
    problem_->setup();
    problem_->assemble(coefficients_->problem_data());
    return problem_->solve(solver_settings_);
  }
} // namespace chiptherm::solver
