#pragma once
// The p-multigrid transfer between two FE_Q degrees on one mesh: prolongation
// interpolates the coarser degree's continuous field (hanging-node values
// from their masters) at the finer degree's nodes, exact since Q_p lies in
// Q_q; restriction is its transpose. Each cell applies the 1D interpolation
// matrix (Gauss-Lobatto nodes of degree p at those of degree q) by sum
// factorisation; every finer DoF is written by one cell (its first owned
// cell), so nothing is weighted; hanging finer DoFs stay 0, as the
// matrix-free operators keep them.
//
// Why not deal.II 9.4's MGTwoLevelTransfer::reinit_polynomial_transfer: it
// pairs the cells of the two DoFHandlers through a dictionary over an index
// space of n_coarse_cells x 8^levels (PermutationFineDoFHandlerView,
// ComputeIndexOwner), 4 bytes per index over the ranks: 1.7 GB for a
// 45 k-cell mesh on 1,640 coarse cells six levels deep, 8x more per level
// whatever the number of cells (heaptrack, docs/benchmarks.md). Both degrees
// here live on the same cells, so no such map is needed.
#include <deal.II/base/partitioner.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <memory>
#include <utility>
#include <vector>

namespace chiptherm::solver
{
  class PolynomialTransfer
  {
  public:
    using VectorType = dealii::LinearAlgebra::distributed::Vector<double>;

    /// Both DoFHandlers FE_Q (coarse degree below fine) on one
    /// p::d::Triangulation, with their hanging-node constraints (closed, over
    /// the locally relevant DoFs). Keeps references to the constraints.
    PolynomialTransfer(const dealii::DoFHandler<3> &fine, const dealii::AffineConstraints<double> &fine_constraints,
                       const dealii::DoFHandler<3> &coarse, const dealii::AffineConstraints<double> &coarse_constraints);

    /// fine += P coarse (owned entries of both; the vectors' ghosts are not
    /// used), on vectors of double or float (a multigrid level's); computed in double.
    template <typename Number>
    void prolongate_and_add(dealii::LinearAlgebra::distributed::Vector<Number>       &fine,
                            const dealii::LinearAlgebra::distributed::Vector<Number> &coarse) const;
    /// coarse += P^T fine.
    template <typename Number>
    void restrict_and_add(dealii::LinearAlgebra::distributed::Vector<Number>       &coarse,
                          const dealii::LinearAlgebra::distributed::Vector<Number> &fine) const;

  private:
    /// The values of the coarse field at every DoF of the owned cells: the
    /// owned values, the ghosts, and hanging DoFs from their masters.
    void resolve_hanging(VectorType &coarse_ghosted) const;
    /// Distributes the contributions at hanging DoFs to their masters (the
    /// transpose of resolve_hanging), then sums the ghosts into their owners.
    void condense_hanging(VectorType &coarse_ghosted) const;
    /// out (nq^3, lexicographic) = the tensor product of the 1D interpolation
    /// applied to in (np^3); transposed: in (nq^3) to out (np^3).
    void apply(bool transposed, const double *in, double *out) const;

    unsigned int                                      np_ = 0, nq_ = 0; ///< 1D nodes of each degree
    std::vector<double>                               matrix_1d_;       ///< nq x np, row-major
    std::shared_ptr<const dealii::Utilities::MPI::Partitioner> coarse_partitioner_, fine_partitioner_;
    /// Per owned cell, its DoFs' local indices in lexicographic order.
    std::vector<unsigned int> coarse_indices_, fine_indices_;
    /// Per owned cell and fine DoF: 1 where this cell writes that DoF (owned, not hanging, first cell).
    std::vector<unsigned char> writes_;
    /// Coarse hanging DoFs of the owned cells (local index) and their masters (local index, weight).
    std::vector<std::pair<unsigned int, std::vector<std::pair<unsigned int, double>>>> hanging_;
    mutable VectorType          coarse_values_; ///< owned, ghosts and masters of the coarse degree
    mutable std::vector<double> scratch_;
  };
} // namespace chiptherm::solver
