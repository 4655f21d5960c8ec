#pragma once
// HotSpot's text files (.flp, .config, .lcf, .materials) share one lexical
// layout: whitespace-separated tokens, `#` to the end of the line a comment,
// blank lines ignored. These helpers read that layout with line numbers and
// turn tokens into checked numbers; every error names the file and line.
#include "common/errors.h"

#include <string>
#include <vector>

namespace chiptherm::foreign
{
  struct TokenLine
  {
    int                      line = 0; ///< 1-based
    std::vector<std::string> tokens;   ///< at least one
  };

  /// The non-blank lines of path, comments removed. what names the kind of
  /// file in the message when it cannot be opened ("HotSpot floorplan").
  std::vector<TokenLine> read_token_lines(const std::string &path, const std::string &what);

  /// token as a finite number; otherwise an InputError at where saying
  /// "expected a number for the <what>, got '<token>'".
  double parse_number(const std::string &token, const SourceLocation &where, const std::string &what);
  /// As parse_number, and > 0.
  double parse_positive(const std::string &token, const SourceLocation &where, const std::string &what);
} // namespace chiptherm::foreign
