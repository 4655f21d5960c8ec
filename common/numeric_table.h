#pragma once
// Text tables of numbers, as users keep them: CSV (refinement maps, power
// traces) and whitespace-separated columns (HotSpot .ptrace). '#' starts a
// comment, blank lines are skipped, and every error names the file and line.
#include <string>
#include <vector>

namespace chiptherm
{
  struct NumericTable
  {
    std::vector<std::string>         header;      ///< column names (empty when read without a header)
    int                              header_line = -1;
    std::vector<std::vector<double>> rows;        ///< all of one length
    std::vector<int>                 row_lines;   ///< 1-based line of each row
  };

  enum class Separator
  {
    comma,     ///< "1, 2,3"
    whitespace ///< "1 2\t3"
  };

  /// Reads path. With header, the first non-comment line names the columns and
  /// every row must have as many values. Throws InputError on an unreadable
  /// file, a token that is not a number, or a row of another length; an empty
  /// table is an error too ("... holds no numbers").
  /// what names the file in messages ("refinement map file", "power trace").
  NumericTable read_numeric_table(const std::string &path, const std::string &what, Separator separator, bool header);
} // namespace chiptherm
