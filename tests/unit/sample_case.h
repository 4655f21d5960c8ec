#pragma once
// A small valid case shared by the unit tests: a 4 x 4 mm die with two blocks,
// a TIM and a wider copper lid. Tests change it with --set style overrides.
// Line numbers matter: test_case_reader.cc checks messages that name them.

namespace chiptherm::test
{
  inline const char *three_layer_case = R"(version: 1
name: t
units: {length: um, temperature: C}
ambient: 40
stack:
  - name: die
    material: silicon
    thickness: 100
    footprint: [0, 0, 4000, 4000]
    blocks:
      - {name: a, type: analog, rect: [0, 0, 1000, 1000], power: 1.5, limit: 70}
      - {name: b, type: logic, rect: [1000, 0, 3000, 2000], power: 4}
  - name: tim
    material: tim_paste
    thickness: 20
  - name: lid
    material: copper
    thickness: 500
    footprint: {width: 10000, height: 8000, centered: true}
boundaries:
  top: {h: 5000}
)";
} // namespace chiptherm::test
