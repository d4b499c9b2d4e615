/* MSEL spreadsheets: the columns, export of a scenario's injects, import of a table into a scenario fragment.
 *
 * Export works on the injects as written in the scenario's files (found through each inject's Origin), so that a
 * time written "H+0 M+30" or a trigger written with its own key order comes back as written: the round trip is
 * lossless. Import reads the columns of cyberex's own export and those of OpenAEV's and Crucible Blueprint's MSEL
 * spreadsheets (docs/interchange.md, "MSEL spreadsheets"). */
#include "cyberex/msel.hpp"
#include "common/civil_date.hpp"

#include "cyberex/scenario.hpp"
#include "msel/sheet.hpp"
#include "scenario/units.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace cyberex::msel {

using ojson = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

std::optional<SheetFormat> sheet_format(const std::string& path)
{
  const auto dot = path.rfind('.');
  if (dot == std::string::npos)
    return std::nullopt;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == "csv")
    return SheetFormat::csv;
  if (ext == "xlsx")
    return SheetFormat::xlsx;
  return std::nullopt;
}

std::string column_letters(int column)
{
  std::string s;
  for (int c = column; c > 0; c = (c - 1) / 26)
    s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  return s;
}

std::string SheetDiagnostic::format() const
{
  std::string out = file;
  if (row > 0) {
    out += ":" + std::to_string(row);
    if (column > 0)
      out += ":" + column_letters(column);
  }
  out += severity == Diagnostic::Severity::error     ? ": error: "
         : severity == Diagnostic::Severity::warning ? ": warning: "
                                                     : ": note: ";
  if (!code.empty())
    out += "[" + code + "] ";
  return out + message;
}

namespace {

std::string trim(std::string_view s)
{
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos)
    return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// A header as compared: ASCII letters and digits only, lower case ("Not before" -> "notbefore").
std::string normalise_header(std::string_view s)
{
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c) && c < 0x80)
      out += static_cast<char>(std::tolower(c));
  return out;
}

bool read_file(const std::string& path, std::uint64_t limit, std::string& out, std::string& error)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the file";
    return false;
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  if (size > limit) {
    error = "the file has " + std::to_string(size) + " bytes, more than the limit of " + std::to_string(limit);
    return false;
  }
  in.seekg(0);
  out.resize(size);
  in.read(out.data(), static_cast<std::streamsize>(size));
  return true;
}

/// Relative notation of `seconds` (>= 0): "D+1 H+2 M+30 S+5", zero fields left out, "M+0" for zero.
std::string relative_notation(double seconds)
{
  auto t = static_cast<long long>(std::llround(seconds));
  const long long d = t / 86400, h = t % 86400 / 3600, m = t % 3600 / 60, s = t % 60;
  std::string out;
  auto add = [&](char unit, long long v) {
    if (v)
      out += (out.empty() ? "" : " ") + std::string(1, unit) + "+" + std::to_string(v);
  };
  add('D', d);
  add('H', h);
  add('M', m);
  add('S', s);
  return out.empty() ? "M+0" : out;
}

/// A duration as cyberex writes one: "1h", "1h30m", "5m", "1d2h".
std::string duration_text(double seconds)
{
  auto t = static_cast<long long>(std::llround(seconds));
  std::string out;
  const std::pair<long long, const char*> parts[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (const auto& [unit, name] : parts)
    if (t >= unit) {
      out += std::to_string(t / unit) + name;
      t %= unit;
    }
  return out.empty() ? "0s" : out;
}

std::string clock_text(int seconds_of_day)
{
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", seconds_of_day / 3600 % 24, seconds_of_day % 3600 / 60);
  return buf;
}

/// "2011-11-03T09:00:00" -> days since 1970 and seconds of the day.
bool parse_iso(const std::string& s, long long& days, int& seconds)
{
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se) < 5)
    return false;
  days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  seconds = h * 3600 + mi * 60 + se;
  return true;
}

