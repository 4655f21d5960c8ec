// HotSpot's .config, .materials and .lcf readers and the HotSpot importer:
// defaults, precedence, and every malformed case naming file and line.
#include "common/case_document.h"
#include "floorplans/case_reader.h"
#include "foreign/hotspot_config.h"
#include "foreign/hotspot_import.h"
#include "foreign/hotspot_layers.h"
#include "floorplans/case_text.h"

#include "scratch_files.h"

#include <doctest/doctest.h>

using namespace chiptherm;
using namespace chiptherm::foreign;
using namespace chiptherm::floorplans;

namespace
{
  const char *folder = "chiptherm_unit_hotspot_inputs";

  std::string file(const std::string &name, const std::string &text)
  {
    return test::scratch_file(folder, name, text);
  }

  const std::string two_units = "left  0.002 0.002 0     0\n"
                                "right 0.002 0.002 0.002 0\n";
} // namespace

TEST_CASE("HotSpot config: HotSpot's defaults, the file, then the command line")
{
  const auto path = file("a.config", "# package\n-k_chip 120\n\n-r_convec 0.2   # K/W\n-model_type grid\n");
  auto       options = read_hotspot_config_file(path);
  for (const auto &o : parse_hotspot_arguments({"-r_convec", "0.3"}, "cmd"))
    options.push_back(o);
  const HotspotConfig cfg(options);
  CHECK(cfg.number("k_chip") == doctest::Approx(120));
  CHECK(cfg.number("r_convec") == doctest::Approx(0.3)); // the command line wins
  CHECK(cfg.number("t_chip") == doctest::Approx(0.15e-3));
  CHECK(cfg.number("s_sink") == doctest::Approx(0.06));
  CHECK(cfg.number("ambient") == doctest::Approx(318.15));
  CHECK(cfg.text("model_type") == "grid");
  CHECK(cfg.origin("k_chip") == path + ":2");
  CHECK(cfg.origin("t_chip") == "HotSpot default");
}

TEST_CASE("HotSpot config: (null) is none; the floorplanner's, microchannels' and package model's keys are noted")
{
  const auto path = file("example.config", "-init_file (null)\n-grid_layer_file (null)\n-wrap_l2 0\n-Nmax 1000\n"
                                           "-use_microfluidic_cooling 0\n-htc 5e4\n-rpm 1000\n-r_convec 0.2\n");
  const HotspotConfig cfg(read_hotspot_config_file(path));
  CHECK(cfg.text("init_file").empty());
  CHECK(cfg.text("grid_layer_file").empty());
  CHECK(cfg.number("r_convec") == doctest::Approx(0.2));
  const auto notes = cfg.ignored_notes();
  REQUIRE(notes.size() == 3);
  CHECK(notes[0] == "-Nmax, -wrap_l2: hotfloorplan's floorplanning options; a thermal run does not read them");
  CHECK(notes[1].find("-htc, -use_microfluidic_cooling: microchannel cooling options") == 0);
  CHECK(notes[2].find("-rpm: HotSpot's package convection model options") == 0);
}

TEST_CASE("HotSpot config: malformed files name file, line and key")
{
  auto error = [](const std::string &text) {
    const auto path = file("bad.config", text);
    return test::input_error_of([&] { HotspotConfig cfg(read_hotspot_config_file(path)); });
  };
  CHECK(error("-k_chip 100\n-k_chp 120\n").find("bad.config:2: key '-k_chp'") != std::string::npos);
  CHECK(error("-k_chip 100\n-k_chp 120\n").find("did you mean 'k_chip'") != std::string::npos);
  CHECK(error("-t_chip abc\n").find("bad.config:1: key '-t_chip': expected a number") != std::string::npos);
  CHECK(error("-t_chip 1e-4 2e-4\n").find("bad.config:1: expected one '-key value' pair per line, got 3") !=
        std::string::npos);
  CHECK(error("t_chip 1e-4\n").find("bad.config:1: expected '-key value'") != std::string::npos);
  CHECK(error("-t_chip -1e-4\n").find("bad.config:1: key '-t_chip': expected a positive value") != std::string::npos);
  CHECK(error("-model_type lumped\n").find("expected -model_type block or grid") != std::string::npos);
  CHECK(test::input_error_of([] { parse_hotspot_arguments({"-r_convec"}, "cmd"); })
          .find("expected a value after '-r_convec'") != std::string::npos);
}

