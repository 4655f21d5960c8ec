#include "mesh/stack_mesh_builder.h"

#include "mesh/block_boxes.h"
#include "mesh/local_refinement.h"

#include "floorplans/case_reader.h"

#include <deal.II/grid/tria.h>

#include "sample_case.h"

#include <doctest/doctest.h>

#include <map>

using namespace chiptherm;
using namespace dealii;

namespace
{

  /// The shared sample with blocks off any regular grid and explicit mesh sizes.
  CaseDocument package_case()
  {
    auto doc = CaseDocument::parse(test::three_layer_case, "case.yaml");
    doc.apply_override("stack.die.blocks.a.rect=[130, 170, 1000, 1000]");
    doc.apply_override("stack.die.blocks.b.rect=[1130, 0, 2870, 2000]");
    doc.apply_override("mesh={die_cell_size: 500, package_cell_size: 2000, vertical_cell_size: 200}");
    return doc;
  }

  floorplans::ChipModel read(const std::string &text)
  {
    return floorplans::read_chip_model(CaseDocument::parse(text, "case.yaml"));
  }
} // namespace

TEST_CASE("grid lines pass through every edge and respect the cell sizes")
{
  const auto lines = mesh::make_grid_lines({0, 10, 3, 3.00000001, 40}, 0, 10, 1.0, 4.0, 1e-6);
  CHECK(lines.front() == 0);
  CHECK(lines.back() == 40);
  int through_3 = 0;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i)
    {
      CHECK(lines[i + 1] > lines[i]);
      const double mid = 0.5 * (lines[i] + lines[i + 1]);
      CHECK(lines[i + 1] - lines[i] <= (mid < 10 ? 1.0 : 4.0) + 1e-12);
    }
  for (double l : lines)
    through_3 += std::abs(l - 3) < 1e-6;
  CHECK(through_3 == 1); // the two near-coincident edges merged into one line
}

TEST_CASE("the stack mesh conforms to layers and footprints; blocks are found by exact overlap")
{
  const auto doc      = package_case();
  const auto model    = floorplans::read_chip_model(doc);
  const auto settings = mesh::MeshSettings::read(doc.root().at("mesh"), model);
  Triangulation<3> tria;
  const auto       info = mesh::StackMeshBuilder(model, settings).build(tria);

  // Volumes per layer are exact (every layer and footprint edge is a cell
  // face); block volumes are exact by overlap, though block edges are not faces.
  const mesh::BlockBoxes             boxes(model);
  std::vector<mesh::BlockOverlap>    found;
  std::map<int, double> layer_volume, block_volume;
  double                top_area = 0;
  for (const auto &cell : tria.active_cell_iterators())
    {
      const auto &zone = info.zones.at(cell->material_id());
      layer_volume[zone.layer] += cell->measure();
      boxes.overlaps(mesh::bounding_box_of(cell), found);
      for (const auto &o : found)
        block_volume[o.block] += o.box.volume();
      // No cell straddles a layer interface.
      const auto  &layer = model.layers[zone.layer];
      const double z0 = cell->vertex(0)[2], z1 = cell->vertex(7)[2];
      CHECK(z0 >= layer.z_bottom_m - 1e-12);
      CHECK(z1 <= layer.z_top_m() + 1e-12);
      // Thin layers are not ruined: cells are at most 25 times wider than thick.
      CHECK(std::max(cell->extent_in_direction(0), cell->extent_in_direction(1)) / cell->extent_in_direction(2) <=
            25.0 + 1e-9);
      for (const unsigned int f : cell->face_indices())
        if (cell->face(f)->at_boundary() && cell->face(f)->boundary_id() == mesh::boundary_top)
          top_area += cell->face(f)->measure();
    }
  for (std::size_t l = 0; l < model.layers.size(); ++l)
    CHECK(layer_volume[l] == doctest::Approx(model.layers[l].footprint.area() * model.layers[l].thickness_m).epsilon(1e-12));
  const auto blocks = model.all_blocks();
  for (std::size_t b = 0; b < blocks.size(); ++b)
    CHECK(block_volume[b] ==
          doctest::Approx(blocks[b]->rect.area() * model.layers[0].thickness_m).epsilon(1e-12));
  CHECK(top_area == doctest::Approx(10e-3 * 8e-3).epsilon(1e-12));
  CHECK(info.coarse_cells == tria.n_active_cells());
  // Zones: die, tim, lid (blocks are not zones).
  CHECK(info.zones.size() == 3);
}

TEST_CASE("a floorplan of 1024 blocks costs the coarse mesh of the package alone")
{
  std::string text = "version: 1\nunits: {length: um}\nstack:\n  - name: die\n    material: silicon\n"
                     "    thickness: 100\n    footprint: [0, 0, 16000, 16000]\n    blocks:\n";
  for (int i = 0; i < 32; ++i)
    for (int j = 0; j < 32; ++j)
      text += "      - {name: b" + std::to_string(i * 32 + j) + ", type: logic, rect: [" + std::to_string(i * 500) +
              ", " + std::to_string(j * 500) + ", 500, 500], power: 0.05}\n";
  text += "  - {name: sink, material: copper, thickness: 2000, footprint: {width: 40000, height: 40000, centered: "
          "true}}\nmesh: {die_cell_size: 500, package_cell_size: 4000}\n";
  const auto model    = read(text);
  const auto settings = mesh::MeshSettings::read(CaseDocument::parse(text, "c").root().at("mesh"), model);
  Triangulation<3> tria;
  const auto       info = mesh::StackMeshBuilder(model, settings).build(tria);
  CHECK(model.all_blocks().size() == 1024);
  // No block edge is a grid line: the same lines as with one block only.
  auto       bare      = model;
  bare.layers[0].blocks.resize(1);
  const auto bare_info = [&] {
    Triangulation<3> t;
    return mesh::StackMeshBuilder(bare, settings).build(t);
  }();
  CHECK(info.lines == bare_info.lines);
  CHECK(info.coarse_cells == bare_info.coarse_cells);
  CHECK(info.zones.size() == 2);
  CHECK(tria.n_active_cells() == info.coarse_cells);
  CHECK(mesh::StackMeshBuilder(model, settings).count_coarse_cells() == info.coarse_cells);
}

