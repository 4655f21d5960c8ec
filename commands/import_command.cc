#include "import_command.h"

#include "common/output_file.h"
#include "case_setup.h"
#include "common/errors.h"
#include "foreign/threedice_import.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace chiptherm::commands
{
  void run_import(const ImportRequest &request)
  {
    const foreign::ImportedCase imported = request.tool == "hotspot"
                                             ? foreign::import_hotspot(request.hotspot, request.out_path)
                                             : foreign::import_threedice(request.stack_file);
    for (const auto &w : imported.warnings)
      std::cerr << "chiptherm import: warning: " << w << std::endl;
    const std::string &path = request.out_path;
    read_case(CaseDocument::parse(imported.yaml, path));
    const std::string partial = path + ".partial";
    write_text_file(partial, imported.yaml);
    std::filesystem::rename(partial, path);
    std::cout << "chiptherm import: wrote " << path << " (case '" << imported.name << "')" << std::endl;
  }
} // namespace chiptherm::commands
