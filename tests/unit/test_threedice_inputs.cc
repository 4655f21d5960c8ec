// 3D-ICE's stack (.stk) and floorplan (.flp) readers and the 3D-ICE importer:
// units, order, and every malformed case naming file and line.
#include "common/case_document.h"
#include "floorplans/case_reader.h"
#include "foreign/threedice_import.h"
#include "foreign/threedice_stack.h"

#include "scratch_files.h"

#include <doctest/doctest.h>

using namespace chiptherm;
using namespace chiptherm::foreign;

namespace
{
  const char *folder = "chiptherm_unit_threedice";

  std::string file(const std::string &name, const std::string &text)
  {
    return test::scratch_file(folder, name, text);
  }

  const std::string material_lines = "material SILICON : thermal conductivity 1.30e-4 ; volumetric heat capacity 1.628e-12 ;\n"
                                "material BEOL : thermal conductivity 2.25e-6 ; volumetric heat capacity 2.175e-12 ;\n";

  /// A stack over floorplan "f.flp" with body text replacing the default die/stack/solver.
  std::string stack(const std::string &die = "die D : layer 10 BEOL ; source 2 SILICON ; layer 50 SILICON ;\n",
                    const std::string &solver = "solver : steady ; initial temperature 300 ;\n")
  {
    return material_lines + "top heat sink : heat transfer coefficient 1.0e-8 ; temperature 300 ;\n"
                       "dimensions : chip length 2000, width 1000 ; cell length 100, width 100 ;\n" +
           die + "stack : die TOP D floorplan \"f.flp\" ; die BOTTOM D floorplan \"f.flp\" ;\n" + solver;
  }

  const std::string good_flp = "// two elements\n"
                               "a : position 0, 0 ; dimension 1000, 1000 ; power values 2, 3 ;\n"
                               "/* one element\n   in two rectangles */\n"
                               "b : rectangle (1000, 0, 1000, 500) ; rectangle (1000, 500, 1000, 500) ;\n"
                               "    power values 1, 1 ;\n";

  std::string stack_error(const std::string &stk, const std::string &flp = good_flp)
  {
    file("f.flp", flp);
    const auto path = file("bad.stk", stk);
    return test::input_error_of([&] { read_threedice_stack(path); });
  }
} // namespace

TEST_CASE("3D-ICE stack: SI units, dies top to bottom, floorplans with rectangles")
{
  file("f.flp", good_flp);
  const auto s = read_threedice_stack(file("good.stk", stack("die D : layer 10 BEOL ; source 2 SILICON ; layer 50 SILICON ;\n",
                                                             "solver : transient step 0.01, slot 0.05 ;\n"
                                                             "initial temperature 310 ;\n"
                                                             "output : T ( TOP, 10, 10, \"x.txt\", final ) ;\n")));
  CHECK(s.materials.at("SILICON").conductivity_w_mk == doctest::Approx(130));
  CHECK(s.materials.at("SILICON").heat_capacity_j_m3k == doctest::Approx(1.628e6));
  CHECK(s.top_sink->h_w_m2k == doctest::Approx(1e4));
  CHECK(s.chip_length_m == doctest::Approx(2e-3));
  REQUIRE(s.entries.size() == 2);
  CHECK(s.entries[0].name == "TOP");
  REQUIRE(s.entries[0].layers.size() == 3);
  CHECK(s.entries[0].layers[1].source);
  CHECK(s.entries[0].layers[2].height_m == doctest::Approx(50e-6));
  const auto &plan = *s.entries[0].floorplan;
  REQUIRE(plan.elements.size() == 2);
  CHECK(plan.elements[1].rects.size() == 2);
  CHECK(plan.elements[0].powers_w[1] == doctest::Approx(3));
  CHECK(s.transient);
  CHECK(s.slot_s == doctest::Approx(0.05));
  CHECK(s.initial_temperature_k == doctest::Approx(310));
}

