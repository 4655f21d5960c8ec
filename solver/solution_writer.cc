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

    /// Appends a field with one value per owned cell (in DofPointGrid::cells
    /// order) to piece as cell data on each of the cell's hexahedra.
    void add_cell_field(VtuPiece &piece, unsigned int hexes_per_cell, const std::string &name,
                        const std::vector<float> &per_cell)
    {
      std::vector<float> at_hexes;
      at_hexes.reserve(per_cell.size() * hexes_per_cell);
      for (const float value : per_cell)
        at_hexes.insert(at_hexes.end(), hexes_per_cell, value);
      piece.cell_fields.emplace_back(name, std::move(at_hexes));
    }

    /// What a frame on one mesh shares with the others: the grid, and the cell
    /// fields that do not change (material, block, refinement level, rank,
    /// and the conductivity unless k depends on T), encoded once.
    struct FrameMesh
    {
      DofPointGrid   grid;
      VtuFixedArrays fixed;
      bool           conductivity_fixed = true;
    };

    FrameMesh frame_mesh(const TemperatureField &field, const ChipCoefficients &coefficients)
    {
      FrameMesh mesh{dof_point_grid(field), {}, !coefficients.depends_on_temperature()};
      DofPointGrid &grid    = mesh.grid;
      const std::size_t n_cells = grid.cells.size();
      std::vector<float> conductivity(n_cells), material(n_cells), block(n_cells), level(n_cells), subdomain(n_cells);
      for (std::size_t c = 0; c < n_cells; ++c)
        {
          const auto &cell = grid.cells[c];
          conductivity[c]  = float(coefficients.conductivity_mean_w_mk(cell->material_id()));
          material[c]      = float(coefficients.material_index(cell->material_id()));
          block[c]         = float(coefficients.main_block(*cell));
          level[c]         = float(cell->level());
          subdomain[c]     = float(cell->subdomain_id());
        }
      const auto add = [&](const std::string &name, const std::vector<float> &per_cell) {
        add_cell_field(grid.piece, grid.hexes_per_cell, name, per_cell);
      };
      if (mesh.conductivity_fixed)
        add("conductivity", conductivity);
      add("material_id", material);
      add("block_id", block);
      add("refinement_level", level);
      add("mpi_rank", subdomain);
      mesh.fixed = encode_fixed_arrays(grid.piece);
      grid.piece = VtuPiece{}; // encoded: the frames add their own fields
      return mesh;
    }

    /// Writes one frame on mesh: the temperature (and the pointwise bound),
    /// the power density from block_power_w (dynamic, W per block, all_blocks
    /// order) plus leakage at the frame's temperature, and the fields that
    /// depend on temperature; steady frames add the error indicator.
    /// Temperatures and the bound are point data on the DoFs; the fields that
    /// are constant on a cell are cell data.
    std::string write_frame(const FrameMesh &mesh, const TemperatureField &field, const ChipCoefficients &coefficients,
                            const std::vector<double> &block_power_w, const SteadyErrorFields *errors,
                            const std::string &directory, unsigned int index)
    {
      const MPI_Comm comm  = field.communicator();
      const auto    &cells = mesh.grid.cells;

      const std::size_t  n_cells = cells.size();
      const bool         at_temperature = coefficients.depends_on_temperature();
      std::vector<float> power(n_cells), leakage_share(n_cells), conductivity(n_cells), indicator(n_cells);
      // Temperature-dependent fields (leakage, k(T)) at each cell's mean temperature.
      const QGauss<3>     midpoint(1);
      FEValues<3>         fe_values(*field.mapping, field.dofs->get_fe(), midpoint, update_values);
      std::vector<double> t_cell(1);
      for (std::size_t c = 0; c < n_cells; ++c)
        {
          const auto &cell    = cells[c];
          const auto  zone    = cell->material_id();
          const double dynamic = coefficients.dynamic_density_w_m3(*cell, block_power_w);
          double       leak    = 0;
          if (at_temperature)
            {
              fe_values.reinit(cell);
              fe_values.get_function_values(*field.temperature, t_cell);
              leak            = coefficients.leakage_density(*cell, t_cell[0]).first;
              conductivity[c] = float(coefficients.conductivity_mean_w_mk(zone) * coefficients.conductivity_factor(zone, t_cell[0]));
            }
          power[c]         = float(dynamic + leak);
          leakage_share[c] = float(dynamic + leak > 0 ? leak / (dynamic + leak) : 0.0);
          if (errors && errors->indicator)
            indicator[c] = (*errors->indicator)[cell->active_cell_index()];
        }

      VtuPiece   frame; // this frame's own fields; the grid and the rest are in mesh.fixed
      const auto add_points = [&](const std::string &name, const LinearAlgebra::distributed::Vector<double> &values,
                                  double offset) {
        std::vector<float> at_points(mesh.grid.dof_of_point.size());
        for (std::size_t i = 0; i < at_points.size(); ++i)
          at_points[i] = float(values(mesh.grid.dof_of_point[i]) + offset);
        frame.point_fields.emplace_back(name, std::move(at_points));
      };
      const auto add_cells = [&](const std::string &name, const std::vector<float> &per_cell) {
        add_cell_field(frame, mesh.grid.hexes_per_cell, name, per_cell);
      };
      add_points("temperature_c", *field.temperature, -Units::kelvin_offset);
      if (errors && errors->bound_k)
        add_points("error_bound_k", *errors->bound_k, 0.0);
      add_cells("power_density_w_m3", power);
      if (coefficients.has_leakage())
        add_cells("leakage_share", leakage_share);
      if (!mesh.conductivity_fixed)
        add_cells("conductivity", conductivity);
      if (errors && errors->indicator)
        add_cells("error_indicator", indicator);

      char name[64];
      const auto piece_name = [&name, index](unsigned int rank) {
        std::snprintf(name, sizeof name, "solution_%04u.%u.vtu", index, rank);
        return std::string(name);
      };
      write_vtu(directory + "/" + piece_name(Utilities::MPI::this_mpi_process(comm)), mesh.fixed, frame);
      std::snprintf(name, sizeof name, "solution_%04u.pvtu", index);
      const std::string pvtu = name;
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::vector<std::string> pieces;
          for (unsigned int rank = 0; rank < Utilities::MPI::n_mpi_processes(comm); ++rank)
            pieces.push_back(piece_name(rank));
          VtuPiece layout = frame; // the names ParaView is told of
          for (const auto &fixed_name : mesh.fixed.cell_field_names)
            layout.cell_fields.emplace_back(fixed_name, std::vector<float>{});
          write_pvtu(directory + "/" + pvtu, pieces, layout);
        }
      return pvtu;
    }
  } // namespace

  std::string write_solution(const TemperatureField &field, const ChipCoefficients &coefficients,
                             const std::vector<double> &block_power_w, const SteadyErrorFields &errors,
                             const std::string &directory)
  {
    const std::string pvtu = write_frame(frame_mesh(field, coefficients), field, coefficients, block_power_w, &errors,
                                         directory, 0);
    write_pvd(directory, {{0.0, pvtu}}, field.communicator());
    return "solution.pvd";
  }

  struct SolutionFrames::Mesh
  {
    FrameMesh                          frame;
    const DoFHandler<3>               *dofs = nullptr;
    bool                               changed = false;
    boost::signals2::scoped_connection on_change;
  };

  SolutionFrames::SolutionFrames()  = default;
  SolutionFrames::~SolutionFrames() = default;

  std::string SolutionFrames::write(const TemperatureField &field, const ChipCoefficients &coefficients,
                                    const std::vector<double> &block_power_w, const std::string &directory,
                                    unsigned int index)
  {
    if (!mesh_ || mesh_->changed || mesh_->dofs != field.dofs)
      {
        mesh_        = std::make_unique<Mesh>();
        mesh_->frame = frame_mesh(field, coefficients);
        mesh_->dofs  = field.dofs;
        Mesh *mesh   = mesh_.get();
        mesh_->on_change = field.dofs->get_triangulation().signals.any_change.connect([mesh] { mesh->changed = true; });
      }
    return write_frame(mesh_->frame, field, coefficients, block_power_w, nullptr, directory, index);
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
