#include "source_integration.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_vector.h>

namespace chiptherm::solver
{
  using namespace dealii;

  SourceIntegrator::SourceIntegrator(const Mapping<3> &mapping, const FiniteElement<3> &fe)
    : fe_values_(mapping, fe, QGauss<3>(fe.degree + 1), update_values | update_quadrature_points | update_JxW_values)
    , rule_(fe.degree)
  {}

  double SourceIntegrator::add_to(const HeatProblemData<3> &data, const DoFHandler<3>::active_cell_iterator &cell,
                                  Vector<double> *cell_rhs)
  {
    double heat = 0;
    if (data.power_density)
      {
        fe_values_.reinit(cell);
        for (const unsigned int q : fe_values_.quadrature_point_indices())
          {
            const double qdx = data.power_density(cell->material_id(), fe_values_.quadrature_point(q)) * fe_values_.JxW(q);
            heat += qdx;
            if (cell_rhs)
              for (unsigned int i = 0; i < cell_rhs->size(); ++i)
                (*cell_rhs)(i) += qdx * fe_values_.shape_value(i, q);
          }
      }
    if (data.box_sources)
      {
        boxes_.clear();
        data.box_sources(*cell, boxes_);
        const double volume = cell->measure();
        for (const auto &b : boxes_)
          {
            const RefBox box{b.lo, b.hi};
            const double scale = b.density_w_m3 * volume;
            heat += scale * box.volume();
            if (!cell_rhs)
              continue;
            rule_.shape_integrals(box, integrals_);
            for (unsigned int i = 0; i < cell_rhs->size(); ++i)
              (*cell_rhs)(i) += scale * integrals_[i];
          }
      }
    return heat;
  }

  double source_at(const HeatProblemData<3> &data, const CellRef<3> &cell, const Point<3> &x, const Point<3> &x_ref,
                   std::vector<BoxSource<3>> &scratch)
  {
    double q = data.power_density ? data.power_density(cell.material_id(), x) : 0.0;
    if (data.box_sources)
      {
        scratch.clear();
        data.box_sources(cell, scratch);
        for (const auto &b : scratch)
          if (b.lo[0] <= x_ref[0] && x_ref[0] <= b.hi[0] && b.lo[1] <= x_ref[1] && x_ref[1] <= b.hi[1] &&
              b.lo[2] <= x_ref[2] && x_ref[2] <= b.hi[2])
            q += b.density_w_m3;
      }
    return q;
  }

  template <typename VectorType>
  void add_source_rhs(const DoFHandler<3> &dofs, const Mapping<3> &mapping, const AffineConstraints<double> &constraints,
                      const HeatProblemData<3> &data, VectorType &rhs)
  {
    SourceIntegrator                     source(mapping, dofs.get_fe());
    Vector<double>                       cell_rhs(dofs.get_fe().n_dofs_per_cell());
    std::vector<types::global_dof_index> dof_indices(cell_rhs.size());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell_rhs = 0;
          source.add_to(data, cell, &cell_rhs);
          if (cell_rhs.linfty_norm() == 0)
            continue;
          cell->get_dof_indices(dof_indices);
          constraints.distribute_local_to_global(cell_rhs, dof_indices, rhs);
        }
  }

  template void add_source_rhs(const DoFHandler<3> &, const Mapping<3> &, const AffineConstraints<double> &,
                               const HeatProblemData<3> &, PETScWrappers::MPI::Vector &);
  template void add_source_rhs(const DoFHandler<3> &, const Mapping<3> &, const AffineConstraints<double> &,
                               const HeatProblemData<3> &, LinearAlgebra::distributed::Vector<double> &);
} // namespace chiptherm::solver
