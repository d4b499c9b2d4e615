/* Containment (issue 13): a campaign is contained when the adversary can no longer act, not when a C2 indicator is
 * blocked while it keeps working; it is contained at the instant that becomes true; run, play and the team's metric
 * give the same time; the report tells an impact before the containment from a containment before any impact.
 *
 * tests/scenario/containment/containment.json, every duration fixed and every probability 1, so each time below is
 * a sum of the scenario's figures. Three sites a, b, c, each: two workstations (X-ws-1, X-ws-2) and a file server
 * (X-fs) behind a firewall; three campaigns starting at 0, each with its own techniques and C2 indicator:
 *   phish      external -> both workstations, 10 min    -> footholds at 600 s (first compromise)
 *   a, c: lateral (compromised -> X-fs, 20 min, ends 1,800 s), encrypt X-fs (30 min, ends 3,600 s), finished
 *   b:    escalate b-ws-2 (local, 20 min, ends 1,800 s), destroy b-fs (needs admin, 30 min)
 * a-edr alerts cert-a 1 min after each phishing on a (660 s) with the step's indicator, the C2 domain ioc-c2-a: a
 * team may only block what it knows (cyberex play).
 * responses.json: block 10 min, isolate 5 min after the order:
 *   cert-b isolates b-ws-1 at 11m -> 960 s, b-ws-2 at 14m -> 1,140 s; cert-a blocks ioc-c2-a at 15m -> 1,500 s.
 * responses-partial.json: cert-b isolates b-ws-1 only, and blocks ioc-c2-a (which covers only cert-b's nodes).
 *
 * engine-containment (quick): the rule in the world's event stream (cyberex run --events).
 * state-containment (quick): run, play, the team metric and replay --at give the same times.
 * report-containment (quick): the report's three categories, one campaign of each. */
#include "journal_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

using Json = nlohmann::json;
using journal_test::run_cli;
using journal_test::slurp;

namespace {

const std::string scenario = "tests/scenario/containment/containment.json";
const std::string responses = "tests/scenario/containment/responses.json";

/// The world's events of `cyberex run` (with the responses when asked), one JSON object each.
std::vector<Json> world_events(bool with_responses, const std::string& play = responses)
{
  const std::string dir = cli_test::temp_dir("containment");
  const auto r = run_cli("run " + scenario + (with_responses ? " --play " + play : "") + " --quiet --events " + dir +
                         "/events.jsonl");
  REQUIRE_MESSAGE(r.status == 0, r.err);
  std::vector<Json> out;
  std::istringstream lines(slurp(dir + "/events.jsonl"));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty())
      out.push_back(Json::parse(line));
  return out;
}

/// Events of `type` about `subject` (any subject when empty), in order.
std::vector<Json> of(const std::vector<Json>& events, const std::string& type, const std::string& subject = "")
{
  std::vector<Json> v;
  for (const auto& e : events)
    if (e["type"] == type && (subject.empty() || e["subject"] == subject))
      v.push_back(e);
  return v;
}

double time_of(const Json& e)
{
  return e["time"].get<double>();
}

/// The last column of the table row that starts with `id ` in a command's output.
std::string last_column(const std::string& out, const std::string& id)
{
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(id + " ", 0) == 0)
      return line.substr(line.find_last_of(' ') + 1);
  return "(no row " + id + ")";
}

const Json& by_id(const Json& list, const char* key, const std::string& id)
{
  for (const auto& x : list)
    if (x.value(key, "") == id)
      return x;
  FAIL("no " << id);
  static const Json none;
  return none;
}

} // namespace

