#pragma once
// `chiptherm import hotspot|3dice ... -o CASE.yaml`: a foreign tool's inputs
// as a commented native case, checked (every section read back) before it is
// written, whole or not at all.
#include "foreign/hotspot_import.h"

#include <string>

namespace chiptherm::commands
{
  struct ImportRequest
  {
    std::string            tool;       ///< "hotspot" or "3dice"
    foreign::HotspotInputs hotspot;    ///< tool == "hotspot"
    std::string            stack_file; ///< tool == "3dice"
    std::string            out_path;   ///< the case file to write
  };

  /// Imports and writes the case (call on one rank). Throws InputError.
  void run_import(const ImportRequest &request);
} // namespace chiptherm::commands
