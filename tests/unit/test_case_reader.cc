#include "floorplans/case_reader.h"

#include "sample_case.h"

#include <doctest/doctest.h>

using namespace chiptherm;
using namespace chiptherm::floorplans;
using chiptherm::test::three_layer_case;

namespace
{

  ChipModel read(const std::string &text, const std::vector<std::string> &overrides = {})
  {
    auto doc = CaseDocument::parse(text, "case.yaml");
    for (const auto &o : overrides)
      doc.apply_override(o);
    return read_chip_model(doc);
  }

  std::string error_of(const std::string &text, const std::vector<std::string> &overrides = {})
  {
    try
      {
        read(text, overrides);
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "no error";
  }
} // namespace

TEST_CASE("a valid case is read into SI units")
{
  const ChipModel m = read(three_layer_case);
  CHECK(m.name == "t");
  CHECK(m.ambient_k == doctest::Approx(313.15));
  REQUIRE(m.layers.size() == 3);
  CHECK(m.layers[0].thickness_m == doctest::Approx(100e-6));
  CHECK(m.layers[1].z_bottom_m == doctest::Approx(100e-6));
  CHECK(m.layers[1].footprint.width == doctest::Approx(4e-3)); // inherited from the die
  CHECK(m.layers[2].footprint.x == doctest::Approx(-3e-3));    // centred on the tim
  CHECK(m.layers[2].footprint.y == doctest::Approx(-2e-3));
  CHECK(m.total_power_w() == doctest::Approx(5.5));
  CHECK(m.layers[0].blocks[0].type == BlockType::analog);
  CHECK(*m.layers[0].blocks[0].limit_k == doctest::Approx(343.15));
  CHECK(m.boundaries.top.h_w_m2k == doctest::Approx(5000));
  CHECK(m.boundaries.bottom.is_adiabatic());
}

TEST_CASE("r_convec becomes a film coefficient over the top face")
{
  const ChipModel m = read(three_layer_case, {"boundaries.top={r_convec: 0.5}"});
  CHECK(m.boundaries.top.h_w_m2k == doctest::Approx(1.0 / (0.5 * 10e-3 * 8e-3)));
}

TEST_CASE("regions place their blocks relative to their corner")
{
  const ChipModel m = read(R"(version: 1
stack:
  - name: interposer
    material: silicon
    thickness: 100
    footprint: [0, 0, 20000, 10000]
    regions:
      - name: npu_die
        material: silicon
        at: [2000, 3000]
        size: [5000, 4000]
        blocks: [{name: core, type: accelerator, rect: [1000, 500, 2000, 2000], power: 10}]
)");
  const auto &b = m.layers[0].blocks[0];
  CHECK(b.rect.x == doctest::Approx(3e-3));
  CHECK(b.rect.y == doctest::Approx(3.5e-3));
  CHECK(b.die == "npu_die");
  CHECK(m.boundaries.top.h_w_m2k > 0); // default: HotSpot's package
}

TEST_CASE("every class of bad input names file, line, key and expectation")
{
  // Overlapping blocks.
  CHECK(error_of(three_layer_case, {"stack.die.blocks.b.rect=[900, 0, 1000, 1000]"}).find("overlaps 'a'") !=
        std::string::npos);
  // Block outside its layer.
  CHECK(error_of(three_layer_case, {"stack.die.blocks.b.rect=[3500, 0, 1000, 1000]"}).find("lies outside layer 'die'") !=
        std::string::npos);
  // Zero or negative sizes.
  CHECK(error_of(three_layer_case, {"stack.die.thickness=0"}).find("key 'stack.die.thickness': expected a positive number") !=
        std::string::npos);
  CHECK(error_of(three_layer_case, {"stack.die.blocks.a.rect=[0, 0, -5, 100]"}).find("positive width and height") !=
        std::string::npos);
  // Unknown material, with a suggestion.
  CHECK(error_of(three_layer_case, {"stack.lid.material=coper"}).find("unknown material 'coper' (did you mean 'copper'?)") !=
        std::string::npos);
  // Non-finite number.
  CHECK(error_of(three_layer_case, {"stack.die.blocks.a.power=.nan"}).find("finite") != std::string::npos);
  // (An unknown top-level key is the command layer's check: test_case_setup.cc.)
  // Unknown block type.
  CHECK(error_of(three_layer_case, {"stack.die.blocks.a.type=analogue"}).find("did you mean 'analog'") != std::string::npos);
  // Duplicate names.
  CHECK(error_of(three_layer_case, {"stack.die.blocks.b.name=a"}).find("used twice") != std::string::npos);
  // A layer that does not rest on the one below.
  CHECK(error_of(three_layer_case, {"stack.lid.footprint=[50000, 0, 1000, 1000]"}).find("does not overlap") !=
        std::string::npos);
  // No heat at all, or nowhere for it to go.
  CHECK(error_of(three_layer_case, {"stack.die.blocks.a.power=0", "stack.die.blocks.b.power=0"}).find("dissipates no heat") !=
        std::string::npos);
  CHECK(error_of(three_layer_case, {"boundaries.top=adiabatic"}).find("nowhere to go") != std::string::npos);
  // Wrong version.
  CHECK(error_of(three_layer_case, {"version=2"}).find("expected version 1") != std::string::npos);
}

TEST_CASE("the line in a message is the line of the offending value")
{
  const std::string e = error_of(std::string(three_layer_case).replace(std::string(three_layer_case).find("thickness: 20"), 13,
                                                                "thickness: -20"));
  CHECK(e.find("case.yaml:15: key 'stack.tim.thickness'") == 0);
}

TEST_CASE("power_models give blocks of a type their leakage and activity unless the block gives its own")
{
  const std::string defaults = std::string(three_layer_case) +
                               "power_models:\n"
                               "  logic: {leakage: {fraction: 0.25, t0: 25, beta: 0.02}, activity: 0.5}\n"
                               "  analog: {activity: 0.8}\n";
  auto model = read(defaults);
  const auto *a = model.all_blocks()[0], *b = model.all_blocks()[1];
  // Logic block b: 4 W nominal, leaks 0.25 x 4 W at 25 C, switches half the time.
  REQUIRE(b->leakage);
  CHECK(b->leakage->p0_w == doctest::Approx(1.0));
  CHECK(b->leakage->t0_k == doctest::Approx(298.15));
  CHECK(b->leakage->beta_per_k == doctest::Approx(0.02));
  CHECK(b->power_w == doctest::Approx(2.0));
  // Analog block a: no leakage default for its type; activity 0.8 of 1.5 W.
  CHECK(!a->leakage);
  CHECK(a->power_w == doctest::Approx(1.2));

  // The block's own keys win; its own leakage may be a fraction too.
  model = read(defaults, {"stack.die.blocks.b.leakage={fraction: 0.1, t0: 25, beta: 0.03}",
                          "stack.die.blocks.b.activity=1"});
  b     = model.all_blocks()[1];
  CHECK(b->leakage->p0_w == doctest::Approx(0.4));
  CHECK(b->leakage->beta_per_k == doctest::Approx(0.03));
  CHECK(b->power_w == doctest::Approx(4.0));
  // A block with a schedule keeps it: the type's activity does not apply.
  model = read(defaults, {"stack.die.blocks.b.schedule={points: [[0, 1], [0.01, 3]]}"});
  CHECK(model.all_blocks()[1]->power_over_time.at(0.02, false) == doctest::Approx(3.0));

  // Errors name the key and what was expected.
  CHECK(error_of(defaults, {"power_models.logic.leakage={p0: 1, fraction: 0.1, t0: 25, beta: 0.02}"})
          .find("key 'power_models.logic.leakage': expected exactly one of p0") != std::string::npos);
  CHECK(error_of(defaults, {"power_models.logic.activity=2"}).find("key 'power_models.logic.activity': expected an "
                                                                   "activity factor from 0 to 1") != std::string::npos);
  CHECK(error_of(std::string(three_layer_case) + "power_models: {logik: {activity: 0.5}}\n")
          .find("did you mean 'logic'") != std::string::npos);
}

TEST_CASE("a die turns by 90 degrees with its blocks, and its bulk layer above follows it")
{
  // A 3 x 1 mm die at (1, 1) mm with a 1 x 1 mm block at its left end; the
  // layer above holds its bulk (same region name, no at or size).
  auto text = [](const std::string &rotate) {
    return std::string(R"(version: 1
units: {length: um, temperature: C}
stack:
  - name: active
    material: mold_compound
    thickness: 50
    footprint: [0, 0, 6000, 6000]
    regions:
      - {name: die, material: silicon, at: [1000, 1000], size: [3000, 1000], )") +
           rotate + R"(blocks: [{name: hot, type: logic, rect: [0, 0, 1000, 1000], power: 1}]}
  - name: bulk
    material: mold_compound
    thickness: 200
    regions: [{name: die, material: silicon}]
boundaries:
  top: {h: 1000}
)";
  };
  auto rect = [](const floorplans::Rect &r) {
    return std::vector<double>{r.x * 1e6, r.y * 1e6, r.width * 1e6, r.height * 1e6};
  };
  using V = std::vector<double>;
  const auto plain = read(text(""));
  CHECK(rect(plain.all_blocks()[0]->rect) == V{1000, 1000, 1000, 1000});
  CHECK(rect(plain.layers[1].regions[0].rect) == V{1000, 1000, 3000, 1000}); // the bulk follows
  // Counter-clockwise about the die's corner, which stays at `at`: the die
  // stands 1 mm wide and 3 mm tall, and its left end goes to the bottom (90),
  // the right (180) or the top (270).
  const auto r90 = read(text("rotate: 90, "));
  CHECK(rect(r90.layers[0].regions[0].rect) == V{1000, 1000, 1000, 3000});
  CHECK(rect(r90.all_blocks()[0]->rect) == V{1000, 1000, 1000, 1000});
  CHECK(rect(r90.layers[1].regions[0].rect) == V{1000, 1000, 1000, 3000});
  CHECK(rect(read(text("rotate: 180, ")).all_blocks()[0]->rect) == V{3000, 1000, 1000, 1000});
  CHECK(rect(read(text("rotate: 270, ")).all_blocks()[0]->rect) == V{1000, 3000, 1000, 1000});
  // Moving the die moves its bulk.
  const auto moved = read(text(""), {"stack.active.regions.die.at=[2500, 4000]"});
  CHECK(rect(moved.layers[1].regions[0].rect) == V{2500, 4000, 3000, 1000});
  // Errors: a bad angle; a region without at and nothing below to take it from.
  CHECK(error_of(text("rotate: 45, ")).find("expected one of 0, 90, 180, 270") != std::string::npos);
  CHECK(error_of(text(""), {"stack.bulk.regions.die.name=other"}).find("expected 'at' (no region 'other' in the layer "
                                                                      "below") != std::string::npos);
}

TEST_CASE("a rectilinear block: one name, its rectangles, the bounding box, power over their area")
{
  const std::string l_shape = R"(version: 1
stack:
  - name: die
    material: silicon
    thickness: 100
    footprint: [0, 0, 4000, 4000]
    blocks:
      - {name: ell, type: logic, rects: [[0, 0, 3000, 1000], [0, 1000, 1000, 2000]], power: 4}
      - {name: sq, type: memory, rect: [1000, 1000, 2000, 2000], power: 1}
)";
  const ChipModel m = read(l_shape);
  const auto     &ell = m.layers[0].blocks[0];
  REQUIRE(ell.rects.size() == 2);
  CHECK(ell.rect.width == doctest::Approx(3e-3));
  CHECK(ell.rect.height == doctest::Approx(3e-3));
  CHECK(ell.area_m2() == doctest::Approx(5e-6));
  CHECK(m.layers[0].blocks[1].rects.size() == 1);
  // Another block against one of its rectangles, not its bounding box: sq sits in the L's notch.
  CHECK(error_of(l_shape, {"stack.die.blocks.sq.rect=[500, 1500, 1000, 1000]"}).find("overlaps 'ell'") !=
        std::string::npos);
  CHECK(error_of(l_shape, {"stack.die.blocks.ell.rects=[[0, 0, 3000, 1000], [0, 500, 1000, 2000]]"})
          .find("this one overlaps rectangle 1") != std::string::npos);
  CHECK(error_of(l_shape, {"stack.die.blocks.ell.rect=[0, 0, 10, 10]"}).find("one of rect and rects, not both") !=
        std::string::npos);
  CHECK(error_of(l_shape, {"stack.die.blocks.ell.rects=[]"}).find("at least one rectangle") != std::string::npos);
}

