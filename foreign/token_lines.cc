#include "token_lines.h"

#include "common/input_files.h"
#include "common/utf8_text.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace chiptherm::foreign
{
  std::vector<TokenLine> read_token_lines(const std::string &path, const std::string &what)
  {
    std::ifstream in;
    if (is_input_file(path)) // never open a folder, device or pipe
      in.open(path);
    if (!in.is_open())
      throw InputError(SourceLocation{path, -1, ""}, "cannot open the " + what + " (does it exist and is it readable?)");
    std::vector<TokenLine> lines;
    std::string            text;
    for (int line = 1; std::getline(in, text); ++line)
      {
        expect_utf8_line(text, path, line);
        std::istringstream tokens(text.substr(0, text.find('#')));
        TokenLine          t{line, {}};
        for (std::string s; tokens >> s;)
          t.tokens.push_back(s);
        if (!t.tokens.empty())
          lines.push_back(std::move(t));
      }
    return lines;
  }

  double parse_number(const std::string &token, const SourceLocation &where, const std::string &what)
  {
    char        *end   = nullptr;
    const double value = std::strtod(token.c_str(), &end);
    if (token.empty() || *end != '\0' || !std::isfinite(value))
      throw InputError(where, "expected a number for the " + what + ", got '" + token + "'");
    return value;
  }

  double parse_positive(const std::string &token, const SourceLocation &where, const std::string &what)
  {
    const double value = parse_number(token, where, what);
    if (!(value > 0))
      throw InputError(where, "expected a positive " + what + ", got " + token);
    return value;
  }
} // namespace chiptherm::foreign
