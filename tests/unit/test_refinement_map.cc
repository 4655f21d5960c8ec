#include "floorplans/case_reader.h"
#include "mesh/mesh_settings.h"
#include "mesh/refinement_map.h"
#include "mesh/size_field.h"

#include "sample_case.h"
#include "scratch_files.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace chiptherm;
using namespace chiptherm::mesh;
using chiptherm::test::three_layer_case;

namespace
{
  std::filesystem::path scratch_file(const std::string &name, const std::string &bytes)
  {
    return test::scratch_file("chiptherm_unit_refinement_map", name, bytes);
  }

  /// A NumPy 1.0 file: header dict padded to 64 bytes, then the data.
  std::string npy(const std::string &descr, const std::string &shape, const std::string &data, bool fortran = false)
  {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
    while ((10 + dict.size() + 1) % 64 != 0)
      dict += ' ';
    dict += '\n';
    std::string out = "\x93NUMPY";
    out += char(1), out += char(0);
    out += char(dict.size() & 0xff), out += char(dict.size() >> 8);
    return out + dict + data;
  }

  template <typename T>
  std::string bytes_of(const std::vector<T> &v)
  {
    std::string s(v.size() * sizeof(T), '\0');
    std::memcpy(s.data(), v.data(), s.size());
    return s;
  }

  std::string error_of(const std::function<void()> &f)
  {
    return test::input_error_of(f);
  }
} // namespace

TEST_CASE("CSV raster: rows, comments, and errors with file and line")
{
  const auto good = scratch_file("good.csv", "# fine corner\n1, 2, 3\n\n4,5,6 # tail comment\n");
  const auto r    = read_raster_csv(good.string(), "refinement map file");
  CHECK(r.nx == 3);
  CHECK(r.ny == 2);
  CHECK(r.values == std::vector<double>{1, 2, 3, 4, 5, 6});

  const auto ragged = scratch_file("ragged.csv", "1,2,3\n4,5\n");
  CHECK(error_of([&] { read_raster_csv(ragged.string(), "refinement map file"); }) ==
        ragged.string() + ":2: expected 3 values like the first row, got 2");
  const auto word = scratch_file("word.csv", "1,2\n3,fast\n");
  CHECK(error_of([&] { read_raster_csv(word.string(), "refinement map file"); }) ==
        word.string() + ":2: expected comma-separated numbers, got 'fast' in column 2");
  const auto empty = scratch_file("empty.csv", "# nothing\n");
  CHECK(error_of([&] { read_raster_csv(empty.string(), "refinement map file"); }).find("holds no numbers") != std::string::npos);
}

TEST_CASE(".npy raster: dtypes, Fortran order, and bad files")
{
  const auto f8 = scratch_file("f8.npy", npy("<f8", "(2, 3)", bytes_of<double>({1, 2, 3, 4, 5, 6})));
  auto       r  = read_raster_npy(f8.string(), "refinement map file");
  CHECK(r.nx == 3);
  CHECK(r.ny == 2);
  CHECK(r.values == std::vector<double>{1, 2, 3, 4, 5, 6});

  // Fortran order stores columns: the same 2 x 3 array.
  const auto fo = scratch_file("fo.npy", npy("<f4", "(2, 3)", bytes_of<float>({1, 4, 2, 5, 3, 6}), true));
  CHECK(read_raster_npy(fo.string(), "refinement map file").values == std::vector<double>{1, 2, 3, 4, 5, 6});
  const auto u8 = scratch_file("u8.npy", npy("|u1", "(1, 2)", std::string("\x07\xff", 2)));
  CHECK(read_raster_npy(u8.string(), "refinement map file").values == std::vector<double>{7, 255});

  const auto one_d = scratch_file("1d.npy", npy("<f8", "(3,)", bytes_of<double>({1, 2, 3})));
  CHECK(error_of([&] { read_raster_npy(one_d.string(), "refinement map file"); }).find("expected a 2D array") != std::string::npos);
  const auto c16 = scratch_file("c16.npy", npy("<c16", "(1, 1)", std::string(16, '\0')));
  CHECK(error_of([&] { read_raster_npy(c16.string(), "refinement map file"); }).find("unsupported .npy dtype") != std::string::npos);
  const auto short_data = scratch_file("short.npy", npy("<f8", "(2, 2)", bytes_of<double>({1, 2})));
  CHECK(error_of([&] { read_raster_npy(short_data.string(), "refinement map file"); }).find("fewer values") != std::string::npos);
  const auto not_npy = scratch_file("text.npy", "hello");
  CHECK(error_of([&] { read_raster_npy(not_npy.string(), "refinement map file"); }).find("not a NumPy .npy file") != std::string::npos);
}

