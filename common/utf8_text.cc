#include "utf8_text.h"

#include "errors.h"

#include <cstdio>

namespace chiptherm
{
  namespace
  {
    /// Length of the valid UTF-8 sequence at s[i], or 0 (overlong forms, surrogates
    /// and code points past U+10FFFF are invalid, as in RFC 3629).
    std::size_t sequence_length(const std::string &s, std::size_t i)
    {
      const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
      const unsigned char c = byte(i);
      if (c == 0)
        return 0;
      if (c < 0x80)
        return 1;
      std::size_t   n     = 0;
      unsigned char lo    = 0x80, hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF)
        n = 2;
      else if (c >= 0xE0 && c <= 0xEF)
        n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      else if (c >= 0xF0 && c <= 0xF4)
        n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      else
        return 0;
      if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
      for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
          return 0;
      return n;
    }

    /// Offset of the first invalid byte in [begin, end), or end.
    std::size_t first_invalid(const std::string &s, std::size_t begin, std::size_t end)
    {
      for (std::size_t i = begin; i < end;)
        {
          const std::size_t n = sequence_length(s, i);
          if (n == 0 || i + n > end)
            return i;
          i += n;
        }
      return end;
    }

    [[noreturn]] void fail(const std::string &file, int line, std::size_t column, unsigned char byte)
    {
      char text[160];
      std::snprintf(text, sizeof text,
                    "not UTF-8 text: byte 0x%02X at column %zu (save the file as UTF-8 or plain ASCII)", byte,
                    column + 1);
      throw InputError(SourceLocation{file, line, ""}, text);
    }
  } // namespace

  void expect_utf8_line(const std::string &line, const std::string &file, int line_number)
  {
    const std::size_t bad = first_invalid(line, 0, line.size());
    if (bad != line.size())
      fail(file, line_number, bad, static_cast<unsigned char>(line[bad]));
  }

  void expect_utf8_text(const std::string &text, const std::string &file)
  {
    int line = 1;
    for (std::size_t begin = 0; begin <= text.size();)
      {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos)
          end = text.size();
        const std::size_t bad = first_invalid(text, begin, end);
        if (bad != end)
          fail(file, line, bad - begin, static_cast<unsigned char>(text[bad]));
        begin = end + 1, ++line;
      }
  }

  std::string printable_utf8(const std::string &text)
  {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();)
      {
        const std::size_t n = sequence_length(text, i);
        if (n == 0)
          out += '?', ++i;
        else
          out.append(text, i, n), i += n;
      }
    return out;
  }
} // namespace chiptherm
