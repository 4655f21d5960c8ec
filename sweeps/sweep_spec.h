#pragma once
// A sweep file (contract.md, "Sweep file"): a base case, the variables to
// vary (any case key, as --set would), how to combine them (a full grid, a
// list taken in step, or a seeded space-filling random design), constraints
// checked before anything is solved, and the objective for "best".
#include <yaml-cpp/yaml.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace chiptherm::sweeps
{
  struct SweepVariable
  {
    std::string             key;    ///< a case key path, as --set takes it
    std::vector<YAML::Node> values; ///< grid, list, or random picks from these
    /// random only: [lo, hi] numbers, or [[lo...], [hi...]] vectors of numbers.
    std::optional<std::pair<std::vector<double>, std::vector<double>>> range;
    bool                    range_is_vector = false;
  };

  struct SweepSpec
  {
    std::string                file;          ///< the sweep file, for messages
    std::string                base_case;     ///< resolved path
    std::string                design = "grid";
    unsigned long              seed    = 1;
    unsigned int               samples = 0;   ///< random only
    std::vector<SweepVariable> variables;
    std::string                objective = "t_max_c";
    bool                       maximize  = false;
    double                     min_spacing = 0; ///< between dies (regions) of a layer, the base case's length unit

    /// Reads and checks a sweep file; throws InputError (file, line, key).
    static SweepSpec read(const std::string &path);
  };

  /// One candidate: its name (case_0007) and the --set assignments that make it.
  struct SweepPoint
  {
    std::size_t              index = 0;
    std::string              name;
    std::vector<std::string> values;      ///< one per variable, as YAML flow text
    std::vector<std::string> assignments; ///< "key=value", one per variable
  };

  /// Every candidate of the design, in a fixed order (the seed fixes random ones).
  std::vector<SweepPoint> expand(const SweepSpec &spec);

  /// Uniform in [0, 1) from 53 random bits: the same on every platform (unlike
  /// std distributions), so a seed gives the same sweep everywhere.
  double unit_uniform(std::mt19937_64 &rng);
} // namespace chiptherm::sweeps
