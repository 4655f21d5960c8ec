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
    // -o names a file: its folder is made as -o OUT folders are for the other commands.
    const auto      folder = std::filesystem::path(path).parent_path();
    std::error_code error;
    if (!folder.empty())
      std::filesystem::create_directories(folder, error);
    if (error)
      throw InputError(SourceLocation{path, -1, ""}, "cannot make the folder for -o: " + error.message());
    const std::string partial = path + ".partial";
    write_text_file(partial, imported.yaml);
    std::filesystem::rename(partial, path);
    std::cout << "chiptherm import: wrote " << path << " (case '" << imported.name << "')" << std::endl;
  }
} // namespace chiptherm::commands
