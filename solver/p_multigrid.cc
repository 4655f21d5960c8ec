#include "p_multigrid.h"

#include "polynomial_transfer.h"

#include "common/errors.h"

#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/lac/precondition.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/vector_memory.h>
#include <deal.II/multigrid/mg_base.h>
#include <deal.II/multigrid/mg_matrix.h>
#include <deal.II/multigrid/multigrid.h>

#include <petscvec.h>

#include <sstream>

namespace chiptherm::solver
{
  using namespace dealii;
  using VectorType = PMultigridSolver::VectorType;

  namespace
  {
    /// Chebyshev over the level operator preconditioned by block Jacobi over
    /// lines of strongly coupled DoFs (line_jacobi.h): degree 3 over
    /// the top 1/30 of the spectrum, the rest is the coarser levels' job
    /// (degrees 2 to 6 and ranges 15 and 30 measured on the 10-block SoC with
    /// point Jacobi: the solve time varies by 15 %, this was the fastest;
    /// with the lines, on the example refined twice: degree 2 19 + 7 CG
    /// iterations, 3 13 + 5, 4 11 + 4, range 15 15 + 5, all no faster).
    /// The largest eigenvalue from 8 CG iterations (12 until 2026-12-07: the
    /// same iterations on every shipped example and the 1000-block floorplan
    /// but one cycle 16 -> 15, and 1-1.5 s less of a 14-16 s solve;
    /// docs/benchmarks.md).
    constexpr unsigned int chebyshev_degree          = 3;
    constexpr double       chebyshev_smoothing_range = 30;
    constexpr unsigned int eigenvalue_cg_iterations  = 8;

    /// The owned entries of a deal.II vector into a PETSc vector of the same
    /// ownership, and back (the Q1 level shares HeatProblem's DoF numbering).
    template <typename Number>
    void copy_owned(const LinearAlgebra::distributed::Vector<Number> &from, PETScWrappers::MPI::Vector &to)
    {
      PetscScalar *array = nullptr;
      VecGetArray(to, &array);
      for (unsigned int i = 0; i < from.locally_owned_size(); ++i)
        array[i] = from.local_element(i);
      VecRestoreArray(to, &array);
    }
    template <typename Number>
    void copy_owned(const PETScWrappers::MPI::Vector &from, LinearAlgebra::distributed::Vector<Number> &to)
    {
      const PetscScalar *array = nullptr;
      VecGetArrayRead(from, &array);
      for (unsigned int i = 0; i < to.locally_owned_size(); ++i)
        to.local_element(i) = Number(array[i]);
      VecRestoreArrayRead(from, &array);
    }

    /// The levels' vectors: single precision (p_multigrid.h).
    using LevelVector = LevelOperator::VectorType;

    /// The coarse level: one BoomerAMG V-cycle of the assembled Q1 matrix
    /// (the Q1 problem's, built on first use after each assembly of it).
    class AmgCoarseLevel : public MGCoarseGridBase<LevelVector>
    {
    public:
      AmgCoarseLevel(HeatProblem<3> &q1, const SolverSettings &settings)
        : q1_(q1)
        , settings_(settings)
        , in_(q1.make_vector())
        , out_(q1.make_vector())
      {}
      void operator()(const unsigned int, LevelVector &dst, const LevelVector &src) const override
      {
        copy_owned(src, in_);
        q1_.stiffness_preconditioner(settings_).vmult(out_, in_);
        copy_owned(out_, dst);
      }

    private:
      HeatProblem<3>                     &q1_;
      const SolverSettings                settings_;
      mutable PETScWrappers::MPI::Vector in_, out_;
    };
  } // namespace

