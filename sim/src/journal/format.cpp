/* The journal's lines (header, command, record, mark, end), the reader and the writer: see docs/journal.md. */
#include "cyberex/journal.hpp"

#include "journal/integrity.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace cyberex {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* audience_key = ",\"audience\":";

bool is_time(const Json& v)
{
  return v.is_number() && std::isfinite(v.get<double>()) && v.get<double>() >= 0;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// Header and end

std::string JournalHeader::to_json() const
{
  Json j;
  j["cyberex_journal"] = format;
  j["scenario"] = scenario;
  j["scenario_hash"] = scenario_hash;
  if (format >= 4) {
    Json list = Json::array();
    for (const auto& f : files)
      list.push_back({{"path", f.path}, {"hash", f.hash}});
    if (files.empty()) // a header made without the scenario's files: the main file, which it names, stands for them
      list.push_back({{"path", std::filesystem::path(scenario).filename().string()}, {"hash", scenario_hash}});
    j["files"] = std::move(list);
  }
  j["seed"] = seed;
  j["version"] = version;
  j["origin"] = origin;
  j["speed"] = speed;
  return j.dump();
}

std::optional<JournalHeader> JournalHeader::from_json(const std::string& line, std::string* error)
{
  auto fail = [&](const std::string& m) -> std::optional<JournalHeader> {
    if (error)
      *error = m;
    return std::nullopt;
  };
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("cyberex_journal"))
    return fail("expected the journal header {\"cyberex_journal\":4,...}: this is not a cyberex journal");
  if (!j["cyberex_journal"].is_number_integer())
    return fail("(/cyberex_journal) expected the format number 4 (or 3, 2)");
  JournalHeader h;
  h.format = j["cyberex_journal"].get<int>();
  if (h.format == 1)
    return fail("(/cyberex_journal) journal format 1 (commands only, cyberex 0.1) is not read by this cyberex: it "
                "reads formats 2, 3 and 4; start a new journal, or replay the old one with cyberex 0.1");
  if (h.format != journal_format && h.format != 3 && h.format != 2)
    return fail("(/cyberex_journal) journal format " + std::to_string(h.format) +
                "; this cyberex reads formats 2, 3 and 4");
  for (const char* key : {"scenario", "scenario_hash", "version", "origin"})
    if (!j.contains(key) || !j[key].is_string())
      return fail(std::string("(/") + key + ") expected a string");
  if (!j.contains("seed") || !j["seed"].is_number_unsigned())
    return fail("(/seed) expected an unsigned integer");
  if (j.contains("speed") && (!j["speed"].is_number() || !(j["speed"].get<double>() > 0)))
    return fail("(/speed) expected a number > 0");
  h.scenario = j["scenario"].get<std::string>();
  h.scenario_hash = j["scenario_hash"].get<std::string>();
  h.seed = j["seed"].get<std::uint64_t>();
  h.version = j["version"].get<std::string>();
  h.origin = j["origin"].get<std::string>();
  if (h.origin != "play" && h.origin != "serve")
    return fail("(/origin) expected \"play\" or \"serve\"");
  if (j.contains("speed"))
    h.speed = j["speed"].get<double>();
  if (h.format >= 4) {
    // the fingerprint of every file the scenario was read from: without it the format promises what it cannot check
    if (!j.contains("files") || !j["files"].is_array() || j["files"].empty())
      return fail("(/files) expected the scenario's files, [{\"path\":\"...\",\"hash\":\"fnv1a64:...\"},...], the "
                  "main file first");
    const Json& files = j["files"];
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string at = "(/files/" + std::to_string(i) + ")";
      const Json& f = files[i];
      if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || f["path"].get<std::string>().empty() ||
          !f.contains("hash") || !f["hash"].is_string())
        return fail(at + " expected {\"path\":\"...\",\"hash\":\"fnv1a64:...\"}");
      h.files.push_back({f["path"].get<std::string>(), f["hash"].get<std::string>()});
    }
  }
  return h;
}

// ---------------------------------------------------------------------------------------------------------------
// The scenario's files

namespace {

/// `path` relative to `dir`, or `path` itself when it is not below it lexically (an absolute include, say).
std::string relative_to(const std::string& path, const std::filesystem::path& dir)
{
  const std::filesystem::path rel = std::filesystem::path(path).lexically_relative(dir);
  return rel.empty() ? path : rel.generic_string();
}

} // namespace

std::vector<ScenarioFile> scenario_fingerprint(const Scenario& scenario)
{
  std::vector<ScenarioFile> out;
  if (scenario.sources.empty())
    return out;
  const std::filesystem::path dir = std::filesystem::path(scenario.sources.front().path).parent_path();
  for (std::size_t i = 0; i < scenario.sources.size(); ++i) {
    const ScenarioFile& f = scenario.sources[i];
    out.push_back({i == 0 ? std::filesystem::path(f.path).filename().string() : relative_to(f.path, dir), f.hash});
  }
  return out;
}

