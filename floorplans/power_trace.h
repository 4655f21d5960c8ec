#pragma once
// Power traces from files: one column per block over time. Two layouts:
// CSV with a header `time_s,<block>,<block>...` (one row per breakpoint), and
// HotSpot's .ptrace (a header of unit names, then one row per sampling
// interval). Both become PowerSchedules; apply_power_trace() gives them to
// the blocks they name. No deal.II here.
#include "chip_model.h"
#include "power_schedule.h"

#include <string>
#include <vector>

namespace chiptherm::floorplans
{
  struct PowerTrace
  {
    std::string                file;
    int                        header_line = 1;
    std::vector<std::string>   columns;   ///< block names as the file gives them
    std::vector<PowerSchedule> schedules; ///< one per column
    double                     end_s = 0; ///< the last time the file describes
  };

  /// CSV: first column `time_s` (strictly increasing, from 0 or later), then
  /// powers in W. Rows are breakpoints joined by interpolation.
  PowerTrace read_power_trace_csv(const std::string &path, Interpolation interpolation);
  /// HotSpot .ptrace: row k holds over [k dt, (k+1) dt), dt = interval_s.
  PowerTrace read_hotspot_ptrace(const std::string &path, double interval_s);

  /// Gives each column's schedule to the block it names ("block" or
  /// "die/block"); a column that names no block, or a block named twice, is
  /// an InputError naming the file and the column.
  void apply_power_trace(const PowerTrace &trace, ChipModel &model);
} // namespace chiptherm::floorplans
