#include "energy_integrals.h"

#include "source_integration.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

namespace chiptherm::solver
{
  using namespace dealii;

  double power_in_w(const TemperatureField &field, const HeatProblemData<3> &data)
  {
    SourceIntegrator source(*field.mapping, field.dofs->get_fe());
    double           local = 0;
    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        local += source.add_to(data, cell, nullptr);
    double total = Utilities::MPI::sum(local, field.communicator());
    for (const double w : temperature_source_w(field, data))
      total += w;
    return total;
  }

  std::vector<double> temperature_source_w(const TemperatureField &field, const HeatProblemData<3> &data)
  {
    constexpr int dim = 3;
    if (!data.temperature_source)
      return {};
    const auto         &fe = field.dofs->get_fe();
    const QGauss<dim>   quadrature(fe.degree + 1);
    FEValues<dim>       fe_values(*field.mapping, fe, quadrature,
                            update_values | update_quadrature_points | update_JxW_values);
    std::vector<double> t(quadrature.size()), by_id;
    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          fe_values.get_function_values(*field.temperature, t);
          const auto id = cell->material_id();
          if (by_id.size() <= id)
            by_id.resize(id + 1, 0.0);
          for (const unsigned int q : fe_values.quadrature_point_indices())
            by_id[id] += data.temperature_source(*cell, fe_values.quadrature_point(q), t[q]).first * fe_values.JxW(q);
        }
    const MPI_Comm comm = field.communicator();
    by_id.resize(static_cast<std::size_t>(Utilities::MPI::max(double(by_id.size()), comm)), 0.0);
    Utilities::MPI::sum(by_id, comm, by_id);
    return by_id;
  }

  std::map<unsigned int, double> heat_out_by_boundary_w(const TemperatureField &field, const HeatProblemData<3> &data)
  {
    constexpr int         dim = 3;
    const auto           &fe  = field.dofs->get_fe();
    const QGauss<dim - 1> face_quadrature(fe.degree + 1);
    FEFaceValues<dim>     fe_face_values(*field.mapping, fe, face_quadrature,
                                     update_values | update_quadrature_points | update_JxW_values);
    std::vector<double>            t(face_quadrature.size());
    std::map<unsigned int, double> by_id;
    for (const auto &[id, robin] : data.robin)
      by_id[id] = 0;
    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        for (const unsigned int f : cell->face_indices())
          if (const RobinBoundary<dim> *robin = robin_boundary_of(data, cell, f))
            {
              fe_face_values.reinit(cell, f);
              fe_face_values.get_function_values(*field.temperature, t);
              double &out = by_id[cell->face(f)->boundary_id()];
              for (const unsigned int q : fe_face_values.quadrature_point_indices())
                out += robin->h_w_m2k * (t[q] - robin->far_temperature_k(fe_face_values.quadrature_point(q))) *
                       fe_face_values.JxW(q);
            }
    for (auto &[id, w] : by_id)
      w = Utilities::MPI::sum(w, field.communicator());
    return by_id;
  }

  double heat_out_w(const TemperatureField &field, const HeatProblemData<3> &data)
  {
    double sum = 0;
    for (const auto &[id, w] : heat_out_by_boundary_w(field, data))
      sum += w;
    return sum;
  }

} // namespace chiptherm::solver
