#pragma once
// The time term of a transient heat problem M du/dt + K u = F(t): the mass
// matrix M, the shifted matrix M + c K that every implicit stage solves with,
// preconditioners for it (a few, for c spread over the step sizes the march
// uses; each serves every c within a factor 2 of the c it was built for, across
// relinearisations of K; an incomplete Cholesky factor while that converges
// fast, a BoomerAMG hierarchy for the stiffer c), the products a stepper
// needs, and the integrals behind a transient energy balance (stored heat,
// heat out at a given state). Built on an assembled HeatProblem: K and F come
// from there.
#include "heat_problem.h"

#include <memory>
#include <vector>

namespace chiptherm::solver
{
  template <int dim>
  class ShiftedOperator
  {
  public:
    /// problem must outlive this; call reinit() after each problem.setup() + assemble().
    explicit ShiftedOperator(const HeatProblem<dim> &problem);

    /// Builds M, the capacity and convection weights for the problem's
    /// current mesh and data (heat_capacity must be set), and forgets
    /// M + c K and its hierarchy.
    void reinit();
    /// Solves (M + c K) x = b with x as the initial guess, corrects x along
    /// the constants (correct_constant_mode), then sets the hanging-node values
    /// of x. M + c K is rebuilt when c or K changed. The
    /// preconditioner is built from M + 2^k K, k = round(log2 c) (within a
    /// factor sqrt 2 of c: a nearby matrix still preconditions well), and kept
    /// for later solves with a c of the same k; a new one replaces the least
    /// recently used when as many are kept as memory allows
    /// (hierarchies_kept()). A march whose step shrinks after each power jump
    /// and grows back then builds a few instead of one per factor 2 of every
    /// cycle, and which ones exist never changes a result. A rung's first
    /// preconditioner is ICC(0); when CG with it needs more than
    /// icc_iteration_limit iterations, the solve goes on from there with a
    /// BoomerAMG hierarchy and the rung keeps BoomerAMG for the rest of the run
    /// (amg_rungs(): checkpoints store them). settings.time_step_amg_only:
    /// BoomerAMG for every rung.
    LinearSolveReport solve(double c, const dealii::PETScWrappers::MPI::Vector &b,
                            dealii::PETScWrappers::MPI::Vector &x, const SolverSettings &settings);
    /// x = an approximate inverse of M + c K applied to b (e.g. for an error
    /// estimate; PreconditionedCg::approximate_inverse with the preconditioner
    /// solve(c, ...) used); hanging-node values set. c must be that of the
    /// last solve().
    void approximate_solve(double c, const dealii::PETScWrappers::MPI::Vector &b,
                           dealii::PETScWrappers::MPI::Vector &x);
    /// Forgets M + c K and its preconditioners (not which rungs need
    /// BoomerAMG): the next solve() builds them as after reinit() (checkpoints
    /// call it, so a resumed run repeats the uninterrupted one exactly).
    void reset();
    /// How often M + c K, BoomerAMG hierarchies and ICC factors were built.
    unsigned int matrix_builds() const { return builds_; }
    unsigned int amg_builds() const { return amg_builds_; }
    unsigned int icc_builds() const { return icc_builds_; }
    /// The rungs k whose solves needed more than icc_iteration_limit CG
    /// iterations with ICC(0): they are preconditioned by BoomerAMG. A resumed
    /// run sets the checkpoint's, so it chooses as the uninterrupted one did.
    const std::vector<int> &amg_rungs() const { return amg_rungs_; }
    void                    set_amg_rungs(std::vector<int> rungs) { amg_rungs_ = std::move(rungs); }
    /// CG iterations with ICC(0) after which a rung switches to BoomerAMG: an
    /// ICC(0) iteration costs a third to a half of a BoomerAMG one, and
    /// BoomerAMG needs 5-15 on these matrices (docs/design.md, "Transient").
    static constexpr unsigned int icc_iteration_limit          = 30;
    /// How many AMG hierarchies are kept at most: 16 (steps from 1 us to 30 ms
    /// span 15 rungs; with fewer than a march sweeps through after each jump,
    /// least-recently-used replacement rebuilds them all every time), fewer on
    /// meshes of more than 156,000 unknowns (2.5 million unknowns' worth in all), at least 1.
    unsigned int hierarchies_kept() const { return capacity_; }

