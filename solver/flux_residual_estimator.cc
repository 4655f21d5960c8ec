#include "flux_residual_estimator.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_interface_values.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_cartesian.h>
#include <deal.II/fe/mapping_q1.h>

namespace chiptherm::solver
{
  using namespace dealii;

  template <int dim>
  Vector<float> estimate_flux_residual(const DoFHandler<dim>                            &dof_handler,
                                       const LinearAlgebra::distributed::Vector<double> &temperature,
                                       const HeatProblemData<dim>                       &data,
                                       const bool                                        cartesian)
  {
    const auto        &fe     = dof_handler.get_fe();
    const unsigned int p      = fe.degree;
    const QGauss<dim>     cell_quadrature(p + 1);
    const QGauss<dim - 1> face_quadrature(p + 1);
    const UpdateFlags     hessian_flag = p > 1 ? update_hessians : update_default;
    // Axis-aligned boxes (every mesh chiptherm builds) take the cheap Cartesian
    // mapping; FEValues objects keep a reference to it.
    const MappingCartesian<dim> box_mapping;
    const MappingQ1<dim>        general_mapping;
    const Mapping<dim>         &mapping = cartesian ? static_cast<const Mapping<dim> &>(box_mapping) : general_mapping;
    const UpdateFlags value_flag = data.temperature_source ? update_values : update_default;
    FEValues<dim> fe_values(mapping, fe, cell_quadrature,
                            update_quadrature_points | update_JxW_values | hessian_flag | value_flag);
    // k(T) at each cell's centre (a temperature-dependent problem: the
    // residual of the solved, linearised-about-itself equation).
    FEValues<dim>       midpoint(mapping, fe, QGauss<dim>(1), update_values);
    std::vector<double> t_mid(1), t_cell(cell_quadrature.size());
    auto conductivity_of = [&](const auto &cell) {
      const auto K = data.conductivity(cell->material_id());
      if (!data.conductivity_factor)
        return K;
      midpoint.reinit(cell);
      midpoint.get_function_values(temperature, t_mid);
      return SymmetricTensor<2, dim>(K * data.conductivity_factor(cell->material_id(), t_mid[0]));
    };
    FEInterfaceValues<dim> interface(mapping, fe, face_quadrature,
                                     update_gradients | update_values | update_normal_vectors | update_JxW_values |
                                       update_quadrature_points);
    std::vector<Tensor<1, dim>> grad_here(face_quadrature.size()), grad_there(face_quadrature.size());
    std::vector<Tensor<2, dim>> hessians(cell_quadrature.size());
    std::vector<double>         values(face_quadrature.size());

    auto mean_k = [&](const SymmetricTensor<2, dim> &K) { return trace(K) / dim; };
    // Integral over the current interface of the squared jump of the normal flux.
    auto jump_squared = [&](const SymmetricTensor<2, dim> &k_here, const SymmetricTensor<2, dim> &k_there) {
      interface.get_fe_face_values(0).get_function_gradients(temperature, grad_here);
      interface.get_fe_face_values(1).get_function_gradients(temperature, grad_there);
      const auto &fv = interface.get_fe_face_values(0);
      double      s  = 0;
      for (const unsigned int q : fv.quadrature_point_indices())
        {
          const double j = (k_here * grad_here[q] - k_there * grad_there[q]) * fv.normal_vector(q);
          s += j * j * fv.JxW(q);
        }
      return s;
    };

    // eta_K^2 accumulates here; each interior face is integrated once per
    // rank: by the finer cell, or by the lower index between equals, adding
    // half to both sides when both are owned, and by each owner for itself
    // across a rank boundary.
    Vector<double> eta2(dof_handler.get_triangulation().n_active_cells());
    auto add_face = [&](const auto &cell, const auto &neighbor, double diameter) {
      const auto   K  = conductivity_of(cell);
      const auto   Kn = conductivity_of(neighbor);
      const double kf = std::max(mean_k(K), mean_k(Kn));
      const double term = 0.5 * diameter / (p * kf) * jump_squared(K, Kn);
      eta2[cell->active_cell_index()] += term;
      if (neighbor->is_locally_owned())
        eta2[neighbor->active_cell_index()] += term;
    };
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto   K = conductivity_of(cell);
          const double k = mean_k(K);
          const double h = cell->diameter();

          // Element residual q + div(K grad T), q including a temperature-
          // dependent source at the solved temperature. The divergence vanishes
          // for trilinear (Q1) functions on the axis-aligned boxes of chip
          // meshes (and k(T)'s gradient is left out: a higher-order term).
          fe_values.reinit(cell);
          if (p > 1)
            fe_values.get_function_hessians(temperature, hessians);
          if (data.temperature_source)
            fe_values.get_function_values(temperature, t_cell);
          double residual2 = 0;
          for (const unsigned int q : fe_values.quadrature_point_indices())
            {
              double r = data.power_density(cell->material_id(), fe_values.quadrature_point(q));
              if (data.temperature_source)
                r += data.temperature_source(cell->material_id(), fe_values.quadrature_point(q), t_cell[q]).first;
              if (p > 1)
                r += scalar_product(K, hessians[q]);
              residual2 += r * r * fe_values.JxW(q);
            }
          eta2[cell->active_cell_index()] += h * h / (p * p * k) * residual2;

          for (const unsigned int f : cell->face_indices())
            {
              const auto face = cell->face(f);
              if (face->at_boundary())
                {
                  interface.reinit(cell, f);
                  const auto &fv = interface.get_fe_face_values(0);
                  fv.get_function_gradients(temperature, grad_here);
                  fv.get_function_values(temperature, values);
                  const auto robin = data.robin.find(face->boundary_id());
                  double     s     = 0;
                  for (const unsigned int q : fv.quadrature_point_indices())
                    {
                      double r = (K * grad_here[q]) * fv.normal_vector(q);
                      if (robin != data.robin.end())
                        r += robin->second.h_w_m2k * (values[q] - robin->second.far_temperature_k(fv.quadrature_point(q)));
                      s += r * r * fv.JxW(q);
                    }
                  eta2[cell->active_cell_index()] += face->diameter() / (p * k) * s;
                }
              else if (face->has_children())
                {
                  // Finer neighbours integrate the subfaces, except across a rank boundary.
                  for (unsigned int sf = 0; sf < face->n_children(); ++sf)
                    {
                      const auto neighbor = cell->neighbor_child_on_subface(f, sf);
                      if (neighbor->is_locally_owned())
                        continue;
                      interface.reinit(cell, f, sf, neighbor, cell->neighbor_of_neighbor(f), numbers::invalid_unsigned_int);
                      add_face(cell, neighbor, face->child(sf)->diameter());
                    }
                }
              else if (cell->neighbor_is_coarser(f))
                {
                  const auto neighbor  = cell->neighbor(f);
                  const auto [nf, nsf] = cell->neighbor_of_coarser_neighbor(f);
                  interface.reinit(cell, f, numbers::invalid_unsigned_int, neighbor, nf, nsf);
                  add_face(cell, neighbor, face->diameter());
                }
              else
                {
                  const auto neighbor = cell->neighbor(f);
                  if (neighbor->is_locally_owned() && neighbor->active_cell_index() < cell->active_cell_index())
                    continue;
                  interface.reinit(cell, f, numbers::invalid_unsigned_int, neighbor, cell->neighbor_of_neighbor(f),
                                   numbers::invalid_unsigned_int);
                  add_face(cell, neighbor, face->diameter());
                }
            }
        }
    Vector<float> indicator(eta2.size());
    for (std::size_t i = 0; i < eta2.size(); ++i)
      indicator[i] = static_cast<float>(std::sqrt(eta2[i]));
    return indicator;
  }

  template Vector<float> estimate_flux_residual<3>(const DoFHandler<3> &, const LinearAlgebra::distributed::Vector<double> &,
                                                   const HeatProblemData<3> &, bool);
} // namespace chiptherm::solver
