// Times the phases of building a chip mesh: grid lines, coarse mesh (p4est
// forest of coarse cells), global refinement, zone coefficients.
//   mesh_build_timing CASE.yaml [KEY=VALUE ...]   (same overrides as --set)
// Prints one line per phase; figures go to docs/benchmarks.md.
#include "floorplans/case_reader.h"
#include "mesh/stack_mesh_builder.h"
#include "solver/chip_coefficients.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>

#include <iostream>

int main(int argc, char **argv)
{
  using namespace dealii;
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  if (argc < 2)
    {
      std::cerr << "usage: mesh_build_timing CASE.yaml [KEY=VALUE ...]\n";
      return 2;
    }
  auto document = chiptherm::CaseDocument::load(argv[1]);
  for (int i = 2; i < argc; ++i)
    document.apply_override(argv[i]);
  const auto model    = chiptherm::floorplans::read_chip_model(document);
  auto       settings = chiptherm::mesh::MeshSettings::read(document.root().optional("mesh"), model);
  const int  levels   = settings.global_refinements;
  settings.global_refinements = 0;

  ConditionalOStream out(std::cout, Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0);
  Timer              timer;
  parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  const chiptherm::mesh::StackMeshBuilder builder(model, settings);
  out << "grid lines   " << timer.wall_time() << " s: " << builder.lines(0).size() << " x " << builder.lines(1).size()
      << " x " << builder.lines(2).size() << "\n";
  const auto info = builder.build(tria);
  out << "coarse mesh  " << timer.wall_time() << " s: " << tria.n_global_active_cells() << " cells\n";
  tria.refine_global(levels);
  out << "refined x" << levels << "  " << timer.wall_time() << " s: " << tria.n_global_active_cells() << " cells\n";
  const chiptherm::solver::ChipCoefficients coefficients(model, info.zones, tria);
  out << "zones        " << timer.wall_time() << " s: " << info.zones.size() << " zones" << std::endl;
  return 0;
}
