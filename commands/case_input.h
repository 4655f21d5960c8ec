#pragma once
// Where a command's case comes from: a case file (.yaml), a 3D-ICE stack
// (.stk, imported in memory), or a HotSpot command line given after --hotspot
// (HotSpot's own -key value options plus chiptherm's --out, --set, --resume),
// with the --set overrides applied.
#include "common/case_document.h"
#include "foreign/hotspot_import.h"

#include <optional>
#include <string>
#include <vector>

namespace chiptherm::commands
{
  struct CaseOptions
  {
    std::string              case_file;
    std::string              out_dir;
    std::vector<std::string> overrides; ///< --set KEY=VALUE
  };

  /// A HotSpot command line given to solve|signoff|transient --hotspot: its
  /// inputs, and where it asks for HotSpot-layout results.
  struct HotspotCommand
  {
    foreign::HotspotInputs inputs;
    std::string            steady_file, ttrace_file; ///< -steady_file, -o
  };

  /// The case a command runs, overrides applied. Throws InputError.
  CaseDocument load_case(const CaseOptions &options, const std::optional<HotspotCommand> &hotspot = {});

  /// ARGS of `chiptherm solve|signoff|transient --hotspot ARGS`: HotSpot's own
  /// (-c, -f, -p, -steady_file, -o, any -key value) plus chiptherm's --out DIR,
  /// --set KEY=VALUE (into options) and --resume. Throws InputError.
  HotspotCommand split_hotspot_arguments(const std::vector<std::string> &args, CaseOptions &options, bool &resume);

  /// Copies OUT/name to `to` (a HotSpot -steady_file or -o), when asked (rank 0).
  void copy_foreign_result(const std::string &out_dir, const std::string &name, const std::string &to);
} // namespace chiptherm::commands
