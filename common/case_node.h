#pragma once
// A checked view of one node of a case file. Every accessor either returns a
// valid value in SI units or throws InputError naming file, line, key and what
// was expected. Each module reads its own section through this class.
#include "errors.h"
#include "units.h"

#include <yaml-cpp/yaml.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chiptherm
{
  class CaseNode
  {
  public:
    CaseNode(YAML::Node node, std::string file, std::string key_path, Units units);

    /// Key paths whose values came from --set rather than the file: messages
    /// about them name the override instead of a file line.
    void set_overridden_keys(std::shared_ptr<const std::vector<std::string>> keys)
    {
      overridden_ = std::move(keys);
    }

    // --- structure ---------------------------------------------------------
    bool is_defined() const { return node_.IsDefined() && !node_.IsNull(); }
    bool is_map() const { return node_.IsMap(); }
    bool is_sequence() const { return node_.IsSequence(); }
    bool is_scalar() const { return node_.IsScalar(); }
    /// True when the map holds key (with a non-null value).
    bool has(const std::string &key) const;
    /// The value under key; fails if this is not a map or key is missing.
    CaseNode at(const std::string &key) const;
    /// The value under key, or an undefined node (is_defined() false).
    CaseNode optional(const std::string &key) const;
    /// Items of a sequence; fails if this is not a sequence.
    std::vector<CaseNode> items() const;
    /// Fails unless this is a map whose keys are all in allowed.
    void expect_keys(const std::vector<std::string> &allowed) const;
    void expect_map() const;

    // --- scalars (this node) -----------------------------------------------
    std::string text() const;
    double      number() const;              ///< finite number
    double      positive_number() const;     ///< finite, > 0
    double      non_negative_number() const; ///< finite, >= 0
    int         integer(int lo, int hi) const;
    /// Lengths in m, within physical_range::max_length_m of the origin.
    double              length() const;
    double              positive_length() const;
    std::vector<double> lengths(std::size_t n) const;
    /// A finite number in [lo, hi] (the message names the range and unit).
    double      number_in(double lo, double hi, const std::string &unit) const;
    /// A power in W, in [0, physical_range::max_power_w].
    double      power() const;
    /// An absolute temperature in K, from 0 K to physical_range::max_temperature_k.
    double      temperature() const;
    double      temperature_difference() const { return positive_number(); }      ///< K (= C)
    /// One of choices, with a did-you-mean on a typo.
    std::string choice(const std::vector<std::string> &choices) const;
    /// A sequence of exactly n finite numbers.
    std::vector<double> numbers(std::size_t n) const;

    // --- keyed shortcuts with defaults -------------------------------------
    double      number_or(const std::string &key, double fallback) const;
    double      positive_number_or(const std::string &key, double fallback) const;
    int         integer_or(const std::string &key, int fallback, int lo, int hi) const;
    std::string text_or(const std::string &key, const std::string &fallback) const;

    // --- context -----------------------------------------------------------
    const std::string &key() const { return key_; }
    const std::string &file() const { return file_; }
    const Units       &units() const { return units_; }
    SourceLocation     where() const;
    [[noreturn]] void  fail(const std::string &expectation) const;
    const YAML::Node  &raw() const { return node_; }
    /// The value as the user wrote it, for messages ("-3", "a map", "a list").
    std::string describe_value() const;

  private:
    CaseNode child(YAML::Node node, const std::string &suffix) const;

    YAML::Node  node_;
    std::string file_;
    std::string key_;
    Units       units_;
    int         parent_line_ = -1;
    std::shared_ptr<const std::vector<std::string>> overridden_; // for undefined children: the line of the map they were missing from
  };
} // namespace chiptherm
