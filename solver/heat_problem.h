#pragma once
// Steady heat conduction -div(K grad T) = q with Robin (convective) and
// homogeneous Neumann (adiabatic) boundaries on a distributed mesh: the DoFs,
// hanging-node constraints, the assembly of K u = F and its solve with PETSc
// CG + hypre BoomerAMG. A temperature-dependent problem (HeatProblemData's
// k(T) and leakage) is assembled linearised about the current temperature:
// Newton on the source, Picard on K, so every linear system stays symmetric;
// NonlinearSolve iterates it, ShiftedOperator adds the time term, the energy
// integrals and the estimator read the result. Knows nothing of chips.
#include "constraint_distributor.h"
#include "preconditioned_cg.h"
#include "heat_problem_data.h"
#include "solver_settings.h"
#include "temperature_field.h"

#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>

#include <functional>
#include <memory>

namespace chiptherm::solver
{
  template <int dim>
  class HeatProblem
  {
  public:
    HeatProblem(const dealii::parallel::distributed::Triangulation<dim> &tria, unsigned int degree,
                dealii::TimerOutput &timer);
    ~HeatProblem();
    HeatProblem(const HeatProblem &) = delete;
    HeatProblem &operator=(const HeatProblem &) = delete;

    /// Distributes DoFs, builds hanging-node constraints and the matrix layout.
    void setup();
    /// Assembles the stiffness matrix K (conduction + convection) and the
    /// right-hand side F for data, linearised about the current temperature
    /// when data is temperature-dependent (the reference before any solve).
    void assemble(const HeatProblemData<dim> &data);
    /// Re-assembles F alone for new power densities (transient steps).
    void assemble_rhs(const HeatProblemData<dim> &data);
    /// F of a linear problem built by the caller: add_rhs adds it to a zero
    /// vector (compressed here), and it must be what assemble_rhs(data) gives
    /// to rounding (block_load_vectors.h). data becomes the problem's.
    void set_rhs(const HeatProblemData<dim>                                       &data,
                 const std::function<void(dealii::PETScWrappers::MPI::Vector &)> &add_rhs);
    /// Re-assembles K and F of the last data linearised about the current
    /// temperature, unless they already are (or the problem is linear).
    void relinearise();
    bool is_nonlinear() const { return data_.is_nonlinear(); }
    /// True while K and F are linearised about the current temperature.
    bool is_linearised_about_current() const { return linearised_about_current_; }
    /// Power of the temperature-dependent source as the last assembly
    /// linearised it, q(T*) + q'(T*) (T - T*), integrated at the rise u, W
    /// (0 for a linear problem). The energy balance of a transient step uses
    /// it: it is what the step's equations contain.
    double linearised_source_w(const dealii::PETScWrappers::MPI::Vector &u) const;
    /// Solves the assembled K u = F once (for a nonlinear problem: the
    /// linearised system; solve_steady() in nonlinear_solve.h iterates);
    /// throws NumericalError when CG does not converge or T is not physical.
    LinearSolveReport solve(const SolverSettings &settings);
    /// Solves K x = b with CG and the BoomerAMG hierarchy of the last solve()
    /// (built when there is none), then sets the hanging-node values of x.
    LinearSolveReport solve_with_stiffness(const dealii::PETScWrappers::MPI::Vector &b,
                                           dealii::PETScWrappers::MPI::Vector &x, const SolverSettings &settings);

    /// The BoomerAMG hierarchy of K (built now when there is none): the
    /// coarse level of p-multigrid above this problem.
    const dealii::PETScWrappers::PreconditionBoomerAMG &stiffness_preconditioner(const SolverSettings &settings);
    /// Frees the BoomerAMG hierarchy (the next solve builds it again).
    void release_preconditioner() { amg_.reset(); }