TEST_CASE("HotSpot materials and layer files: both layouts, and their errors")
{
  const auto materials_path = file("m.materials", "# name, kind, k, c (viscosity for fluids)\n"
                                                  "silicon\nsolid\n130.0\n1630300\n\n"
                                                  "water\nfluid\n0.6069\n4172638\n8.89e-4\n");
  const auto materials = read_hotspot_materials(materials_path);
  REQUIRE(materials.size() == 2);
  CHECK(materials.at("silicon").conductivity_w_mk == doctest::Approx(130));
  CHECK(materials.at("water").fluid);

  file("layer.flp", two_units);
  const auto lcf = file("two.lcf", "# layer 0: silicon, by numbers\n0\nY\nY\n1.75e6\n0.01\n0.00015\nlayer.flp\n"
                                   "# layer 1: TIM by material name\n1\nY\nN\nsilicon\n2e-5\nlayer.flp\n");
  const auto layers = read_hotspot_layers(lcf, materials);
  REQUIRE(layers.size() == 2);
  CHECK(layers[0].conductivity_w_mk == doctest::Approx(100));
  CHECK(layers[0].dissipates_power);
  CHECK(layers[1].material_name == "silicon");
  CHECK(layers[1].thickness_m == doctest::Approx(2e-5));
  CHECK_FALSE(layers[1].dissipates_power);

  auto lcf_error = [&](const std::string &text) {
    const auto path = file("bad.lcf", text);
    return test::input_error_of([&] { read_hotspot_layers(path, materials); });
  };
  CHECK(lcf_error("0\nY\nmaybe\n1.75e6\n0.01\n0.00015\nlayer.flp\n").find("bad.lcf:3: expected Y or N") !=
        std::string::npos);
  CHECK(lcf_error("1\nY\nY\n1.75e6\n0.01\n0.00015\nlayer.flp\n").find("bad.lcf:1: expected layer number 0") !=
        std::string::npos);
  CHECK(lcf_error("0\nY\nY\n1.75e6\n0.01\n").find("bad.lcf:1: the record that starts here ends early") !=
        std::string::npos);
  CHECK(lcf_error("0\nY\nY\nsilicn\n0.00015\nlayer.flp\n").find("bad.lcf:4:") != std::string::npos);
  CHECK(lcf_error("0\nY\nY\nsilicn\n0.00015\nlayer.flp\n").find("did you mean 'silicon'") != std::string::npos);
  CHECK(lcf_error("0\nY\nY\n1.75e6 0.01\n0.00015\nlayer.flp\n").find("bad.lcf:4: expected one entry per line") !=
        std::string::npos);
  CHECK(lcf_error("0\nY\nY\n1.75e6\n0.01\n0.00015\nnone.flp\n").find("bad.lcf:7: floorplan file 'none.flp'") !=
        std::string::npos);
  CHECK(lcf_error("0\nY\nY\nwater\n0.00015\nlayer.flp\n").find("is a fluid") != std::string::npos);

  const auto bad_materials = file("bad.materials", "copper\nmetal\n400\n3.55e6\n");
  CHECK(test::input_error_of([&] { read_hotspot_materials(bad_materials); })
          .find("bad.materials:2: expected solid or fluid") != std::string::npos);
}

TEST_CASE("HotSpot import: a valid case with HotSpot's package, the trace's mean power and its errors")
{
  HotspotInputs in;
  in.flp    = file("chip.flp", two_units);
  in.ptrace = file("chip.ptrace", "left right\n4 1\n2 1\n");
  in.options = parse_hotspot_arguments({"-sampling_intvl", "0.01"}, "cmd");
  const auto imported = import_hotspot(in, "");
  CHECK(imported.name == "chip");
  const auto model = floorplans::read_chip_model(CaseDocument::parse(imported.yaml, "imported.yaml"));
  REQUIRE(model.layers.size() == 4); // die, TIM, spreader, sink
  CHECK(model.layers[0].thickness_m == doctest::Approx(0.15e-3));
  CHECK(model.layers[1].thickness_m == doctest::Approx(20e-6));
  CHECK(model.layers[3].footprint.width == doctest::Approx(0.06));
  // centred on the die: the die's centre is at (2, 1) mm
  CHECK(model.layers[3].footprint.x + 0.03 == doctest::Approx(0.002));
  REQUIRE(model.layers[0].blocks.size() == 2);
  CHECK(model.layers[0].blocks[0].power_w == doctest::Approx(3.0)); // mean of 4 and 2
  CHECK(model.layers[0].blocks[1].power_w == doctest::Approx(1.0));
  CHECK(model.boundaries.top.h_w_m2k == doctest::Approx(1.0 / (0.1 * 0.06 * 0.06)));
  CHECK(model.ambient_k == doctest::Approx(318.15));

  auto error = [&](const std::string &ptrace_text) {
    HotspotInputs bad = in;
    bad.ptrace        = file("bad.ptrace", ptrace_text);
    return test::input_error_of([&] { import_hotspot(bad, ""); });
  };
  CHECK(error("left rigth\n4 1\n").find("bad.ptrace:1: unit 'rigth' (column 2) is not a unit") != std::string::npos);
  CHECK(error("left rigth\n4 1\n").find("did you mean 'right'") != std::string::npos);
  CHECK(error("left\n4\n").find("no column for unit 'right'") != std::string::npos);
  CHECK(error("left right\n4 x\n").find("bad.ptrace:2:") != std::string::npos);
  CHECK(error("left right\n4 1 3\n").find("bad.ptrace:2:") != std::string::npos);

  HotspotInputs narrow = in;
  narrow.options.push_back({"s_spreader", "0.001", {"cmd", -1, ""}});
  CHECK(test::input_error_of([&] { import_hotspot(narrow, ""); }).find("narrower than the die") != std::string::npos);

  HotspotInputs no_trace = in;
  no_trace.ptrace.clear();
  CHECK(test::input_error_of([&] { import_hotspot(no_trace, ""); }).find("expected a power trace") != std::string::npos);
}