TEST_SUITE("engine-containment")
{
  TEST_CASE("a C2 block does not contain while another technique continues; finishing without the channel does")
  {
    const auto ev = world_events(true);
    // ioc-c2-a blocked at 15m + 10m = 1,500 s: every foothold of ransom-a (a-ws-1, a-ws-2) is cut from its C2, but
    // its current step (lateral movement from a workstation, no C2 needed) still has a source that can act
    const auto blocked = of(ev, "indicator_blocked", "indicator:ioc-c2-a");
    REQUIRE(blocked.size() == 1);
    CHECK(time_of(blocked[0]) == 1500);
    const auto contained = of(ev, "campaign_contained", "campaign:ransom-a");
    REQUIRE(contained.size() == 1);
    // so the adversary keeps working: a-fs compromised at 600 + 1,200 = 1,800 s, encrypted at 1,800 + 1,800 = 3,600 s
    const auto fs = of(ev, "node_compromised", "node:a-fs");
    REQUIRE(fs.size() == 1);
    CHECK(time_of(fs[0]) == 1800);
    const auto encrypted = of(ev, "node_encrypted", "node:a-fs");
    REQUIRE(encrypted.size() == 1);
    CHECK(time_of(encrypted[0]) == 3600);
    // and only when it has finished its plan with no channel left is it contained: at 3,600 s, right after it
    // finished (the same instant, not at some later event); time to contain 3,600 - 600 = 3,000 s
    const auto finished = of(ev, "campaign_finished", "campaign:ransom-a");
    REQUIRE(finished.size() == 1);
    CHECK(time_of(contained[0]) == 3600);
    CHECK(contained[0]["seq"].get<long>() > finished[0]["seq"].get<long>());
    CHECK(contained[0]["details"]["time_to_contain"].get<double>() == 3000);
  }

  TEST_CASE("isolating the last foothold contains at that instant, and the isolated node acts on nothing")
  {
    const auto ev = world_events(true);
    const auto isolated = of(ev, "node_isolated");
    REQUIRE(isolated.size() == 2);
    CHECK(isolated[0]["subject"] == "node:b-ws-1");
    CHECK(time_of(isolated[0]) == 960); // 11m + 5m
    CHECK(isolated[1]["subject"] == "node:b-ws-2");
    CHECK(time_of(isolated[1]) == 1140); // 14m + 5m
    // at 960 s b-ws-2 still works for the adversary (online, connected, its C2 open): not contained; at 1,140 s no
    // foothold is left that can act, and the current step (escalate on b-ws-2, local) has no source: contained at
    // exactly 1,140 s, 1,140 - 600 = 540 s after the first compromise
    const auto contained = of(ev, "campaign_contained", "campaign:ransom-b");
    REQUIRE(contained.size() == 1);
    CHECK(time_of(contained[0]) == 1140);
    CHECK(contained[0]["details"]["time_to_contain"].get<double>() == 540);
    CHECK(contained[0]["seq"].get<long>() > isolated[1]["seq"].get<long>());
    // the escalation on the isolated b-ws-2 (started at 600 s, due at 1,800 s) is interrupted, not a success
    bool escalate_ended = false;
    for (const auto& a : of(ev, "step_attempt", "campaign:ransom-b"))
      if (a["details"]["step"] == "escalate") {
        escalate_ended = true;
        CHECK(time_of(a) == 1800);
        CHECK(a["details"]["outcome"] == "interrupted");
      }
    CHECK(escalate_ended);
    CHECK(of(ev, "privilege_escalated", "node:b-ws-2").empty());
    CHECK(of(ev, "node_encrypted", "node:b-fs").empty());
  }

  TEST_CASE("another foothold goes on: one of two workstations isolated, a block by a team that owns none of them")
  {
    // responses-partial.json: cert-b isolates b-ws-1 only (960 s) and blocks ioc-c2-a (1,500 s), but owns none of
    // a's nodes, so a's channel stays open (docs/engine.md, "Team actions": a block covers the team's own assets)
    const auto ev = world_events(true, "tests/scenario/containment/responses-partial.json");
    REQUIRE(of(ev, "indicator_blocked", "indicator:ioc-c2-a").size() == 1);
    for (const auto& c : of(ev, "c2_channel"))
      CHECK(c["details"]["reason"] != "indicator blocked");
    CHECK(of(ev, "campaign_contained").empty());
    // b-ws-2, still online, connected and with its C2 open, carries ransom-b on: escalated at 600 + 1,200 = 1,800 s,
    // then b-fs destroyed (from b-ws-2, admin) at 1,800 + 1,800 = 3,600 s
    const auto escalated = of(ev, "privilege_escalated", "node:b-ws-2");
    REQUIRE(escalated.size() == 1);
    CHECK(time_of(escalated[0]) == 1800);
    const auto destroyed = of(ev, "node_encrypted", "node:b-fs");
    REQUIRE(destroyed.size() == 1);
    CHECK(time_of(destroyed[0]) == 3600);
  }

  TEST_CASE("without a response no campaign is contained, and each encrypts its file server")
  {
    const auto ev = world_events(false);
    CHECK(of(ev, "campaign_contained").empty());
    // a and c: 600 + 1,200 + 1,800 = 3,600 s; b: escalate at 1,800 s, then destroy b-fs at 1,800 + 1,800 = 3,600 s
    for (const char* fs : {"node:a-fs", "node:b-fs", "node:c-fs"}) {
      const auto encrypted = of(ev, "node_encrypted", fs);
      REQUIRE_MESSAGE(encrypted.size() == 1, fs);
      CHECK(time_of(encrypted[0]) == 3600);
    }
    const auto escalated = of(ev, "privilege_escalated", "node:b-ws-2");
    REQUIRE(escalated.size() == 1);
    CHECK(time_of(escalated[0]) == 1800);
  }
}

