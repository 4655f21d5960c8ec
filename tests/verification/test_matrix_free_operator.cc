// The matrix-free heat operator against the assembled matrix of the same
// problem (HeatProblem): its product on box cells (the merged-coefficient
// path), with hanging nodes and convective faces, and the smoothers' diagonal
// from the cells' separable form.
#include "manufactured_case.h"
#include "solver/heat_problem.h"
#include "solver/matrix_free_heat_operator.h"

#include <deal.II/base/mpi.h>

#include <doctest/doctest.h>

#include <cmath>
#include <memory>

using namespace chiptherm;
using namespace dealii;

namespace
{
  using Case       = testing::ManufacturedCase;
  using VectorType = solver::HeatOperator::VectorType;

  /// The unit cube of the manufactured case (four conductivities), refined
  /// twice, then once more in one octant when `hanging`.
  void make_mesh(parallel::distributed::Triangulation<3> &tria, bool hanging)
  {
    Case::make_mesh(tria, 2);
    if (!hanging)
      return;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && cell->center()[0] < 0.5 && cell->center()[1] < 0.5 && cell->center()[2] < 0.5)
        cell->set_refine_flag();
    tria.execute_coarsening_and_refinement();
  }

  /// make_mesh(tria, true) with a HeatProblem of one degree set up on it.
  struct HangingSetup
  {
    parallel::distributed::Triangulation<3> tria{MPI_COMM_WORLD};
    TimerOutput                             timer{std::cout, TimerOutput::never, TimerOutput::wall_times};
    std::unique_ptr<solver::HeatProblem<3>> problem;

    explicit HangingSetup(unsigned int degree)
    {
      make_mesh(tria, true);
      problem = std::make_unique<solver::HeatProblem<3>>(tria, degree, timer);
      problem->setup();
    }
  };
} // namespace

TEST_CASE("matrix-free operator: A x equals the assembled matrix's, with hanging nodes and convective faces")
{
  for (const unsigned int degree : {2u, 3u})
    {
      CAPTURE(degree);
      HangingSetup            setup(degree);
      solver::HeatProblem<3> &problem = *setup.problem;
      const auto              data    = Case::data();
      problem.assemble(data);
      const auto op = solver::create_heat_operator(problem.mapping(), problem.dof_handler(), problem.constraints(), data);

      // x: smooth and varying, hanging entries consistent with their masters.
      auto x = problem.make_vector();
      for (const auto i : problem.dof_handler().locally_owned_dofs())
        x[i] = std::sin(0.37 * double(i)) + 2.0;
      x.compress(VectorOperation::insert);
      problem.distribute_constraints(x);
      auto ax = problem.make_vector();
      problem.stiffness_matrix().vmult(ax, x);

      VectorType x_mf, ax_mf;
      op->initialize_dof_vector(x_mf);
      op->initialize_dof_vector(ax_mf);
      const auto owned = problem.dof_handler().locally_owned_dofs();
      for (unsigned int k = 0; k < owned.n_elements(); ++k)
        x_mf.local_element(k) = x[owned.nth_index_in_set(k)];
      op->vmult(ax_mf, x_mf);
      double difference = 0, norm = 0;
      for (unsigned int k = 0; k < owned.n_elements(); ++k)
        {
          const auto i = owned.nth_index_in_set(k);
          if (problem.constraints().is_constrained(i))
            continue;
          difference = std::max(difference, std::abs(ax_mf.local_element(k) - ax[i]));
          norm       = std::max(norm, std::abs(double(ax[i])));
        }
      difference = Utilities::MPI::max(difference, MPI_COMM_WORLD);
      norm       = Utilities::MPI::max(norm, MPI_COMM_WORLD);
      MESSAGE("Q" << degree << ": max |A_mf x - A x| = " << difference << " of " << norm);
      CHECK(norm > 0);
      CHECK(difference < 1e-12 * norm);
    }
}

TEST_CASE("matrix-free operator: the single-precision level operator matches the double one to float rounding")
{
  for (const unsigned int degree : {1u, 2u, 3u})
    {
      CAPTURE(degree);
      HangingSetup            setup(degree);
      solver::HeatProblem<3> &problem = *setup.problem;
      const auto              data    = Case::data();
      const auto exact = solver::create_heat_operator(problem.mapping(), problem.dof_handler(), problem.constraints(), data);
      const auto level = solver::create_level_operator(problem.mapping(), problem.dof_handler(), problem.constraints(), data);
      CHECK(level->m() == exact->m());
      VectorType                                 x, ax;
      solver::LevelOperator::VectorType          x_f, ax_f;
      exact->initialize_dof_vector(x), exact->initialize_dof_vector(ax);
      level->initialize_dof_vector(x_f), level->initialize_dof_vector(ax_f);
      REQUIRE(x.locally_owned_size() == x_f.locally_owned_size());
      for (unsigned int k = 0; k < x.locally_owned_size(); ++k)
        x.local_element(k) = x_f.local_element(k) = float(std::sin(0.37 * double(k)) + 2.0);
      exact->vmult(ax, x);
      level->vmult(ax_f, x_f);
      double difference = 0, norm = 0;
      for (unsigned int k = 0; k < ax.locally_owned_size(); ++k)
        {
          difference = std::max(difference, std::abs(double(ax_f.local_element(k)) - ax.local_element(k)));
          norm       = std::max(norm, std::abs(ax.local_element(k)));
        }
      difference = Utilities::MPI::max(difference, MPI_COMM_WORLD);
      norm       = Utilities::MPI::max(norm, MPI_COMM_WORLD);
      MESSAGE("Q" << degree << ": max |A_float x - A x| = " << difference << " of " << norm);
      CHECK(norm > 0);
      CHECK(difference > 0);            // really computed in single precision
      CHECK(difference < 1e-5 * norm);  // float's 6e-8 rounding, summed over a few hundred terms
      // The right-hand side stays the double operator's.
      CHECK_THROWS_AS(level->assemble_rhs(ax_f), std::logic_error);
    }
}

TEST_CASE("matrix-free operator: the smoothers' diagonal (separable form) is the assembled diagonal on a mesh without hanging nodes")
{
  for (const unsigned int degree : {2u, 3u})
    {
      CAPTURE(degree);
      parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
      make_mesh(tria, false);
      auto data = Case::data();
      data.robin.clear(); // the smoothers' diagonal holds the cell terms only
      TimerOutput            timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
      solver::HeatProblem<3> problem(tria, degree, timer);
      problem.setup();
      problem.assemble(data);
      const auto op = solver::create_heat_operator(problem.mapping(), problem.dof_handler(), problem.constraints(), data);
      VectorType inverse_diagonal;
      op->compute_inverse_diagonal(inverse_diagonal);
      const auto owned   = problem.dof_handler().locally_owned_dofs();
      double     largest = 0;
      for (unsigned int k = 0; k < owned.n_elements(); ++k)
        {
          const double assembled = problem.stiffness_matrix().diag_element(owned.nth_index_in_set(k));
          largest = std::max(largest, std::abs(1.0 / inverse_diagonal.local_element(k) - assembled) / assembled);
        }
      largest = Utilities::MPI::max(largest, MPI_COMM_WORLD);
      MESSAGE("Q" << degree << ": largest relative difference of the diagonals " << largest);
      CHECK(largest < 1e-12);
    }
}
