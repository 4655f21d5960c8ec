#pragma once
// The time term of a transient heat problem M du/dt + K u = F(t): the mass
// matrix M, the shifted matrix M + c K that every implicit stage solves with,
// BoomerAMG hierarchies for it (a few, for c spread over the step sizes the
// march uses; each serves every c within a factor 2 of the c it was built
// for, across relinearisations of K), the products a stepper
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
    /// Solves (M + c K) x = b with x as the initial guess, then sets the
    /// hanging-node values of x. M + c K is rebuilt when c or K changed. The
    /// preconditioner is a BoomerAMG hierarchy of M + 2^k K, k = round(log2 c)
    /// (within a factor sqrt 2 of c: a nearby matrix still preconditions well),
    /// kept for later solves with a c of the same k; a new one replaces the
    /// least recently used when as many are kept as memory allows
    /// (hierarchies_kept()). A march whose step shrinks after each power jump
    /// and grows back then builds a few hierarchies instead of one per factor 2
    /// of every cycle, and which ones exist never changes a result.
    LinearSolveReport solve(double c, const dealii::PETScWrappers::MPI::Vector &b,
                            dealii::PETScWrappers::MPI::Vector &x, const SolverSettings &settings);
    /// x = one V-cycle for M + c K applied to b, with the hierarchy solve(c, ...)
    /// used (an approximate inverse, e.g. for an error estimate); hanging-node values set.
    void approximate_solve(double c, const dealii::PETScWrappers::MPI::Vector &b,
                           dealii::PETScWrappers::MPI::Vector &x);
    /// Forgets M + c K and its AMG hierarchy: the next solve() builds both as
    /// after reinit() (checkpoints call it, so a resumed run repeats the
    /// uninterrupted one exactly).
    void reset();
    /// How often M + c K and its AMG hierarchy were built.
    unsigned int matrix_builds() const { return builds_; }
    unsigned int amg_builds() const { return amg_builds_; }
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
    unsigned int builds_ = 0, amg_builds_ = 0;
    /// A solver whose hierarchy is that of M + 2^rung K, and when it was last used.
    struct Hierarchy
    {
      int                    rung     = 0;
      unsigned long          last_use = 0;
      std::unique_ptr<AmgCg> solver;
    };
    std::vector<Hierarchy> hierarchies_;
    /// k of the hierarchy that serves M + c K: round(log2 c).
    static int rung_of(double c);
    /// The kept hierarchy of this k, or hierarchies_.end().
    typename std::vector<Hierarchy>::iterator kept_hierarchy(int rung);
    unsigned long          uses_     = 0;
    unsigned int           capacity_ = 1;
  };
} // namespace chiptherm::solver
