/* One fold, one set of KPIs (issue 12): the KPIs and states that run, play, report, replay --at and a live session
 * give are the same figures, because they are the same fold (ExerciseState) of the same records.
 *
 * state-kpis: a flood small enough to derive every figure by hand (tests/scenario/flood/flood.json), and Cyber
 * Europe 2012 without and with its responses, through the CLI.
 * state-fold: every shipped scenario played headless in a child process (one SimGrid engine per process): the
 * fold of its journal at the end gives Simulation::kpis(), and each principal's live snapshot is what a Timeline of
 * the journal shows at the end. */
#include "cyberex/exercise_state.hpp"
#include "cyberex/journal.hpp"
#include "cyberex/record.hpp"
#include "cyberex/scenario.hpp"
#include "exercise_child.hpp"
#include "journal_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace cyberex;
using Json = nlohmann::json;
using journal_test::run_cli;
using journal_test::slurp;
using journal_test::temp_dir;

namespace {

struct Plays {
  std::map<std::string, double> play, run, report, replay; ///< service -> availability in %, 2 decimals as printed
  Json run_json, report_json, replay_json;
  std::string play_text;
};

double pct2(double fraction_or_pct, bool fraction)
{
  return std::round((fraction ? 100 * fraction_or_pct : fraction_or_pct) * 100) / 100;
}

/// Play SCENARIO (with RESPONSES when given) into DIR/NAME.journal, run it, report it and replay it at its end; the
/// per-service availability each of them gives.
Plays four_ways(const std::string& scenario, const std::string& responses, const std::string& dir,
                const std::string& name, const std::string& end)
{
  Plays p;
  const std::string journal = dir + "/" + name + ".journal";
  const std::string play_opt = responses.empty() ? "" : " --play " + responses;
  const auto played = run_cli("play " + scenario + play_opt + " --journal " + journal);
  REQUIRE_MESSAGE(played.status == 0, played.err);
  p.play_text = played.out;
  // the play's service table: "NAME   93.73%"
  const std::regex row(R"(^(\S+)\s+([0-9.]+)%$)");
  std::size_t from = played.out.find("\nservice ");
  REQUIRE(from != std::string::npos);
  std::istringstream lines(played.out.substr(from + 1));
  std::string line;
  std::getline(lines, line); // the header
  while (std::getline(lines, line) && !line.empty()) {
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_match(line, m, row), line);
    p.play[m[1]] = std::stod(m[2]);
  }
  const auto ran = run_cli("run " + scenario + play_opt + " --json --quiet");
  REQUIRE_MESSAGE(ran.status == 0, ran.err);
  p.run_json = Json::parse(ran.out);
  for (const auto& s : p.run_json["services"])
    p.run[s["id"]] = pct2(s["availability"].get<double>(), true);
  const auto reported = run_cli("report " + journal + " --format json -o " + dir + "/" + name + ".aar.json");
  REQUIRE_MESSAGE(reported.status == 0, reported.err);
  p.report_json = Json::parse(slurp(dir + "/" + name + ".aar.json"));
  for (const auto& s : p.report_json["kpis"]["services"])
    p.report[s["service"]] = pct2(s["availability_pct"].get<double>(), false);
  const auto replayed = run_cli("replay " + journal + " --at " + end + " --json");
  REQUIRE_MESSAGE(replayed.status == 0, replayed.err);
  p.replay_json = Json::parse(replayed.out);
  for (const auto& s : p.replay_json["truth"]["kpis"]["services"])
    p.replay[s["id"]] = pct2(s["availability"].get<double>(), true);
  return p;
}

const Json& team_of(const Json& scores_or_aar_teams, const std::string& team)
{
  for (const auto& t : scores_or_aar_teams)
    if (t.value("team", "") == team)
      return t;
  FAIL("no team " << team);
  static const Json none;
  return none;
}

} // namespace

