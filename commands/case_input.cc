#include "case_input.h"

#include "common/errors.h"
#include "foreign/threedice_import.h"

#include <filesystem>
#include <iostream>
#include <mpi.h>
#include <optional>

namespace chiptherm::commands
{
  namespace
  {
    /// The file that names a HotSpot run: its floorplan, else its layer file, else its configuration.
    std::string hotspot_input_name(const foreign::HotspotInputs &in)
    {
      if (!in.flp.empty())
        return in.flp;
      for (const auto &o : in.options)
        if (o.key == "grid_layer_file")
          return o.value;
      return in.config.empty() ? std::string("hotspot") : in.config;
    }
  } // namespace

  CaseDocument load_case(const CaseOptions &options, const std::optional<HotspotCommand> &hotspot)
  {
    std::optional<foreign::ImportedCase> imported;
    if (hotspot)
      {
        imported = foreign::import_hotspot(hotspot->inputs, "");
        int rank = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        for (const auto &w : imported->warnings)
          if (rank == 0)
            std::cerr << "chiptherm: warning: " << w << std::endl;
      }
    auto document = imported ? CaseDocument::parse(imported->yaml, "the case imported from " + hotspot_input_name(hotspot->inputs))
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
    // Without -f, HotSpot takes the floorplans from -grid_layer_file (here or
    // in the config file); import_hotspot says so when neither is there.
    if (options.out_dir.empty())
      options.out_dir = "chiptherm-out/" + std::filesystem::path(hotspot_input_name(command.inputs)).stem().string();
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
