#include "heat_problem.h"

#include "owned_entries.h"
#include "source_integration.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_renumbering.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_cartesian.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/vector.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
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
  struct HeatProblem<dim>::CellTerms
  {
    CellTerms(const Mapping<dim> &mapping, const FE_Q<dim> &fe, bool matrices)
      : quadrature(fe.degree + 1)
      , face_quadrature(fe.degree + 1)
      , fe_values(mapping, fe, quadrature,
                  update_values | update_quadrature_points | update_JxW_values |
                    (matrices ? update_gradients : update_default))
      , fe_face_values(mapping, fe, face_quadrature, update_values | update_quadrature_points | update_JxW_values)
      , matrix(fe.n_dofs_per_cell(), fe.n_dofs_per_cell())
      , rhs(fe.n_dofs_per_cell())
      , slope(fe.n_dofs_per_cell())
      , t_now(quadrature.size())
      , dof_indices(fe.n_dofs_per_cell())
      , source(mapping, fe)
    {}
    const QGauss<dim>                    quadrature;
    const QGauss<dim - 1>                face_quadrature;
    FEValues<dim>                        fe_values;
    FEFaceValues<dim>                    fe_face_values;
    FullMatrix<double>                   matrix;
    Vector<double>                       rhs, slope; ///< F and the integral of q'(T*) phi_i
    double                               source_constant_w = 0; ///< integral of q(T*) - q'(T*) u*, W
    std::vector<double>                  t_now;
    std::vector<types::global_dof_index> dof_indices;
    SourceIntegrator                     source;
  };

  template <int dim>
  HeatProblem<dim>::HeatProblem(const parallel::distributed::Triangulation<dim> &tria, unsigned int degree,
                                TimerOutput &timer)
    : tria_(tria)
    , fe_(degree)
    , dof_handler_(tria)
    , timer_(timer)
  {}

  template <int dim>
  HeatProblem<dim>::~HeatProblem() = default;

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
    // Number DoFs along p4est's space-filling curve: the same mesh then gets the
    // same numbering however it was reached (refined step by step, or loaded
    // from a checkpoint), so a resumed run repeats the uninterrupted one.
    DoFRenumbering::hierarchical(dof_handler_);
    locally_owned_    = dof_handler_.locally_owned_dofs();
    locally_relevant_ = DoFTools::extract_locally_relevant_dofs(dof_handler_);

    constraints_.clear();
    constraints_.reinit(locally_relevant_);
    DoFTools::make_hanging_node_constraints(dof_handler_, constraints_);
    constraints_.close();
    distributor_ = std::make_unique<ConstraintDistributor>(constraints_, locally_owned_, locally_relevant_, comm);

    sparsity_.reinit(locally_relevant_.size(), locally_relevant_.size(), locally_relevant_);
    DoFTools::make_sparsity_pattern(dof_handler_, sparsity_, constraints_, false);
    SparsityTools::distribute_sparsity_pattern(sparsity_, locally_owned_, comm, locally_relevant_);
    matrix_.reinit(locally_owned_, locally_owned_, sparsity_, comm);
    ++stiffness_version_;
    source_slope_weights_.reinit(locally_owned_, comm);
    amg_.reset();
    rhs_.reinit(locally_owned_, comm);
    temperature_.reinit(locally_owned_, locally_relevant_, comm);
    temperature_set_ = false;
  }

  template <int dim>
  void HeatProblem<dim>::assemble(const HeatProblemData<dim> &data)
  {
    TimerOutput::Scope scope(timer_, "assemble");
    assemble_system(data, true);
  }

  template <int dim>
  void HeatProblem<dim>::assemble_rhs(const HeatProblemData<dim> &data)
  {
    TimerOutput::Scope scope(timer_, "assemble");
    assemble_system(data, false);
  }

  template <int dim>
  void HeatProblem<dim>::set_rhs(const HeatProblemData<dim>                               &data,
                                 const std::function<void(PETScWrappers::MPI::Vector &)> &add_rhs)
  {
    if (data.is_nonlinear())
      throw std::logic_error("HeatProblem::set_rhs: a temperature-dependent problem's F comes from its linearisation");
    TimerOutput::Scope scope(timer_, "assemble");
    data_ = data;
    rhs_  = 0;
    add_rhs(rhs_);
    rhs_.compress(VectorOperation::add);
  }

  template <int dim>
  void HeatProblem<dim>::relinearise()
  {
    if (!data_.is_nonlinear() || linearised_about_current_)
      return;
    TimerOutput::Scope         scope(timer_, "assemble");
    const HeatProblemData<dim> data = data_;
    assemble_system(data, true);
  }

  template <int dim>
  double HeatProblem<dim>::linearised_source_w(const PETScWrappers::MPI::Vector &u) const
  {
    return data_.temperature_source ? source_constant_w_ + source_slope_weights_ * u : 0.0;
  }

  template <int dim>
  void HeatProblem<dim>::assemble_cell(const HeatProblemData<dim> &data, bool matrices, CellTerms &c) const
  {
    const auto &fe_values = c.fe_values;
    const auto  id        = fe_values.get_cell()->material_id();
    const auto  K0        = matrices ? data.conductivity(id) : SymmetricTensor<2, dim>();
    // A nonlinear problem is linearised about the current temperature T*:
    // K(T*) u - q'(T*) u = q(T*) - q'(T*) u*  (Newton on the source, Picard on K).
    std::fill(c.t_now.begin(), c.t_now.end(), data.reference_temperature_k);
    if (data.is_nonlinear() && temperature_set_)
      fe_values.get_function_values(temperature_, c.t_now);
    const unsigned int n = fe_.n_dofs_per_cell();
    for (const unsigned int q : fe_values.quadrature_point_indices())
      {
        const Point<dim> &x      = fe_values.quadrature_point(q);
        double            source = 0, dq_dt = 0; // the fixed source: assemble_system
        if (data.temperature_source)
          {
            const auto [q_t, slope] = data.temperature_source(*fe_values.get_cell(), x, c.t_now[q]);
            dq_dt                   = slope;
            const double constant   = q_t - slope * (c.t_now[q] - data.reference_temperature_k);
            source += constant;
            c.source_constant_w += constant * fe_values.JxW(q);
          }
        const auto   K  = data.conductivity_factor && matrices ? K0 * data.conductivity_factor(id, c.t_now[q]) : K0;
        const double dx = fe_values.JxW(q);
        for (unsigned int i = 0; i < n; ++i)
          {
            const double phi_i = fe_values.shape_value(i, q);
            c.rhs(i) += source * phi_i * dx;
            if (!matrices)
              continue;
            c.slope(i) += dq_dt * phi_i * dx;
            const Tensor<1, dim> K_grad_i = K * fe_values.shape_grad(i, q);
            for (unsigned int j = 0; j <= i; ++j)
              c.matrix(i, j) +=
                (K_grad_i * fe_values.shape_grad(j, q) - dq_dt * phi_i * fe_values.shape_value(j, q)) * dx;
          }
      }
  }

  template <int dim>
  void HeatProblem<dim>::assemble_system(const HeatProblemData<dim> &data, bool matrices)
  {
    data_ = data;
    rhs_  = 0;
    if (matrices)
      {
        linearised_about_current_ = true;
        ++stiffness_version_;
        matrix_                   = 0;
        source_slope_weights_     = 0;
        amg_.reset();
      }
    CellTerms          c(*mapping_, fe_, matrices);
    const unsigned int n = fe_.n_dofs_per_cell();
    double             source_constant_w = 0;
    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          c.matrix = 0, c.rhs = 0, c.slope = 0, c.source_constant_w = 0;
          c.fe_values.reinit(cell);
          assemble_cell(data, matrices, c);
          c.source.add_to(data, cell, &c.rhs);
          source_constant_w += c.source_constant_w;
          // Convection: h (T - T_far) on Robin faces.
          for (const unsigned int f : cell->face_indices())
            if (const RobinBoundary<dim> *robin = robin_boundary_of(data, cell, f))
              {
                c.fe_face_values.reinit(cell, f);
                for (const unsigned int q : c.fe_face_values.quadrature_point_indices())
                  {
                    const double far = robin->far_temperature_k(c.fe_face_values.quadrature_point(q)) -
                                       data.reference_temperature_k;
                    for (unsigned int i = 0; i < n; ++i)
                      {
                        const double hv = robin->h_w_m2k * c.fe_face_values.shape_value(i, q) * c.fe_face_values.JxW(q);
                        c.rhs(i) += hv * far;
                        if (matrices)
                          for (unsigned int j = 0; j <= i; ++j)
                            c.matrix(i, j) += hv * c.fe_face_values.shape_value(j, q);
                      }
                  }
              }
          cell->get_dof_indices(c.dof_indices);
          if (!matrices)
            {
              constraints_.distribute_local_to_global(c.rhs, c.dof_indices, rhs_);
              continue;
            }
          for (unsigned int i = 0; i < n; ++i)
            for (unsigned int j = i + 1; j < n; ++j)
              c.matrix(i, j) = c.matrix(j, i);
          constraints_.distribute_local_to_global(c.matrix, c.rhs, c.dof_indices, matrix_, rhs_);
          if (data.temperature_source)
            source_slope_weights_.add(c.dof_indices, c.slope);
        }
    rhs_.compress(VectorOperation::add);
    if (matrices)
      {
        matrix_.compress(VectorOperation::add);
        source_slope_weights_.compress(VectorOperation::add);
      }
    source_constant_w_ = Utilities::MPI::sum(source_constant_w, tria_.get_communicator());
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::solve(const SolverSettings &settings)
  {
    TimerOutput::Scope         scope(timer_, "solve");
    PETScWrappers::MPI::Vector x = make_vector();
    LinearSolveReport          report;
    report.initial_residual = rhs_.l2_norm();
    if (report.initial_residual == 0)
      throw NumericalError("the right-hand side is zero: no heat enters and every boundary is at the reference temperature");
    const LinearSolveReport cg = solve_with_stiffness(rhs_, x, settings);
    report.iterations          = cg.iterations;
    report.final_residual      = cg.final_residual;
    set_temperature_rise(x);
    return report;
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::solve_with_stiffness(const PETScWrappers::MPI::Vector &b,
                                                           PETScWrappers::MPI::Vector &x, const SolverSettings &settings)
  {
    SolverControl control(settings.max_iterations, settings.relative_tolerance * b.l2_norm(), false, false);
    PETScWrappers::SolverCG cg(control, tria_.get_communicator());
    try
      {
        cg.solve(matrix_, x, b, stiffness_preconditioner(settings));
      }
    catch (const SolverControl::NoConvergence &e)
      {
        std::ostringstream s;
        s << "the linear solver (CG + BoomerAMG) did not converge: residual " << e.last_residual << " after "
          << e.last_step << " iterations, needed " << control.tolerance()
          << " (raise solver.max_iterations or relax solver.relative_tolerance)";
        throw NumericalError(s.str());
      }
    distribute_constraints(x);
    LinearSolveReport report;
    report.iterations     = control.last_step();
    report.final_residual = control.last_value();
    return report;
  }

  template <int dim>
  PETScWrappers::PreconditionBoomerAMG::AdditionalData HeatProblem<dim>::amg_data(const SolverSettings &settings)
  {
    PETScWrappers::PreconditionBoomerAMG::AdditionalData amg;
    amg.symmetric_operator               = true;
    amg.strong_threshold                 = settings.amg_strong_threshold;
    amg.aggressive_coarsening_num_levels = settings.amg_aggressive_levels;
    return amg;
  }

  template <int dim>
  const PETScWrappers::PreconditionBoomerAMG &HeatProblem<dim>::stiffness_preconditioner(const SolverSettings &settings)
  {
    if (!amg_)
      {
        set_amg_options(settings);
        amg_ = std::make_unique<PETScWrappers::PreconditionBoomerAMG>(matrix_, amg_data(settings));
      }
    return *amg_;
  }

  template <int dim>
  void HeatProblem<dim>::check_physical(const PETScWrappers::MPI::Vector &rise) const
  {
    const OwnedRange range = owned_range(rise);
    if (!range.finite || range.min + data_.reference_temperature_k <= 0)
      throw NumericalError("the solution is not physical (temperature not finite or below 0 K)");
    // Temperature-dependent problems past the ceiling are a thermal runaway, which
    // their solvers report with the block that drives it (runaway_ceiling_k).
    const double t_max_k = range.max + data_.reference_temperature_k;
    if (t_max_k > physical_range::max_temperature_k && !is_nonlinear())
      {
        char text[256];
        std::snprintf(text, sizeof text,
                      "the solution is not physical: it reaches %.4g C, above %.0f C (silicon melts at 1414 C); "
                      "check the powers and the cooling (film coefficients, sink) for a unit off by orders of magnitude",
                      kelvin_to_celsius(t_max_k), kelvin_to_celsius(physical_range::max_temperature_k));
        throw NumericalError(text);
      }
  }

  template <int dim>
  void HeatProblem<dim>::set_temperature_rise(const PETScWrappers::MPI::Vector &u)
  {
    check_physical(u);
    // Back from the rise over the reference to absolute temperature.
    copy_owned(u, data_.reference_temperature_k, temperature_);
    temperature_.update_ghost_values();
    temperature_set_          = true;
    linearised_about_current_ = false;
  }

  template <int dim>
  PETScWrappers::MPI::Vector HeatProblem<dim>::temperature_rise() const
  {
    PETScWrappers::MPI::Vector u = make_vector();
    copy_owned(temperature_, -data_.reference_temperature_k, u);
    return u;
  }

  template <int dim>
  PETScWrappers::MPI::Vector HeatProblem<dim>::make_vector() const
  {
    return PETScWrappers::MPI::Vector(locally_owned_, tria_.get_communicator());
  }

  template <int dim>
  LinearAlgebra::distributed::Vector<double> HeatProblem<dim>::make_ghosted_vector() const
  {
    return LinearAlgebra::distributed::Vector<double>(locally_owned_, locally_relevant_, tria_.get_communicator());
  }

  template class HeatProblem<3>;
} // namespace chiptherm::solver
