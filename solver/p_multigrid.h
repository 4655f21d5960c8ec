#pragma once
// Solves heat problems of degree 2 and above on the mesh of an assembled Q1
// HeatProblem: CG, preconditioned by p-multigrid (same-mesh interpolation
// between degrees, polynomial_transfer.h): matrix-free operators of each degree from the top down to 2,
// smoothed by Chebyshev over block Jacobi on lines of strongly coupled DoFs
// (line_jacobi.h), and one BoomerAMG V-cycle of the Q1 problem's
// own matrix as the coarse level (deal.II step-75's pattern, with hypre instead
// of ML). The assembled Q1 matrix is the Galerkin projection of the higher
// operators onto Q1 (same form, exact quadrature), so the coarse level is
// consistent. One hierarchy serves a solve at any of its degrees: the steady
// solve at degree p and the error estimate's at p + 1 share levels 1..p.
// CG runs in double on the double operator of its degree; the multigrid
// levels (operators, smoothers, transfers' vectors) are in single precision:
// a preconditioner needs a few digits, and float halves the bytes the levels
// stream and doubles the SIMD lanes (the same CG iterations on the examples;
// docs/benchmarks.md, "Multigrid levels in single precision; ghosts sorted
// alone; OpenSSL's base64").
#include "preconditioned_cg.h"
#include "heat_problem.h"
#include "matrix_free_heat_operator.h"

#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/affine_constraints.h>

#include <map>
#include <memory>
#include <vector>

namespace chiptherm::solver
{
  class PMultigridSolver
  {
  public:
    using VectorType = HeatOperator::VectorType;

    /// DoFs (FE_Q of the level's degree on the Q1 problem's mesh) and their hanging-node constraints.
    struct Level
    {
      const dealii::DoFHandler<3>             *dofs        = nullptr;
      const dealii::AffineConstraints<double> *constraints = nullptr;
    };

    /// q1 is set up and assembled (for data, or a linearisation of it near
    /// `around`); given[d] are the levels of degree d the caller owns (the
    /// top degree among them is the hierarchy's top), the degrees in between
    /// are made here. around: see create_heat_operator().
    PMultigridSolver(HeatProblem<3> &q1, const std::map<unsigned int, Level> &given, const HeatProblemData<3> &data,
                     const LinearisationPoint &around, const SolverSettings &settings);
    ~PMultigridSolver();

    unsigned int top_degree() const { return static_cast<unsigned int>(levels_.size()); }
    /// The (double) operator of a solve at this degree (2 or more).
    const HeatOperator &operator_of(unsigned int degree) const { return *operators_[degree - 1]; }
    /// Solves A x = F at this degree (multigrid on degrees 1..degree), x the
    /// first guess, until the residual is below settings.relative_tolerance
    /// ||F|| or reduction times the first guess's. Throws NumericalError when
    /// CG does not converge. Then corrected in the constant function, so that
    /// the heat balance holds to rounding (close_constant_mode). Hanging-node
    /// values of x are left to the caller. An alternative first guess (the
    /// last mesh's solution carried over) replaces x as the start when its
    /// residual is smaller; the stopping residual is still set by x's.
    LinearSolveReport solve(unsigned int degree, VectorType &x, const SolverSettings &settings, double reduction = 0,
                            const VectorType *alternative = nullptr);
    /// The operators of every degree for other data (other powers: a
    /// throttling step) linearised about another temperature (a
    /// temperature-dependent problem's next Newton step). The smoothers keep
    /// the diagonals and eigenvalue bounds of the first linearisation, and the
    /// Q1 level takes the AMG of the Q1 problem's matrix as it is then: a
    /// preconditioner needs no more.
    void relinearise(const HeatProblemData<3> &data, const LinearisationPoint &around);
    /// x_to = x_from interpolated from degree `from` to degree `to` (a subspace: exact).
    void prolongate(unsigned int from, const VectorType &x_from, unsigned int to, VectorType &x_to) const;
    /// x_to = the Q1 problem's rise u1 interpolated to degree `to`.
    void prolongate_from_q1(const dealii::PETScWrappers::MPI::Vector &u1, unsigned int to, VectorType &x_to) const;

  private:
    static void close_constant_mode(const HeatOperator &A, const VectorType &rhs, VectorType &x);
    struct Hierarchy;
    HeatProblem<3>                                     &q1_;
    std::vector<Level>                                  levels_; ///< index d - 1 holds degree d
    std::vector<std::unique_ptr<dealii::DoFHandler<3>>>  owned_dofs_;
    std::vector<std::unique_ptr<dealii::AffineConstraints<double>>> owned_constraints_;
    std::vector<std::unique_ptr<HeatOperator>>          operators_; ///< index d - 1 holds degree d (none for Q1)
    /// The same in single precision: the multigrid levels (smoothing, residuals, transfers).
    std::vector<std::unique_ptr<LevelOperator>>         level_operators_;
    std::unique_ptr<Hierarchy>                          hierarchy_;
  };
} // namespace chiptherm::solver