TEST_SUITE("state-containment")
{
  TEST_CASE("run and play give the same containment times, and so does the team's time_to_contain")
  {
    // By hand (header): ransom-a 3,000 s (3,600 - 600), ransom-b 540 s (1,140 - 600), ransom-c never. Each team's
    // nodes are held by one campaign, whose first compromise is the team's: cert-a 3,000 s, cert-b 540 s, cert-c
    // none yet (applicable: its nodes were compromised).
    const std::string dir = cli_test::temp_dir("containment");
    const auto ran = run_cli("run " + scenario + " --play " + responses + " --json --quiet");
    REQUIRE_MESSAGE(ran.status == 0, ran.err);
    const auto played =
        run_cli("play " + scenario + " --play " + responses + " --journal " + dir + "/p.journal --json");
    REQUIRE_MESSAGE(played.status == 0, played.err);
    const Json run = Json::parse(ran.out);
    const Json play = Json::parse(played.out);
    const Json& run_campaigns = run["campaigns"];
    const Json& play_campaigns = play["kpis"]["campaigns"];
    struct Expect {
      const char* campaign;
      Json time_to_contain;
      const char* containment;
    };
    for (const Expect& e :
         {Expect{"ransom-a", 3000.0, "impact before containment"}, Expect{"ransom-b", 540.0, "contained before impact"},
          Expect{"ransom-c", nullptr, "not contained"}}) {
      INFO(e.campaign);
      CHECK(by_id(run_campaigns, "id", e.campaign)["time_to_contain"] == e.time_to_contain);
      CHECK(by_id(play_campaigns, "id", e.campaign)["time_to_contain"] == e.time_to_contain);
      CHECK(by_id(run_campaigns, "id", e.campaign)["containment"] == e.containment);
      CHECK(by_id(play_campaigns, "id", e.campaign)["containment"] == e.containment);
    }
    // the tables run and play print: the last column, "to contain", 3,000 s = 0h50m00s and 540 s = 0h09m00s
    const auto ran_text = run_cli("run " + scenario + " --play " + responses + " --quiet");
    const auto played_text = run_cli("play " + scenario + " --play " + responses + " --journal " + dir + "/t.journal");
    REQUIRE(ran_text.status == 0);
    REQUIRE(played_text.status == 0);
    for (const auto& [id, shown] :
         {std::pair<std::string, std::string>{"ransom-a", "0h50m00s"}, {"ransom-b", "0h09m00s"}, {"ransom-c", "-"}}) {
      INFO(id);
      CHECK(last_column(ran_text.out, id) == shown);
      CHECK(last_column(played_text.out, id) == shown);
    }
    // ransom-a detected by a-edr at 660 s (660 s after its start)
    CHECK(by_id(run_campaigns, "id", "ransom-a")["time_to_detect"] == 660.0);
    CHECK(by_id(play_campaigns, "id", "ransom-a")["time_to_detect"] == 660.0);
    // first impacts: a-fs and c-fs encrypted at 3,600 s; b never
    CHECK(by_id(run_campaigns, "id", "ransom-a")["first_impact"] == 3600.0);
    CHECK(by_id(run_campaigns, "id", "ransom-b")["first_impact"].is_null());
    CHECK(by_id(run_campaigns, "id", "ransom-c")["first_impact"] == 3600.0);
    // the teams' metric, from play's leaderboard and from the journal's state at the end (replay --at)
    const auto replayed = run_cli("replay " + dir + "/p.journal --at 2h --json");
    REQUIRE_MESSAGE(replayed.status == 0, replayed.err);
    const Json replay = Json::parse(replayed.out);
    for (const auto& [team, value] :
         {std::pair<std::string, Json>{"cert-a", 3000.0}, {"cert-b", 540.0}, {"cert-c", nullptr}}) {
      INFO(team);
      const Json& m = by_id(replay["scores"], "team", team)["metric_details"]["time_to_contain"];
      CHECK(m["applicable"] == true);
      CHECK(m["value"] == value);
    }
  }
}

