/* Issue 14, part B: conditional responses in a --play file ("when" a trigger fires, act "after" a delay), through the
 * CLI (each run a child process: one SimGrid engine per process).
 *
 * Fixture: tests/scenario/triggers/ (figures derived in exercise_triggers_test.cpp): unit g1 trips at 2400 s; the
 * substation (250 MW) is then shed, since g2 delivers 80 MW. Manual operations take 15 min and keep 50 % of a unit
 * (the default actions); a tripped unit in manual operations restarts after its hot start of 1 h.
 *   conditional.json: when g1 trips, grid-op goes to manual operations 15 min later: issued at 2400 + 900 = 3300 s.
 *   stopped-conditional.json: it-team isolates ws at 1m (effective at 6m = 360 s, before the phish ends at 600 s:
 *     the phish is interrupted and the campaign never reaches the plant), plus the conditional response: never issued.
 *   stopped-fixed.json: the same isolation and manual operations at a fixed 55m: g1 kept at 100 MW from 3300 + 900 =
 *     4200 s, 100 + 100 = 200 < 250 MW: the substation is shed from 4200 s to the end (7200 s), 250 MW x 3000 s =
 *     208.333 MWh, though the attack was stopped (the field complaint). */
#include "journal_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using Json = nlohmann::json;
using journal_test::Output;
using journal_test::run_cli;
using journal_test::slurp;
using journal_test::temp_dir;

namespace {

const std::string dir = "tests/scenario/triggers/";
const std::string scenario = dir + "triggers.json";
const std::string conditional = dir + "conditional.json";
const std::string not_triggered_line = dir + "stopped-conditional.json: response /responses/1 (grid-op "
                                             "manual_operations, 0h15m00s after its trigger): not triggered\n";

/// The journal's command lines (those with "command"), parsed.
std::vector<Json> commands_of(const std::string& journal)
{
  std::vector<Json> out;
  std::istringstream in(slurp(journal));
  std::string line;
  while (std::getline(in, line)) {
    const Json j = Json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("command"))
      out.push_back(j);
  }
  return out;
}

/// The first record of `type` (and of `subject` when given) in the journal.
Json record_of(const std::string& journal, const std::string& type, const std::string& subject = "")
{
  std::istringstream in(slurp(journal));
  std::string line;
  while (std::getline(in, line)) {
    const Json j = Json::parse(line, nullptr, false);
    const Json& r = j.is_object() && j.contains("record") ? j["record"] : j;
    if (r.is_object() && r.value("type", "") == type && (subject.empty() || r.value("subject", "") == subject))
      return r;
  }
  return Json();
}

} // namespace

