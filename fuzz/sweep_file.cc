// Fuzz harness: a sweep file, read and expanded into its candidates (the base case
// is not read here: case_file.cc covers it).
#include "fuzz_input.h"
#include "sweeps/sweep_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  fuzz::scratch_file("case.yaml", "version: 1\n");
  const std::string path = fuzz::scratch_file("sweep.yaml", data, size);
  return fuzz::expect_input_errors_only([&] { sweeps::expand(sweeps::SweepSpec::read(path)); });
}
