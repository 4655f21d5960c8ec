#pragma once
// Steady heat conduction -div(K grad T) = q with Robin (convective) and
// homogeneous Neumann (adiabatic) boundaries, on a distributed mesh, solved
// with PETSc CG + hypre BoomerAMG. Optionally nonlinear: K scaled by a
// factor of T, and a source that depends on the local T (leakage); then
// solve() iterates (Newton on the source, Picard on K: every linear system
// stays symmetric) and detects thermal runaway. Knows nothing of chips: coefficients come
// in as functions of the cell's material_id, so verification problems and
// chip stacks share one assembly.
#include "../common/errors.h"
#include "amg_cg.h"
#include "solver_settings.h"

#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace chiptherm::solver
{
  /// Convective exchange on one boundary id: flux out = h (T - T_far).
  template <int dim>
  struct RobinBoundary
  {
    double                                               h_w_m2k = 0;
    std::function<double(const dealii::Point<dim> &)>    far_temperature_k;
  };

  template <int dim>
  struct HeatProblemData
  {
    /// Conductivity tensor, W/(m K), of the cells with this material_id.
    std::function<dealii::SymmetricTensor<2, dim>(dealii::types::material_id)> conductivity;
    /// Volumetric heat source, W/m^3, at a point of a cell with this material_id.
    std::function<double(dealii::types::material_id, const dealii::Point<dim> &)> power_density;
    /// Convective boundaries; boundary ids not listed are adiabatic.
    std::map<dealii::types::boundary_id, RobinBoundary<dim>> robin;
    /// Volumetric heat capacity rho c, J/(m^3 K), of the cells with this
    /// material_id; needed only by transient runs (setup(true)).
    std::function<double(dealii::types::material_id)> heat_capacity;
    /// The unknown is T - reference_temperature_k (ambient), which keeps the
    /// right-hand side (and so the CG residual test) about the heat, not the offset.
    double reference_temperature_k = 0;

    // --- optional temperature dependence (empty: linear) -------------------
    /// k(T) = conductivity(id) * conductivity_factor(id, T), T in K.
    std::function<double(dealii::types::material_id, double)> conductivity_factor;
    /// Extra volumetric source that depends on the local temperature (K):
    /// returns {q, dq/dT} in W/m^3 and W/(m^3 K).
    std::function<std::pair<double, double>(dealii::types::material_id, const dealii::Point<dim> &, double)>
      temperature_source;
    bool is_nonlinear() const { return bool(conductivity_factor) || bool(temperature_source); }
  };

  /// Thermal runaway: the temperature-dependent source grows faster with T
  /// than the package removes heat, so no steady state exists (exit code 3).
  class ThermalRunaway : public NumericalError
  {
  public:
    using NumericalError::NumericalError;
  };


  template <int dim>
  class HeatProblem
  {
  public:
    HeatProblem(const dealii::parallel::distributed::Triangulation<dim> &tria, unsigned int degree,
                dealii::TimerOutput &timer);
    ~HeatProblem();
    HeatProblem(const HeatProblem &) = delete;
    HeatProblem &operator=(const HeatProblem &) = delete;

    /// Distributes DoFs, builds hanging-node constraints and the matrix layout;
    /// with transient also that of the mass matrix M and of M + c K.
    void setup(bool transient = false);
    /// Assembles the stiffness matrix K (conduction + convection) and the
    /// right-hand side F for data (kept for energy balance); after setup(true)
    /// also M and the vectors behind stored_heat_j() and heat_out_w(u).
    void assemble(const HeatProblemData<dim> &data);
    /// Re-assembles F alone for new power densities (transient steps).
    void assemble_rhs(const HeatProblemData<dim> &data);
    /// Transient steps of a nonlinear problem: re-assembles K and F of the
    /// last data linearised about the current temperature (M unchanged), unless
    /// they already are. M + c K is then rebuilt at the next solve_shifted();
    /// its AMG hierarchy is kept (a nearby matrix still preconditions well).
    void relinearise();
    bool is_nonlinear() const { return data_.is_nonlinear(); }
    /// Power of the temperature-dependent source as the last assembly
    /// linearised it, q(T*) + q'(T*) (T - T*), integrated at the rise u, W
    /// (0 for a linear problem; needs setup(true)). The energy balance of a
    /// transient step uses it: it is what the step's equations contain.
    double linearised_source_w(const dealii::PETScWrappers::MPI::Vector &u) const;
    /// Solves; throws NumericalError when CG does not converge or T is not finite.
    /// A nonlinear problem (data.is_nonlinear()) is iterated from the current
    /// temperature (the reference after setup()) until nodal temperatures move
    /// less than settings.nonlinear_tolerance_k (K and F are then those of the
    /// last iteration, linearised about the one before); ThermalRunaway when the
    /// linearised operator stops being positive definite or T passes 5000 K.
    LinearSolveReport solve(const SolverSettings &settings);

    /// Solves the dual (adjoint) problem for the goal J(T) = integral of
    /// goal_density * T: the operator is symmetric, so it is the same matrix
    /// and preconditioner with the goal as right-hand side. Call after solve().
    LinearSolveReport solve_dual(const std::function<double(dealii::types::material_id)> &goal_density,
                                 const SolverSettings                                    &settings);
    /// The dual solution (ghosted), valid after solve_dual().
    const dealii::LinearAlgebra::distributed::Vector<double> &dual() const { return dual_; }

    // --- transient support: M du/dt + K u = F(t), u = T - reference ----------
    /// A vector of the unknowns' layout (owned entries only).
    dealii::PETScWrappers::MPI::Vector make_vector() const;
    const dealii::PETScWrappers::MPI::Vector &rhs() const { return rhs_; }
    void stiffness_vmult(dealii::PETScWrappers::MPI::Vector &y, const dealii::PETScWrappers::MPI::Vector &x) const;
    void mass_vmult(dealii::PETScWrappers::MPI::Vector &y, const dealii::PETScWrappers::MPI::Vector &x) const;
    /// Solves (M + c K) x = b with x as the initial guess, then sets the
    /// hanging-node values of x. M + c K is rebuilt when c changes; the AMG
    /// hierarchy only when c has moved by more than a factor 2 from the c it
    /// was built for (a nearby matrix still preconditions well; the hierarchy
    /// keeps its own copy of the matrix it was built from).
    LinearSolveReport solve_shifted(double c, const dealii::PETScWrappers::MPI::Vector &b,
                                    dealii::PETScWrappers::MPI::Vector &x, const SolverSettings &settings);
    /// Forgets M + c K and its AMG hierarchy: the next solve_shifted() builds
    /// both as a freshly set-up problem would (checkpoints call it, so a
    /// resumed run repeats the uninterrupted one exactly).
    void reset_shifted_solver();
    /// How often M + c K and its AMG hierarchy were built.
    unsigned int shifted_matrix_builds() const { return shifted_builds_; }
    unsigned int shifted_amg_builds() const { return shifted_amg_builds_; }
    /// Sets the hanging-node values of u from the others.
    void distribute_constraints(dealii::PETScWrappers::MPI::Vector &u) const { constraints_.distribute(u); }
    /// Integral of rho c over the domain, J/K (after assemble() with setup(true)).
    double heat_capacity_j_k() const;
    /// The temperature (K) becomes reference + u; checks it is finite and positive.
    void set_temperature_rise(const dealii::PETScWrappers::MPI::Vector &u);
    /// The rise u = T - reference of the current temperature.
    dealii::PETScWrappers::MPI::Vector temperature_rise() const;
    /// Integral of rho c u, J, for a rise u with hanging-node values set.
    double stored_heat_j(const dealii::PETScWrappers::MPI::Vector &u) const;
    /// Heat leaving through the convective boundaries, W, for the rise u.
    double heat_out_w(const dealii::PETScWrappers::MPI::Vector &u) const;

    /// Heat generated, W: integral of the power density (and of the
    /// temperature-dependent source at the current temperature).
    double power_in_w() const;
    /// Integral of the temperature-dependent source alone over the cells of
    /// each material id, W (index = material id; empty when there is none).
    std::vector<double> temperature_source_w() const;
    /// Heat leaving through the convective boundaries, W.
    double heat_out_w() const;
    /// The same by boundary group (mesh::BoundaryGroup: top, bottom, sides), W.
    std::map<unsigned int, double> heat_out_by_boundary_w() const;
    /// Flux-residual error indicator per active cell (zero on cells not owned
    /// here); see flux_residual_estimator.h.
    const dealii::Vector<float> &error_indicator() const;

    const dealii::DoFHandler<dim>   &dof_handler() const { return dof_handler_; }
    const dealii::FE_Q<dim>         &fe() const { return fe_; }
    /// MappingCartesian when every cell is an axis-aligned box (chip meshes),
    /// MappingQ1 otherwise. Valid after setup().
    const dealii::Mapping<dim>      &mapping() const { return *mapping_; }
    bool                             is_cartesian() const { return cartesian_; }
    /// Temperature in K with ghost entries (locally relevant DoFs). A deal.II
    /// vector rather than PETSc's: post-processing reads it entry by entry,
    /// which is several times faster without PETSc's per-access lookups.
    const dealii::LinearAlgebra::distributed::Vector<double> &temperature() const { return temperature_; }
    dealii::types::global_dof_index n_dofs() const { return dof_handler_.n_dofs(); }
    MPI_Comm                        mpi_communicator() const { return tria_.get_communicator(); }

  private:
    const dealii::parallel::distributed::Triangulation<dim> &tria_;
    dealii::FE_Q<dim>                                        fe_;
    dealii::DoFHandler<dim>                                  dof_handler_;
    std::unique_ptr<dealii::Mapping<dim>>                    mapping_;
    bool                                                     cartesian_ = false;
    dealii::TimerOutput                                     &timer_;
    dealii::IndexSet                                         locally_owned_, locally_relevant_;
    dealii::AffineConstraints<double>                        constraints_;
    dealii::PETScWrappers::MPI::SparseMatrix                 matrix_; ///< K
    dealii::PETScWrappers::MPI::SparseMatrix                 mass_;   ///< M (transient)
    dealii::PETScWrappers::MPI::SparseMatrix                 shifted_; ///< M + shifted_c_ K (transient)
    /// The hierarchy of M + shifted_amg_c_ K preconditions M + c K for c within a factor 2.
    double                                                   shifted_c_ = -1, shifted_amg_c_ = -1;
    unsigned int                                             shifted_builds_ = 0, shifted_amg_builds_ = 0;
    AmgCg                                                    shifted_solver_{"a time step"};
    /// A nonlinear solve's iterations share one hierarchy (rebuilt when CG slows down).
    AmgCg                                                    nonlinear_solver_{"a nonlinear iteration"};
    /// Integral of rho c phi_i and of h phi_i over convective faces (no
    /// constraints applied: dotted with a vector whose hanging values are set,
    /// they give exactly the integrals of rho c u and h u), and the far-field
    /// part of the heat out, W.
    dealii::PETScWrappers::MPI::Vector                       capacity_weights_, convection_weights_;
    double                                                   convection_far_w_ = 0;
    bool                                                     transient_ = false;
    dealii::PETScWrappers::MPI::Vector                       rhs_;
    dealii::LinearAlgebra::distributed::Vector<double>       temperature_;
    HeatProblemData<dim>                                     data_;
    dealii::LinearAlgebra::distributed::Vector<double>       dual_;
    std::unique_ptr<dealii::PETScWrappers::PreconditionBoomerAMG> amg_; ///< kept for the dual solve

    /// CG + BoomerAMG on matrix; builds amg when it is empty. Throws NumericalError.
    LinearSolveReport run_cg(const dealii::PETScWrappers::MPI::SparseMatrix                 &matrix,
                             std::unique_ptr<dealii::PETScWrappers::PreconditionBoomerAMG> &amg,
                             const dealii::PETScWrappers::MPI::Vector &b, dealii::PETScWrappers::MPI::Vector &x,
                             const SolverSettings &settings);
    /// The cell loop behind assemble() and assemble_rhs(); a nonlinear
    /// problem is linearised about the current temperature.
    void assemble_system(const HeatProblemData<dim> &data, bool matrices, bool mass);
    /// The iteration behind solve() for a nonlinear problem.
    LinearSolveReport solve_nonlinear(const SolverSettings &settings);
    /// False until a solve sets the temperature: linearise about the reference then.
    bool temperature_set_ = false;
    /// True while K and F are linearised about the current temperature.
    bool linearised_about_current_ = false;
    /// Integral of q'(T*) phi_i, and of q(T*) - q'(T*) u*, W: the linearised
    /// temperature-dependent source (transient problems).
    dealii::PETScWrappers::MPI::Vector source_slope_weights_;
    double                             source_constant_w_ = 0;
    /// Throws NumericalError unless every owned entry of x is finite and above -reference (0 K).
    void check_physical(const dealii::PETScWrappers::MPI::Vector &rise) const;
    mutable std::optional<dealii::Vector<float>>             indicator_; ///< computed on first request after a solve
  };
} // namespace chiptherm::solver