TEST_SUITE("play-conditional")
{
  TEST_CASE("when g1 trips, manual operations 15 min later: issued at 3300 s, journaled as a command, verified")
  {
    const std::string d = temp_dir();
    const Output play =
        run_cli("play " + scenario + " --play " + conditional + " --journal " + d + "/a.journal --json --quiet");
    REQUIRE_MESSAGE(play.status == 0, play.err);
    CHECK(play.err.empty());
    const auto cmds = commands_of(d + "/a.journal");
    // the controller's start, then the conditional response
    REQUIRE(cmds.size() == 2);
    CHECK(cmds[1]["time"] == 3300);
    CHECK(cmds[1]["team"] == "grid-op");
    CHECK(cmds[1]["command"] ==
          Json::parse(R"({"id":"when-1","type":"action","action":"manual_operations","target":"node:g1"})"));
    const Json started = record_of(d + "/a.journal", "action_started", "team:grid-op");
    CHECK(started["time"] == 3300);
    CHECK(started["details"]["effective_at"] == 4200);

    // replay --verify re-runs the journal's commands and finds every record identical
    const Output verify = run_cli("replay " + d + "/a.journal --verify");
    CHECK_MESSAGE(verify.status == 0, (verify.out + verify.err));

    // the same seed and key twice: the same journal, byte for byte
    const Output again = run_cli("play " + scenario + " --play " + conditional + " --journal " + d +
                                 "/b.journal --key " + d + "/a.journal.key --quiet");
    REQUIRE_MESSAGE(again.status == 0, again.err);
    CHECK(slurp(d + "/a.journal") == slurp(d + "/b.journal"));

    // run --play and batch --play play it the same way: the same KPIs. The trip sheds 250 MW from 2400 s; g1, in
    // manual operations from 4200 s, restarts only after its 1 h hot start (7800 s, after the end): 250 MW x 4800 s
    const Json played = Json::parse(play.out);
    CHECK(played["kpis"]["power"]["mw_lost_max"] == 250);
    CHECK(played["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(250.0 * 4800 / 3600));
    const Output run = run_cli("run " + scenario + " --play " + conditional + " --json --quiet");
    REQUIRE_MESSAGE(run.status == 0, run.err);
    CHECK(Json::parse(run.out) == played["kpis"]);
    const Output batch = run_cli("batch " + scenario + " --runs 1 --jobs 1 --play " + conditional + " --json --quiet");
    REQUIRE_MESSAGE(batch.status == 0, batch.err);
    CHECK(Json::parse(batch.out)["per_run"][0]["kpis"] == played["kpis"]);
  }

  TEST_CASE("the attack stopped: the conditional response is not triggered and nothing is shed; a fixed one sheds")
  {
    const Output fixed = run_cli("run " + scenario + " --play " + dir + "stopped-fixed.json --json --quiet");
    REQUIRE_MESSAGE(fixed.status == 0, fixed.err);
    const Json f = Json::parse(fixed.out);
    CHECK(f["power"]["mw_lost_max"] == 250);
    CHECK(f["power"]["mwh_lost"].get<double>() == doctest::Approx(250.0 * 3000 / 3600)); // 208.333 MWh

    const std::string d = temp_dir();
    const Output play = run_cli("play " + scenario + " --play " + dir + "stopped-conditional.json --journal " + d +
                                "/c.journal --json --quiet");
    REQUIRE_MESSAGE(play.status == 0, play.err);
    CHECK(play.err == not_triggered_line);
    const Json p = Json::parse(play.out);
    CHECK(p["kpis"]["power"]["mw_lost_max"] == 0);
    CHECK(p["kpis"]["power"]["mwh_lost"] == 0);
    CHECK(p["not_issued"] == Json::array({not_triggered_line.substr(0, not_triggered_line.size() - 1)}));
    CHECK(commands_of(d + "/c.journal").size() == 2); // start and the isolation only

    const Output run = run_cli("run " + scenario + " --play " + dir + "stopped-conditional.json --json --quiet");
    REQUIRE_MESSAGE(run.status == 0, run.err);
    CHECK(run.err == not_triggered_line);
    CHECK(Json::parse(run.out) == p["kpis"]);
    const Output batch =
        run_cli("batch " + scenario + " --runs 2 --jobs 1 --play " + dir + "stopped-conditional.json --json --quiet");
    REQUIRE_MESSAGE(batch.status == 0, batch.err);
    CHECK(batch.err == not_triggered_line + "cyberex batch: in 2 of 2 runs (seeds 1..2)\n");
  }

  TEST_CASE("whatif --play decides the conditional responses again: isolating ws at 1m prevents the trip")
  {
    const std::string d = temp_dir();
    const Output play =
        run_cli("play " + scenario + " --play " + conditional + " --journal " + d + "/w.journal --quiet");
    REQUIRE_MESSAGE(play.status == 0, play.err);
    const std::string alt =
        R"('{"as":"player:it-team","command":{"type":"action","action":"isolate","target":"node:ws"}}')";
    // without --play the recorded manual operations (3300 s) are replayed as recorded: g1 untripped at 50 %, the
    // substation shed from 4200 s: 208.333 MWh
    const Output plain = run_cli("whatif " + d + "/w.journal --at 1m --command " + alt + " --json");
    REQUIRE_MESSAGE(plain.status == 0, plain.err);
    const Json a = Json::parse(plain.out);
    CHECK(a["original"]["mwh_lost"].get<double>() == doctest::Approx(250.0 * 4800 / 3600));
    CHECK(a["whatif"]["mwh_lost"].get<double>() == doctest::Approx(250.0 * 3000 / 3600));
    // with --play the response waits for its trigger, which never fires in the branch: nothing shed
    const Output redecided =
        run_cli("whatif " + d + "/w.journal --at 1m --command " + alt + " --play " + conditional + " --json");
    REQUIRE_MESSAGE(redecided.status == 0, redecided.err);
    const Json b = Json::parse(redecided.out);
    CHECK(b["whatif"]["mwh_lost"] == 0);
    CHECK(b["whatif"]["mw_lost_max"] == 0);
    CHECK(b["recorded_replaced"] == 1);
    CHECK(redecided.err == "cyberex whatif: warning: " + conditional +
                               ": response /responses/0 (grid-op manual_operations, 0h15m00s after its trigger): "
                               "not triggered (in the branch)\n");
  }

  TEST_CASE("a bad conditional response is refused with located errors, as the MSEL's triggers")
  {
    const std::string d = temp_dir();
    journal_test::spit(d + "/bad.json",
                       "{\"responses\": [\n"
                       "  {\"when\": {\"unit_tripped\": \"node:ws\"}, \"after\": \"15m\", \"team\": \"grid-op\", "
                       "\"action\": \"manual_operations\", \"target\": \"node:g1\"},\n"
                       "  {\"when\": {\"unit_tripped\": \"node:g1\"}, \"team\": \"grid-op\", \"action\": \"report\"},\n"
                       "  {\"at\": \"1m\", \"after\": \"1m\", \"team\": \"grid-op\", \"action\": \"report\"}\n"
                       "]}\n");
    const Output run = run_cli("run " + scenario + " --play " + d + "/bad.json --quiet");
    CHECK(run.status == 2);
    // columns: line 2 is '  {"when": {"unit_tripped": "node:ws"}, ...': the value "node:ws" starts at column 29;
    // line 3's object at column 3; line 4 is '  {"at": "1m", "after": "1m", ...': the "after" value at column 25
    CHECK(run.err == d +
                         "/bad.json:2:29: error: [scenario.never-fires] (/responses/0/when/unit_tripped) selector "
                         "'node:ws' matches no generation unit or substation; only those are tripped\n" +
                         d +
                         "/bad.json:3:3: error: [play.missing] (/responses/1) missing 'after' (a delay such as "
                         "\"15m\", at least 1s) for 'when'\n" +
                         d +
                         "/bad.json:4:25: error: [play.bad-time] (/responses/2/after) 'after' counts from a 'when' "
                         "trigger; this response has none\n");
  }
}
