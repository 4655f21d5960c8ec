#include "solver_settings.h"

namespace chiptherm::solver
{
  SolverSettings SolverSettings::read(const CaseNode &n)
  {
    SolverSettings s;
    if (!n.is_defined())
      return s;
    n.expect_keys({"degree", "relative_tolerance", "max_iterations", "amg_strong_threshold", "amg_aggressive_levels",
                   "petsc_options", "nonlinear_tolerance", "nonlinear_max_iterations", "time_step_preconditioner",
                   "smoother", "estimate_reduction"});
    s.degree             = n.integer_or("degree", 0, 1, 3);
    s.relative_tolerance = n.positive_number_or("relative_tolerance", s.relative_tolerance);
    if (s.relative_tolerance >= 1)
      n.at("relative_tolerance").fail("expected a relative tolerance below 1, e.g. 1e-10");
    s.estimate_reduction = n.positive_number_or("estimate_reduction", s.estimate_reduction);
    if (s.estimate_reduction > 0.1)
      n.at("estimate_reduction").fail("expected a residual reduction of at most 0.1, e.g. 1e-3 (the default) or 1e-6");
    s.max_iterations        = n.integer_or("max_iterations", s.max_iterations, 1, 1000000);
    s.amg_strong_threshold  = n.positive_number_or("amg_strong_threshold", s.amg_strong_threshold);
    if (s.amg_strong_threshold >= 1)
      n.at("amg_strong_threshold").fail("expected a value in (0, 1), typically 0.25 (2D) to 0.7 (flat 3D cells)");
    s.amg_aggressive_levels = n.integer_or("amg_aggressive_levels", 0, 0, 10);
    s.relative_tolerance_set    = n.has("relative_tolerance");
    s.amg_aggressive_levels_set = n.has("amg_aggressive_levels");
    s.petsc_options         = n.text_or("petsc_options", "");
    if (n.has("time_step_preconditioner"))
      s.time_step_amg_only = n.at("time_step_preconditioner").choice({"icc_first", "boomeramg"}) == "boomeramg";
    if (n.has("smoother"))
      s.smoother_lines = n.at("smoother").choice({"lines", "jacobi"}) == "lines";
    s.nonlinear_tolerance_k = n.positive_number_or("nonlinear_tolerance", s.nonlinear_tolerance_k);
    s.nonlinear_max_iterations =
      n.integer_or("nonlinear_max_iterations", s.nonlinear_max_iterations, 1, 100000);
    return s;
  }
} // namespace chiptherm::solver
