#pragma once
// CG with a preconditioner that can outlive the matrix it was built from: a
// time step's M + c K for a nearby c, or the next Newton iterate's
// linearisation, is solved with the old one instead of a new one (a BoomerAMG
// setup costs about as much as a whole CG solve). The preconditioner is a
// BoomerAMG hierarchy, or an incomplete Cholesky factor (ICC(0) of each rank's
// block, PETSc's block Jacobi): a mass-dominated M + c K of a short time step
// needs little more than a local smoother, and an ICC(0) application costs
// about a third of a V-cycle (docs/design.md, "Transient"). Raw PETSc: deal.II
// 9.4's solver wrapper makes the preconditioner's matrix the operator, so it
// cannot precondition one matrix with another's.
#include "solver_settings.h"

#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <petscksp.h>

#include <string>

namespace chiptherm::solver
{
  struct LinearSolveReport
  {
    unsigned int iterations = 0;        ///< CG iterations (of the last linear solve when nonlinear)
    unsigned int nonlinear_iterations = 0; ///< linearised solves of a nonlinear problem; 0 when linear
    double       nonlinear_change_k   = 0; ///< the last iteration's largest change of a nodal T, K
    unsigned int amg_builds           = 0; ///< BoomerAMG hierarchies built (nonlinear: shared by iterations)
    double       initial_residual = 0;
    double       final_residual   = 0;
    bool         converged        = true; ///< false only when a solve with give_up_after ran out
    bool         warm_start       = false; ///< started from the last mesh's solution (p-multigrid)
  };

  enum class CgPreconditioner
  {
    boomeramg,
    incomplete_cholesky ///< ICC(0) per rank (block Jacobi across ranks)
  };

  class PreconditionedCg
  {
  public:
    /// what names the solve in error messages ("a time step", "a nonlinear iteration").
    explicit PreconditionedCg(std::string what, CgPreconditioner kind = CgPreconditioner::boomeramg);
    ~PreconditionedCg();
    PreconditionedCg(const PreconditionedCg &) = delete;
    PreconditionedCg &operator=(const PreconditionedCg &) = delete;

    /// Solves A x = b to ||b - A x|| <= relative_tolerance ||b||, x the first
    /// guess (and, with settings.guess_reduction > 0, to that fraction of
    /// ||b - A x0||, down to guess_reduction_floor ||b||). With rebuild (or
    /// no hierarchy yet) the preconditioner is built from A (BoomerAMG: from
    /// a copy of A, since hypre may point into the matrix it was built from;
    /// ICC: its factor is a matrix of its own, so A itself serves and may
    /// change afterwards), else the last one preconditions A. Throws NumericalError when CG fails.
    /// hierarchy_source: build from this matrix instead of A (same layout).
    /// give_up_after > 0: stop after that many iterations without converging
    /// and return converged = false (x holds the last iterate) instead of throwing.
    LinearSolveReport solve(const dealii::PETScWrappers::MPI::SparseMatrix &A, const dealii::PETScWrappers::MPI::Vector &b,
                            dealii::PETScWrappers::MPI::Vector &x, const SolverSettings &settings, bool rebuild,
                            const dealii::PETScWrappers::MPI::SparseMatrix *hierarchy_source = nullptr,
                            unsigned int give_up_after = 0);
    /// x = an approximate inverse of A applied to b, for an error estimate
    /// that needs about 10 %: one V-cycle of the BoomerAMG hierarchy, or CG
    /// from zero to 1e-2 (at most approximate_inverse_iterations) with the
    /// ICC(0) factor, whose single substitution barely touches the smooth
    /// modes an error estimate is made of (a leaky plate's runaway then came
    /// 4 % late). A must be the matrix of the last solve() (which built the
    /// preconditioner).
    void approximate_inverse(const dealii::PETScWrappers::MPI::SparseMatrix &A,
                             const dealii::PETScWrappers::MPI::Vector &b, dealii::PETScWrappers::MPI::Vector &x);
    static constexpr unsigned int approximate_inverse_iterations = 10;
    /// A guess right to rounding cannot be improved by guess_reduction: the
    /// steady solves' relative tolerance is as far as CG goes then.
    static constexpr double guess_reduction_floor = 1e-10;
    /// Forgets the hierarchy (and the solver): the next solve builds both.
    void reset();
    bool             has_hierarchy() const { return ksp_ != nullptr; }
    unsigned int     builds() const { return builds_; }
    CgPreconditioner kind() const { return kind_; }

  private:
    std::string      what_;
    CgPreconditioner kind_;
    KSP          ksp_       = nullptr;
    /// The matrix the preconditioner was built from: BoomerAMG's own copy, or
    /// (ICC) a reference to the caller's matrix, whose later values the
    /// factor ignores.
    Mat          built_from_ = nullptr;
    unsigned int builds_    = 0;

    /// What KSP's convergence test reads: PETSc's default test (relative to
    /// ||b||) plus the first guess's reduction, which it cannot express.
    struct StopTest
    {
      double b_norm = 0, first_residual = 0, relative_tolerance = 0, guess_reduction = 0;
    };
    static PetscErrorCode converged(KSP, PetscInt iteration, PetscReal residual, KSPConvergedReason *reason,
                                    void *stop_test);
    StopTest stop_;
  };

  /// BoomerAMG options shared by every solve (PETSc options database): HMIS
  /// coarsening, ext+i interpolation, ..., then the case's solver.petsc_options.
  void set_amg_options(const SolverSettings &settings);
} // namespace chiptherm::solver