ScenarioCheck check_scenario(const JournalHeader& header, const Scenario& scenario)
{
  ScenarioCheck out;
  const std::vector<ScenarioFile> now = scenario_fingerprint(scenario);
  if (now.empty())
    return out; // a scenario built in memory: nothing was read
  auto changed = [](const std::string& path, const std::string& hash, const std::string& played) {
    return path + ": changed since the journal was played: its hash is " + hash + ", the journal's is " + played;
  };
  const std::string& main = scenario.sources.front().path;
  // the main file under another name than the one played (--scenario): most likely another scenario altogether
  auto main_differs = [&](const std::string& played_name, const std::string& played_hash) {
    if (std::filesystem::path(main).filename().string() == played_name)
      return changed(main, now.front().hash, played_hash);
    return main + ": not the scenario the journal was played on (" + played_name + "): its hash is " +
           now.front().hash + ", the journal's is " + played_hash;
  };
  if (header.files.empty()) { // formats 2 and 3: the main file's hash only
    if (header.scenario_hash != now.front().hash)
      out.changes.push_back(
          main_differs(std::filesystem::path(header.scenario).filename().string(), header.scenario_hash));
    if (now.size() > 1) {
      out.unchecked =
          "journal format " + std::to_string(header.format) + " fingerprints the main scenario file only: a change to ";
      for (std::size_t i = 1; i < now.size(); ++i)
        out.unchecked += (i > 1 ? ", " : "") + scenario.sources[i].path;
      out.unchecked += " is not detected";
    }
    return out;
  }
  // the main file by position (a reader may name it otherwise with --scenario), the others by their relative paths
  if (header.files.front().hash != now.front().hash)
    out.changes.push_back(main_differs(header.files.front().path, header.files.front().hash));
  const std::filesystem::path dir = std::filesystem::path(main).parent_path();
  for (std::size_t i = 1; i < now.size(); ++i) {
    auto it = std::find_if(header.files.begin() + 1, header.files.end(),
                           [&](const ScenarioFile& f) { return f.path == now[i].path; });
    if (it == header.files.end())
      out.changes.push_back(scenario.sources[i].path + ": read by the scenario now, not when the journal was played");
    else if (it->hash != now[i].hash)
      out.changes.push_back(changed(scenario.sources[i].path, now[i].hash, it->hash));
  }
  for (std::size_t i = 1; i < header.files.size(); ++i) {
    const std::string& played = header.files[i].path;
    if (std::none_of(now.begin() + 1, now.end(), [&](const ScenarioFile& f) { return f.path == played; }))
      out.changes.push_back((dir / played).lexically_normal().generic_string() +
                            ": the journal was played with this file; the scenario no longer reads it");
  }
  return out;
}

namespace {

/// {"time":T,"seq":N,"index":K}: how far the journal is, as an end or a mark line says it.
Json position_json(double time, std::uint64_t seq, std::uint64_t index)
{
  Json p;
  p["time"] = time;
  p["seq"] = seq;
  p["index"] = index;
  return p;
}

} // namespace

std::string JournalEnd::to_json() const
{
  Json e = position_json(time, seq, index);
  e["state"] = state;
  Json j;
  j["end"] = std::move(e);
  return j.dump();
}

std::string JournalMark::to_json() const
{
  Json j;
  j["mark"] = position_json(time, seq, index);
  return j.dump();
}

// ---------------------------------------------------------------------------------------------------------------
// Lines

std::string audience_to_json(const Audience& audience)
{
  switch (audience.kind) {
  case Audience::Kind::control:
    return "\"control\"";
  case Audience::Kind::all:
    return "\"all\"";
  case Audience::Kind::teams:
    break;
  }
  return Json(audience.teams).dump();
}

std::string journal_record_line(const Record& record)
{
  std::string line = record.json;
  if (!line.empty() && line.back() == '}')
    line.pop_back();
  line += audience_key;
  line += audience_to_json(record.audience);
  line += "}\n";
  return line;
}

