#include "floorplans/case_reader.h"
#include "mesh/stack_mesh_builder.h"
#include "solver/chip_coefficients.h"
#include <deal.II/base/timer.h>
#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>
#include <iostream>
using namespace dealii;
int main(int argc, char**argv){
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  auto doc = chiptherm::CaseDocument::load(argv[1]);
  for (int i=2;i<argc;++i) doc.apply_override(argv[i]);
  auto model = chiptherm::floorplans::read_chip_model(doc);
  auto ms = chiptherm::mesh::MeshSettings::read(doc.root().optional("mesh"), model);
  int r = ms.global_refinements; ms.global_refinements = 0;
  Timer t;
  parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  chiptherm::mesh::StackMeshBuilder b(model, ms);
  std::cout << "lines " << t.wall_time() << std::endl;
  auto info = b.build(tria);
  std::cout << "coarse " << t.wall_time() << " cells " << tria.n_global_active_cells() << std::endl;
  tria.refine_global(r);
  std::cout << "refined " << t.wall_time() << " cells " << tria.n_global_active_cells() << std::endl;
  chiptherm::solver::ChipCoefficients c(model, info.zones, tria);
  std::cout << "coef " << t.wall_time() << std::endl;
}
