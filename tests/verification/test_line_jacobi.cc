// The p-multigrid smoother's block Jacobi over lines: each line's block is the
// assembled matrix restricted to the line (so B^-1 solves it exactly, on any
// number of ranks: a line the partition cuts is solved whole by one), and on
// a slab of cells 50x wider than thick, with hanging nodes, CG needs far fewer
// iterations with it than with point Jacobi, on any number of ranks.
#include "manufactured_case.h"
#include "solver/heat_problem.h"
#include "solver/line_blocks.h"
#include "solver/matrix_free_heat_operator.h"
#include "solver/p_multigrid.h"

#include <deal.II/base/mpi.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/grid/grid_generator.h>

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace chiptherm;
using namespace dealii;

namespace
{
  using Case       = testing::ManufacturedCase;
  using VectorType = solver::HeatOperator::VectorType;

  /// CG iterations of the degree-2 p-multigrid solve from zero on the
  /// manufactured case's data over a slab 0.02 thick in cells 50x wider than
  /// thick, one corner refined once more (hanging nodes).
  unsigned int slab_iterations(bool lines, bool hanging = true)
  {
    parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
    const double                            thickness = 0.02;
    GridGenerator::hyper_rectangle(tria, Point<3>(0, 0, 0), Point<3>(1, 1, thickness), true);
    tria.refine_global(3);
    for (const auto &cell : tria.active_cell_iterators())
      if (hanging && cell->is_locally_owned() && cell->center()[0] < 0.3 && cell->center()[1] < 0.3)
        cell->set_refine_flag();
    tria.execute_coarsening_and_refinement();
    for (const auto &cell : tria.active_cell_iterators())
      cell->set_material_id((cell->center()[2] < thickness / 2 ? 0 : 2) + (cell->center()[0] < 0.5 ? 0 : 1));
    const auto             data = Case::data();
    TimerOutput            timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
    solver::HeatProblem<3> q1(tria, 1, timer);
    q1.setup();
    q1.assemble(data);
    DoFHandler<3> dofs(tria);
    dofs.distribute_dofs(FE_Q<3>(2));
    AffineConstraints<double> constraints(DoFTools::extract_locally_relevant_dofs(dofs));
    DoFTools::make_hanging_node_constraints(dofs, constraints);
    constraints.close();
    solver::SolverSettings settings;
    settings.smoother_lines = lines;
    solver::PMultigridSolver pmg(q1, {{2u, {&dofs, &constraints}}}, data, {}, settings);
    VectorType               x;
    pmg.operator_of(2).initialize_dof_vector(x);
    return pmg.solve(2, x, settings).iterations;
  }
} // namespace

TEST_CASE("the separable cell matrix at once equals its entries one by one")
{
  for (const unsigned int degree : {1u, 2u, 3u})
    {
      CAPTURE(degree);
      const solver::ReferenceMatrices1D r(degree);
      solver::SeparableCell             cell;
      cell.factor = 1.7, cell.slope = 0.3, cell.det = 2.5e-3, cell.c = {{4.0, 0.25, 90.0}};
      std::vector<double> a;
      cell.matrix(r, a);
      const unsigned int n = (degree + 1) * (degree + 1) * (degree + 1);
      REQUIRE(a.size() == std::size_t(n) * n);
      double largest = 0, worst = 0;
      for (unsigned int i = 0; i < n; ++i)
        for (unsigned int j = 0; j < n; ++j)
          {
            largest = std::max(largest, std::abs(cell.entry(i, j, r)));
            worst   = std::max(worst, std::abs(a[std::size_t(i) * n + j] - cell.entry(i, j, r)));
          }
      CHECK(largest > 1);
      CHECK(worst <= 1e-14 * largest);
    }
}

