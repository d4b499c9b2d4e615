/* The tamper-evident journal (format 3, docs/journal.md "Integrity"): each kind of tampering is detected and named
 * with its exact diagnostic, a cut at a line boundary and a cut inside durable lines are errors that say what was
 * lost, a torn line after the durable point is a warning, the files are created 0600, format 2 still reads. Suite
 * journal-integrity. The journals are written with JournalWriter in this process (no simulation). */
#include "journal_seal.hpp"
#include "journal_support.hpp"

#include "cyberex/journal.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <functional>

using namespace cyberex;
using namespace journal_test;
using Json = nlohmann::json;

namespace {

JournalHeader test_header(int format = journal_format)
{
  JournalHeader h;
  h.format = format;
  h.scenario = "scenarios/tutorial/tutorial.json";
  h.scenario_hash = file_hash(h.scenario).value_or("fnv1a64:0000000000000001");
  if (format >= 4) // the tutorial's files: itself and the GraphML backbone its topology imports
    h.files = {{"tutorial.json", h.scenario_hash},
               {"../topologies/Abilene.graphml",
                file_hash("scenarios/topologies/Abilene.graphml").value_or("fnv1a64:0000000000000002")}};
  h.seed = 42;
  h.version = "9.9.9";
  h.origin = "serve";
  return h;
}

Record record_at(std::uint64_t seq, double t, const std::string& type)
{
  return Record{seq,
                  t,
                  {Audience::Kind::control, {}},
                  "{\"seq\":" + std::to_string(seq) + ",\"time\":" + Json(t).dump() +
                      ",\"kind\":\"exercise\",\"type\":\"" + type + "\",\"subject\":\"team:cert-gov\",\"details\":{}}"};
}

/// A drill as a server writes it: 12 rounds of a command (a sitrep, or an evaluator's rating every third round)
/// and the two records it causes, a mark now and then; `each` is called after every round with the round's number
/// (1-based), e.g. to sync. Lines: the header, 12 x 3 body lines, 4 marks: 41.
void write_drill(JournalWriter& w, const std::function<void(int)>& each = {})
{
  std::uint64_t seq = 0;
  for (int i = 1; i <= 12; ++i) {
    const double t = 60.0 * i + 0.25;
    const std::string cmd = i % 3 == 0 ? R"({"id":"v)" + std::to_string(i) +
                                             R"(","type":"rate","team":"cert-gov","objective":"obj-share",)"
                                             R"("critical_task":"ct-share","rating":"P"})"
                                       : R"({"id":"s)" + std::to_string(i) + R"(","type":"sitrep","text":"x"})";
    REQUIRE(w.command(JournalCommand{static_cast<std::uint64_t>(i), t,
                                    i % 3 == 0 ? Principal{Role::evaluator, ""} : Principal{Role::player, "cert-gov"},
                                    cmd}));
    REQUIRE(w.record(record_at(++seq, t, i % 3 == 0 ? "rating" : "sitrep")));
    REQUIRE(w.record(record_at(++seq, t + 1, "leaderboard")));
    if (i % 3 == 1)
      REQUIRE(w.mark(JournalMark{t + 30, seq, static_cast<std::uint64_t>(i)}));
    if (each)
      each(i);
  }
}

constexpr std::size_t drill_lines = 41; // the header, 36 command and record lines, 4 marks

/// A drill's journal, closed normally with its end line (line 42): everything committed.
std::string closed_drill(const std::string& dir)
{
  const std::string p = dir + "/drill.journal";
  JournalWriter w;
  REQUIRE(w.create(p, test_header()));
  write_drill(w);
  REQUIRE(w.end(JournalEnd{780.25, 24, 12, "ended"}));
  w.close();
  return p;
}

