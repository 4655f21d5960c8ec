#include "nonlinear_solve.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <string>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// A temperature-dependent solve past this is a thermal runaway, K.
    constexpr double ceiling_k = 5000;
    /// One BoomerAMG hierarchy serves the iterations while CG stays within
    /// this factor of the iterations it took when the hierarchy was built (each
    /// iterate's matrix differs from the last by k(T) and the leakage slope only).
    constexpr double slowdown = 1.5;

    /// CG on the current linearisation, first with the shared hierarchy, once
    /// more with a fresh one when that fails; a failure of both is a runaway
    /// when the source depends on temperature.
    template <int dim>
    LinearSolveReport solve_iterate(HeatProblem<dim> &problem, AmgCg &amg_cg, const SolverSettings &settings,
                                    const PETScWrappers::MPI::Vector &u, PETScWrappers::MPI::Vector &x, bool &rebuild)
    {
      try
        {
          try
            {
              return amg_cg.solve(problem.stiffness_matrix(), problem.rhs(), x, settings, rebuild);
            }
          catch (const NumericalError &)
            {
              if (rebuild)
                throw;
              // An old hierarchy may be the cause: once more with a fresh one.
              x       = u;
              rebuild = true;
              return amg_cg.solve(problem.stiffness_matrix(), problem.rhs(), x, settings, true);
            }
        }
      catch (const NumericalError &e)
        {
          amg_cg.reset();
          if (problem.data().temperature_source)
            throw ThermalRunaway(std::string("thermal runaway: the linearised problem has no solution (") + e.what() +
                                 "): the temperature-dependent power grows faster than the package removes heat");
          throw;
        }
    }

    /// The largest owned entry of u over all ranks.
    double max_entry(const PETScWrappers::MPI::Vector &u, MPI_Comm comm)
    {
      double local_max = -1e300;
      for (const auto i : u.locally_owned_elements())
        local_max = std::max(local_max, double(u[i]));
      return Utilities::MPI::max(local_max, comm);
    }

    template <int dim>
    LinearSolveReport solve_nonlinear(HeatProblem<dim> &problem, const SolverSettings &settings)
    {
      const MPI_Comm             comm = problem.mpi_communicator();
      const HeatProblemData<dim> data = problem.data();
      PETScWrappers::MPI::Vector u    = problem.has_temperature() ? problem.temperature_rise() : problem.make_vector(),
                                 x = problem.make_vector(), step = problem.make_vector(), a_step = problem.make_vector();
      AmgCg             amg_cg("a nonlinear iteration");
      LinearSolveReport report;
      unsigned int      iterations_when_built = 0;
      bool              rebuild               = true;
      for (unsigned int it = 1;; ++it)
        {
          if (it > 1)
            problem.relinearise(); // about the temperature of the last iterate
          TimerOutput::Scope scope(problem.timer(), "solve");
          x                          = u; // the last iterate is a good first guess
          const LinearSolveReport cg = solve_iterate(problem, amg_cg, settings, u, x, rebuild);
          if (rebuild)
            iterations_when_built = cg.iterations, ++report.amg_builds;
          rebuild = cg.iterations > slowdown * std::max(iterations_when_built, 1u);
          problem.distribute_constraints(x);
          step = x;
          step -= u;
          // Along the step, the linearised operator must stay positive: when the
          // source's growth dq/dT outweighs conduction and convection (loop gain
          // above one) it does not, and no steady state lies above.
          problem.stiffness_matrix().vmult(a_step, step);
          const double curvature = step * a_step, change = step.linfty_norm();
          if (data.temperature_source && curvature <= 0 && change > settings.nonlinear_tolerance_k)
            throw ThermalRunaway("thermal runaway after " + std::to_string(it) +
                                 " iterations: the loop gain of the temperature-dependent power exceeds one (the "
                                 "linearised operator is no longer positive definite)");
          u                           = x;
          report.iterations           = cg.iterations;
          report.final_residual       = cg.final_residual;
          report.nonlinear_iterations = it;
          report.nonlinear_change_k   = change;
          if (max_entry(u, comm) + data.reference_temperature_k > ceiling_k)
            throw ThermalRunaway("thermal runaway: the temperature passed " + std::to_string(int(ceiling_k)) +
                                 " K after " + std::to_string(it) + " iterations");
          problem.set_temperature_rise(u);
          if (change < settings.nonlinear_tolerance_k)
            break;
          if (it >= settings.nonlinear_max_iterations)
            throw NumericalError("the temperature-dependent problem did not converge in " + std::to_string(it) +
                                 " iterations (last change " + std::to_string(change) +
                                 " K; raise solver.nonlinear_max_iterations or solver.nonlinear_tolerance)");
        }
      // K and F stay linearised about the previous iterate (within the tolerance
      // of the solution; relinearise() updates them when a transient needs them).
      return report;
    }
  } // namespace

  template <int dim>
  LinearSolveReport solve_steady(HeatProblem<dim> &problem, const SolverSettings &settings)
  {
    return problem.is_nonlinear() ? solve_nonlinear(problem, settings) : problem.solve(settings);
  }

  template LinearSolveReport solve_steady<3>(HeatProblem<3> &, const SolverSettings &);
} // namespace chiptherm::solver
