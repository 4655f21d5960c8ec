// Fuzz harness: `--set KEY=VALUE` overrides (one per input line, up to 4) on the unit
// tests' small valid case (with a transient section), then the whole case read as the
// solver would.
#include "commands/case_setup.h"
#include "fuzz_input.h"
#include "tests/unit/sample_case.h"

#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  return fuzz::expect_input_errors_only([&] {
    auto doc = CaseDocument::parse(test::three_layer_case, "case.yaml");
    doc.apply_override("transient={end_time: 0.01, output_interval: 0.005}");
    std::istringstream lines(std::string(reinterpret_cast<const char *>(data), size));
    std::string        line;
    for (int k = 0; k < 4 && std::getline(lines, line); ++k)
      doc.apply_override(line);
    commands::read_case(doc, true);
  });
}