/// Deepest nesting of JSON text (brackets outside strings): parse only what stays shallow.
int json_depth(std::string_view s)
{
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::string json_text(const ojson& v)
{
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// ---------------------------------------------------------------------------------------------------------------
// Columns

enum class Field {
  id,
  move,
  time,
  seconds,
  type,
  channel,
  from,
  to,
  hidden,
  title,
  content,
  trigger,
  delay,
  not_before,
  skip_if,
  expires,
  expectations,
  exp_name, // OpenAEV: one expectation per inject, built for each recipient team
  exp_description,
  exp_score,
  exp_within,
  count
};

struct ColumnSpec {
  Field field;
  const char* header;               ///< as export writes it
  double width;                     ///< xlsx column width; 0: not exported
  std::vector<std::string> aliases; ///< normalised headers read as this field, by priority
};

const std::vector<ColumnSpec>& columns()
{
  static const std::vector<ColumnSpec> c = {
      {Field::id, "ID", 18, {"id", "injectid", "eventid", "mselid", "injectnumber"}},
      {Field::move, "Move", 10, {"move", "phase"}},
      {Field::time,
       "Time",
       14,
       {"time", "timing", "triggertime", "injecttime", "timeline", "relativetime", "scheduledtime"}},
      {Field::seconds, "Seconds", 10, {"seconds", "secondsfromstart", "deltaseconds", "offsetseconds"}},
      {Field::type, "Type", 12, {"type", "eventtype"}},
      {Field::channel, "Channel", 16, {"channel", "injecttype", "method", "deliverymethod"}},
      {Field::from, "From", 26, {"from", "sender", "fromorg", "source"}},
      {Field::to, "To", 26, {"to", "teams", "team", "toorg", "recipients", "players"}},
      {Field::hidden, "Hidden", 8, {"hidden", "hiddenfromplayers", "controlonly"}},
      {Field::title, "Title", 36, {"title", "subject", "injecttitle", "summary"}},
      {Field::content, "Content", 60, {"content", "body", "message", "details", "description", "injecttext"}},
      {Field::trigger, "Trigger", 30, {"trigger"}},
      {Field::delay, "Delay", 8, {"delay"}},
      {Field::not_before, "Not before", 10, {"notbefore"}},
      {Field::skip_if, "Skip if", 30, {"skipif"}},
      {Field::expires, "Expires", 8, {"expires"}},
      {Field::expectations, "Expectations", 60, {"expectations"}},
      {Field::exp_name, "Expectation name", 0, {"expectationname", "expectation"}},
      {Field::exp_description, "Expectation description", 0, {"expectationdescription"}},
      {Field::exp_score, "Expectation score", 0, {"expectationscore", "expectationpoints", "score"}},
      {Field::exp_within, "Expectation deadline", 0, {"expectationdeadline", "expectationwithin", "deadline"}},
  };
  return c;
}

const ColumnSpec* column_for(const std::string& normalised, int& rank)
{
  for (const auto& spec : columns())
    for (std::size_t k = 0; k < spec.aliases.size(); ++k)
      if (spec.aliases[k] == normalised) {
        rank = static_cast<int>(k);
        return &spec;
      }
  return nullptr;
}

const std::array<const char*, 4> inject_types = {"inject", "information", "facilitation", "contingency"};

// ---------------------------------------------------------------------------------------------------------------
// Import

struct ScenarioFacts {
  bool present = false;
  std::vector<std::pair<std::string, std::string>> teams; ///< id, name
  std::map<std::string, double> move_offsets;
  std::map<std::string, std::string> move_titles; ///< lower-case title -> id
  std::vector<std::string> move_ids;
  std::optional<long long> start_day; ///< days since 1970 of the exercise start
  std::optional<int> start_clock;     ///< seconds of the day of the exercise start
};

/// A time read from a cell: as written (cyberex's own forms), from the start of the inject's move, or from the
/// start of the exercise.
struct TimeValue {
  std::string verbatim;
  std::optional<double> relative;
  std::optional<double> absolute;
};

const char* const time_forms = "'D+1 H+2 M+30' (days, hours, minutes, seconds from the start of the move, or of the "
                               "exercise), 'T+2' or 'T-1' (hours), 'M-5', a duration such as '2h30m', or a clock "
                               "time such as '09:05'";

class Importer {
public:
  Importer(const ImportOptions& options, ScenarioFacts facts, SheetReport& report)
      : options_(options), facts_(std::move(facts)), report_(report)
  {
    if (options_.start)
      start_clock_ = options_.start;
    else
      start_clock_ = facts_.start_clock;
  }

  std::optional<ojson> run(const Sheet& sheet)
  {
    if (!find_header(sheet))
      return std::nullopt;
    ojson msel = ojson::array();
    for (std::size_t r = header_row_; r < sheet.rows.size(); ++r)
      if (auto inject = read_row(sheet.rows[r], static_cast<int>(r) + 1))
        msel.push_back(std::move(*inject));
    if (report_.has_errors())
      return std::nullopt;
    ojson fragment = ojson::object();
    if (!created_.empty()) {
      ojson teams = ojson::array();
      for (const auto& [id, name] : created_)
        teams.push_back({{"id", id}, {"name", name}, {"role", "player"}});
      fragment["teams"] = std::move(teams);
    }
    fragment["msel"] = std::move(msel);
    return fragment;
  }

private:
  struct Value {
    std::string text; ///< trimmed
    std::string raw;  ///< as in the cell
    int column = 0;   ///< 1-based; 0 when the field has no column
    bool number = false;
  };

  int col(Field f) const
  {
    const auto& cs = cols_[static_cast<std::size_t>(f)];
    return cs.empty() ? 0 : cs.front().second;
  }

  Value get(const std::vector<Cell>& row, Field f) const
  {
    const auto& cs = cols_[static_cast<std::size_t>(f)];
    Value v;
    for (const auto& [rank, c] : cs) {
      if (static_cast<std::size_t>(c) > row.size())
        continue;
      const Cell& cell = row[static_cast<std::size_t>(c) - 1];
      std::string t = trim(cell.text);
      if (!t.empty())
        return {std::move(t), cell.text, c, cell.number};
    }
    if (!cs.empty())
      v.column = cs.front().second;
    return v;
  }

  bool find_header(const Sheet& sheet)
  {
    const std::size_t scan = std::min<std::size_t>(sheet.rows.size(), 50);
    for (std::size_t r = 0; r < scan; ++r) {
      int known = 0;
      for (const auto& cell : sheet.rows[r]) {
        int rank = 0;
        if (column_for(normalise_header(cell.text), rank))
          ++known;
      }
      if (known >= 2) {
        header_row_ = r + 1;
        break;
      }
    }
    if (header_row_ == 0) {
      report_.error(0, 0, "msel.no-header",
                    "no header row: expected a row naming at least two MSEL columns (such as Time and Title) in the "
                    "first 50 rows");
      return false;
    }
    const int hr = static_cast<int>(header_row_);
    const auto& header = sheet.rows[header_row_ - 1];
    std::map<std::string, int> seen;
    for (std::size_t c = 0; c < header.size(); ++c) {
      const int column = static_cast<int>(c) + 1;
      const std::string name = trim(header[c].text);
      const std::string norm = normalise_header(name);
      if (norm.empty())
        continue;
      if (auto [it, fresh] = seen.emplace(norm, column); !fresh) {
        report_.error(hr, column, "msel.duplicate-column",
                      "column '" + name + "' repeats column " + column_letters(it->second) +
                          ": each column may appear once");
        continue;
      }
      int rank = 0;
      if (const ColumnSpec* spec = column_for(norm, rank))
        cols_[static_cast<std::size_t>(spec->field)].emplace_back(rank, column);
      else
        report_.warning(hr, column, "msel.unknown-column", "column '" + name + "' is not an MSEL column: ignored");
    }
    for (auto& cs : cols_)
      std::sort(cs.begin(), cs.end());
    if (col(Field::time) == 0 && col(Field::seconds) == 0 && col(Field::trigger) == 0)
      report_.error(hr, 0, "msel.missing-column",
                    "no column for the injects' time: expected a column named Time (or Timing), Seconds or Trigger");
    if (col(Field::title) == 0)
      report_.error(hr, 0, "msel.missing-column",
                    "no column for the injects' title: expected a column named Title or Subject");
    return !report_.has_errors();
  }

  std::optional<TimeValue> parse_time(const Value& v, const std::string& what, int row)
  {
    auto bad = [&](const std::string& message) -> std::optional<TimeValue> {
      report_.error(row, v.column, "msel.time", message);
      return std::nullopt;
    };
    if (v.number) { // an xlsx number in a time column: Excel's clock time (a fraction of a day) or date-time
      const double x = std::strtod(v.text.c_str(), nullptr);
      if (!(x >= 0) || x > 2958465)
        return bad(what + " '" + v.text + "' is not a time: expected " + time_forms);
      const double day = std::floor(x);
      const double clock = std::round((x - day) * 86400);
      if (!start_clock_)
        return bad(what + " " + clock_text(static_cast<int>(clock)) +
                   " is a clock time: give --start HH:MM or --scenario, which say when the exercise starts");
      double days = 0;
      if (day >= 1) {
        if (!facts_.start_day)
          return bad(what + " '" + v.text + "' is a date: give --scenario, which says the exercise's start date");
        days = day - static_cast<double>(*facts_.start_day + 25569); // Excel's day 25569 is 1970-01-01
      }
      const double abs = days * 86400 + clock - *start_clock_;
      if (abs < 0)
        return bad(what + " " + clock_text(static_cast<int>(clock)) + " is before the exercise start at " +
                   clock_text(*start_clock_));
      return TimeValue{"", std::nullopt, abs};
    }
    const std::string& t = v.text;
    if (units::parse_inject_time(t))
      return TimeValue{t, std::nullopt, std::nullopt};
    // clock time H:MM or HH:MM[:SS]
    {
      int h = 0, m = 0, s = 0, n = 0;
      char tail = 0;
      const int got = std::sscanf(t.c_str(), "%d:%d%n", &h, &m, &n);
      if (got == 2 && t.find_first_not_of("0123456789:") == std::string::npos) {
        const bool with_seconds = std::sscanf(t.c_str(), "%d:%d:%d%c", &h, &m, &s, &tail) == 3;
        const auto colon = t.find(':');
        const bool shape = colon >= 1 && colon <= 2 && t.size() - colon - 1 == (with_seconds ? 5u : 2u);
        if (!shape || h > 23 || m > 59 || s > 59)
          return bad(what + " '" + t +
                     "' is not a clock time: expected HH:MM with hours 00 to 23 and minutes 00 to 59");
        if (!start_clock_)
          return bad(what + " '" + t +
                     "' is a clock time: give --start HH:MM or --scenario, which say when the exercise starts");
        const int clock = h * 3600 + m * 60 + s;
        if (clock < *start_clock_)
          return bad(what + " '" + t + "' is before the exercise start at " + clock_text(*start_clock_));
        return TimeValue{"", std::nullopt, static_cast<double>(clock - *start_clock_)};
      }
    }
    // signed terms: T+2, T-1, D+2 H+3 M+45, M-5, T+90m
    double total = 0;
    std::size_t i = 0;
    int terms = 0;
    while (i < t.size()) {
      while (i < t.size() && t[i] == ' ')
        ++i;
      if (i >= t.size())
        break;
      const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(t[i])));
      double scale = 0;
      switch (unit) {
      case 'T':
      case 'H':
        scale = 3600;
        break;
      case 'D':
      case 'J': // French planners write J+1
        scale = 86400;
        break;
      case 'M':
        scale = 60;
        break;
      case 'S':
        scale = 1;
        break;
      default:
        return bad(what + " '" + t + "' is not a time: expected " + time_forms);
      }
      ++i;
      while (i < t.size() && t[i] == ' ')
        ++i;
      if (i >= t.size() || (t[i] != '+' && t[i] != '-'))
        return bad(what + " '" + t + "' is not a time: expected " + time_forms);
      const double sign = t[i] == '-' ? -1 : 1;
      ++i;
      while (i < t.size() && t[i] == ' ')
        ++i;
      std::size_t j = i;
      while (j < t.size() && (std::isdigit(static_cast<unsigned char>(t[j])) || t[j] == '.'))
        ++j;
      if (j == i)
        return bad(what + " '" + t + "' is not a time: expected " + time_forms);
      std::size_t k = j;
      while (k < t.size() && std::isalpha(static_cast<unsigned char>(t[k])))
        ++k;
      double amount = 0;
      if (k > j) { // T+90m: a duration after T
        const auto d = unit == 'T' ? units::parse_duration(t.substr(i, k - i)) : std::nullopt;
        if (!d)
          return bad(what + " '" + t + "' is not a time: expected " + time_forms);
        amount = *d;
      } else {
        char* end = nullptr;
        const std::string num = t.substr(i, j - i);
        amount = std::strtod(num.c_str(), &end) * scale;
        if (*end)
          return bad(what + " '" + t + "' is not a time: expected " + time_forms);
      }
      total += sign * amount;
      ++terms;
      i = k;
    }
    if (terms == 0)
      return bad(what + " '" + t + "' is not a time: expected " + time_forms);
    if (total < 0)
      return bad(what + " '" + t + "' is " + duration_text(-total) +
                 " before the start of its move (or of the exercise): a time counts forward from there");
    return TimeValue{"", total, std::nullopt};
  }

  /// The time as the fragment writes it, counted from the start of `move` (or of the exercise).
  std::optional<std::string> place(const TimeValue& tv, const std::string& move, const Value& v,
                                   const std::string& what, int row)
  {
    if (!tv.verbatim.empty())
      return tv.verbatim;
    if (tv.relative)
      return relative_notation(*tv.relative);
    double t = *tv.absolute;
    if (!move.empty()) {
      const auto it = facts_.move_offsets.find(move);
      if (it == facts_.move_offsets.end()) {
        report_.error(row, v.column, "msel.time",
                      what + " '" + v.text + "' is from the exercise start; placing it in move '" + move +
                          "' needs the move's start: give --scenario");
        return std::nullopt;
      }
      if (t < it->second) {
        report_.error(row, v.column, "msel.time",
                      what + " '" + v.text + "' is before the start of move '" + move + "' (" +
                          duration_text(it->second) + " after the exercise start)");
        return std::nullopt;
      }
      t -= it->second;
    }
    return relative_notation(t);
  }

  std::string resolve_team(const std::string& name, int row, int column)
  {
    for (const auto& [id, team_name] : facts_.teams)
      if (id == name)
        return id;
    for (const auto& [id, team_name] : facts_.teams)
      if (lower(id) == lower(name) || lower(team_name) == lower(name))
        return id;
    const bool id_like = name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.:") == std::string::npos;
    if (!facts_.present && id_like)
      return name; // no scenario to check against: a team id as written
    for (const auto& [id, team_name] : created_)
      if (lower(team_name) == lower(name))
        return id;
    std::string slug;
    for (unsigned char c : name) {
      if (std::isalnum(c) && c < 0x80)
        slug += static_cast<char>(std::tolower(c));
      else if (!slug.empty() && slug.back() != '-')
        slug += '-';
    }
    while (!slug.empty() && slug.back() == '-')
      slug.pop_back();
    if (slug.empty())
      slug = "team";
    std::string id = slug;
    auto taken = [&](const std::string& candidate) {
      for (const auto& t : facts_.teams)
        if (t.first == candidate)
          return true;
      for (const auto& t : created_)
        if (t.first == candidate)
          return true;
      return false;
    };
    for (int k = 2; taken(id); ++k)
      id = slug + "-" + std::to_string(k);
    created_.emplace_back(id, name);
    report_.note(row, column, "msel.new-team",
                 "team '" + name + "' is not in the scenario: the fragment creates it as '" + id + "'");
    return id;
  }

  std::optional<ojson> parse_json(const Value& v, const std::string& what, bool array, int row)
  {
    const char* expected = array ? "a JSON array of expectations, such as [{\"id\": \"exp-1\", \"team\": \"cert\", "
                                   "\"met_by\": {\"action\": \"report\", \"team\": \"cert\"}}]"
                                 : "a JSON object, a trigger such as {\"inject_delivered\": \"inj-01\"}";
    if (json_depth(v.text) > 64) {
      report_.error(row, v.column, "msel.json", what + " nests deeper than 64 levels");
      return std::nullopt;
    }
    ojson j;
    try {
      j = ojson::parse(v.text);
    } catch (const ojson::parse_error& e) {
      report_.error(row, v.column, "msel.json", what + " is not JSON: " + e.what() + "; expected " + expected);
      return std::nullopt;
    }
    if (array ? !j.is_array() : !j.is_object()) {
      report_.error(row, v.column, "msel.json", what + " is JSON " + j.type_name() + ": expected " + expected);
      return std::nullopt;
    }
    return j;
  }

  std::optional<ojson> read_row(const std::vector<Cell>& cells, int row)
  {
    int filled = 0;
    std::string only;
    for (const auto& c : cells)
      if (!trim(c.text).empty()) {
        ++filled;
        only = trim(c.text);
      }
    if (filled == 0)
      return std::nullopt;
    const Value time = get(cells, Field::time), seconds = get(cells, Field::seconds),
                trigger = get(cells, Field::trigger), type = get(cells, Field::type);
    if (filled == 1) {
      // a section row ("Move 2: evening peak"), whatever its column: the move of the rows below it when it names
      // one of the scenario's moves (by id or title), else only an end to the previous section's move
      section_move_.clear();
      if (auto it = std::find(facts_.move_ids.begin(), facts_.move_ids.end(), only); it != facts_.move_ids.end())
        section_move_ = only;
      else if (auto t = facts_.move_titles.find(lower(only)); t != facts_.move_titles.end())
        section_move_ = t->second;
      return std::nullopt;
    }
    const std::size_t errors_before = error_count();
    ojson in = ojson::object();
    const Value id = get(cells, Field::id);
    in["id"] = id.text.empty() ? "inj-" + std::to_string(row) : id.text;
    if (auto [it, fresh] = id_rows_.emplace(in["id"].get<std::string>(), row); !fresh)
      report_.error(row, id.column, "msel.duplicate-id",
                    "inject id '" + it->first + "' repeats the inject of row " + std::to_string(it->second));

    const Value move_v = get(cells, Field::move);
    std::string move = move_v.text.empty() ? section_move_ : move_v.text;
    if (!move_v.text.empty() && facts_.present && !facts_.move_offsets.count(move)) {
      std::string list;
      for (const auto& m : facts_.move_ids)
        list += (list.empty() ? "'" : ", '") + m + "'";
      std::string hint = did_you_mean(move, facts_.move_ids);
      report_.error(row, move_v.column, "msel.unknown-move",
                    "no move '" + move + "' in the scenario" + (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                        (facts_.move_ids.empty() ? " (it has no moves)" : " (its moves: " + list + ")"));
    }

    std::string type_text = lower(type.text);
    if (!type.text.empty() && std::find(inject_types.begin(), inject_types.end(), type_text) == inject_types.end()) {
      report_.error(row, type.column, "msel.type",
                    "type '" + type.text +
                        "' is not an inject type: expected inject, information, facilitation or "
                        "contingency");
      type_text.clear();
    }
    const bool contingency = type_text == "contingency";

    std::optional<std::string> time_text;
    if (!time.text.empty()) {
      if (auto tv = parse_time(time, "time", row))
        time_text = place(*tv, move, time, "time", row);
    } else if (!seconds.text.empty()) {
      char* end = nullptr;
      const double s = std::strtod(seconds.text.c_str(), &end);
      if (*end || !(s >= 0) || s > 1e9)
        report_.error(row, seconds.column, "msel.time",
                      "seconds '" + seconds.text + "' is not a number of seconds from the exercise start");
      else
        time_text = place(TimeValue{"", std::nullopt, s}, move, seconds, "seconds", row);
    } else if (trigger.text.empty() && !contingency) {
      const int c = col(Field::time)      ? col(Field::time)
                    : col(Field::seconds) ? col(Field::seconds)
                                          : col(Field::trigger);
      report_.error(row, c, "msel.time",
                    std::string("the inject has no time: expected a time such as ") + time_forms +
                        ", a Trigger, or the Type 'contingency'");
    }
    if (!move.empty())
      in["move"] = move;
    if (time_text)
      in["time"] = *time_text;
    if (!trigger.text.empty())
      if (auto j = parse_json(trigger, "trigger", false, row))
        in["trigger"] = std::move(*j);
    if (const Value skip = get(cells, Field::skip_if); !skip.text.empty())
      if (auto j = parse_json(skip, "skip if", false, row))
        in["skip_if"] = std::move(*j);
    auto duration = [&](Field f, const char* key, const char* what) {
      const Value v = get(cells, f);
      if (v.text.empty())
        return;
      if (!units::parse_duration(v.text))
        report_.error(row, v.column, "msel.duration",
                      std::string(what) + " '" + v.text + "' is not a duration: expected " +
                          units::expected(units::Quantity::duration));
      else
        in[key] = v.text;
    };
    duration(Field::delay, "delay", "delay");
    if (const Value nb = get(cells, Field::not_before); !nb.text.empty())
      if (auto tv = parse_time(nb, "not before", row))
        if (auto s = place(*tv, move, nb, "not before", row))
          in["not_before"] = *s;
    duration(Field::expires, "expires", "expires");
    if (!type_text.empty())
      in["type"] = type_text;
    if (const Value v = get(cells, Field::channel); !v.text.empty())
      in["channel"] = v.text;
    if (const Value v = get(cells, Field::from); !v.text.empty())
      in["from"] = v.text;
    std::vector<std::string> to;
    const Value to_v = get(cells, Field::to);
    {
      std::string token;
      auto flush = [&]() {
        const std::string name = trim(token);
        token.clear();
        if (name.empty())
          return;
        const std::string team = resolve_team(name, row, to_v.column);
        if (std::find(to.begin(), to.end(), team) == to.end())
          to.push_back(team);
      };
      for (char c : to_v.text) {
        if (c == ',' || c == ';' || c == '\n')
          flush();
        else
          token += c;
      }
      flush();
    }
    if (!to.empty())
      in["to"] = to;
    if (const Value v = get(cells, Field::hidden); !v.text.empty()) {
      const std::string h = lower(v.text);
      if (h == "true" || h == "yes" || h == "y" || h == "x" || h == "1")
        in["hidden"] = true;
      else if (h == "false" || h == "no" || h == "n" || h == "0")
        in["hidden"] = false;
      else
        report_.error(row, v.column, "msel.hidden",
                      "hidden '" + v.text + "' is not yes or no: expected true, false, yes, no, x or an empty cell");
    }
    // title and content keep their spaces and line breaks as written
    if (const Value v = get(cells, Field::title); !v.text.empty())
      in["title"] = v.raw;
    if (const Value v = get(cells, Field::content); !v.text.empty())
      in["content"] = v.raw;
    const Value exps = get(cells, Field::expectations);
    const Value exp_name = get(cells, Field::exp_name), exp_desc = get(cells, Field::exp_description),
                exp_score = get(cells, Field::exp_score), exp_within = get(cells, Field::exp_within);
    if (!exps.text.empty()) {
      if (auto j = parse_json(exps, "expectations", true, row))
        in["expectations"] = std::move(*j);
    } else if (!exp_name.text.empty() || !exp_desc.text.empty() || !exp_score.text.empty()) {
      read_openaev_expectation(in, to, to_v, exp_name, exp_desc, exp_score, exp_within, row);
    }
    if (error_count() != errors_before)
      return std::nullopt;
    return in;
  }

  /// OpenAEV's expectation columns: one expectation for each recipient team, met when the team reports (an
  /// evaluator may also confirm it by hand).
  void read_openaev_expectation(ojson& in, const std::vector<std::string>& to, const Value& to_v, const Value& name,
                                const Value& description, const Value& score, const Value& within, int row)
  {
    double points = 1;
    if (!score.text.empty()) {
      char* end = nullptr;
      points = std::strtod(score.text.c_str(), &end);
      if (*end || !(points >= 0) || points > 1e6) {
        report_.error(row, score.column, "msel.score",
                      "expectation score '" + score.text + "' is not a number from 0 to 1000000");
        return;
      }
    }
    if (!within.text.empty() && !units::parse_duration(within.text)) {
      report_.error(row, within.column, "msel.duration",
                    "expectation deadline '" + within.text + "' is not a duration: expected " +
                        units::expected(units::Quantity::duration));
      return;
    }
    if (to.empty()) {
      report_.error(row, to_v.column ? to_v.column : name.column, "msel.expectation",
                    "the expectation has no team: expected the teams that should act in the To (or Teams) column");
      return;
    }
    std::string base = in["id"].get<std::string>() + "-exp";
    ojson list = ojson::array();
    for (const auto& team : to) {
      ojson e = ojson::object();
      e["id"] = to.size() == 1 ? base : base + "-" + team;
      e["team"] = team;
      std::string text = name.text;
      if (!description.text.empty())
        text += (text.empty() ? "" : ": ") + description.text;
      e["description"] = text;
      if (!within.text.empty())
        e["within"] = within.text;
      e["met_by"] = {{"action", "report"}, {"team", team}};
      if (!score.text.empty()) {
        if (points == std::floor(points))
          e["points"] = static_cast<long long>(points);
        else
          e["points"] = points;
      }
      list.push_back(std::move(e));
    }
    in["expectations"] = std::move(list);
  }

  std::size_t error_count() const { return report_.errors(); }

  const ImportOptions& options_;
  ScenarioFacts facts_;
  SheetReport& report_;
  std::optional<int> start_clock_;
  std::size_t header_row_ = 0;                                                                ///< 1-based; 0: not found
  std::array<std::vector<std::pair<int, int>>, static_cast<std::size_t>(Field::count)> cols_; ///< (rank, column)
  std::string section_move_;
  std::map<std::string, int> id_rows_;                       ///< inject id -> its row
  std::vector<std::pair<std::string, std::string>> created_; ///< id, name
};

} // namespace

