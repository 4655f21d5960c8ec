// The plugin's one exported symbol: the table of the LibTorch functions
// (net_plugin.h explains why they live in a plugin).
#include "net_plugin.h"

namespace
{
  const chiptherm::ai_predictor::NetPluginApi api{CHIPTHERM_VERSION, &chiptherm::ai_predictor::run_training,
                                                  &chiptherm::ai_predictor::run_evaluation,
                                                  &chiptherm::ai_predictor::run_predict,
                                                  &chiptherm::ai_predictor::predicted_refinement_maps};
}

extern "C" __attribute__((visibility("default"))) const chiptherm::ai_predictor::NetPluginApi *
chiptherm_ai_net_plugin_api()
{
  return &api;
}
