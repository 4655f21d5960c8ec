#include "text_distance.h"

#include <algorithm>
#include <numeric>

namespace chiptherm
{
  std::size_t edit_distance(const std::string &a, const std::string &b)
  {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i)
      {
        std::size_t diagonal = row[0];
        row[0]               = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
          {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
          }
      }
    return row[b.size()];
  }

  std::string closest_match(const std::string &word, const std::vector<std::string> &candidates)
  {
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    std::string       best;
    std::size_t       best_distance = limit + 1;
    for (const auto &c : candidates)
      {
        const std::size_t d = edit_distance(word, c);
        if (d < best_distance)
          {
            best          = c;
            best_distance = d;
          }
      }
    return best;
  }

  std::string did_you_mean(const std::string &word, const std::vector<std::string> &candidates)
  {
    const std::string m = closest_match(word, candidates);
    return m.empty() ? std::string() : " (did you mean '" + m + "'?)";
  }

  std::string join(const std::vector<std::string> &words, const std::string &separator)
  {
    std::string s;
    for (std::size_t i = 0; i < words.size(); ++i)
      s += (i ? separator : "") + words[i];
    return s;
  }
} // namespace chiptherm
