/* Proleptic Gregorian calendar arithmetic (H. Hinnant's days_from_civil), one definition for the report's dates,
 * the STIX timestamps and the MSEL spreadsheets' dates. */
#pragma once

namespace cyberex {

/// Days since 1970-01-01 of the date y-m-d (m 1..12, d 1..31); negative before 1970.
constexpr long long days_from_civil(long long y, long long m, long long d)
{
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const long long yoe = y - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2011, 11, 3) == 15281);
static_assert(days_from_civil(1969, 12, 31) == -1);

} // namespace cyberex
