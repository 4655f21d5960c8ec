#include "solution_writer.h"

#include <deal.II/base/utilities.h>
#include <deal.II/numerics/data_out.h>

#include <fstream>

namespace chiptherm::solver
{
  using namespace dealii;

  std::string write_solution(const HeatProblem<3> &problem, const ChipCoefficients &coefficients,
                             const std::string &directory)
  {
    const auto &tria = problem.dof_handler().get_triangulation();
    const MPI_Comm comm = problem.mpi_communicator();

    LinearAlgebra::distributed::Vector<double> celsius(problem.temperature());
    celsius.zero_out_ghost_values();
    celsius.add(-Units::kelvin_offset);
    celsius.update_ghost_values();

    const std::size_t n_cells = tria.n_active_cells();
    Vector<float> power(n_cells), conductivity(n_cells), material(n_cells), block(n_cells), level(n_cells),
      subdomain(n_cells);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto i    = cell->active_cell_index();
          const auto zone = cell->material_id();
          power[i]        = coefficients.power_density_w_m3(zone);
          conductivity[i] = coefficients.conductivity_mean_w_mk(zone);
          material[i]     = coefficients.material_index(zone);
          block[i]        = coefficients.block_of(zone);
          level[i]        = cell->level();
          subdomain[i]    = cell->subdomain_id();
        }
    const Vector<float> error = problem.error_indicator();

    DataOut<3> data_out;
    data_out.attach_dof_handler(problem.dof_handler());
    data_out.add_data_vector(celsius, "temperature_c");
    data_out.add_data_vector(power, "power_density_w_m3");
    data_out.add_data_vector(conductivity, "conductivity");
    data_out.add_data_vector(material, "material_id");
    data_out.add_data_vector(block, "block_id");
    data_out.add_data_vector(level, "refinement_level");
    data_out.add_data_vector(error, "error_indicator");
    data_out.add_data_vector(subdomain, "mpi_rank");
    // Q2 cells are written with their interior nodes, so the picture is not Q1.
    data_out.build_patches(problem.fe().degree);
    DataOutBase::VtkFlags flags;
    // zlib's best compression costs seconds per million cells; best_speed is
    // within ~20% of its size.
    flags.compression_level = DataOutBase::VtkFlags::best_speed;
    data_out.set_flags(flags);

    const std::string pvtu = data_out.write_vtu_with_pvtu_record(directory + "/", "solution", 0, comm, 4, 0);
    if (Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::ofstream pvd(directory + "/solution.pvd");
        DataOutBase::write_pvd_record(pvd, {{0.0, pvtu}});
      }
    return "solution.pvd";
  }
} // namespace chiptherm::solver