TEST_CASE("values outside physical ranges are input errors that name the key and the range (issue 22)")
{
  auto expect = [](const std::vector<std::string> &overrides, const std::string &part) {
    const std::string message = error_of(three_layer_case, overrides);
    INFO(message);
    CHECK(message.find(part) != std::string::npos);
  };
  // Lengths: within 1 m, in the case's unit.
  expect({"stack.die.thickness=2e6"}, "key 'stack.die.thickness': expected a length within 1e+06 um (1 m");
  expect({"stack.die.footprint=[0, 0, 4e9, 4000]"}, "key 'stack.die.footprint.[2]': expected a length within 1e+06 um");
  expect({"stack.lid.footprint={width: 1e12, height: 8000, centered: true}"}, "stack.lid.footprint.width");
  expect({"stack.die.blocks.a.rect=[-3e6, 0, 1000, 1000]"}, "stack.die.blocks.a.rect.[0]");
  // Powers: at most 100 kW for one block or schedule point.
  expect({"stack.die.blocks.a.power=1e9"}, "key 'stack.die.blocks.a.power': expected a power of at most 100000 W, got '1e9'");
  expect({"stack.die.blocks.a.schedule={pulse: {base: 0, peak: 2e5, width: 0.01}}"}, "stack.die.blocks.a.schedule.pulse.peak");
  // Temperatures: 0 K to 1000 C.
  expect({"ambient=5000"}, "key 'ambient': expected a temperature from 0 K to 1000 C, got '5000'");
  expect({"ambient=-300"}, "key 'ambient'");
  expect({"stack.die.blocks.a.limit=1e6"}, "stack.die.blocks.a.limit");
  // Film coefficients: at most 1e8 W/(m^2 K), directly or through r_convec.
  expect({"boundaries.top.h=1e12"}, "key 'boundaries.top.h': expected a value from 0 to 1e+08 W/(m^2 K)");
  expect({"boundaries.top={r_convec: 1e-15}"}, "key 'boundaries.top.r_convec': expected a resistance of at least");
  // The limits themselves are accepted.
  CHECK_NOTHROW(read(three_layer_case, {"stack.die.blocks.a.power=1e5", "ambient=1000", "boundaries.top.h=1e8"}));
}
