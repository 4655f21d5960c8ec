// Fuzz harness: `--set KEY=VALUE` overrides (one per input line, up to 4) on a small
// valid case, then the whole case read as the solver would.
#include "commands/case_setup.h"
#include "fuzz_input.h"

#include <sstream>

namespace
{
  const char *base_case = R"(version: 1
name: fuzz
units: {length: um, temperature: C}
ambient: 40
materials: [standard]
stack:
  - name: die
    material: silicon
    thickness: 100
    footprint: [0, 0, 4000, 4000]
    blocks:
      - {name: a, type: analog, rect: [0, 0, 1000, 1000], power: 1.5, limit: 70}
      - {name: b, type: logic, rect: [1000, 0, 3000, 2000], power: 4}
    regions:
      - {name: r, at: [2000, 2500], size: [1000, 1000], blocks: [{name: c, type: memory, rect: [0, 0, 500, 500], power: 1}]}
  - {name: tim, material: tim_paste, thickness: 20}
  - {name: lid, material: copper, thickness: 500, footprint: {width: 10000, height: 8000, centered: true}}
boundaries:
  top: {h: 5000}
transient: {end_time: 0.01, output_interval: 0.005}
)";
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  return fuzz::expect_input_errors_only([&] {
    auto               doc = CaseDocument::parse(base_case, "case.yaml");
    std::istringstream lines(std::string(reinterpret_cast<const char *>(data), size));
    std::string        line;
    for (int k = 0; k < 4 && std::getline(lines, line); ++k)
      doc.apply_override(line);
    commands::read_case(doc, true);
  });
}
