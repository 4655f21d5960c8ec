#pragma once
// Copies between the two vector kinds of a solve, entry by owned entry: the
// PETSc vectors CG works on and deal.II's ghosted vectors FEValues reads.
// Both store a rank's owned DoFs contiguously in the same order (p4est DoF
// numbering), so the copies run over the raw local arrays: per-entry access
// through the PETSc wrapper costs a PETSc call per entry (5 % of a transient
// run on 3D-ICE's test before).

#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_vector.h>

namespace chiptherm::solver
{
  /// dst = src + shift on the owned entries; dst's ghosts are not touched.
  void copy_owned(const dealii::PETScWrappers::MPI::Vector &src, double shift,
                  dealii::LinearAlgebra::distributed::Vector<double> &dst);
  /// dst = src + shift on the owned entries (dst is left assembled).
  void copy_owned(const dealii::LinearAlgebra::distributed::Vector<double> &src, double shift,
                  dealii::PETScWrappers::MPI::Vector &dst);

  /// Smallest and largest entry over all ranks, and whether every entry is finite.
  struct OwnedRange
  {
    double min    = 0;
    double max    = 0;
    bool   finite = true;
  };
  OwnedRange owned_range(const dealii::PETScWrappers::MPI::Vector &v);
} // namespace chiptherm::solver
