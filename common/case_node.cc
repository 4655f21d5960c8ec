#include "case_node.h"

#include "text_distance.h"

#include <cerrno>
#include <cstdio>
#include <cmath>
#include <cstdlib>

namespace chiptherm
{
  CaseNode::CaseNode(YAML::Node node, std::string file, std::string key_path, Units units)
    : node_(std::move(node))
    , file_(std::move(file))
    , key_(std::move(key_path))
    , units_(units)
  {}

  SourceLocation CaseNode::where() const
  {
    if (overridden_)
      {
        // The most specific override that covers this key (a --set may also
        // have created its parent sections).
        const std::string *best = nullptr;
        for (const auto &k : *overridden_)
          if ((key_ == k || key_.rfind(k + ".", 0) == 0) && (!best || k.size() > best->size()))
            best = &k;
        if (best)
          return {"--set " + *best, -1, key_};
      }
    int line = parent_line_;
    if (node_.IsDefined() && !node_.Mark().is_null())
      line = node_.Mark().line + 1;
    return {file_, line, key_};
  }

  void CaseNode::fail(const std::string &expectation) const
  {
    throw InputError(where(), expectation);
  }

  CaseNode CaseNode::child(YAML::Node node, const std::string &suffix) const
  {
    CaseNode c(std::move(node), file_, key_.empty() ? suffix : key_ + "." + suffix, units_);
    c.parent_line_ = where().line;
    c.overridden_  = overridden_;
    return c;
  }

  void CaseNode::expect_map() const
  {
    if (!node_.IsMap())
      fail("expected a map of keys, got " + describe_value());
  }

  bool CaseNode::has(const std::string &key) const
  {
    if (!node_.IsMap())
      return false;
    const YAML::Node v = node_[key];
    return v.IsDefined() && !v.IsNull();
  }

  CaseNode CaseNode::at(const std::string &key) const
  {
    expect_map();
    if (!has(key))
      child(YAML::Node(), key).fail("required key is missing");
    return child(node_[key], key);
  }

  CaseNode CaseNode::optional(const std::string &key) const
  {
    if (is_defined())
      expect_map();
    if (!has(key))
      return child(YAML::Node(YAML::NodeType::Undefined), key);
    return child(node_[key], key);
  }

  std::vector<CaseNode> CaseNode::items() const
  {
    if (!node_.IsSequence())
      fail("expected a list, got " + describe_value());
    std::vector<CaseNode> out;
    for (std::size_t i = 0; i < node_.size(); ++i)
      {
        const YAML::Node item = node_[i];
        std::string      label;
        if (item.IsMap() && item["name"] && item["name"].IsScalar())
          label = item["name"].Scalar();
        else
          label = "[" + std::to_string(i) + "]";
        out.push_back(child(item, label));
      }
    return out;
  }

  void CaseNode::expect_keys(const std::vector<std::string> &allowed) const
  {
    expect_map();
    for (const auto &kv : node_)
      {
        if (!kv.first.IsScalar())
          child(kv.first, "?").fail("expected a key name, got " + std::string(kv.first.IsSequence() ? "a list" : kv.first.IsMap() ? "a map" : "nothing") + " as a key");
        const std::string k = kv.first.Scalar();
        bool              known = false;
        for (const auto &a : allowed)
          known = known || (a == k);
        if (!known)
          child(kv.first, k).fail("unknown key" + did_you_mean(k, allowed) + "; allowed here: " +
                                  join(allowed));
      }
  }

  std::string CaseNode::describe_value() const
  {
    if (!node_.IsDefined() || node_.IsNull())
      return "nothing";
    if (node_.IsMap())
      return "a map";
    if (node_.IsSequence())
      return "a list";
    return "'" + node_.Scalar() + "'";
  }

  std::string CaseNode::text() const
  {
    if (!node_.IsScalar())
      fail("expected a text value, got " + describe_value());
    return node_.Scalar();
  }

