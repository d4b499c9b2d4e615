/* The journal's lines (header, command, record, mark, end), the reader and the writer: see docs/journal.md. */
#include "cyberex/journal.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
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
    return fail("expected the journal header {\"cyberex_journal\":2,...}: this is not a cyberex journal");
  if (!j["cyberex_journal"].is_number_integer())
    return fail("(/cyberex_journal) expected the format number 2");
  JournalHeader h;
  h.format = j["cyberex_journal"].get<int>();
  if (h.format == 1)
    return fail("(/cyberex_journal) journal format 1 (commands only, cyberex 0.1) is not read by this cyberex: it "
                "reads format 2; start a new journal, or replay the old one with cyberex 0.1");
  if (h.format != journal_format)
    return fail("(/cyberex_journal) journal format " + std::to_string(h.format) + "; this cyberex reads format 2");
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
  return h;
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

std::optional<std::string> file_hash(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::uint64_t h = 0xcbf29ce484222325ull;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    const std::streamsize n = in.gcount();
    for (std::streamsize i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 0x100000001b3ull;
    }
  }
  char out[32];
  std::snprintf(out, sizeof out, "fnv1a64:%016" PRIx64, h);
  return std::string(out);
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

std::string journal_record_line(const Outgoing& record)
{
  std::string line = record.json;
  if (!line.empty() && line.back() == '}')
    line.pop_back();
  line += audience_key;
  line += audience_to_json(record.audience);
  line += "}\n";
  return line;
}

std::string journal_command_line(const JournalRecord& command)
{
  return command.to_json() + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Reader

namespace {

/// One parsed line of the body. On failure `error` says what was expected.
struct BodyLine {
  enum class Kind { command, record, mark, end } kind = Kind::record;
  JournalRecord command;
  Outgoing record;
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
    auto r = JournalRecord::from_json(line, &error);
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

} // namespace

std::optional<JournalContents> read_journal(const std::string& path, std::string* error)
{
  auto fail = [&](const std::string& m) -> std::optional<JournalContents> {
    if (error)
      *error = m;
    return std::nullopt;
  };
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(path + ": cannot read the journal");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.empty())
    return fail(path + ":1: expected the journal header; the file is empty");

  JournalContents out;
  // an end or mark line names the last record and command before it
  auto position_error = [&](const char* key, std::uint64_t seq, std::uint64_t index) {
    return std::string("(/") + key + ") expected seq " + std::to_string(out.records.size()) + " and index " +
           std::to_string(out.commands.size()) + " (the last record and command), got seq " + std::to_string(seq) +
           " and index " + std::to_string(index);
  };
  std::size_t pos = 0;
  std::size_t line_no = 0;
  double last_time = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    ++line_no;
    const bool torn = nl == std::string::npos;
    const bool last = torn || nl + 1 == text.size();
    const std::string line = text.substr(pos, torn ? std::string::npos : nl - pos);
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (line_no == 1) {
      if (torn)
        return fail(where + "expected the journal header and its newline; the line is incomplete (the journal was "
                            "cut while being created)");
      std::string e;
      auto h = JournalHeader::from_json(line, &e);
      if (!h)
        return fail(where + e);
      out.header = std::move(*h);
    } else {
      std::string e;
      std::optional<BodyLine> b;
      if (torn)
        e = "no newline: the writer stopped while writing it";
      else
        b = parse_body_line(line, e);
      if (!b) {
        if (last) {
          out.warnings.push_back(where + "dropped a torn last line (" + e + ")");
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
        if (b->command.time < last_time)
          return fail(where + "(/time) expected a time >= " + num(last_time) + " (the previous line's), got " +
                      num(b->command.time));
        last_time = b->command.time;
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
        // a command's time is exact, a record's is rounded to 3 decimals: allow that much
        if (b->record.time + 0.0005 < last_time)
          return fail(where + "(/time) expected a time >= " + num(last_time) + " (the previous line's), got " +
                      num(b->record.time));
        last_time = std::max(last_time, b->record.time);
        out.record_lines.push_back(line_no);
        out.records.push_back(std::move(b->record));
        break;
      }
      case BodyLine::Kind::mark:
        if (b->mark.seq != out.records.size() || b->mark.index != out.commands.size())
          return fail(where + position_error("mark", b->mark.seq, b->mark.index));
        // the mark's time is exact, the last record's rounded to 3 decimals
        if (b->mark.time + 0.0005 < last_time)
          return fail(where + "(/mark/time) expected a time >= " + num(last_time) + " (the previous line's), got " +
                      num(b->mark.time));
        last_time = std::max(last_time, b->mark.time);
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
  }
  if (!out.end)
    out.end_offset = out.valid_bytes;
  return out;
}

double journal_time_reached(const JournalContents& journal)
{
  if (journal.end)
    return journal.end->time;
  double t = 0;
  if (!journal.records.empty())
    t = journal.records.back().time;
  if (!journal.commands.empty())
    t = std::max(t, journal.commands.back().time);
  if (journal.mark)
    t = std::max(t, journal.mark->time);
  return t;
}

// ---------------------------------------------------------------------------------------------------------------
// Writer

JournalWriter::~JournalWriter()
{
  close();
}

bool JournalWriter::create(const std::string& path, const JournalHeader& header, bool buffered)
{
  close();
  path_ = path;
  buffered_ = buffered;
  written_ = 0;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    error_ = path + ": cannot create the journal: " + std::strerror(errno);
    return false;
  }
  return put(header.to_json() + "\n");
}

bool JournalWriter::reopen(const std::string& path, std::uint64_t keep_bytes, bool buffered)
{
  close();
  path_ = path;
  buffered_ = buffered;
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0 || ::ftruncate(fd_, static_cast<off_t>(keep_bytes)) != 0) {
    error_ = path + ": cannot open the journal for appending: " + std::strerror(errno);
    return false;
  }
  written_ = keep_bytes;
  return true;
}

bool JournalWriter::command(const JournalRecord& command)
{
  return put(journal_command_line(command));
}

bool JournalWriter::record(const Outgoing& record)
{
  return put(journal_record_line(record));
}

bool JournalWriter::end(const JournalEnd& end)
{
  return put(end.to_json() + "\n");
}

bool JournalWriter::mark(const JournalMark& mark)
{
  return put(mark.to_json() + "\n");
}

bool JournalWriter::put(const std::string& line)
{
  if (fd_ < 0) {
    if (error_.empty())
      error_ = path_ + ": the journal is not open";
    return false;
  }
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
    if (n <= 0) {
      error_ = path_ + ": cannot write the journal: " + std::strerror(errno);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  written_ += size;
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
  if (::fdatasync(fd_) != 0) {
    error_ = path_ + ": fdatasync failed: " + std::strerror(errno);
    return false;
  }
  return true;
}

void JournalWriter::close()
{
  if (fd_ < 0)
    return;
  flush();
  ::close(fd_);
  fd_ = -1;
}

} // namespace cyberex