std::string journal_command_line(const JournalCommand& command)
{
  return command.to_json() + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Reader

namespace {

/// One parsed line of the body. On failure `error` says what was expected.
struct BodyLine {
  enum class Kind { command, record, mark, end } kind = Kind::record;
  JournalCommand command;
  Record record;
  JournalMark mark;
  JournalEnd end;
};

std::optional<Audience> audience_from(const Json& a)
{
  Audience out;
  if (a.is_string()) {
    if (a == "control")
      out.kind = Audience::Kind::control;
    else if (a == "all")
      out.kind = Audience::Kind::all;
    else
      return std::nullopt;
    return out;
  }
  if (!a.is_array() || a.empty())
    return std::nullopt;
  out.kind = Audience::Kind::teams;
  for (const auto& t : a) {
    if (!t.is_string())
      return std::nullopt;
    out.teams.push_back(t.get<std::string>());
  }
  for (std::size_t i = 1; i < out.teams.size(); ++i)
    if (!(out.teams[i - 1] < out.teams[i]))
      return std::nullopt;
  return out;
}

/// The time, seq and index of an end or a mark line's object; false when one is missing or not of its type.
bool read_position(const Json& o, double& time, std::uint64_t& seq, std::uint64_t& index)
{
  if (!o.is_object() || !o.contains("time") || !is_time(o["time"]) || !o.contains("seq") ||
      !o["seq"].is_number_unsigned() || !o.contains("index") || !o["index"].is_number_unsigned())
    return false;
  time = o["time"].get<double>();
  seq = o["seq"].get<std::uint64_t>();
  index = o["index"].get<std::uint64_t>();
  return true;
}

std::optional<BodyLine> parse_body_line(const std::string& line, std::string& error)
{
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.empty()) {
    error = "expected one JSON object: a command {\"index\":...}, a record {\"seq\":...}, a mark {\"mark\":...} or the "
            "end {\"end\":...}";
    return std::nullopt;
  }
  BodyLine out;
  const std::string first = j.begin().key();
  if (first == "index") {
    auto r = JournalCommand::from_json(line, &error);
    if (!r)
      return std::nullopt;
    out.kind = BodyLine::Kind::command;
    out.command = std::move(*r);
    return out;
  }
  if (first == "seq") {
    if (!j["seq"].is_number_unsigned()) {
      error = "(/seq) expected an unsigned integer";
      return std::nullopt;
    }
    if (!j.contains("time") || !is_time(j["time"])) {
      error = "(/time) expected a finite number of seconds >= 0";
      return std::nullopt;
    }
    for (const char* key : {"kind", "type", "subject"})
      if (!j.contains(key) || !j[key].is_string()) {
        error = std::string("(/") + key + ") expected a string";
        return std::nullopt;
      }
    const auto kind = record_kind_from_string(j["kind"].get<std::string>());
    if (!kind) {
      error = "(/kind) expected \"event\", \"delivery\" or \"exercise\"; got " + j["kind"].dump().substr(0, 80);
      return std::nullopt;
    }
    const auto type = record_type_from_string(j["type"].get<std::string>());
    if (!type) {
      error = "(/type) unknown record type " + j["type"].dump().substr(0, 80) + " (docs/events.md, docs/protocol.md)";
      return std::nullopt;
    }
    auto a = j.contains("audience") ? audience_from(j["audience"]) : std::nullopt;
    if (!a) {
      error = "(/audience) expected \"control\", \"all\" or a sorted array of team ids";
      return std::nullopt;
    }
    const std::string suffix = std::string(audience_key) + audience_to_json(*a) + "}";
    if (line.size() < suffix.size() + 1 || line.compare(line.size() - suffix.size(), suffix.size(), suffix) != 0) {
      error = "(/audience) expected \"audience\" as the record's last key";
      return std::nullopt;
    }
    out.kind = BodyLine::Kind::record;
    out.record.seq = j["seq"].get<std::uint64_t>();
    out.record.time = j["time"].get<double>();
    out.record.kind = *kind;
    out.record.type = *type;
    out.record.audience = std::move(*a);
    out.record.json = line.substr(0, line.size() - suffix.size()) + "}";
    return out;
  }
  if (first == "end") {
    const Json& e = j["end"];
    if (!read_position(e, out.end.time, out.end.seq, out.end.index) || !e.contains("state") ||
        !e["state"].is_string()) {
      error = "(/end) expected {\"time\":T,\"seq\":N,\"index\":K,\"state\":S}";
      return std::nullopt;
    }
    out.kind = BodyLine::Kind::end;
    out.end.state = e["state"].get<std::string>();
    return out;
  }
  if (first == "mark") {
    if (!read_position(j["mark"], out.mark.time, out.mark.seq, out.mark.index)) {
      error = "(/mark) expected {\"time\":T,\"seq\":N,\"index\":K}";
      return std::nullopt;
    }
    out.kind = BodyLine::Kind::mark;
    return out;
  }
  error = "expected a command {\"index\":...}, a record {\"seq\":...}, a mark {\"mark\":...} or the end "
          "{\"end\":...}; the line starts with \"" +
          first + "\"";
  return std::nullopt;
}

std::string num(double x)
{
  return Json(x).dump();
}

/// Times never go backwards, as the writer writes them: a command's and a mark's time is exact (shortest round-trip
/// form), a record's is rounded to 3 decimals (round3). Exact times never decrease, nor do rounded ones (rounding is
/// monotone); across the two kinds a line's time may be below an earlier line's by the rounding, at most 0.0005 s:
/// a command at 6.1856445 follows a record of the same instant written as 6.186, and a record written as 6.186
/// follows a command at 6.1864. Comparing each kind with its own kind exactly and with the other within the
/// rounding lets no drift accumulate over many lines.
class TimeOrder {
public:
  /// A command or a mark at exact time t on line `line`: what was expected, or nullopt when in order.
  std::optional<std::string> exact(double t, std::size_t line) { return check(t, line, exact_, rounded_); }
  /// A record at rounded time t.
  std::optional<std::string> rounded(double t, std::size_t line) { return check(t, line, rounded_, exact_); }

private:
  struct Bound {
    double time = 0;
    std::size_t line = 0; ///< 0: none yet
  };

  static std::optional<std::string> check(double t, std::size_t line, Bound& same, const Bound& other)
  {
    // the rounding, plus a few ulps of the computation round(t * 1000) / 1000 at large times
    const double slack = 0.0005 + 1e-12 * std::max(1.0, other.time);
    const bool behind_same = same.line != 0 && t < same.time;
    const bool behind_other = other.line != 0 && t + slack < other.time;
    if (behind_same || behind_other) {
      // name the later of the two bounds that are broken
      const Bound& b = behind_same && (!behind_other || same.time >= other.time) ? same : other;
      return "expected a time >= " + num(b.time) + " (" +
             (b.line + 1 == line ? std::string("the previous line's") : "line " + std::to_string(b.line) + "'s") +
             "), got " + num(t);
    }
    same = Bound{t, line};
    return std::nullopt;
  }

  Bound exact_, rounded_;
};

} // namespace

namespace {

namespace ji = journal_integrity;

/// "130,221"
std::string thousands(std::uint64_t n)
{
  const std::string digits = std::to_string(n);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0)
      s += ',';
    s += digits[i];
  }
  return s;
}

/// "command 5", "commands 5-9"
std::string numbered(const char* what, std::uint64_t from, std::uint64_t to)
{
  if (from == to)
    return std::string(what) + " " + std::to_string(from);
  return std::string(what) + "s " + std::to_string(from) + "-" + std::to_string(to);
}

/// "line 7", "lines 7-9"
std::string lines_text(std::uint64_t from, std::uint64_t to)
{
  return numbered("line", from, to);
}

