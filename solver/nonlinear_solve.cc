#include "nonlinear_solve.h"

#include "p_multigrid.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <string>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// One BoomerAMG hierarchy serves the iterations while CG stays within
    /// this factor of the iterations it took when the hierarchy was built (each
    /// iterate's matrix differs from the last by k(T) and the leakage slope only).
    constexpr double slowdown = 1.5;
    /// Each matrix-free Newton step stops when its residual has fallen by this
    /// much (inexact Newton: the iteration still converges to the nonlinear
    /// tolerance, in 5 steps where exact steps take 3, but each costs 8 CG
    /// iterations instead of 21-28; on bench/codesign_benchmark.py's SoC 1e-5,
    /// 1e-2 and 1e-1 gave the same figures to 1e-5 K and 5.2, 4.0 and 2.9 s of steps).
    constexpr double newton_step_reduction = 1e-1;

    /// CG on the current linearisation, first with the shared hierarchy, once
    /// more with a fresh one when that fails; a failure of both is a runaway
    /// when the source depends on temperature.
    template <int dim>
    LinearSolveReport solve_iterate(HeatProblem<dim> &problem, PreconditionedCg &amg_cg, const SolverSettings &settings,
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
            throw runaway_without_solution(e.what());
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
      PreconditionedCg  amg_cg("a nonlinear iteration");
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
          problem.stiffness_matrix().vmult(a_step, step);
          const double curvature = step * a_step, change = step.linfty_norm();
          u                           = x;
          report.iterations           = cg.iterations;
          report.final_residual       = cg.final_residual;
          report.nonlinear_iterations = it;
          report.nonlinear_change_k   = change;
          const double hottest_k      = max_entry(u, comm) + data.reference_temperature_k;
          problem.set_temperature_rise(u);
          if (check_nonlinear_iteration(it, change, curvature, hottest_k, bool(data.temperature_source), settings))
            break;
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

  LinearSolveReport solve_steady_matrix_free(HeatProblem<3> &q1, const LinearSolveReport &q1_report,
                                             FeField &solution, const HeatProblemData<3> &data,
                                             const SolverSettings &settings, bool from_solution,
                                             std::unique_ptr<PMultigridSolver> &hierarchy_in_out)
  {
    const unsigned int p = solution.dofs().get_fe().degree;
    const std::map<unsigned int, PMultigridSolver::Level> levels{{p, {&solution.dofs(), &solution.constraints()}}};
    const LinearisationPoint first = from_solution ? LinearisationPoint{&solution.dofs(), &solution.temperature()}
                                                   : LinearisationPoint{&q1.dof_handler(), &q1.temperature()};
    if (hierarchy_in_out)
      hierarchy_in_out->relinearise(data, first);
    else
      hierarchy_in_out = std::make_unique<PMultigridSolver>(q1, levels, data, first, settings);
    PMultigridSolver            &hierarchy = *hierarchy_in_out;
    const HeatOperator          &A = hierarchy.operator_of(p);
    PMultigridSolver::VectorType x, next, step, a_step;
    if (from_solution)
      {
        A.initialize_dof_vector(x);
        for (unsigned int i = 0; i < x.locally_owned_size(); ++i)
          x.local_element(i) = solution.temperature().local_element(i) - data.reference_temperature_k;
      }
    else
      hierarchy.prolongate_from_q1(q1.temperature_rise(), p, x);
    LinearSolveReport report;
    report.amg_builds = q1_report.amg_builds;
    for (unsigned int it = 1;; ++it)
      {
        if (it > 1)
          hierarchy.relinearise(data, {&solution.dofs(), &solution.temperature()});
        next = x;
        LinearSolveReport linear;
        try
          {
            linear = hierarchy.solve(p, next, settings, newton_step_reduction);
          }
        catch (const NumericalError &e)
          {
            if (data.temperature_source)
              throw runaway_without_solution(e.what());
            throw;
          }
        solution.constraints().distribute(next);
        step = next;
        step -= x;
        A.initialize_dof_vector(a_step);
        A.vmult(a_step, step);
        const double curvature = step * a_step, change = step.linfty_norm();
        x.swap(next);
        solution.set_from_rise(x, data.reference_temperature_k);
        report.iterations           = linear.iterations;
        report.final_residual       = linear.final_residual;
        report.initial_residual     = linear.initial_residual;
        report.nonlinear_iterations = it;
        report.nonlinear_change_k   = change;
        if (check_nonlinear_iteration(it, change, curvature, x.linfty_norm() + data.reference_temperature_k,
                                      bool(data.temperature_source), settings))
          return report;
      }
  }

  bool check_nonlinear_iteration(unsigned int it, double change_k, double curvature, double hottest_k,
                                 bool temperature_source, const SolverSettings &settings)
  {
    // Along the step, the linearised operator must stay positive: when the
    // source's growth dq/dT outweighs conduction and convection (loop gain
    // above one) it does not, and no steady state lies above.
    if (temperature_source && curvature <= 0 && change_k > settings.nonlinear_tolerance_k)
      throw ThermalRunaway("thermal runaway after " + std::to_string(it) +
                           " iterations: the loop gain of the temperature-dependent power exceeds one (the "
                           "linearised operator is no longer positive definite)");
    if (hottest_k > runaway_ceiling_k)
      throw ThermalRunaway("thermal runaway: the temperature passed " + std::to_string(int(runaway_ceiling_k)) +
                           " K after " + std::to_string(it) + " iterations");
    if (change_k < settings.nonlinear_tolerance_k)
      return true;
    if (it >= settings.nonlinear_max_iterations)
      throw NumericalError("the temperature-dependent problem did not converge in " + std::to_string(it) +
                           " iterations (last change " + std::to_string(change_k) +
                           " K; raise solver.nonlinear_max_iterations or solver.nonlinear_tolerance)");
    return false;
  }

  ThermalRunaway runaway_without_solution(const std::string &why)
  {
    return ThermalRunaway("thermal runaway: the linearised problem has no solution (" + why +
                          "): the temperature-dependent power grows faster than the package removes heat");
  }

  template LinearSolveReport solve_steady<3>(HeatProblem<3> &, const SolverSettings &);
} // namespace chiptherm::solver
