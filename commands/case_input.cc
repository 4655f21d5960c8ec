#include "case_input.h"

#include "common/errors.h"
#include "foreign/threedice_import.h"

#include <filesystem>
#include <iostream>

namespace chiptherm::commands
{
  CaseDocument load_case(const CaseOptions &options, const std::optional<HotspotCommand> &hotspot)
  {
    auto document = hotspot ? CaseDocument::parse(foreign::import_hotspot(hotspot->inputs, "").yaml,
                                                  "the case imported from " + hotspot->inputs.flp)
                    : std::filesystem::path(options.case_file).extension() == ".stk"
                      ? CaseDocument::parse(foreign::import_threedice(options.case_file).yaml,
                                            "the case imported from " + options.case_file)
                      : CaseDocument::load(options.case_file);
    for (const auto &assignment : options.overrides)
      document.apply_override(assignment);
    return document;
  }

  HotspotCommand split_hotspot_arguments(const std::vector<std::string> &args, CaseOptions &options, bool &resume)
  {
    std::vector<std::string> hotspot;
    for (std::size_t i = 0; i < args.size(); ++i)
      {
        if ((args[i] == "--out" || args[i] == "--set") && i + 1 < args.size())
          {
            if (args[i] == "--out")
              options.out_dir = args[i + 1];
            else
              options.overrides.push_back(args[i + 1]);
            ++i;
          }
        else if (args[i] == "--resume")
          resume = true;
        else
          hotspot.push_back(args[i]);
      }
    HotspotCommand command;
    command.inputs = foreign::hotspot_inputs_from_arguments(hotspot, "the HotSpot command line");
    auto &opts     = command.inputs.options;
    for (auto it = opts.begin(); it != opts.end();)
      if (it->key == "steady_file" || it->key == "o")
        {
          (it->key == "o" ? command.ttrace_file : command.steady_file) = it->value;
          it = opts.erase(it);
        }
      else
        ++it;
    if (command.inputs.flp.empty())
      throw InputError("--hotspot: expected a floorplan (-f F.flp), as HotSpot does");
    if (options.out_dir.empty())
      options.out_dir = "chiptherm-out/" + std::filesystem::path(command.inputs.flp).stem().string();
    return command;
  }

  void copy_foreign_result(const std::string &out_dir, const std::string &name, const std::string &to)
  {
    if (to.empty())
      return;
    std::filesystem::copy_file(out_dir + "/" + name, to, std::filesystem::copy_options::overwrite_existing);
    std::cout << "chiptherm: wrote " << to << " (HotSpot layout)" << std::endl;
  }
} // namespace chiptherm::commands
