/* The journal file (docs/journal.md): torn last lines at every byte offset, exact diagnostics for bad journals, the
 * writer and reader round trip. Suite journal-format. The journal under test is written by `cyberex play` in a child
 * process; reading it needs no simulation. */
#include "journal_seal.hpp"
#include "journal_support.hpp"

#include "cyberex/journal.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>

using namespace cyberex;
using namespace journal_test;
using Json = nlohmann::json;

namespace {

const char* tutorial_script = R"({"at":"45m","as":"player:cert-gov","command":{"id":"g1","type":"read","item":"inj-01"}}
{"at":"45m","as":"player:cert-gov","command":{"id":"g2","type":"message","to":["cert-energy"],"text":"summit phishing","indicators":["ioc-hash"]}}
{"at":"50m","as":"player:cert-gov","command":{"id":"g3","type":"action","action":"isolate","target":"node:gov-fs"}}
{"at":"1h","as":"player:cert-energy","command":{"id":"e1","type":"action","action":"block","indicator":"ioc-hash"}}
{"at":"2h","as":"evaluator","command":{"id":"v1","type":"rate","team":"cert-gov","objective":"obj-share","critical_task":"ct-share","rating":"P"}}
{"at":"4h10m","as":"player:cert-energy","command":{"id":"e2","type":"action","action":"manual_operations","target":"node:plc-1"}}
)";

/// A tutorial journal played with the script above (written once per test process).
const std::string& tutorial_journal()
{
  static const std::string path = [] {
    const std::string dir = temp_dir();
    spit(dir + "/drill.jsonl", tutorial_script);
    const Output o = run_cli("play scenarios/tutorial/tutorial.json --script " + dir + "/drill.jsonl --journal " + dir +
                             "/t.journal --quiet --json");
    if (o.status != 0)
      throw std::runtime_error("cyberex play failed: " + o.err);
    return dir + "/t.journal";
  }();
  return path;
}

std::string read_error(const std::string& path)
{
  std::string error;
  auto c = read_journal(path, &error);
  return c ? std::string("(read)") : error;
}

/// The journal's text with line `n` (1-based) replaced.
std::string with_line(const std::string& text, std::size_t n, const std::string& line)
{
  const auto starts = line_starts(text);
  return text.substr(0, starts[n - 1]) + line + "\n" + text.substr(starts[n]);
}

std::string line_of(const std::string& text, std::size_t n)
{
  const auto starts = line_starts(text);
  return text.substr(starts[n - 1], starts[n] - starts[n - 1] - 1);
}

std::size_t line_count(const std::string& text)
{
  return line_starts(text).size() - 1;
}

/// Write `text` (the tutorial journal, edited) to `path` sealed with its key, as the writer would have written it,
/// with a commit file saying that its first `committed` lines (default: all) were made durable.
void reseal(const std::string& text, const std::string& path, std::optional<std::size_t> committed = std::nullopt)
{
  seal_journal(text, tutorial_journal(), path, committed ? *committed : line_count(text));
}

/// Write the first `offset` bytes of `text` to `cut`, sealed, its first `committed` lines made durable (a server
/// killed while writing a line after them), and read it: it must open, with one torn-line warning naming the line
/// cut (none when the cut is at a line's start), and keep exactly the complete lines, whose count goes to *complete.
std::optional<JournalContents> read_cut(const std::string& text, std::size_t offset, const std::string& cut,
                                        std::size_t committed, std::size_t* complete)
{
  const auto starts = line_starts(text);
  reseal(text.substr(0, offset), cut, committed);
  // the line being cut (1-based) and the complete lines before it
  const std::size_t torn_line =
      static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
  *complete = torn_line - 1;
  std::string error;
  auto c = read_journal(cut, &error);
  INFO("offset ", offset, " of ", text.size(), ": ", error);
  REQUIRE(c);
  if (starts[torn_line - 1] == offset) {
    CHECK(c->warnings.empty());
  } else {
    REQUIRE(c->warnings.size() == 1);
    const std::string expected = cut + ":" + std::to_string(torn_line) + ": dropped a torn last line (";
    CHECK(c->warnings[0].substr(0, expected.size()) == expected);
  }
  CHECK(c->valid_bytes == starts[*complete]);
  return c;
}

