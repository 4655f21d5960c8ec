#pragma once
// Block Jacobi over lines of DoFs: the smoother's preconditioner of the
// p-multigrid levels. Chip meshes are flat on purpose (a 25 um TIM, a 2 um
// bond in millimetre-wide cells), and block edges on coarse-mesh lines make
// in-plane slivers through the whole package. On a cell 20x wider than thick
// point Jacobi sees only the stiff direction: a mode flat along it but varying
// across the cell is neither smoothed nor representable on Q1, and CG
// iterations grow with the aspect ratio (docs/benchmarks.md, "p-multigrid on
// thin cells"). Solving exactly along the strongly coupled direction (line
// relaxation, the classical remedy for anisotropy) leaves the weakly coupled
// directions to the point smoother, where they are well conditioned. The
// operator gives each DoF a direction (where its cells couple it most) and
// couplings between DoFs of one cell that differ only along it; a line is a
// connected set of such couplings, ordered by the coordinate along it.
// Hanging nodes end lines; partition boundaries do not: a line cut by the
// partition is solved whole by the rank owning its lowest DoF, which imports
// the residual on the other ranks' part of it and sends the result back (the
// same blocks on any number of ranks). A line's matrix is banded
// (a cell couples degree + 1 DoFs of a line) and is factorised once (banded
// LDL^T, packed: one pass over contiguous memory per application, no call per
// line). The factors are computed in double and kept in float: a smoother
// needs the lines solved to a few digits, the factors are most of what its
// application reads, and a perturbed L and a positive D still make a symmetric
// positive definite preconditioner (same CG iterations on the examples).
#include <deal.II/base/index_set.h>
#include <deal.II/base/partitioner.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace chiptherm::solver
{
  class LineJacobi
  {
  public:
    using VectorType = dealii::LinearAlgebra::distributed::Vector<double>;

    /// Lines within the owned DoFs: diagonal is the operator's diagonal at
    /// them (values <= 0, as at constrained DoFs, make the identity there).
    explicit LineJacobi(const VectorType &diagonal);
    /// Lines over `layout`'s DoFs: the owned ones and, as its ghosts, other
    /// ranks' DoFs on lines this rank solves; `diagonal` per local index of
    /// `layout`; owned DoFs marked `elsewhere` lie on lines another rank
    /// solves. Collective.
    LineJacobi(std::shared_ptr<const dealii::Utilities::MPI::Partitioner> layout, std::vector<double> diagonal,
               std::vector<bool> elsewhere);

    /// The coordinate of a DoF (local index) along its line's direction: orders the line.
    void set_coordinate(unsigned int local, double x);
    /// Adds value to the coupling of two unconstrained DoFs (local indices)
    /// of one line; a pair may come from several cells (summed).
    void add_coupling(unsigned int a, unsigned int b, double value);
    /// Room for this many add_coupling() calls.
    void reserve_couplings(std::size_t n) { couplings_.reserve(n); }
    /// Forms the lines and factorises them (couplings of a DoF whose diagonal
    /// is <= 0 are dropped). A line whose matrix is not positive definite
    /// falls back to its diagonal. Once: the diagonal and coordinates are freed.
    void factorize();

    /// dst = B^-1 src on the owned entries (ghosts untouched), on vectors of
    /// double or float (a multigrid level's); the lines are solved in double.
    template <typename Number>
    void vmult(dealii::LinearAlgebra::distributed::Vector<Number> &dst,
               const dealii::LinearAlgebra::distributed::Vector<Number> &src) const;

    /// The line of a DoF (local index) after factorize(); DoFs of no line
    /// here (the identity, or solved by another rank) answer n_lines().
    unsigned int line_of(unsigned int local) const { return line_of_[local]; }
    unsigned int n_lines() const { return static_cast<unsigned int>(line_start_.size() - 1); }
    /// names(i) for every owned DoF i: a number that only the DoFs of its
    /// line share on any rank (0 for the identity). Collective.
    void name_lines(VectorType &names) const;
    /// DoFs on this rank's lines, other ranks' included.
    unsigned int n_dofs_on_lines() const { return static_cast<unsigned int>(order_.size()); }
    /// Lines that fell back to their diagonal.
    unsigned int n_fallbacks() const { return n_fallbacks_; }

  private:
    struct Coupling
    {
      unsigned int a, b;
      double       value;
    };
    /// dst = B^-1 src on the local DoFs of this rank's lines and the identity.
    template <typename Number>
    void solve_lines(dealii::LinearAlgebra::distributed::Vector<Number>       &dst,
                     const dealii::LinearAlgebra::distributed::Vector<Number> &src) const;
    /// The vectors over layout_ that vmult exchanges lines' values through, per Number.
    template <typename Number>
    std::pair<dealii::LinearAlgebra::distributed::Vector<Number> &, dealii::LinearAlgebra::distributed::Vector<Number> &>
    exchange_vectors() const;

    std::shared_ptr<const dealii::Utilities::MPI::Partitioner> layout_; ///< with other ranks' DoFs; null: owned only
    bool                      exchange_ = false; ///< some line crosses a partition boundary (on any rank)
    unsigned int              n_owned_  = 0;
    std::vector<double>       diagonal_; ///< per local DoF; <= 0: identity (until factorize())
    std::vector<bool>         elsewhere_; ///< owned DoFs another rank's lines hold
    std::vector<double>       coordinate_; ///< until factorize()
    std::vector<Coupling>     couplings_; ///< until factorize()
    unsigned int              band_ = 0;  ///< half bandwidth of the lines in z order
    std::vector<unsigned int> order_;     ///< local index at each position (lines contiguous, by z)
    std::vector<unsigned int> line_start_;
    std::vector<unsigned int> line_of_;
    std::vector<float>        inverse_pivot_; ///< D^-1 of LDL^T per position
    std::vector<float>        lower_;     ///< L: band_ entries per position, [p * band_ + j] is L(p, p - 1 - j)
    std::vector<unsigned int> identity_;  ///< local indices of DoFs on no line
    unsigned int              n_fallbacks_ = 0;
    mutable std::vector<double> work_;
    mutable VectorType          imported_, exported_; ///< layout_'s vectors, when exchange_ (on first use)
    mutable dealii::LinearAlgebra::distributed::Vector<float> imported_float_, exported_float_; ///< the same for float
  };
} // namespace chiptherm::solver
