#pragma once
// Input text must be UTF-8: names read from it end up in JSON reports, CSV tables
// and ParaView files. A byte that is not UTF-8 is an input error naming its line.
#include <string>

namespace chiptherm
{
  /// Throws InputError{file, line} naming the first byte of line that is not part
  /// of a valid UTF-8 sequence (and its column). NUL bytes count as invalid.
  void expect_utf8_line(const std::string &line, const std::string &file, int line_number);

  /// The same for a whole text (lines counted from 1).
  void expect_utf8_text(const std::string &text, const std::string &file);

  /// text with every byte that is not part of valid UTF-8 (and NUL) replaced by
  /// '?': for messages that quote outside bytes (a damaged file's parse error).
  std::string printable_utf8(const std::string &text);
} // namespace chiptherm
