// Fuzz harness: a 3D-ICE 4 stack (.stk) with two floorplans it may name (a.flp,
// b.flp; parts cut at "====" lines), imported and the case it writes read back.
// The import must write YAML the case reader parses.
#include "commands/case_setup.h"
#include "foreign/threedice_import.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  const auto parts = fuzz::split_parts(data, size, 3);
  fuzz::scratch_file("a.flp", parts[1]);
  fuzz::scratch_file("b.flp", parts[2]);
  const std::string stack = fuzz::scratch_file("chip.stk", parts[0]);
  foreign::ImportedCase imported;
  try
    {
      imported = foreign::import_threedice(stack);
    }
  catch (const InputError &)
    {
      return 0;
    }
  fuzz::read_back_imported(imported.yaml, [](const std::string &yaml) {
    commands::read_case(CaseDocument::parse(yaml, "imported.yaml"), true);
  });
  return 0;
}