TEST_CASE("line Jacobi: each line's block is the assembled matrix on the line, with hanging nodes")
{
  for (const unsigned int degree : {2u, 3u})
    for (const bool hanging : {false, true})
    {
      CAPTURE(degree);
      CAPTURE(hanging);
      // A box 10x wider than thick in 4 x 4 x 4 cells (lines run along z),
      // one octant refined once more when `hanging`.
      parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
      GridGenerator::hyper_rectangle(tria, Point<3>(0, 0, 0), Point<3>(1, 1, 0.1), true);
      tria.refine_global(2);
      if (hanging)
        {
          for (const auto &cell : tria.active_cell_iterators())
            if (cell->is_locally_owned() && cell->center()[0] < 0.5 && cell->center()[1] < 0.5 && cell->center()[2] < 0.05)
              cell->set_refine_flag();
          tria.execute_coarsening_and_refinement();
        }
      for (const auto &cell : tria.active_cell_iterators())
        cell->set_material_id((cell->center()[2] < 0.05 ? 0 : 2) + (cell->center()[0] < 0.5 ? 0 : 1));
      auto data = Case::data();
      data.robin.clear(); // the smoother holds the cell terms only
      TimerOutput            timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
      solver::HeatProblem<3> problem(tria, degree, timer);
      problem.setup();
      problem.assemble(data);
      const auto op    = solver::create_heat_operator(problem.mapping(), problem.dof_handler(), problem.constraints(), data);
      const auto lines = op->make_line_jacobi();

      VectorType r, x;
      op->initialize_dof_vector(r);
      op->initialize_dof_vector(x);
      const auto owned = problem.dof_handler().locally_owned_dofs();
      for (unsigned int k = 0; k < owned.n_elements(); ++k)
        r.local_element(k) = std::sin(0.37 * double(owned.nth_index_in_set(k))) + 2.0;
      lines->vmult(x, r);
      {
        // The same blocks applied to float vectors (a multigrid level's): the
        // same result to float's rounding.
        LinearAlgebra::distributed::Vector<float> r_f, x_f;
        r_f.reinit(r.get_partitioner()), x_f.reinit(r.get_partitioner());
        r_f.copy_locally_owned_data_from(r);
        lines->vmult(x_f, r_f);
        double apart = 0, size = 0;
        for (unsigned int k = 0; k < owned.n_elements(); ++k)
          apart = std::max(apart, std::abs(double(x_f.local_element(k)) - x.local_element(k))),
          size  = std::max(size, std::abs(x.local_element(k)));
        apart = Utilities::MPI::max(apart, MPI_COMM_WORLD);
        size  = Utilities::MPI::max(size, MPI_COMM_WORLD);
        CHECK(size > 0);
        CHECK(apart < 1e-6 * size);
      }

      // Sum over the row's entries on the same line (on any rank): the line's product.
      const auto &A = problem.stiffness_matrix();
      IndexSet    columns_seen(owned.size()); // every column of the owned rows
      for (const auto row : owned)
        for (auto entry = A.begin(row); entry != A.end(row); ++entry)
          columns_seen.add_index(entry->column());
      columns_seen.compress();
      VectorType names, x_relevant(owned, columns_seen, MPI_COMM_WORLD), names_relevant(owned, columns_seen, MPI_COMM_WORLD);
      op->initialize_dof_vector(names);
      lines->name_lines(names);
      x_relevant.copy_locally_owned_data_from(x);
      names_relevant.copy_locally_owned_data_from(names);
      x_relevant.update_ghost_values();
      names_relevant.update_ghost_values();
      double       worst = 0;
      unsigned int on_lines = 0, owned_constrained = 0;
      for (unsigned int k = 0; k < owned.n_elements(); ++k)
        {
          const auto row  = owned.nth_index_in_set(k);
          const auto name = names.local_element(k);
          owned_constrained += problem.constraints().is_constrained(row);
          if (name == 0)
            continue;
          ++on_lines;
          double product = 0;
          for (auto entry = A.begin(row); entry != A.end(row); ++entry)
            if (names_relevant(entry->column()) == name)
              product += entry->value() * x_relevant(entry->column());
          worst = std::max(worst, std::abs(product - r.local_element(k)));
        }
      worst = Utilities::MPI::max(worst, MPI_COMM_WORLD);
      // Without hanging nodes, (degree * 4 + 1)^2 columns of DoFs, on any
      // number of ranks (a line cut by the partition is solved whole by one
      // rank); hanging nodes are on no line.
      const unsigned int columns = Utilities::pow(degree * 4 + 1, 2);
      const auto         total   = [](unsigned int n) { return Utilities::MPI::sum(n, MPI_COMM_WORLD); };
      MESSAGE("Q" << degree << std::string(hanging ? " with" : " without") << " hanging nodes: " << total(lines->n_lines())
                  << " lines of " << total(lines->n_dofs_on_lines()) << " DoFs; max |B x - r| = " << worst);
      CHECK(total(lines->n_dofs_on_lines()) == problem.dof_handler().n_dofs() - total(owned_constrained));
      CHECK(total(lines->n_lines()) < total(lines->n_dofs_on_lines()) / 2);
      CHECK(lines->n_fallbacks() == 0);
      if (!hanging)
        CHECK(total(lines->n_lines()) == columns);
      CHECK(on_lines == owned.n_elements() - owned_constrained);
      // The factors are kept in single precision (line_jacobi.h): each line is
      // solved to float's accuracy times its conditioning (2-6e-6 here, for a
      // residual between 1 and 3); a wrong coupling or order gives O(1).
      CHECK(worst < 2e-5);
    }
}

TEST_CASE("line Jacobi: CG iterations on a slab of flat cells with hanging nodes")
{
  const unsigned int lines = slab_iterations(true), point = slab_iterations(false);
  MESSAGE("without hanging nodes: " << slab_iterations(true, false) << " with lines, " << slab_iterations(false, false) << " with point Jacobi");
  MESSAGE("Q2 p-multigrid CG iterations, cells 50x wider than thick: " << lines << " with lines, " << point
                                                                      << " with point Jacobi");
  // On more ranks the partition cuts every column of this slab (its trees are
  // numbered with z slowest); the lines go on across it (44 iterations on 2
  // ranks when they ended there).
  CHECK(lines <= 15u);
  CHECK(3 * lines <= point);
}
