/* Issue 13, items 7 and 10, through the CLI (each run a child process: one SimGrid engine per process).
 *
 * play-responses: one path for team responses. `run --play`, `batch --play` and `play --play` play a response file
 * through the exercise session, so a response one of them refuses (an indicator the team never received, another
 * team's asset, a time after the end) is refused by all three with the same message, and never applied; when all are
 * accepted, the KPIs are the same.
 * journal-fingerprint: the journal's header fingerprints every file the scenario was read from; editing an included
 * file after a play makes the readers that re-run the exercise (whatif, replay --verify) refuse and those that fold
 * its records (report, replay --at) warn, naming the file; journals of format 3 still read.
 *
 * Fixture: tests/scenario/responses/drill.json, the small flood of tests/scenario/flood (figures derived in
 * state_fold_test.cpp) with a second team, health-csirt, that owns only H (a server on r that no flow crosses), and
 * its MSEL in an included file, msel.json. Its one inject (5m, to bank-cert only) names 198.51.100.0/24, the value
 * of ioc-bots: bank-cert knows ioc-bots from 5m on, health-csirt never does. */
#include "cyberex/journal.hpp"
#include "journal_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cinttypes>
#include <cstdio>
#include <string>

using namespace cyberex;
using Json = nlohmann::json;
using journal_test::Output;
using journal_test::run_cli;
using journal_test::slurp;
using journal_test::spit;
using journal_test::temp_dir;

namespace {

const std::string fixture = "tests/scenario/responses/";
const std::string drill = fixture + "drill.json";
const std::string refused = fixture + "refused.json";
const std::string accepted = fixture + "accepted.json";

// Availability of "web" over the 1,139.968 s its probes measure (state_fold_test.cpp): degraded 599.2 s without a
// block, 179.2 s with bank-cert's block at 6m10s (effective 7m10s); degraded counts half.
const double measured = 1200 - 60.032;
const double no_block = 1 - 599.2 / 2 / measured;   // 0.737182...
const double with_block = 1 - 179.2 / 2 / measured; // 0.921400...

/// The three responses of refused.json, in time order (ids play-1, play-2, play-3), as `cyberex play` reports them:
/// "FILE: response at HhMMmSSs (TEAM ACTION): rejected: " and the session's reply.
std::vector<std::string> refusals(const std::string& file)
{
  return {
      // health-csirt received no inject, alert or message naming ioc-bots
      file + ": response at 0h05m30s (health-csirt block): rejected: {\"id\":\"play-1\",\"ok\":false,\"error\":{"
             "\"code\":\"unknown-indicator\",\"message\":\"(/indicator) indicator \\\"ioc-bots\\\" is unknown to your "
             "team: it was in none of your alerts, injects or messages\"}}",
      // S is bank-cert's
      file + ": response at 0h06m00s (health-csirt isolate): rejected: {\"id\":\"play-2\",\"ok\":false,\"error\":{"
             "\"code\":\"not-owner\",\"message\":\"(/target) \\\"node:S\\\" is not an asset of team "
             "\\\"health-csirt\\\": a player team acts on its own nodes\"}}",
      // 25m is after the end of a 20-minute exercise
      file + ": response at 0h25m00s (bank-cert block): rejected: {\"id\":\"play-3\",\"ok\":false,\"error\":{"
             "\"code\":\"bad-state\",\"message\":\"the exercise has ended\"}}",
  };
}

std::string lines(const std::vector<std::string>& v)
{
  std::string out;
  for (const auto& l : v)
    out += l + "\n";
  return out;
}

double web_availability(const Json& kpis)
{
  REQUIRE(kpis.is_object());
  REQUIRE(kpis["services"].size() == 1);
  return kpis["services"][0]["availability"].get<double>();
}

/// FNV-1a 64 written out here, apart from the library's: what the header must say of a file's bytes.
std::string fnv1a64(const std::string& bytes)
{
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[32];
  std::snprintf(out, sizeof out, "fnv1a64:%016" PRIx64, h);
  return out;
}

/// A copy of the fixture in a new directory (the tests edit it); returns the directory.
std::string copy_fixture()
{
  const std::string dir = temp_dir();
  for (const char* f : {"drill.json", "msel.json", "accepted.json"})
    spit(dir + "/" + f, slurp(fixture + f));
  return dir;
}

} // namespace

