/* Quantities with units, parsed strictly in one place. Every scenario field that carries a unit goes through here,
 * so "10Gbps" means the same everywhere and a typo is always reported with the forms that were expected. */
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cyberex::units {

/// The kinds of quantities a scenario writes with units, and the model unit each is converted to.
enum class Quantity {
  duration,   ///< "90s", "500ms", "2h30m", "1d", "0.5h", "1d2h" -> seconds
  bandwidth,  ///< "100Mbps", "10Gbps", "1kbps", "1Tbps" (bits per second) -> bytes per second
  data,       ///< "500MB", "2GB", "1kB" (decimal), "1KiB", "1MiB", "1GiB" (binary), "12B" -> bytes
  power,      ///< "200MW", "500kW", "1GW", "750W" -> megawatts
  frequency,  ///< "50Hz", "60Hz", "1kHz" -> hertz
  inject_time ///< a duration, or "D+1 H+3 M+45 S+10" (any subset, in that order) -> seconds
};

/// The value in model units, or nothing when `text` is not exactly one of the accepted forms.
/// Numbers are decimal without sign or exponent ("0.5h", not "-1h" or "1e3s"); there is no space before the unit.
std::optional<double> parse(Quantity q, std::string_view text);

/// What was expected, for error messages: e.g. `a duration such as "90s", "15m", "2h30m"`.
std::string expected(Quantity q);

/// The full error message for a rejected value: `expected <expected(q)>; got <got>` (got is quoted by the caller).
std::string error_message(Quantity q, const std::string& got);

inline std::optional<double> parse_duration(std::string_view s)
{
  return parse(Quantity::duration, s);
}
inline std::optional<double> parse_bandwidth(std::string_view s)
{
  return parse(Quantity::bandwidth, s);
}
inline std::optional<double> parse_data(std::string_view s)
{
  return parse(Quantity::data, s);
}
inline std::optional<double> parse_power(std::string_view s)
{
  return parse(Quantity::power, s);
}
inline std::optional<double> parse_frequency(std::string_view s)
{
  return parse(Quantity::frequency, s);
}
inline std::optional<double> parse_inject_time(std::string_view s)
{
  return parse(Quantity::inject_time, s);
}

} // namespace cyberex::units
