#include "heat_problem.h"

#include "../common/errors.h"
#include "flux_residual_estimator.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_renumbering.h>
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
  HeatProblem<dim>::~HeatProblem() = default;

  template <int dim>
  void HeatProblem<dim>::setup(bool transient)
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

    DynamicSparsityPattern dsp(locally_relevant_);
    DoFTools::make_sparsity_pattern(dof_handler_, dsp, constraints_, false);
    SparsityTools::distribute_sparsity_pattern(dsp, locally_owned_, comm, locally_relevant_);
    matrix_.reinit(locally_owned_, locally_owned_, dsp, comm);
    transient_ = transient;
    if (transient)
      {
        mass_.reinit(locally_owned_, locally_owned_, dsp, comm);
        shifted_.reinit(locally_owned_, locally_owned_, dsp, comm);
        capacity_weights_.reinit(locally_owned_, comm);
        convection_weights_.reinit(locally_owned_, comm);
        source_slope_weights_.reinit(locally_owned_, comm);
        reset_shifted_solver();
      }
    amg_.reset();
    rhs_.reinit(locally_owned_, comm);
    temperature_.reinit(locally_owned_, locally_relevant_, comm);
    temperature_set_ = false;
  }

  template <int dim>
  void HeatProblem<dim>::assemble(const HeatProblemData<dim> &data)
  {
    TimerOutput::Scope scope(timer_, "assemble");
    assemble_system(data, true, true);
  }

  template <int dim>
  void HeatProblem<dim>::assemble_rhs(const HeatProblemData<dim> &data)
  {
    TimerOutput::Scope scope(timer_, "assemble");
    assemble_system(data, false, false);
  }

  template <int dim>
  void HeatProblem<dim>::relinearise()
  {
    if (!data_.is_nonlinear() || linearised_about_current_)
      return;
    TimerOutput::Scope scope(timer_, "assemble");
    const HeatProblemData<dim> data = data_;
    assemble_system(data, true, false); // M + c K changes; its hierarchy (shifted_amg_c_) stays
  }

  template <int dim>
  double HeatProblem<dim>::linearised_source_w(const PETScWrappers::MPI::Vector &u) const
  {
    return data_.temperature_source ? source_constant_w_ + source_slope_weights_ * u : 0.0;
  }

  template <int dim>
  void HeatProblem<dim>::assemble_system(const HeatProblemData<dim> &data, bool matrices, bool mass)
  {
    data_ = data;
    if (matrices)
      linearised_about_current_ = true;
    const bool with_mass = matrices && mass && transient_;
    const bool with_slope = matrices && transient_ && data.temperature_source;
    if (with_mass && !data.heat_capacity)
      throw std::logic_error("HeatProblem: a transient problem needs HeatProblemData::heat_capacity");
    rhs_ = 0;
    if (matrices)
      matrix_ = 0;
    if (matrices)
      shifted_c_ = -1; // M + c K is rebuilt from the new K at the next solve_shifted()
    if (with_mass)
      {
        mass_ = 0, capacity_weights_ = 0, convection_weights_ = 0;
        convection_far_w_ = 0;
        shifted_amg_c_ = -1; // and its hierarchy too
      }
    if (matrices)
      amg_.reset();
    if (with_slope)
      source_slope_weights_ = 0;

    const QGauss<dim>     quadrature(fe_.degree + 1);
    const QGauss<dim - 1> face_quadrature(fe_.degree + 1);
    const UpdateFlags     cell_flags = update_values | update_quadrature_points | update_JxW_values |
                                   (matrices ? update_gradients : update_default);
    // A nonlinear problem is linearised about the current temperature T*:
    // K(T*) u - q'(T*) u = q(T*) - q'(T*) u*  (Newton on the source, Picard on K).
    const bool          nonlinear = data.is_nonlinear();
    std::vector<double> t_now(quadrature.size(), data.reference_temperature_k);
    FEValues<dim>         fe_values(*mapping_, fe_, quadrature, cell_flags);
    FEFaceValues<dim>     fe_face_values(*mapping_, fe_, face_quadrature,
                                     update_values | update_quadrature_points | update_JxW_values);
    const unsigned int    n = fe_.n_dofs_per_cell();
    FullMatrix<double>    cell_matrix(n, n), cell_mass(n, n);
    Vector<double>        cell_rhs(n), cell_capacity(n), cell_convection(n), cell_slope(n);
    std::vector<types::global_dof_index> dof_indices(n);
    double                               far_w = 0, source_constant_w = 0;

    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell_matrix = 0, cell_mass = 0;
          cell_rhs = 0, cell_capacity = 0, cell_convection = 0, cell_slope = 0;
          fe_values.reinit(cell);
          const auto   id    = cell->material_id();
          const auto   K0    = matrices ? data.conductivity(id) : SymmetricTensor<2, dim>();
          const double rho_c = with_mass ? data.heat_capacity(id) : 0.0;
          if (nonlinear && temperature_set_)
            fe_values.get_function_values(temperature_, t_now);
          for (const unsigned int q : fe_values.quadrature_point_indices())
            {
              const Point<dim> &x      = fe_values.quadrature_point(q);
              double            source = data.power_density(id, x), dq_dt = 0;
              if (data.temperature_source)
                {
                  const auto [q_t, slope] = data.temperature_source(id, x, t_now[q]);
                  dq_dt                   = slope;
                  const double constant   = q_t - slope * (t_now[q] - data.reference_temperature_k);
                  source += constant;
                  source_constant_w += constant * fe_values.JxW(q);
                }
              const auto K = data.conductivity_factor && matrices ? K0 * data.conductivity_factor(id, t_now[q]) : K0;
              const double dx = fe_values.JxW(q);
              for (unsigned int i = 0; i < n; ++i)
                {
                  const double phi_i = fe_values.shape_value(i, q);
                  cell_rhs(i) += source * phi_i * dx;
                  if (with_slope)
                    cell_slope(i) += dq_dt * phi_i * dx;
                  if (!matrices)
                    continue;
                  const Tensor<1, dim> K_grad_i = K * fe_values.shape_grad(i, q);
                  for (unsigned int j = 0; j <= i; ++j)
                    cell_matrix(i, j) += (K_grad_i * fe_values.shape_grad(j, q) -
                                          dq_dt * phi_i * fe_values.shape_value(j, q)) * dx;
                  if (!with_mass)
                    continue;
                  cell_capacity(i) += rho_c * phi_i * dx;
                  for (unsigned int j = 0; j <= i; ++j)
                    cell_mass(i, j) += rho_c * phi_i * fe_values.shape_value(j, q) * dx;
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
                  far_w += h * far * ds;
                  for (unsigned int i = 0; i < n; ++i)
                    {
                      const double hv = h * fe_face_values.shape_value(i, q) * ds;
                      cell_rhs(i) += hv * far;
                      if (!matrices)
                        continue;
                      cell_convection(i) += hv;
                      for (unsigned int j = 0; j <= i; ++j)
                        cell_matrix(i, j) += hv * fe_face_values.shape_value(j, q);
                    }
                }
            }
          cell->get_dof_indices(dof_indices);
          if (!matrices)
            {
              constraints_.distribute_local_to_global(cell_rhs, dof_indices, rhs_);
              continue;
            }
          for (unsigned int i = 0; i < n; ++i)
            for (unsigned int j = i + 1; j < n; ++j)
              cell_matrix(i, j) = cell_matrix(j, i), cell_mass(i, j) = cell_mass(j, i);
          constraints_.distribute_local_to_global(cell_matrix, cell_rhs, dof_indices, matrix_, rhs_);
          if (with_mass)
            {
              constraints_.distribute_local_to_global(cell_mass, dof_indices, mass_);
              capacity_weights_.add(dof_indices, cell_capacity);
              convection_weights_.add(dof_indices, cell_convection);
            }
          if (with_slope)
            source_slope_weights_.add(dof_indices, cell_slope);
        }
    rhs_.compress(VectorOperation::add);
    if (matrices)
      matrix_.compress(VectorOperation::add);
    if (with_mass)
      {
        mass_.compress(VectorOperation::add);
        capacity_weights_.compress(VectorOperation::add);
        convection_weights_.compress(VectorOperation::add);
        convection_far_w_ = Utilities::MPI::sum(far_w, tria_.get_communicator());
      }
    if (with_slope)
      source_slope_weights_.compress(VectorOperation::add);
    source_constant_w_ = Utilities::MPI::sum(source_constant_w, tria_.get_communicator());
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::solve(const SolverSettings &settings)
  {
    if (data_.is_nonlinear())
      return solve_nonlinear(settings);
    TimerOutput::Scope scope(timer_, "solve");
    const MPI_Comm     comm = tria_.get_communicator();
    PETScWrappers::MPI::Vector x(locally_owned_, comm);

    LinearSolveReport report;
    report.initial_residual = rhs_.l2_norm();
    if (report.initial_residual == 0)
      throw NumericalError("the right-hand side is zero: no heat enters and every boundary is at the reference temperature");

    const LinearSolveReport cg_report = run_cg(matrix_, amg_, rhs_, x, settings);
    report.iterations     = cg_report.iterations;
    report.final_residual = cg_report.final_residual;

    constraints_.distribute(x);
    set_temperature_rise(x);
    return report;
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::solve_nonlinear(const SolverSettings &settings)
  {
    const MPI_Comm             comm = tria_.get_communicator();
    const HeatProblemData<dim> data = data_;
    PETScWrappers::MPI::Vector u    = temperature_set_ ? temperature_rise() : make_vector(), x = make_vector(),
                               step = make_vector(), a_step = make_vector();
    constexpr double           ceiling_k = 5000;
    LinearSolveReport          report;
    // One BoomerAMG hierarchy serves the iterations while CG stays within
    // slowdown x the iterations it took when the hierarchy was built (each
    // iterate's matrix differs from the last by k(T) and the leakage slope only).
    constexpr double slowdown = 1.5;
    unsigned int     iterations_when_built = 0;
    bool             rebuild               = true;
    for (unsigned int it = 1;; ++it)
      {
        if (it > 1)
          {
            TimerOutput::Scope scope(timer_, "assemble");
            assemble_system(data, true, false); // about the temperature of the last iterate (M stays)
          }
        TimerOutput::Scope scope(timer_, "solve");
        x = u; // the last iterate is a good first guess
        const LinearSolveReport cg = [&] {
          try
            {
              try
                {
                  return nonlinear_solver_.solve(matrix_, rhs_, x, settings, rebuild);
                }
              catch (const NumericalError &)
                {
                  if (rebuild)
                    throw;
                  // An old hierarchy may be the cause: once more with a fresh one.
                  x       = u;
                  rebuild = true;
                  return nonlinear_solver_.solve(matrix_, rhs_, x, settings, true);
                }
            }
          catch (const NumericalError &e)
            {
              nonlinear_solver_.reset();
              if (data.temperature_source)
                throw ThermalRunaway(std::string("thermal runaway: the linearised problem has no solution (") +
                                     e.what() + "): the temperature-dependent power grows faster than the package "
                                     "removes heat");
              throw;
            }
        }();
        if (rebuild)
          iterations_when_built = cg.iterations, ++report.amg_builds;
        rebuild = cg.iterations > slowdown * std::max(iterations_when_built, 1u);
        constraints_.distribute(x);
        step = x;
        step -= u;
        // Along the step, the linearised operator must stay positive: when the
        // source's growth dq/dT outweighs conduction and convection (loop gain
        // above one) it does not, and no steady state lies above.
        matrix_.vmult(a_step, step);
        const double curvature = step * a_step, change = step.linfty_norm();
        if (data.temperature_source && curvature <= 0 && change > settings.nonlinear_tolerance_k)
          throw ThermalRunaway("thermal runaway after " + std::to_string(it) +
                               " iterations: the loop gain of the temperature-dependent power exceeds one (the "
                               "linearised operator is no longer positive definite)");
        u = x;
        report.iterations           = cg.iterations;
        report.final_residual       = cg.final_residual;
        report.nonlinear_iterations = it;
        report.nonlinear_change_k   = change;
        double local_max = -1e300;
        for (const auto i : locally_owned_)
          local_max = std::max(local_max, double(u[i]));
        if (Utilities::MPI::max(local_max, comm) + data.reference_temperature_k > ceiling_k)
          throw ThermalRunaway("thermal runaway: the temperature passed " + std::to_string(int(ceiling_k)) +
                               " K after " + std::to_string(it) + " iterations");
        set_temperature_rise(u);
        if (change < settings.nonlinear_tolerance_k)
          break;
        if (it >= settings.nonlinear_max_iterations)
          throw NumericalError("the temperature-dependent problem did not converge in " + std::to_string(it) +
                               " iterations (last change " + std::to_string(change) +
                               " K; raise solver.nonlinear_max_iterations or solver.nonlinear_tolerance)");
      }
    // K and F stay linearised about the previous iterate (within the tolerance
    // of the solution; relinearise() updates them when a transient needs them).
    nonlinear_solver_.reset(); // its matrix copy and hierarchy: memory the next mesh needs
    return report;
  }

  template <int dim>
  void HeatProblem<dim>::check_physical(const PETScWrappers::MPI::Vector &rise) const
  {
    double local_min = std::numeric_limits<double>::max();
    bool   finite    = true;
    for (const auto i : locally_owned_)
      {
        finite    = finite && std::isfinite(rise[i]);
        local_min = std::min(local_min, double(rise[i]));
      }
    const MPI_Comm c = tria_.get_communicator();
    if (Utilities::MPI::min(finite ? 1.0 : 0.0, c) == 0 ||
        Utilities::MPI::min(local_min, c) + data_.reference_temperature_k <= 0)
      throw NumericalError("the solution is not physical (temperature not finite or below 0 K)");
  }

  template <int dim>
  void HeatProblem<dim>::set_temperature_rise(const PETScWrappers::MPI::Vector &u)
  {
    check_physical(u);
    // Back from the rise over the reference to absolute temperature.
    for (const auto i : locally_owned_)
      temperature_[i] = u[i] + data_.reference_temperature_k;
    temperature_.update_ghost_values();
    temperature_set_          = true;
    linearised_about_current_ = false;
    indicator_.reset();
  }

  template <int dim>
  PETScWrappers::MPI::Vector HeatProblem<dim>::temperature_rise() const
  {
    PETScWrappers::MPI::Vector u(locally_owned_, tria_.get_communicator());
    for (const auto i : locally_owned_)
      u[i] = temperature_[i] - data_.reference_temperature_k;
    u.compress(VectorOperation::insert);
    return u;
  }

  template <int dim>
  PETScWrappers::MPI::Vector HeatProblem<dim>::make_vector() const
  {
    return PETScWrappers::MPI::Vector(locally_owned_, tria_.get_communicator());
  }

  template <int dim>
  void HeatProblem<dim>::stiffness_vmult(PETScWrappers::MPI::Vector &y, const PETScWrappers::MPI::Vector &x) const
  {
    matrix_.vmult(y, x);
  }

  template <int dim>
  void HeatProblem<dim>::mass_vmult(PETScWrappers::MPI::Vector &y, const PETScWrappers::MPI::Vector &x) const
  {
    mass_.vmult(y, x);
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::solve_shifted(double c, const PETScWrappers::MPI::Vector &b,
                                                    PETScWrappers::MPI::Vector &x, const SolverSettings &settings)
  {
    TimerOutput::Scope scope(timer_, "solve");
    if (c != shifted_c_)
      {
        // Same sparsity pattern for M, K and M + c K: values only, the Mat stays.
        shifted_.copy_from(mass_);
        if (MatAXPY(shifted_, c, matrix_, SAME_NONZERO_PATTERN) != 0)
          throw NumericalError("PETSc failed to form M + c K for a time step");
        shifted_c_ = c;
        ++shifted_builds_;
      }
    const bool rebuild = !shifted_solver_.has_hierarchy() || c > 2 * shifted_amg_c_ || c < 0.5 * shifted_amg_c_;
    if (rebuild)
      shifted_amg_c_ = c, ++shifted_amg_builds_;
    const LinearSolveReport report = shifted_solver_.solve(shifted_, b, x, settings, rebuild);
    constraints_.distribute(x);
    return report;
  }

  template <int dim>
  double HeatProblem<dim>::stored_heat_j(const PETScWrappers::MPI::Vector &u) const
  {
    return capacity_weights_ * u;
  }

  template <int dim>
  void HeatProblem<dim>::reset_shifted_solver()
  {
    shifted_solver_.reset();
    shifted_c_ = shifted_amg_c_ = -1;
  }

  template <int dim>
  double HeatProblem<dim>::heat_capacity_j_k() const
  {
    double local = 0;
    for (const auto i : locally_owned_)
      local += capacity_weights_[i];
    return Utilities::MPI::sum(local, tria_.get_communicator());
  }

  template <int dim>
  double HeatProblem<dim>::heat_out_w(const PETScWrappers::MPI::Vector &u) const
  {
    return convection_weights_ * u - convection_far_w_;
  }

  template <int dim>
  LinearSolveReport HeatProblem<dim>::run_cg(const PETScWrappers::MPI::SparseMatrix                 &matrix,
                                             std::unique_ptr<PETScWrappers::PreconditionBoomerAMG> &amg_ptr,
                                             const PETScWrappers::MPI::Vector &b, PETScWrappers::MPI::Vector &x,
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
    set_amg_options(settings);
    try
      {
        if (!amg_ptr)
          amg_ptr = std::make_unique<PETScWrappers::PreconditionBoomerAMG>(matrix, amg);
        cg.solve(matrix, x, b, *amg_ptr);
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
    const LinearSolveReport report = run_cg(matrix_, amg_, b, z, settings);
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
    double total = Utilities::MPI::sum(local, tria_.get_communicator());
    for (const double w : temperature_source_w())
      total += w;
    return total;
  }

  template <int dim>
  std::vector<double> HeatProblem<dim>::temperature_source_w() const
  {
    if (!data_.temperature_source)
      return {};
    const QGauss<dim>   quadrature(fe_.degree + 1);
    FEValues<dim>       fe_values(*mapping_, fe_, quadrature, update_values | update_quadrature_points | update_JxW_values);
    std::vector<double> t(quadrature.size()), by_id;
    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values.get_function_values(temperature_, t);
          const auto id = cell->material_id();
          if (by_id.size() <= id)
            by_id.resize(id + 1, 0.0);
          for (const unsigned int q : fe_values.quadrature_point_indices())
            by_id[id] += data_.temperature_source(id, fe_values.quadrature_point(q), t[q]).first * fe_values.JxW(q);
        }
    const MPI_Comm comm = tria_.get_communicator();
    by_id.resize(static_cast<std::size_t>(Utilities::MPI::max(double(by_id.size()), comm)), 0.0);
    Utilities::MPI::sum(by_id, comm, by_id);
    return by_id;
  }

  template <int dim>
  double HeatProblem<dim>::heat_out_w() const
  {
    double sum = 0;
    for (const auto &[id, w] : heat_out_by_boundary_w())
      sum += w;
    return sum;
  }

  template <int dim>
  std::map<unsigned int, double> HeatProblem<dim>::heat_out_by_boundary_w() const
  {
    const QGauss<dim - 1> face_quadrature(fe_.degree + 1);
    FEFaceValues<dim>     fe_face_values(*mapping_, fe_, face_quadrature,
                                     update_values | update_quadrature_points | update_JxW_values);
    std::vector<double>   t(face_quadrature.size());
    std::map<unsigned int, double> by_id;
    for (const auto &[id, robin] : data_.robin)
      by_id[id] = 0;
    for (const auto &cell : dof_handler_.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (const RobinBoundary<dim> *robin = robin_boundary_of(data_, cell, f))
            {
              fe_face_values.reinit(cell, f);
              fe_face_values.get_function_values(temperature_, t);
              double &out = by_id[cell->face(f)->boundary_id()];
              for (const unsigned int q : fe_face_values.quadrature_point_indices())
                out += robin->h_w_m2k * (t[q] - robin->far_temperature_k(fe_face_values.quadrature_point(q))) *
                       fe_face_values.JxW(q);
            }
    for (auto &[id, w] : by_id)
      w = Utilities::MPI::sum(w, tria_.get_communicator());
    return by_id;
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
