/* Expectations that reward prevention (issue 14, part C): an expectation met by what already holds when it activates
 * (by "state"), a premise that makes an expectation "not applicable" when it never held, `skip_if` on a timed inject,
 * and scores that leave not-applicable expectations out. Suite exercise-expectations (quick).
 *
 * tests/scenario/expectations/expectations.json, every duration fixed and every probability 1. Two agencies a and b,
 * each a workstation X-ws and a file server X-fs; campaign apt-X: phish X-ws (10 min: foothold at 600 s), then lateral
 * X-ws -> X-fs (20 min: X-fs compromised at 600 + 1,200 = 1,800 s). Actions: isolate 5 min, block 10 min.
 * MSEL: startex at 0 names both C2 domains (a team may block only an indicator it has received); c2-report at 30 min
 * (1,800 s) with exp-a-block (block ioc-c2-a), exp-b-block (block ioc-c2-b), exp-b-isolate-ws (isolate b-ws), each
 * within 30 min (deadline 3,600 s); fs-alarm at 1 h (3,600 s) to cert-a with exp-a-isolate-fs, premise "a-fs
 * compromised", deadline 5,400 s; b-fs-odd at 1 h to cert-b, skip_if "b-fs never compromised", with
 * exp-b-isolate-fs (deadline 5,400 s). One objective, metric expectations_met, weights 0.4 (expectations) and 0.2
 * (metrics), no ratings: total = (0.4 E + 0.2 M) / 0.6, and E = M = 100 x met / (met + missed) here. */
#include "exercise_child.hpp"

#include "cyberex/exercise_state.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using nlohmann::json;
using namespace cyberex;

namespace {

const char* fixture = "tests/scenario/expectations/expectations.json";
const Principal controller{Role::controller, ""};
const Principal team_a{Role::player, "cert-a"};
const Principal team_b{Role::player, "cert-b"};

json cmd(const std::string& id, const std::string& type, json fields = json::object())
{
  fields["id"] = id;
  fields["type"] = type;
  return fields;
}

json step_to(const std::string& id, const std::string& time)
{
  return cmd(id, "step", {{"to", "time"}, {"time", time}});
}

/// Runs `script` (who, command) in a child session of the fixture; returns every record sent, every reply and the
/// final scores.
json play(const std::vector<std::pair<Principal, json>>& script)
{
  const std::string out = test::in_child([&] {
    LoadResult r = load_scenario(fixture);
    if (!r.ok())
      throw std::runtime_error("the fixture does not load");
    json records = json::array(), replies = json::object();
    ExerciseSession session(*r.scenario, test::tutorial_options(),
                            [&](const Record& rec) { records.push_back(json::parse(rec.json)); });
    for (const auto& [who, c] : script)
      replies[c["id"].get<std::string>()] = json::parse(session.handle(who, c.dump()).json);
    const json scores = json::parse(session.handle(controller, cmd("scores", "scores").dump()).json)["result"];
    return json{{"records", records}, {"replies", replies}, {"scores", scores}}.dump();
  });
  json j = json::parse(out, nullptr, false);
  REQUIRE_MESSAGE(!j.is_discarded(), out.substr(0, 300));
  return j;
}

/// The expectation records about `id` (expectation_*), in order: "type time status by".
std::vector<std::string> decisions(const json& run, const std::string& id)
{
  std::vector<std::string> out;
  for (const auto& r : run["records"])
    if (r["subject"] == "expectation:" + id) {
      const json& d = r["details"];
      out.push_back(r["type"].get<std::string>() + " " + json(r["time"]).dump() + " " + d["status"].get<std::string>() +
                    (d.contains("by") ? " " + d["by"].get<std::string>() : ""));
    }
  return out;
}

std::vector<json> of_type(const json& run, const std::string& type)
{
  std::vector<json> out;
  for (const auto& r : run["records"])
    if (r["type"] == type)
      out.push_back(r);
  return out;
}

json score_of(const json& run, const std::string& team)
{
  for (const auto& s : run["scores"])
    if (s["team"] == team)
      return s;
  return json();
}

/// The attack happens: cert-a blocks its C2 before the report (order 300 s, effect 900 s); cert-b blocks after it
/// (order 2,400 s) and never isolates anything.
const json& attacked()
{
  static const json run = play({{controller, cmd("c1", "start")},
                                {controller, step_to("c2", "5m")},
                                {team_a, cmd("a1", "action", {{"action", "block"}, {"indicator", "ioc-c2-a"}})},
                                {controller, step_to("c3", "40m")},
                                {team_b, cmd("b1", "action", {{"action", "block"}, {"indicator", "ioc-c2-b"}})},
                                {controller, step_to("c4", "3h")}});
  return run;
}

/// Both teams prevent the attack: each isolates its workstation at 11 min (effect 960 s, before the lateral movement
/// ends at 1,800 s); cert-a blocks at 5 min as above, cert-b orders its block at 25 min (1,500 s), under way when the
/// report arrives at 1,800 s (effect 2,100 s).
const json& prevented()
{
  static const json run = play({{controller, cmd("c1", "start")},
                                {controller, step_to("c2", "5m")},
                                {team_a, cmd("a1", "action", {{"action", "block"}, {"indicator", "ioc-c2-a"}})},
                                {controller, step_to("c3", "11m")},
                                {team_a, cmd("a2", "action", {{"action", "isolate"}, {"target", "node:a-ws"}})},
                                {team_b, cmd("b2", "action", {{"action", "isolate"}, {"target", "node:b-ws"}})},
                                {controller, step_to("c4", "25m")},
                                {team_b, cmd("b1", "action", {{"action", "block"}, {"indicator", "ioc-c2-b"}})},
                                {controller, step_to("c5", "1h30m")},
                                {controller, cmd("c6", "inject_release", {{"inject", "b-fs-odd"}})},
                                {controller, step_to("c7", "3h")}});
  return run;
}

} // namespace

