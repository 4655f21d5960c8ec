#include "case_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <vector>

namespace chiptherm::floorplans
{
  std::string number_text(double value)
  {
    char buf[48];
    if (value == std::round(value) && std::abs(value) < 1e15)
      {
        std::snprintf(buf, sizeof buf, "%.0f", value);
        return buf;
      }
    // The fewest significant digits that read back, without an exponent for
    // values a person writes plainly (0.001, 2778.5).
    const int integer_digits = std::abs(value) >= 1 ? int(std::floor(std::log10(std::abs(value)))) + 1 : 0;
    for (int digits = 1; digits <= 15; ++digits)
      {
        std::snprintf(buf, sizeof buf, "%.*g", std::max(digits, integer_digits), value);
        if (std::abs(std::strtod(buf, nullptr) - value) <= 1e-12 * std::abs(value))
          break;
      }
    return buf;
  }

  std::string um_text(double metres)
  {
    // HotSpot files give metres with ~7 digits; rounded to the nanometre, the
    // micrometres are what the designer meant (16000, not 15999.9999998).
    return number_text(std::round(metres * 1e9) / 1e3);
  }

  std::string name_text(const std::string &name)
  {
    static const std::regex plain("[A-Za-z_][A-Za-z0-9_.\\-]*");
    static const std::regex keyword("true|false|yes|no|on|off|null|y|n|~", std::regex::icase);
    if (std::regex_match(name, plain) && !std::regex_match(name, keyword))
      return name;
    std::string quoted = "\"";
    for (char c : name)
      quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return quoted + "\"";
  }

  std::string guess_block_type(const std::string &unit_name)
  {
    std::string n = unit_name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    // Words of the name (split at anything not a letter or digit, trailing
    // digits dropped: "adc0" -> "adc", "L2_left" -> "l2", "left").
    std::vector<std::string> words;
    for (std::size_t i = 0; i < n.size();)
      {
        std::size_t j = i;
        while (j < n.size() && std::isalnum(static_cast<unsigned char>(n[j])))
          ++j;
        std::string w = n.substr(i, j - i);
        while (w.size() > 2 && std::isdigit(static_cast<unsigned char>(w.back())))
          w.pop_back();
        if (!w.empty())
          words.push_back(w);
        i = j + 1;
      }
    // Short words must be a whole word; long ones may sit inside one ("Icache").
    const auto has = [&](std::initializer_list<const char *> short_words, std::initializer_list<const char *> long_words) {
      for (const auto &w : words)
        {
          for (const char *s : short_words)
            if (w == s)
              return true;
          for (const char *l : long_words)
            if (w.find(l) != std::string::npos)
              return true;
        }
      return false;
    };
    if (has({"l1", "l2", "l3", "mem", "rom", "hbm", "tlb"}, {"cache", "sram", "dram", "memory", "regfile", "buffer", "bank"}))
      return "memory";
    if (has({"pll", "clk", "dll"}, {"clock"}))
      return "clock";
    if (has({"adc", "dac"}, {"analog", "sensor", "bandgap"}))
      return "analog";
    if (has({"pmic", "vreg", "ivr", "ldo"}, {"regulator"}))
      return "pmic";
    if (has({}, {"laser", "optic", "photon", "modulator"}))
      return "photonic";
    if (has({"io", "phy", "pad", "gpio"}, {"serdes"}))
      return "io";
    if (has({"npu", "gpu", "tpu"}, {"accel", "systolic"}))
      return "accelerator";
    return "logic";
  }

  std::string path_from_case(const std::string &file, const std::string &case_path)
  {
    namespace fs = std::filesystem;
    const fs::path absolute = fs::absolute(file).lexically_normal();
    if (case_path.empty())
      return absolute.string();
    const fs::path folder = fs::absolute(case_path).parent_path();
    return absolute.lexically_relative(folder).string();
  }
} // namespace chiptherm::floorplans
