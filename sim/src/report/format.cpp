/* Formatting shared by the report's renderers: fixed precision, durations, the situation clock, dates. */
#include "common/civil_date.hpp"
#include "report/aar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace cyberex::report {

// ---------------------------------------------------------------------------------------------------------------
// Formatting

std::string fixed(double v, int decimals)
{
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals))
    v = 0; // no "-0.0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string duration_text(double seconds)
{
  std::string sign = seconds < 0 ? "-" : "";
  const long s = std::lround(std::fabs(seconds));
  const long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
  char buf[64];
  if (h > 0)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", h, m);
  else if (m > 0)
    std::snprintf(buf, sizeof buf, "%ldm%s", m, sec ? (std::to_string(sec) + "s").c_str() : "");
  else
    std::snprintf(buf, sizeof buf, "%lds", sec);
  return sign + buf;
}

std::string clock_text(const std::string& start, double seconds)
{
  int hh = 0, mm = 0;
  if (start.size() >= 16)
    std::sscanf(start.c_str() + 11, "%2d:%2d", &hh, &mm);
  const long total = (hh * 60 + mm) + std::lround(std::floor(seconds / 60));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld", ((total / 60) % 24 + 24) % 24, ((total % 60) + 60) % 60);
  return buf;
}

namespace {

// civil from days (H. Hinnant's algorithm; days_from_civil is common/civil_date.hpp)
std::string civil_from_days(int days)
{
  int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int yy = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int dd = doy - (153 * mp + 2) / 5 + 1;
  const int mo = mp + (mp < 10 ? 3 : -9);
  yy += mo <= 2;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yy, mo, dd);
  return buf;
}

/// "YYYY-MM-DDTHH:MM[:SS]" (or a space for the T) as minutes since 1970-01-01 00:00; nullopt when it is not one.
std::optional<long long> story_minutes(const std::string& iso)
{
  int y = 0, mo = 0, d = 0, hh = 0, mm = 0;
  char sep = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d%c%2d:%2d", &y, &mo, &d, &sep, &hh, &mm) != 6 || (sep != 'T' && sep != ' '))
    return std::nullopt;
  return static_cast<long long>(days_from_civil(y, mo, d)) * 1440 + hh * 60 + mm;
}

long long floor_div(long long a, long long b)
{
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

} // namespace

std::string date_after(const std::string& start, int days)
{
  int y = 1970, m = 1, d = 1;
  if (start.size() >= 10)
    std::sscanf(start.c_str(), "%4d-%2d-%2d", &y, &m, &d);
  return civil_from_days(static_cast<int>(days_from_civil(y, m, d) + days));
}

SituationClock::SituationClock(const Exercise& exercise)
{
  const auto start = story_minutes(exercise.start);
  if (!start)
    return;
  known_ = true;
  first_day_ = floor_div(*start, 1440);
  anchors_.emplace_back(0.0, *start);
  for (const auto& m : exercise.moves)
    if (const auto at = story_minutes(m.situation_time))
      anchors_.emplace_back(m.offset, *at);
  std::stable_sort(anchors_.begin() + 1, anchors_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

SituationClock SituationClock::from_overview(const Json& overview)
{
  Exercise e;
  e.start = str(overview, "date") + "T" + str(overview, "start");
  for (const auto& m : overview.value("moves", Json::array())) {
    Move move;
    move.offset = num(m, "offset");
    move.situation_time = str(m, "situation_time");
    e.moves.push_back(std::move(move));
  }
  return SituationClock(e);
}

long long SituationClock::minutes(double seconds) const
{
  auto anchor = anchors_.front();
  for (const auto& a : anchors_)
    if (a.first <= seconds)
      anchor = a;
  // whole minutes of the story, as clock_text counts them: 59.9 s after 09:00 is still 09:00
  return anchor.second + static_cast<long long>(std::floor((seconds - anchor.first) / 60));
}

std::string SituationClock::text(double seconds) const
{
  if (!known_)
    return clock_text("", seconds);
  const long long m = minutes(seconds);
  const long long day = floor_div(m, 1440);
  char hhmm[48];
  std::snprintf(hhmm, sizeof hhmm, "%02lld:%02lld", (m - day * 1440) / 60, (m - day * 1440) % 60);
  return day == first_day_ ? std::string(hhmm) : civil_from_days(static_cast<int>(day)) + " " + hhmm;
}

std::string SituationClock::date_time(double seconds) const
{
  if (!known_)
    return "";
  const long long m = minutes(seconds);
  const long long day = floor_div(m, 1440);
  char hhmm[48];
  std::snprintf(hhmm, sizeof hhmm, "%02lld:%02lld", (m - day * 1440) / 60, (m - day * 1440) % 60);
  return civil_from_days(static_cast<int>(day)) + " " + hhmm;
}

std::string changes(const Json& overview)
{
  std::string out;
  for (const auto& c : overview.value("scenario_changes", Json::array()))
    if (c.is_string())
      out += (out.empty() ? "" : "; ") + c.get<std::string>();
  return out;
}

std::string not_applicable_text(const Json& count)
{
  if (!count.is_number() || count.get<double>() <= 0)
    return "";
  return " (" + count.dump() + " not applicable)";
}

} // namespace cyberex::report
