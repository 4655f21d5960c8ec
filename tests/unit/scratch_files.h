#pragma once
// Helpers shared by the unit tests that read files: write a scratch file and
// catch the InputError a reader throws.
#include "common/errors.h"

#include <filesystem>
#include <fstream>
#include <string>

namespace chiptherm::test
{
  /// Writes bytes to <temp>/<folder>/<name> and returns the path.
  inline std::string scratch_file(const std::string &folder, const std::string &name, const std::string &bytes)
  {
    const auto dir = std::filesystem::temp_directory_path() / folder;
    std::filesystem::create_directories(dir);
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }

  /// The message of the InputError f throws, or "no error".
  template <typename F>
  std::string input_error_of(F &&f)
  {
    try
      {
        f();
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "no error";
  }
} // namespace chiptherm::test
