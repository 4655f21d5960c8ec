// Fuzz harness: a materials file (`materials: [standard, FILE]` in a case).
#include "fuzz_input.h"
#include "materials/material_library.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
  using namespace chiptherm;
  const std::string path = fuzz::scratch_file("materials.yaml", data, size);
  return fuzz::expect_input_errors_only([&] {
    auto library = materials::MaterialLibrary::standard();
    library.add_file(path);
  });
}
