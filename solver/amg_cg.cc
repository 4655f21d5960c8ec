#include "amg_cg.h"

#include "common/errors.h"

#include <petscpc.h>

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

  AmgCg::AmgCg(std::string what)
    : what_(std::move(what))
  {}

  AmgCg::~AmgCg() { reset(); }

  void AmgCg::reset()
  {
    if (ksp_)
      KSPDestroy(&ksp_);
    if (hierarchy_)
      MatDestroy(&hierarchy_);
  }

  void AmgCg::precondition(const dealii::PETScWrappers::MPI::Vector &b, dealii::PETScWrappers::MPI::Vector &x)
  {
    if (!ksp_)
      throw std::logic_error("AmgCg::precondition before any solve");
    PC pc;
    check(KSPGetPC(ksp_, &pc), what_);
    check(PCApply(pc, b, x), what_);
    x.compress(dealii::VectorOperation::insert);
  }

  LinearSolveReport AmgCg::solve(const dealii::PETScWrappers::MPI::SparseMatrix &A,
                                 const dealii::PETScWrappers::MPI::Vector &b, dealii::PETScWrappers::MPI::Vector &x,
                                 const SolverSettings &settings, bool rebuild,
                                 const dealii::PETScWrappers::MPI::SparseMatrix *hierarchy_source)
  {
    rebuild = rebuild || !ksp_;
    if (!ksp_)
      {
        check(KSPCreate(A.get_mpi_communicator(), &ksp_), what_);
        check(KSPSetType(ksp_, KSPCG), what_);
        PC pc;
        check(KSPGetPC(ksp_, &pc), what_);
        check(PCSetType(pc, PCHYPRE), what_);
        check(PCHYPRESetType(pc, "boomeramg"), what_);
        check(KSPSetInitialGuessNonzero(ksp_, PETSC_TRUE), what_);
        // ||b - A x|| <= tol ||b||, like deal.II's SolverControl on the steady path.
        check(KSPSetNormType(ksp_, KSP_NORM_UNPRECONDITIONED), what_);
        check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_strong_threshold",
                                   std::to_string(settings.amg_strong_threshold).c_str()), what_);
        check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_agg_nl",
                                   std::to_string(settings.amg_aggressive_levels).c_str()), what_);
        // What deal.II's symmetric_operator = true selects: a symmetric smoother for CG.
        check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_relax_type_all", "symmetric-SOR/Jacobi"), what_);
        check(PetscOptionsSetValue(nullptr, "-pc_hypre_boomeramg_relax_type_coarse", "Gaussian-elimination"), what_);
        set_amg_options(settings);
        check(PCSetFromOptions(pc), what_);
      }
    if (rebuild)
      {
        if (hierarchy_)
          check(MatDestroy(&hierarchy_), what_);
        check(MatDuplicate(hierarchy_source ? *hierarchy_source : A, MAT_COPY_VALUES, &hierarchy_), what_);
        ++builds_;
      }
    // No divergence test (PETSc's default stops when ||r|| > 1e5 ||b||): a
    // first guess carried from another mesh or linearisation may start far
    // above ||b|| (a spread-out heat load has a small l2 norm) and still
    // converge; deal.II's SolverControl on the other path has none either.
    constexpr PetscReal no_divergence_test = 1e300;
    check(KSPSetTolerances(ksp_, settings.relative_tolerance, 0.0, no_divergence_test,
                           PetscInt(settings.max_iterations)),
          what_);
    check(KSPSetOperators(ksp_, A, hierarchy_), what_);
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
    if (reason < 0)
      throw NumericalError("the linear solver (CG + BoomerAMG) of " + what_ + " did not converge: PETSc reason " +
                           std::to_string(int(reason)) + ", residual " + std::to_string(residual) + " after " +
                           std::to_string(iterations) +
                           " iterations (raise solver.max_iterations or relax solver.relative_tolerance)");
    LinearSolveReport report;
    report.iterations     = static_cast<unsigned int>(iterations);
    report.final_residual = residual;
    return report;
  }
} // namespace chiptherm::solver
