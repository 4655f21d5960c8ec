#include "flux_residual_estimator.h"

#include "source_integration.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_interface_values.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_cartesian.h>
#include <deal.II/fe/mapping_q1.h>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// The three kinds of terms of eta_K^2, accumulated cell by cell.
    template <int dim>
    class FluxResidual
    {
    public:
      using Cell = typename DoFHandler<dim>::active_cell_iterator;

      FluxResidual(const DoFHandler<dim> &dofs, const LinearAlgebra::distributed::Vector<double> &temperature,
                   const HeatProblemData<dim> &data, const Mapping<dim> &mapping)
        : temperature_(temperature)
        , data_(data)
        , p_(dofs.get_fe().degree)
        , face_quadrature_(p_ + 1)
        , fe_values_(mapping, dofs.get_fe(), QGauss<dim>(p_ + 1),
                     update_quadrature_points | update_JxW_values | (p_ > 1 ? update_hessians : update_default) |
                       (data.temperature_source ? update_values : update_default))
        , midpoint_(mapping, dofs.get_fe(), QGauss<dim>(1), update_values)
        , interface_(mapping, dofs.get_fe(), face_quadrature_,
                     update_gradients | update_values | update_normal_vectors | update_JxW_values |
                       update_quadrature_points)
        , grad_here_(face_quadrature_.size())
        , grad_there_(face_quadrature_.size())
        , values_(face_quadrature_.size())
        , hessians_(fe_values_.n_quadrature_points)
        , t_cell_(fe_values_.n_quadrature_points)
        , eta2_(dofs.get_triangulation().n_active_cells())
      {}

      std::vector<BoxSource<dim>> boxes_; ///< scratch for source_at

      /// K of the cell: k(T) at its centre for a temperature-dependent problem.
      SymmetricTensor<2, dim> conductivity_of(const Cell &cell)
      {
        const auto K = data_.conductivity(cell->material_id());
        if (!data_.conductivity_factor)
          return K;
        std::vector<double> t_mid(1);
        midpoint_.reinit(cell);
        midpoint_.get_function_values(temperature_, t_mid);
        return SymmetricTensor<2, dim>(K * data_.conductivity_factor(cell->material_id(), t_mid[0]));
      }

      /// h^2 / (p^2 k) ||q + div(K grad T)||^2, q including a temperature-
      /// dependent source at the solved temperature. The divergence vanishes
      /// for trilinear (Q1) functions on the axis-aligned boxes of chip meshes
      /// (and k(T)'s gradient is left out: a higher-order term).
      void add_cell_residual(const Cell &cell, const SymmetricTensor<2, dim> &K)
      {
        fe_values_.reinit(cell);
        if (p_ > 1)
          fe_values_.get_function_hessians(temperature_, hessians_);
        if (data_.temperature_source)
          fe_values_.get_function_values(temperature_, t_cell_);
        double residual2 = 0;
        for (const unsigned int q : fe_values_.quadrature_point_indices())
          {
            const Point<dim> &x = fe_values_.quadrature_point(q);
            double r = source_at(data_, *cell, x, fe_values_.get_quadrature().point(q), boxes_);
            if (data_.temperature_source)
              r += data_.temperature_source(*cell, x, t_cell_[q]).first;
            if (p_ > 1)
              r += scalar_product(K, hessians_[q]);
            residual2 += r * r * fe_values_.JxW(q);
          }
        const double h = cell->diameter();
        eta2_[cell->active_cell_index()] += h * h / (p_ * p_ * mean_k(K)) * residual2;
      }

      /// h_F / (p k) ||K grad T . n + h (T - T_far)||^2 on an outer face (the
      /// convective part only where the face is a Robin boundary).
      void add_boundary_face(const Cell &cell, unsigned int f, const SymmetricTensor<2, dim> &K)
      {
        interface_.reinit(cell, f);
        const auto &fv = interface_.get_fe_face_values(0);
        fv.get_function_gradients(temperature_, grad_here_);
        fv.get_function_values(temperature_, values_);
        const auto robin = data_.robin.find(cell->face(f)->boundary_id());
        double     s     = 0;
        for (const unsigned int q : fv.quadrature_point_indices())
          {
            double r = (K * grad_here_[q]) * fv.normal_vector(q);
            if (robin != data_.robin.end())
              r += robin->second.h_w_m2k * (values_[q] - robin->second.far_temperature_k(fv.quadrature_point(q)));
            s += r * r * fv.JxW(q);
          }
        eta2_[cell->active_cell_index()] += cell->face(f)->diameter() / (p_ * mean_k(K)) * s;
      }

      /// The interior faces of cell it integrates: each interior face is
      /// integrated once per rank, by the finer cell, or by the lower index
      /// between equals, adding half to both sides when both are owned, and by
      /// each owner for itself across a rank boundary.
      void add_interior_face(const Cell &cell, unsigned int f)
      {
        const auto face = cell->face(f);
        if (face->has_children())
          {
            // Finer neighbours integrate the subfaces, except across a rank boundary.
            for (unsigned int sf = 0; sf < face->n_children(); ++sf)
              {
                const auto neighbor = cell->neighbor_child_on_subface(f, sf);
                if (neighbor->is_locally_owned())
                  continue;
                interface_.reinit(cell, f, sf, neighbor, cell->neighbor_of_neighbor(f), numbers::invalid_unsigned_int);
                add_jump(cell, neighbor, face->child(sf)->diameter());
              }
          }
        else if (cell->neighbor_is_coarser(f))
          {
            const auto neighbor  = cell->neighbor(f);
            const auto [nf, nsf] = cell->neighbor_of_coarser_neighbor(f);
            interface_.reinit(cell, f, numbers::invalid_unsigned_int, neighbor, nf, nsf);
            add_jump(cell, neighbor, face->diameter());
          }
        else
          {
            const auto neighbor = cell->neighbor(f);
            if (neighbor->is_locally_owned() && neighbor->active_cell_index() < cell->active_cell_index())
              return;
            interface_.reinit(cell, f, numbers::invalid_unsigned_int, neighbor, cell->neighbor_of_neighbor(f),
                              numbers::invalid_unsigned_int);
            add_jump(cell, neighbor, face->diameter());
          }
      }

      Vector<float> indicator() const
      {
        Vector<float> eta(eta2_.size());
        for (std::size_t i = 0; i < eta2_.size(); ++i)
          eta[i] = static_cast<float>(std::sqrt(eta2_[i]));
        return eta;
      }

    private:
      static double mean_k(const SymmetricTensor<2, dim> &K) { return trace(K) / dim; }

      /// Half of h_F / (p k_F) ||[K grad T . n]||^2 to each side of the current
      /// interface, k_F the larger conductivity.
      void add_jump(const Cell &cell, const Cell &neighbor, double diameter)
      {
        const auto K  = conductivity_of(cell);
        const auto Kn = conductivity_of(neighbor);
        interface_.get_fe_face_values(0).get_function_gradients(temperature_, grad_here_);
        interface_.get_fe_face_values(1).get_function_gradients(temperature_, grad_there_);
        const auto &fv = interface_.get_fe_face_values(0);
        double      s  = 0;
        for (const unsigned int q : fv.quadrature_point_indices())
          {
            const double j = (K * grad_here_[q] - Kn * grad_there_[q]) * fv.normal_vector(q);
            s += j * j * fv.JxW(q);
          }
        const double term = 0.5 * diameter / (p_ * std::max(mean_k(K), mean_k(Kn))) * s;
        eta2_[cell->active_cell_index()] += term;
        if (neighbor->is_locally_owned())
          eta2_[neighbor->active_cell_index()] += term;
      }

      const LinearAlgebra::distributed::Vector<double> &temperature_;
      const HeatProblemData<dim>                       &data_;
      const unsigned int                                p_;
      const QGauss<dim - 1>                             face_quadrature_;
      FEValues<dim>                                     fe_values_, midpoint_;
      FEInterfaceValues<dim>                            interface_;
      std::vector<Tensor<1, dim>>                       grad_here_, grad_there_;
      std::vector<double>                               values_;
      std::vector<Tensor<2, dim>>                       hessians_;
      std::vector<double>                               t_cell_;
      Vector<double>                                    eta2_;
    };
  } // namespace

  template <int dim>
  Vector<float> estimate_flux_residual(const DoFHandler<dim>                            &dof_handler,
                                       const LinearAlgebra::distributed::Vector<double> &temperature,
                                       const HeatProblemData<dim>                       &data,
                                       const bool                                        cartesian)
  {
    // Axis-aligned boxes (every mesh chiptherm builds) take the cheap Cartesian
    // mapping; FEValues objects keep a reference to it.
    const MappingCartesian<dim> box_mapping;
    const MappingQ1<dim>        general_mapping;
    const Mapping<dim>         &mapping = cartesian ? static_cast<const Mapping<dim> &>(box_mapping) : general_mapping;
    FluxResidual<dim>           residual(dof_handler, temperature, data, mapping);
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto K = residual.conductivity_of(cell);
          residual.add_cell_residual(cell, K);
          for (const unsigned int f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              residual.add_boundary_face(cell, f, K);
            else
              residual.add_interior_face(cell, f);
        }
    return residual.indicator();
  }

  template Vector<float> estimate_flux_residual<3>(const DoFHandler<3> &, const LinearAlgebra::distributed::Vector<double> &,
                                                   const HeatProblemData<3> &, bool);
} // namespace chiptherm::solver