ImportResult import_msel(const std::string& path, const ImportOptions& options)
{
  ImportResult result;
  SheetReport report(path, result.diagnostics);
  const auto format = sheet_format(path);
  if (!format) {
    report.error(0, 0, "msel.format", "expected a .csv or .xlsx file");
    return result;
  }
  ScenarioFacts facts;
  if (!options.scenario.empty()) {
    LoadResult loaded = load_scenario(options.scenario);
    if (!loaded.ok()) {
      result.scenario_diagnostics = std::move(loaded.diagnostics);
      return result;
    }
    const Scenario& s = *loaded.scenario;
    facts.present = true;
    for (const auto& t : s.teams)
      facts.teams.emplace_back(t.id, t.name);
    for (const auto& m : s.exercise.moves) {
      facts.move_offsets[m.id] = m.offset;
      facts.move_ids.push_back(m.id);
      if (!m.title.empty())
        facts.move_titles.emplace(lower(m.title), m.id);
    }
    long long days = 0;
    int clock = 0;
    if (parse_iso(s.exercise.start, days, clock)) {
      facts.start_day = days;
      facts.start_clock = clock;
    }
  }
  std::string bytes, error;
  if (!read_file(path, options.limits.max_file_bytes, bytes, error)) {
    report.error(0, 0, "msel.read", error);
    return result;
  }
  const Sheet sheet =
      *format == SheetFormat::csv ? read_csv(bytes, options.limits, report) : read_xlsx(bytes, options.limits, report);
  if (report.has_errors())
    return result;
  Importer importer(options, std::move(facts), report);
  auto fragment = importer.run(sheet);
  if (!fragment)
    return result;
  result.injects = (*fragment)["msel"].size();
  result.fragment = fragment->dump(2) + "\n";
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Export

std::vector<std::string> export_header()
{
  std::vector<std::string> h;
  for (const auto& c : columns())
    if (c.width > 0)
      h.emplace_back(c.header);
  return h;
}

ExportResult export_msel(const std::string& scenario_path, const std::string& out_path)
{
  ExportResult result;
  auto fail = [&](const std::string& file, const std::string& code, const std::string& message) {
    Diagnostic d;
    d.file = file;
    d.code = code;
    d.message = message;
    result.diagnostics.add(std::move(d));
    return result;
  };
  const auto format = sheet_format(out_path);
  if (!format)
    return fail(out_path, "msel.format", "expected a .csv or .xlsx file to write");
  LoadResult loaded = load_scenario(scenario_path);
  if (!loaded.ok()) {
    result.diagnostics = std::move(loaded.diagnostics);
    return result;
  }
  const Scenario& s = *loaded.scenario;
  std::map<std::string, ojson> files; // injects as written: each file once
  std::vector<std::vector<Cell>> rows;
  std::vector<double> widths;
  {
    std::vector<Cell> header;
    for (const auto& c : columns())
      if (c.width > 0) {
        header.push_back({c.header, false});
        widths.push_back(c.width);
      }
    rows.push_back(std::move(header));
  }
  for (const Inject& inject : s.msel) {
    auto [it, fresh] = files.try_emplace(inject.origin.file);
    if (fresh) {
      std::ifstream in(inject.origin.file, std::ios::binary);
      try {
        it->second = ojson::parse(in);
      } catch (const std::exception& e) {
        return fail(inject.origin.file, "msel.read", std::string("cannot read the inject's file again: ") + e.what());
      }
    }
    const ojson* raw = nullptr;
    try {
      raw = &it->second.at(ojson::json_pointer(inject.origin.pointer));
    } catch (const std::exception&) {
      return fail(inject.origin.file, "msel.read", "no inject at " + inject.origin.pointer);
    }
    auto text = [&](const char* key) -> std::string {
      const auto f = raw->find(key);
      return f == raw->end() ? "" : json_text(*f);
    };
    std::vector<Cell> row;
    for (const auto& c : columns()) {
      if (c.width <= 0)
        continue;
      Cell cell;
      switch (c.field) {
      case Field::id:
        cell.text = text("id");
        break;
      case Field::move:
        cell.text = text("move");
        break;
      case Field::time:
        cell.text = text("time");
        break;
      case Field::seconds:
        if (inject.time) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.15g", *inject.time);
          cell = {buf, true};
        }
        break;
      case Field::type:
        cell.text = text("type");
        break;
      case Field::channel:
        cell.text = text("channel");
        break;
      case Field::from:
        cell.text = text("from");
        break;
      case Field::to:
        if (const auto f = raw->find("to"); f != raw->end() && f->is_array()) {
          for (const auto& t : *f)
            cell.text += (cell.text.empty() ? "" : ", ") + json_text(t);
        }
        break;
      case Field::hidden:
        if (const auto f = raw->find("hidden"); f != raw->end())
          cell.text = f->is_boolean() ? (f->get<bool>() ? "true" : "false") : json_text(*f);
        break;
      case Field::title:
        cell.text = text("title");
        break;
      case Field::content:
        cell.text = text("content");
        break;
      case Field::trigger:
        cell.text = text("trigger");
        break;
      case Field::delay:
        cell.text = text("delay");
        break;
      case Field::not_before:
        cell.text = text("not_before");
        break;
      case Field::skip_if:
        cell.text = text("skip_if");
        break;
      case Field::expires:
        cell.text = text("expires");
        break;
      case Field::expectations:
        cell.text = text("expectations");
        break;
      default:
        break;
      }
      row.push_back(std::move(cell));
    }
    rows.push_back(std::move(row));
  }
  result.injects = s.msel.size();
  if (*format == SheetFormat::csv) {
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    out << write_csv(rows);
    if (!out.flush())
      return fail(out_path, "msel.write", "cannot write the file");
    return result;
  }
  long long days = 0;
  int clock = 0;
  std::time_t created = 0;
  if (parse_iso(s.exercise.start, days, clock))
    created = static_cast<std::time_t>(days * 86400 + clock);
  const std::string title = s.exercise.title.empty() ? "MSEL" : "MSEL: " + s.exercise.title;
  if (std::string error = write_xlsx(out_path, rows, widths, title, created); !error.empty())
    return fail(out_path, "msel.write", error);
  return result;
}

} // namespace cyberex::msel
