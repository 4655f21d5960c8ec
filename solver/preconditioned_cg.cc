#include "preconditioned_cg.h"

#include "common/errors.h"

#include <petscpc.h>

#include <algorithm>

namespace chiptherm::solver
{
  namespace
  {
    void check(PetscErrorCode ierr, const std::string &what)
    {
      if (ierr != 0)
        throw NumericalError("PETSc failed in the solve of " + what + " (error code " + std::to_string(ierr) + ")");
    }
  } // namespace

  void set_amg_options(const SolverSettings &settings)
  {
    // BoomerAMG setup beyond what deal.II's AdditionalData exposes: HMIS
    // coarsening with extended+i interpolation truncated to 4 entries per row
    // keeps the operator complexity near 2 on 3D hexahedral meshes, and
    // relaxing all points together (no C/F ordering) made each V-cycle about a
    // third cheaper at the same iteration count (docs/benchmarks.md). The
    // case's solver.petsc_options come last and win.
    PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_coarsen_type", "HMIS");
    PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_interp_type", "ext+i");
    PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_P_max", "4");
    PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_no_CF", nullptr);
    if (!settings.petsc_options.empty())
      PetscOptionsInsertString(nullptr, settings.petsc_options.c_str());
  }

  PreconditionedCg::PreconditionedCg(std::string what, CgPreconditioner kind)
    : what_(std::move(what))
    , kind_(kind)
  {}

  PreconditionedCg::~PreconditionedCg() { reset(); }

  void PreconditionedCg::reset()
  {
    if (ksp_)
      KSPDestroy(&ksp_);
    if (built_from_)
      MatDestroy(&built_from_);
  }

  void PreconditionedCg::approximate_inverse(const dealii::PETScWrappers::MPI::SparseMatrix &A,
                                             const dealii::PETScWrappers::MPI::Vector &b,
                                             dealii::PETScWrappers::MPI::Vector &x)
  {
    if (!ksp_)
      throw std::logic_error("PreconditionedCg::approximate_inverse before any solve");
    if (kind_ == CgPreconditioner::boomeramg)
      {
        PC pc;
        check(KSPGetPC(ksp_, &pc), what_);
        check(PCApply(pc, b, x), what_);
        x.compress(dealii::VectorOperation::insert);
        return;
      }
    SolverSettings rough;
    rough.relative_tolerance = 1e-2;
    x                        = 0;
    // From zero: PETSc then takes b as the first residual instead of b - A 0.
    check(KSPSetInitialGuessNonzero(ksp_, PETSC_FALSE), what_);
    solve(A, b, x, rough, false, nullptr, approximate_inverse_iterations);
    check(KSPSetInitialGuessNonzero(ksp_, PETSC_TRUE), what_);
  }

  PetscErrorCode PreconditionedCg::converged(KSP, PetscInt iteration, PetscReal residual, KSPConvergedReason *reason,
                                             void *stop_test)
  {
    auto &stop = *static_cast<StopTest *>(stop_test);
    if (iteration == 0)
      stop.first_residual = residual;
    double target = stop.relative_tolerance * stop.b_norm;
    if (stop.guess_reduction > 0)
      target = std::max(std::min(target, stop.guess_reduction * stop.first_residual),
                        guess_reduction_floor * stop.b_norm);
    if (PetscIsInfOrNanReal(residual))
      *reason = KSP_DIVERGED_NANORINF;
    else if (residual <= target)
      *reason = KSP_CONVERGED_RTOL;
    else
      *reason = KSP_CONVERGED_ITERATING; // KSP stops at its iteration limit
    return 0;
  }

