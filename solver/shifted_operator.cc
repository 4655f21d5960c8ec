#include "shifted_operator.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <algorithm>
#include <cmath>

namespace chiptherm::solver
{
  using namespace dealii;

  template <int dim>
  ShiftedOperator<dim>::ShiftedOperator(const HeatProblem<dim> &problem)
    : problem_(problem)
  {}

  template <int dim>
  void ShiftedOperator<dim>::reinit()
  {
    const auto &data = problem_.data();
    if (!data.heat_capacity)
      throw std::logic_error("ShiftedOperator: a transient problem needs HeatProblemData::heat_capacity");
    TimerOutput::Scope scope(problem_.timer(), "assemble");
    const MPI_Comm     comm  = problem_.mpi_communicator();
    const IndexSet     owned = problem_.dof_handler().locally_owned_dofs();
    mass_.reinit(owned, owned, problem_.sparsity_pattern(), comm);
    shifted_.reinit(owned, owned, problem_.sparsity_pattern(), comm);
    rung_matrix_.reinit(owned, owned, problem_.sparsity_pattern(), comm);
    capacity_weights_.reinit(owned, comm);
    constexpr double unknowns_in_all_hierarchies = 2.5e6;
    capacity_ = static_cast<unsigned int>(
      std::clamp(unknowns_in_all_hierarchies / double(problem_.dof_handler().n_dofs()), 1.0, 16.0));
    convection_weights_.reinit(owned, comm);
    reset();

    const auto           &fe = problem_.fe();
    const QGauss<dim>     quadrature(fe.degree + 1);
    const QGauss<dim - 1> face_quadrature(fe.degree + 1);
    FEValues<dim>         fe_values(problem_.mapping(), fe, quadrature, update_values | update_JxW_values);
    FEFaceValues<dim>     fe_face_values(problem_.mapping(), fe, face_quadrature,
                                     update_values | update_quadrature_points | update_JxW_values);
    const unsigned int    n = fe.n_dofs_per_cell();
    FullMatrix<double>    cell_mass(n, n);
    Vector<double>        cell_capacity(n), cell_convection(n);
    std::vector<types::global_dof_index> dof_indices(n);
    double                               far_w = 0;
    for (const auto &cell : problem_.dof_handler().active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell_mass = 0, cell_capacity = 0, cell_convection = 0;
          fe_values.reinit(cell);
          const double rho_c = data.heat_capacity(cell->material_id());
          for (const unsigned int q : fe_values.quadrature_point_indices())
            for (unsigned int i = 0; i < n; ++i)
              {
                const double phi_i = fe_values.shape_value(i, q), dx = fe_values.JxW(q);
                cell_capacity(i) += rho_c * phi_i * dx;
                for (unsigned int j = 0; j <= i; ++j)
                  cell_mass(i, j) += rho_c * phi_i * fe_values.shape_value(j, q) * dx;
              }
          for (unsigned int i = 0; i < n; ++i)
            for (unsigned int j = i + 1; j < n; ++j)
              cell_mass(i, j) = cell_mass(j, i);
          for (const unsigned int f : cell->face_indices())
            if (const RobinBoundary<dim> *robin = robin_boundary_of(data, cell, f))
              {
                fe_face_values.reinit(cell, f);
                for (const unsigned int q : fe_face_values.quadrature_point_indices())
                  {
                    const double h = robin->h_w_m2k, ds = fe_face_values.JxW(q);
                    const double far =
                      robin->far_temperature_k(fe_face_values.quadrature_point(q)) - data.reference_temperature_k;
                    far_w += h * far * ds;
                    for (unsigned int i = 0; i < n; ++i)
                      cell_convection(i) += h * fe_face_values.shape_value(i, q) * ds;
                  }
              }
          cell->get_dof_indices(dof_indices);
          problem_.constraints().distribute_local_to_global(cell_mass, dof_indices, mass_);
          capacity_weights_.add(dof_indices, cell_capacity);
          convection_weights_.add(dof_indices, cell_convection);
        }
    mass_.compress(VectorOperation::add);
    capacity_weights_.compress(VectorOperation::add);
    convection_weights_.compress(VectorOperation::add);
    convection_far_w_ = Utilities::MPI::sum(far_w, comm);

    ones_.reinit(owned, comm);
    for (const auto i : owned)
      if (!problem_.constraints().is_constrained(i))
        ones_[i] = 1.0;
    ones_.compress(VectorOperation::insert);
    mass_ones_.reinit(owned, comm);
    mass_.vmult(mass_ones_, ones_);
    ones_mass_ones_ = ones_ * mass_ones_;
    stiffness_ones_.reinit(owned, comm);
    stiffness_ones_version_ = problem_.stiffness_version() - 1;
  }

  template <int dim>
  void ShiftedOperator<dim>::correct_constant_mode(double c, const PETScWrappers::MPI::Vector &b,
                                                   PETScWrappers::MPI::Vector &x)
  {
    if (stiffness_ones_version_ != problem_.stiffness_version())
      {
        problem_.stiffness_matrix().vmult(stiffness_ones_, ones_);
        ones_stiffness_ones_    = ones_ * stiffness_ones_;
        stiffness_ones_version_ = problem_.stiffness_version();
      }
    // (M + c K) is symmetric: 1^T (M + c K) x = (M 1)^T x + c (K 1)^T x.
    const double defect = ones_ * b - (mass_ones_ * x + c * (stiffness_ones_ * x));
    x.add(defect / (ones_mass_ones_ + c * ones_stiffness_ones_), ones_);
  }

