#include "threedice_tokens.h"

#include "common/input_files.h"
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace chiptherm::foreign
{
  namespace
  {
    std::string describe(const ThreediceToken &t)
    {
      switch (t.kind)
        {
          case ThreediceToken::end:
            return "the end of the file";
          case ThreediceToken::text:
            return "\"" + t.value + "\"";
          default:
            return "'" + t.value + "'";
        }
    }
  } // namespace

  TokenStream::TokenStream(const std::string &path, const std::string &what)
    : path_(path)
  {
    std::ifstream in;
    if (is_input_file(path)) // never open a folder, device or pipe
      in.open(path);
    if (!in.is_open())
      throw InputError(SourceLocation{path, -1, ""}, "cannot open the " + what + " (does it exist and is it readable?)");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string s = buffer.str();
    int               line = 1;
    for (std::size_t i = 0; i < s.size();)
      {
        const char c = s[i];
        if (c == '\n')
          ++line, ++i;
        else if (std::isspace(static_cast<unsigned char>(c)))
          ++i;
        else if (s.compare(i, 2, "//") == 0)
          i = s.find('\n', i) == std::string::npos ? s.size() : s.find('\n', i);
        else if (s.compare(i, 2, "/*") == 0)
          {
            const int         start = line;
            const std::size_t close = s.find("*/", i + 2);
            if (close == std::string::npos)
              throw InputError(SourceLocation{path, start, ""}, "a /* comment that starts here is never closed");
            for (std::size_t k = i; k < close; ++k)
              line += s[k] == '\n';
            i = close + 2;
          }
        else if (c == '"')
          {
            const std::size_t close = s.find('"', i + 1);
            if (close == std::string::npos || s.find('\n', i) < close)
              throw InputError(SourceLocation{path, line, ""}, "a \"string\" that starts here is not closed on its line");
            tokens_.push_back({ThreediceToken::text, s.substr(i + 1, close - i - 1), line});
            i = close + 1;
          }
        else if (c == ':' || c == ';' || c == ',' || c == '(' || c == ')')
          tokens_.push_back({ThreediceToken::punct, std::string(1, c), line}), ++i;
        else
          {
            std::size_t j = i;
            while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && std::string(":;,()\"").find(s[j]) == std::string::npos &&
                   s.compare(j, 2, "//") != 0 && s.compare(j, 2, "/*") != 0)
              ++j;
            const std::string word = s.substr(i, j - i);
            char             *end  = nullptr;
            std::strtod(word.c_str(), &end);
            const bool is_number = *end == '\0' && (std::isdigit(static_cast<unsigned char>(word[0])) ||
                                                    word[0] == '-' || word[0] == '+' || word[0] == '.');
            tokens_.push_back({is_number ? ThreediceToken::number : ThreediceToken::word, word, line});
            i = j;
          }
      }
    tokens_.push_back({ThreediceToken::end, "", line});
  }

  const ThreediceToken &TokenStream::peek(std::size_t ahead) const
  {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }

  bool TokenStream::accept(const std::string &value)
  {
    const auto &t = peek();
    if ((t.kind == ThreediceToken::word || t.kind == ThreediceToken::punct) && t.value == value)
      {
        ++next_;
        return true;
      }
    return false;
  }

  void TokenStream::expect(const std::string &value, const std::string &context)
  {
    if (!accept(value))
      fail("expected '" + value + "' " + context + ", got " + describe(peek()));
  }

  void TokenStream::expect_words(const std::vector<std::string> &words, const std::string &context)
  {
    for (const auto &w : words)
      expect(w, context);
  }

  std::string TokenStream::name(const std::string &context)
  {
    const auto &t = peek();
    if (t.kind != ThreediceToken::word)
      fail("expected a name " + context + ", got " + describe(t));
    ++next_;
    return t.value;
  }

  std::string TokenStream::quoted(const std::string &context)
  {
    const auto &t = peek();
    if (t.kind != ThreediceToken::text)
      fail("expected a \"quoted\" file name " + context + ", got " + describe(t));
    ++next_;
    return t.value;
  }

  double TokenStream::number(const std::string &context)
  {
    const auto &t = peek();
    if (t.kind != ThreediceToken::number || !std::isfinite(std::strtod(t.value.c_str(), nullptr)))
      fail("expected a number " + context + ", got " + describe(t));
    ++next_;
    return std::strtod(t.value.c_str(), nullptr);
  }

  double TokenStream::positive(const std::string &context)
  {
    const double v = number(context);
    if (!(v > 0))
      throw InputError(SourceLocation{path_, tokens_[next_ - 1].line, ""},
                       "expected a positive number " + context + ", got " + tokens_[next_ - 1].value);
    return v;
  }

  void TokenStream::fail(const std::string &expectation) const
  {
    throw InputError(here(), expectation);
  }
} // namespace chiptherm::foreign
