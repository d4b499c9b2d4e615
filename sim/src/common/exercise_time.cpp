/* One reader for the times people type (see cyberex/exercise_time.hpp). */
#include "cyberex/exercise_time.hpp"

#include "scenario/units.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace cyberex {
namespace {

/// The number in `s`, already checked to be digits with at most one point (from_chars: no locale).
double number(std::string_view s)
{
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool all_digits(std::string_view s)
{
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// "h:mm" or "h:mm:ss" (minutes and seconds below 60; the seconds may have decimals).
std::optional<double> clock_reading(std::string_view s)
{
  const auto first = s.find(':');
  if (first == std::string_view::npos)
    return std::nullopt;
  const auto second = s.find(':', first + 1);
  const std::string_view h = s.substr(0, first);
  const std::string_view m =
      s.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
  if (!all_digits(h) || !all_digits(m) || m.size() > 2)
    return std::nullopt;
  double seconds = 0;
  if (second != std::string_view::npos) {
    const std::string_view sec = s.substr(second + 1);
    const auto dot = sec.find('.');
    const std::string_view whole = sec.substr(0, dot);
    if (!all_digits(whole) || whole.size() > 2 || (dot != std::string_view::npos && !all_digits(sec.substr(dot + 1))))
      return std::nullopt;
    seconds = number(sec);
  }
  const double minutes = number(m);
  if (minutes >= 60 || seconds >= 60)
    return std::nullopt;
  return number(h) * 3600 + minutes * 60 + seconds;
}

/// Plain non-negative seconds: digits with at most one decimal point ("3600", "90.5"), no sign or exponent.
std::optional<double> plain_seconds(std::string_view s)
{
  const auto dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(s.substr(dot + 1))))
    return std::nullopt;
  return number(s);
}

} // namespace

std::optional<double> parse_exercise_time(std::string_view text)
{
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty())
    return std::nullopt;
  if (text.find('+') != std::string_view::npos)
    return units::parse(units::Quantity::inject_time, text); // D+1 H+3 M+45 S+10
  // typed times are forgiving: "1H 30M" and "5 h" read as 1h30m and 5h (a space next to a unit letter goes, case goes;
  // a space between two digits stays, so "1 2h" is refused)
  std::string t;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      const bool letter_before = !t.empty() && std::isalpha(static_cast<unsigned char>(t.back()));
      std::size_t j = i;
      while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j])))
        ++j;
      const bool letter_after = j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]));
      if (!letter_before && !letter_after)
        return std::nullopt;
      i = j - 1;
      continue;
    }
    t += static_cast<char>(std::tolower(c));
  }
  if (auto s = plain_seconds(t))
    return s;
  if (auto c = clock_reading(t))
    return c;
  return units::parse(units::Quantity::duration, t);
}

std::string exercise_time_forms()
{
  return R"(a time from the start such as "5h20m", "90m", "3600" (seconds) or "5:20")";
}

std::string format_hms(double seconds)
{
  const long s = static_cast<long>(std::max(0.0, seconds) + 0.5);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

TimeInJournal time_in_journal(double asked, double end)
{
  TimeInJournal t;
  t.time = std::clamp(asked, 0.0, std::max(0.0, end));
  if (asked > end)
    t.note =
        format_hms(asked) + " is past the end of the journal (" + format_hms(end) + "): showing " + format_hms(t.time);
  return t;
}

} // namespace cyberex
