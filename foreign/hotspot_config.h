#pragma once
// HotSpot's configuration: `-key value` pairs from a .config file and from the
// command line (which overrides the file), over HotSpot's own defaults
// (temperature.c, default_thermal_config(), HotSpot 6/7). Every key HotSpot
// knows is accepted (the floorplanner's, microchannels' and package model's
// settings are kept aside as ignored, with why); a key it does not know is an
// error with a did-you-mean, so that a typo is not silently ignored (HotSpot
// itself ignores it). A text value "(null)" is HotSpot's "none". No deal.II here.
#include "common/errors.h"

#include <map>
#include <string>
#include <vector>

namespace chiptherm::foreign
{
  struct HotspotOption
  {
    std::string    key; ///< without the leading '-'
    std::string    value;
    SourceLocation where;
  };

  /// The `-key value` lines of a .config file (`#` comments).
  std::vector<HotspotOption> read_hotspot_config_file(const std::string &path);

  /// `-key value ...` as given to HotSpot's command line (where names the
  /// command); a key without a value is an error.
  std::vector<HotspotOption> parse_hotspot_arguments(const std::vector<std::string> &arguments,
                                                     const std::string              &where);

  class HotspotConfig
  {
  public:
    /// HotSpot's defaults, then options in order (later ones win). Checks
    /// every key and every numeric value.
    explicit HotspotConfig(const std::vector<HotspotOption> &options);

    double      number(const std::string &key) const;
    std::string text(const std::string &key) const; ///< "" when neither given nor defaulted
    bool        given(const std::string &key) const { return origin_.count(key) > 0; }
    /// Where a key's value came from, for comments: "hotspot.config:12" or "HotSpot default".
    std::string origin(const std::string &key) const;
    /// Where a key was given (for messages); a location without a file when defaulted.
    SourceLocation where(const std::string &key) const;
    /// One line per group of given options that change nothing here, naming
    /// them and saying why (for the imported case's header).
    std::vector<std::string> ignored_notes() const;

  private:
    std::map<std::string, double>         numbers_;
    std::map<std::string, std::string>    texts_;
    std::map<std::string, SourceLocation> origin_;
    std::map<std::string, std::string>    ignored_; ///< given options of ignored_groups()
  };
} // namespace chiptherm::foreign
