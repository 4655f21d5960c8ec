#include "mesh_command.h"

#include "case_setup.h"
#include "mesh/gmsh_io.h"
#include "solver/steady_chip_solve.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace chiptherm::commands
{
  using namespace dealii;

  void run_mesh(const CaseDocument &document, const std::string &msh_path, MPI_Comm comm)
  {
    const bool root = Utilities::MPI::this_mpi_process(comm) == 0;
    if (std::filesystem::path(msh_path).extension() != ".msh")
      throw InputError("-o " + msh_path + ": expected a file name ending in .msh");
    const CaseSetup                       setup               = read_case(document);
    const floorplans::ChipModel          &model               = *setup.model;
    const mesh::MeshSettings             &mesh_settings       = setup.mesh;
    const solver::SolverSettings         &solver_settings     = setup.solver;
    const solver::AdaptivitySettings     &adaptivity_settings = setup.adaptivity;

    TimerOutput     timer(std::cout, TimerOutput::never, TimerOutput::wall_times);
    solver::SteadyChipSolve run(model, mesh_settings, solver_settings, comm, timer);
    run.mesh();
    if (root)
      std::cout << "[chiptherm] mesh: " << run.triangulation().n_global_active_cells() << " cells after "
                << run.a_priori_passes() << " policy refinement passes" << std::endl;
    if (adaptivity_settings.enabled)
      {
        const auto report = run.solve_adaptively(adaptivity_settings);
        if (root)
          std::cout << "[chiptherm] adapt: " << report.cycles.size() - 1 << " cycles, "
                    << run.triangulation().n_global_active_cells() << " cells, "
                    << (report.converged ? "converged" : "stopped by " + report.stop_reason) << std::endl;
      }

    // Gmsh picks the format from the extension, so the staging name keeps ".msh".
    const std::string partial = (std::filesystem::path(msh_path).parent_path() /
                                 (std::filesystem::path(msh_path).stem().string() + ".partial.msh")).string();
    if (root)
      {
        const auto parent = std::filesystem::path(msh_path).parent_path();
        if (!parent.empty())
          std::filesystem::create_directories(parent);
      }
    try
      {
        mesh::write_gmsh_mesh(run.triangulation(), run.mesh_info().zones, model, partial);
      }
    catch (const std::string &gmsh_message) // the Gmsh API throws strings
      {
        if (root)
          std::filesystem::remove(partial);
        throw NumericalError("Gmsh could not write " + msh_path + ": " + gmsh_message);
      }
    catch (...)
      {
        if (root)
          std::filesystem::remove(partial);
        throw;
      }
    if (root)
      {
        std::filesystem::rename(partial, msh_path);
        std::cout << "[chiptherm] wrote " << msh_path << std::endl;
      }
    MPI_Barrier(comm);
  }
} // namespace chiptherm::commands