TEST_SUITE("state-kpis")
{
  TEST_CASE("a small flood: availability by hand, the same in play, run, report and replay --at, with and without "
            "the block")
  {
    // tests/scenario/flood/flood.json: P --10 ms, 1 Gb/s-- r --2 ms, 100 Mb/s-- S, 99 bots of 1 Gb/s enter at r
    // from 4m30s to 14m30s. A probe from P every minute (1 kB request, 100 kB response, degraded above 500 ms):
    //   alone: 2 x 12 ms + 1 kB / 125 MB/s + 100 kB / 12.5 MB/s = 24 ms + 0.008 ms + 8 ms = 32.08 ms -> 0.032 s, up;
    //   flooded: each direction of r--S shared by 100 flows: 24 ms + 100 kB / (12.5 MB/s / 100) = 0.832 s, degraded.
    // Probes answer at 60.032 (up: measuring starts), 300.832 (degraded), then up again at
    //   no response: 900.032 (the flood ended at 870 s)  -> degraded 599.2 s
    //   block at 6m10s, effective 1 min later (430 s): 480.032 -> degraded 179.2 s
    // over the 1,200 - 60.032 = 1,139.968 s measured, degraded counting half:
    //   no response: 1 - 599.2 / 2 / 1139.968 = 0.737181...   block: 1 - 179.2 / 2 / 1139.968 = 0.921400...
    const double measured = 1200 - 60.032;
    const double without = 1 - 599.2 / 2 / measured, with = 1 - 179.2 / 2 / measured;
    const std::string dir = temp_dir();
    const std::string scenario = "tests/scenario/flood/flood.json";
    const Plays a = four_ways(scenario, "", dir, "none", "20m");
    const Plays b = four_ways(scenario, "tests/scenario/flood/responses.json", dir, "block", "20m");
    for (const auto* p : {&a, &b}) {
      const double expected = p == &a ? without : with;
      INFO((p == &a ? "no response" : "block"));
      CHECK(p->play == std::map<std::string, double>{{"web", pct2(expected, true)}});
      CHECK(p->run == p->play);
      CHECK(p->report == p->play);
      CHECK(p->replay == p->play);
      // the exact figures, unrounded
      CHECK(p->run_json["services"][0]["availability"].get<double>() == doctest::Approx(expected).epsilon(1e-6));
      CHECK(p->run_json["services"][0]["degraded"].get<double>() == doctest::Approx(p == &a ? 599.2 : 179.2));
      CHECK(p->run_json["services"][0]["unavailable"].get<double>() == 0);
      CHECK(p->report_json["kpis"]["services"][0]["degraded_s"].get<double>() ==
            doctest::Approx(p == &a ? 599.2 : 179.2));
      CHECK(p->replay_json["truth"]["kpis"]["services"][0] == p->run_json["services"][0]);
      // the team's availability metric is that figure; it is its only scored component, so its total too
      const Json& team = team_of(p->replay_json["scores"], "bank-cert");
      REQUIRE(team["metric_details"].is_object());
      CHECK(team["metric_details"]["availability"]["value"].get<double>() ==
            doctest::Approx(expected).epsilon(1e-6));
      CHECK(team["metrics"].get<double>() == doctest::Approx(100 * expected).epsilon(1e-4));
      CHECK(team_of(p->report_json["teams"], "bank-cert")["total"].get<double>() ==
            std::round(10000 * expected) / 100);
    }
  }

  TEST_CASE("a service_down trigger follows the probe: a flood that makes the probe time out fires it")
  {
    // the small flood with 999 bots: the response would take 24 ms + 100 kB / (12.5 MB/s / 1000) = 8 s, so the
    // probe sent at 300 s (the flood began at 270 s) times out at 305 s: down, and the inject waiting for it fires
    // then (ground truth never says down: the server is up, only unreachable)
    const std::string dir = temp_dir();
    std::string text = slurp("tests/scenario/flood/flood.json");
    text.replace(text.find("\"size\": 99,"), 12, "\"size\": 999,");
    text.replace(text.find("\"msel\": ["), 9,
                 R"("msel": [{ "id": "inj-down", "trigger": { "service_down": "web" }, "to": ["bank-cert"],
                 "title": "Online banking down" },)");
    journal_test::spit(dir + "/flood999.json", text);
    const auto played = run_cli("play " + dir + "/flood999.json --journal " + dir + "/f.journal");
    REQUIRE_MESSAGE(played.status == 0, played.err);
    std::vector<std::string> seen;
    std::istringstream lines(slurp(dir + "/f.journal"));
    std::string line;
    while (std::getline(lines, line)) {
      const Json j = Json::parse(line);
      const std::string type = j.value("type", "");
      if (type == "probe_status" || type == "service_status" || type == "inject_triggered")
        seen.push_back(Json(j["time"]).dump() + " " + type + " " + j["subject"].get<std::string>() + " " +
                       j["details"].value("status", ""));
    }
    CHECK(seen == std::vector<std::string>{"60.032 probe_status service:web up",
                                           "305.0 probe_status service:web down",
                                           "305.0 inject_triggered inject:inj-down ",
                                           "900.032 probe_status service:web up"});
  }

  TEST_CASE("a service_degraded trigger fires on a probe that says degraded; service_down waits for down")
  {
    // the small flood (99 bots from 270 s to 870 s): the probe sent at 300 s shares the 12.5 MB/s link by 100 each
    // way: 0.012 + 1 kB x 100 / 12.5 MB/s + 0.012 + 100 kB x 100 / 12.5 MB/s = 0.832 s > 500 ms: degraded at
    // 300.832 s, and the inject waiting for service_degraded fires then; the probe never times out (5 s), so the one
    // waiting for service_down never fires
    const std::string dir = temp_dir();
    std::string text = slurp("tests/scenario/flood/flood.json");
    text.replace(text.find("\"msel\": ["), 9,
                 R"("msel": [{ "id": "inj-slow", "trigger": { "service_degraded": "web" }, "to": ["bank-cert"],
                 "title": "Online banking unreachable" },
                 { "id": "inj-down", "trigger": { "service_down": "web" }, "to": ["bank-cert"],
                 "title": "Online banking down" },)");
    journal_test::spit(dir + "/degraded.json", text);
    const auto played = run_cli("play " + dir + "/degraded.json --journal " + dir + "/d.journal");
    REQUIRE_MESSAGE(played.status == 0, played.err);
    std::vector<std::string> seen;
    std::istringstream lines(slurp(dir + "/d.journal"));
    std::string line;
    while (std::getline(lines, line)) {
      const Json j = Json::parse(line);
      const std::string type = j.value("type", "");
      if (type == "probe_status" || type == "inject_triggered")
        seen.push_back(Json(j["time"]).dump() + " " + type + " " + j["subject"].get<std::string>() + " " +
                       j["details"].value("status", ""));
    }
    CHECK(seen ==
          std::vector<std::string>{"60.032 probe_status service:web up", "300.832 probe_status service:web degraded",
                                   "300.832 inject_triggered inject:inj-slow ", "900.032 probe_status service:web up"});
  }

  TEST_CASE("the tutorial's \"Web site unreachable\" (inj-06) fires in its default play, at the first degraded probe")
  {
    // inj-06 waits for all(service_degraded gov-website, inject_delivered inj-01): inj-01 comes at 15 min; the
    // botnet's first wave (1 h to 2 h) slows the site's probe past its 500 ms without a 5 s timeout, so the site is
    // degraded, never down; inj-06 (no delay) is delivered at that probe's verdict
    const std::string dir = temp_dir();
    const auto played = run_cli(std::string("play scenarios/tutorial/tutorial.json --journal ") + dir + "/t.journal");
    REQUIRE_MESSAGE(played.status == 0, played.err);
    double first_degraded = -1, inj01 = -1, inj06 = -1;
    bool ever_down = false;
    std::istringstream lines(slurp(dir + "/t.journal"));
    std::string line;
    while (std::getline(lines, line)) {
      const Json j = Json::parse(line);
      const std::string type = j.value("type", "");
      if (type == "probe_status" && j["subject"] == "service:gov-website") {
        ever_down = ever_down || j["details"]["status"] == "down";
        if (j["details"]["status"] == "degraded" && first_degraded < 0)
          first_degraded = j["time"].get<double>();
      }
      if (type == "inject" && j["subject"] == "inject:inj-01")
        inj01 = j["time"].get<double>();
      if (type == "inject" && j["subject"] == "inject:inj-06")
        inj06 = j["time"].get<double>();
    }
    CHECK_FALSE(ever_down);
    CHECK(inj01 == 900);
    CHECK(first_degraded > 3600);      // the first wave starts at 1 h
    CHECK(first_degraded < 3600 + 65); // the probe of the next minute (1 min interval) plus its few seconds
    CHECK(inj06 == first_degraded);
  }

  TEST_CASE("Cyber Europe 2012: the same availability everywhere; the responses raise it and the teams' scores")
  {
    const std::string dir = temp_dir();
    const std::string scenario = "scenarios/cyber-europe-2012/cyber-europe-2012.json";
    const Plays a = four_ways(scenario, "", dir, "none", "8h");
    const Plays b = four_ways(scenario, "scenarios/cyber-europe-2012/responses.json", dir, "responses", "8h");
    for (const auto* p : {&a, &b}) {
      INFO((p == &a ? "no response" : "responses"));
      REQUIRE(p->play.size() == 20);
      CHECK(p->run == p->play);
      CHECK(p->report == p->play);
      CHECK(p->replay == p->play);
    }
    // every response is accepted (the injects reveal the bot lists the teams block and share)
    CHECK(b.play_text.find("rejected") == std::string::npos);
    // the botnets degrade five banks when nobody responds (probes answer slowly: degraded, never down)
    CHECK(a.play.at("bank-nl-1-online") == 93.73);
    CHECK(a.play.at("bank-de-1-online") == 93.94);
    // filtering ends the first waves sooner and blocks the later ones: no service is worse, four are better
    int better = 0;
    for (const auto& [service, v] : a.play) {
      CHECK_MESSAGE(b.play.at(service) >= v, service);
      better += b.play.at(service) > v ? 1 : 0;
    }
    CHECK(better == 5);
    CHECK(b.play.at("bank-de-1-online") == 100);
    // the scored objective "Keep online banking, DNS and portals available" (metric availability) and the teams'
    // metrics follow
    for (const char* team : {"cert-nl", "cert-es", "cert-de", "cert-fr"}) {
      INFO(team);
      const Json& ta = team_of(a.replay_json["scores"], team);
      const Json& tb = team_of(b.replay_json["scores"], team);
      CHECK(tb["metric_details"]["availability"]["value"].get<double>() >
            ta["metric_details"]["availability"]["value"].get<double>());
      CHECK(tb["metrics"].get<double>() > ta["metrics"].get<double>());
      CHECK(team_of(b.report_json["teams"], team)["total"].get<double>() >
            team_of(a.report_json["teams"], team)["total"].get<double>());
    }
    CHECK(b.report_json["kpis"]["availability_pct"].get<double>() >
          a.report_json["kpis"]["availability_pct"].get<double>());
  }
}

