// Fuzz harness: a whole HotSpot import (floorplan, power trace, config, layer file;
// parts cut at "====" lines) and the case it writes read back. The import must write
// YAML the case reader parses: a YAML syntax error there is the importer's bug.
#include "commands/case_setup.h"
#include "foreign/hotspot_import.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  const auto parts = fuzz::split_parts(data, size, 4);
  foreign::HotspotInputs in;
  in.flp    = fuzz::scratch_file("chip.flp", parts[0]);
  in.ptrace = fuzz::scratch_file("chip.ptrace", parts[1]);
  if (!parts[2].empty())
    in.config = fuzz::scratch_file("chip.config", parts[2]);
  if (!parts[3].empty())
    in.lcf = fuzz::scratch_file("chip.lcf", parts[3]);
  foreign::ImportedCase imported;
  try
    {
      imported = foreign::import_hotspot(in, "");
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
