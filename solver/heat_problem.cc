#include "heat_problem.h"

#include "../common/errors.h"
#include "flux_residual_estimator.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_cartesian.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>

#include <cmath>
#include <petscsys.h>
#include <limits>
#include <sstream>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// The convective condition on face f of cell, or nullptr (interior or adiabatic).
    template <int dim, typename CellIterator>
    const RobinBoundary<dim> *robin_boundary_of(const HeatProblemData<dim> &data, const CellIterator &cell,
                                                unsigned int f)
    {
      if (!cell->face(f)->at_boundary())
        return nullptr;
      const auto it = data.robin.find(cell->face(f)->boundary_id());
      return it == data.robin.end() ? nullptr : &it->second;
    }

    /// True when every coarse cell (and so every cell) is an axis-aligned box.
    template <int dim>
    bool all_cells_are_boxes(const Triangulation<dim> &tria)
    {
      for (const auto &cell : tria.cell_iterators_on_level(0))
        {
          const auto   p0 = cell->vertex(0);
          const double scale = cell->diameter();
          for (const unsigned int v : cell->vertex_indices())
            for (unsigned int d = 0; d < dim; ++d)
              {
                // Lexicographic vertex v sits at the low or high end in direction d.
                const bool   high     = (v >> d) & 1;
                const double expected = high ? cell->vertex((1u << d))[d] : p0[d];
                if (std::abs(cell->vertex(v)[d] - expected) > 1e-10 * scale)
                  return false;
              }
        }
      return true;
    }
  } // namespace

  template <int dim>
  HeatProblem<dim>::HeatProblem(const parallel::distributed::Triangulation<dim> &tria, unsigned int degree,
                                TimerOutput &timer)
    : tria_(tria)
    , fe_(degree)
    , dof_handler_(tria)
    , timer_(timer)
  {}

  template <int dim>
  void HeatProblem<dim>::setup()
  {
    TimerOutput::Scope scope(timer_, "setup");
    const MPI_Comm     comm = tria_.get_communicator();
    if (!mapping_)
      {
        cartesian_ = all_cells_are_boxes<dim>(tria_);
        if (cartesian_)
          mapping_ = std::make_unique<MappingCartesian<dim>>();
        else
          mapping_ = std::make_unique<MappingQ1<dim>>();
      }
    dof_handler_.distribute_dofs(fe_);
    locally_owned_    = dof_handler_.locally_owned_dofs();
    locally_relevant_ = DoFTools::extract_locally_relevant_dofs(dof_handler_);

    constraints_.clear();
    constraints_.reinit(locally_relevant_);
    DoFTools::make_hanging_node_constraints(dof_handler_, constraints_);
    constraints_.close();

    DynamicSparsityPattern dsp(locally_relevant_);
    DoFTools::make_sparsity_pattern(dof_handler_, dsp, constraints_, false);
    SparsityTools::distribute_sparsity_pattern(dsp, locally_owned_, comm, locally_relevant_);
    matrix_.reinit(locally_owned_, locally_owned_, dsp, comm);
    rhs_.reinit(locally_owned_, comm);
    temperature_.reinit(locally_owned_, locally_relevant_, comm);
  }

  template <int dim>
  void HeatProblem<dim>::assemble(const HeatProblemData<dim> &data)
  {
    TimerOutput::Scope scope(timer_, "assemble");
    data_ = data;
    matrix_ = 0;
    rhs_    = 0;

    const QGauss<dim>     quadrature(fe_.degree + 1);
    const QGauss<dim - 1> face_quadrature(fe_.degree + 1);
    FEValues<dim>         fe_values(*mapping_, fe_, quadrature, update_values | update_gradients | update_quadrature_points |
                                                 update_JxW_values);
    FEFaceValues<dim>     fe_face_values(*mapping_, fe_, face_quadrature,
                                     update_values | update_quadrature_points | update_JxW_values);
    const unsigned int    n = fe_.n_dofs_per_cell();
    FullMatrix<double>    cell_matrix(n, n);
    Vector<double>        cell_rhs(n);
    std::vector<types::global_dof_index> dof_indices(n);

    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell_matrix = 0;
          cell_rhs    = 0;
          fe_values.reinit(cell);
          const auto K = data.conductivity(cell->material_id());
          for (const unsigned int q : fe_values.quadrature_point_indices())
            {
              const double source = data.power_density(cell->material_id(), fe_values.quadrature_point(q));
              const double dx     = fe_values.JxW(q);
              for (unsigned int i = 0; i < n; ++i)
                {
                  const Tensor<1, dim> K_grad_i = K * fe_values.shape_grad(i, q);
                  for (unsigned int j = 0; j <= i; ++j)
                    cell_matrix(i, j) += K_grad_i * fe_values.shape_grad(j, q) * dx;
                  cell_rhs(i) += source * fe_values.shape_value(i, q) * dx;
                }
            }
          for (const unsigned int f : cell->face_indices())
            {
              const RobinBoundary<dim> *robin = robin_boundary_of(data, cell, f);
              if (!robin)
                continue;
              fe_face_values.reinit(cell, f);
              const double h = robin->h_w_m2k;
              for (const unsigned int q : fe_face_values.quadrature_point_indices())
                {
                  const double far =
                    robin->far_temperature_k(fe_face_values.quadrature_point(q)) - data.reference_temperature_k;
                  const double ds = fe_face_values.JxW(q);
                  for (unsigned int i = 0; i < n; ++i)
                    {
                      const double hv = h * fe_face_values.shape_value(i, q) * ds;
                      for (unsigned int j = 0; j <= i; ++j)
                        cell_matrix(i, j) += hv * fe_face_values.shape_value(j, q);
                      cell_rhs(i) += hv * far;
                    }
                }
            }
          for (unsigned int i = 0; i < n; ++i)
            for (unsigned int j = i + 1; j < n; ++j)
              cell_matrix(i, j) = cell_matrix(j, i);
          cell->get_dof_indices(dof_indices);
          constraints_.distribute_local_to_global(cell_matrix, cell_rhs, dof_indices, matrix_, rhs_);
        }
    matrix_.compress(VectorOperation::add);
    rhs_.compress(VectorOperation::add);
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::solve(const SolverSettings &settings)
  {
    TimerOutput::Scope scope(timer_, "solve");
    const MPI_Comm     comm = tria_.get_communicator();
    PETScWrappers::MPI::Vector x(locally_owned_, comm);

    LinearSolveReport report;
    report.initial_residual = rhs_.l2_norm();
    if (report.initial_residual == 0)
      throw NumericalError("the right-hand side is zero: no heat enters and every boundary is at the reference temperature");

    const LinearSolveReport cg_report = run_cg(rhs_, x, settings);
    report.iterations     = cg_report.iterations;
    report.final_residual = cg_report.final_residual;

    constraints_.distribute(x);
    // Back from the rise over the reference to absolute temperature.
    x.add(data_.reference_temperature_k);
    for (const auto i : locally_owned_)
      temperature_[i] = x[i];
    temperature_.update_ghost_values();
    indicator_.reset();

    double local_min = std::numeric_limits<double>::max();
    bool   finite    = true;
    for (const auto i : locally_owned_)
      {
        finite    = finite && std::isfinite(x[i]);
        local_min = std::min(local_min, double(x[i]));
      }
    const MPI_Comm c = tria_.get_communicator();
    if (Utilities::MPI::min(finite ? 1.0 : 0.0, c) == 0 || Utilities::MPI::min(local_min, c) <= 0)
      throw NumericalError("the solution is not physical (temperature not finite or below 0 K)");
    return report;
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::run_cg(const PETScWrappers::MPI::Vector &b, PETScWrappers::MPI::Vector &x,
                                             const SolverSettings &settings)
  {
    LinearSolveReport report;
    SolverControl                 control(settings.max_iterations, settings.relative_tolerance * b.l2_norm(),
                                          false, false);
    PETScWrappers::SolverCG       cg(control, tria_.get_communicator());
    PETScWrappers::PreconditionBoomerAMG::AdditionalData amg;
    amg.symmetric_operator               = true;
    amg.strong_threshold                 = settings.amg_strong_threshold;
    amg.aggressive_coarsening_num_levels = settings.amg_aggressive_levels;
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
    try
      {
        if (!amg_)
          amg_ = std::make_unique<PETScWrappers::PreconditionBoomerAMG>(matrix_, amg);
        cg.solve(matrix_, x, b, *amg_);
      }
    catch (const SolverControl::NoConvergence &e)
      {
        std::ostringstream s;
        s << "the linear solver (CG + BoomerAMG) did not converge: residual " << e.last_residual << " after "
          << e.last_step << " iterations, needed " << control.tolerance()
          << " (raise solver.max_iterations or relax solver.relative_tolerance)";
        throw NumericalError(s.str());
      }
    report.iterations     = control.last_step();
    report.final_residual = control.last_value();
    return report;
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::solve_dual(const std::function<double(types::material_id)> &goal_density,
                                                 const SolverSettings                           &settings)
  {
    TimerOutput::Scope scope(timer_, "solve");
    const MPI_Comm     comm = tria_.get_communicator();
    PETScWrappers::MPI::Vector b(locally_owned_, comm), z(locally_owned_, comm);
    const QGauss<dim>  quadrature(fe_.degree + 1);
    FEValues<dim>      fe_values(*mapping_, fe_, quadrature, update_values | update_JxW_values);
    const unsigned int n = fe_.n_dofs_per_cell();
    Vector<double>     cell_rhs(n);
    std::vector<types::global_dof_index> dof_indices(n);
    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const double w = goal_density(cell->material_id());
          if (w == 0)
            continue;
          fe_values.reinit(cell);
          cell_rhs = 0;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            for (unsigned int i = 0; i < n; ++i)
              cell_rhs(i) += w * fe_values.shape_value(i, q) * fe_values.JxW(q);
          cell->get_dof_indices(dof_indices);
          constraints_.distribute_local_to_global(cell_rhs, dof_indices, b);
        }
    b.compress(VectorOperation::add);
    const LinearSolveReport report = run_cg(b, z, settings);
    constraints_.distribute(z);
    dual_.reinit(locally_owned_, locally_relevant_, comm);
    for (const auto i : locally_owned_)
      dual_[i] = z[i];
    dual_.update_ghost_values();
    return report;
  }

  template <int dim>
  double HeatProblem<dim>::power_in_w() const
  {
    const QGauss<dim> quadrature(fe_.degree + 1);
    FEValues<dim>     fe_values(*mapping_, fe_, quadrature, update_quadrature_points | update_JxW_values);
    double            local = 0;
    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          for (const unsigned int q : fe_values.quadrature_point_indices())
            local += data_.power_density(cell->material_id(), fe_values.quadrature_point(q)) * fe_values.JxW(q);
        }
    return Utilities::MPI::sum(local, tria_.get_communicator());
  }

  template <int dim>
  double HeatProblem<dim>::heat_out_w() const
  {
    const QGauss<dim - 1> face_quadrature(fe_.degree + 1);
    FEFaceValues<dim>     fe_face_values(*mapping_, fe_, face_quadrature,
                                     update_values | update_quadrature_points | update_JxW_values);
    std::vector<double>   t(face_quadrature.size());
    double                local = 0;
    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (const RobinBoundary<dim> *robin = robin_boundary_of(data_, cell, f))
            {
              fe_face_values.reinit(cell, f);
              fe_face_values.get_function_values(temperature_, t);
              for (const unsigned int q : fe_face_values.quadrature_point_indices())
                local += robin->h_w_m2k * (t[q] - robin->far_temperature_k(fe_face_values.quadrature_point(q))) *
                         fe_face_values.JxW(q);
            }
    return Utilities::MPI::sum(local, tria_.get_communicator());
  }

  template <int dim>
  const Vector<float> &HeatProblem<dim>::error_indicator() const
  {
    if (!indicator_)
      indicator_ = estimate_flux_residual(dof_handler_, temperature_, data_, cartesian_);
    return *indicator_;
  }

  template class HeatProblem<3>;
} // namespace chiptherm::solver