TEST_SUITE("exercise-expectations")
{
  TEST_CASE("an action taken before the inject whose effect still holds meets the expectation at activation")
  {
    // cert-a's block took effect at 900 s and still holds when c2-report activates exp-a-block at 1,800 s: met then,
    // by "state". Before this rule it was missed at 3,600 s (the block happened before the expectation was live).
    CHECK(decisions(attacked(), "exp-a-block") ==
          std::vector<std::string>{"expectation_active 1800.0 pending", "expectation_met 1800.0 met state"});
    // acting after the inject is met by the action itself (the order at 2,400 s), as before
    CHECK(decisions(attacked(), "exp-b-block") ==
          std::vector<std::string>{"expectation_active 1800.0 pending", "expectation_met 2400.0 met trigger"});
    // nothing done: missed at the deadline 1,800 + 1,800 = 3,600 s
    CHECK(decisions(attacked(), "exp-b-isolate-ws") ==
          std::vector<std::string>{"expectation_active 1800.0 pending", "expectation_missed 3600.0 missed deadline"});
    // an isolation in effect since 960 s, and a block ordered at 1,500 s that takes effect at 2,100 s (under way at
    // 1,800 s): both met at activation
    CHECK(decisions(prevented(), "exp-b-isolate-ws") ==
          std::vector<std::string>{"expectation_active 1800.0 pending", "expectation_met 1800.0 met state"});
    CHECK(decisions(prevented(), "exp-b-block") ==
          std::vector<std::string>{"expectation_active 1800.0 pending", "expectation_met 1800.0 met state"});
  }

  TEST_CASE("an expectation whose premise never held is not applicable at its deadline")
  {
    // attacked: a-fs compromised at 1,800 s, before fs-alarm (3,600 s): the premise held, nothing was done -> missed
    // at 3,600 + 1,800 = 5,400 s
    CHECK(decisions(attacked(), "exp-a-isolate-fs") ==
          std::vector<std::string>{"expectation_active 3600.0 pending", "expectation_missed 5400.0 missed deadline"});
    // prevented: a-ws isolated at 960 s, the lateral movement never compromises a-fs -> not applicable at 5,400 s
    CHECK(decisions(prevented(), "exp-a-isolate-fs") ==
          std::vector<std::string>{"expectation_active 3600.0 pending",
                                   "expectation_not_applicable 5400.0 not_applicable premise"});
    for (const auto& r : prevented()["records"])
      CHECK(r["subject"] != "node:a-fs"); // no event about a-fs at all: never attacked successfully
  }

  TEST_CASE("skip_if: a timed inject is skipped when its condition holds when due, and its expectations do not apply")
  {
    // attacked: b-fs compromised at 1,800 s, so "not compromised" no longer holds at 3,600 s: delivered
    CHECK(of_type(attacked(), "inject_skipped").empty());
    CHECK(decisions(attacked(), "exp-b-isolate-fs") ==
          std::vector<std::string>{"expectation_active 3600.0 pending", "expectation_missed 5400.0 missed deadline"});
    // prevented: b-fs never compromised -> skipped at 3,600 s, for control only; its expectation not applicable
    const auto skipped = of_type(prevented(), "inject_skipped");
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0]["time"] == 3600.0);
    CHECK(skipped[0]["details"] == json::parse(R"({"inject":"b-fs-odd","due":3600.0,"reason":"skip_if"})"));
    CHECK(decisions(prevented(), "exp-b-isolate-fs") ==
          std::vector<std::string>{"expectation_not_applicable 3600.0 not_applicable skipped"});
    for (const auto& r : of_type(prevented(), "inject"))
      CHECK(r["subject"] != "inject:b-fs-odd");
    // the controller cannot release it any more, and is told why
    CHECK(prevented()["replies"]["c6"]["error"] ==
          json::parse(
              R"({"code":"bad-state","message":"inject \"b-fs-odd\" was skipped: its skip_if held when it was due"})"));
  }

  TEST_CASE("not-applicable expectations are left out of the scores: preventing does not cost points")
  {
    // attacked: cert-a met 1 (exp-a-block), missed 1 (exp-a-isolate-fs): E = M = 100 x 1/2 = 50, total 50.
    //           cert-b met 1 (exp-b-block), missed 2 (exp-b-isolate-ws, exp-b-isolate-fs): 100 x 1/3 = 33.33.
    const json a1 = score_of(attacked(), "cert-a"), b1 = score_of(attacked(), "cert-b");
    CHECK(a1["expectations"] == 50.0);
    CHECK(a1["metric_details"]["expectations_met"]["value"] == 0.5);
    CHECK(a1["total"] == 50.0);
    CHECK(b1["expectations"] == 33.33);
    CHECK(b1["total"] == 33.33);
    // prevented: cert-a met 1, 1 not applicable: 100 x 1/1 = 100; cert-b met 2, 1 not applicable: 100 x 2/2 = 100
    const json a2 = score_of(prevented(), "cert-a"), b2 = score_of(prevented(), "cert-b");
    CHECK(a2["expectations"] == 100.0);
    CHECK(a2["metric_details"]["expectations_met"]["value"] == 1.0);
    CHECK(a2["total"] == 100.0);
    CHECK(b2["expectations"] == 100.0);
    CHECK(b2["total"] == 100.0);
  }

  TEST_CASE("the fold: an action's effect holds while the state says so, and only for the team that took it")
  {
    LoadResult r = load_scenario(fixture);
    REQUIRE(r.ok());
    const Scenario& sc = *r.scenario;
    ExerciseState state(sc);
    const Index ws = sc.node_by_id.at("a-ws");
    std::uint64_t seq = 0;
    auto event = [&](double t, RecordType type, const std::string& subject, const std::string& details) {
      const std::string j = R"({"seq":)" + std::to_string(++seq) + R"(,"time":)" + std::to_string(t) +
                            R"(,"kind":"event","type":")" + to_string(type) + R"(","subject":")" + subject +
                            R"(","details":)" + details + "}";
      state.apply(Record(seq, t, Audience{}, j));
    };
    CHECK_FALSE(state.action_holds("cert-a", ActionType::isolate, {ws}, ""));
    event(960, RecordType::node_isolated, "node:a-ws", R"({"team":"cert-a"})");
    CHECK(state.action_holds("cert-a", ActionType::isolate, {ws}, ""));
    CHECK(state.action_holds("cert-a", ActionType::isolate, {}, "")); // any node
    CHECK_FALSE(state.action_holds("cert-b", ActionType::isolate, {ws}, ""));
    CHECK_FALSE(state.action_holds("cert-a", ActionType::reset_credentials, {ws}, "")); // no lasting state
    event(1200, RecordType::node_reconnected, "node:a-ws", R"({"team":"cert-a"})");
    CHECK_FALSE(state.action_holds("cert-a", ActionType::isolate, {ws}, "")); // reconnected: no longer holds
    event(1300, RecordType::indicator_blocked, "indicator:ioc-c2-a", R"({"team":"cert-a","value":"a.c2.example"})");
    CHECK(state.action_holds("cert-a", ActionType::block, {}, "ioc-c2-a"));
    CHECK(state.action_holds("cert-a", ActionType::block, {}, ""));
    CHECK_FALSE(state.action_holds("cert-a", ActionType::block, {}, "ioc-c2-b"));
    CHECK_FALSE(state.action_holds("cert-b", ActionType::block, {}, ""));
    event(1400, RecordType::node_patched, "node:a-ws", R"({"team":"cert-a","vulnerability":"CVE-1"})");
    CHECK(state.action_holds("cert-a", ActionType::patch, {ws}, ""));
  }

  TEST_CASE("premise, skip_if, not and a block's indicator are read and checked with located errors")
  {
    // the fixture with one more inject first in its MSEL; the errors only
    auto diagnostics = [](const std::string& msel) {
      std::ifstream in(fixture);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const std::string key = "\"msel\": [";
      text.replace(text.find(key), key.size(), "\"msel\": [" + msel + ",");
      LoadResult r = load_scenario_text("x.json", text);
      std::string out;
      for (const auto& d : r.diagnostics.items())
        if (d.severity == Diagnostic::Severity::error)
          out += d.code + " (" + d.pointer + ") " + d.message + "\n";
      return out;
    };
    CHECK(diagnostics(R"({"id":"t1","trigger":{"inject_delivered":"startex"},"to":["cert-a"],
                          "skip_if":{"inject_delivered":"startex"}})") ==
          "scenario.inject-timing (/msel/0/skip_if) \"skip_if\" is checked when a timed inject is due; this inject has "
          "no \"time\"\n");
    CHECK(diagnostics(R"({"id":"t1","time":"1h","to":["cert-a"],"expectations":[{"id":"e9","team":"cert-a",
                          "met_by":{"action":"isolate","team":"cert-a","indicator":"ioc-c2-a"}}]})") ==
          "scenario.bad-value (/msel/0/expectations/0/met_by/indicator) \"indicator\" names what a \"block\" action "
          "blocks; this trigger waits for 'isolate'\n");
    CHECK(diagnostics(R"({"id":"t1","time":"1h","to":["cert-a"],"expectations":[{"id":"e9","team":"cert-a",
                          "premise":{"not":{"node_compromised":"node:a-fs"}},
                          "met_by":{"action":"block","team":"cert-a","indicator":"ioc-c2-aa"}}]})") ==
          "scenario.dangling-reference (/msel/0/expectations/0/met_by/indicator) no indicator 'ioc-c2-aa'; did you "
          "mean 'ioc-c2-a'?\n");
    CHECK(diagnostics(
              R"({"id":"t1","time":"1h","to":["cert-a"],"skip_if":{"not":[{"node_compromised":"node:a-fs"}]}})") ==
          "scenario.type (/msel/0/skip_if/not) expected a trigger object such as {\"node_compromised\": \"node:x\"}; "
          "got an array\n");
  }
}