/// The last command's index and the last record's seq in the first `lines` lines of a journal.
std::pair<std::size_t, std::size_t> counts_at(const JournalContents& c, std::size_t lines)
{
  const auto index = std::upper_bound(c.command_lines.begin(), c.command_lines.end(), lines) - c.command_lines.begin();
  const auto seq = std::upper_bound(c.record_lines.begin(), c.record_lines.end(), lines) - c.record_lines.begin();
  return {static_cast<std::size_t>(index), static_cast<std::size_t>(seq)};
}

std::string mark_line(double time, std::size_t seq, std::size_t index)
{
  return JournalMark{time, seq, index}.to_json();
}

/// The journal's text with a mark after every record that the next line (a record) follows at a later time: half
/// way between the two, as a server writes one during a quiet period. *inserted gets the marks' times in order.
std::string with_marks(const std::string& text, const JournalContents& c, std::vector<double>* inserted)
{
  const auto starts = line_starts(text);
  std::string out = text.substr(0, starts[1]);
  std::size_t r = 0, k = 0; // next record, next command
  for (std::size_t line = 2; line < starts.size(); ++line) {
    out += text.substr(starts[line - 1], starts[line] - starts[line - 1]);
    if (k < c.commands.size() && c.command_lines[k] == line)
      ++k;
    if (r < c.records.size() && c.record_lines[r] == line) {
      ++r;
      if (r < c.records.size() && c.record_lines[r] == line + 1 && c.records[r].time > c.records[r - 1].time) {
        const double t = (c.records[r - 1].time + c.records[r].time) / 2;
        out += mark_line(t, r, k) + "\n";
        inserted->push_back(t);
      }
    }
  }
  return out;
}

} // namespace

