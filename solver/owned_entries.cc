#include "owned_entries.h"

#include "common/errors.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    void check(PetscErrorCode ierr)
    {
      if (ierr != 0)
        throw NumericalError("PETSc failed to access a vector's local entries (error code " + std::to_string(ierr) +
                             ")");
    }

    /// The owned entries of a PETSc vector, read-only, for the view's lifetime.
    class ReadView
    {
    public:
      explicit ReadView(const PETScWrappers::MPI::Vector &v)
        : v_(v)
      {
        check(VecGetArrayRead(v_, &data_));
        check(VecGetLocalSize(v_, &size_));
      }
      ~ReadView() { VecRestoreArrayRead(v_, &data_); }
      ReadView(const ReadView &)            = delete;
      ReadView &operator=(const ReadView &) = delete;
      const PetscScalar *begin() const { return data_; }
      const PetscScalar *end() const { return data_ + size_; }
      std::size_t        size() const { return static_cast<std::size_t>(size_); }

    private:
      Vec                v_;
      const PetscScalar *data_ = nullptr;
      PetscInt           size_ = 0;
    };

    void require_same_layout(std::size_t petsc_size, std::size_t dealii_size)
    {
      if (petsc_size != dealii_size)
        throw std::logic_error("copy_owned: the vectors own different numbers of entries");
    }
  } // namespace

  void copy_owned(const PETScWrappers::MPI::Vector &src, double shift, LinearAlgebra::distributed::Vector<double> &dst)
  {
    const ReadView from(src);
    require_same_layout(from.size(), dst.locally_owned_size());
    std::size_t k = 0;
    for (const PetscScalar value : from)
      dst.local_element(k++) = value + shift;
  }

  void copy_owned(const LinearAlgebra::distributed::Vector<double> &src, double shift,
                  PETScWrappers::MPI::Vector &dst)
  {
    PetscScalar *to   = nullptr;
    PetscInt     size = 0;
    check(VecGetLocalSize(dst, &size));
    require_same_layout(static_cast<std::size_t>(size), src.locally_owned_size());
    check(VecGetArray(dst, &to));
    for (PetscInt k = 0; k < size; ++k)
      to[k] = src.local_element(static_cast<std::size_t>(k)) + shift;
    check(VecRestoreArray(dst, &to));
    // Written behind the deal.II wrapper's back: mark it assembled.
    dst.compress(VectorOperation::insert);
  }

  OwnedRange owned_range(const PETScWrappers::MPI::Vector &v)
  {
    // One reduction: max of (not finite, -min, max).
    double local[3] = {0.0, -std::numeric_limits<double>::max(), -std::numeric_limits<double>::max()};
    {
      const ReadView entries(v);
      for (const PetscScalar x : entries)
        {
          if (!std::isfinite(x))
            local[0] = 1.0;
          local[1] = std::max(local[1], -x);
          local[2] = std::max(local[2], x);
        }
    }
    double global[3];
    Utilities::MPI::max(ArrayView<const double>(local, 3), v.get_mpi_communicator(), ArrayView<double>(global, 3));
    OwnedRange r;
    r.finite = global[0] == 0.0;
    r.min    = -global[1];
    r.max    = global[2];
    return r;
  }
} // namespace chiptherm::solver