TEST_CASE("one cell through a powered layer unless a block leaks")
{
  using Run     = mesh::MeshSettings::Run;
  auto doc      = CaseDocument::parse(test::three_layer_case, "case.yaml");
  auto model    = floorplans::read_chip_model(doc);
  const auto no = doc.root().optional("mesh");
  CHECK(mesh::MeshSettings::read(no, model, 1, Run::steady).min_powered_cells == 1);
  CHECK(mesh::MeshSettings::read(no, model, 1, Run::transient).min_powered_cells == 1);
  // Set in the case file: it wins.
  doc.apply_override("mesh={min_powered_cells: 3}");
  CHECK(mesh::MeshSettings::read(doc.root().at("mesh"), model, 1, Run::transient).min_powered_cells == 3);
  // A leaky block keeps two: leakage integrates the temperature through the die.
  doc.apply_override("stack.die.blocks.b.leakage={p0: 1.0, t0: 25, beta: 0.03}");
  model = floorplans::read_chip_model(doc);
  CHECK(mesh::MeshSettings::read(doc.root().optional("mesh"), model, 1, Run::transient).min_powered_cells == 3);
  auto leaky = CaseDocument::parse(test::three_layer_case, "case.yaml");
  leaky.apply_override("stack.die.blocks.b.leakage={p0: 1.0, t0: 25, beta: 0.03}");
  for (const Run run : {Run::steady, Run::transient})
    CHECK(mesh::MeshSettings::read(leaky.root().optional("mesh"), floorplans::read_chip_model(leaky), 1, run)
            .min_powered_cells == 2);
}

TEST_CASE("a steady run's coarse cells over a die of small blocks are a few die thicknesses wide")
{
  using Run = mesh::MeshSettings::Run;
  // A 6 mm, 100 um die: nominal Q2 size 500 um; tiles of `tile` um.
  const auto tiled = [](int tile) {
    std::string yaml = "version: 1\nname: t\nunits: {length: um, temperature: C}\nambient: 40\nstack:\n"
                       "  - name: die\n    material: silicon\n    thickness: 100\n    footprint: [0, 0, 6000, 6000]\n"
                       "    blocks:\n";
    for (int x = 0, i = 0; x < 6000; x += tile)
      for (int y = 0; y < 6000; y += tile, ++i)
        yaml += "      - {name: b" + std::to_string(i) + ", type: logic, rect: [" + std::to_string(x) + ", " +
                std::to_string(y) + ", " + std::to_string(tile) + ", " + std::to_string(tile) + "], power: 0.1}\n";
    return yaml + "boundaries:\n  top: {h: 5000}\n";
  };
  const auto die_cell = [](const std::string &yaml, unsigned int degree, Run run) {
    auto doc = CaseDocument::parse(yaml, "case.yaml");
    return mesh::MeshSettings::read(doc.root().optional("mesh"), floorplans::read_chip_model(doc), degree, run);
  };
  const std::string small = tiled(400), large = tiled(1000);
  // 400 um tiles, all below the nominal size: 4 x 100 um, within [250, 500] um.
  const auto steady = die_cell(small, 2, Run::steady);
  CHECK(steady.die_cell_size_m == doctest::Approx(400e-6));
  CHECK(steady.package_cell_size_m == doctest::Approx(8 * 500e-6)); // the package keeps the nominal sizes
  CHECK(steady.vertical_cell_size_m == doctest::Approx(2 * 500e-6));
  CHECK(die_cell(small, 2, Run::transient).die_cell_size_m == doctest::Approx(500e-6));
  // Blocks larger than the nominal size: the nominal size.
  CHECK(die_cell(large, 2, Run::steady).die_cell_size_m == doctest::Approx(500e-6));
  // Q1's nominal size (150 um) is below 4 thicknesses already.
  CHECK(die_cell(small, 1, Run::steady).die_cell_size_m == doctest::Approx(150e-6));
  // A die powered by a map alone has no blocks to ask: the nominal size.
  auto doc        = CaseDocument::parse(small, "case.yaml");
  auto map_only   = floorplans::read_chip_model(doc);
  auto &die_layer = map_only.layers.front();
  floorplans::PowerMap map;
  map.extent = {0, 0, 6e-3, 6e-3};
  map.nx = map.ny = 1;
  map.power_w = {1.0};
  map.total_w = 1.0;
  die_layer.blocks.clear();
  die_layer.power_maps.push_back(map);
  REQUIRE(die_layer.is_powered());
  CHECK(mesh::MeshSettings::read(doc.root().optional("mesh"), map_only, 2, Run::steady).die_cell_size_m ==
        doctest::Approx(500e-6));
}
