// Fuzz harness: HotSpot 7's inputs, each by its own reader, chosen by the first byte:
// floorplan (.flp), configuration (.config), power trace (.ptrace), materials file.
#include "floorplans/power_trace.h"
#include "foreign/hotspot_config.h"
#include "foreign/hotspot_floorplan.h"
#include "foreign/hotspot_layers.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  if (size == 0)
    return 0;
  const std::string path = fuzz::scratch_file("input", data + 1, size - 1);
  return fuzz::expect_input_errors_only([&] {
    switch (data[0] % 4)
      {
        case 0:
          foreign::read_hotspot_floorplan(path);
          break;
        case 1:
          foreign::read_hotspot_config_file(path);
          break;
        case 2:
          floorplans::read_hotspot_ptrace(path, 3.33e-6);
          break;
        default:
          foreign::read_hotspot_materials(path);
      }
  });
}
