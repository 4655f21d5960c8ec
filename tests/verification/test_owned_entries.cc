// Copies between PETSc and deal.II vectors over the raw local arrays
// (solver/owned_entries.h): every owned entry lands at its global index with
// the shift, on 1 and 2 ranks, and the range sees every rank's entries.
#include "solver/owned_entries.h"

#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace dealii;
using namespace chiptherm::solver;

namespace
{
  constexpr unsigned int per_rank = 7;

  struct Layout
  {
    MPI_Comm     comm  = MPI_COMM_WORLD;
    unsigned int rank  = Utilities::MPI::this_mpi_process(MPI_COMM_WORLD);
    unsigned int ranks = Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD);
    IndexSet     owned, relevant;
    Layout()
      : owned(per_rank * ranks)
      , relevant(per_rank * ranks)
    {
      owned.add_range(rank * per_rank, (rank + 1) * per_rank);
      relevant = owned;
      // A ghost from the next rank, which the copies must leave alone.
      if (ranks > 1)
        relevant.add_index(((rank + 1) % ranks) * per_rank);
    }
  };

  double value_at(types::global_dof_index i) { return 0.5 * double(i) - 3.0; }
} // namespace

TEST_CASE("copy_owned puts every owned entry, shifted, at its global index, both ways")
{
  const Layout                               l;
  PETScWrappers::MPI::Vector                 petsc(l.owned, l.comm);
  LinearAlgebra::distributed::Vector<double> ghosted(l.owned, l.relevant, l.comm);
  for (const auto i : l.owned)
    petsc[i] = value_at(i);
  petsc.compress(VectorOperation::insert);

  copy_owned(petsc, 300.0, ghosted);
  for (const auto i : l.owned)
    CHECK(ghosted[i] == doctest::Approx(value_at(i) + 300.0).epsilon(1e-15));

  ghosted.update_ghost_values();
  if (l.ranks > 1)
    {
      const auto ghost = ((l.rank + 1) % l.ranks) * per_rank;
      CHECK(ghosted[ghost] == doctest::Approx(value_at(ghost) + 300.0).epsilon(1e-15));
    }

  PETScWrappers::MPI::Vector back(l.owned, l.comm);
  copy_owned(ghosted, -300.0, back);
  for (const auto i : l.owned)
    CHECK(double(back[i]) == doctest::Approx(value_at(i)).epsilon(1e-13));
  // The copy back is assembled: a global norm works without a compress.
  CHECK(back.l2_norm() == doctest::Approx(petsc.l2_norm()).epsilon(1e-13));
}

TEST_CASE("owned_range is the global min and max, and one rank's NaN is seen on every rank")
{
  const Layout               l;
  PETScWrappers::MPI::Vector v(l.owned, l.comm);
  for (const auto i : l.owned)
    v[i] = value_at(i);
  v.compress(VectorOperation::insert);

  OwnedRange r = owned_range(v);
  CHECK(r.finite);
  CHECK(r.min == doctest::Approx(value_at(0)));
  CHECK(r.max == doctest::Approx(value_at(per_rank * l.ranks - 1)));

  if (l.rank == l.ranks - 1)
    v[l.rank * per_rank + 2] = std::numeric_limits<double>::quiet_NaN();
  v.compress(VectorOperation::insert);
  r = owned_range(v);
  CHECK_FALSE(r.finite);

  if (l.rank == l.ranks - 1)
    v[l.rank * per_rank + 2] = std::numeric_limits<double>::infinity();
  v.compress(VectorOperation::insert);
  CHECK_FALSE(owned_range(v).finite);
}
