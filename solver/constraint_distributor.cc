#include "constraint_distributor.h"

#include "common/errors.h"

#include <deal.II/base/mpi.h>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    void check(PetscErrorCode code)
    {
      if (code != 0)
        throw NumericalError("PETSc failed to set the hanging-node values of a vector (error " +
                             std::to_string(int(code)) + ")");
    }
  } // namespace

  ConstraintDistributor::ConstraintDistributor(const AffineConstraints<double> &constraints, const IndexSet &owned,
                                               const IndexSet &relevant, MPI_Comm comm)
  {
    // PETSc's ghosted local form: the owned entries, then the ghosts in ascending order.
    IndexSet ghosts = relevant;
    ghosts.subtract_set(owned);
    const auto first    = owned.n_elements() > 0 ? *owned.begin() : types::global_dof_index(0);
    const auto n_owned  = owned.n_elements();
    bool       off_rank = false;
    start_.push_back(0);
    for (const auto &line : constraints.get_lines())
      {
        if (!owned.is_element(line.index))
          continue;
        line_.push_back(PetscInt(line.index - first));
        inhomogeneity_.push_back(line.inhomogeneity);
        for (const auto &[dof, weight] : line.entries)
          {
            if (owned.is_element(dof))
              source_.push_back(PetscInt(dof - first));
            else
              source_.push_back(PetscInt(n_owned + ghosts.index_within_set(dof))), off_rank = true;
            weight_.push_back(weight);
          }
        start_.push_back(source_.size());
      }
    if (Utilities::MPI::max(int(off_rank), comm) == 0)
      return;
    std::vector<PetscInt> ghost_dofs(ghosts.begin(), ghosts.end());
    check(VecCreateGhost(comm, PetscInt(n_owned), PETSC_DETERMINE, PetscInt(ghost_dofs.size()), ghost_dofs.data(),
                         &ghosted_));
  }

  ConstraintDistributor::~ConstraintDistributor()
  {
    if (ghosted_)
      VecDestroy(&ghosted_);
  }

  void ConstraintDistributor::distribute(PETScWrappers::MPI::Vector &v) const
  {
    Vec                local_form = nullptr;
    const PetscScalar *from       = nullptr;
    if (ghosted_)
      {
        check(VecCopy(v, ghosted_));
        check(VecGhostUpdateBegin(ghosted_, INSERT_VALUES, SCATTER_FORWARD));
        check(VecGhostUpdateEnd(ghosted_, INSERT_VALUES, SCATTER_FORWARD));
        check(VecGhostGetLocalForm(ghosted_, &local_form));
        check(VecGetArrayRead(local_form, &from));
      }
    PetscScalar *to = nullptr;
    check(VecGetArray(v, &to));
    // Entries are never constrained themselves (closed constraints), so
    // reading and writing the same array is safe.
    const PetscScalar *in = ghosted_ ? from : to;
    for (std::size_t k = 0; k < line_.size(); ++k)
      {
        double value = inhomogeneity_[k];
        for (std::size_t e = start_[k]; e < start_[k + 1]; ++e)
          value += weight_[e] * in[source_[e]];
        to[line_[k]] = value;
      }
    check(VecRestoreArray(v, &to));
    if (ghosted_)
      {
        check(VecRestoreArrayRead(local_form, &from));
        check(VecGhostRestoreLocalForm(ghosted_, &local_form));
      }
  }
} // namespace chiptherm::solver