  template <int dim>
  LinearSolveReport ShiftedOperator<dim>::solve(double c, const PETScWrappers::MPI::Vector &b,
                                                PETScWrappers::MPI::Vector &x, const SolverSettings &settings)
  {
    TimerOutput::Scope scope(problem_.timer(), "solve");
    if (c != c_ || problem_.stiffness_version() != stiffness_version_)
      {
        // Same sparsity pattern for M, K and M + c K: values only, the Mat stays.
        shifted_.copy_from(mass_);
        if (MatAXPY(shifted_, c, problem_.stiffness_matrix(), SAME_NONZERO_PATTERN) != 0)
          throw NumericalError("PETSc failed to form M + c K for a time step");
        c_                 = c;
        stiffness_version_ = problem_.stiffness_version();
        ++builds_;
      }
    // The preconditioner for c is built from M + 2^k K, k = round(log2 c): a
    // fixed function of c (and K, and amg_rungs_), so a run resumed from a
    // checkpoint, starting with none, builds the same ones as the
    // uninterrupted run had.
    const int  rung    = rung_of(c);
    auto       kept    = kept_hierarchy(rung);
    const bool rebuild = kept == hierarchies_.end();
    if (rebuild)
      kept = keep_new(rung, settings.time_step_amg_only);
    kept->last_use = ++uses_;
    const bool icc = kept->solver->kind() == CgPreconditioner::incomplete_cholesky;
    LinearSolveReport report = kept->solver->solve(shifted_, b, x, settings, rebuild, rebuild ? &rung_matrix_ : nullptr,
                                                   icc ? icc_iteration_limit : 0);
    if (!report.converged)
      {
        // Too stiff for a local factor: BoomerAMG for this rung from now on,
        // going on from the iterate reached.
        amg_rungs_.push_back(rung);
        hierarchies_.erase(kept);
        kept                           = keep_new(rung, true);
        kept->last_use                 = uses_;
        const LinearSolveReport by_amg = kept->solver->solve(shifted_, b, x, settings, true, &rung_matrix_);
        report.iterations += by_amg.iterations;
        report.final_residual = by_amg.final_residual;
        report.converged      = true;
      }
    correct_constant_mode(c, b, x);
    problem_.distribute_constraints(x);
    return report;
  }

  template <int dim>
  auto ShiftedOperator<dim>::keep_new(int rung, bool amg_only) -> typename std::vector<Hierarchy>::iterator
  {
    if (hierarchies_.size() >= capacity_)
      hierarchies_.erase(std::min_element(hierarchies_.begin(), hierarchies_.end(),
                                          [](const Hierarchy &a, const Hierarchy &b) { return a.last_use < b.last_use; }));
    rung_matrix_.copy_from(mass_);
    if (MatAXPY(rung_matrix_, std::ldexp(1.0, rung), problem_.stiffness_matrix(), SAME_NONZERO_PATTERN) != 0)
      throw NumericalError("PETSc failed to form M + c K for a time step's preconditioner");
    const bool amg = amg_only || std::find(amg_rungs_.begin(), amg_rungs_.end(), rung) != amg_rungs_.end();
    ++(amg ? amg_builds_ : icc_builds_);
    hierarchies_.push_back(Hierarchy{
      rung, 0,
      std::make_unique<PreconditionedCg>("a time step",
                                         amg ? CgPreconditioner::boomeramg : CgPreconditioner::incomplete_cholesky)});
    return std::prev(hierarchies_.end());
  }

  template <int dim>
  int ShiftedOperator<dim>::rung_of(double c)
  {
    return static_cast<int>(std::lround(std::log2(c)));
  }

  template <int dim>
  auto ShiftedOperator<dim>::kept_hierarchy(int rung) -> typename std::vector<Hierarchy>::iterator
  {
    return std::find_if(hierarchies_.begin(), hierarchies_.end(), [rung](const Hierarchy &h) { return h.rung == rung; });
  }

  template <int dim>
  void ShiftedOperator<dim>::approximate_solve(double c, const PETScWrappers::MPI::Vector &b,
                                               PETScWrappers::MPI::Vector &x)
  {
    TimerOutput::Scope scope(problem_.timer(), "solve");
    const auto used = kept_hierarchy(rung_of(c));
    if (used == hierarchies_.end() || c != c_)
      throw std::logic_error("ShiftedOperator::approximate_solve without a solve() for this c just before");
    used->solver->approximate_inverse(shifted_, b, x);
    problem_.distribute_constraints(x);
  }

  template <int dim>
  void ShiftedOperator<dim>::reset()
  {
    hierarchies_.clear();
    c_ = -1;
  }

  template <int dim>
  void ShiftedOperator<dim>::stiffness_vmult(PETScWrappers::MPI::Vector &y, const PETScWrappers::MPI::Vector &x) const
  {
    problem_.stiffness_matrix().vmult(y, x);
  }

  template <int dim>
  void ShiftedOperator<dim>::mass_vmult(PETScWrappers::MPI::Vector &y, const PETScWrappers::MPI::Vector &x) const
  {
    mass_.vmult(y, x);
  }

  template <int dim>
  double ShiftedOperator<dim>::heat_capacity_j_k() const
  {
    double local = 0;
    for (const auto i : capacity_weights_.locally_owned_elements())
      local += capacity_weights_[i];
    return Utilities::MPI::sum(local, problem_.mpi_communicator());
  }

  template <int dim>
  double ShiftedOperator<dim>::stored_heat_j(const PETScWrappers::MPI::Vector &u) const
  {
    return capacity_weights_ * u;
  }

  template <int dim>
  double ShiftedOperator<dim>::heat_out_w(const PETScWrappers::MPI::Vector &u) const
  {
    return convection_weights_ * u - convection_far_w_;
  }

  template class ShiftedOperator<3>;
} // namespace chiptherm::solver
