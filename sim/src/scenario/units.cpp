#include "units.hpp"

#include <array>
#include <charconv>
#include <cstddef>

namespace cyberex::units {
namespace {

bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}
bool is_letter(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Reads "digits[.digits]" at `pos`; returns its text (empty when there is none).
std::string_view take_number(std::string_view s, std::size_t& pos)
{
  const std::size_t begin = pos;
  while (pos < s.size() && is_digit(s[pos]))
    ++pos;
  if (pos == begin)
    return {};
  if (pos < s.size() && s[pos] == '.') {
    const std::size_t dot = pos++;
    const std::size_t frac = pos;
    while (pos < s.size() && is_digit(s[pos]))
      ++pos;
    if (pos == frac) {
      pos = dot;
      return {};
    }
  }
  return s.substr(begin, pos - begin);
}

std::string_view take_unit(std::string_view s, std::size_t& pos)
{
  const std::size_t begin = pos;
  while (pos < s.size() && is_letter(s[pos]))
    ++pos;
  return s.substr(begin, pos - begin);
}

/// number * 10^exponent, correctly rounded (so "0.1ms" is exactly the double nearest 1e-4).
std::optional<double> scaled(std::string_view number, int exponent)
{
  std::string text(number);
  text += 'e';
  text += std::to_string(exponent);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return v;
}

struct Unit {
  const char* name;
  int exponent;      ///< power of ten applied to the number
  double multiplier; ///< exact factor applied after (60, 1024, 1/8, ...)
};

/// A single "<number><unit>" with a unit from `table`.
template <std::size_t N>
std::optional<double> single(std::string_view s, const std::array<Unit, N>& table)
{
  std::size_t pos = 0;
  std::string_view number = take_number(s, pos);
  if (number.empty())
    return std::nullopt;
  std::string_view unit = take_unit(s, pos);
  if (pos != s.size())
    return std::nullopt;
  for (const Unit& u : table)
    if (unit == u.name) {
      auto v = scaled(number, u.exponent);
      if (!v)
        return std::nullopt;
      return *v * u.multiplier;
    }
  return std::nullopt;
}

constexpr std::array<Unit, 5> duration_units{
    {{"d", 0, 86400}, {"h", 0, 3600}, {"m", 0, 60}, {"s", 0, 1}, {"ms", -3, 1}}};
constexpr std::array<Unit, 6> bandwidth_units{{{"bps", 0, 0.125},
                                               {"kbps", 3, 0.125},
                                               {"Kbps", 3, 0.125},
                                               {"Mbps", 6, 0.125},
                                               {"Gbps", 9, 0.125},
                                               {"Tbps", 12, 0.125}}};
constexpr std::array<Unit, 9> data_units{{{"B", 0, 1},
                                          {"kB", 3, 1},
                                          {"MB", 6, 1},
                                          {"GB", 9, 1},
                                          {"TB", 12, 1},
                                          {"KiB", 0, 1024.0},
                                          {"MiB", 0, 1024.0 * 1024},
                                          {"GiB", 0, 1024.0 * 1024 * 1024},
                                          {"TiB", 0, 1024.0 * 1024 * 1024 * 1024}}};
constexpr std::array<Unit, 4> power_units{{{"W", -6, 1}, {"kW", -3, 1}, {"MW", 0, 1}, {"GW", 3, 1}}};
constexpr std::array<Unit, 2> frequency_units{{{"Hz", 0, 1}, {"kHz", 3, 1}}};

/// "2h30m", "1d2h", "500ms": components in decreasing unit order, each unit at most once.
std::optional<double> duration(std::string_view s)
{
  std::size_t pos = 0;
  double total = 0;
  std::size_t next_unit = 0; // index into duration_units: units must strictly decrease
  bool any = false;
  while (pos < s.size()) {
    std::string_view number = take_number(s, pos);
    if (number.empty())
      return std::nullopt;
    std::string_view unit = take_unit(s, pos);
    std::size_t found = duration_units.size();
    for (std::size_t i = next_unit; i < duration_units.size(); ++i)
      if (unit == duration_units[i].name)
        found = i;
    if (found == duration_units.size())
      return std::nullopt;
    auto v = scaled(number, duration_units[found].exponent);
    if (!v)
      return std::nullopt;
    total += *v * duration_units[found].multiplier;
    next_unit = found + 1;
    any = true;
  }
  if (!any)
    return std::nullopt;
  return total;
}

/// "D+1 H+3 M+45 S+10": whole numbers, any subset of the four in this order, separated by spaces.
std::optional<double> relative_time(std::string_view s)
{
  constexpr std::array<std::pair<char, double>, 4> fields{{{'D', 86400}, {'H', 3600}, {'M', 60}, {'S', 1}}};
  std::size_t pos = 0;
  std::size_t next = 0;
  double total = 0;
  bool any = false;
  while (pos < s.size()) {
    if (any) {
      if (s[pos] != ' ')
        return std::nullopt;
      while (pos < s.size() && s[pos] == ' ')
        ++pos;
    }
    if (pos + 2 >= s.size())
      return std::nullopt; // a field needs at least a letter, '+' and a digit
    std::size_t found = fields.size();
    for (std::size_t i = next; i < fields.size(); ++i)
      if (s[pos] == fields[i].first)
        found = i;
    if (found == fields.size() || pos + 1 >= s.size() || s[pos + 1] != '+')
      return std::nullopt;
    pos += 2;
    const std::size_t begin = pos;
    while (pos < s.size() && is_digit(s[pos]))
      ++pos;
    if (pos == begin || pos - begin > 9)
      return std::nullopt;
    double v = 0;
    std::from_chars(s.data() + begin, s.data() + pos, v);
    total += v * fields[found].second;
    next = found + 1;
    any = true;
  }
  if (!any)
    return std::nullopt;
  return total;
}

} // namespace

std::optional<double> parse(Quantity q, std::string_view text)
{
  switch (q) {
  case Quantity::duration:
    return duration(text);
  case Quantity::bandwidth:
    return single(text, bandwidth_units);
  case Quantity::data:
    return single(text, data_units);
  case Quantity::power:
    return single(text, power_units);
  case Quantity::frequency:
    return single(text, frequency_units);
  case Quantity::inject_time:
    if (text.find('+') != std::string_view::npos)
      return relative_time(text);
    return duration(text);
  }
  return std::nullopt;
}

std::string expected(Quantity q)
{
  switch (q) {
  case Quantity::duration:
    return R"(a duration such as "90s", "15m", "2h30m")";
  case Quantity::bandwidth:
    return R"(a bandwidth in bits per second such as "100Mbps", "10Gbps")";
  case Quantity::data:
    return R"(a data size such as "500MB", "2GB", "64KiB")";
  case Quantity::power:
    return R"(a power such as "200MW", "500kW", "1GW")";
  case Quantity::frequency:
    return R"(a frequency such as "50Hz")";
  case Quantity::inject_time:
    return R"(a time such as "15m", "2h30m" or "D+1 H+3 M+45")";
  }
  return "a quantity";
}

std::string error_message(Quantity q, const std::string& got)
{
  return "expected " + expected(q) + "; got " + got;
}

} // namespace cyberex::units
