/* A scripted drill of the tutorial scenario driven through ExerciseSession::handle() with JSON commands: a controller,
 * two player teams and an evaluator. The session runs in a child process; the parent checks what it reported. */
#include "exercise_child.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <vector>

using nlohmann::json;
using namespace cyberex;

namespace {

const Principal controller{Role::controller, ""};
const Principal evaluator{Role::evaluator, ""};
const Principal gov{Role::player, "cert-gov"};
const Principal energy{Role::player, "cert-energy"};
const Principal observer{Role::observer, ""};

/// What a child reports: every reply (with who and what was sent), every outgoing record, the journal, snapshots.
struct Recorder {
  json replies = json::array();
  json outgoing = json::array();
  json journal = json::array();
  json snapshots = json::object();
  ExerciseSession* session = nullptr;

  json send(const Principal& who, const json& cmd)
  {
    Reply r = session->handle(who, cmd.dump());
    json reply = json::parse(r.json);
    replies.push_back({{"role", to_string(who.role)}, {"team", who.team}, {"command", cmd}, {"reply", reply}});
    return reply;
  }
  ExerciseSession::RecordSink outgoing_sink()
  {
    return [this](const Record& o) {
      outgoing.push_back({{"seq", o.seq},
                          {"time", o.time},
                          {"audience", test::audience_json(o.audience)},
                          {"record", json::parse(o.json)}});
    };
  }
  ExerciseSession::CommandSink journal_sink()
  {
    return [this](const JournalCommand& r) { journal.push_back(r.to_json()); };
  }
  std::string report() const
  {
    return json{{"replies", replies}, {"outgoing", outgoing}, {"journal", journal}, {"snapshots", snapshots}}.dump();
  }
};

json cmd(const std::string& id, const std::string& type, json fields = json::object())
{
  fields["id"] = id;
  fields["type"] = type;
  return fields;
}

const json gov_levels = {{"functional_impact", "medium"},
                         {"information_impact", "classified"},
                         {"recoverability", "extended"},
                         {"cross_sector", "one"},
                         {"potential_impact", "high"}};
const json official_levels = {{"functional_impact", "high"},
                              {"information_impact", "classified"},
                              {"recoverability", "extended"},
                              {"cross_sector", "none"},
                              {"potential_impact", "severe"}};

/// The drill script. Time only moves by the controller's "step" commands, so the run is reproducible.
void play_drill(Recorder& rec)
{
  rec.send(controller, cmd("c1", "start"));
  rec.send(controller, cmd("c2", "step", {{"to", "time"}, {"time", "15m"}}));
  rec.send(gov, cmd("g1", "read", {{"item", "inj-01"}}));
  // cert-energy has never seen the C2 domain: it cannot block it
  rec.send(energy, cmd("e1", "action", {{"action", "block"}, {"indicator", "ioc-c2"}}));
  // intelligence reaches cert-gov only; cert-gov shares it with the utility (this also meets exp-share)
  rec.send(controller, cmd("c3", "inject_create",
                           {{"inject",
                             {{"id", "intel-01"},
                              {"title", "C2 domain of Grey Heron"},
                              {"content", "A partner service reports the C2 domain of the group targeting you."},
                              {"channel", "intelligence-report"},
                              {"from", "Partner intelligence service"},
                              {"to", {"cert-gov"}},
                              {"indicators", {"ioc-c2"}}}}}));
  rec.send(gov, cmd("g2", "message",
                    {{"to", {"cert-energy"}},
                     {"subject", "Grey Heron C2"},
                     {"text", "Block this domain."},
                     {"indicators", {"ioc-c2"}}}));
  rec.send(energy, cmd("e2", "action", {{"action", "block"}, {"indicator", "ioc-c2"}}));
  rec.send(energy, cmd("e3", "read", {{"item", "msg-1"}}));
  rec.send(gov, cmd("g3", "assess", {{"incident", "apt-docs"}, {"levels", gov_levels}}));
  rec.send(controller, cmd("c4", "official_assessment", {{"incident", "apt-docs"}, {"levels", official_levels}}));
  rec.send(controller, cmd("c5", "step", {{"to", "time"}, {"time", "1h"}}));
  rec.snapshots["gov_1h"] = json::parse(rec.session->snapshot_for(gov));
  // cert-gov takes its web site down (2 min): with inj-01 delivered, inj-06's all(...) trigger fires
  rec.send(gov, cmd("g6", "action", {{"action", "shutdown_service"}, {"service", "gov-website"}}));
  // run to the triggered intelligence report about the leak (exfiltrated_over 100MB + 5 min), then contain
  for (int i = 0; i < 20; ++i) {
    rec.send(controller, cmd("c-inj-" + std::to_string(i), "step", {{"to", "inject"}}));
    bool got = false;
    for (const auto& o : rec.outgoing)
      got = got || (o["record"]["type"] == "inject" && o["record"]["subject"] == "inject:inj-03");
    if (got || rec.session->now() >= 4 * 3600)
      break;
  }
  rec.snapshots["ctrl_inj03"] = json::parse(rec.session->snapshot_for(controller));
  rec.send(gov, cmd("g4", "action", {{"action", "isolate"}, {"target", "node:gov-fs"}}));
  rec.send(gov, cmd("g5", "sitrep", {{"text", "File server isolated; investigating the leak."}}));
  rec.send(controller, cmd("c6", "step", {{"to", "move"}}));
  rec.snapshots["gov_move2"] = json::parse(rec.session->snapshot_for(gov));
  rec.send(evaluator, cmd("v1", "observe",
                          {{"team", "cert-gov"}, {"objective", "obj-share"}, {"text", "Shared within minutes."}}));
  rec.send(evaluator,
           cmd("v2", "rate",
               {{"team", "cert-gov"}, {"objective", "obj-share"}, {"critical_task", "ct-share"}, {"rating", "P"}}));
  rec.send(evaluator,
           cmd("v3", "rate",
               {{"team", "cert-gov"}, {"objective", "obj-contain"}, {"critical_task", "ct-isolate"}, {"rating", "S"}}));
  rec.send(evaluator, cmd("v4", "rate", {{"team", "cert-gov"}, {"objective", "obj-detect"}, {"rating", "U"}}));
  rec.send(evaluator,
           cmd("v5", "rate", {{"team", "cert-gov"}, {"objective", "obj-detect"}, {"rating", "M"}})); // replaces U
  rec.send(
      evaluator,
      cmd("v6", "rate",
          {{"team", "cert-energy"}, {"objective", "obj-recover"}, {"critical_task", "ct-manual"}, {"rating", "U"}}));
  rec.send(evaluator,
           cmd("v7", "rate",
               {{"team", "cert-energy"}, {"objective", "obj-share"}, {"critical_task", "ct-share"}, {"rating", "S"}}));
  // cert-energy never switches to manual operations: exp-manual (45 min after inj-05 at 4h) is missed
  rec.send(controller, cmd("c7", "step", {{"to", "time"}, {"time", "8h"}}));
  rec.send(controller, cmd("c8", "step", {{"to", "event"}}));
  rec.snapshots["ctrl_end"] = json::parse(rec.session->snapshot_for(controller));
  rec.snapshots["gov_end"] = json::parse(rec.session->snapshot_for(gov));
  rec.snapshots["energy_end"] = json::parse(rec.session->snapshot_for(energy));
  rec.snapshots["observer_end"] = json::parse(rec.session->snapshot_for(observer));
  rec.snapshots["scores"] = rec.send(controller, cmd("c9", "scores"))["result"];
}

/// The drill, run once per test process (in a child) and shared by the test cases below.
const json& drill()
{
  static const json result = [] {
    const std::string out = test::in_child([] {
      Recorder rec;
      Scenario sc = test::load_tutorial();
      ExerciseSession session(sc, test::tutorial_options(), rec.outgoing_sink(), rec.journal_sink());
      rec.session = &session;
      play_drill(rec);
      return rec.report();
    });
    json j = json::parse(out, nullptr, false);
    if (j.is_discarded())
      return json{{"error", out.substr(0, 500)}};
    return j;
  }();
  return result;
}

json reply_of(const std::string& id)
{
  for (const auto& r : drill()["replies"])
    if (r["command"]["id"] == id)
      return r["reply"];
  return json();
}

std::vector<json> records(const std::string& type, const std::string& subject = "")
{
  std::vector<json> out;
  for (const auto& o : drill()["outgoing"])
    if (o["record"]["type"] == type && (subject.empty() || o["record"]["subject"] == subject))
      out.push_back(o);
  return out;
}

double time_score(double seconds)
{
  return 100 * std::max(0.0, 1 - seconds / 28800);
}

} // namespace

