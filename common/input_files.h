#pragma once
// Whether a path names an input file chiptherm can read: a regular file (not a
// folder, a device such as /dev/zero, or a pipe that would never end). Never
// throws: a name too long or unreadable for the file system is simply not a file,
// and the reader's own message says which key named it.
#include <filesystem>
#include <system_error>

namespace chiptherm
{
  inline bool is_input_file(const std::filesystem::path &path) noexcept
  {
    std::error_code error;
    return std::filesystem::is_regular_file(path, error) && !error;
  }
} // namespace chiptherm
