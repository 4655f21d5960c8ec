#pragma once
// The numerical core of a transient chip run, without files: mesh the model
// (as a steady run does, a priori), set the initial state, and march TR-BDF2
// steps with error control, landing on every power breakpoint and output time.
// run_transient() and the verification tests use it.
#include "../floorplans/chip_model.h"
#include "block_statistics.h"
#include "chip_coefficients.h"
#include "heat_problem.h"
#include "steady_chip_solve.h"
#include "transient_report.h"
#include "transient_settings.h"

#include <deal.II/base/timer.h>

#include <functional>
#include <memory>
#include <vector>

namespace chiptherm::solver
{
  class TransientChipSolve
  {
  public:
    TransientChipSolve(const floorplans::ChipModel &model, const mesh::MeshSettings &mesh_settings,
                       const SolverSettings &solver_settings, const TransientSettings &settings, MPI_Comm comm,
                       dealii::TimerOutput &timer);

    /// Builds the mesh (coarse + policy), the coefficients and the problem;
    /// checks every material has a heat capacity.
    void mesh();
    /// Sets the initial state and marches to end_time. on_output(k, t) is called
    /// at t = 0 and at every output time with problem() holding T(t);
    /// on_step after every accepted step (progress).
    TransientReport run(const std::function<void(unsigned int, double)> &on_output,
                        const std::function<void(double t, double h, const TransientReport &)> &on_step = {});

    const HeatProblem<3>                  &problem() const { return *problem_; }
    const ChipCoefficients                &coefficients() const { return steady_.coefficients(); }
    const dealii::parallel::distributed::Triangulation<3> &triangulation() const { return steady_.triangulation(); }
    const mesh::StackMeshInfo             &mesh_info() const { return steady_.mesh_info(); }
    unsigned int a_priori_passes() const { return steady_.a_priori_passes(); }
    /// Block figures at the current state.
    std::vector<BlockResult> block_results() const;
    /// Block powers at t, W (before a jump at t when before is true).
    std::vector<double> block_powers(double t_s, bool before) const;

  private:
    /// Assembles F for the block powers at t unless they equal the ones assembled; returns their sum.
    double set_source(double t_s, bool before);
    /// Breakpoints of every block and the output times in (0, end], sorted, merged.
    std::vector<double> stop_times() const;

    const floorplans::ChipModel    &model_;
    SolverSettings                  solver_settings_;
    TransientSettings               settings_;
    dealii::TimerOutput            &timer_;
    SteadyChipSolve                 steady_; ///< owns the mesh and coefficients
    std::unique_ptr<HeatProblem<3>> problem_;
    std::vector<double>             assembled_powers_;
  };
} // namespace chiptherm::solver
