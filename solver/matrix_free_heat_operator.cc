#include "matrix_free_heat_operator.h"

#include "line_blocks.h"
#include "source_integration.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/matrix_free/fe_evaluation.h>
#include <deal.II/matrix_free/matrix_free.h>
#include <deal.II/matrix_free/tools.h>
#ifdef CHIPTHERM_SIMD_MATRIX_FREE
// VectorizedArray<double> is wider here than in the library (cmake/
// simd_matrix_free.cmake): MatrixFree's own code is instantiated in this file.
#  include <deal.II/matrix_free/mapping_info.templates.h>
#  include <deal.II/matrix_free/mapping_info_storage.templates.h>
#  include <deal.II/matrix_free/matrix_free.templates.h>
#  include <deal.II/matrix_free/shape_info.templates.h>
#endif

#include <algorithm>
#include <limits>
#include <numeric>
#include <type_traits>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// One lane's point of a batch of quadrature points.
    template <typename VA>
    Point<3> lane_point(const Point<3, VA> &x, unsigned int lane)
    {
      Point<3> p;
      for (unsigned int d = 0; d < 3; ++d)
        p[d] = x[d][lane];
      return p;
    }

    template <int degree, typename Number>
    class MatrixFreeHeatOperator : public HeatOperatorOf<Number>
    {
    public:
      using VectorType = typename HeatOperatorOf<Number>::VectorType;
      using VA         = VectorizedArray<Number>;
      using CellEval   = FEEvaluation<3, degree, degree + 1, 1, Number>;
      using FaceEval   = FEFaceEvaluation<3, degree, degree + 1, 1, Number>;

      MatrixFreeHeatOperator(const Mapping<3> &mapping, const DoFHandler<3> &dofs,
                             const AffineConstraints<double> &constraints, const HeatProblemData<3> &data,
                             const LinearisationPoint &around)
        : data_(data)
        , mapping_(&mapping)
        , constraints_(&constraints)
      {
        typename MatrixFree<3, Number>::AdditionalData additional;
        additional.tasks_parallel_scheme = MatrixFree<3, Number>::AdditionalData::none;
        // No points on cells: nothing evaluates a coefficient there (a
        // temperature-dependent one comes from FEValues). On convective faces
        // the far field is a function of the point, in the right-hand side
        // only, which level operators have not.
        additional.mapping_update_flags                = update_gradients | update_JxW_values;
        additional.mapping_update_flags_boundary_faces = update_values | update_JxW_values;
        if constexpr (std::is_same_v<Number, double>)
          additional.mapping_update_flags_boundary_faces |= update_quadrature_points;
        matrix_free_.reinit(mapping, dofs, constraints, QGauss<1>(degree + 1), additional);
        const QGauss<3> quadrature(degree + 1); // tensor order, as FEEvaluation's points
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          weights_.push_back(quadrature.weight(q));
        set_cell_coefficients(mapping, around);
        set_merged_coefficients();
      }

      void vmult(VectorType &dst, const VectorType &src) const override
      {
        matrix_free_.loop(&MatrixFreeHeatOperator::cell_range, &MatrixFreeHeatOperator::inner_faces,
                          &MatrixFreeHeatOperator::boundary_range, this, dst, src, true,
                          MatrixFree<3, Number>::DataAccessOnFaces::values,
                          MatrixFree<3, Number>::DataAccessOnFaces::values);
      }

      void initialize_dof_vector(VectorType &v) const override { matrix_free_.initialize_dof_vector(v); }

      void compute_inverse_diagonal(VectorType &inverse_diagonal) const override
      {
        compute_diagonal(inverse_diagonal);
        for (auto &d : inverse_diagonal)
          d = std::abs(d) > std::numeric_limits<Number>::min() ? Number(1) / d : Number(1);
      }

      std::shared_ptr<LineJacobi> make_line_jacobi(bool with_lines) const override
      {
        std::shared_ptr<LineJacobi> lines;
        if (with_lines && separable())
          lines = line_blocks();
        else
          {
            VectorType diagonal;
            compute_diagonal(diagonal);
            LineJacobi::VectorType diagonal_in_double;
            matrix_free_.initialize_dof_vector(diagonal_in_double);
            diagonal_in_double.copy_locally_owned_data_from(diagonal);
            lines = std::make_shared<LineJacobi>(diagonal_in_double);
          }
        lines->factorize();
        return lines;
      }

      void relinearise(const HeatProblemData<3> &data, const LinearisationPoint &around) override
      {
        data_ = data;
        set_cell_coefficients(*mapping_, around); // K per cell is unchanged: so are the merged coefficients
      }

      void assemble_rhs(VectorType &rhs) const override
      {
        // A level operator only preconditions: the right-hand side is the double operator's.
        if constexpr (!std::is_same_v<Number, double>)
          throw std::logic_error("a single-precision level operator has no right-hand side");
        matrix_free_.initialize_dof_vector(rhs);
        if (!source_constant_.empty()) // the linearised temperature-dependent source
          {
            CellEval phi(matrix_free_);
            for (unsigned int batch = 0; batch < matrix_free_.n_cell_batches(); ++batch)
              {
                phi.reinit(batch);
                for (const unsigned int q : phi.quadrature_point_indices())
                  phi.submit_value(source_constant_[batch * phi.n_q_points + q], q);
                phi.integrate_scatter(EvaluationFlags::values, rhs);
              }
          }
        if constexpr (std::is_same_v<Number, double>)
          add_source_rhs(matrix_free_.get_dof_handler(), *mapping_, *constraints_, data_, rhs);
        add_far_field(rhs);
        rhs.compress(VectorOperation::add);
      }

      types::global_dof_index m() const override { return matrix_free_.get_dof_handler().n_dofs(); }

    private:
      /// Conductivity (per cell, or per quadrature point when k depends on T),
      /// the leakage slope and the linearised source constant per quadrature point.
      void set_cell_coefficients(const Mapping<3> &mapping, const LinearisationPoint &around)
      {
        const unsigned int n_batches = matrix_free_.n_cell_batches();
        const unsigned int n_q       = Utilities::pow(degree + 1, 3);
        const bool         nonlinear = data_.is_nonlinear() && around.temperature;
        if (data_.is_nonlinear() && !around.temperature)
          throw std::logic_error("a matrix-free operator of a temperature-dependent problem needs a temperature");
        conductivity_.assign(n_batches, SymmetricTensor<2, 3, VA>());
        conductivity_factor_.clear(), slope_.clear(), source_constant_.clear();
        if (nonlinear && data_.conductivity_factor)
          conductivity_factor_.assign(std::size_t(n_batches) * n_q, VA(1.0));
        if (nonlinear && data_.temperature_source)
          slope_.resize(n_batches * n_q), source_constant_.resize(n_batches * n_q);
        std::unique_ptr<FEValues<3>> around_values;
        if (nonlinear)
          around_values = std::make_unique<FEValues<3>>(mapping, around.dofs->get_fe(), QGauss<3>(degree + 1),
                                                        update_values | update_quadrature_points);
        std::vector<double> t(n_q, data_.reference_temperature_k);
        for (unsigned int batch = 0; batch < n_batches; ++batch)
          for (unsigned int lane = 0; lane < matrix_free_.n_active_entries_per_cell_batch(batch); ++lane)
            {
              const auto cell                = matrix_free_.get_cell_iterator(batch, lane);
              const auto id                  = cell->material_id();
              set_lane(conductivity_[batch], data_.conductivity(id), lane);
              if (!nonlinear)
                continue;
              const typename DoFHandler<3>::active_cell_iterator at(&cell->get_triangulation(), cell->level(),
                                                                    cell->index(), around.dofs);
              around_values->reinit(at);
              around_values->get_function_values(*around.temperature, t);
              for (unsigned int q = 0; q < n_q; ++q)
                {
                  if (data_.conductivity_factor)
                    conductivity_factor_[batch * n_q + q][lane] = data_.conductivity_factor(id, t[q]);
                  if (!data_.temperature_source)
                    continue;
                  const auto [q_t, dq_dt] = data_.temperature_source(*cell, around_values->quadrature_point(q), t[q]);
                  slope_[batch * n_q + q][lane] = dq_dt;
                  source_constant_[batch * n_q + q][lane] = q_t - dq_dt * (t[q] - data_.reference_temperature_k);
                }
            }
      }

      bool separable() const
      {
        return std::all_of(merged_.begin(), merged_.end(), [](const auto &m) { return m.cartesian; });
      }

      /// The cell terms' diagonal (constrained entries 0).
      void compute_diagonal(VectorType &diagonal) const
      {
        matrix_free_.initialize_dof_vector(diagonal);
        if (separable())
          add_separable_diagonal(diagonal);
        else
          MatrixFreeTools::compute_diagonal(matrix_free_, diagonal, &MatrixFreeHeatOperator::local_apply, this);
      }

      /// The mean of k's factor and of the leakage slope over a cell batch
      /// (1 and 0 for a temperature-independent problem).
      std::pair<VA, VA> batch_factor_and_slope(unsigned int batch) const
      {
        const unsigned int n_q    = Utilities::pow(degree + 1, 3);
        VA                 factor = 1.0, slope = 0.0;
        if (!conductivity_factor_.empty())
          factor = std::accumulate(&conductivity_factor_[batch * n_q], &conductivity_factor_[batch * n_q] + n_q,
                                   VA(0.0)) / Number(n_q);
        if (!slope_.empty())
          slope = std::accumulate(&slope_[batch * n_q], &slope_[batch * n_q] + n_q, VA(0.0)) / Number(n_q);
        return {factor, slope};
      }

      /// The smoothers' line blocks (line_blocks.h) from the merged coefficients.
      std::shared_ptr<LineJacobi> line_blocks() const
      {
        const auto         lexicographic = FETools::lexicographic_to_hierarchic_numbering<3>(degree);
        const unsigned int n_cell_dofs   = lexicographic.size();
        std::vector<types::global_dof_index> indices(n_cell_dofs);
        const SeparableCells cells = [&](const std::function<void(const SeparableCell &)> &visit) {
          SeparableCell cell;
          cell.dofs.resize(n_cell_dofs);
          for (unsigned int batch = 0; batch < matrix_free_.n_cell_batches(); ++batch)
            {
              const auto [factor, slope] = batch_factor_and_slope(batch);
              const auto &m              = merged_[batch];
              for (unsigned int lane = 0; lane < matrix_free_.n_active_entries_per_cell_batch(batch); ++lane)
                {
                  const auto it = matrix_free_.get_cell_iterator(batch, lane);
                  it->get_dof_indices(indices);
                  for (unsigned int i = 0; i < n_cell_dofs; ++i)
                    cell.dofs[i] = indices[lexicographic[i]];
                  cell.origin = it->vertex(0);
                  cell.extent = {{it->vertex(1)[0] - cell.origin[0], it->vertex(2)[1] - cell.origin[1],
                                  it->vertex(4)[2] - cell.origin[2]}};
                  cell.factor = factor[lane], cell.slope = slope[lane], cell.det = m.det[lane];
                  cell.c      = {{m.c[0][lane], m.c[1][lane], m.c[2][lane]}};
                  visit(cell);
                }
            }
        };
        LineJacobi::VectorType diagonal;
        matrix_free_.initialize_dof_vector(diagonal);
        return assemble_line_blocks(degree, cells, matrix_free_.get_dof_handler().locally_owned_dofs(), *constraints_,
                                    diagonal);
      }

      /// The cell terms' diagonal where every cell is an axis-aligned box with
      /// a diagonal conductivity: on such a cell
      /// a_ii = sum_d c_d K1[i_d] prod_(e != d) M1[i_e], with K1 and M1 the
      /// diagonals of the 1D reference stiffness and mass at the quadrature
      /// (no column-by-column application: compute_diagonal applies the cell
      /// operator dofs_per_cell times, 5 of the 10 s of setup at 3 M Q3
      /// unknowns). It is the smoother's diagonal, so approximations that keep
      /// it within a few per cent do: a hanging node's share goes to its
      /// masters linearly, and a temperature-dependent k and leakage slope
      /// enter with their cell means (exact otherwise).
      void add_separable_diagonal(VectorType &diagonal) const
      {
        constexpr unsigned int    n = degree + 1;
        const ReferenceMatrices1D r(degree);
        CellEval                  phi(matrix_free_);
        for (unsigned int batch = 0; batch < matrix_free_.n_cell_batches(); ++batch)
          {
            phi.reinit(batch);
            const auto [factor, slope] = batch_factor_and_slope(batch);
            const auto &m              = merged_[batch];
            for (unsigned int i2 = 0, i = 0; i2 < n; ++i2)
              for (unsigned int i1 = 0; i1 < n; ++i1)
                for (unsigned int i0 = 0; i0 < n; ++i0, ++i)
                  phi.begin_dof_values()[i] =
                    factor * (m.c[0] * (r.k(i0, i0) * r.m(i1, i1) * r.m(i2, i2)) +
                              m.c[1] * (r.m(i0, i0) * r.k(i1, i1) * r.m(i2, i2)) +
                              m.c[2] * (r.m(i0, i0) * r.m(i1, i1) * r.k(i2, i2))) -
                    slope * m.det * (r.m(i0, i0) * r.m(i1, i1) * r.m(i2, i2));
            phi.distribute_local_to_global(diagonal);
          }
        diagonal.compress(VectorOperation::add);
      }

      /// On an axis-aligned box cell with a diagonal conductivity, the
      /// gradient term at a quadrature point is grad_ref_d * c_d * w_q (times
      /// k's factor): c_d = K_dd J^-1_dd^2 det J for the cell, w_q the
      /// quadrature weight. Found per batch; other batches take the general path.
      void set_merged_coefficients()
      {
        const unsigned int n_batches = matrix_free_.n_cell_batches();
        merged_.assign(n_batches, MergedCell{});
        CellEval phi(matrix_free_);
        for (unsigned int batch = 0; batch < n_batches; ++batch)
          {
            phi.reinit(batch);
            const auto &K        = conductivity_[batch];
            bool        diagonal = true;
            for (unsigned int lane = 0; lane < VA::size(); ++lane)
              diagonal = diagonal && K[0][1][lane] == 0 && K[0][2][lane] == 0 && K[1][2][lane] == 0;
            if (phi.get_cell_type() != internal::MatrixFreeFunctions::cartesian || !diagonal)
              continue;
            const auto inverse_jacobian = phi.inverse_jacobian(0);
            const VA   det              = phi.JxW(0) / weights_[0];
            merged_[batch].cartesian    = true;
            merged_[batch].det          = det;
            for (unsigned int d = 0; d < 3; ++d)
              merged_[batch].c[d] = K[d][d] * inverse_jacobian[d][d] * inverse_jacobian[d][d] * det;
          }
      }

      static void set_lane(SymmetricTensor<2, 3, VA> &target, const SymmetricTensor<2, 3> &value, unsigned int lane)
      {
        for (unsigned int i = 0; i < 3; ++i)
          for (unsigned int j = i; j < 3; ++j)
            target[i][j][lane] = value[i][j];
      }

      /// (K grad u, grad v) - (q' u, v) on the cell batch phi holds (values at its dofs).
      void local_apply(CellEval &phi) const
      {
        const unsigned int batch    = phi.get_current_cell_index();
        const unsigned int n_q      = phi.n_q_points;
        const bool         reaction = !slope_.empty();
        const bool         per_q    = !conductivity_factor_.empty();
        const auto flags = reaction ? EvaluationFlags::gradients | EvaluationFlags::values : EvaluationFlags::gradients;
        phi.evaluate(flags);
        if (merged_[batch].cartesian)
          {
            // Reference gradients (and values) scaled in place: what
            // get_gradient, K * and submit_gradient do on such a cell.
            const MergedCell &m    = merged_[batch];
            VA               *grad = phi.begin_gradients();
            VA               *val  = phi.begin_values();
            for (unsigned int q = 0; q < n_q; ++q)
              {
                const VA w = per_q ? weights_[q] * conductivity_factor_[batch * n_q + q] : VA(weights_[q]);
                for (unsigned int d = 0; d < 3; ++d)
                  grad[d * n_q + q] *= m.c[d] * w;
                if (reaction)
                  val[q] *= -slope_[batch * n_q + q] * m.det * weights_[q];
              }
          }
        else
          for (unsigned int q = 0; q < n_q; ++q)
            {
              const auto &K = conductivity_[batch];
              const VA    f = per_q ? conductivity_factor_[batch * n_q + q] : VA(1.0);
              phi.submit_gradient(f * (K * phi.get_gradient(q)), q);
              if (reaction)
                phi.submit_value(-slope_[batch * n_q + q] * phi.get_value(q), q);
            }
        phi.integrate(flags);
      }

      void cell_range(const MatrixFree<3, Number> &, VectorType &dst, const VectorType &src,
                      const std::pair<unsigned int, unsigned int> &range) const
      {
        CellEval phi(matrix_free_);
        for (unsigned int batch = range.first; batch < range.second; ++batch)
          {
            phi.reinit(batch);
            phi.read_dof_values(src);
            local_apply(phi);
            phi.distribute_local_to_global(dst);
          }
      }

      void inner_faces(const MatrixFree<3, Number> &, VectorType &, const VectorType &,
                       const std::pair<unsigned int, unsigned int> &) const
      {} // continuous elements: nothing on interior faces

      /// <h u, v> on convective faces.
      void boundary_range(const MatrixFree<3, Number> &, VectorType &dst, const VectorType &src,
                          const std::pair<unsigned int, unsigned int> &range) const
      {
        FaceEval phi(matrix_free_, true);
        for (unsigned int face = range.first; face < range.second; ++face)
          {
            const auto robin = data_.robin.find(matrix_free_.get_boundary_id(face));
            if (robin == data_.robin.end())
              continue;
            phi.reinit(face);
            phi.gather_evaluate(src, EvaluationFlags::values);
            for (const unsigned int q : phi.quadrature_point_indices())
              phi.submit_value(robin->second.h_w_m2k * phi.get_value(q), q);
            phi.integrate_scatter(EvaluationFlags::values, dst);
          }
      }

      /// <h (T_far - reference), v> on convective faces, into rhs.
      void add_far_field(VectorType &rhs) const
      {
        FaceEval           phi(matrix_free_, true);
        const unsigned int first = matrix_free_.n_inner_face_batches();
        for (unsigned int face = first; face < first + matrix_free_.n_boundary_face_batches(); ++face)
          {
            const auto robin = data_.robin.find(matrix_free_.get_boundary_id(face));
            if (robin == data_.robin.end())
              continue;
            phi.reinit(face);
            const unsigned int lanes = matrix_free_.n_active_entries_per_face_batch(face);
            for (const unsigned int q : phi.quadrature_point_indices())
              {
                VA         far = 0;
                const auto x   = phi.quadrature_point(q);
                for (unsigned int lane = 0; lane < lanes; ++lane)
                  far[lane] = robin->second.far_temperature_k(lane_point(x, lane)) - data_.reference_temperature_k;
                phi.submit_value(robin->second.h_w_m2k * far, q);
              }
            phi.integrate_scatter(EvaluationFlags::values, rhs);
          }
      }

      MatrixFree<3, Number>                                    matrix_free_;
      HeatProblemData<3>                                       data_;
      const Mapping<3>                                        *mapping_;
      const AffineConstraints<double>                         *constraints_;
      /// The merged gradient coefficients of an axis-aligned box cell batch.
      struct MergedCell
      {
        bool cartesian = false;
        VA   c[3];
        VA   det;
      };

      std::vector<SymmetricTensor<2, 3, VA>>                   conductivity_; ///< K of each cell (per batch)
      std::vector<VA> conductivity_factor_; ///< k(T) / k per quadrature point (temperature-dependent k only)
      std::vector<VA>                                          slope_, source_constant_;
      std::vector<Number>                                      weights_; ///< of the cell quadrature
      std::vector<MergedCell>                                  merged_;
    };
  } // namespace

  namespace
  {
    template <typename Number>
    std::unique_ptr<HeatOperatorOf<Number>> create_operator(const Mapping<3> &mapping, const DoFHandler<3> &dofs,
                                                            const AffineConstraints<double> &constraints,
                                                            const HeatProblemData<3>        &data,
                                                            const LinearisationPoint        &around)
    {
      switch (dofs.get_fe().degree)
        {
          case 1:
            return std::make_unique<MatrixFreeHeatOperator<1, Number>>(mapping, dofs, constraints, data, around);
          case 2:
            return std::make_unique<MatrixFreeHeatOperator<2, Number>>(mapping, dofs, constraints, data, around);
          case 3:
            return std::make_unique<MatrixFreeHeatOperator<3, Number>>(mapping, dofs, constraints, data, around);
          case 4:
            return std::make_unique<MatrixFreeHeatOperator<4, Number>>(mapping, dofs, constraints, data, around);
          default:
            throw std::logic_error("matrix-free heat operator: degree " + std::to_string(dofs.get_fe().degree) +
                                   " is not instantiated (1 to 4 are)");
        }
    }
  } // namespace

  std::unique_ptr<HeatOperator> create_heat_operator(const Mapping<3> &mapping, const DoFHandler<3> &dofs,
                                                     const AffineConstraints<double> &constraints,
                                                     const HeatProblemData<3> &data, const LinearisationPoint &around)
  {
    return create_operator<double>(mapping, dofs, constraints, data, around);
  }

  std::unique_ptr<LevelOperator> create_level_operator(const Mapping<3> &mapping, const DoFHandler<3> &dofs,
                                                       const AffineConstraints<double> &constraints,
                                                       const HeatProblemData<3> &data, const LinearisationPoint &around)
  {
    return create_operator<float>(mapping, dofs, constraints, data, around);
  }
} // namespace chiptherm::solver
