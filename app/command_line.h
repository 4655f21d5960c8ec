#pragma once
// chiptherm's command line (CLI11): the subcommands, their options and help,
// parsed into one request for the command layer. `solve|signoff|transient
// --hotspot ...` takes a HotSpot command line, which CLI11 cannot parse
// (-steady_file is one option, not -s -t ...): it is split by hand.
#include "commands/case_input.h"
#include "commands/import_command.h"
#include "commands/predictor_commands.h"
#include "sweeps/sweep_runner.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace chiptherm::app
{
  struct CommandLine
  {
    std::string                            name; ///< the subcommand
    commands::CaseOptions                  case_options;
    std::optional<commands::HotspotCommand> hotspot;
    bool                                   resume = false;
    commands::ImportRequest                import;
    commands::TrainRequest                 train;
    ai_predictor::PredictOptions           predict;
    sweeps::SweepOptions                   sweep;
  };

  /// Declares the subcommands on app and parses argv. Throws CLI::ParseError
  /// (help, version and usage errors: app.exit() prints them) or InputError.
  CommandLine parse_command_line(CLI::App &app, int argc, char **argv, bool is_root);
} // namespace chiptherm::app
