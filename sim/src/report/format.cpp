/* Formatting shared by the report's renderers: fixed precision, durations, the situation clock, dates. */
#include "report/aar.hpp"

#include <cmath>
#include <cstdio>

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

std::string date_after(const std::string& start, int days)
{
  int y = 1970, m = 1, d = 1;
  if (start.size() >= 10)
    std::sscanf(start.c_str(), "%4d-%2d-%2d", &y, &m, &d);
  // days from civil and back (H. Hinnant's algorithms)
  auto to_days = [](int yy, int mo, int dd) {
    yy -= mo <= 2;
    const int era = (yy >= 0 ? yy : yy - 399) / 400;
    const int yoe = yy - era * 400;
    const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  };
  int z = to_days(y, m, d) + days + 719468;
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
