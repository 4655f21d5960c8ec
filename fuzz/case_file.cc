// Fuzz harness: a case file through everything `chiptherm solve|transient` reads
// before meshing (commands::read_case: chip, materials, mesh, solver, adaptivity,
// sign-off, outputs and transient sections).
#include "commands/case_setup.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  const std::string path = fuzz::scratch_file("case.yaml", data, size);
  return fuzz::expect_input_errors_only([&] { commands::read_case(CaseDocument::load(path), true); });
}