TEST_SUITE("exercise-drill")
{
  TEST_CASE("the drill runs and every scripted command is answered")
  {
    const json& d = drill();
    REQUIRE_MESSAGE(!d.contains("error"), d.dump().substr(0, 500));
    for (const auto& r : d["replies"]) {
      const std::string id = r["command"]["id"];
      if (id == "e1" || id == "c8")
        continue; // the rejected block and the step after the end, checked below
      CHECK_MESSAGE(r["reply"]["ok"] == true, r.dump());
      CHECK(r["reply"]["id"] == id);
    }
    // seq numbers are 1, 2, 3... without gaps, in time order
    std::uint64_t seq = 0;
    double t = 0;
    for (const auto& o : d["outgoing"]) {
      CHECK(o["seq"].get<std::uint64_t>() == ++seq);
      CHECK(o["time"].get<double>() >= t);
      t = o["time"].get<double>();
    }
  }

  TEST_CASE("timed injects arrive on time, triggered ones on their triggers")
  {
    // inj-01: move-1 (offset 0) + H+0 M+15 = 900 s, to both teams
    auto inj01 = records("inject", "inject:inj-01");
    REQUIRE(inj01.size() == 1);
    CHECK(inj01[0]["time"] == 900.0);
    CHECK(inj01[0]["audience"]["kind"] == "teams");
    CHECK(inj01[0]["audience"]["teams"] == json({"cert-energy", "cert-gov"}));
    CHECK(inj01[0]["record"]["details"]["indicators"] == json({"ioc-mail"})); // its value is in the text
    // inj-05: move-2 at 4h + M+0 = 14400 s
    auto inj05 = records("inject", "inject:inj-05");
    REQUIRE(inj05.size() == 1);
    CHECK(inj05[0]["time"] == 14400.0);
    CHECK(inj05[0]["audience"]["teams"] == json({"cert-energy"}));
    // inj-03: exfiltrated_over 100MB (apt-docs) + delay 5m: 300 s after the first progress record over 100 MB
    double over = -1;
    for (const auto& o : drill()["outgoing"]) {
      const auto& r = o["record"];
      if (over < 0 && (r["type"] == "exfiltration_progress" || r["type"] == "exfiltration_ended") &&
          r["details"]["campaign"] == "apt-docs" && r["details"]["campaign_total"].get<double>() > 100e6)
        over = o["time"].get<double>();
    }
    REQUIRE(over > 0);
    auto inj03 = records("inject", "inject:inj-03");
    REQUIRE(inj03.size() == 1);
    CHECK(inj03[0]["time"].get<double>() == doctest::Approx(over + 300).epsilon(1e-9));
    CHECK(inj03[0]["audience"]["teams"] == json({"cert-gov"}));
    // inj-06: all(service_degraded gov-website, inject_delivered inj-01). cert-gov shuts its site down at 1h (2 min,
    // down at 3720 s), but the botnet's first wave (from 3600 s) degrades it before: the probe sent at 3660 s answers
    // slowly (under its 5 s timeout), and inj-06 is delivered at that verdict, before the shutdown
    double down = -1;
    for (const auto& o : records("service_status", "service:gov-website"))
      if (down < 0 && o["record"]["details"]["status"] == "down")
        down = o["time"].get<double>();
    CHECK(down == 3600.0 + 120);
    CHECK(reply_of("g6")["result"]["effective_at"] == 3720.0);
    double degraded = -1;
    for (const auto& o : records("probe_status", "service:gov-website"))
      if (degraded < 0 && o["record"]["details"]["status"] != "up")
        degraded = o["time"].get<double>();
    CHECK(degraded > 3660);
    CHECK(degraded < 3665);
    auto inj06 = records("inject", "inject:inj-06");
    REQUIRE(inj06.size() == 1);
    CHECK(inj06[0]["time"].get<double>() == degraded);
    // inj-06 expires 2h after delivery
    auto exp06 = records("inject_expired", "inject:inj-06");
    REQUIRE(exp06.size() == 1);
    CHECK(exp06[0]["time"].get<double>() == doctest::Approx(degraded + 7200).epsilon(1e-9));
    // inj-02 is the contingency of exp-share, which was met: never delivered
    CHECK(records("inject", "inject:inj-02").empty());
    // inj-04 (hidden, node_compromised plc-1) goes to control only, if the PLC was reached
    for (const auto& o : records("inject", "inject:inj-04"))
      CHECK(o["audience"]["kind"] == "control");
    // controller-written inject: delivered at once, to cert-gov only
    auto intel = records("inject", "inject:intel-01");
    REQUIRE(intel.size() == 1);
    CHECK(intel[0]["time"] == 900.0);
    CHECK(intel[0]["audience"]["teams"] == json({"cert-gov"}));
  }

  TEST_CASE("an indicator shared by one team lets the other block it")
  {
    const json e1 = reply_of("e1");
    CHECK(e1["ok"] == false);
    CHECK(e1["error"]["code"] == "unknown-indicator");
    CHECK(e1["error"]["message"] == "(/indicator) indicator \"ioc-c2\" is unknown to your team: it was in none of your "
                                    "alerts, injects or messages");
    CHECK(reply_of("g2")["result"]["item"] == "msg-1");
    const json e2 = reply_of("e2");
    CHECK(e2["ok"] == true);
    CHECK(e2["result"]["effective_at"] == 1500.0); // 900 + block duration 10m
    auto blocked = records("indicator_blocked", "indicator:ioc-c2");
    REQUIRE(blocked.size() == 1);
    CHECK(blocked[0]["time"] == 1500.0);
    CHECK(blocked[0]["record"]["details"]["team"] == "cert-energy");
    CHECK(blocked[0]["audience"]["teams"] == json({"cert-energy"}));
    // the world changed: Operation Blackout's channel from the utility is cut by the block
    bool cut = false;
    for (const auto& o : records("c2_channel"))
      cut = cut || (o["record"]["details"]["campaign"] == "grid-attack" &&
                    o["record"]["details"]["reason"] == "indicator blocked");
    CHECK(cut);
    // the message reached cert-energy's inbox and was read
    const json& inbox = drill()["snapshots"]["energy_end"]["team"]["inbox"];
    bool read = false;
    for (const auto& i : inbox)
      read = read || (i["item"] == "msg-1" && i["read"] == true && i["read_at"] == 900.0);
    CHECK(read);
  }

  TEST_CASE("a team's action changes the world")
  {
    const json g4 = reply_of("g4");
    REQUIRE(g4["ok"] == true);
    const double issued = g4["result"]["issued"];
    CHECK(g4["result"]["effective_at"].get<double>() == issued + 300); // isolate: 5m
    auto iso = records("node_isolated", "node:gov-fs");
    REQUIRE(iso.size() == 1);
    CHECK(iso[0]["time"].get<double>() == doctest::Approx(issued + 300).epsilon(1e-6));
    CHECK(iso[0]["audience"]["teams"] == json({"cert-gov"}));
    bool isolated = false;
    for (const auto& n : drill()["snapshots"]["gov_end"]["team"]["assets"]["nodes"])
      if (n["node"] == "gov-fs")
        isolated = n["isolated"];
    CHECK(isolated);
    // the isolation met exp-contain
    auto met = records("expectation_met", "expectation:exp-contain");
    REQUIRE(met.size() == 1);
    CHECK(met[0]["time"].get<double>() == doctest::Approx(issued).epsilon(1e-6));
  }

  TEST_CASE("expectations, assessments and the clock")
  {
    auto share = records("expectation_met", "expectation:exp-share");
    REQUIRE(share.size() == 1);
    CHECK(share[0]["time"] == 900.0);
    CHECK(share[0]["audience"]["kind"] == "control");
    auto manual = records("expectation_missed", "expectation:exp-manual");
    REQUIRE(manual.size() == 1);
    CHECK(manual[0]["time"] == 14400.0 + 2700);
    // severity: 0.25*50 + 0.2*100 + 0.15*70 + 0.2*50 + 0.2*80 = 69; official 0.25*75 + 20 + 10.5 + 0 + 20 = 69.25
    CHECK(reply_of("g3")["result"]["score"] == 69.0);
    const json c4 = reply_of("c4")["result"];
    CHECK(c4["score"] == 69.25);
    CHECK(c4["teams"] == json::parse(R"([{"team":"cert-gov","score":69.0,"difference":-0.25}])"));
    // the clock: started, reached move-2 by "step to move", ended at the duration
    CHECK(reply_of("c6")["result"]["time"] == 14400.0);
    CHECK(reply_of("c6")["result"]["move"] == "move-2");
    const json end = reply_of("c7")["result"];
    CHECK(end["state"] == "ended");
    CHECK(end["time"] == 28800.0);
    CHECK(reply_of("c8")["ok"] == false);
    CHECK(reply_of("c8")["error"]["code"] == "bad-state");
    // every accepted step publishes the clock to everyone (a paused drill's consoles follow it); the refused c8 not
    std::vector<double> step_clocks;
    for (const auto& c : records("clock"))
      if (c["record"]["details"]["reason"] == "step") {
        CHECK(c["audience"]["kind"] == "all");
        step_clocks.push_back(c["time"].get<double>());
      }
    REQUIRE(step_clocks.size() >= 4);
    CHECK(step_clocks[0] == 900.0);       // c2: step to 15m
    CHECK(step_clocks.back() == 28800.0); // c7: to 8h, where the exercise ends
  }

  TEST_CASE("ratings and the leaderboard come out as computed by hand")
  {
    const json& scores = drill()["snapshots"]["scores"];
    REQUIRE(scores.size() == 2);
    std::map<std::string, json> by;
    for (const auto& s : scores)
      by[s["team"]] = s;
    // Ratings (P 100, S 70, M 40, U 0; latest per critical task; objectives weighted):
    //   cert-gov:    obj-detect (w 2) M 40 (replaced U), obj-contain (w 2) S 70, obj-share (w 1) P 100
    //                (2*40 + 2*70 + 1*100) / 5 = 320 / 5 = 64
    //   cert-energy: obj-recover (w 1) U 0, obj-share (w 1) S 70 -> (0 + 70) / 2 = 35
    CHECK(by["cert-gov"]["ratings"] == 64.0);
    CHECK(by["cert-energy"]["ratings"] == 35.0);
    // Expectations (points met / points decided): cert-gov exp-share + exp-contain met, 2/2 -> 100;
    //   cert-energy exp-manual missed, 0/1 -> 0
    CHECK(by["cert-gov"]["expectations"] == 100.0);
    CHECK(by["cert-energy"]["expectations"] == 0.0);
    // Metrics: each applicable metric's score from its value, time metrics 100 * (1 - t / 8h); the component is
    // their mean. Total = (0.4 E + 0.4 R + 0.2 M) / (0.4 + 0.4 + 0.2).
    for (const auto& team : {"cert-gov", "cert-energy"}) {
      const json& s = by[team];
      double sum = 0;
      int n = 0;
      for (const auto& [name, m] : s["metric_details"].items()) {
        if (!m["applicable"].get<bool>())
          continue;
        double expect = 0;
        if (name.rfind("time_to_", 0) == 0)
          expect = m["value"].is_null() ? 0 : time_score(m["value"].get<double>());
        else if (name == "availability")
          expect = 100 * m["value"].get<double>();
        else if (name == "expectations_met")
          expect = 100 * m["value"].get<double>();
        else if (name == "data_exfiltrated")
          expect = 100 * std::max(0.0, 1 - m["value"].get<double>() / 500e6); // cert-gov: gov-fs, 500MB exfil step
        else if (name == "mwh_lost")
          expect = 100 * std::max(0.0, 1 - m["value"].get<double>() / (300.0 * 8)); // 180 + 120 MW over 8 h
        CHECK_MESSAGE(m["score"].get<double>() == doctest::Approx(expect).epsilon(0.0002), team, " ", name);
        sum += m["score"].get<double>();
        ++n;
      }
      REQUIRE(n > 0);
      CHECK(s["metrics"].get<double>() == doctest::Approx(sum / n).epsilon(0.0002));
      const double total =
          (0.4 * s["expectations"].get<double>() + 0.4 * s["ratings"].get<double>() + 0.2 * s["metrics"].get<double>());
      CHECK(s["total"].get<double>() == doctest::Approx(total).epsilon(0.0002));
    }
    // cert-gov's metric set: objectives obj-detect, obj-contain, obj-share (obj-recover is cert-energy's only)
    std::vector<std::string> names;
    for (const auto& [name, m] : by["cert-gov"]["metric_details"].items())
      names.push_back(name);
    CHECK(names == std::vector<std::string>{"data_exfiltrated", "expectations_met", "time_to_contain", "time_to_detect",
                                            "time_to_share"});
    CHECK(by["cert-gov"]["metric_details"]["expectations_met"]["value"] == 1.0);
    // the last leaderboard record (at the end) has the same totals, ranked
    auto boards = records("leaderboard");
    REQUIRE(!boards.empty());
    const json& last = boards.back();
    CHECK(last["audience"]["kind"] == "control"); // the full leaderboard follows ground truth: the White Cell's
    CHECK(last["record"]["details"]["reason"] == "end");
    // the public standings at the end are the final leaderboard, for everyone
    auto standings = records("standings");
    REQUIRE(!standings.empty());
    CHECK(standings.back()["audience"]["kind"] == "all");
    CHECK(standings.back()["record"]["details"]["final"] == true);
    CHECK(standings.back()["record"]["details"]["teams"] == last["record"]["details"]["teams"]);
    CHECK(last["time"] == 28800.0);
    const json& teams = last["record"]["details"]["teams"];
    REQUIRE(teams.size() == 2);
    CHECK(teams[0]["team"] == "cert-gov"); // 0.4*100 + 0.4*64 + 0.2*M >= 65.6 > cert-energy's <= 34
    CHECK(teams[0]["rank"] == 1);
    CHECK(teams[0]["total"] == by["cert-gov"]["total"]);
    CHECK(teams[1]["total"] == by["cert-energy"]["total"]);
    // and one hourly leaderboard at least (1h..7h), plus one per change
    int hourly = 0;
    for (const auto& b : boards)
      hourly += b["record"]["details"]["reason"] == "hour" ? 1 : 0;
    CHECK(hourly == 7);
  }

  TEST_CASE("replaying the journal in a new process reaches the same state")
  {
    const json& d = drill();
    REQUIRE(d["journal"].size() > 10);
    const std::string out = test::in_child([&] {
      std::vector<JournalCommand> recs;
      for (const auto& line : d["journal"]) {
        auto r = JournalCommand::from_json(line.get<std::string>());
        if (!r)
          throw std::runtime_error("bad journal line");
        recs.push_back(*r);
      }
      ExerciseSession session(test::load_tutorial(), test::tutorial_options());
      std::string error;
      const std::size_t n = session.replay(recs, &error);
      return json{{"applied", n},
                  {"error", error},
                  {"snapshot", json::parse(session.snapshot_for(controller))},
                  {"index", session.journal_index()}}
          .dump();
    });
    json r = json::parse(out, nullptr, false);
    REQUIRE_MESSAGE(!r.is_discarded(), out.substr(0, 300));
    CHECK(r["error"] == "");
    CHECK(r["applied"] == d["journal"].size());
    CHECK(r["index"] == d["journal"].size());
    // byte for byte the same controller view (scores, MSEL, ground truth, teams)
    CHECK(r["snapshot"].dump() == d["snapshots"]["ctrl_end"].dump());
  }
}
