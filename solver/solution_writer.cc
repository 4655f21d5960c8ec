#include "solution_writer.h"

#include "common/output_file.h"
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/utilities.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/numerics/data_out.h>

#include <cstdio>
#include <fstream>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// The frame writer behind both entry points: dynamic power per block
    /// (all_blocks order), plus leakage at the frame's temperature; steady
    /// frames add the error indicator and the pointwise error bound.
    std::string write_frame(const TemperatureField &field, const ChipCoefficients &coefficients,
                            const std::vector<double> &block_power_w, const SteadyErrorFields *errors,
                            const std::string &directory, unsigned int index)
    {
      const auto    &tria = field.dofs->get_triangulation();
      const MPI_Comm comm = field.communicator();

      LinearAlgebra::distributed::Vector<double> celsius(*field.temperature);
      celsius.zero_out_ghost_values();
      celsius.add(-Units::kelvin_offset);
      celsius.update_ghost_values();

      const std::size_t n_cells = tria.n_active_cells();
      Vector<float> power(n_cells), leakage_share(n_cells), conductivity(n_cells), material(n_cells), block(n_cells),
        level(n_cells), subdomain(n_cells);
      // Temperature-dependent fields (leakage, k(T)) at each cell's mean temperature.
      const QGauss<3>     midpoint(1);
      FEValues<3>         fe_values(*field.mapping, field.dofs->get_fe(), midpoint, update_values);
      std::vector<double> t_cell(1);
      for (const auto &cell : field.dofs->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fe_values.reinit(cell);
            fe_values.get_function_values(*field.temperature, t_cell);
            const auto   i       = cell->active_cell_index();
            const auto   zone    = cell->material_id();
            const double dynamic = coefficients.dynamic_density_w_m3(*cell, block_power_w);
            const double leak    = coefficients.leakage_density(*cell, t_cell[0]).first;
            power[i]             = dynamic + leak;
            leakage_share[i]     = dynamic + leak > 0 ? leak / (dynamic + leak) : 0.0;
            conductivity[i] = coefficients.conductivity_mean_w_mk(zone) * coefficients.conductivity_factor(zone, t_cell[0]);
            material[i]     = coefficients.material_index(zone);
            block[i]        = coefficients.main_block(*cell);
            level[i]        = cell->level();
            subdomain[i]    = cell->subdomain_id();
          }

      DataOut<3> data_out;
      data_out.attach_dof_handler(*field.dofs);
      data_out.add_data_vector(celsius, "temperature_c");
      data_out.add_data_vector(power, "power_density_w_m3");
      if (coefficients.has_leakage())
        data_out.add_data_vector(leakage_share, "leakage_share");
      data_out.add_data_vector(conductivity, "conductivity");
      data_out.add_data_vector(material, "material_id");
      data_out.add_data_vector(block, "block_id");
      data_out.add_data_vector(level, "refinement_level");
      if (errors && errors->indicator)
        data_out.add_data_vector(*errors->indicator, "error_indicator");
      if (errors && errors->bound_k)
        data_out.add_data_vector(*errors->bound_k, "error_bound_k");
      data_out.add_data_vector(subdomain, "mpi_rank");
      // Higher-degree cells are written with interior nodes, so the picture is
      // not Q1 (two subdivisions at most: the files stay small).
      data_out.build_patches(*field.mapping, std::min(field.dofs->get_fe().degree, 2u));
      DataOutBase::VtkFlags flags;
      // zlib's best compression costs seconds per million cells; best_speed is
      // within ~20% of its size.
      flags.compression_level = DataOutBase::VtkFlags::best_speed;
      data_out.set_flags(flags);
      std::string pvtu;
      try
        {
          pvtu = data_out.write_vtu_with_pvtu_record(directory + "/", "solution", index, comm, 4, 0);
        }
      catch (const ExceptionBase &)
        {
          // deal.II's ExcIO: its stream failed (full disk, file-size limit).
          throw OutputError("cannot write the solution files in " + directory +
                            ": an input/output error (is the disk full?); earlier results in OUT are kept");
        }
      // deal.II does not check its streams: a piece cut short by a full disk lacks its end.
      char piece[64];
      std::snprintf(piece, sizeof piece, "solution_%04u.%u.vtu", index, Utilities::MPI::this_mpi_process(comm));
      check_file_ends_with(directory + "/" + piece, "</VTKFile>");
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        check_file_ends_with(directory + "/" + pvtu, "</VTKFile>");
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