TEST_SUITE("report-containment")
{
  TEST_CASE("the ATT&CK matrix tells an impact before containment, a containment before impact and no containment")
  {
    const std::string dir = cli_test::temp_dir("containment");
    const auto played = run_cli("play " + scenario + " --play " + responses + " --journal " + dir + "/p.journal");
    REQUIRE_MESSAGE(played.status == 0, played.err);
    const auto json_out = run_cli("report " + dir + "/p.journal --format json");
    REQUIRE_MESSAGE(json_out.status == 0, json_out.err);
    const Json aar = Json::parse(json_out.out);
    // per campaign (the report's KPIs): a encrypted a-fs at 3,600 s and was contained at 3,600 s (the impact came
    // first); b was contained at 1,140 s with no impact; c was never contained
    const Json& camps = aar["kpis"]["campaigns"];
    CHECK(by_id(camps, "campaign", "ransom-a")["containment"] == "impact before containment");
    CHECK(by_id(camps, "campaign", "ransom-b")["containment"] == "contained before impact");
    CHECK(by_id(camps, "campaign", "ransom-c")["containment"] == "not contained");
    CHECK(aar["kpis"]["campaigns_contained"] == 2);
    // per technique: each campaign uses its own, so each status is its campaign's; only a's phishing is detected
    // (a-edr), which does not matter for a contained campaign; c's techniques, not contained and never detected, are
    // "missed"; b never reached T1485
    std::map<std::string, Json> cell;
    for (const auto& tac : aar["attack"]["tactics"])
      for (const auto& c : tac["techniques"])
        cell[c["technique"].get<std::string>()] = c;
    for (const char* t : {"T1566.001", "T1021.002", "T1486"}) {
      INFO(t);
      CHECK(cell.at(t)["status"] == "impact before containment");
      CHECK(cell.at(t)["contained"] == false);
      CHECK(cell.at(t)["campaigns_impact_before_containment"] == 1);
    }
    for (const char* t : {"T1566.002", "T1068"}) {
      INFO(t);
      CHECK(cell.at(t)["status"] == "contained before impact");
      CHECK(cell.at(t)["contained"] == true);
      CHECK(cell.at(t)["campaigns_contained_before_impact"] == 1);
    }
    CHECK(cell.at("T1485")["status"] == "not used");
    for (const char* t : {"T1566.003", "T1021.004", "T1490"}) {
      INFO(t);
      CHECK(cell.at(t)["status"] == "missed");
      CHECK(cell.at(t)["campaigns_not_contained"] == 1);
    }
    const Json& sum = aar["attack"]["summary"];
    CHECK(sum == Json{{"techniques", 9},
                      {"used", 8},
                      {"detected", 1},
                      {"contained", 2},
                      {"impact_before_containment", 3},
                      {"missed", 3},
                      {"not_used", 1}});
    // the same in the HTML page and the Markdown
    const auto html = run_cli("report " + dir + "/p.journal");
    const auto md = run_cli("report " + dir + "/p.journal --format md");
    REQUIRE(html.status == 0);
    REQUIRE(md.status == 0);
    const std::string summary = "9 techniques planned: 8 used, 1 detected, 2 contained before impact, 3 impact "
                                "before containment, 3 missed, 1 not used.";
    CHECK(html.out.find(summary) != std::string::npos);
    CHECK(md.out.find(summary) != std::string::npos);
    CHECK(html.out.find("<div class=\"tech st-late\" title=\"impact before containment; campaigns: ransom-a\"><b>"
                        "T1486</b>") != std::string::npos);
    CHECK(html.out.find("<div class=\"tech st-contained\" title=\"contained before impact; campaigns: ransom-b\"><b>"
                        "T1068</b>") != std::string::npos);
    CHECK(md.out.find("T1486 Data Encrypted for Impact — **impact before containment**") != std::string::npos);
  }
}
