#include "power_trace.h"

#include "../common/numeric_table.h"
#include "../common/text_distance.h"

#include <map>

namespace chiptherm::floorplans
{
  namespace
  {
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
              if (p < 0)
                throw InputError(SourceLocation{path, table.row_lines[r], ""},
                                 "expected a power >= 0 W in column " + std::to_string(c + 1) + " ('" +
                                   table.header[c] + "'), got " + std::to_string(p));
              powers.push_back(p);
            }
          trace.columns.push_back(table.header[c]);
          trace.schedules.emplace_back(times, powers, interpolation);
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
        named[it->second]            = column;
        it->second->power_over_time = trace.schedules[c];
      }
  }
} // namespace chiptherm::floorplans