bool file_exists(const std::string& path)
{
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> slurp_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The first line of a format 3 journal that breaks the chain: what it looks like. Called once, on failure: it may
/// compute a MAC per line of the file several times over.
std::string chain_break(const std::string& text, std::size_t n, ji::Mac& mac, std::uint64_t next_seq,
                        std::uint64_t next_index, const std::optional<ji::CommitPoint>& commit)
{
  struct Line {
    std::string body, mac; ///< mac empty: the line has none
  };
  std::vector<Line> lines(1); // 1-based
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      break; // a torn last line is no line of the chain
    Line l;
    if (auto split = ji::split_mac(std::string_view(text).substr(pos, nl - pos))) {
      l.body = std::move(split->body);
      l.mac = std::move(split->mac);
    }
    lines.push_back(std::move(l));
    pos = nl + 1;
  }
  const std::size_t total = lines.size() - 1;
  const Line& cur = lines[n];
  // does line x follow line j in the chain (its MAC is of line j's MAC and its content)?
  auto follows = [&](std::size_t j, const Line& x) {
    return j >= 1 && j <= total && !lines[j].mac.empty() && !x.mac.empty() && mac.line(lines[j].mac, x.body) == x.mac;
  };
  const std::string here = ": the integrity chain breaks here: ";
  // the same MAC elsewhere: a copy of a line, or a MAC copied onto other content
  for (std::size_t j = 1; j <= total; ++j)
    if (j != n && lines[j].mac == cur.mac) {
      if (lines[j].body == cur.body)
        return here + "this line is a copy of line " + std::to_string(j) + " (a line was inserted)";
      return here + "this line carries the MAC of line " + std::to_string(j) + " with other content (a forged line)";
    }
  // an authentic line out of its place
  for (std::size_t j = 1; j <= total; ++j)
    if (j + 1 != n && j != n && follows(j, cur))
      return here + "this line was written after line " + std::to_string(j) + ", not after line " +
             std::to_string(n - 1) + (j > n ? " (lines were reordered)" : " (lines were reordered or inserted)");
  // lines inserted: a later line follows the line before this one
  for (std::size_t m = n + 1; m <= total; ++m)
    if (follows(n - 1, lines[m]))
      return here +
             (m == n + 1 ? "line " + std::to_string(n) + " was inserted (its MAC does not verify; line "
                         : lines_text(n, m - 1) + " were inserted (their MACs do not verify; line ") +
             std::to_string(m) + " follows line " + std::to_string(n - 1) + " in the chain)";
  // the chain goes on from this line's MAC: its content changed, or the line it was written after is gone; the
  // first command and record from here on tell a numbered line gone
  if (n < total && follows(n, lines[n + 1])) {
    // the first two command indexes and record seqs from here on: a gap before them that the numbering after
    // them continues from is a line gone (an edited number is not continued)
    std::vector<std::uint64_t> index, seq;
    for (std::size_t m = n; m <= total && (index.size() < 2 || seq.size() < 2); ++m) {
      const Json j = Json::parse(lines[m].body, nullptr, false);
      if (!j.is_object() || j.empty() || !j.begin().value().is_number_unsigned())
        continue;
      std::vector<std::uint64_t>* v = j.begin().key() == "index" ? &index : j.begin().key() == "seq" ? &seq : nullptr;
      if (v && v->size() < 2)
        v->push_back(j.begin().value().get<std::uint64_t>());
    }
    auto gap = [](const std::vector<std::uint64_t>& v, std::uint64_t expected) {
      return !v.empty() && v[0] > expected && (v.size() == 1 || v[1] == v[0] + 1);
    };
    auto missing = [&](const char* what, std::uint64_t expected, std::uint64_t found) {
      return here + "a line before it was removed (" + numbered(what, expected, found - 1) +
             (found - 1 > expected ? " are" : " is") + " missing; the chain goes on from this line)";
    };
    if (gap(seq, next_seq))
      return missing("record", next_seq, seq[0]);
    if (gap(index, next_index))
      return missing("command", next_index, index[0]);
    return here + "this line was edited, or the line before it removed (its MAC does not match its content and the "
                  "line before it; the next line follows it in the chain)";
  }
  // the commit file names the MAC of the last durable line: that MAC on other content is an edit
  if (commit && commit->lines == n && commit->mac == cur.mac)
    return here + "this line was edited: its MAC is the one the commit file records for line " + std::to_string(n) +
           ", its content is not what was MACed";
  // nothing after it verifies: lines added at the end (or changed) by someone without the key
  bool any_after = false;
  for (std::size_t m = n + 1; m <= total && !any_after; ++m)
    any_after = follows(m - 1, lines[m]);
  if (!any_after) {
    const std::string which = n == total ? "line " + std::to_string(n) + ", the last line, does"
                                         : lines_text(n, total) + ", the last lines, do";
    if (commit && n <= commit->lines)
      return here + which + " not verify with the journal's key, though the commit file says " +
             (n == total ? "it was" : "they were") + " made durable (up to line " + std::to_string(commit->lines) +
             "): edited or replaced";
    return here + which + " not verify with the journal's key: " + (n == total ? "a forged line" : "forged lines") +
           " (or edited) after line " + std::to_string(n - 1) +
           (commit ? ", past the last durable point (line " + std::to_string(commit->lines) + ")" : std::string());
  }
  return here + "a line was edited, inserted, removed or reordered at or before this line";
}

} // namespace

std::string journal_key_path(const std::string& journal)
{
  return ji::key_path(journal);
}

std::string journal_commit_path(const std::string& journal)
{
  return ji::commit_path(journal);
}