  LinearSolveReport PreconditionedCg::solve(const dealii::PETScWrappers::MPI::SparseMatrix &A,
                                            const dealii::PETScWrappers::MPI::Vector &b,
                                            dealii::PETScWrappers::MPI::Vector &x, const SolverSettings &settings,
                                            bool rebuild,
                                            const dealii::PETScWrappers::MPI::SparseMatrix *hierarchy_source,
                                            unsigned int give_up_after)
  {
    rebuild = rebuild || !ksp_;
    if (!ksp_)
      {
        check(KSPCreate(A.get_mpi_communicator(), &ksp_), what_);
        check(KSPSetType(ksp_, KSPCG), what_);
        check(KSPSetInitialGuessNonzero(ksp_, PETSC_TRUE), what_);
        // ||b - A x|| <= tol ||b||, like deal.II's SolverControl on the steady path.
        check(KSPSetNormType(ksp_, KSP_NORM_UNPRECONDITIONED), what_);
        check(KSPSetConvergenceTest(ksp_, &PreconditionedCg::converged, &stop_, nullptr), what_);
        PC pc;
        check(KSPGetPC(ksp_, &pc), what_);
        if (kind_ == CgPreconditioner::incomplete_cholesky)
          {
            // Block Jacobi's blocks (one per rank) read their options under
            // this prefix + "sub_"; the case's solver.petsc_options (BoomerAMG's) stay out.
            check(KSPSetOptionsPrefix(ksp_, "chiptherm_icc_"), what_);
            check(PetscOptionsSetValue(nullptr, "-chiptherm_icc_sub_pc_type", "icc"), what_);
            check(PCSetType(pc, PCBJACOBI), what_);
          }
        else
          {
            check(PCSetType(pc, PCHYPRE), what_);
            check(PCHYPRESetType(pc, "boomeramg"), what_);
            check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_strong_threshold",
                                       std::to_string(settings.amg_strong_threshold).c_str()),
                  what_);
            check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_agg_nl",
                                       std::to_string(settings.amg_aggressive_levels).c_str()),
                  what_);
            // What deal.II's symmetric_operator = true selects: a symmetric smoother for CG.
            check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_relax_type_all", "symmetric-SOR/Jacobi"), what_);
            check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_relax_type_coarse", "Gaussian-elimination"),
                  what_);
            set_amg_options(settings);
          }
        check(PCSetFromOptions(pc), what_);
      }
    const bool icc = kind_ == CgPreconditioner::incomplete_cholesky;
    if (rebuild)
      {
        if (built_from_)
          check(MatDestroy(&built_from_), what_);
        const Mat source = hierarchy_source ? Mat(*hierarchy_source) : Mat(A);
        if (icc)
          {
            // No copy (a fresh allocation costs page faults: 6 % of a short
            // transient's samples). The factor is a matrix of its own: with
            // the preconditioner reused, block Jacobi's solvers are not set
            // up again when the source's values change (PETSc sets them up
            // in its own set-up only; test_preconditioned_cg.cc).
            built_from_ = source;
            check(PetscObjectReference(reinterpret_cast<PetscObject>(built_from_)), what_);
          }
        else
          check(MatDuplicate(source, MAT_COPY_VALUES, &built_from_), what_);
        ++builds_;
      }
    // No divergence test (PETSc's default stops when ||r|| > 1e5 ||b||): a
    // first guess carried from another mesh or linearisation may start far
    // above ||b|| (a spread-out heat load has a small l2 norm) and still
    // converge; deal.II's SolverControl on the other path has none either.
    constexpr PetscReal no_divergence_test = 1e300;
    check(KSPSetTolerances(ksp_, settings.relative_tolerance, 0.0, no_divergence_test,
                           PetscInt(give_up_after > 0 ? give_up_after : settings.max_iterations)),
          what_);
    stop_.b_norm             = b.l2_norm();
    stop_.relative_tolerance = settings.relative_tolerance;
    stop_.guess_reduction    = settings.guess_reduction;
    check(KSPSetOperators(ksp_, A, built_from_), what_);
    check(KSPSetReusePreconditioner(ksp_, rebuild ? PETSC_FALSE : PETSC_TRUE), what_);
    check(KSPSolve(ksp_, b, x), what_);
    KSPConvergedReason reason;
    PetscInt           iterations = 0;
    PetscReal          residual   = 0;
    check(KSPGetConvergedReason(ksp_, &reason), what_);
    check(KSPGetIterationNumber(ksp_, &iterations), what_);
    check(KSPGetResidualNorm(ksp_, &residual), what_);
    // x was changed behind the deal.II wrapper's back: mark it current.
    x.compress(dealii::VectorOperation::insert);
    LinearSolveReport report;
    report.iterations     = static_cast<unsigned int>(iterations);
    report.final_residual = residual;
    report.converged      = reason > 0;
    if (reason < 0 && !(give_up_after > 0 && reason == KSP_DIVERGED_ITS))
      throw NumericalError(std::string("the linear solver (CG + ") +
                           (kind_ == CgPreconditioner::boomeramg ? "BoomerAMG" : "ICC") + ") of " + what_ +
                           " did not converge: PETSc reason " +
                           std::to_string(int(reason)) + ", residual " + std::to_string(residual) + " after " +
                           std::to_string(iterations) +
                           " iterations (raise solver.max_iterations or relax solver.relative_tolerance)");
    return report;
  }
} // namespace chiptherm::solver
