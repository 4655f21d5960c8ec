#pragma once
// "Did you mean" suggestions for misspelt keys and names.
#include <string>
#include <vector>

namespace chiptherm
{
  /// Levenshtein edit distance between a and b (case-sensitive).
  std::size_t edit_distance(const std::string &a, const std::string &b);

  /// The candidate closest to word if it is close enough to be a plausible typo
  /// (distance <= max(2, |word|/3)); empty otherwise.
  std::string closest_match(const std::string &word, const std::vector<std::string> &candidates);

  /// " (did you mean 'x'?)" or "" when there is no close candidate.
  std::string did_you_mean(const std::string &word, const std::vector<std::string> &candidates);

  /// "a, b, c" for messages.
  std::string join(const std::vector<std::string> &words, const std::string &separator = ", ");
} // namespace chiptherm