std::optional<JournalContents> read_journal(const std::string& path, std::string* error,
                                            const JournalReadOptions& options)
{
  auto fail = [&](const std::string& m) -> std::optional<JournalContents> {
    if (error)
      *error = m;
    return std::nullopt;
  };
  const std::optional<std::string> file = slurp_file(path);
  if (!file)
    return fail(path + ": cannot read the journal");
  const std::string& text = *file;
  if (text.empty())
    return fail(path + ":1: expected the journal header; the file is empty");

  JournalContents out;
  // an end or mark line names the last record and command before it
  auto position_error = [&](const char* key, std::uint64_t seq, std::uint64_t index) {
    return std::string("(/") + key + ") expected seq " + std::to_string(out.records.size()) + " and index " +
           std::to_string(out.commands.size()) + " (the last record and command), got seq " + std::to_string(seq) +
           " and index " + std::to_string(index);
  };
  // format 3: the chain (with the key) and the commit file
  std::unique_ptr<ji::Mac> mac;
  std::string previous_mac;
  std::optional<ji::CommitPoint> commit;
  std::uint64_t committed_end = 0; ///< where line commit->lines ends in this file (0: not reached)
  std::string committed_mac;       ///< and its MAC
  std::size_t complete = 0;        ///< complete lines read
  std::string torn;                ///< a torn last line dropped: "FILE:LINE: dropped a torn last line (...)"

  std::size_t pos = 0;
  std::size_t line_no = 0;
  TimeOrder order;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    ++line_no;
    const bool is_torn = nl == std::string::npos;
    const bool last = is_torn || nl + 1 == text.size();
    const std::string_view line = std::string_view(text).substr(pos, is_torn ? std::string::npos : nl - pos);
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (line_no == 1) {
      if (is_torn)
        return fail(where + "expected the journal header and its newline; the line is incomplete (the journal was "
                            "cut while being created)");
      std::string e;
      auto h = JournalHeader::from_json(std::string(line), &e);
      if (!h)
        return fail(where + e);
      out.header = std::move(*h);
      const std::string key_file = options.key.empty() ? ji::key_path(path) : options.key;
      const std::string commit_file = ji::commit_path(path);
      if (out.header.format >= 3) {
        auto split = ji::split_mac(line);
        if (!split)
          return fail(where + "(/mac) expected the header's MAC as its last key: \"mac\":\"<32 hex digits>\"");
        previous_mac = split->mac;
        if (const auto key_text = slurp_file(key_file)) {
          const auto key = ji::parse_key(*key_text);
          if (!key)
            return fail(key_file + ": expected 64 hex digits: the key of " + path);
          mac = std::make_unique<ji::Mac>(*key);
          if (mac->header(split->body) != split->mac)
            return fail(where + "the header's MAC does not verify with " + key_file +
                        ": the header was edited, or the key file is another journal's");
          out.integrity = JournalIntegrity::verified;
        } else {
          out.integrity = JournalIntegrity::no_key;
          out.warnings.push_back(path + ": cannot check integrity: key file " + key_file +
                                 " not found (copy it with the journal)");
        }
        if (const auto commit_text = slurp_file(commit_file)) {
          bool hmac_ok = false;
          commit = ji::parse_commit(*commit_text, mac.get(), &hmac_ok);
          if (!commit)
            return fail(commit_file + ": expected a commit record {\"bytes\":B,\"lines\":L,\"index\":K,\"seq\":N,"
                                      "\"mac\":M,\"hmac\":H}: the file is damaged, or is not a commit file");
          if (mac && !hmac_ok)
            return fail(commit_file + ": the commit record's MAC does not verify with " + key_file +
                        ": the commit file was edited, or is another journal's");
          out.commit = JournalCommit{commit->bytes, commit->lines, commit->index, commit->seq};
        } else {
          out.warnings.push_back(path + ": cannot check for lost lines: commit file " + commit_file +
                                 " not found (copy it with the journal)");
        }
      } else {
        // a format 3 journal whose header was changed to 2 and MACs stripped would otherwise pass with a warning
        if (file_exists(key_file))
          return fail(where + "(/cyberex_journal) format 2 has no MACs, but the key file " + key_file +
                      " exists: the header was changed to hide the integrity chain (if an older cyberex did write "
                      "this journal, move the key file aside)");
        out.warnings.push_back(path + ": cannot check integrity: journal format 2 has no MACs (written by an older "
                                      "cyberex): an edited, inserted, removed or reordered line, or a cut at a line "
                                      "boundary, cannot be detected");
      }
    } else {
      std::string e;
      std::optional<BodyLine> b;
      if (is_torn) {
        e = "no newline: the writer stopped while writing it";
      } else if (out.header.format >= 3) {
        auto split = ji::split_mac(line);
        if (!split) {
          // not written by the writer: garbage at the end (a torn write) or a line without its MAC
          b = parse_body_line(std::string(line), e);
          if (b)
            return fail(where + "(/mac) expected \"mac\" as the line's last key (32 hex digits): the line was not "
                                "written by the journal's writer");
        } else {
          if (mac && mac->line(previous_mac, split->body) != split->mac)
            return fail(path + ":" + std::to_string(line_no) +
                        chain_break(text, line_no, *mac, out.records.size() + 1, out.commands.size() + 1, commit));
          previous_mac = std::move(split->mac);
          b = parse_body_line(split->body, e);
        }
      } else {
        b = parse_body_line(std::string(line), e);
      }
      if (!b) {
        if (last) {
          torn = where + "dropped a torn last line (" + e + ")";
          break;
        }
        return fail(where + e);
      }
      if (out.end)
        return fail(where + "expected nothing after the end line (line " + std::to_string(line_no - 1) + ")");
      switch (b->kind) {
      case BodyLine::Kind::command: {
        const std::uint64_t expected = out.commands.size() + 1;
        if (b->command.index != expected)
          return fail(where + "(/index) expected command " + std::to_string(expected) + ", got " +
                      std::to_string(b->command.index));
        if (auto late = order.exact(b->command.time, line_no))
          return fail(where + "(/time) " + *late);
        out.records_before_command.push_back(out.records.size());
        out.command_lines.push_back(line_no);
        out.commands.push_back(std::move(b->command));
        break;
      }
      case BodyLine::Kind::record: {
        const std::uint64_t expected = out.records.size() + 1;
        if (b->record.seq != expected)
          return fail(where + "(/seq) expected record " + std::to_string(expected) + ", got " +
                      std::to_string(b->record.seq));
        if (auto late = order.rounded(b->record.time, line_no))
          return fail(where + "(/time) " + *late);
        out.record_lines.push_back(line_no);
        out.records.push_back(std::move(b->record));
        break;
      }
      case BodyLine::Kind::mark:
        if (b->mark.seq != out.records.size() || b->mark.index != out.commands.size())
          return fail(where + position_error("mark", b->mark.seq, b->mark.index));
        if (auto late = order.exact(b->mark.time, line_no))
          return fail(where + "(/mark/time) " + *late);
        out.mark = b->mark;
        out.mark_line = line_no;
        ++out.marks;
        break;
      case BodyLine::Kind::end:
        if (b->end.seq != out.records.size() || b->end.index != out.commands.size())
          return fail(where + position_error("end", b->end.seq, b->end.index));
        out.end_offset = pos;
        out.end = b->end;
        break;
      }
    }
    pos = nl + 1;
    out.valid_bytes = pos;
    complete = line_no;
    if (commit && complete == commit->lines) {
      committed_end = pos;
      committed_mac = previous_mac;
    }
  }
  if (!out.end)
    out.end_offset = out.valid_bytes;

  if (commit && commit->lines > 0) {
    const std::string said = "the commit file says " + thousands(commit->lines) + " lines (" +
                             thousands(commit->bytes) + " bytes) were made durable";
    if (complete < commit->lines || out.valid_bytes < commit->bytes) {
      // lost: what was durable and is not in the file any more
      std::string lost =
          lines_text(complete + 1, commit->lines) + (commit->lines > complete + 1 ? " are" : " is") + " lost";
      auto count = [](const char* what, const char* key, std::uint64_t have, std::uint64_t durable) {
        const std::uint64_t n = durable - have;
        return thousands(n) + " " + what + (n > 1 ? "s (" : " (") + key + " " +
               (n > 1 ? std::to_string(have + 1) + "-" : std::string()) + std::to_string(durable) + ")";
      };
      std::vector<std::string> what;
      if (commit->index > out.commands.size())
        what.push_back(count("command", "index", out.commands.size(), commit->index));
      if (commit->seq > out.records.size())
        what.push_back(count("record", "seq", out.records.size(), commit->seq));
      if (what.empty())
        lost += " (no command or record: marks or the end line)";
      else
        lost += ": " + what[0] + (what.size() > 1 ? " and " + what[1] : "");
      const std::string at = text.size() > out.valid_bytes ? "cut inside line " + std::to_string(complete + 1)
                                                           : "cut after line " + std::to_string(complete);
      return fail(path + ": " + at + ": " + said + "; " + lost);
    }
    if (committed_end != commit->bytes || committed_mac != commit->mac)
      return fail(path + ":" + std::to_string(commit->lines) + ": " + said + ", up to this line, but " +
                  (committed_end != commit->bytes
                       ? "it ends at byte " + thousands(committed_end) + ", not " + thousands(commit->bytes)
                       : "its MAC is not the one the commit file names") +
                  ": the journal was rewritten after it was made durable");
  }
  if (!torn.empty()) {
    // a line the writer was writing when it stopped: never durable, so nothing that depended on it went out
    if (commit)
      torn += commit->lines == 0
                  ? "; nothing of the journal had been made durable yet: no reply or record that "
                    "depended on it was sent"
                  : "; it began after the last durable point (line " + std::to_string(commit->lines) + ", command " +
                        std::to_string(commit->index) + ", record " + std::to_string(commit->seq) +
                        "): no reply or record that depended on it was sent";
    out.warnings.push_back(torn);
  }
  return out;
}

