// `power_map:` of a layer or a region (issue 21): the raster, its extent, the
// two kinds of values, and every bad map naming file and what was expected.
#include "floorplans/case_reader.h"

#include "scratch_files.h"

#include <doctest/doctest.h>

#include <cstring>

using namespace chiptherm;
using namespace chiptherm::floorplans;

namespace
{
  const char *folder = "chiptherm_unit_power_map";

  std::string case_with(const std::string &layer_map, const std::string &region_map = "")
  {
    return R"(version: 1
stack:
  - name: die
    material: silicon
    thickness: 100
    footprint: [0, 0, 4000, 2000])" +
           layer_map + R"(
    regions:
      - {name: chiplet, material: silicon, at: [3000, 0], size: [1000, 1000])" +
           region_map + R"(}
)";
  }

  ChipModel read(const std::string &text)
  {
    return read_chip_model(CaseDocument::parse(text, test::scratch_file(folder, "case.yaml", text)));
  }

  std::string error_of(const std::string &text)
  {
    return test::input_error_of([&] { read(text); });
  }
} // namespace

TEST_CASE("power maps: pixels of power or density, over the footprint or an extent, in a region")
{
  test::scratch_file(folder, "two_by_three.csv", "# row 0 is the lowest y\n1, 2, 3\n4, 5, 6\n");
  const auto m = read(case_with("\n    power_map: {file: two_by_three.csv, scale: 0.5}",
                                ", power_map: {file: two_by_three.csv, values: density_w_m2, extent: [0, 0, 300, 200]}"));
  const auto &maps = m.layers[0].power_maps;
  REQUIRE(maps.size() == 2);
  CHECK(maps[0].nx == 3);
  CHECK(maps[0].ny == 2);
  CHECK(maps[0].extent.width == doctest::Approx(4e-3)); // the layer's footprint
  CHECK(maps[0].power_w[3] == doctest::Approx(2.0));    // row 1, column 0: 4 W, scaled by 0.5
  CHECK(maps[0].total_w == doctest::Approx(10.5));
  // In the region: extent relative to its corner; densities times the 100 x 100 um pixels.
  CHECK(maps[1].extent.x == doctest::Approx(3e-3));
  CHECK(maps[1].power_w[5] == doctest::Approx(6 * 1e-8));
  CHECK(m.total_power_w() == doctest::Approx(10.5 + 21e-8));
  CHECK(m.layers[0].is_powered());
}

TEST_CASE("power maps: bad maps name the file and what was expected")
{
  test::scratch_file(folder, "nan.csv", "1, 2\nnan, 4\n");
  CHECK(error_of(case_with("\n    power_map: {file: nan.csv}"))
          .find("nan.csv: key 'stack.die.power_map.file': expected finite, non-negative power_w values, got nan at "
                "row 1, column 0") != std::string::npos);
  test::scratch_file(folder, "negative.csv", "1, -2\n");
  CHECK(error_of(case_with("\n    power_map: {file: negative.csv}")).find("at row 0, column 1") != std::string::npos);
  test::scratch_file(folder, "ragged.csv", "1, 2\n3\n");
  CHECK(error_of(case_with("\n    power_map: {file: ragged.csv}")).find("ragged.csv:2:") != std::string::npos);
  test::scratch_file(folder, "complex.npy",
                     std::string("\x93NUMPY\x01\x00\x46\x00", 10) +
                       "{'descr': '<c16', 'fortran_order': False, 'shape': (1, 1), }" + std::string(9, ' ') + "\n" +
                       std::string(16, '\0'));
  CHECK(error_of(case_with("\n    power_map: {file: complex.npy}")).find("unsupported .npy dtype") !=
        std::string::npos);
  test::scratch_file(folder, "huge.npy",
                     std::string("\x93NUMPY\x01\x00\x46\x00", 10) +
                       "{'descr': '<f8', 'fortran_order': False, 'shape': (5000, 3), }" + std::string(7, ' ') + "\n");
  CHECK(error_of(case_with("\n    power_map: {file: huge.npy}")).find("expected at most 4096 x 4096") !=
        std::string::npos);
  CHECK(error_of(case_with("\n    power_map: {file: missing.csv}")).find("does not exist") != std::string::npos);
  CHECK(error_of(case_with("\n    power_map: {file: two_by_three.csv, extent: [0, 0, 5000, 100]}"))
          .find("expected the map inside layer 'die'") != std::string::npos);
  CHECK(error_of(case_with("\n    power_map: {file: two_by_three.csv, values: watts}")).find("power_w") !=
        std::string::npos);
}

TEST_CASE("power maps over time: one file per frame or a 3D .npy, with the times each frame starts")
{
  test::scratch_file(folder, "f0.csv", "1, 2, 3\n4, 5, 6\n");
  test::scratch_file(folder, "f1.csv", "3, 2, 1\n0, 1, 2\n");
  test::scratch_file(folder, "small.csv", "1, 2\n");
  const auto m = read(case_with("\n    power_map: {files: [f0.csv, f1.csv], times: [0, 0.01]}"));
  const auto &map = m.layers[0].power_maps.at(0);
  REQUIRE(map.frames_w.size() == 2);
  CHECK(map.frame_total_w[0] == doctest::Approx(21));
  CHECK(map.frame_total_w[1] == doctest::Approx(9));
  CHECK(map.total_w == doctest::Approx(15)); // steady runs: the frames' mean
  CHECK(map.frame_at(0.005, false) == 0);
  CHECK(map.frame_at(0.01, true) == 0);
  CHECK(map.frame_at(0.01, false) == 1);
  CHECK(map.pixels(1)[3] == doctest::Approx(0));

  const std::string frames_npy =
    std::string("\x93NUMPY\x01\x00\x46\x00", 10) + "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 2), }" +
    std::string(7, ' ') + "\n";
  std::string data(4 * sizeof(double), '\0');
  const double values[4] = {1, 2, 5, 7};
  std::memcpy(data.data(), values, sizeof values);
  test::scratch_file(folder, "frames.npy", frames_npy + data);
  const auto n = read(case_with("\n    power_map: {file: frames.npy, times: [0, 1]}"));
  REQUIRE(n.layers[0].power_maps.at(0).frames_w.size() == 2);
  CHECK(n.layers[0].power_maps.at(0).frame_total_w[1] == doctest::Approx(12));

  CHECK(error_of(case_with("\n    power_map: {files: [f0.csv, f1.csv], times: [0]}"))
          .find("expected 2 times, one per frame, got 1") != std::string::npos);
  CHECK(error_of(case_with("\n    power_map: {files: [f0.csv, f1.csv]}")).find("expected times") != std::string::npos);
  CHECK(error_of(case_with("\n    power_map: {files: [f0.csv, f1.csv], times: [0.01, 0.01]}"))
          .find("expected increasing times") != std::string::npos);
  CHECK(error_of(case_with("\n    power_map: {files: [f0.csv, small.csv], times: [0, 1]}"))
          .find("expected 2 rows x 3 columns like the first map, got 1 x 2") != std::string::npos);
  CHECK(error_of(case_with("\n    power_map: {file: f0.csv, files: [f1.csv]}")).find("not both") != std::string::npos);
}