TEST_SUITE("play-responses")
{
  TEST_CASE("a response play refuses is refused by run --play and batch --play, with the same message, and not applied")
  {
    const std::vector<std::string> expected = refusals(refused);

    const Output play = run_cli("play " + drill + " --play " + refused + " --journal " + temp_dir() +
                                "/refused.journal --json --quiet");
    CHECK(play.status == 2);
    CHECK(play.err == lines(expected));
    const Json played = Json::parse(play.out);
    CHECK(played["rejected"] == 3);

    const Output run = run_cli("run " + drill + " --play " + refused + " --json --quiet");
    CHECK(run.status == 2);
    CHECK(run.err == lines(expected));
    const Json ran = Json::parse(run.out);
    // nothing applied: the flood runs its ten minutes unblocked and S stays connected
    CHECK(web_availability(ran) == doctest::Approx(no_block).epsilon(1e-6));
    CHECK(ran["services"][0]["degraded"].get<double>() == doctest::Approx(599.2));
    CHECK(ran["services"][0]["unavailable"].get<double>() == 0);
    CHECK(ran == played["kpis"]);

    const Output batch = run_cli("batch " + drill + " --runs 2 --jobs 1 --play " + refused + " --json --quiet");
    CHECK(batch.status == 2);
    std::string batch_err;
    for (const auto& e : expected)
      batch_err += e + "\ncyberex batch: refused in 2 of 2 runs (seeds 1..2)\n";
    CHECK(batch.err == batch_err);
    const Json b = Json::parse(batch.out);
    REQUIRE(b["per_run"].size() == 2);
    for (const auto& r : b["per_run"]) {
      CHECK(r["status"] == "ok");
      CHECK(r["rejected"] == Json(expected));
      CHECK(web_availability(r["kpis"]) == doctest::Approx(no_block).epsilon(1e-6));
    }
  }

  TEST_CASE("responses that are all accepted: run --play, batch --play and play give the same KPIs")
  {
    const Output play = run_cli("play " + drill + " --play " + accepted + " --journal " + temp_dir() +
                                "/accepted.journal --json --quiet");
    REQUIRE_MESSAGE(play.status == 0, play.err);
    CHECK(play.err.empty());
    const Json played = Json::parse(play.out);
    CHECK(played["rejected"] == 0);

    const Output run = run_cli("run " + drill + " --play " + accepted + " --json --quiet");
    REQUIRE_MESSAGE(run.status == 0, run.err);
    CHECK(run.err.empty());
    const Json ran = Json::parse(run.out);
    // bank-cert's block: degraded from the probe at 300.832 s to the one at 480.032 s; H's isolation changes nothing
    CHECK(web_availability(ran) == doctest::Approx(with_block).epsilon(1e-6));
    CHECK(ran["services"][0]["degraded"].get<double>() == doctest::Approx(179.2));
    CHECK(ran == played["kpis"]);

    const Output batch = run_cli("batch " + drill + " --runs 1 --jobs 1 --play " + accepted + " --json --quiet");
    REQUIRE_MESSAGE(batch.status == 0, batch.err);
    CHECK(batch.err.empty());
    const Json b = Json::parse(batch.out);
    REQUIRE(b["per_run"].size() == 1);
    CHECK(b["per_run"][0]["kpis"] == ran);
    CHECK_FALSE(b["per_run"][0].contains("rejected"));
  }

  TEST_CASE("--until after the end of the exercise with --play is a usage error")
  {
    const Output run = run_cli("run " + drill + " --play " + accepted + " --until 30m --quiet");
    CHECK(run.status == 1);
    CHECK(run.err == "cyberex run: --until 0h30m00s is after the end of the exercise (0h20m00s): with --play the "
                     "responses are played in the exercise, which ends there; drop --until or give a time up to the "
                     "end\n");
    // without responses the world alone may run past the end, as before
    CHECK(run_cli("run " + drill + " --until 30m --quiet --json").status == 0);
  }
}

