#pragma once
// What a predictor model file records beside its weights (the "chiptherm
// record": architecture, input channels, blur calibration, training metadata),
// and the one place that reads it back. Neither LibTorch nor deal.II here, so
// the reader of these outside bytes is fuzzed with the other readers (fuzz/).
#include "common/errors.h"

#include <string>
#include <vector>

namespace chiptherm::ai_predictor
{
  struct NetArchitecture
  {
    int in_channels = 0; ///< raster channels + 1 (the baseline)
    int width       = 12; ///< channels of the first level; doubled at each of the levels below
    int levels      = 3;  ///< poolings (raster sides must divide by 2^levels)
  };

  /// The limits a record's architecture must keep: a record asking for a larger
  /// network is damaged or not ours (the shipped model has width 12, 3 levels).
  constexpr int max_net_width  = 256;
  constexpr int max_net_levels = 6;

  struct ModelRecord
  {
    NetArchitecture          architecture;
    std::vector<std::string> channels;   ///< DieRaster::channel_names() at training time
    double                   blur_factor = 1.0; ///< of the blur baseline the metrics compare with
    std::string              metadata_json = "{}"; ///< data seed, samples, metrics, command
  };

  /// The record as stored in the model file (JSON text).
  std::string model_record_text(const ModelRecord &record);

  /// Reads a stored record, checking every field's type and range, its format
  /// tag and that its channels are channels_expected (this build's
  /// DieRaster::channel_names()). The metadata's `domain` (ranges of known
  /// channels) and `blur_gain`, read later, are checked here too. Throws
  /// InputError naming where on anything else.
  ModelRecord parse_model_record(const std::string &text, const std::vector<std::string> &channels_expected,
                                 const SourceLocation &where);
} // namespace chiptherm::ai_predictor
