// PreconditionedCg with ICC(0) builds its factor from the caller's matrix
// itself, not a copy (solver/preconditioned_cg.h): once built, the factor must
// ignore later changes of that matrix (ShiftedOperator overwrites it for the
// next step-size rung), and a rebuild must factor the matrix anew. Checked on
// 1 and 2 ranks against solvers built from matrices nobody changes: the same
// iterations and the same solution. And the stop that also asks the first
// guess's residual to fall (SolverSettings::guess_reduction).
#include "solver/preconditioned_cg.h"

#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>

#include <doctest/doctest.h>

#include <cmath>

using namespace dealii;
using namespace chiptherm::solver;

namespace
{
  constexpr unsigned int per_rank = 300;

  /// A tridiagonal, SPD 1D conduction matrix with a mass term: diag 2 + shift,
  /// off-diagonals -1 (variable, so that ICC(0) is not exact), across ranks.
  struct Chain
  {
    MPI_Comm     comm  = MPI_COMM_WORLD;
    unsigned int ranks = Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
    unsigned int rank  = Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
    unsigned int n     = per_rank * ranks;
    IndexSet     owned{n};
    DynamicSparsityPattern pattern{n, n};

    Chain()
    {
      owned.add_range(rank * per_rank, (rank + 1) * per_rank);
      for (const auto i : owned)
        for (const auto j : {i - 1, i, i + 1})
          if (j < n)
            pattern.add(i, j);
    }

    void fill(PETScWrappers::MPI::SparseMatrix &A, double shift) const
    {
      A.reinit(owned, owned, pattern, comm);
      for (const auto i : owned)
        {
          const double k_left = 1.0 + 0.5 * std::sin(0.1 * i), k_right = 1.0 + 0.5 * std::sin(0.1 * (i + 1));
          A.set(i, i, k_left + k_right + shift);
          if (i > 0)
            A.set(i, i - 1, -k_left);
          if (i + 1 < n)
            A.set(i, i + 1, -k_right);
        }
      A.compress(VectorOperation::insert);
    }
  };

  SolverSettings tight()
  {
    SolverSettings s;
    s.relative_tolerance = 1e-10;
    return s;
  }

  /// Solves A x = b from zero; returns the iterations.
  unsigned int solve(PreconditionedCg &cg, const PETScWrappers::MPI::SparseMatrix &A,
                     const PETScWrappers::MPI::Vector &b, PETScWrappers::MPI::Vector &x, bool rebuild,
                     const PETScWrappers::MPI::SparseMatrix *from)
  {
    x = 0;
    return cg.solve(A, b, x, tight(), rebuild, from).iterations;
  }

  double max_difference(const PETScWrappers::MPI::Vector &x, const PETScWrappers::MPI::Vector &y)
  {
    PETScWrappers::MPI::Vector d = x;
    d -= y;
    return d.linfty_norm();
  }
} // namespace

TEST_CASE("an ICC(0) factor ignores later changes of the matrix it was built from; a rebuild factors it anew")
{
  const Chain                      chain;
  PETScWrappers::MPI::SparseMatrix A, rung, rung_before, rung_after;
  chain.fill(A, 0.01);
  chain.fill(rung, 0.05);        // the matrix the factor is built from (M + 2^k K)
  chain.fill(rung_before, 0.05); // the same values, never changed
  chain.fill(rung_after, 3.0);   // what the rung matrix holds later (another rung)
  PETScWrappers::MPI::Vector b(chain.owned, chain.comm), x(chain.owned, chain.comm), y(chain.owned, chain.comm);
  for (const auto i : chain.owned)
    b[i] = 1.0 + (i % 7);
  b.compress(VectorOperation::insert);

  PreconditionedCg kept("a test", CgPreconditioner::incomplete_cholesky);
  solve(kept, A, b, x, true, &rung);
  rung.copy_from(rung_after); // new values in the same PETSc matrix, as ShiftedOperator does
  PreconditionedCg untouched("a test", CgPreconditioner::incomplete_cholesky);
  const unsigned int reference = solve(untouched, A, b, y, true, &rung_before);

  SUBCASE("the factor survives its matrix's new values")
  {
    const unsigned int iterations = solve(kept, A, b, x, false, nullptr);
    CHECK(iterations == reference);
    CHECK(max_difference(x, y) <= 1e-13);
  }
  SUBCASE("a rebuild from the same matrix factors its new values")
  {
    PreconditionedCg fresh("a test", CgPreconditioner::incomplete_cholesky);
    const unsigned int expected = solve(fresh, A, b, y, true, &rung_after);
    CHECK(expected != reference); // the two factors precondition A differently
    const unsigned int iterations = solve(kept, A, b, x, true, &rung);
    CHECK(iterations == expected);
    CHECK(max_difference(x, y) <= 1e-13);
  }
}

