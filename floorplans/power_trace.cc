#include "power_trace.h"

#include "common/numeric_table.h"
#include "common/text_distance.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace chiptherm::floorplans
{
  namespace
  {
    /// The same function with fewer breakpoints: a step that does not change
    /// the power, or a point on the straight line through its neighbours, is
    /// not a breakpoint, and a time stepper need not land on it.
    PowerSchedule without_redundant_points(const std::vector<double> &times, const std::vector<double> &powers,
                                           Interpolation interpolation)
    {
      std::vector<double> t{times.front()}, p{powers.front()};
      for (std::size_t i = 1; i < times.size(); ++i)
        {
          const bool last = i + 1 == times.size();
          bool       redundant;
          if (interpolation == Interpolation::step)
            redundant = powers[i] == p.back();
          else
            {
              // On the line from the last kept point to the next point (the last point always stays).
              const double slope = last ? 0 : (powers[i + 1] - p.back()) / (times[i + 1] - t.back());
              redundant = !last && std::abs(p.back() + slope * (times[i] - t.back()) - powers[i]) <=
                                     1e-12 * std::max(std::abs(powers[i]), 1e-30);
            }
          if (!redundant)
            t.push_back(times[i]), p.push_back(powers[i]);
        }
      return PowerSchedule(t, p, interpolation);
    }

    /// Columns of table from first_column on, as schedules over times.
    PowerTrace columns_to_trace(const std::string &path, const NumericTable &table, std::size_t first_column,
                                const std::vector<double> &times, Interpolation interpolation)
    {
      PowerTrace trace;
      trace.file        = path;
      trace.header_line = table.header_line;
      for (std::size_t c = first_column; c < table.header.size(); ++c)
        {
          std::vector<double> powers;
          for (std::size_t r = 0; r < table.rows.size(); ++r)
            {
              const double p = table.rows[r][c];
              if (p < 0 || p > physical_range::max_power_w)
                throw InputError(SourceLocation{path, table.row_lines[r], ""},
                                 "expected a power from 0 to 1e5 W in column " + std::to_string(c + 1) + " ('" +
                                   table.header[c] + "'), got " + std::to_string(p));
              powers.push_back(p);
            }
          trace.columns.push_back(table.header[c]);
          trace.schedules.push_back(without_redundant_points(times, powers, interpolation));
        }
      return trace;
    }
  } // namespace

  PowerTrace read_power_trace_csv(const std::string &path, Interpolation interpolation)
  {
    const NumericTable table = read_numeric_table(path, "power trace", Separator::comma, true);
    if (table.header.empty() || table.header.front() != "time_s")
      throw InputError(SourceLocation{path, table.header_line, ""},
                       "expected the header to start with the column 'time_s', got '" +
                         (table.header.empty() ? std::string() : table.header.front()) + "'");
    if (table.header.size() < 2)
      throw InputError(SourceLocation{path, table.header_line, ""}, "expected at least one block column after time_s");
    std::vector<double> times;
    for (std::size_t r = 0; r < table.rows.size(); ++r)
      {
        const double t = table.rows[r][0];
        if (t < 0 || (!times.empty() && t <= times.back()))
          throw InputError(SourceLocation{path, table.row_lines[r], ""},
                           "expected time_s to start at 0 or later and increase, got " + std::to_string(t) +
                             (times.empty() ? std::string() : " after " + std::to_string(times.back())));
        times.push_back(t);
      }
    PowerTrace trace = columns_to_trace(path, table, 1, times, interpolation);
    trace.end_s      = times.back();
    return trace;
  }

  PowerTrace read_hotspot_ptrace(const std::string &path, double interval_s)
  {
    const NumericTable  table = read_numeric_table(path, "power trace", Separator::whitespace, true);
    std::vector<double> times;
    for (std::size_t r = 0; r < table.rows.size(); ++r)
      times.push_back(double(r) * interval_s);
    PowerTrace trace = columns_to_trace(path, table, 0, times, Interpolation::step);
    trace.end_s      = double(table.rows.size()) * interval_s;
    return trace;
  }

  void apply_power_trace(const PowerTrace &trace, ChipModel &model)
  {
    std::map<std::string, Block *> by_name;
    std::vector<std::string>       names;
    std::map<std::string, int>     short_name_count;
    for (auto &layer : model.layers)
      for (auto &block : layer.blocks)
        ++short_name_count[block.name];
    for (auto &layer : model.layers)
      for (auto &block : layer.blocks)
        {
          by_name[block.die + "/" + block.name] = &block;
          names.push_back(block.die + "/" + block.name);
          if (short_name_count[block.name] == 1)
            by_name[block.name] = &block, names.push_back(block.name);
        }
    std::map<const Block *, std::string> named;
    for (std::size_t c = 0; c < trace.columns.size(); ++c)
      {
        const std::string &column = trace.columns[c];
        const auto         it     = by_name.find(column);
        if (it == by_name.end())
          throw InputError(SourceLocation{trace.file, trace.header_line, ""},
                           "column '" + column + "' names no block of the case" +
                             (short_name_count.count(column) ? " uniquely: write die/block"
                                                             : did_you_mean(column, names)));
        if (named.count(it->second))
          throw InputError(SourceLocation{trace.file, trace.header_line, ""},
                           "columns '" + named[it->second] + "' and '" + column + "' name the same block");
        if (it->second->dvfs)
          throw InputError(SourceLocation{trace.file, trace.header_line, ""},
                           "column '" + column + "' names a block with dvfs: its power comes from its operating "
                           "points (the controller picks them); drop the column or the block's dvfs");
        named[it->second]            = column;
        it->second->power_over_time = trace.schedules[c];
      }
  }
} // namespace chiptherm::floorplans
