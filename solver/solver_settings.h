#pragma once
// The `solver:` section of a case file.
#include "common/case_node.h"

#include <string>

namespace chiptherm::solver
{
  struct SolverSettings
  {
    /// The case file's top-level key this struct reads.
    static constexpr const char *section = "solver";
    /// Finite element degree: 1 (Q1), 2 or 3; 0 until resolved: 2 for steady
    /// runs (whose error estimate adds a solve of degree + 1), 1 for transient ones.
    unsigned int degree = 0;
    static constexpr unsigned int steady_default_degree    = 2;
    static constexpr unsigned int transient_default_degree = 1;
    double       relative_tolerance = 1e-10;///< CG stops at ||r|| <= tol * ||b||
    /// > 0: CG also runs on until the first guess's residual has fallen by
    /// this factor (but not below 1e-10 ||b||). Not read from the case file:
    /// the transient's stage solves set it (TrBdf2Stepper).
    double       guess_reduction    = 0;
    unsigned int max_iterations     = 1000; ///< CG iteration cap; exceeding it is exit code 3
    /// The error estimate's solve (degree + 1, from the degree's solution)
    /// stops when its residual has fallen by this factor: the share of the
    /// degree's error, which the bounds measure, left in it (docs/design.md).
    double estimate_reduction = 1e-3;
    /// BoomerAMG strong threshold; 0.5-0.7 suits 3D meshes with thin, flat layers.
    double amg_strong_threshold = 0.6;
    /// Levels of aggressive coarsening (fewer levels, less memory, a few more iterations).
    unsigned int amg_aggressive_levels = 0;
    /// Whether the case set these two: the transient's stage solves have defaults of their own.
    bool relative_tolerance_set = false, amg_aggressive_levels_set = false;
    /// solver.time_step_preconditioner: boomeramg (true) preconditions every
    /// time step with BoomerAMG; icc_first (false, the default) starts each
    /// step-size rung with ICC(0) (ShiftedOperator::solve).
    bool time_step_amg_only = false;
    /// solver.smoother: the p-multigrid levels' Chebyshev smoother is
    /// preconditioned by block Jacobi over lines of DoFs along their most
    /// strongly coupled direction (lines, true, the default) or by point
    /// Jacobi (jacobi).
    bool smoother_lines = true;
    /// Extra PETSc options for experts, e.g. "-pc_hypre_boomeramg_agg_nl 1".
    std::string petsc_options;
    /// Temperature-dependent problems (k(T), leakage): stop when no node's
    /// temperature moves more than this between two iterations, K (the error
    /// left is about that change: far below sign-off tolerances of 0.05-0.1 K).
    double       nonlinear_tolerance_k  = 1e-4;
    unsigned int nonlinear_max_iterations = 60;

    static SolverSettings read(const CaseNode &solver_section);
  };
} // namespace chiptherm::solver
