#include "common/errors.h"
#include "foreign/hotspot_floorplan.h"

#include "scratch_files.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace chiptherm;
using namespace chiptherm::foreign;

namespace
{
  std::string flp(const std::string &name, const std::string &text)
  {
    return test::scratch_file("chiptherm_unit_hotspot", name, text);
  }

  std::string error_of(const std::string &path)
  {
    return test::input_error_of([&] { read_hotspot_floorplan(path); });
  }
} // namespace

TEST_CASE("HotSpot .flp: units, optional materials, connectivity lines skipped, die from the bounding box")
{
  const auto path = flp("good.flp", "# two cores and a cache\n"
                                    "core0\t0.002\t0.001\t0\t0\n"
                                    "core1 0.002 0.001 0.002 0   1.75e6 0.01\n"
                                    "\n"
                                    "cache 0.004 0.002 0 0.001 # shared L2\n"
                                    "core0 core1 1.0\n");
  const auto plan = read_hotspot_floorplan(path);
  REQUIRE(plan.units.size() == 3);
  CHECK(plan.units[0].name == "core0");
  CHECK(plan.units[1].left_m == doctest::Approx(0.002));
  CHECK(plan.units[1].heat_capacity_j_m3k.value() == doctest::Approx(1.75e6));
  CHECK(plan.units[1].resistivity_mk_w.value() == doctest::Approx(0.01));
  CHECK(!plan.units[0].heat_capacity_j_m3k);
  CHECK(plan.units[2].line == 5);
  CHECK(plan.width_m == doctest::Approx(0.004));
  CHECK(plan.height_m == doctest::Approx(0.003));
}

TEST_CASE("HotSpot .flp: every malformed file names its line")
{
  CHECK(error_of(flp("tokens.flp", "a 1 1 0\n")) ==
        flp("tokens.flp", "a 1 1 0\n") +
          ":1: expected 'name width height left-x bottom-y' (5 values) or those plus heat capacity and resistivity "
          "(7), got 4 values");
  const auto word = flp("word.flp", "a 0.001 0.001 0 0\nb 0.001 wide 0.001 0\n");
  CHECK(error_of(word) == word + ":2: expected a number for the height (m), got 'wide'");
  const auto overlap = flp("overlap.flp", "a 0.002 0.001 0 0\nb 0.002 0.001 0.001 0\n");
  CHECK(error_of(overlap) == overlap + ":2: unit 'b' overlaps unit 'a' (line 1) by 1 x 1 mm, more than the tolerance "
                                      "for rounding in floorplans (1 um)");
  const auto gap = flp("gap.flp", "a 0.001 0.001 0 0\nb 0.001 0.001 0.002 0\n");
  CHECK(error_of(gap).find(gap + ": the units leave 1 mm^2 of their bounding box (3 x 1 mm)") == 0);
  const auto twice = flp("twice.flp", "a 0.001 0.001 0 0\na 0.001 0.001 0.001 0\n");
  CHECK(error_of(twice) == twice + ":2: unit 'a' is defined twice");
  const auto negative = flp("negative.flp", "a -0.001 0.001 0 0\n");
  CHECK(error_of(negative) == negative + ":1: expected a positive width and height for unit 'a'");
  CHECK(error_of(flp("empty.flp", "# nothing\n")).find("holds no units") != std::string::npos);
  CHECK(error_of("/nonexistent/x.flp") == "/nonexistent/x.flp: cannot open the HotSpot floorplan (does it exist and is it readable?)");
}

TEST_CASE("HotSpot .flp: gaps and overlaps up to the tolerance are absorbed and named, as in HotSpot's ev6.flp")
{
  // Two 1 um slivers between units, as HotSpot 7's ev6.flp has (6 x 1.033 mm in 6.2 mm).
  const auto gaps = flp("slivers.flp", "a 0.001033 0.0007 0        0\n"
                                       "b 0.001033 0.0007 0.001033 0\n"
                                       "c 0.001033 0.0007 0.002067 0\n"
                                       "top 0.0031 0.001 0 0.0007\n");
  const auto plan = read_hotspot_floorplan(gaps);
  REQUIRE(plan.absorbed.size() == 1);
  CHECK(plan.absorbed[0].find("a gap of 1 x 700 um at (2.066, 0) mm between 'b', 'c', 'top'") != std::string::npos);
  CHECK(plan.width_m == doctest::Approx(0.0031));
  // The same gap is an error below its width.
  CHECK(test::input_error_of([&] { read_hotspot_floorplan(gaps, 0.5e-6); })
          .find("among them a gap of 1 x 700 um at (2.066, 0) mm wider than the tolerance") != std::string::npos);

  // A 0.8 um overlap is cut from the later unit, on the side it overlaps.
  const auto thin = flp("thin_overlap.flp", "a 0.001 0.001 0 0\nb 0.001 0.001 0.0009992 0\n");
  const auto cut  = read_hotspot_floorplan(thin);
  REQUIRE(cut.absorbed.size() == 1);
  CHECK(cut.absorbed[0] == thin + ":2: unit 'b' overlapped 'a' by 0.8 um; cut from 'b'");
  CHECK(cut.units[1].left_m == doctest::Approx(0.001));
  CHECK(cut.units[1].width_m == doctest::Approx(0.0009992));
  CHECK(cut.units[0].width_m == doctest::Approx(0.001));

  // A bent sliver counts by its area; a square hole does not pass as a sliver.
  const auto hole = flp("hole.flp", "l 0.001 0.003 0 0\nr 0.001 0.003 0.002 0\nb 0.001 0.001 0.001 0\n"
                                    "t 0.001 0.001 0.001 0.002\n");
  CHECK(test::input_error_of([&] { read_hotspot_floorplan(hole); }).find("a gap of 1000 x 1000 um at (1, 1) mm") !=
        std::string::npos);

  // hotfloorplan's descriptions are not floorplans.
  const auto desc = flp("ev6.desc", "Icache 8.3459e-6 1 3 1\n");
  CHECK(error_of(desc).find("floorplan description for HotSpot's floorplanner") != std::string::npos);
}