TEST_CASE("refinement map from the case: cell sizes, priorities, and the size field")
{
  const auto csv = scratch_file("map.csv", "40, 0\n0, 0\n"); // 2 x 2 over the 4 mm die, fine at the origin
  auto doc = CaseDocument::parse(three_layer_case, "case.yaml");
  doc.apply_override("mesh={die_cell_size: 500, refinement_map: {file: " + csv.string() + "}}");
  const auto model    = floorplans::read_chip_model(doc);
  const auto settings = MeshSettings::read(doc.root().at("mesh"), model);
  REQUIRE(settings.refinement_maps.size() == 1);
  const auto &map = settings.refinement_maps[0];
  CHECK(map.layer == 0);
  CHECK(map.smallest_over({0, 0, 1e-3, 1e-3}) == doctest::Approx(40e-6));
  CHECK(map.smallest_over({2.5e-3, 2.5e-3, 1e-3, 1e-3}) == 0);
  // A rectangle touching the fine pixel's edge does not overlap it.
  CHECK(map.smallest_over({2e-3, 0, 1e-3, 1e-3}) == 0);

  // The size field takes the smaller of the map and the block rules, only in the map's layer.
  const SizeField field(model, settings.policy, settings.refinement_maps);
  const double    die_top = model.layers[0].z_top_m();
  CHECK(field.target_size(Box3{{{0, 0, 0}}, {{0.5e-3, 0.5e-3, die_top}}}) == doctest::Approx(40e-6));
  // Block a's (analog) rule and its halo hold in its layer, not in the TIM above (2:1 balance grades that).
  CHECK(field.target_size(Box3{{{0, 0, die_top}}, {{0.5e-3, 0.5e-3, die_top + 1e-5}}}) == 0);
  CHECK(field.target_size(Box3{{{3e-3, 3e-3, 0}}, {{3.5e-3, 3.5e-3, die_top}}}) == 0);

  // Priorities map geometrically from coarsest (p -> 0) to finest (p = 1).
  const auto pri = scratch_file("pri.csv", "1, 0.5\n0, -1\n");
  doc.apply_override("mesh={die_cell_size: 500, refinement_map: {file: " + pri.string() +
                     ", values: priority, finest: 20, coarsest: 500}}");
  const auto p = MeshSettings::read(doc.root().at("mesh"), model).refinement_maps[0];
  CHECK(p.cell_size_m[0] == doctest::Approx(20e-6));
  CHECK(p.cell_size_m[1] == doctest::Approx(std::sqrt(20e-6 * 500e-6)));
  CHECK(p.cell_size_m[2] == 0);
  CHECK(p.cell_size_m[3] == 0);

  const auto bad = scratch_file("bad.csv", "2\n");
  doc.apply_override("mesh={refinement_map: {file: " + bad.string() + ", values: priority}}");
  CHECK(error_of([&] { MeshSettings::read(doc.root().at("mesh"), model); }).find("priority values must lie in [0, 1]") !=
        std::string::npos);
  doc.apply_override("mesh={refinement_map: {file: map.png}}");
  CHECK(error_of([&] { MeshSettings::read(doc.root().at("mesh"), model); }).find("expected a .csv or .npy file") !=
        std::string::npos);
  doc.apply_override("mesh={policy: {analgo: {cell_size: 5}}}");
  CHECK(error_of([&] { MeshSettings::read(doc.root().at("mesh"), model); }).find("analog") != std::string::npos);
}
