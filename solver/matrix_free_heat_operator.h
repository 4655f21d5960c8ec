#pragma once
// The heat operator of a HeatProblemData applied without a matrix (deal.II's
// MatrixFree, sum factorisation): a(u, v) = (K grad u, grad v) - (q' u, v) +
// <h u, v> on convective faces, for continuous elements of degree 1 to 4 on
// the mesh of a Q1/Q2 HeatProblem. A temperature-dependent problem is
// linearised about a given temperature field (k(T) and leakage evaluated at
// each quadrature point), as HeatProblem assembles it. p-multigrid uses one
// per polynomial level; the enriched solution of the error estimate uses the
// finest. The unknown is the rise u = T - reference, as in HeatProblem.
#include "heat_problem_data.h"
#include "line_jacobi.h"

#include <deal.II/base/subscriptor.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <memory>

namespace chiptherm::solver
{
  /// A temperature field to linearise a temperature-dependent problem about:
  /// absolute temperature (K), ghosted, on dofs (any degree) of the same mesh.
  struct LinearisationPoint
  {
    const dealii::DoFHandler<3>                            *dofs = nullptr;
    const dealii::LinearAlgebra::distributed::Vector<double> *temperature = nullptr;
  };

  /// The operator on vectors of Number: double for the solves, float for the
  /// multigrid levels below them (p_multigrid.h: the levels only precondition,
  /// and float halves the memory they stream and doubles the SIMD lanes).
  template <typename Number>
  class HeatOperatorOf : public dealii::Subscriptor
  {
  public:
    using VectorType = dealii::LinearAlgebra::distributed::Vector<Number>;
    virtual ~HeatOperatorOf() = default;

    /// dst = A src (hanging-node values of src are taken from the others;
    /// constrained entries of dst are zero).
    virtual void vmult(VectorType &dst, const VectorType &src) const = 0;
    void         Tvmult(VectorType &dst, const VectorType &src) const { vmult(dst, src); }
    /// A vector of this operator's layout (owned and ghost entries of MatrixFree).
    virtual void initialize_dof_vector(VectorType &v) const = 0;
    /// 1 / diagonal of the operator (cell terms; 1 at constrained entries): Jacobi for the smoother.
    virtual void compute_inverse_diagonal(VectorType &inverse_diagonal) const = 0;
    /// The smoother's preconditioner: block Jacobi over lines of DoFs along
    /// each DoF's most strongly coupled direction (the diagonal plus the cell
    /// terms' couplings along it between unconstrained DoFs: line_jacobi.h);
    /// point Jacobi when !with_lines or where a cell is not an axis-aligned
    /// box with a diagonal conductivity.
    virtual std::shared_ptr<LineJacobi> make_line_jacobi(bool with_lines = true) const = 0;
    /// The operator of other data (other powers; same mesh, DoFs and
    /// conductivities), linearised about another temperature when
    /// temperature-dependent: only the coefficients are recomputed.
    virtual void relinearise(const HeatProblemData<3> &data, const LinearisationPoint &around) = 0;
    /// The right-hand side F of a(u, v) = F(v): heat sources (linearised) and
    /// convective far fields. Double only (a level operator throws std::logic_error).
    virtual void assemble_rhs(VectorType &rhs) const = 0;
    virtual dealii::types::global_dof_index m() const = 0;
    dealii::types::global_dof_index         n() const { return m(); }
    /// Unused by the solvers here (required by deal.II's smoother interface).
    Number el(unsigned int, unsigned int) const { return 0; }
  };

  using HeatOperator  = HeatOperatorOf<double>;
  using LevelOperator = HeatOperatorOf<float>;

  /// The operator of data on dofs (FE_Q of degree 1..4) with their hanging-node
  /// constraints. With a temperature-dependent data, around is the temperature
  /// it is linearised about (required then).
  std::unique_ptr<HeatOperator> create_heat_operator(const dealii::Mapping<3>                 &mapping,
                                                     const dealii::DoFHandler<3>              &dofs,
                                                     const dealii::AffineConstraints<double>  &constraints,
                                                     const HeatProblemData<3>                 &data,
                                                     const LinearisationPoint                 &around = {});
  /// The same operator in single precision, for a multigrid level.
  std::unique_ptr<LevelOperator> create_level_operator(const dealii::Mapping<3>                &mapping,
                                                       const dealii::DoFHandler<3>             &dofs,
                                                       const dealii::AffineConstraints<double> &constraints,
                                                       const HeatProblemData<3>                &data,
                                                       const LinearisationPoint                &around = {});
} // namespace chiptherm::solver