  namespace
  {
    /// The level transfers as deal.II's Multigrid and PreconditionMG use
    /// them (MGTransferGlobalCoarsening's interface; polynomial_transfer.h says
    /// why not deal.II's own): level l + 1 is degree l + 2 on the same mesh.
    class PolynomialLevelTransfer : public MGTransferBase<LevelVector>
    {
    public:
      PolynomialLevelTransfer(const std::vector<std::unique_ptr<PolynomialTransfer>> &transfers,
                              std::function<void(unsigned int, LevelVector &)>        initialize)
        : transfers_(transfers)
        , initialize_(std::move(initialize))
      {}
      void prolongate(const unsigned int to_level, LevelVector &dst, const LevelVector &src) const override
      {
        dst = 0.f;
        prolongate_and_add(to_level, dst, src);
      }
      void prolongate_and_add(const unsigned int to_level, LevelVector &dst, const LevelVector &src) const override
      {
        transfers_[to_level]->prolongate_and_add(dst, src);
      }
      void restrict_and_add(const unsigned int from_level, LevelVector &dst, const LevelVector &src) const override
      {
        transfers_[from_level]->restrict_and_add(dst, src);
      }
      template <class InVector>
      void copy_to_mg(const DoFHandler<3> &, MGLevelObject<LevelVector> &dst, const InVector &src) const
      {
        for (unsigned int l = dst.min_level(); l <= dst.max_level(); ++l)
          {
            initialize_(l, dst[l]);
            if (l == dst.max_level())
              dst[l].copy_locally_owned_data_from(src);
          }
      }
      template <class OutVector>
      void copy_from_mg(const DoFHandler<3> &, OutVector &dst, const MGLevelObject<LevelVector> &src) const
      {
        dst.copy_locally_owned_data_from(src[src.max_level()]);
      }

    private:
      const std::vector<std::unique_ptr<PolynomialTransfer>> &transfers_; ///< index l: into level l
      std::function<void(unsigned int, LevelVector &)>        initialize_;
    };

    using ChebyshevSmoother = PreconditionChebyshev<LevelOperator, LevelVector, LineJacobi>;

    /// The levels' Chebyshev smoothers called directly: smoothing from zero is
    /// the polynomial's vmult, smoothing an iterate its step() from it. The
    /// same iterates as MGSmootherPrecondition with one step, which forms the
    /// residual and the correction in two vectors of its own per level.
    class ChebyshevLevels : public MGSmootherBase<LevelVector>
    {
    public:
      MGLevelObject<ChebyshevSmoother> levels;

      void clear() override { levels.resize(0, 0); }
      void smooth(const unsigned int level, LevelVector &u, const LevelVector &rhs) const override
      {
        levels[level].step(u, rhs);
      }
      void apply(const unsigned int level, LevelVector &u, const LevelVector &rhs) const override
      {
        levels[level].vmult(u, rhs);
      }
    };
  } // namespace

  /// Level objects shared by the solves at every degree; a Multigrid and its
  /// preconditioner per top degree, made on first use. Level l holds degree l + 1.
  struct PMultigridSolver::Hierarchy
  {
    using Transfer     = PolynomialLevelTransfer;
    using Precondition = PreconditionMG<3, LevelVector, Transfer>;

    Hierarchy(const std::vector<Level> &levels, const std::vector<std::unique_ptr<LevelOperator>> &operators,
              HeatProblem<3> &q1, const SolverSettings &settings)
      : max_level(static_cast<unsigned int>(levels.size() - 1))
      , level_operators(0, max_level)
      , transfers(max_level + 1)
      , coarse(q1, settings)
    {
      for (unsigned int l = 0; l <= max_level; ++l)
        level_operators[l] = std::shared_ptr<const LevelOperator>(operators[l].get(), [](const LevelOperator *) {});
      for (unsigned int l = 1; l <= max_level; ++l)
        transfers[l] = std::make_unique<PolynomialTransfer>(*levels[l].dofs, *levels[l].constraints,
                                                            *levels[l - 1].dofs, *levels[l - 1].constraints);
      transfer = std::make_unique<Transfer>(
        transfers, [this](const unsigned int l, LevelVector &v) { level_operators[l]->initialize_dof_vector(v); });
      smoother.levels.resize(0, max_level);
      for (unsigned int l = 0; l <= max_level; ++l)
        {
          ChebyshevSmoother::AdditionalData data;
          // Level 0 (Q1) is never smoothed (its coarse solve is the AMG V-cycle): its diagonal alone.
          data.preconditioner      = level_operators[l]->make_line_jacobi(l > 0 && settings.smoother_lines);
          data.smoothing_range     = chebyshev_smoothing_range;
          data.degree              = chebyshev_degree;
          data.eig_cg_n_iterations = eigenvalue_cg_iterations;
          smoother.levels[l].initialize(*level_operators[l], data);
        }
      matrices.initialize(level_operators);
      multigrids.resize(max_level + 1);
      preconditioners.resize(max_level + 1);
    }

