// A thin layer that conducts far better through its thickness than its
// neighbours (a 2 um copper bond between BEOL layers) is refined in columns
// with them: no face of it carries hanging nodes, and the p-multigrid's CG
// iterations no longer grow where the cells on one side are finer.
#include "chip_run.h"

#include "floorplans/case_reader.h"
#include "mesh/mesh_settings.h"
#include "mesh/stack_mesh_builder.h"
#include "mesh/stiff_layers.h"

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/tria.h>

#include <doctest/doctest.h>

using namespace chiptherm;
using namespace dealii;

namespace
{
  // Blocks in the lower BEOL only: its cells are refined, the bond's are not
  // asked to be. The bond: copper over most of the die (200x the BEOL's k_z / t),
  // gap-fill oxide beside it (3.7x: stiff only as part of a stiff layer).
  const char *bonded_case = R"(version: 1
name: bonded
units: {length: um, temperature: C}
ambient: 40
stack:
  - name: base
    material: silicon
    thickness: 300
    footprint: [0, 0, 8000, 8000]
  - name: active
    material: beol
    thickness: 12
    blocks:
      - {name: a, type: logic, rect: [500, 500, 1000, 1000], power: 2}
      - {name: b, type: logic, rect: [2200, 2000, 1200, 1500], power: 1}
  - name: bond
    material: sio2
    thickness: 2
    regions:
      - {name: pads, material: copper, at: [0, 0], size: [5000, 8000]}
  - name: upper_active
    material: beol
    thickness: 12
  - name: upper
    material: silicon
    thickness: 200
boundaries:
  top: {h: 5000}
mesh:
  policy: {logic: {cell_size: 125}}
)";
} // namespace

TEST_CASE("stiff layers: the bond is found, and the closure leaves no hanging nodes on its faces")
{
  auto       doc      = CaseDocument::parse(bonded_case, "bonded.yaml");
  const auto model    = floorplans::read_chip_model(doc);
  const auto settings = mesh::MeshSettings::read(doc.root().at("mesh"), model, 2);
  parallel::distributed::Triangulation<3> tria(MPI_COMM_WORLD);
  const auto                              info  = mesh::StackMeshBuilder(model, settings).build(tria);
  const auto                              stiff = mesh::stiff_zones(model, info.zones);
  for (std::size_t z = 0; z < info.zones.size(); ++z)
    CHECK(stiff[z] == (model.layers[info.zones[z].layer].name == "bond"));
  for (const double off : {0.0, -1.0}) // mesh.stiff_layer_ratio: 0 is "off"
    for (const bool s : mesh::stiff_zones(model, info.zones, off))
      CHECK_FALSE(s);

  // Three rounds of refinement in the lower BEOL only, around one corner.
  unsigned long long added = 0;
  for (unsigned int round = 0; round < 3; ++round)
    {
      for (const auto &cell : tria.active_cell_iterators())
        if (cell->is_locally_owned() && model.layers[info.zones[cell->material_id()].layer].name == "active" &&
            cell->center()[0] < 2e-3 && cell->center()[1] < 2e-3)
          cell->set_refine_flag();
      added += mesh::close_flags_at_stiff_zones(tria, stiff);
      tria.execute_coarsening_and_refinement();
      // p4est's balance may refine a few cells more: the next call flags their partners.
      while (const auto more = mesh::close_flags_at_stiff_zones(tria, stiff))
        {
          added += more;
          tria.execute_coarsening_and_refinement();
        }
    }
  CHECK(added > 0);
  unsigned int hanging = 0, bond_cells_refined = 0;
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->is_locally_owned() && stiff[cell->material_id()])
      {
        bond_cells_refined += cell->level() > 0;
        for (const unsigned int f : {4u, 5u})
          if (!cell->at_boundary(f))
            {
              const auto n = cell->neighbor(f);
              hanging += n->has_children() || n->level() != cell->level();
            }
      }
  CHECK(Utilities::MPI::sum(hanging, MPI_COMM_WORLD) == 0);
  CHECK(Utilities::MPI::sum(bond_cells_refined, MPI_COMM_WORLD) > 0);
}

TEST_CASE("stiff layers: refined in columns, the p-multigrid needs few CG iterations")
{
  const auto iterations = [](double ratio) {
    const auto run = testing::run_case(bonded_case, {"mesh.stiff_layer_ratio=" + std::to_string(ratio),
                                                     "adaptivity.max_cycles=0"});
    const auto &cycle = run->adaptivity.cycles.front();
    return std::make_pair(cycle.linear_iterations, cycle.enriched_iterations);
  };
  const auto columns = iterations(10), hanging = iterations(0);
  MESSAGE("Q2 + Q3 CG iterations: " << columns.first << " + " << columns.second << " in columns, " << hanging.first
                                    << " + " << hanging.second << " with hanging nodes on the bond");
  CHECK(columns.first + columns.second < hanging.first + hanging.second);
  // On more ranks the partition cuts the columns (the coarse cells' order is
  // deal.II's, not column by column), and lines end there: 85 + 141 against
  // 156 + 228 on 2 ranks (docs/design.md, "Stiff thin layers").
  if (Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) > 1)
    return;
  // Measured 6 + 9 against 137 + 213 (1 rank, 2026-12-02).
  CHECK(columns.first <= 15);
  CHECK(columns.second <= 20);
  CHECK(4 * (columns.first + columns.second) < hanging.first + hanging.second);
}
