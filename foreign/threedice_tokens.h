#pragma once
// The lexical layer of 3D-ICE's files (.stk stacks and .flp floorplans):
// words, numbers, "strings" and the punctuation : ; , ( ), with // and /* */
// comments. A TokenStream reads them with line numbers and gives the parsers
// expect-style helpers whose errors name the file, the line, what was expected
// and what was found. No deal.II here.
#include "common/errors.h"

#include <string>
#include <vector>

namespace chiptherm::foreign
{
  struct ThreediceToken
  {
    enum Kind
    {
      word,
      number,
      text, ///< a "quoted string", without the quotes
      punct,
      end
    } kind = end;
    std::string value;
    int         line = 0;
  };

  class TokenStream
  {
  public:
    /// Reads and splits path (what names the kind of file if it cannot be opened).
    TokenStream(const std::string &path, const std::string &what);

    const ThreediceToken &peek(std::size_t ahead = 0) const;
    bool                  at_end() const { return peek().kind == ThreediceToken::end; }
    /// True (and consumed) when the next token is this word or punctuation.
    bool accept(const std::string &value);
    /// Consumes the next token, which must be value (a keyword or punctuation).
    void expect(const std::string &value, const std::string &context);
    /// Consumes a sequence of keywords ("thermal conductivity").
    void expect_words(const std::vector<std::string> &words, const std::string &context);
    std::string name(const std::string &context);   ///< an identifier
    std::string quoted(const std::string &context); ///< a "string"
    double      number(const std::string &context); ///< a finite number
    double      positive(const std::string &context);

    [[noreturn]] void fail(const std::string &expectation) const;
    SourceLocation    here() const { return SourceLocation{path_, peek().line, ""}; }
    const std::string &path() const { return path_; }

  private:
    std::string                 path_;
    std::vector<ThreediceToken> tokens_;
    std::size_t                 next_ = 0;
  };
} // namespace chiptherm::foreign