  double CaseNode::number() const
  {
    if (!node_.IsScalar())
      fail("expected a number, got " + describe_value());
    const std::string &s = node_.Scalar();
    double             v = 0;
    // YAML spellings of infinities and NaN are numbers to yaml-cpp; we reject them.
    char *end = nullptr;
    errno     = 0;
    v         = std::strtod(s.c_str(), &end);
    if (s.empty() || end == s.c_str() || *end != '\0' || errno == ERANGE)
      {
        if (s == ".nan" || s == ".NaN" || s == ".NAN" || s == ".inf" || s == "-.inf" || s == ".Inf")
          fail("expected a finite number, got '" + s + "'");
        fail("expected a number, got " + describe_value());
      }
    if (!std::isfinite(v))
      fail("expected a finite number, got '" + s + "'");
    return v;
  }

  double CaseNode::positive_number() const
  {
    const double v = number();
    if (!(v > 0))
      fail("expected a positive number, got " + node_.Scalar());
    return v;
  }

  double CaseNode::non_negative_number() const
  {
    const double v = number();
    if (v < 0)
      fail("expected a number >= 0, got " + node_.Scalar());
    return v;
  }

  int CaseNode::integer(int lo, int hi) const
  {
    const double v = number();
    if (v != std::floor(v) || v < lo || v > hi)
      fail("expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
           ", got " + node_.Scalar());
    return static_cast<int>(v);
  }

  std::string CaseNode::choice(const std::vector<std::string> &choices) const
  {
    const std::string s = text();
    for (const auto &c : choices)
      if (c == s)
        return s;
    fail("expected one of " + join(choices) + ", got '" + s + "'" + did_you_mean(s, choices));
  }

  namespace
  {
    std::string g_text(double v)
    {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", v);
      return buf;
    }
  } // namespace

  double CaseNode::length() const
  {
    const double v     = number();
    const double limit = physical_range::max_length_m / units_.length_to_m;
    if (std::abs(v) > limit)
      fail("expected a length within " + g_text(limit) + " " + units_.length_name + " (1 m; chiptherm models chips and their packages), got " + describe_value());
    return v * units_.length_to_m;
  }

  double CaseNode::positive_length() const
  {
    positive_number();
    return length();
  }

  std::vector<double> CaseNode::lengths(std::size_t n) const
  {
    numbers(n);
    std::vector<double> v;
    for (const auto &item : items())
      v.push_back(item.length());
    return v;
  }

  double CaseNode::number_in(double lo, double hi, const std::string &unit) const
  {
    const double v = number();
    if (!(v >= lo && v <= hi))
      fail("expected a value from " + g_text(lo) + " to " + g_text(hi) + (unit.empty() ? "" : " " + unit) + ", got " +
           describe_value());
    return v;
  }

  double CaseNode::power() const
  {
    const double v = non_negative_number();
    if (v > physical_range::max_power_w)
      fail("expected a power of at most " + g_text(physical_range::max_power_w) + " W, got " + describe_value());
    return v;
  }

  double CaseNode::temperature() const
  {
    const double t = units_.to_kelvin(number());
    if (t < 0 || t > physical_range::max_temperature_k)
      fail("expected a temperature from 0 K to " + g_text(units_.from_kelvin(physical_range::max_temperature_k)) +
           (units_.celsius ? " C" : " K") + ", got " + describe_value());
    return t;
  }

  std::vector<double> CaseNode::numbers(std::size_t n) const
  {
    if (!node_.IsSequence() || node_.size() != n)
      fail("expected a list of " + std::to_string(n) + " numbers, got " + describe_value() +
           (node_.IsSequence() ? " of " + std::to_string(node_.size()) : std::string()));
    std::vector<double> v;
    for (const auto &item : items())
      v.push_back(item.number());
    return v;
  }

  double CaseNode::number_or(const std::string &key, double fallback) const
  {
    return has(key) ? at(key).number() : fallback;
  }

  double CaseNode::positive_number_or(const std::string &key, double fallback) const
  {
    return has(key) ? at(key).positive_number() : fallback;
  }

  int CaseNode::integer_or(const std::string &key, int fallback, int lo, int hi) const
  {
    return has(key) ? at(key).integer(lo, hi) : fallback;
  }

  std::string CaseNode::text_or(const std::string &key, const std::string &fallback) const
  {
    return has(key) ? at(key).text() : fallback;
  }
} // namespace chiptherm
