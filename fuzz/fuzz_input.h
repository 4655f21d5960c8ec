#pragma once
// Shared by the fuzz harnesses (fuzz/*.cc): the readers take file paths, so each
// input is written to a scratch file first. An InputError is the reader doing its
// job; any other exception escapes and libFuzzer reports it as a crash (it would be
// an "internal error", exit 3, on the command line).
#include "common/errors.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace chiptherm::fuzz
{
  /// A folder of this process's own (harnesses may run in parallel with
  /// -jobs), removed when the process exits normally.
  inline const std::string &scratch_folder()
  {
    struct Folder
    {
      std::string path;
      Folder()
        : path((std::filesystem::temp_directory_path() / ("chiptherm-fuzz-" + std::to_string(::getpid()))).string())
      {
        std::filesystem::create_directories(path);
      }
      ~Folder()
      {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
      }
    };
    static const Folder folder;
    return folder.path;
  }

  /// Writes bytes to scratch_folder()/name and returns the path.
  inline std::string scratch_file(const std::string &name, const std::uint8_t *data, std::size_t size)
  {
    const std::string path = scratch_folder() + "/" + name;
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char *>(data), std::streamsize(size));
    return path;
  }

  inline std::string scratch_file(const std::string &name, const std::string &text)
  {
    return scratch_file(name, reinterpret_cast<const std::uint8_t *>(text.data()), text.size());
  }

  /// The input cut at lines holding only "====" into at most n parts (missing ones empty):
  /// harnesses whose reader takes several files get them from one input.
  inline std::vector<std::string> split_parts(const std::uint8_t *data, std::size_t size, std::size_t n)
  {
    const std::string  text(reinterpret_cast<const char *>(data), size);
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (parts.size() + 1 < n)
      {
        const std::size_t cut = text.find("\n====\n", begin);
        if (cut == std::string::npos)
          break;
        parts.push_back(text.substr(begin, cut + 1 - begin));
        begin = cut + 6;
      }
    parts.push_back(text.substr(std::min(begin, text.size())));
    parts.resize(n);
    return parts;
  }

  /// Reads an importer's case text back as the solver would. An InputError is the
  /// case's content; a YAML syntax error is the importer's bug: abort (a finding).
  template <typename ReadCase>
  void read_back_imported(const std::string &yaml, ReadCase &&read_case)
  {
    try
      {
        read_case(yaml);
      }
    catch (const InputError &e)
      {
        if (std::string(e.what()).find("not valid YAML") != std::string::npos)
          std::abort();
      }
  }

  /// Runs f; InputError is expected and swallowed, everything else propagates.
  template <typename F>
  int expect_input_errors_only(F &&f)
  {
    try
      {
        f();
      }
    catch (const InputError &)
      {
      }
    return 0;
  }
} // namespace chiptherm::fuzz