    /// A vector of the unknowns' layout (owned entries only).
    dealii::PETScWrappers::MPI::Vector make_vector() const;
    /// A ghosted (locally relevant) vector of the unknowns' layout.
    dealii::LinearAlgebra::distributed::Vector<double> make_ghosted_vector() const;
    const dealii::PETScWrappers::MPI::Vector       &rhs() const { return rhs_; }
    const dealii::PETScWrappers::MPI::SparseMatrix &stiffness_matrix() const { return matrix_; }
    /// Counts the assemblies of K (setup() included): a change means K changed.
    unsigned int stiffness_version() const { return stiffness_version_; }
    /// The sparsity pattern of K (kept for matrices of the same layout, such as M).
    const dealii::DynamicSparsityPattern &sparsity_pattern() const { return sparsity_; }
    const dealii::AffineConstraints<double> &constraints() const { return constraints_; }
    /// Sets the hanging-node values of u from the others.
    void distribute_constraints(dealii::PETScWrappers::MPI::Vector &u) const { distributor_->distribute(u); }
    /// The temperature (K) becomes reference + u; checks it is finite and positive.
    void set_temperature_rise(const dealii::PETScWrappers::MPI::Vector &u);
    /// The rise u = T - reference of the current temperature.
    dealii::PETScWrappers::MPI::Vector temperature_rise() const;
    /// False until a solve (or set_temperature_rise) sets the temperature.
    bool has_temperature() const { return temperature_set_; }

    /// The data of the last assembly.
    const HeatProblemData<dim>      &data() const { return data_; }
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
    /// The solved temperature as a field (valid while this problem lives).
    TemperatureField field() const { return {&dof_handler_, mapping_.get(), &temperature_}; }
    dealii::types::global_dof_index n_dofs() const { return dof_handler_.n_dofs(); }
    MPI_Comm                        mpi_communicator() const { return tria_.get_communicator(); }
    dealii::TimerOutput            &timer() const { return timer_; }

  private:
    /// Cell-local contributions of one assembly pass.
    struct CellTerms;
    /// The cell loop behind assemble(), assemble_rhs() and relinearise().
    void assemble_system(const HeatProblemData<dim> &data, bool matrices);
    /// K, F and the source linearisation of one cell.
    void assemble_cell(const HeatProblemData<dim> &data, bool matrices, CellTerms &terms) const;
    /// BoomerAMG's settings for K.
    static dealii::PETScWrappers::PreconditionBoomerAMG::AdditionalData amg_data(const SolverSettings &settings);
    /// Throws NumericalError unless every owned entry of x is finite and above -reference (0 K).
    void check_physical(const dealii::PETScWrappers::MPI::Vector &rise) const;

    const dealii::parallel::distributed::Triangulation<dim> &tria_;
    dealii::FE_Q<dim>                                        fe_;
    dealii::DoFHandler<dim>                                  dof_handler_;
    std::unique_ptr<dealii::Mapping<dim>>                    mapping_;
    bool                                                     cartesian_ = false;
    dealii::TimerOutput                                     &timer_;
    dealii::IndexSet                                         locally_owned_, locally_relevant_;
    dealii::AffineConstraints<double>                        constraints_;
    std::unique_ptr<ConstraintDistributor>                   distributor_; ///< of constraints_, for PETSc vectors
    dealii::DynamicSparsityPattern                           sparsity_;
    dealii::PETScWrappers::MPI::SparseMatrix                 matrix_; ///< K
    dealii::PETScWrappers::MPI::Vector                       rhs_;    ///< F
    dealii::LinearAlgebra::distributed::Vector<double>       temperature_;
    HeatProblemData<dim>                                     data_;
    std::unique_ptr<dealii::PETScWrappers::PreconditionBoomerAMG> amg_; ///< of K, kept for further solves with K
    /// False until a solve sets the temperature: linearise about the reference then.
    bool temperature_set_ = false;
    /// True while K and F are linearised about the current temperature.
    bool linearised_about_current_ = false;
    unsigned int stiffness_version_ = 0;
    /// Integral of q'(T*) phi_i, and of q(T*) - q'(T*) u*, W: the linearised
    /// temperature-dependent source.
    dealii::PETScWrappers::MPI::Vector source_slope_weights_;
    double                             source_constant_w_ = 0;
  };
} // namespace chiptherm::solver
