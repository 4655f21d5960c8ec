// Fuzz harness: number tables, by the first byte: a CSV raster and a NumPy .npy
// raster (power and refinement maps), a CSV power trace (time_s, block columns).
#include "common/raster_file.h"
#include "floorplans/power_trace.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  if (size == 0)
    return 0;
  const int kind = data[0] % 3;
  const std::string path = fuzz::scratch_file(kind == 1 ? "map.npy" : "table.csv", data + 1, size - 1);
  return fuzz::expect_input_errors_only([&] {
    if (kind == 0)
      read_raster_csv(path, "power map file");
    else if (kind == 1)
      read_raster_npy(path, "power map file", 4096, (data[0] & 4) != 0);
    else
      floorplans::read_power_trace_csv(path, floorplans::Interpolation::step);
  });
}
