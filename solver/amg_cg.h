#pragma once
// CG preconditioned by a BoomerAMG hierarchy that can outlive the matrix it
// was built from: a time step's M + c K for a nearby c, or the next Newton
// iterate's linearisation, is solved with the old hierarchy instead of a new
// one (its setup costs about as much as a whole CG solve). Raw PETSc: deal.II
// 9.4's solver wrapper makes the preconditioner's matrix the operator, so it
// cannot precondition one matrix with another's hierarchy.
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
  };

  class AmgCg
  {
  public:
    /// what names the solve in error messages ("a time step", "a nonlinear iteration").
    explicit AmgCg(std::string what);
    ~AmgCg();
    AmgCg(const AmgCg &) = delete;
    AmgCg &operator=(const AmgCg &) = delete;

    /// Solves A x = b to ||b - A x|| <= relative_tolerance ||b||, x the first
    /// guess. With rebuild (or no hierarchy yet) the hierarchy is built from A
    /// (hypre points into the matrix it was built from: a copy of A is kept),
    /// else the last one preconditions A. Throws NumericalError when CG fails.
    /// hierarchy_source: build from this matrix instead of A (same layout).
    LinearSolveReport solve(const dealii::PETScWrappers::MPI::SparseMatrix &A, const dealii::PETScWrappers::MPI::Vector &b,
                            dealii::PETScWrappers::MPI::Vector &x, const SolverSettings &settings, bool rebuild,
                            const dealii::PETScWrappers::MPI::SparseMatrix *hierarchy_source = nullptr);
    /// x = one V-cycle of the last hierarchy applied to b (a solve() must have built it).
    void precondition(const dealii::PETScWrappers::MPI::Vector &b, dealii::PETScWrappers::MPI::Vector &x);
    /// Forgets the hierarchy (and the solver): the next solve builds both.
    void reset();
    bool         has_hierarchy() const { return ksp_ != nullptr; }
    unsigned int builds() const { return builds_; }

  private:
    std::string  what_;
    KSP          ksp_       = nullptr;
    Mat          hierarchy_ = nullptr; ///< the copy of A the hierarchy was built from
    unsigned int builds_    = 0;
  };

  /// BoomerAMG options shared by every solve (PETSc options database): HMIS
  /// coarsening, ext+i interpolation, ..., then the case's solver.petsc_options.
  void set_amg_options(const SolverSettings &settings);
} // namespace chiptherm::solver
