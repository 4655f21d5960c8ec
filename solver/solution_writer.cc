#include "solution_writer.h"

#include "vtu_files.h"

#include "common/output_file.h"
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/base/data_out_base.h>

#include <cstdio>
#include <fstream>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// The grid ParaView is given: every DoF of the locally owned cells once, as
    /// a point at its support point, and each cell cut into degree^3 linear
    /// hexahedra through its nodes (so a Q2 field is drawn through all of its
    /// nodes). dof_of_point maps the points back to the field's DoFs.
    struct DofPointGrid
    {
      VtuPiece                               piece;
      std::vector<types::global_dof_index>   dof_of_point;
      std::vector<DoFHandler<3>::active_cell_iterator> cells; ///< owned cells, in piece order
      unsigned int                           hexes_per_cell = 1;
    };

    /// VTK's hexahedron: the bottom face counter-clockwise, then the top.
    constexpr unsigned int vtk_hex_corners[8][3] = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0},
                                                    {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};

    DofPointGrid dof_point_grid(const TemperatureField &field)
    {
      const auto        &fe = field.dofs->get_fe();
      const unsigned int p  = fe.degree;
      const IndexSet     relevant = DoFTools::extract_locally_relevant_dofs(*field.dofs);
      const std::vector<unsigned int> hierarchic_of = FETools::lexicographic_to_hierarchic_numbering<3>(p);
      FEValues<3> fe_values(*field.mapping, fe, Quadrature<3>(fe.get_unit_support_points()), update_quadrature_points);

      DofPointGrid grid;
      grid.hexes_per_cell = p * p * p;
      std::vector<std::int32_t>            point_of(relevant.n_elements(), -1);
      std::vector<types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
      std::vector<std::int32_t>            cell_points(fe.n_dofs_per_cell());
      const auto lexicographic = [p](unsigned int i, unsigned int j, unsigned int k) { return i + (p + 1) * (j + (p + 1) * k); };
      for (const auto &cell : field.dofs->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fe_values.reinit(cell);
            cell->get_dof_indices(dof_indices);
            for (unsigned int i = 0; i < dof_indices.size(); ++i)
              {
                std::int32_t &point = point_of[relevant.index_within_set(dof_indices[i])];
                if (point < 0)
                  {
                    point = std::int32_t(grid.dof_of_point.size());
                    grid.dof_of_point.push_back(dof_indices[i]);
                    for (unsigned int d = 0; d < 3; ++d)
                      grid.piece.points.push_back(float(fe_values.quadrature_point(i)[d]));
                  }
                cell_points[i] = point;
              }
            grid.cells.push_back(cell);
            for (unsigned int k = 0; k < p; ++k)
              for (unsigned int j = 0; j < p; ++j)
                for (unsigned int i = 0; i < p; ++i)
                  for (const auto &corner : vtk_hex_corners)
                    grid.piece.hex_corners.push_back(
                      cell_points[hierarchic_of[lexicographic(i + corner[0], j + corner[1], k + corner[2])]]);
          }
      return grid;
    }

    /// Appends a field of the DoFs (ghosted) as point data, shifted by offset.
    void add_point_field(DofPointGrid &grid, const std::string &name,
                         const LinearAlgebra::distributed::Vector<double> &values, double offset)
    {
      std::vector<float> at_points(grid.dof_of_point.size());
      for (std::size_t i = 0; i < at_points.size(); ++i)
        at_points[i] = float(values(grid.dof_of_point[i]) + offset);
      grid.piece.point_fields.emplace_back(name, std::move(at_points));
    }

    /// Appends a field with one value per owned cell (in grid.cells order) as
    /// cell data on each of the cell's hexahedra.
    void add_cell_field(DofPointGrid &grid, const std::string &name, const std::vector<float> &per_cell)
    {
      std::vector<float> at_hexes;
      at_hexes.reserve(per_cell.size() * grid.hexes_per_cell);
      for (const float value : per_cell)
        at_hexes.insert(at_hexes.end(), grid.hexes_per_cell, value);
      grid.piece.cell_fields.emplace_back(name, std::move(at_hexes));
    }

    /// The frame writer behind both entry points: dynamic power per block
    /// (all_blocks order), plus leakage at the frame's temperature; steady
    /// frames add the error indicator and the pointwise error bound.
    /// Temperatures and the bound are point data on the DoFs; the fields that
    /// are constant on a cell are cell data.
    std::string write_frame(const TemperatureField &field, const ChipCoefficients &coefficients,
                            const std::vector<double> &block_power_w, const SteadyErrorFields *errors,
                            const std::string &directory, unsigned int index)
    {
      const MPI_Comm comm = field.communicator();
      DofPointGrid   grid = dof_point_grid(field);

      const std::size_t  n_cells = grid.cells.size();
      std::vector<float> power(n_cells), leakage_share(n_cells), conductivity(n_cells), material(n_cells), block(n_cells),
        level(n_cells), subdomain(n_cells), indicator(n_cells);
      // Temperature-dependent fields (leakage, k(T)) at each cell's mean temperature.
      const QGauss<3>     midpoint(1);
      FEValues<3>         fe_values(*field.mapping, field.dofs->get_fe(), midpoint, update_values);
      std::vector<double> t_cell(1);
      for (std::size_t c = 0; c < n_cells; ++c)
        {
          const auto &cell = grid.cells[c];
          fe_values.reinit(cell);
          fe_values.get_function_values(*field.temperature, t_cell);
          const auto   zone    = cell->material_id();
          const double dynamic = coefficients.dynamic_density_w_m3(*cell, block_power_w);
          const double leak    = coefficients.leakage_density(*cell, t_cell[0]).first;
          power[c]             = float(dynamic + leak);
          leakage_share[c]     = float(dynamic + leak > 0 ? leak / (dynamic + leak) : 0.0);
          conductivity[c] = float(coefficients.conductivity_mean_w_mk(zone) * coefficients.conductivity_factor(zone, t_cell[0]));
          material[c]     = float(coefficients.material_index(zone));
          block[c]        = float(coefficients.main_block(*cell));
          level[c]        = float(cell->level());
          subdomain[c]    = float(cell->subdomain_id());
          if (errors && errors->indicator)
            indicator[c] = (*errors->indicator)[cell->active_cell_index()];
        }

      add_point_field(grid, "temperature_c", *field.temperature, -Units::kelvin_offset);
      if (errors && errors->bound_k)
        add_point_field(grid, "error_bound_k", *errors->bound_k, 0.0);
      add_cell_field(grid, "power_density_w_m3", power);
      if (coefficients.has_leakage())
        add_cell_field(grid, "leakage_share", leakage_share);
      add_cell_field(grid, "conductivity", conductivity);
      add_cell_field(grid, "material_id", material);
      add_cell_field(grid, "block_id", block);
      add_cell_field(grid, "refinement_level", level);
      if (errors && errors->indicator)
        add_cell_field(grid, "error_indicator", indicator);
      add_cell_field(grid, "mpi_rank", subdomain);

      char name[64];
      const auto piece_name = [&name, index](unsigned int rank) {
        std::snprintf(name, sizeof name, "solution_%04u.%u.vtu", index, rank);
        return std::string(name);
      };
      write_vtu(directory + "/" + piece_name(Utilities::MPI::this_mpi_process(comm)), grid.piece);
      std::snprintf(name, sizeof name, "solution_%04u.pvtu", index);
      const std::string pvtu = name;
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::vector<std::string> pieces;
          for (unsigned int rank = 0; rank < Utilities::MPI::n_mpi_processes(comm); ++rank)
            pieces.push_back(piece_name(rank));
          write_pvtu(directory + "/" + pvtu, pieces, grid.piece);
        }
      return pvtu;
    }
  } // namespace

  std::string write_solution(const TemperatureField &field, const ChipCoefficients &coefficients,
                             const std::vector<double> &block_power_w, const SteadyErrorFields &errors,
                             const std::string &directory)
  {
    const std::string pvtu = write_frame(field, coefficients, block_power_w, &errors, directory, 0);
    write_pvd(directory, {{0.0, pvtu}}, field.communicator());
    return "solution.pvd";
  }

  std::string write_solution_frame(const TemperatureField &field, const ChipCoefficients &coefficients,
                                   const std::vector<double> &block_power_w, const std::string &directory,
                                   unsigned int index)
  {
    return write_frame(field, coefficients, block_power_w, nullptr, directory, index);
  }

  void write_pvd(const std::string &directory, const std::vector<std::pair<double, std::string>> &frames,
                 MPI_Comm comm)
  {
    if (Utilities::MPI::this_mpi_process(comm) != 0)
      return;
    // Written beside and renamed, so a reader never sees half a record.
    const std::string path = directory + "/solution.pvd";
    {
      std::ofstream pvd(path + ".tmp");
      DataOutBase::write_pvd_record(pvd, frames);
      check_written(pvd, path);
    }
    std::rename((path + ".tmp").c_str(), path.c_str());
  }
} // namespace chiptherm::solver