TEST_SUITE("journal-fingerprint")
{
  TEST_CASE("editing an included file after a play: whatif and replay --verify refuse, report and replay --at warn")
  {
    const std::string dir = copy_fixture();
    const std::string j = dir + "/drill.journal";
    const std::string msel = dir + "/msel.json";
    const std::string original = slurp(msel);
    const Output play =
        run_cli("play " + dir + "/drill.json --play " + dir + "/accepted.json --journal " + j + " --quiet");
    REQUIRE_MESSAGE(play.status == 0, play.err);

    // the header lists both files, paths relative to the main file's directory, with the hash of their bytes
    std::string header = slurp(j);
    header = header.substr(0, header.find('\n'));
    const Json h = Json::parse(header);
    CHECK(h["cyberex_journal"] == 4);
    CHECK(h["files"] == Json::parse("[{\"path\":\"drill.json\",\"hash\":\"" + fnv1a64(slurp(dir + "/drill.json")) +
                                    "\"},{\"path\":\"msel.json\",\"hash\":\"" + fnv1a64(original) + "\"}]"));
    CHECK(h["scenario_hash"] == h["files"][0]["hash"]);

    const std::string whatif =
        "whatif " + j +
        " --at 10m --command '{\"as\":\"player:bank-cert\",\"command\":{\"type\":\"sitrep\",\"text\":"
        "\"x\"}}'";
    // the files as played: no warning anywhere
    CHECK(run_cli("report " + j + " --format md -o " + dir + "/aar.md").err.empty());
    const Output same = run_cli("replay " + j + " --verify");
    CHECK(same.status == 0);
    CHECK(same.err.empty());
    CHECK(run_cli(whatif).status == 0);

    // the MSEL fragment edited after the play: the inject's title
    std::string edited = original;
    edited.replace(edited.find("Online banking slow"), 19, "Online banking down");
    spit(msel, edited);
    const std::string changed = msel + ": changed since the journal was played: its hash is " + fnv1a64(edited) +
                                ", the journal's is " + fnv1a64(original);

    const Output report = run_cli("report " + j + " --format json -o " + dir + "/aar.json");
    CHECK(report.status == 0);
    CHECK(report.err == "cyberex report: warning: " + changed + "\n");
    const Json aar = Json::parse(slurp(dir + "/aar.json"));
    CHECK(aar["overview"]["scenario_hash_matches"] == false);
    CHECK(aar["overview"]["scenario_changes"] == Json::array({changed}));

    const Output w = run_cli(whatif);
    CHECK(w.status == 2);
    CHECK(w.out.empty());
    CHECK(w.err == "cyberex whatif: " + changed + "\n  a what-if re-runs the exercise, so the scenario's files must " +
                       "be those " + j + " was played on: restore them, or play the changed scenario again\n");

    const Output verify = run_cli("replay " + j + " --verify");
    CHECK(verify.status == 2);
    CHECK(verify.err == "cyberex replay: " + changed + "\ncyberex replay: " + j +
                            " was played on other files: restore them, or play the changed scenario again\n");

    const Output at = run_cli("replay " + j + " --at 10m --json");
    CHECK(at.status == 0);
    CHECK(at.err == "warning: " + changed + "\n");

    // an include added to the main file: the main file changed, and a file is read that the play did not read
    spit(msel, original);
    const std::string main_text = slurp(dir + "/drill.json");
    std::string more = main_text;
    more.replace(more.find("[\"msel.json\"]"), 13, "[\"msel.json\", \"extra.json\"]");
    spit(dir + "/drill.json", more);
    spit(dir + "/extra.json",
         "{\"indicators\": [{\"id\": \"ioc-extra\", \"type\": \"ip\", \"value\": \"192.0.2.1\"}]}");
    const Output added = run_cli("replay " + j + " --verify");
    CHECK(added.status == 2);
    CHECK(added.err == "cyberex replay: " + dir + "/drill.json: changed since the journal was played: its hash is " +
                           fnv1a64(more) + ", the journal's is " + fnv1a64(main_text) + "\ncyberex replay: " + dir +
                           "/extra.json: read by the scenario now, not when the journal was played\ncyberex replay: " +
                           j + " was played on other files: restore them, or play the changed scenario again\n");

    // an include dropped: the MSEL no longer comes from msel.json
    std::string fewer = main_text;
    fewer.replace(fewer.find("\"include\": [\"msel.json\"],"), 25, "");
    spit(dir + "/drill.json", fewer);
    const Output dropped = run_cli("report " + j + " --format md -o " + dir + "/aar.md");
    CHECK(dropped.status == 0);
    CHECK(dropped.err == "cyberex report: warning: " + dir + "/drill.json: changed since the journal was played: its " +
                             "hash is " + fnv1a64(fewer) + ", the journal's is " + fnv1a64(main_text) +
                             "\ncyberex report: warning: " + msel +
                             ": the journal was played with this file; the scenario no longer reads it\n");

    // restored: nothing to say again
    spit(dir + "/drill.json", main_text);
    const Output restored = run_cli("replay " + j + " --verify");
    CHECK(restored.status == 0);
    CHECK(restored.err.empty());
  }

  TEST_CASE("a format 3 journal (the main file fingerprinted only) still reads, with a warning for the includes")
  {
    const std::string dir = copy_fixture();
    const std::string j = dir + "/drill.journal";
    REQUIRE(
        run_cli("play " + dir + "/drill.json --play " + dir + "/accepted.json --journal " + j + " --quiet").status ==
        0);
    // the same exercise written as cyberex wrote it before format 4: no "files", MACs with its own key
    std::string error;
    const auto c = read_journal(j, &error);
    REQUIRE_MESSAGE(c, error);
    const std::string old = dir + "/old.journal";
    JournalHeader h3 = c->header;
    h3.format = 3;
    h3.files.clear();
    JournalWriter w;
    REQUIRE_MESSAGE(w.create(old, h3), w.error());
    std::size_t next = 0;
    for (std::size_t r = 0; r <= c->records.size(); ++r) {
      while (next < c->commands.size() && c->records_before_command[next] == r)
        REQUIRE(w.command(c->commands[next++]));
      if (r < c->records.size())
        REQUIRE(w.record(c->records[r]));
    }
    REQUIRE(w.end(*c->end));
    w.close();
    CHECK(slurp(old).rfind("{\"cyberex_journal\":3,\"scenario\":", 0) == 0);
    CHECK(slurp(old).find("\"files\"") == std::string::npos);

    const std::string unchecked =
        "journal format 3 fingerprints the main scenario file only: a change to " + dir + "/msel.json is not detected";
    const Output verify = run_cli("replay " + old + " --verify");
    CHECK(verify.status == 0);
    CHECK(verify.err == "warning: " + old + ": " + unchecked + "\n");
    const Output report = run_cli("report " + old + " --format md -o " + dir + "/aar.md");
    CHECK(report.status == 0);
    CHECK(report.err == "cyberex report: warning: " + old + ": " + unchecked + "\n");
    // its main file is still checked
    const std::string main_text = slurp(dir + "/drill.json");
    spit(dir + "/drill.json", main_text + "\n");
    const Output changed = run_cli("replay " + old + " --at 10m --json");
    CHECK(changed.status == 0);
    CHECK(changed.err == "warning: " + dir + "/drill.json: changed since the journal was played: its hash is " +
                             fnv1a64(main_text + "\n") + ", the journal's is " + fnv1a64(main_text) +
                             "\nwarning: " + old + ": " + unchecked + "\n");
  }
}