TEST_CASE("3D-ICE import: the stack bottom to top, blocks on the source layers, schedules per slot")
{
  file("f.flp", good_flp);
  const auto path = file("imp.stk", stack("die D : layer 10 BEOL ; source 2 SILICON ; layer 50 SILICON ;\n",
                                          "solver : transient step 0.01, slot 0.05 ; initial temperature 300 ;\n"));
  const auto imported = import_threedice(path);
  const auto model    = floorplans::read_chip_model(CaseDocument::parse(imported.yaml, "imp.yaml"));
  REQUIRE(model.layers.size() == 6);
  // bottom of the stack: die BOTTOM's last-listed layer (50 um of silicon)
  CHECK(model.layers[0].name == "BOTTOM_3");
  CHECK(model.layers[0].thickness_m == doctest::Approx(50e-6));
  CHECK(model.layers[1].name == "BOTTOM");
  CHECK(model.layers[4].name == "TOP");
  CHECK(model.layers[5].name == "TOP_1");
  REQUIRE(model.layers[4].blocks.size() == 2); // a, and b of two rectangles: one block
  CHECK(model.layers[4].blocks[0].power_w == doctest::Approx(2)); // the first slot
  CHECK(model.layers[4].blocks[1].name == "b");
  CHECK(model.layers[4].blocks[1].rects.size() == 2);
  CHECK(model.layers[4].blocks[1].power_w == doctest::Approx(1));
  CHECK(model.layers[4].blocks[0].power_over_time.at(0.06) == doctest::Approx(3));
  CHECK(model.boundaries.top.h_w_m2k == doctest::Approx(1e4));
  CHECK(model.boundaries.bottom.is_adiabatic());
}

TEST_CASE("3D-ICE: malformed stacks and floorplans name file and line")
{
  CHECK(stack_error(stack("die D : layer 10 BEOL ; source 2 SILICN ; layer 50 SILICON ;\n"))
          .find("bad.stk:5: material 'SILICN' is not defined") != std::string::npos);
  CHECK(stack_error(stack("die D : layer 10 BEOL ; layer 50 SILICON ;\n"))
          .find("bad.stk:5: die 'D' has 0 source layers") != std::string::npos);
  CHECK(stack_error(stack("die D : source 10 BEOL ; source 50 SILICON ;\n")).find("has 2 source layers") !=
        std::string::npos);
  CHECK(stack_error("microchannel 4rm : height 100 ;\n").find("bad.stk:1: microchannel and pin-fin cavities") !=
        std::string::npos);
  CHECK(stack_error(material_lines + "material X : thermal conductivity abc ;").find("bad.stk:3: expected a number") !=
        std::string::npos);
  CHECK(stack_error(stack("die D : layer 10 BEOL ; source 2 SILICON ;\n", "")).find("has no 'solver' section") !=
        std::string::npos);
  CHECK(stack_error(stack("die D : layer 10 BEOL ; source 2 SILICON ;\n", "solver : sometimes ;"))
          .find("expected 'steady' or 'transient") != std::string::npos);

  // floorplans
  CHECK(stack_error(stack(), "a : position 0, 0 ; dimension 1000, 1000 ; power values 2 ;\n"
                             "b : position 500, 0 ; dimension 1000, 1000 ; power values 2 ;\n")
          .find("f.flp:2: element 'b' overlaps element 'a' (line 1)") != std::string::npos);
  CHECK(stack_error(stack(), "a : position 1500, 0 ; dimension 1000, 1000 ; power values 2 ;\n")
          .find("f.flp:1: element 'a' reaches outside the chip") != std::string::npos);
  CHECK(stack_error(stack(), "a : position 0, 0 ; dimension 1000, 1000 ; power values 2, 3 ;\n"
                             "b : position 1000, 0 ; dimension 1000, 1000 ; power values 2 ;\n")
          .find("f.flp:2: element 'b' has 1 power values") != std::string::npos);
  CHECK(stack_error(stack(), "a : position 0, 0 ; dimension 1000 1000 ; power values 2 ;\n")
          .find("f.flp:1: expected ','") != std::string::npos);
  CHECK(stack_error(stack(), "a : position 0, 0 ; dimension 1000, 1000 ; power values 2 ;\n/* open")
          .find("f.flp:2: a /* comment that starts here is never closed") != std::string::npos);
}
