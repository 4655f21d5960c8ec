// The p-multigrid transfer on one mesh with hanging nodes, on any number of
// ranks: prolongation reproduces a coarse-degree polynomial at the fine
// degree's nodes exactly, restriction is its transpose, and both agree with
// deal.II's MGTwoLevelTransfer (which it replaces, for memory:
// solver/polynomial_transfer.h).
#include "solver/polynomial_transfer.h"

#include <deal.II/base/function.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/multigrid/mg_transfer_global_coarsening.h>
#include <deal.II/numerics/vector_tools.h>

#include <doctest/doctest.h>

#include <cmath>

using namespace dealii;
using chiptherm::solver::PolynomialTransfer;
using VectorType = PolynomialTransfer::VectorType;

namespace
{
  struct Degree
  {
    Degree(const parallel::distributed::Triangulation<3> &tria, unsigned int degree)
      : dofs(tria)
    {
      dofs.distribute_dofs(FE_Q<3>(degree));
      constraints.reinit(DoFTools::extract_locally_relevant_dofs(dofs));
      DoFTools::make_hanging_node_constraints(dofs, constraints);
      constraints.close();
    }
    VectorType vector() const
    {
      return VectorType(dofs.locally_owned_dofs(), DoFTools::extract_locally_relevant_dofs(dofs),
                        dofs.get_communicator());
    }
    /// Pseudo-random owned entries (by global index), 0 at hanging DoFs.
    VectorType scattered(double phase) const
    {
      VectorType v = vector();
      for (const auto g : dofs.locally_owned_dofs())
        v[g] = constraints.is_constrained(g) ? 0.0 : std::sin(1.7 * double(g) + phase);
      return v;
    }
    DoFHandler<3>             dofs;
    AffineConstraints<double> constraints;
  };

  /// A unit cube in 4^3 cells, the corner cells below 0.3 refined once more.
  void make_mesh(parallel::distributed::Triangulation<3> &tria)
  {
    GridGenerator::hyper_cube(tria);
    tria.refine_global(2);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && cell->center()[0] < 0.3 && cell->center()[1] < 0.3)
        cell->set_refine_flag();
    tria.execute_coarsening_and_refinement();
  }

  double max_owned_difference(const VectorType &a, const VectorType &b)
  {
    double d = 0;
    for (unsigned int i = 0; i < a.locally_owned_size(); ++i)
      d = std::max(d, std::abs(a.local_element(i) - b.local_element(i)));
    return Utilities::MPI::max(d, MPI_COMM_WORLD);
  }
} // namespace

TEST_CASE("p-transfer: exact for the coarse degree's polynomials, restriction its transpose, as deal.II's")
{
  parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  make_mesh(tria);
  for (const unsigned int p : {1u, 2u, 3u})
    {
      CAPTURE(p);
      const Degree coarse(tria, p), fine(tria, p + 1);
      const PolynomialTransfer transfer(fine.dofs, fine.constraints, coarse.dofs, coarse.constraints);

      // A polynomial of degree p in each coordinate, through hanging nodes.
      const ScalarFunctionFromFunctionObject<3> f([p](const Point<3> &x) {
        if (p == 1)
          return 1 + 2 * x[0] - x[1] + 3 * x[0] * x[1] * x[2];
        if (p == 2)
          return x[0] * x[0] * x[1] - x[2] * x[2] + x[0] * x[1] * x[2] + 0.5;
        return x[0] * x[0] * x[0] * x[1] - x[2] * x[2] * x[2] * x[0] * x[1] + 0.25;
      });
      VectorType coarse_f = coarse.vector(), fine_f = fine.vector();
      VectorTools::interpolate(coarse.dofs, f, coarse_f);
      VectorTools::interpolate(fine.dofs, f, fine_f);
      coarse.constraints.set_zero(coarse_f); // the matrix-free operators' convention
      fine.constraints.set_zero(fine_f);
      VectorType prolongated = fine.vector();
      transfer.prolongate_and_add(prolongated, coarse_f);
      CHECK(max_owned_difference(prolongated, fine_f) < 1e-12);

      // (P x, y) = (x, P^T y).
      const VectorType x = coarse.scattered(0.3), y = fine.scattered(1.1);
      VectorType       px = fine.vector(), pty = coarse.vector();
      transfer.prolongate_and_add(px, x);
      transfer.restrict_and_add(pty, y);
      const double lhs = px * y, rhs = x * pty;
      CHECK(std::abs(lhs - rhs) <= 1e-12 * (std::abs(lhs) + 1));
      CHECK(std::abs(lhs) > 1e-3); // not trivially zero

      // deal.II's own transfer, on the same vectors.
      MGTwoLevelTransfer<3, VectorType> reference;
      reference.reinit_polynomial_transfer(fine.dofs, coarse.dofs, fine.constraints, coarse.constraints);
      VectorType px_ref = fine.vector(), pty_ref = coarse.vector();
      reference.prolongate_and_add(px_ref, x);
      reference.restrict_and_add(pty_ref, y);
      fine.constraints.set_zero(px_ref);
      coarse.constraints.set_zero(pty_ref);
      CHECK(max_owned_difference(px, px_ref) < 1e-12);
      CHECK(max_owned_difference(pty, pty_ref) < 1e-12);

      // On float vectors (a multigrid level's): the same to float's rounding.
      using FloatVector = LinearAlgebra::distributed::Vector<float>;
      FloatVector x_f, y_f, px_f, pty_f;
      x_f.reinit(x.get_partitioner()), px_f.reinit(px.get_partitioner());
      y_f.reinit(y.get_partitioner()), pty_f.reinit(pty.get_partitioner());
      x_f.copy_locally_owned_data_from(x), y_f.copy_locally_owned_data_from(y);
      transfer.prolongate_and_add(px_f, x_f);
      transfer.restrict_and_add(pty_f, y_f);
      VectorType px_back = fine.vector(), pty_back = coarse.vector();
      px_back.copy_locally_owned_data_from(px_f), pty_back.copy_locally_owned_data_from(pty_f);
      CHECK(max_owned_difference(px_back, px) < 1e-6 * (px.linfty_norm() + 1));
      CHECK(max_owned_difference(pty_back, pty) < 1e-6 * (pty.linfty_norm() + 1));
    }
}