double journal_time_reached(const JournalContents& journal)
{
  // the end line has the last command's exact time, records their time rounded to 3 decimals, up to 0.0005 s later:
  // the latest of them, or the state at the end would leave out the last records (the clock record of an end)
  double t = journal.end ? journal.end->time : 0;
  if (!journal.records.empty())
    t = std::max(t, journal.records.back().time);
  if (!journal.commands.empty())
    t = std::max(t, journal.commands.back().time);
  if (journal.mark)
    t = std::max(t, journal.mark->time);
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Writer

namespace {

/// Create `path` afresh with mode 0600: a file already there is removed first, so the new one is never readable by
/// others, not even for an instant, whatever the umask and the old file's mode (and no reader of the old file keeps
/// a descriptor on the new one).
int create_private(const std::string& path, int flags)
{
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(path.c_str(), flags | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0 || errno != EEXIST || attempt == 1)
      return fd;
    if (::unlink(path.c_str()) != 0)
      return -1;
  }
  return -1;
}

/// One writer per journal: an exclusive advisory lock on its file for as long as the writer has it open (two servers
/// started on one journal would interleave their lines). False when another process holds it.
bool lock_journal(int fd)
{
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    if (errno != EINTR)
      return false;
  return true;
}

/// Take group and others' permissions away from an open file (a journal written by an older cyberex).
void make_private(int fd)
{
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
    ::fchmod(fd, st.st_mode & 0700);
}

bool pwrite_all(int fd, const std::string& data, off_t offset)
{
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace

/// Format 3: the key, the chain and the commit file. The writer's thread keeps `pending` (after the last line put);
/// `written` (the lines handed to write(2)) is what sync(), maybe on another thread, makes durable and commits.
struct JournalWriter::Integrity {
  explicit Integrity(const ji::Key& key) : chain(key), commit_mac(key) {}
  ~Integrity()
  {
    if (commit_fd >= 0)
      ::close(commit_fd);
  }

  ji::Mac chain;             ///< the writer's thread
  ji::CommitPoint pending;   ///< the writer's thread
  std::mutex written_mutex;  ///< guards `written`
  ji::CommitPoint written;   ///< handed to write(2)
  std::mutex commit_mutex;   ///< guards what follows: the commit file
  ji::Mac commit_mac;        ///< its own context: the chain's is the writer thread's
  ji::CommitPoint committed; ///< last written to the commit file
  bool any_commit = false;
  std::string commit_path;
  int commit_fd = -1;

  void publish()
  {
    std::lock_guard lock(written_mutex);
    written = pending;
  }
  ji::CommitPoint written_point()
  {
    std::lock_guard lock(written_mutex);
    return written;
  }
  /// One pwrite of the fixed-size record at offset 0 (no rename: nothing to sync in the directory); `durable`:
  /// fdatasync it too. False and `error` on failure.
  bool commit(const ji::CommitPoint& p, bool durable, std::string& error)
  {
    std::lock_guard lock(commit_mutex);
    if (!any_commit || !(p == committed)) {
      if (!pwrite_all(commit_fd, ji::commit_record(p, commit_mac), 0)) {
        error = commit_path + ": cannot write the commit file: " + std::strerror(errno);
        return false;
      }
      committed = p;
      any_commit = true;
    }
    if (durable && ::fdatasync(commit_fd) != 0) {
      error = commit_path + ": fdatasync failed: " + std::strerror(errno);
      return false;
    }
    return true;
  }
};

JournalWriter::JournalWriter() = default;

JournalWriter::~JournalWriter()
{
  close();
}

bool JournalWriter::fail(const std::string& what)
{
  error_ = what;
  return false;
}

bool JournalWriter::create(const std::string& path, const JournalHeader& header, bool buffered)
{
  close();
  path_ = path;
  buffered_ = buffered;
  written_ = 0;
  integrity_.reset();
  fd_ = create_private(path, O_WRONLY | O_APPEND);
  if (fd_ < 0)
    return fail(path + ": cannot create the journal: " + std::strerror(errno));
  lock_journal(fd_); // a new file: nobody else can hold it
  const std::string key_file = ji::key_path(path), commit_file = ji::commit_path(path);
  if (header.format < 3) {
    // no MACs: a key or commit file left by an earlier journal at this path would make this one unreadable
    ::unlink(key_file.c_str());
    ::unlink(commit_file.c_str());
    return put(header.to_json(), Line::header);
  }
  std::optional<ji::Key> key;
  if (!key_from_.empty()) {
    std::ifstream in(key_from_);
    std::stringstream text;
    text << in.rdbuf();
    key = in ? ji::parse_key(text.str()) : std::nullopt;
    if (!key)
      return fail(key_from_ + ": not a journal key file (64 hex digits)");
  } else {
    key = ji::random_key();
    if (!key)
      return fail(key_file + ": cannot draw a random key (OpenSSL RAND_bytes failed)");
  }
  // the key first, durable: a journal whose key is lost cannot be checked nor continued
  const int key_fd = create_private(key_file, O_WRONLY);
  const std::string key_text = ji::key_text(*key);
  const bool key_ok =
      key_fd >= 0 && pwrite_all(key_fd, key_text, 0) && ::fdatasync(key_fd) == 0 && ::close(key_fd) == 0;
  if (!key_ok) {
    const std::string why = std::strerror(errno);
    if (key_fd >= 0)
      ::close(key_fd);
    return fail(key_file + ": cannot write the journal's key file: " + why);
  }
  integrity_ = std::make_unique<Integrity>(*key);
  integrity_->commit_path = commit_file;
  integrity_->commit_fd = create_private(commit_file, O_RDWR);
  if (integrity_->commit_fd < 0)
    return fail(commit_file + ": cannot create the commit file: " + std::strerror(errno));
  if (!integrity_->commit(ji::CommitPoint{}, false, error_))
    return false;
  return put(header.to_json(), Line::header);
}

bool JournalWriter::reopen(const std::string& path, std::uint64_t keep_bytes, bool buffered)
{
  close();
  path_ = path;
  buffered_ = buffered;
  integrity_.reset();
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0)
    return fail(path + ": cannot open the journal for appending: " + std::strerror(errno));
  // nothing, not even the commit file, is touched before the lock is held; nothing is left open on a failure
  auto give_up = [&](const std::string& what) {
    ::close(fd_);
    fd_ = -1;
    integrity_.reset();
    return fail(what);
  };
  if (!lock_journal(fd_))
    return give_up(path + ": cannot open the journal for appending: another process is writing it");
  // what is kept: the header's format, and for format 3 where the chain and the counts stand at its end
  std::string kept(keep_bytes, '\0');
  {
    std::ifstream in(path, std::ios::binary);
    if (!in || !in.read(kept.data(), static_cast<std::streamsize>(keep_bytes)))
      return give_up(path + ": cannot open the journal for appending: cannot read its first " +
                     std::to_string(keep_bytes) + " bytes");
  }
  const std::size_t header_end = kept.find('\n');
  const auto header =
      header_end == std::string::npos ? std::nullopt : JournalHeader::from_json(kept.substr(0, header_end));
  if (!header || kept.empty() || kept.back() != '\n')
    return give_up(path + ": cannot open the journal for appending: its first " + std::to_string(keep_bytes) +
                   " bytes are not a header and whole lines");
  if (header->format >= 3) {
    const std::string key_file = ji::key_path(path);
    const auto key_text = slurp_file(key_file);
    const auto key = key_text ? ji::parse_key(*key_text) : std::nullopt;
    if (!key)
      return give_up(path + ": cannot append to the journal: its key file " + key_file +
                     (key_text ? " is not 64 hex digits" : " is missing") +
                     " (a journal is continued with the key it was started with)");
    integrity_ = std::make_unique<Integrity>(*key);
    Integrity& g = *integrity_;
    g.pending.bytes = keep_bytes;
    g.pending.lines = static_cast<std::uint64_t>(std::count(kept.begin(), kept.end(), '\n'));
    // from the last line backwards: its MAC, the last command's index and the last record's seq
    bool have_mac = false, have_index = false, have_seq = false;
    for (std::size_t end = kept.size() - 1; end > header_end && !(have_mac && have_index && have_seq);) {
      const std::size_t begin = kept.rfind('\n', end - 1) + 1;
      const std::string_view line = std::string_view(kept).substr(begin, end - begin);
      const auto split = ji::split_mac(line);
      if (!split)
        return give_up(path + ": cannot append to the journal: a line before byte " + std::to_string(end) +
                       " has no MAC");
      if (!have_mac) {
        g.pending.mac = split->mac;
        have_mac = true;
      }
      const bool is_command = line.rfind("{\"index\":", 0) == 0, is_record = line.rfind("{\"seq\":", 0) == 0;
      if ((is_command && !have_index) || (is_record && !have_seq)) {
        const Json j = Json::parse(split->body, nullptr, false);
        const char* number = is_command ? "index" : "seq";
        if (j.is_object() && j.contains(number) && j[number].is_number_unsigned())
          (is_command ? g.pending.index : g.pending.seq) = j[number].get<std::uint64_t>();
        (is_command ? have_index : have_seq) = true;
      }
      end = begin - 1;
    }
    if (!have_mac) {
      const auto split = ji::split_mac(std::string_view(kept).substr(0, header_end));
      if (!split)
        return give_up(path + ": cannot append to the journal: its header has no MAC");
      g.pending.mac = split->mac;
    }
    g.commit_path = ji::commit_path(path);
    g.commit_fd = ::open(g.commit_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (g.commit_fd < 0)
      return give_up(g.commit_path + ": cannot open the commit file: " + std::strerror(errno));
    make_private(g.commit_fd);
    // the commit file says the kept prefix before the file is cut to it: never more than the file holds
    std::string why;
    if (!g.commit(g.pending, true, why))
      return give_up(why);
    g.publish();
  }
  if (::ftruncate(fd_, static_cast<off_t>(keep_bytes)) != 0)
    return give_up(path + ": cannot open the journal for appending: " + std::strerror(errno));
  make_private(fd_);
  written_ = keep_bytes;
  return true;
}

bool JournalWriter::command(const JournalCommand& command)
{
  return put(command.to_json(), Line::command, command.index);
}

bool JournalWriter::record(const Record& record)
{
  std::string line = journal_record_line(record);
  line.pop_back();
  return put(std::move(line), Line::record, record.seq);
}

bool JournalWriter::end(const JournalEnd& end)
{
  return put(end.to_json(), Line::other);
}

bool JournalWriter::mark(const JournalMark& mark)
{
  return put(mark.to_json(), Line::other);
}

bool JournalWriter::put(std::string line, Line kind, std::uint64_t number)
{
  if (fd_ < 0) {
    if (error_.empty())
      error_ = path_ + ": the journal is not open";
    return false;
  }
  if (integrity_) {
    ji::CommitPoint& p = integrity_->pending;
    const std::string m = kind == Line::header ? integrity_->chain.header(line) : integrity_->chain.line(p.mac, line);
    line = ji::with_mac(line, m);
    p.mac = m;
    ++p.lines;
    if (kind == Line::command)
      p.index = number;
    else if (kind == Line::record)
      p.seq = number;
    p.bytes += line.size() + 1;
  }
  line += '\n';
  if (!buffered_)
    return write_all(line.data(), line.size());
  buffer_ += line;
  return buffer_.size() < (1u << 20) || flush();
}

bool JournalWriter::write_all(const char* data, std::size_t size)
{
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return fail(path_ + ": cannot write the journal: " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  written_ += size;
  // everything put so far has been handed to write(2) (unbuffered: this line; buffered: the whole buffer)
  if (integrity_)
    integrity_->publish();
  return true;
}

bool JournalWriter::flush()
{
  if (buffer_.empty())
    return true;
  const bool ok = write_all(buffer_.data(), buffer_.size());
  buffer_.clear();
  return ok;
}

bool JournalWriter::sync()
{
  if (fd_ < 0)
    return false;
  // what was handed to write(2) before the fdatasync is durable after it; only then does the commit file say so
  const ji::CommitPoint point = integrity_ ? integrity_->written_point() : ji::CommitPoint{};
  if (::fdatasync(fd_) != 0)
    return fail(path_ + ": fdatasync failed: " + std::strerror(errno));
  return !integrity_ || integrity_->commit(point, false, error_);
}

void JournalWriter::close()
{
  if (fd_ < 0)
    return;
  flush();
  if (integrity_) {
    // durable, then committed, then the commit durable: a power cut after close loses nothing and finds no cut
    const ji::CommitPoint point = integrity_->written_point();
    if (::fdatasync(fd_) == 0)
      integrity_->commit(point, true, error_);
    else
      fail(path_ + ": fdatasync failed: " + std::strerror(errno));
  }
  ::close(fd_);
  fd_ = -1;
  integrity_.reset();
}

} // namespace cyberex