namespace {

struct Shipped {
  const char* scenario;
  const char* responses; ///< "" for none
};

/// Play `s` headless in a child process into `journal`; {"kpis": Simulation::kpis(), "snapshots": {label: text}}.
Json play_in_child(const Shipped& s, const std::string& journal)
{
  const std::string out = cyberex::test::in_child([&]() -> std::string {
    LoadResult loaded = load_scenario(s.scenario);
    if (!loaded.ok())
      return "CHILD-FAILED: the scenario does not load";
    std::vector<ScriptedCommand> commands;
    if (*s.responses) {
      PlayResult r = load_play(s.responses, *loaded.scenario);
      if (!r.ok())
        return "CHILD-FAILED: the responses do not load";
      commands = responses_to_commands(r.commands, *loaded.scenario, s.responses);
    }
    PlayOptions po;
    po.scenario_path = s.scenario;
    po.journal = journal;
    po.exercise = cli_exercise_options();
    const PlayOutcome o = play_exercise(*loaded.scenario, po, std::move(commands));
    if (!o.ok)
      return "CHILD-FAILED: " + o.error;
    Json j;
    j["kpis"] = Json::parse(o.kpis);
    j["time"] = o.time;
    for (const auto& [label, text] : o.snapshots)
      j["snapshots"][label] = text;
    return j.dump();
  });
  REQUIRE_MESSAGE(out.rfind("CHILD-FAILED", 0) != 0, out);
  return Json::parse(out);
}

} // namespace