    /// The preconditioner of a solve at level top.
    const Precondition &preconditioner(unsigned int top, const DoFHandler<3> &dofs)
    {
      if (!preconditioners[top])
        {
          multigrids[top] = std::make_unique<dealii::Multigrid<LevelVector>>(matrices, coarse, *transfer, smoother,
                                                                            smoother, 0, top);
          preconditioners[top] = std::make_unique<Precondition>(dofs, *multigrids[top], *transfer);
        }
      return *preconditioners[top];
    }

    const unsigned int                                           max_level;
    MGLevelObject<std::shared_ptr<const LevelOperator>>          level_operators; ///< not owning
    std::vector<std::unique_ptr<PolynomialTransfer>>             transfers; ///< index l: into level l
    std::unique_ptr<Transfer>                                    transfer;
    AmgCoarseLevel                                               coarse;
    mg::Matrix<LevelVector>                                      matrices;
    ChebyshevLevels                                              smoother;
    std::vector<std::unique_ptr<dealii::Multigrid<LevelVector>>> multigrids;
    std::vector<std::unique_ptr<Precondition>>                   preconditioners;
  };

  PMultigridSolver::PMultigridSolver(HeatProblem<3> &q1, const std::map<unsigned int, Level> &given,
                                     const HeatProblemData<3> &data, const LinearisationPoint &around,
                                     const SolverSettings &settings)
    : q1_(q1)
  {
    const unsigned int top = given.empty() ? 1 : given.rbegin()->first;
    if (top < 2 || q1.fe().degree != 1)
      throw std::logic_error("p-multigrid: expected levels of degree 2 or more above a Q1 problem");
    TimerOutput::Scope scope(q1.timer(), "setup");
    levels_.push_back({&q1.dof_handler(), &q1.constraints()});
    for (unsigned int degree = 2; degree <= top; ++degree)
      {
        const auto it = given.find(degree);
        if (it != given.end())
          {
            levels_.push_back(it->second);
            continue;
          }
        owned_dofs_.push_back(std::make_unique<DoFHandler<3>>(q1.dof_handler().get_triangulation()));
        owned_dofs_.back()->distribute_dofs(FE_Q<3>(degree));
        owned_constraints_.push_back(std::make_unique<AffineConstraints<double>>(
          DoFTools::extract_locally_relevant_dofs(*owned_dofs_.back())));
        DoFTools::make_hanging_node_constraints(*owned_dofs_.back(), *owned_constraints_.back());
        owned_constraints_.back()->close();
        levels_.push_back({owned_dofs_.back().get(), owned_constraints_.back().get()});
      }
    for (const auto &level : levels_)
      {
        // Q1 is solved by the assembled problem only: no double operator there.
        operators_.push_back(level.dofs == &q1.dof_handler()
                               ? nullptr
                               : create_heat_operator(q1.mapping(), *level.dofs, *level.constraints, data, around));
        level_operators_.push_back(create_level_operator(q1.mapping(), *level.dofs, *level.constraints, data, around));
      }
    q1.stiffness_preconditioner(settings); // built now: the setup's time
    hierarchy_ = std::make_unique<Hierarchy>(levels_, level_operators_, q1, settings);
  }

  PMultigridSolver::~PMultigridSolver() = default;

  void PMultigridSolver::relinearise(const HeatProblemData<3> &data, const LinearisationPoint &around)
  {
    TimerOutput::Scope scope(q1_.timer(), "setup");
    for (auto &op : operators_)
      if (op)
        op->relinearise(data, around);
    for (auto &op : level_operators_)
      op->relinearise(data, around);
  }

