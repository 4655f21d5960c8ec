#pragma once
// Sets the constrained (hanging-node) entries of a PETSc vector from the
// others, as AffineConstraints::distribute does, but from tables built once
// per mesh and over the raw local arrays. deal.II's distribute builds a ghosted
// copy of the vector for every call and reads it entry by entry through the
// PETSc wrapper; a time step calls it three times (on the 10-block SoC trace
// 8 % of the run went to it and to the allocations it makes).
#include <deal.II/base/index_set.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/petsc_vector.h>

#include <petscvec.h>

#include <vector>

namespace chiptherm::solver
{
  class ConstraintDistributor
  {
  public:
    /// constraints: closed, over the locally relevant dofs. Collective.
    ConstraintDistributor(const dealii::AffineConstraints<double> &constraints, const dealii::IndexSet &owned,
                          const dealii::IndexSet &relevant, MPI_Comm comm);
    ~ConstraintDistributor();
    ConstraintDistributor(const ConstraintDistributor &)            = delete;
    ConstraintDistributor &operator=(const ConstraintDistributor &) = delete;

    /// v(i) = inhomogeneity(i) + sum_j w_ij v(j) for every owned constrained i
    /// (v: owned entries of the layout given). Collective.
    void distribute(dealii::PETScWrappers::MPI::Vector &v) const;

  private:
    std::vector<PetscInt>    line_;          ///< owned constrained dof, as a local index
    std::vector<double>      inhomogeneity_;
    std::vector<std::size_t> start_;         ///< line k's entries: [start_[k], start_[k + 1])
    std::vector<PetscInt>    source_;        ///< an entry's dof in the local form (owned, then ghosts)
    std::vector<double>      weight_;
    /// Ghosted copy when some rank's lines read other ranks' entries (else null).
    Vec ghosted_ = nullptr;
  };
} // namespace chiptherm::solver
