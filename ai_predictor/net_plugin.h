#pragma once
// The LibTorch half of the predictor is a plugin (libchiptherm_ai_net_plugin.so,
// next to the chiptherm executable), opened only by the commands that need it:
// `train --data`, `predict`, and cases with mesh.predictor. Linking LibTorch into
// the executable cost every start ~1.3 s of LibTorch's static operator
// registration, the same for `chiptherm --version` as for a training run.
//
// This header knows no LibTorch and no deal.II. The function table below is the
// whole boundary; the plugin fills it with the functions of train_command.h,
// predict_command.h and mesh_seeding.h. Exceptions (InputError for bad files)
// cross it unchanged: both sides share one C++ runtime.
#include "mesh_seeding.h"
#include "predict_command.h"
#include "train_command.h"

namespace chiptherm::ai_predictor
{
  struct NetPluginApi
  {
    const char *version; ///< CHIPTHERM_VERSION of the plugin's build, checked on load
    double (*run_training)(const TrainOptions &options);
    void (*run_evaluation)(const EvaluateOptions &options);
    void (*run_predict)(const CaseDocument &document, const PredictOptions &options);
    std::vector<mesh::RefinementMap> (*predicted_refinement_maps)(const floorplans::ChipModel &model,
                                                                  const std::string &model_file, double finest_m,
                                                                  double coarsest_m, SeedingReport *report);
  };

  /// Name of the plugin's entry point: extern "C" const NetPluginApi *chiptherm_ai_net_plugin_api().
  inline constexpr const char *net_plugin_entry = "chiptherm_ai_net_plugin_api";
  inline constexpr const char *net_plugin_file  = "libchiptherm_ai_net_plugin.so";

  /// Opens the plugin on first use and keeps it open. Looks at $CHIPTHERM_AI_PLUGIN,
  /// then next to the running executable, then in the build tree it was built in.
  /// Throws std::runtime_error naming every place tried when none can be opened.
  const NetPluginApi &net_plugin();
} // namespace chiptherm::ai_predictor