/// Files as a crash leaves them: the journal written through round 12, but the last sync after round `synced`.
std::string crashed_drill(const std::string& dir, int synced)
{
  const std::string p = dir + "/live.journal", crashed = dir + "/crashed.journal";
  JournalWriter w;
  REQUIRE(w.create(p, test_header()));
  REQUIRE(w.sync());
  write_drill(w, [&](int round) {
    if (round <= synced)
      REQUIRE(w.sync());
  });
  // what is on disk before close() makes everything durable: the journal, its key and its commit file
  spit(crashed, slurp(p));
  spit(journal_key_path(crashed), slurp(journal_key_path(p)));
  spit(journal_commit_path(crashed), slurp(journal_commit_path(p)));
  w.close();
  return crashed;
}

std::string read_error(const std::string& path, const JournalReadOptions& options = {})
{
  std::string error;
  auto c = read_journal(path, &error, options);
  return c ? std::string("(read)") : error;
}

std::string line_of(const std::string& text, std::size_t n)
{
  const auto starts = line_starts(text);
  return text.substr(starts[n - 1], starts[n] - starts[n - 1] - 1);
}

/// The text with line n (1-based) removed.
std::string without_line(const std::string& text, std::size_t n)
{
  const auto starts = line_starts(text);
  return text.substr(0, starts[n - 1]) + text.substr(starts[n]);
}

/// The text with `line` inserted as line n.
std::string with_inserted(const std::string& text, std::size_t n, const std::string& line)
{
  const auto starts = line_starts(text);
  return text.substr(0, starts[n - 1]) + line + "\n" + text.substr(starts[n - 1]);
}

/// The text with line n (1-based) replaced.
std::string with_line_replaced(const std::string& text, std::size_t n, const std::string& line)
{
  const auto starts = line_starts(text);
  return text.substr(0, starts[n - 1]) + line + "\n" + text.substr(starts[n]);
}

/// A line: `body` with a "mac" key (not computed) and a newline.
std::string with_mac_text(const std::string& body, const std::string& mac)
{
  return body.substr(0, body.size() - 1) + ",\"mac\":\"" + mac + "\"}\n";
}

bool file_exists_test(const std::string& path)
{
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

/// "7,123"
std::string thousands(std::size_t n)
{
  const std::string d = std::to_string(n);
  std::string s;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0)
      s += ',';
    s += d[i];
  }
  return s;
}

int mode_of(const std::string& path)
{
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 0777);
}

const std::string chain = ": the integrity chain breaks here: ";

} // namespace

