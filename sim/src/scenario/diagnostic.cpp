#include "cyberex/diagnostic.hpp"

#include <algorithm>
#include <cstddef>

namespace cyberex {

std::string Diagnostic::format() const
{
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0)
      out += ':' + std::to_string(column);
  }
  out += ": ";
  switch (severity) {
  case Severity::error:
    out += "error";
    break;
  case Severity::warning:
    out += "warning";
    break;
  case Severity::note:
    out += "note";
    break;
  }
  out += ": [" + code + "] ";
  if (!pointer.empty())
    out += "(" + pointer + ") ";
  out += message;
  return out;
}

bool Diagnostics::has_errors() const
{
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const
{
  return static_cast<std::size_t>(std::count_if(
      items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::error; }));
}

std::size_t Diagnostics::warning_count() const
{
  return static_cast<std::size_t>(std::count_if(
      items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::warning; }));
}

namespace {

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), or limit + 1 when it exceeds limit.
std::size_t edit_distance(const std::string& a, const std::string& b, std::size_t limit)
{
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  if ((n > m ? n - m : m - n) > limit)
    return limit + 1;
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit)
      return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

} // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates)
{
  // About one typo per three characters, at most three: "agnecy" finds "agency", "x" finds nothing.
  const std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, (word.size() + 2) / 3));
  // Ties go to the longer common prefix ("T1566.009" suggests "T1566.001" rather than "T1546.009"), then to the
  // earlier candidate.
  const auto common_prefix = [&](const std::string& c) {
    std::size_t n = 0;
    while (n < c.size() && n < word.size() && c[n] == word[n])
      ++n;
    return n;
  };
  std::string best;
  std::size_t best_distance = limit + 1;
  std::size_t best_prefix = 0;
  for (const std::string& c : candidates) {
    if (c == word)
      continue;
    const std::size_t d = edit_distance(word, c, std::min(limit, best_distance));
    if (d > limit || d >= std::max(word.size(), c.size()))
      continue;
    const std::size_t prefix = common_prefix(c);
    if (d < best_distance || (d == best_distance && prefix > best_prefix)) {
      best_distance = d;
      best_prefix = prefix;
      best = c;
    }
  }
  return best;
}

namespace scenario_impl {

// declared in context.hpp, the loader's internal header (which this file does not need otherwise)
std::vector<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates,
                                 std::size_t count);

std::vector<std::string> nearest(const std::string& word, const std::vector<std::string>& candidates, std::size_t count)
{
  std::vector<std::pair<std::size_t, std::size_t>> ranked; // (distance, position)
  ranked.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i)
    ranked.emplace_back(edit_distance(word, candidates[i], std::max(word.size(), candidates[i].size())), i);
  const std::size_t k = std::min(count, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < k; ++i)
    out.push_back(candidates[ranked[i].second]);
  return out;
}

} // namespace scenario_impl

} // namespace cyberex