TEST_CASE("HotSpot import with a layer file: layers bottom to top, then spreader and sink; sizes must agree")
{
  file("top.flp", two_units);
  file("wide.flp", "all 0.005 0.002 0 0\n");
  HotspotInputs in;
  in.ptrace = file("lcf.ptrace", "left right\n1 2\n");
  in.lcf = file("stack.lcf", "0\nY\nY\n1.75e6\n0.01\n0.00015\ntop.flp\n1\nN\nN\n4e6\n0.25\n2e-5\ntop.flp\n");
  const auto model = floorplans::read_chip_model(CaseDocument::parse(import_hotspot(in, "").yaml, "lcf.yaml"));
  REQUIRE(model.layers.size() == 4);
  CHECK(model.layers[0].name == "layer0");
  CHECK(model.layers[0].blocks.size() == 2);
  CHECK(model.layers[1].name == "layer1");
  CHECK(model.layers[1].blocks.empty());
  CHECK(model.layers[2].name == "spreader");

  in.lcf = file("mixed.lcf", "0\nY\nY\n1.75e6\n0.01\n0.00015\ntop.flp\n1\nY\nN\n4e6\n0.25\n2e-5\nwide.flp\n");
  CHECK(test::input_error_of([&] { import_hotspot(in, ""); }).find("mixed.lcf:8: layer 1's floorplan is 5 x 2 mm") !=
        std::string::npos);
}

TEST_CASE("HotSpot import: units with their own material become regions of that material")
{
  HotspotInputs in;
  in.flp    = file("mixed.flp", "left  0.002 0.002 0     0\n"
                                "tsv   0.002 0.002 0.002 0 1.75e6 0.0025\n");
  in.ptrace = file("mixed.ptrace", "left tsv\n1 0.5\n");
  const auto model = floorplans::read_chip_model(CaseDocument::parse(import_hotspot(in, "").yaml, "mixed.yaml"));
  const auto &die  = model.layers[0];
  REQUIRE(die.regions.size() == 1);
  CHECK(die.regions[0].name == "tsv");
  CHECK(die.regions[0].material == "die_tsv");
  REQUIRE(model.materials.find("die_tsv") != nullptr);
  CHECK(model.materials.find("die_tsv")->conductivity_w_mk[2] == doctest::Approx(400)); // 1 / 0.0025
  REQUIRE(die.blocks.size() == 2);
  CHECK(die.blocks[1].rect.x == doctest::Approx(0.002)); // the region's block, in global coordinates
  CHECK(die.blocks[1].power_w == doctest::Approx(0.5));
}

TEST_CASE("Native case text: numbers, names and block types")
{
  CHECK(number_text(150) == "150");
  CHECK(number_text(0.1) == "0.1");
  CHECK(number_text(1.75e6) == "1750000");
  CHECK(um_text(0.0159999999) == "16000");
  CHECK(name_text("core0") == "core0");
  CHECK(name_text("yes") == "\"yes\"");
  CHECK(name_text("a b") == "\"a b\"");
  CHECK(guess_block_type("Icache") == "memory");
  CHECK(guess_block_type("L2_left") == "memory");
  CHECK(guess_block_type("pll0") == "clock");
  CHECK(guess_block_type("adc3") == "analog");
  CHECK(guess_block_type("io_west") == "io");
  CHECK(guess_block_type("ratio_unit") == "logic"); // "io" only as a whole word
  CHECK(guess_block_type("IntExec") == "logic");
}
