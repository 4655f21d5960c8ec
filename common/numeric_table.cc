#include "numeric_table.h"

#include "input_files.h"
#include "errors.h"
#include "utf8_text.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace chiptherm
{
  namespace
  {
    std::vector<std::string> split(const std::string &line, Separator separator)
    {
      std::vector<std::string> tokens;
      if (separator == Separator::whitespace)
        {
          std::istringstream in(line);
          for (std::string t; in >> t;)
            tokens.push_back(t);
          return tokens;
        }
      std::stringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');)
        {
          const auto b = cell.find_first_not_of(" \t\r"), e = cell.find_last_not_of(" \t\r");
          tokens.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
        }
      return tokens;
    }
  } // namespace

  NumericTable read_numeric_table(const std::string &path, const std::string &what, Separator separator, bool header)
  {
    std::ifstream in;
    if (is_input_file(path)) // never open a folder, device or pipe
      in.open(path);
    if (!in.is_open())
      throw InputError(SourceLocation{path, -1, ""}, "cannot open the " + what);
    const std::string kind = separator == Separator::comma ? "comma-separated" : "whitespace-separated";
    NumericTable      table;
    std::size_t       width = 0;
    std::string       line;
    for (int line_no = 1; std::getline(in, line); ++line_no)
      {
        expect_utf8_line(line, path, line_no);
        line = line.substr(0, line.find('#'));
        if (line.find_first_not_of(" \t\r,") == std::string::npos)
          continue;
        const auto tokens = split(line, separator);
        if (header && table.header_line < 0)
          {
            table.header      = tokens;
            table.header_line = line_no;
            width             = tokens.size();
            continue;
          }
        std::vector<double> row;
        for (const auto &token : tokens)
          {
            char        *end   = nullptr;
            const double value = std::strtod(token.c_str(), &end);
            if (token.empty() || *end != '\0')
              throw InputError(SourceLocation{path, line_no, ""}, "expected " + kind + " numbers, got '" + token +
                                                                     "' in column " + std::to_string(row.size() + 1));
            row.push_back(value);
          }
        if (width == 0)
          width = row.size();
        else if (row.size() != width)
          throw InputError(SourceLocation{path, line_no, ""},
                           "expected " + std::to_string(width) + " values like the " +
                             (header ? std::string("header (line ") + std::to_string(table.header_line) + ")"
                                     : std::string("first row")) +
                             ", got " + std::to_string(row.size()));
        table.rows.push_back(std::move(row));
        table.row_lines.push_back(line_no);
      }
    if (table.rows.empty())
      throw InputError(SourceLocation{path, -1, ""}, "the " + what + " holds no numbers");
    return table;
  }
} // namespace chiptherm
