#pragma once
// Steady heat conduction -div(K grad T) = q with Robin (convective) and
// homogeneous Neumann (adiabatic) boundaries, on a distributed mesh, solved
// with PETSc CG + hypre BoomerAMG. Knows nothing of chips: coefficients come
// in as functions of the cell's material_id, so verification problems and
// chip stacks share one assembly.
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
    /// The unknown is T - reference_temperature_k (ambient), which keeps the
    /// right-hand side (and so the CG residual test) about the heat, not the offset.
    double reference_temperature_k = 0;
  };

  struct LinearSolveReport
  {
    unsigned int iterations = 0;
    double       initial_residual = 0;
    double       final_residual   = 0;
  };

  template <int dim>
  class HeatProblem
  {
  public:
    HeatProblem(const dealii::parallel::distributed::Triangulation<dim> &tria, unsigned int degree,
                dealii::TimerOutput &timer);

    /// Distributes DoFs, builds hanging-node constraints and the matrix layout.
    void setup();
    /// Assembles matrix and right-hand side for data (kept for energy balance).
    void assemble(const HeatProblemData<dim> &data);
    /// Solves; throws NumericalError when CG does not converge or T is not finite.
    LinearSolveReport solve(const SolverSettings &settings);

    /// Solves the dual (adjoint) problem for the goal J(T) = integral of
    /// goal_density * T: the operator is symmetric, so it is the same matrix
    /// and preconditioner with the goal as right-hand side. Call after solve().
    LinearSolveReport solve_dual(const std::function<double(dealii::types::material_id)> &goal_density,
                                 const SolverSettings                                    &settings);
    /// The dual solution (ghosted), valid after solve_dual().
    const dealii::LinearAlgebra::distributed::Vector<double> &dual() const { return dual_; }

    /// Heat generated, W: integral of the power density.
    double power_in_w() const;
    /// Heat leaving through the convective boundaries, W.
    double heat_out_w() const;
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
    dealii::PETScWrappers::MPI::SparseMatrix                 matrix_;
    dealii::PETScWrappers::MPI::Vector                       rhs_;
    dealii::LinearAlgebra::distributed::Vector<double>       temperature_;
    HeatProblemData<dim>                                     data_;
    dealii::LinearAlgebra::distributed::Vector<double>       dual_;
    std::unique_ptr<dealii::PETScWrappers::PreconditionBoomerAMG> amg_; ///< kept for the dual solve

    /// CG + BoomerAMG on matrix_; builds amg_ on first use. Throws NumericalError.
    LinearSolveReport run_cg(const dealii::PETScWrappers::MPI::Vector &b, dealii::PETScWrappers::MPI::Vector &x,
                             const SolverSettings &settings);
    mutable std::optional<dealii::Vector<float>>             indicator_; ///< computed on first request after a solve
  };
} // namespace chiptherm::solver