TEST_SUITE("journal-integrity")
{
  TEST_CASE("a journal written by JournalWriter verifies: every line carries its MAC last; the commit covers it all")
  {
    const std::string dir = temp_dir();
    const std::string p = closed_drill(dir);
    const std::string text = slurp(p);
    const auto starts = line_starts(text);
    REQUIRE(starts.size() - 1 == drill_lines + 1);
    for (std::size_t n = 1; n <= drill_lines + 1; ++n) {
      const std::string l = line_of(text, n);
      INFO(l);
      REQUIRE(l.size() > 42);
      CHECK(l.substr(l.size() - 42, 8) == ",\"mac\":\"");
      CHECK(l.substr(l.size() - 2) == "\"}");
    }
    CHECK(line_of(text, 1).rfind("{\"cyberex_journal\":4,", 0) == 0);
    // records keep "audience" right before the MAC
    CHECK(line_of(text, 3).find(R"(,"audience":"control","mac":")") != std::string::npos);
    std::string error;
    auto c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings.empty());
    CHECK(c->integrity == JournalIntegrity::verified);
    REQUIRE(c->commit);
    CHECK(c->commit->lines == drill_lines + 1);
    CHECK(c->commit->bytes == text.size());
    CHECK(c->commit->index == 12);
    CHECK(c->commit->seq == 24);
    CHECK(c->header.format == 4);
    CHECK(c->commands.size() == 12);
    CHECK(c->records.size() == 24);
    CHECK(c->records[1].json.find("\"mac\"") == std::string::npos); // records are read without their MAC
    // the commit file: one fixed-size record
    const std::string commit = slurp(journal_commit_path(p));
    CHECK(commit.size() == 256);
    CHECK(commit.rfind("{\"bytes\":" + std::to_string(text.size()) +
                           ",\"lines\":42,\"index\":12,\"seq\":24,\"mac\":\"" +
                           line_of(text, 42).substr(line_of(text, 42).size() - 34, 32) + "\",\"hmac\":\"",
                       0) == 0);
    CHECK(slurp(journal_key_path(p)).size() == 65);
  }

  TEST_CASE("tampering: each kind is detected and named")
  {
    const std::string dir = temp_dir();
    const std::string p = closed_drill(dir);
    const std::string text = slurp(p);
    // line 2: command 1; lines 3-4 its records; line 5 a mark; lines 6-8 command 2 and its records; ...
    // command 3 (a rating) is line 9
    REQUIRE(line_of(text, 9).find(R"("type":"rate")") != std::string::npos);

    SUBCASE("edit: one byte of a rating")
    {
      std::string edited = line_of(text, 9);
      const auto at = edited.find(R"("rating":"P")");
      REQUIRE(at != std::string::npos);
      edited[at + 10] = 'U';
      spit(p, with_line_replaced(text, 9, edited));
      CHECK(read_error(p) == p + ":9" + chain +
                                 "this line was edited, or the line before it removed (its MAC does not match its "
                                 "content and the line before it; the next line follows it in the chain)");
    }
    SUBCASE("insert: a copy of line 9 (the rating) as line 20")
    {
      spit(p, with_inserted(text, 20, line_of(text, 9)));
      CHECK(read_error(p) == p + ":20" + chain + "this line is a copy of line 9 (a line was inserted)");
    }
    SUBCASE("insert: a forged line with a made-up MAC in the middle")
    {
      spit(p, with_inserted(text, 20,
                            R"({"mark":{"time":400,"seq":12,"index":6},"mac":")" + std::string(32, 'a') + "\"}"));
      CHECK(read_error(p) ==
            p + ":20" + chain + "line 20 was inserted (its MAC does not verify; line 21 follows line 19 in the chain)");
    }
    SUBCASE("delete: a record in the middle")
    {
      // line 3 is record 1, line 4 record 2
      REQUIRE(line_of(text, 3).rfind("{\"seq\":1,", 0) == 0);
      spit(p, without_line(text, 3));
      CHECK(read_error(p) ==
            p + ":3" + chain + "a line before it was removed (record 1 is missing; the chain goes on from this line)");
    }
    SUBCASE("delete: a command in the middle")
    {
      // line 6 is command 2 (lines 6-8: command 2 and its records), line 9 command 3
      REQUIRE(line_of(text, 6).rfind("{\"index\":2,", 0) == 0);
      spit(p, without_line(text, 6));
      // its records follow the mark of line 5 in the file, but were chained after the command; command 3 follows
      CHECK(read_error(p) == p + ":6" + chain +
                                 "a line before it was removed (command 2 is missing; the chain goes on from this "
                                 "line)");
    }
    SUBCASE("delete: a mark (no number tells it missing)")
    {
      REQUIRE(line_of(text, 5).rfind("{\"mark\":", 0) == 0);
      spit(p, without_line(text, 5));
      CHECK(read_error(p) == p + ":5" + chain +
                                 "this line was edited, or the line before it removed (its MAC does not match its "
                                 "content and the line before it; the next line follows it in the chain)");
    }
    SUBCASE("reorder: two records swapped")
    {
      spit(p, with_line_replaced(with_line_replaced(text, 3, line_of(text, 4)), 4, line_of(text, 3)));
      CHECK(read_error(p) == p + ":3" + chain +
                                 "this line was written after line 4, not after line 2 (lines were "
                                 "reordered)");
    }
    SUBCASE("reorder: a rating moved later")
    {
      spit(p, with_inserted(without_line(text, 9), 30, line_of(text, 9)));
      // line 9 is now the rating's first record, which was written after the rating, now line 30
      CHECK(read_error(p) == p + ":9" + chain +
                                 "this line was written after line 30, not after line 8 (lines were "
                                 "reordered)");
    }
    SUBCASE("without a MAC: a line as format 2 writes it")
    {
      spit(p, with_inserted(text, 20, R"({"mark":{"time":400,"seq":12,"index":6}})"));
      CHECK(read_error(p) == p + ":20: (/mac) expected \"mac\" as the line's last key (32 hex digits): the line was "
                                 "not written by the journal's writer");
    }
    SUBCASE("the header edited: another seed")
    {
      std::string h = line_of(text, 1);
      h.replace(h.find("\"seed\":42"), 9, "\"seed\":43");
      spit(p, with_line_replaced(text, 1, h));
      CHECK(read_error(p) == p + ":1: the header's MAC does not verify with " + p +
                                 ".key: the header was edited, or the key file is another journal's");
    }
    SUBCASE("the key of another journal")
    {
      const std::string other = closed_drill(temp_dir());
      spit(journal_key_path(p), slurp(journal_key_path(other)));
      CHECK(read_error(p) == p + ":1: the header's MAC does not verify with " + p +
                                 ".key: the header was edited, or the key file is another journal's");
    }
    SUBCASE("the commit file edited, or another journal's")
    {
      std::string commit = slurp(journal_commit_path(p));
      commit.replace(commit.find("\"lines\":42"), 10, "\"lines\":40");
      spit(journal_commit_path(p), commit);
      CHECK(read_error(p) == p + ".commit: the commit record's MAC does not verify with " + p +
                                 ".key: the commit file was edited, or is another journal's");
      spit(journal_commit_path(p), "{\"bytes\":1}\n");
      CHECK(read_error(p) == p + ".commit: expected a commit record {\"bytes\":B,\"lines\":L,\"index\":K,\"seq\":N,"
                                 "\"mac\":M,\"hmac\":H}: the file is damaged, or is not a commit file");
    }
    SUBCASE("a format 4 journal passed off as format 2 (MACs stripped, header changed)")
    {
      std::string h = line_of(without_macs(text), 1);
      h.replace(h.find("\"cyberex_journal\":4"), 19, "\"cyberex_journal\":2");
      spit(p, with_line_replaced(without_macs(text), 1, h));
      CHECK(read_error(p) == p + ":1: (/cyberex_journal) format 2 has no MACs, but the key file " + p +
                                 ".key exists: the header was changed to hide the integrity chain (if an older cyberex "
                                 "did write this journal, move the key file aside)");
    }
  }

  TEST_CASE("forged lines appended after a crash: a made-up MAC, a MAC copied from another line")
  {
    const std::string dir = temp_dir();
    const std::string p = crashed_drill(dir, 12);
    const std::string text = slurp(p);
    REQUIRE(read_error(p) == "(read)");
    const std::string forged =
        R"({"index":13,"time":900,"role":"evaluator","command":{"id":"v13","type":"rate","team":"cert-gov",)"
        R"("objective":"obj-share","critical_task":"ct-share","rating":"S"},"mac":")";
    spit(p, text + forged + "0123456789abcdef0123456789abcdef\"}\n");
    CHECK(read_error(p) == p + ":42" + chain +
                               "line 42, the last line, does not verify with the journal's key: a forged line (or "
                               "edited) after line 41, past the last durable point (line 41)");
    // two of them, and a record
    spit(p, text + forged + "0123456789abcdef0123456789abcdef\"}\n" +
                with_mac_text(R"({"seq":25,"time":900.0,"kind":"exercise","type":"rating","subject":"team:cert-gov",)"
                              R"("details":{},"audience":"control"})",
                              std::string(32, 'f')));
    CHECK(read_error(p) == p + ":42" + chain +
                               "lines 42-43, the last lines, do not verify with the journal's key: forged lines (or "
                               "edited) after line 41, past the last durable point (line 41)");
    // the MAC of line 9 (a genuine rating) on a forged one
    const std::string l9 = line_of(text, 9);
    spit(p, text + forged + l9.substr(l9.size() - 34, 32) + "\"}\n");
    CHECK(read_error(p) ==
          p + ":42" + chain + "this line carries the MAC of line 9 with other content (a forged line)");
    // a genuine line appended again
    spit(p, text + l9 + "\n");
    CHECK(read_error(p) == p + ":42" + chain + "this line is a copy of line 9 (a line was inserted)");
  }

  TEST_CASE("cuts: at a line boundary or inside durable lines, an error that says what was lost")
  {
    const std::string dir = temp_dir();
    const std::string p = closed_drill(dir);
    const std::string text = slurp(p);
    const auto starts = line_starts(text);
    // the last 3 complete lines: records 23 and 24 (round 12's, after its command on line 39) and the end line
    REQUIRE(line_of(text, 40).rfind("{\"seq\":23,", 0) == 0);
    spit(p, text.substr(0, starts[39]));
    CHECK(read_error(p) == p + ": cut after line 39: the commit file says 42 lines (" + thousands(text.size()) +
                               " bytes) were made durable; lines 40-42 are lost: 2 records (seq 23-24)");
    // 12 lines lost: 3 commands, 7 records and a mark
    spit(p, text.substr(0, starts[30]));
    CHECK(read_error(p) ==
          p + ": cut after line 30: the commit file says 42 lines (" + thousands(text.size()) +
              " bytes) were made durable; lines 31-42 are lost: 3 commands (index 10-12) and 7 records "
              "(seq 18-24)");
    // only the end line: nothing numbered
    spit(p, text.substr(0, starts[41]));
    CHECK(read_error(p) == p + ": cut after line 41: the commit file says 42 lines (" + thousands(text.size()) +
                               " bytes) were made durable; line 42 is lost (no command or record: marks or the end "
                               "line)");
    // inside a durable line
    spit(p, text.substr(0, starts[37] + 20));
    CHECK(read_error(p) == p + ": cut inside line 38: the commit file says 42 lines (" + thousands(text.size()) +
                               " bytes) were made durable; lines 38-42 are lost: 1 command (index 12) and 3 records "
                               "(seq 22-24)");
  }

  TEST_CASE("a torn last line after the last durable point: a warning that says so, the rest reads")
  {
    const std::string dir = temp_dir();
    // synced after round 10: lines 32-34 are its command and records, line 35 its mark
    const std::string p = crashed_drill(dir, 10);
    const std::string text = slurp(p);
    auto c = read_journal(p);
    REQUIRE(c);
    REQUIRE(c->commit);
    const std::size_t durable = c->commit->lines;
    CHECK(c->commit->index == 10);
    CHECK(c->commit->seq == 20);
    CHECK(durable == 35);
    const auto starts = line_starts(text);
    for (std::size_t offset = starts[durable] + 1; offset < text.size(); ++offset) {
      spit(p, text.substr(0, offset));
      const auto torn_line =
          static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
      std::string error;
      c = read_journal(p, &error);
      INFO("offset ", offset, ": ", error);
      REQUIRE(c);
      if (starts[torn_line - 1] == offset) {
        CHECK(c->warnings.empty());
      } else {
        REQUIRE(c->warnings.size() == 1);
        CHECK(c->warnings[0] == torn_warning(p, torn_line, durable, 10, 20));
      }
    }
    // at the durable point itself: nothing lost, nothing to say
    spit(p, text.substr(0, starts[durable]));
    c = read_journal(p);
    REQUIRE(c);
    CHECK(c->warnings.empty());
    CHECK(c->commands.size() == 10);
    // one byte less: a cut inside durable line 35
    spit(p, text.substr(0, starts[durable] - 1));
    CHECK(read_error(p) == p + ": cut inside line 35: the commit file says 35 lines (" + thousands(starts[durable]) +
                               " bytes) were made durable; line 35 is lost (no command or record: marks or the end "
                               "line)");
    // and inside its record 20
    spit(p, text.substr(0, starts[durable - 1] - 1));
    CHECK(read_error(p) == p + ": cut inside line 34: the commit file says 35 lines (" + thousands(starts[durable]) +
                               " bytes) were made durable; lines 34-35 are lost: 1 record (seq 20)");
    // nothing was durable yet (a writer that never synced): the torn line is said so
    const std::string q = dir + "/fresh.journal";
    {
      JournalWriter w;
      REQUIRE(w.create(q, test_header()));
      write_drill(w);
      spit(dir + "/fresh.copy", slurp(q));
      spit(journal_commit_path(dir + "/fresh.copy"), slurp(journal_commit_path(q)));
      spit(journal_key_path(dir + "/fresh.copy"), slurp(journal_key_path(q)));
    }
    const std::string copy = dir + "/fresh.copy";
    spit(copy, slurp(copy).substr(0, slurp(copy).size() - 5));
    c = read_journal(copy);
    REQUIRE(c);
    REQUIRE(c->warnings.size() == 1);
    CHECK(c->warnings[0] == copy + ":41: dropped a torn last line (no newline: the writer stopped while writing it); "
                                   "nothing of the journal had been made durable yet: no reply or record that depended "
                                   "on it was sent");
  }

  TEST_CASE("without the key or the commit file: warnings, and the journal reads; --key names the key file")
  {
    const std::string dir = temp_dir();
    const std::string p = closed_drill(dir);
    const std::string key = dir + "/kept-with-the-tokens.key";
    REQUIRE(std::rename(journal_key_path(p).c_str(), key.c_str()) == 0);
    std::string error;
    auto c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->integrity == JournalIntegrity::no_key);
    CHECK(c->warnings == std::vector<std::string>{p + ": cannot check integrity: key file " + p +
                                                  ".key not found (copy it with the "
                                                  "journal)"});
    // an edit is not seen without the key
    const std::string text = slurp(p);
    std::string edited = line_of(text, 9);
    edited[edited.find(R"("rating":"P")") + 10] = 'U';
    spit(p, with_line_replaced(text, 9, edited));
    CHECK(read_error(p) == "(read)");
    // with the key named
    JournalReadOptions o;
    o.key = key;
    CHECK(read_error(p, o) == p + ":9" + chain +
                                  "this line was edited, or the line before it removed (its MAC does not match its "
                                  "content and the line before it; the next line follows it in the chain)");
    spit(p, text);
    c = read_journal(p, &error, o);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->integrity == JournalIntegrity::verified);
    CHECK(c->warnings.empty());
    Timeline tl;
    TimelineOptions topts;
    topts.read = o;
    REQUIRE_MESSAGE(tl.open(p, &error, topts), error);
    CHECK_MESSAGE(tl.warnings().empty(), Json(tl.warnings()).dump());
    REQUIRE(tl.open(p, &error));
    CHECK_MESSAGE(tl.warnings().size() == 1, Json(tl.warnings()).dump());
    // without the commit file: a cut at a line boundary cannot be seen
    std::remove(journal_commit_path(p).c_str());
    spit(p, text.substr(0, line_starts(text)[39]));
    c = read_journal(p, &error, o);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings == std::vector<std::string>{p + ": cannot check for lost lines: commit file " + p +
                                                  ".commit not found (copy it with the journal)"});
    // a key file that is not a key
    spit(key, "not a key\n");
    CHECK(read_error(p, o) == key + ": expected 64 hex digits: the key of " + p);
  }

  TEST_CASE("the journal, its key and its commit file are created 0600, whatever the umask and an older file's mode")
  {
    const std::string dir = temp_dir();
    const std::string p = dir + "/drill.journal";
    spit(p, "an older journal\n");
    REQUIRE(::chmod(p.c_str(), 0644) == 0);
    spit(journal_key_path(p), "old\n");
    REQUIRE(::chmod(journal_key_path(p).c_str(), 0666) == 0);
    const mode_t old = ::umask(0);
    JournalWriter w;
    const bool created = w.create(p, test_header());
    ::umask(old);
    REQUIRE(created);
    CHECK(mode_of(p) == 0600);
    CHECK(mode_of(journal_key_path(p)) == 0600);
    CHECK(mode_of(journal_commit_path(p)) == 0600);
    write_drill(w);
    w.close();
    CHECK(mode_of(p) == 0600);
    // reopened: a journal left world-readable by an older cyberex is made private
    REQUIRE(::chmod(p.c_str(), 0644) == 0);
    auto c = read_journal(p);
    REQUIRE(c);
    REQUIRE(w.reopen(p, c->end_offset));
    CHECK(mode_of(p) == 0600);
  }

  TEST_CASE("reopen: the chain goes on after the kept lines, the commit file follows")
  {
    const std::string dir = temp_dir();
    const std::string p = closed_drill(dir);
    auto c = read_journal(p);
    REQUIRE(c);
    REQUIRE(c->end);
    JournalWriter w;
    // the end line is cut (a restarted server); the commit file says the kept lines at once
    REQUIRE(w.reopen(p, c->end_offset));
    auto kept = read_journal(p);
    REQUIRE(kept);
    CHECK(kept->warnings.empty());
    CHECK(!kept->end);
    REQUIRE(kept->commit);
    CHECK(kept->commit->lines == drill_lines);
    CHECK(kept->commit->index == 12);
    CHECK(kept->commit->seq == 24);
    REQUIRE(w.command(JournalCommand{13, 900, {Role::evaluator, ""}, R"({"id":"o","type":"observe","text":"late"})"}));
    REQUIRE(w.record(record_at(25, 900, "observation")));
    REQUIRE(w.sync());
    REQUIRE(w.end(JournalEnd{900, 25, 13, "ended"}));
    w.close();
    std::string error;
    c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings.empty());
    CHECK(c->integrity == JournalIntegrity::verified);
    CHECK(c->commands.size() == 13);
    CHECK(c->commit->lines == drill_lines + 3);
    // one writer at a time: a second one (another server started on the same journal) is refused, and touches
    // nothing, not even the commit file
    {
      JournalWriter first;
      REQUIRE(first.reopen(p, c->end_offset));
      const std::string commit = slurp(journal_commit_path(p));
      JournalWriter second;
      CHECK(!second.reopen(p, c->end_offset));
      CHECK(second.error() == p + ": cannot open the journal for appending: another process is writing it");
      CHECK(slurp(journal_commit_path(p)) == commit);
    }
    // a format 3 journal is not continued without its key
    std::remove(journal_key_path(p).c_str());
    CHECK(!w.reopen(p, c->end_offset));
    CHECK(w.error() == p + ": cannot append to the journal: its key file " + p +
                           ".key is missing (a journal is continued with the key it was started with)");
  }

  TEST_CASE("format 2: written without MACs, read with a warning; reopened, it stays format 2")
  {
    const std::string dir = temp_dir();
    const std::string p = dir + "/old.journal";
    {
      JournalWriter w;
      REQUIRE(w.create(p, test_header(2)));
      write_drill(w);
    }
    CHECK(slurp(p).find("\"mac\"") == std::string::npos);
    CHECK(!file_exists_test(journal_key_path(p)));
    CHECK(!file_exists_test(journal_commit_path(p)));
    std::string error;
    auto c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->header.format == 2);
    CHECK(c->integrity == JournalIntegrity::none);
    CHECK(c->warnings ==
          std::vector<std::string>{p + ": cannot check integrity: journal format 2 has no MACs (written by an older "
                                       "cyberex): an edited, inserted, removed or reordered line, or a cut at a line "
                                       "boundary, cannot be detected"});
    CHECK(c->commands.size() == 12);
    JournalWriter w;
    REQUIRE(w.reopen(p, c->end_offset));
    REQUIRE(w.mark(JournalMark{800, 24, 12}));
    w.close();
    c = read_journal(p, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->marks == 5);
    CHECK(slurp(p).find("\"mac\"") == std::string::npos);
    // the shipped format 2 fixture of the GUI tests reads
    c = read_journal("tests/gui/data/tutorial-journal.jsonl", &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings.size() == 1);
  }
}