TEST_SUITE("journal-format")
{
  TEST_CASE("the tutorial journal: header, commands and records interleaved, end line")
  {
    std::string error;
    auto c = read_journal(tutorial_journal(), &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings.empty());
    CHECK(c->header.format == 4);
    // every file the tutorial is read from: itself and the GraphML backbone its topology imports
    REQUIRE(c->header.files.size() == 2);
    CHECK(c->header.files[0].path == "tutorial.json");
    CHECK(c->header.files[0].hash == *file_hash("scenarios/tutorial/tutorial.json"));
    CHECK(c->header.files[1].path == "../topologies/Abilene.graphml");
    CHECK(c->header.files[1].hash == *file_hash("scenarios/topologies/Abilene.graphml"));
    CHECK(c->integrity == JournalIntegrity::verified);
    REQUIRE(c->commit);
    CHECK(c->commit->lines == line_count(slurp(tutorial_journal()))); // closed: all of it durable
    CHECK(c->header.origin == "play");
    CHECK(c->header.seed == 42);
    CHECK(c->header.scenario == "scenarios/tutorial/tutorial.json");
    CHECK(c->header.scenario_hash == *file_hash("scenarios/tutorial/tutorial.json"));
    // the controller's start, then the 6 scripted commands
    REQUIRE(c->commands.size() == 7);
    CHECK(c->commands[0].command == R"({"id":"play-start","type":"start"})");
    CHECK(c->commands[0].time == 0);
    CHECK(c->commands[1].time == 2700);
    CHECK(c->commands[1].who.team == "cert-gov");
    CHECK(c->commands[6].time == 15000);
    REQUIRE(c->end);
    CHECK(c->end->time == 28800);
    CHECK(c->end->state == "ended");
    CHECK(c->end->seq == c->records.size());
    CHECK(c->end->index == 7);
    for (std::size_t i = 0; i < c->records.size(); ++i)
      CHECK(c->records[i].seq == i + 1);
    // a command comes before the records it caused: the start's clock record follows it
    const std::size_t before = c->records_before_command[0];
    REQUIRE(before < c->records.size());
    CHECK(c->records[before].json.find(R"("type":"clock")") != std::string::npos);
    CHECK(c->command_lines[0] == c->record_lines[before] - 1);
    const std::string text = slurp(tutorial_journal());
    CHECK(c->valid_bytes == text.size());
    CHECK(c->end_offset == line_starts(text)[line_starts(text).size() - 2]);
  }

  TEST_CASE("cut at every byte offset inside the last 3 records: it opens, only the torn line is lost")
  {
    const std::string text = slurp(tutorial_journal());
    auto full = read_journal(tutorial_journal());
    REQUIRE(full);
    const auto starts = line_starts(text); // starts.back() == text.size()
    const std::size_t lines = starts.size() - 1;
    // the last 4 lines: 3 records and the end line
    REQUIRE(full->record_lines.back() == lines - 1);
    REQUIRE(full->record_lines[full->record_lines.size() - 3] == lines - 3);
    const std::string dir = temp_dir();
    const std::string cut = dir + "/cut.journal";
    // a server killed while writing the last lines: its last durable point is before them
    const std::size_t durable = lines - 4;
    const auto [durable_index, durable_seq] = counts_at(*full, durable);
    std::size_t checked = 0;
    for (std::size_t offset = starts[lines - 4]; offset < text.size(); ++offset) {
      std::size_t complete = 0;
      const auto c = read_cut(text, offset, cut, durable, &complete);
      const auto kept =
          static_cast<std::size_t>(std::upper_bound(full->record_lines.begin(), full->record_lines.end(), complete) -
                                   full->record_lines.begin());
      REQUIRE(c->records.size() == kept);
      CHECK(c->commands.size() == full->commands.size()); // no command in the last lines
      CHECK(c->end.has_value() == (complete == lines));
      for (std::size_t i = kept >= 3 ? kept - 3 : 0; i < kept; ++i)
        CHECK(c->records[i].json == full->records[i].json);
      ++checked;
    }
    CHECK(checked == text.size() - starts[lines - 4]);
    // a complete last line without its newline is torn too (the newline is part of the one write)
    reseal(text.substr(0, text.size() - 1), cut, durable);
    auto c = read_journal(cut);
    REQUIRE(c);
    REQUIRE(c->warnings.size() == 1);
    CHECK(c->warnings[0] == torn_warning(cut, lines, durable, durable_index, durable_seq));
    CHECK(!c->end);
    CHECK(c->records.size() == full->records.size());
    // a last line that is not JSON at all is dropped with what was expected
    reseal(text.substr(0, starts[lines - 1]) + "{\"seq\":9\n", cut, durable);
    c = read_journal(cut);
    REQUIRE(c);
    REQUIRE(c->warnings.size() == 1);
    CHECK(c->warnings[0] == torn_warning(cut, lines, durable, durable_index, durable_seq,
                                         "expected one JSON object: a command {\"index\":...}, a record "
                                         "{\"seq\":...}, a mark {\"mark\":...} or the end {\"end\":...}"));
  }

  TEST_CASE("mark lines: the same commands, records and states as without them; the last mark is the time reached")
  {
    const std::string text = slurp(tutorial_journal());
    auto plain = read_journal(tutorial_journal());
    REQUIRE(plain);
    std::vector<double> times;
    const std::string dir = temp_dir();
    const std::string p = dir + "/marked.journal";
    reseal(with_marks(text, *plain, &times), p);
    std::string error;
    auto c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings.empty());
    REQUIRE(times.size() > 20);
    CHECK(c->marks == times.size());
    REQUIRE(c->mark);
    CHECK(c->mark->time == times.back());
    CHECK(line_of(without_macs(slurp(p)), c->mark_line) == c->mark->to_json());
    REQUIRE(c->commands.size() == plain->commands.size());
    for (std::size_t i = 0; i < c->commands.size(); ++i)
      CHECK(c->commands[i].to_json() == plain->commands[i].to_json());
    REQUIRE(c->records.size() == plain->records.size());
    for (std::size_t i = 0; i < c->records.size(); ++i)
      CHECK(journal_record_line(c->records[i]) == journal_record_line(plain->records[i]));
    CHECK(c->records_before_command == plain->records_before_command);
    REQUIRE(c->end);
    CHECK(c->end->to_json() == plain->end->to_json());
    CHECK(journal_time_reached(*c) == 28800);
    // the Timeline folds the same states
    Timeline a, b;
    REQUIRE(a.open(tutorial_journal()));
    REQUIRE(b.open(p));
    for (double t : {0.0, 2700.0, 5000.5, 14678.001, 28800.0})
      CHECK(b.state_at(t) == a.state_at(t));
    CHECK(b.duration() == 28800);

    // without an end line, the time reached is the last mark's when it follows the last record
    const auto starts = line_starts(text);
    const std::size_t lines = starts.size() - 1;
    const std::string body = text.substr(0, starts[lines - 1]); // the end line cut, as a crash leaves it
    const double last = plain->records.back().time;
    reseal(body + mark_line(last + 12.5, plain->records.size(), plain->commands.size()) + "\n", p);
    c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(!c->end);
    CHECK(c->marks == 1);
    CHECK(c->mark_line == lines);
    CHECK(journal_time_reached(*c) == last + 12.5);
    REQUIRE(b.open(p));
    CHECK(b.duration() == last + 12.5);
    // a mark before the last record does not move it
    const std::string marked = with_marks(text, *plain, &times);
    reseal(marked.substr(0, line_starts(marked)[line_starts(marked).size() - 2]), p);
    c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(!c->end);
    CHECK(c->records.size() == plain->records.size());
    REQUIRE(c->mark);
    CHECK(c->mark->time < last);
    CHECK(journal_time_reached(*c) == last);
  }

  TEST_CASE("a mark as the last line, cut at every byte offset: only the torn line is lost")
  {
    const std::string text = slurp(tutorial_journal());
    auto full = read_journal(tutorial_journal());
    REQUIRE(full);
    auto starts = line_starts(text);
    const std::size_t n = full->records.size(), k = full->commands.size();
    const double last = full->records.back().time;
    // the end line replaced by two marks: a server killed in a quiet period
    const std::string marks = mark_line(last + 1.0625, n, k) + "\n" + mark_line(last + 2.125, n, k) + "\n";
    // sealed, so that its byte offsets are the file's
    const std::string marked =
        sealed_text(text.substr(0, starts[starts.size() - 2]) + marks, key_of(tutorial_journal()));
    starts = line_starts(marked);
    const std::size_t lines = starts.size() - 1;
    const std::string cut = temp_dir() + "/cut.journal";
    // the last durable point before the last record
    const std::size_t durable = lines - 3;
    const auto [durable_index, durable_seq] = counts_at(*full, durable);
    std::size_t checked = 0;
    // from inside the last record to the end
    for (std::size_t offset = starts[lines - 3] + 1; offset < marked.size(); ++offset) {
      std::size_t complete = 0;
      const auto c = read_cut(marked, offset, cut, durable, &complete);
      CHECK(c->records.size() == (complete >= lines - 2 ? n : n - 1));
      CHECK(c->commands.size() == k);
      CHECK(c->marks == (complete >= lines - 2 ? complete - (lines - 2) : 0));
      CHECK(journal_time_reached(*c) == (complete == lines       ? last + 2.125
                                         : complete == lines - 1 ? last + 1.0625
                                         : complete == lines - 2 ? last
                                                                 : full->records[n - 2].time));
      ++checked;
    }
    CHECK(checked == marked.size() - starts[lines - 3] - 1);
    // the last mark complete but for its newline: dropped with the existing warning, the time is the mark before
    reseal(marked.substr(0, marked.size() - 1), cut, durable);
    auto c = read_journal(cut);
    REQUIRE(c);
    REQUIRE(c->warnings.size() == 1);
    CHECK(c->warnings[0] == torn_warning(cut, lines, durable, durable_index, durable_seq));
    CHECK(c->marks == 1);
    CHECK(c->mark->time == last + 1.0625);
    CHECK(c->valid_bytes == starts[lines - 1]);
    CHECK(c->end_offset == starts[lines - 1]);
    // a last mark line that is not a mark: dropped with what was expected
    reseal(marked.substr(0, starts[lines - 1]) + "{\"mark\":{\"time\":1}}\n", cut, durable);
    c = read_journal(cut);
    REQUIRE(c);
    REQUIRE(c->warnings.size() == 1);
    CHECK(c->warnings[0] == torn_warning(cut, lines, durable, durable_index, durable_seq,
                                         "(/mark) expected {\"time\":T,\"seq\":N,\"index\":K}"));
  }

  TEST_CASE("bad journals: exact diagnostics FILE:LINE: what was expected")
  {
    const std::string text = slurp(tutorial_journal());
    auto full = read_journal(tutorial_journal());
    REQUIRE(full);
    const std::string dir = temp_dir();
    const std::string p = dir + "/bad.journal";

    spit(p, "");
    CHECK(read_error(p) == p + ":1: expected the journal header; the file is empty");
    CHECK(read_error(dir + "/none.journal") == dir + "/none.journal: cannot read the journal");

    reseal(with_line(text, 1, R"({"hello":1})"), p);
    CHECK(read_error(p) ==
          p + ":1: expected the journal header {\"cyberex_journal\":4,...}: this is not a cyberex journal");

    reseal(with_line(
               text, 1,
               R"({"cyberex_journal":1,"scenario":"s.json","scenario_hash":"fnv1a64:0","seed":1,"version":"0.1.0"})"),
           p);
    CHECK(read_error(p) ==
          p + ":1: (/cyberex_journal) journal format 1 (commands only, cyberex 0.1) is not read by "
              "this cyberex: it reads formats 2, 3 and 4; start a new journal, or replay the old one with "
              "cyberex 0.1");

    reseal(
        with_line(
            text, 1,
            R"({"cyberex_journal":2,"scenario":"s.json","scenario_hash":"fnv1a64:0","seed":-1,"version":"0.2.0","origin":"play"})"),
        p);
    CHECK(read_error(p) == p + ":1: (/seed) expected an unsigned integer");

    // format 4 promises every file of the scenario: a header without them is refused
    reseal(
        with_line(
            text, 1,
            R"({"cyberex_journal":4,"scenario":"s.json","scenario_hash":"fnv1a64:0","seed":1,"version":"0.2.0","origin":"play"})"),
        p);
    CHECK(read_error(p) == p + ":1: (/files) expected the scenario's files, [{\"path\":\"...\",\"hash\":"
                               "\"fnv1a64:...\"},...], the main file first");
    reseal(
        with_line(
            text, 1,
            R"({"cyberex_journal":4,"scenario":"s.json","scenario_hash":"fnv1a64:0","files":[{"path":"s.json"}],"seed":1,"version":"0.2.0","origin":"play"})"),
        p);
    CHECK(read_error(p) == p + ":1: (/files/0) expected {\"path\":\"...\",\"hash\":\"fnv1a64:...\"}");

    // garbage in the middle
    const std::size_t mid = full->record_lines[10];
    reseal(with_line(text, mid, "garbage"), p);
    CHECK(read_error(p) == p + ":" + std::to_string(mid) +
                               ": expected one JSON object: a command {\"index\":...}, a record {\"seq\":...}, a mark "
                               "{\"mark\":...} or the end {\"end\":...}");

    // two records swapped: out of order
    std::size_t a = 0;
    for (std::size_t i = 5; i + 1 < full->record_lines.size(); ++i)
      if (full->record_lines[i + 1] == full->record_lines[i] + 1) {
        a = i;
        break;
      }
    REQUIRE(a > 0);
    const std::size_t la = full->record_lines[a];
    reseal(with_line(with_line(text, la, line_of(text, la + 1)), la + 1, line_of(text, la)), p);
    CHECK(read_error(p) == p + ":" + std::to_string(la) + ": (/seq) expected record " + std::to_string(a + 1) +
                               ", got " + std::to_string(a + 2));

    // a command index that skips one
    const std::size_t lc = full->command_lines[2];
    std::string cmd = line_of(text, lc);
    REQUIRE(cmd.rfind("{\"index\":3,", 0) == 0);
    reseal(with_line(text, lc, "{\"index\":4," + cmd.substr(11)), p);
    CHECK(read_error(p) == p + ":" + std::to_string(lc) + ": (/index) expected command 3, got 4");

    // the audience must be the record's last key
    const std::size_t lr = full->record_lines[3];
    std::string rec = line_of(text, lr);
    const auto aud = rec.rfind(",\"audience\":");
    REQUIRE(aud != std::string::npos);
    reseal(with_line(text, lr,
                     "{\"seq\":4,\"audience\":\"all\"," + rec.substr(rec.find("\"time\""), aud - rec.find("\"time\"")) +
                         "}"),
           p);
    CHECK(read_error(p) ==
          p + ":" + std::to_string(lr) + ": (/audience) expected \"audience\" as the record's last key");

    // a record whose audience is not sorted
    reseal(with_line(text, lr, rec.substr(0, aud) + ",\"audience\":[\"cert-gov\",\"cert-energy\"]}"), p);
    CHECK(read_error(p) ==
          p + ":" + std::to_string(lr) + ": (/audience) expected \"control\", \"all\" or a sorted array of team ids");

    // a line after the end line
    const std::size_t lines = line_starts(text).size() - 1;
    reseal(text + line_of(text, lines - 1) + "\n", p);
    CHECK(read_error(p) == p + ":" + std::to_string(lines + 1) + ": expected nothing after the end line (line " +
                               std::to_string(lines) + ")");

    // an end line that does not match
    reseal(with_line(text, lines, R"({"end":{"time":28800.0,"seq":1,"index":7,"state":"ended"}})"), p);
    CHECK(read_error(p) == p + ":" + std::to_string(lines) + ": (/end) expected seq " +
                               std::to_string(full->records.size()) +
                               " and index 7 (the last record and command), got seq 1 and index 7");

    // marks: a bad shape, a seq or index that is not the last record's and command's, a time that goes backwards,
    // a mark after the end line
    const std::size_t r10 = full->records[9].seq; // line mid is record 11: a mark in its place follows record 10
    const std::size_t k10 = static_cast<std::size_t>(
        std::upper_bound(full->command_lines.begin(), full->command_lines.end(), mid) - full->command_lines.begin());
    const double t10 = full->records[9].time;
    const double before_mid = std::max(t10, k10 > 0 ? full->commands[k10 - 1].time : 0.0);
    reseal(with_line(text, mid, R"({"mark":{"time":"1h"}})"), p);
    CHECK(read_error(p) == p + ":" + std::to_string(mid) + ": (/mark) expected {\"time\":T,\"seq\":N,\"index\":K}");
    reseal(with_line(text, mid, mark_line(t10, r10 + 1, k10)), p);
    CHECK(read_error(p) == p + ":" + std::to_string(mid) + ": (/mark) expected seq " + std::to_string(r10) +
                               " and index " + std::to_string(k10) + " (the last record and command), got seq " +
                               std::to_string(r10 + 1) + " and index " + std::to_string(k10));
    REQUIRE(before_mid > 1);
    reseal(with_line(text, mid, mark_line(before_mid - 1, r10, k10)), p);
    CHECK(read_error(p) == p + ":" + std::to_string(mid) + ": (/mark/time) expected a time >= " +
                               Json(before_mid).dump() + " (the previous line's), got " + Json(before_mid - 1).dump());
    reseal(text + mark_line(28800, full->records.size(), 7) + "\n", p);
    CHECK(read_error(p) == p + ":" + std::to_string(lines + 1) + ": expected nothing after the end line (line " +
                               std::to_string(lines) + ")");

    // a record of a type the vocabulary does not have (cyberex/record.hpp)
    {
      std::size_t n = 2;
      while (line_of(text, n).rfind("{\"seq\"", 0) != 0)
        ++n;
      std::string line = line_of(text, n);
      const std::size_t at = line.find("\"type\":\"") + 8;
      line.replace(at, line.find('"', at) - at, "node_hacked");
      reseal(with_line(text, n, line), p);
      CHECK(read_error(p) == p + ":" + std::to_string(n) +
                                 ": (/type) unknown record type \"node_hacked\" (docs/events.md, docs/protocol.md)");
    }

    // a line of no known shape
    reseal(with_line(text, mid, R"({"time":1,"seq":2})"), p);
    CHECK(read_error(p) == p + ":" + std::to_string(mid) +
                               ": expected a command {\"index\":...}, a record {\"seq\":...}, a mark {\"mark\":...} or "
                               "the end {\"end\":...}; the line starts with \"time\"");
  }

  TEST_CASE("a running clock: commands at exact times and records rounded to 3 decimals read back in any order")
  {
    // issue 11, item 2: two commands applied in the same tick of a running clock. The first one's record is written
    // at its time rounded to 3 decimals (6.1856445 -> 6.186), the second command at its exact time, below it.
    const std::string dir = temp_dir();
    const std::string p = dir + "/tick.journal";
    JournalHeader h;
    h.scenario = "scenarios/tutorial/tutorial.json"; // any scenario: the fold needs one (its hash differs: a warning)
    h.scenario_hash = "fnv1a64:0000000000000001";
    h.seed = 7;
    h.version = "9.9.9";
    h.origin = "serve";
    auto record = [](std::uint64_t seq, double rounded) {
      return Record{seq,
                      rounded,
                      {Audience::Kind::control, {}},
                      "{\"seq\":" + std::to_string(seq) + ",\"time\":" + Json(rounded).dump() +
                          R"(,"kind":"exercise","type":"sitrep","subject":"team:a","details":{}})"};
    };
    auto command = [](std::uint64_t index, double exact) {
      return JournalCommand{index, exact, {Role::player, "a"}, R"({"type":"sitrep","text":"x"})"};
    };
    {
      JournalWriter w;
      REQUIRE(w.create(p, h));
      REQUIRE(w.command(command(1, 6.1856445)));
      REQUIRE(w.record(record(1, 6.186))); // rounded up
      REQUIRE(w.command(command(2, 6.1856445)));
      REQUIRE(w.record(record(2, 6.186)));
      // the rounded-down variant: a command at 6.1864 and its record written as 6.186, below it
      REQUIRE(w.command(command(3, 6.1864)));
      REQUIRE(w.record(record(3, 6.186)));
      REQUIRE(w.command(command(4, 6.1864)));
      // exactly half way: 6.1855 rounds to 6.186 (or 6.185), both within the rounding of the other
      REQUIRE(w.command(command(5, 7.1855)));
      REQUIRE(w.record(record(4, 7.186)));
      REQUIRE(w.command(command(6, 7.1855)));
      REQUIRE(w.mark(JournalMark{7.1855, 4, 6}));
    }
    std::string error;
    auto c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->commands.size() == 6);
    CHECK(c->records.size() == 4);
    CHECK(c->commands[1].time == 6.1856445);
    CHECK(c->records[2].time == 6.186);
    Timeline tl;
    REQUIRE_MESSAGE(tl.open(p, &error), error);
    CHECK(tl.duration() == 7.186);
    // ended at the last command's exact time: the time reached is still the last record's, and the state at the end
    // holds every record (the after-action player left out the final clock record of a drill ended while running)
    {
      JournalWriter w;
      REQUIRE(w.reopen(p, c->valid_bytes));
      REQUIRE(w.end(JournalEnd{7.1855, 4, 6, "ended"}));
    }
    auto ended = read_journal(p, &error);
    REQUIRE_MESSAGE(ended, error);
    REQUIRE(ended->end);
    CHECK(journal_time_reached(*ended) == 7.186);
    REQUIRE_MESSAGE(tl.open(p, &error), error);
    CHECK(tl.duration() == 7.186);
    CHECK(tl.fold_to(tl.duration()).records() == 4);

    // a time that really goes backwards is still an error, with the line it goes behind
    auto backwards = [&](const std::function<void(JournalWriter&)>& body) {
      JournalWriter w;
      REQUIRE(w.create(p, h));
      body(w);
      w.close();
      return read_error(p);
    };
    // a command more than the rounding below the record before it
    CHECK(backwards([&](JournalWriter& w) {
            w.command(command(1, 6.1856445));
            w.record(record(1, 6.186));
            w.command(command(2, 6.185));
          }) == p + ":4: (/time) expected a time >= 6.186 (the previous line's), got 6.185");
    // a record more than the rounding below the command before it
    CHECK(backwards([&](JournalWriter& w) {
            w.command(command(1, 6.1866));
            w.record(record(1, 6.186));
          }) == p + ":3: (/time) expected a time >= 6.1866 (the previous line's), got 6.186");
    // exact times never go backwards, not even within the rounding: no drift from line to line
    CHECK(backwards([&](JournalWriter& w) {
            w.command(command(1, 6.1856));
            w.record(record(1, 6.186));
            w.command(command(2, 6.1855));
          }) == p + ":4: (/time) expected a time >= 6.1856 (line 2's), got 6.1855");
    CHECK(backwards([&](JournalWriter& w) {
            w.record(record(1, 6.186));
            w.command(command(1, 6.1857));
            w.record(record(2, 6.185));
          }) == p + ":4: (/time) expected a time >= 6.186 (line 2's), got 6.185");
    CHECK(backwards([&](JournalWriter& w) {
            w.command(command(1, 6.1866));
            w.mark(JournalMark{6.1865, 0, 1});
          }) == p + ":3: (/mark/time) expected a time >= 6.1866 (the previous line's), got 6.1865");
  }

  TEST_CASE("writer and reader: every line shape and audience round-trips")
  {
    const std::string dir = temp_dir();
    const std::string p = dir + "/w.journal";
    JournalHeader h;
    h.scenario = "s.json";
    h.scenario_hash = "fnv1a64:0000000000000001";
    h.seed = 7;
    h.version = "9.9.9";
    h.origin = "serve";
    h.speed = 60;
    JournalWriter w;
    REQUIRE(w.create(p, h));
    Record r1{1,
                0,
                {Audience::Kind::control, {}},
                R"({"seq":1,"time":0.0,"kind":"event","type":"node_status","subject":"node:a","details":{}})"};
    Record r2{2,
                1.5,
                {Audience::Kind::all, {}},
                R"({"seq":2,"time":1.5,"kind":"exercise","type":"clock","subject":"exercise:e","details":{"n":1}})"};
    Record r3{
        3,
        2,
        {Audience::Kind::teams, {"a-team", "b-team"}},
        R"({"seq":3,"time":2.0,"kind":"delivery","type":"inject","subject":"inject:i","details":{"t":"é \"q\""}})"};
    REQUIRE(w.record(r1));
    REQUIRE(w.command(JournalCommand{1, 1.25, {Role::player, "a-team"}, R"({"type":"sitrep","text":"x"})"}));
    REQUIRE(w.record(r2));
    REQUIRE(w.record(r3));
    REQUIRE(w.mark(JournalMark{2.0625, 3, 1}));
    REQUIRE(w.end(JournalEnd{2.0625, 3, 1, "ended"}));
    w.close();
    // every line ends with its MAC, keyed with the journal's own random key: the lines without it
    CHECK(
        without_macs(slurp(p)) ==
        // a header made without the scenario's files lists the main file alone, with the hash it was given
        R"({"cyberex_journal":4,"scenario":"s.json","scenario_hash":"fnv1a64:0000000000000001","files":[{"path":"s.json","hash":"fnv1a64:0000000000000001"}],"seed":7,"version":"9.9.9","origin":"serve","speed":60.0}
{"seq":1,"time":0.0,"kind":"event","type":"node_status","subject":"node:a","details":{},"audience":"control"}
{"index":1,"time":1.25,"role":"player","team":"a-team","command":{"type":"sitrep","text":"x"}}
{"seq":2,"time":1.5,"kind":"exercise","type":"clock","subject":"exercise:e","details":{"n":1},"audience":"all"}
{"seq":3,"time":2.0,"kind":"delivery","type":"inject","subject":"inject:i","details":{"t":"é \"q\""},"audience":["a-team","b-team"]}
{"mark":{"time":2.0625,"seq":3,"index":1}}
{"end":{"time":2.0625,"seq":3,"index":1,"state":"ended"}}
)");
    std::string error;
    auto c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->header.speed == 60);
    CHECK(c->header.origin == "serve");
    REQUIRE(c->records.size() == 3);
    CHECK(c->records[0].json == r1.json);
    CHECK(c->records[2].json == r3.json);
    CHECK(c->records[2].audience.teams == std::vector<std::string>{"a-team", "b-team"});
    CHECK(c->records[1].audience.kind == Audience::Kind::all);
    CHECK(c->records_before_command == std::vector<std::size_t>{1});
    REQUIRE(c->commands.size() == 1);
    CHECK(c->commands[0].who.team == "a-team");
    CHECK(c->commands[0].time == 1.25);
    CHECK(c->marks == 1);
    CHECK(c->mark->time == 2.0625);
    CHECK(c->mark_line == 6);
    // reopen: append after a prefix, cutting what follows (the end line)
    REQUIRE(w.reopen(p, c->end_offset));
    REQUIRE(w.record(Record{4,
                              3,
                              {Audience::Kind::all, {}},
                              R"({"seq":4,"time":3.0,"kind":"exercise","type":"clock","subject":"s","details":{}})"}));
    w.close();
    c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(!c->end);
    CHECK(c->records.size() == 4);
  }
}