namespace
{
  double residual_norm(const PETScWrappers::MPI::SparseMatrix &A, const PETScWrappers::MPI::Vector &b,
                       const PETScWrappers::MPI::Vector &x)
  {
    PETScWrappers::MPI::Vector r = b;
    A.vmult(r, x);
    r.sadd(-1.0, 1.0, b);
    return r.l2_norm();
  }
} // namespace

TEST_CASE("guess_reduction: a first guess that already meets the tolerance is still improved by that factor")
{
  // The transient's stage solves (TrBdf2Stepper): an extrapolated guess on a
  // short step can meet 1e-7 ||b|| as it is; CG must still reduce its residual.
  const Chain                      chain;
  PETScWrappers::MPI::SparseMatrix A;
  chain.fill(A, 0.01);
  PETScWrappers::MPI::Vector b(chain.owned, chain.comm), exact(chain.owned, chain.comm), x(chain.owned, chain.comm);
  for (const auto i : chain.owned)
    b[i] = 1.0 + (i % 7);
  b.compress(VectorOperation::insert);
  PreconditionedCg cg("a test", CgPreconditioner::incomplete_cholesky);
  solve(cg, A, b, exact, true, nullptr);

  SolverSettings settings;
  settings.relative_tolerance = 1e-7;
  PETScWrappers::MPI::Vector off(chain.owned, chain.comm);
  for (const auto i : chain.owned)
    off[i] = 1e-7 * std::sin(0.37 * i);
  off.compress(VectorOperation::insert);
  auto guess = [&] {
    x = exact;
    x += off;
    return residual_norm(A, b, x);
  };
  const double first = guess();
  REQUIRE(first < 1e-7 * b.l2_norm());  // the guess meets the plain stop ...
  REQUIRE(first > 1e-9 * b.l2_norm());  // ... and is far from the floor

  const auto plain = cg.solve(A, b, x, settings, false);
  CHECK(plain.iterations == 0);
  CHECK(residual_norm(A, b, x) == doctest::Approx(first));

  settings.guess_reduction = 3e-2;
  guess();
  const auto reduced = cg.solve(A, b, x, settings, false);
  CHECK(reduced.iterations > 0);
  CHECK(residual_norm(A, b, x) <= 3e-2 * first * (1 + 1e-6));
  MESSAGE("guess residual " << first / b.l2_norm() << " ||b||: " << plain.iterations << " iterations without, "
                            << reduced.iterations << " with guess_reduction 3e-2");

  // A guess right to rounding: the floor (1e-10 ||b||) stops CG at once instead of failing.
  x = exact;
  const auto settled = cg.solve(A, b, x, settings, false);
  CHECK(settled.converged);
  CHECK(settled.iterations == 0);
  // From zero the plain stop is the stricter one and still holds.
  x = 0;
  cg.solve(A, b, x, settings, false);
  CHECK(residual_norm(A, b, x) <= 1e-7 * b.l2_norm() * (1 + 1e-6));
}
