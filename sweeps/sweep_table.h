#pragma once
// The results of a sweep, one row per candidate: its variables, status
// (solved | rejected | failed), the maximum temperature overall, per die and
// per block type, sign-off pass/fail, the throttled accelerator throughput
// (co-design cases), the wall time. Written as OUT/sweep.csv and sweep.json,
// each whole or not at all; the best row by the sweep's objective.
#include "sweep_screen.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chiptherm::sweeps
{
  struct SweepRow
  {
    std::string                   name;
    std::vector<std::string>      values;
    std::string                   status; ///< solved | rejected | failed | screened (not solved: --screen)
    std::string                   reason; ///< rejected or failed: why
    std::map<std::string, double> numbers; ///< t_max_c, t_max_c:<die>, t_max_c:<type>, throughput, wall_s
    std::optional<bool>           pass;
  };

  /// Rows from the screened candidates and each case's OUT/cases/<name>.json
  /// marker and report.json.
  std::vector<SweepRow> collect_rows(const std::vector<ScreenedPoint> &screened, const std::string &out_dir);
  /// Index of the best solved row by the objective column, or -1.
  long best_row(const std::vector<SweepRow> &rows, const std::string &objective, bool maximize);
  /// OUT/sweep.csv and OUT/sweep.json (each written to a temporary file, then
  /// renamed); screening (null without a prediction) goes into sweep.json as is.
  void write_table(const SweepSpec &spec, const std::vector<SweepRow> &rows, long best,
                   const nlohmann::json &screening, const std::string &out_dir);
} // namespace chiptherm::sweeps