    void stiffness_vmult(dealii::PETScWrappers::MPI::Vector &y, const dealii::PETScWrappers::MPI::Vector &x) const;
    void mass_vmult(dealii::PETScWrappers::MPI::Vector &y, const dealii::PETScWrappers::MPI::Vector &x) const;
    /// Integral of rho c over the domain, J/K.
    double heat_capacity_j_k() const;
    /// Integral of rho c u, J, for a rise u with hanging-node values set.
    double stored_heat_j(const dealii::PETScWrappers::MPI::Vector &u) const;
    /// Heat leaving through the convective boundaries, W, for the rise u.
    double heat_out_w(const dealii::PETScWrappers::MPI::Vector &u) const;

  private:
    const HeatProblem<dim>                  &problem_;
    dealii::PETScWrappers::MPI::SparseMatrix mass_;    ///< M
    dealii::PETScWrappers::MPI::SparseMatrix shifted_; ///< M + c_ K
    dealii::PETScWrappers::MPI::SparseMatrix rung_matrix_; ///< M + 2^k K, a new hierarchy's source
    /// Integral of rho c phi_i and of h phi_i over convective faces (no
    /// constraints applied: dotted with a vector whose hanging values are set,
    /// they give exactly the integrals of rho c u and h u), and the far-field
    /// part of the heat out, W.
    dealii::PETScWrappers::MPI::Vector capacity_weights_, convection_weights_;
    double                             convection_far_w_ = 0;
    /// M + c_ K holds K of this matrix version.
    double       c_                 = -1;
    unsigned int stiffness_version_ = 0;
    unsigned int builds_ = 0, amg_builds_ = 0, icc_builds_ = 0;
    /// A solver whose preconditioner is built from M + 2^rung K, and when it was last used.
    struct Hierarchy
    {
      int                               rung     = 0;
      unsigned long                     last_use = 0;
      std::unique_ptr<PreconditionedCg> solver;
    };
    std::vector<Hierarchy> hierarchies_;
    std::vector<int>       amg_rungs_;
    /// k of the preconditioner that serves M + c K: round(log2 c).
    static int rung_of(double c);
    /// The kept preconditioner of this k, or hierarchies_.end().
    typename std::vector<Hierarchy>::iterator kept_hierarchy(int rung);
    /// Keeps a new solver for this rung (BoomerAMG when amg_only or amg_rungs_
    /// says so, else ICC) in place of the least recently used, its source
    /// M + 2^rung K in rung_matrix_.
    typename std::vector<Hierarchy>::iterator keep_new(int rung, bool amg_only);
    unsigned long          uses_     = 0;
    unsigned int           capacity_ = 1;
    /// The constant function in the solve's unknowns (1 on every dof without
    /// a constraint, 0 on the others), M and K of the current stiffness
    /// version applied to it, and its products with them.
    dealii::PETScWrappers::MPI::Vector ones_, mass_ones_, stiffness_ones_;
    double                             ones_mass_ones_ = 0, ones_stiffness_ones_ = 0;
    unsigned int                       stiffness_ones_version_ = 0;
    /// x += a 1, a such that 1^T (b - (M + c K) x) = 0: the Galerkin
    /// correction along the constants. Tested with 1, a stage equation is the
    /// step's energy balance, so it then holds to rounding whatever tolerance
    /// CG stopped at, and the energy-norm error can only shrink (a projection).
    void correct_constant_mode(double c, const dealii::PETScWrappers::MPI::Vector &b,
                               dealii::PETScWrappers::MPI::Vector &x);
  };
} // namespace chiptherm::solver