  void PMultigridSolver::prolongate(unsigned int from, const VectorType &x_from, unsigned int to,
                                    VectorType &x_to) const
  {
    VectorType current = x_from;
    for (unsigned int degree = from + 1; degree <= to; ++degree)
      {
        VectorType finer;
        operators_[degree - 1]->initialize_dof_vector(finer);
        current.update_ghost_values();
        hierarchy_->transfers[degree - 1]->prolongate_and_add(finer, current);
        current = std::move(finer);
      }
    x_to = std::move(current);
  }

  void PMultigridSolver::prolongate_from_q1(const PETScWrappers::MPI::Vector &u1, unsigned int to,
                                            VectorType &x_to) const
  {
    LevelVector layout;
    level_operators_[0]->initialize_dof_vector(layout);
    VectorType q1(layout.get_partitioner());
    copy_owned(u1, q1);
    prolongate(1, q1, to, x_to);
  }

  void PMultigridSolver::close_constant_mode(const HeatOperator &A, const VectorType &rhs, VectorType &x)
  {
    // x + c 1 with c = (1, rhs - A x) / (1, A 1): the Galerkin projection of the
    // error onto the constant function, so it never increases the energy-norm
    // error. Its equation (1, rhs - A x) = 0 is the energy balance (A 1 is the
    // Robin term alone, the right-hand side the power), which then closes to
    // rounding whatever the solve's tolerance. Constrained (hanging) entries
    // are 0 in A's results and in rhs, and are read from their masters.
    // From deal.II's pool: the CG solve just returned vectors of this layout there.
    GrowingVectorMemory<VectorType>   pool;
    VectorMemory<VectorType>::Pointer ones(pool), product(pool);
    A.initialize_dof_vector(*ones);
    A.initialize_dof_vector(*product);
    *ones = 1.0;
    A.vmult(*product, *ones);
    const double robin = *product * *ones;
    if (!(robin > 0))
      return; // no heat leaves through the constant (only adiabatic faces): nothing to balance
    A.vmult(*product, x);
    product->sadd(-1.0, 1.0, rhs);
    x.add((*product * *ones) / robin, *ones);
  }

  LinearSolveReport PMultigridSolver::solve(unsigned int degree, VectorType &x, const SolverSettings &settings,
                                            double reduction, const VectorType *alternative)
  {
    TimerOutput::Scope  scope(q1_.timer(), "solve");
    const HeatOperator &A = operator_of(degree);
    VectorType          rhs, r;
    A.assemble_rhs(rhs);
    // Stop at the requested residual, or when the residual of the first guess
    // has fallen by `reduction` (a first guess from a lower degree is close:
    // its error is what an estimate measures, and a fraction of it is enough).
    A.initialize_dof_vector(r);
    A.vmult(r, x);
    r.sadd(-1.0, 1.0, rhs);
    const double         guess_residual = r.l2_norm();
    const double         tolerance = std::max(settings.relative_tolerance * rhs.l2_norm(), reduction * guess_residual);
    bool                 warm      = false;
    if (alternative)
      {
        // Hanging-node entries do not enter A's results: any value there is inert.
        A.vmult(r, *alternative);
        r.sadd(-1.0, 1.0, rhs);
        if (r.l2_norm() < guess_residual)
          x = *alternative, warm = true;
      }
    SolverControl        control(settings.max_iterations, tolerance, false, false);
    SolverCG<VectorType> cg(control);
    try
      {
        cg.solve(A, x, rhs, hierarchy_->preconditioner(degree - 1, *levels_[degree - 1].dofs));
      }
    catch (const SolverControl::NoConvergence &e)
      {
        std::ostringstream s;
        s << "the p-multigrid solver (CG, Chebyshev smoothing, BoomerAMG on Q1) did not converge at degree " << degree
          << ": residual " << e.last_residual << " after " << e.last_step << " iterations, needed "
          << control.tolerance();
        throw NumericalError(s.str());
      }
    close_constant_mode(A, rhs, x);
    LinearSolveReport report;
    report.iterations     = control.last_step();
    report.final_residual = control.last_value();
    report.initial_residual = rhs.l2_norm();
    report.warm_start       = warm;
    return report;
  }
} // namespace chiptherm::solver
