#include "materials/material_library.h"

#include "common/case_document.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

using namespace chiptherm;
using chiptherm::materials::MaterialLibrary;

TEST_CASE("the standard library holds the materials a package needs, with sources")
{
  const auto lib = MaterialLibrary::standard();
  for (const char *name : {"silicon", "copper", "aluminium", "tim_paste", "mold_compound", "underfill", "sio2"})
    {
      REQUIRE(lib.contains(name));
      const auto *m = lib.find(name);
      CHECK(m->conductivity_w_mk[0] > 0);
      CHECK(m->heat_capacity_j_m3k > 1e5);
      CHECK(!m->source.empty());
    }
  CHECK(lib.find("silicon")->conductivity_w_mk[2] == doctest::Approx(148));
  CHECK(lib.find("copper")->conductivity_w_mk[0] == doctest::Approx(401));
  const auto *fr4 = lib.find("pcb_fr4");
  CHECK(!fr4->is_isotropic());
  CHECK(fr4->conductivity_w_mk[2] < fr4->conductivity_w_mk[0]);
}

TEST_CASE("a case's materials list: standard, then files and inline entries override by name")
{
  const std::string path = "test_material_library_user.yaml";
  std::ofstream(path) << "materials:\n  - {name: copper, conductivity: 380, heat_capacity: 3.4e6}\n"
                         "  - {name: graphite_sheet, conductivity: [1500, 1500, 5], heat_capacity: 1.6e6}\n";
  const auto doc = CaseDocument::parse("materials: [standard, " + path +
                                         ", {name: silicon, conductivity: 120, heat_capacity: 1.6e6}]\n",
                                       "case.yaml");
  MaterialLibrary lib;
  lib.add_from_case(doc.root().at("materials"), ".");
  CHECK(lib.find("copper")->conductivity_w_mk[0] == doctest::Approx(380));
  CHECK(lib.find("silicon")->conductivity_w_mk[0] == doctest::Approx(120));
  CHECK(lib.find("graphite_sheet")->conductivity_w_mk[2] == doctest::Approx(5));
  CHECK(lib.contains("aluminium"));
  std::remove(path.c_str());
}

TEST_CASE("bad material entries are rejected with file, line and key")
{
  MaterialLibrary lib;
  const auto      doc = CaseDocument::parse(
    "materials:\n  - {name: a, conductivity: -3, heat_capacity: 1e6}\n  - {name: b, conductivity: 3}\n"
    "  - {name: c, conductivity: 3, heat_capacity: 1e6, colour: red}\n  - missing_file.yaml\n"
    "  - {name: d, conductivity: [1, 1, 1e8], heat_capacity: 1e6}\n  - {name: e, conductivity: 3, heat_capacity: 1e12}\n",
    "m.yaml");
  const auto items = doc.root().at("materials").items();
  CHECK_THROWS_WITH_AS(lib.add_entry(items[0]), doctest::Contains("m.yaml:2: key 'materials.a.conductivity'"),
                       InputError);
  CHECK_THROWS_WITH_AS(lib.add_entry(items[1]), doctest::Contains("heat_capacity': required key is missing"),
                       InputError);
  CHECK_THROWS_WITH_AS(lib.add_entry(items[2]), doctest::Contains("unknown key"), InputError);
  // Physical ranges (issue 22): diamond conducts 2200 W/(m K), water stores 4.2e6 J/(m^3 K).
  CHECK_THROWS_WITH_AS(lib.add_entry(items[4]),
                       doctest::Contains("m.yaml:6: key 'materials.d.conductivity.[2]': expected a value from 1e-09 to 1e+07 W/(m K)"),
                       InputError);
  CHECK_THROWS_WITH_AS(lib.add_entry(items[5]),
                       doctest::Contains("key 'materials.e.heat_capacity': expected a value from 1 to 1e+08 J/(m^3 K)"),
                       InputError);
  const auto missing = CaseDocument::parse("materials: [standard, missing_file.yaml]\n", "m2.yaml");
  CHECK_THROWS_WITH_AS(lib.add_from_case(missing.root().at("materials"), "."),
                       doctest::Contains("m2.yaml:1: key 'materials.[1]': expected 'standard'"), InputError);
}

TEST_CASE("unknown material names get a suggestion")
{
  const auto lib  = MaterialLibrary::standard();
  const auto root = CaseDocument::parse("material: coper\n", "x.yaml").root();
  CHECK_THROWS_WITH_AS(lib.get("coper", root.at("material")), doctest::Contains("did you mean 'copper'"), InputError);
}