TEST_SUITE("state-fold")
{
  TEST_CASE("every shipped scenario: the journal's fold gives Simulation::kpis(), and each principal's live snapshot "
            "is the Timeline's state at the end")
  {
    const std::string dir = temp_dir();
    for (const Shipped& s : {Shipped{"scenarios/tutorial/tutorial.json", ""},
                             Shipped{"scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json",
                                     "scenarios/cyber-atlantic-2011/responses.json"},
                             Shipped{"scenarios/cyber-europe-2012/cyber-europe-2012.json",
                                     "scenarios/cyber-europe-2012/responses.json"},
                             Shipped{"tests/scenario/flood/flood.json", "tests/scenario/flood/responses.json"}}) {
      INFO(s.scenario);
      const std::string journal = dir + "/" + std::to_string(std::hash<std::string>{}(s.scenario)) + ".journal";
      const Json live = play_in_child(s, journal);
      Timeline tl;
      std::string error;
      REQUIRE_MESSAGE(tl.open(journal, &error), error);
      CHECK(tl.warnings().empty());
      const double end = tl.duration();
      CHECK(end == live["time"].get<double>());
      // the engine's KPIs are its own fold of the world's records: the journal's fold gives the same, byte for byte
      CHECK(Json::parse(tl.fold_to(end).kpis_json(end)) == live["kpis"]);
      REQUIRE(live["snapshots"].size() >= 4);
      for (const auto& [label, text] : live["snapshots"].items()) {
        INFO(label);
        const auto who = principal_from_label(label);
        REQUIRE(who);
        Json snapshot = Json::parse(text.get<std::string>());
        // the live White Cell's clock also says when the world next changes and the next inject is due (the
        // session's calendar, which a journal does not hold)
        snapshot["clock"].erase("next_event");
        snapshot["clock"].erase("next_inject");
        const Json state = Json::parse(tl.state_at(end, *who));
        CHECK(snapshot == state);
        if (snapshot != state)
          for (const auto& [k, v] : snapshot.items())
            CHECK_MESSAGE(v == state.value(k, Json()), "differs: ", k, "\n live ", v.dump().substr(0, 400),
                          "\n journal ", state.value(k, Json()).dump().substr(0, 400));
      }
    }
  }
}
