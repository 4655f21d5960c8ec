// Fuzz harness: a 3D-ICE 4 stack (.stk) with two floorplans it may name (a.flp,
// b.flp; parts cut at "====" lines), imported and the case it writes read back.
// The import must write YAML the case reader parses.
#include "commands/case_setup.h"
#include "foreign/threedice_import.h"
#include "fuzz_input.h"

#include <cstdlib>

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
  try
    {
      commands::read_case(CaseDocument::parse(imported.yaml, "imported.yaml"), true);
    }
  catch (const InputError &e)
    {
      if (std::string(e.what()).find("not valid YAML") != std::string::npos)
        std::abort(); // the importer wrote text its own reader cannot parse
    }
  return 0;
}
