/* Issue 14, part B: triggers for every consequence, not_before on triggered injects, and the validator's checks of
 * them. The session runs headless in a child process (one SimGrid engine per process); the parent checks its records.
 *
 * Fixture: tests/scenario/triggers/triggers.json. Campaign "blackout" starts at 0 with probability 1 and fixed step
 * durations, each step starting when the one before succeeds:
 *   phish   T1566.001 -> ws   10m  succeeds at  600 s
 *   lateral T1021.001 -> hmi  20m  succeeds at 1800 s (admin)
 *   derate  T0831     -> plc2  5m  succeeds at 2100 s: g2 (controlled by plc2) loses 20 %: 80 MW
 *   trip    T0855     -> hmi   5m  succeeds at 2400 s: g1 (controlled by hmi) trips
 *   encrypt T1486     -> ws   10m  succeeds at 3000 s
 *   leak    T1567     -> c2   10m  succeeds at 3600 s: data_published
 * Grid: g1 200 MW + g2 100 MW for the substation's 250 MW, no reserve. After the derate 200 + 80 = 280 >= 250: nothing
 * shed. After the trip 80 < 250: the substation is shed at 2400 s, so dependency web-needs-sub (web on sub) is lost at
 * 2400 s and its 1000 s generator runs dry at 3400 s; web fails then, and the web site's probe (every 1 min from inet,
 * rounds at k x 60 s) first finds it down at 3420 s (57 x 60). */
#include "exercise_child.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

using nlohmann::json;
using namespace cyberex;

namespace {

const std::string fixture = "tests/scenario/triggers/triggers.json";

std::string slurp_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The whole exercise, headless: every record the session emits.
const json& exercise()
{
  static const json result = [] {
    const std::string out = test::in_child([] {
      LoadResult r = load_scenario(fixture);
      if (!r.ok())
        return std::string("does not load");
      json records = json::array();
      ExerciseSession session(*r.scenario, test::tutorial_options(),
                              [&](const Record& o) { records.push_back(json::parse(o.json)); });
      session.handle({Role::controller, ""}, R"({"id":"s","type":"start"})");
      session.advance_to(2 * 3600);
      return records.dump();
    });
    json j = json::parse(out, nullptr, false);
    return j.is_discarded() ? json{{"error", out.substr(0, 300)}} : j;
  }();
  return result;
}

/// The time of the first record of `type` with `subject`, or -1.
double first(const std::string& type, const std::string& subject)
{
  for (const auto& r : exercise())
    if (r.is_object() && r["type"] == type && r["subject"] == subject)
      return r["time"].get<double>();
  return -1;
}

json first_record(const std::string& type, const std::string& subject)
{
  for (const auto& r : exercise())
    if (r.is_object() && r["type"] == type && r["subject"] == subject)
      return r;
  return json();
}

/// The fixture with one inject's trigger replaced, loaded from one line of text; its diagnostics.
std::vector<Diagnostic> with_trigger(const json& trigger, std::string* text_out = nullptr)
{
  json sc = json::parse(slurp_file(fixture));
  sc["msel"] = json::array({{{"id", "x"}, {"trigger", trigger}, {"to", {"grid-op"}}, {"title", "x"}}});
  const std::string text = sc.dump();
  if (text_out)
    *text_out = text;
  LoadResult r = load_scenario_text("t.json", text);
  std::vector<Diagnostic> errors;
  for (const auto& d : r.diagnostics.items())
    if (d.severity == Diagnostic::Severity::error)
      errors.push_back(d);
  return errors;
}

/// Column (1-based) of the first occurrence of `needle` in a one-line text: where a diagnostic points.
int column_of(const std::string& text, const std::string& needle)
{
  const auto at = text.find(needle);
  return at == std::string::npos ? -1 : static_cast<int>(at) + 1;
}

} // namespace

TEST_SUITE("exercise-triggers")
{
  TEST_CASE("the fixture's world: each consequence at its hand-derived time")
  {
    REQUIRE_MESSAGE(exercise().is_array(), exercise().dump());
    CHECK(first("step_succeeded", "campaign:blackout") == 600);
    CHECK(first("unit_derated", "node:g2") == 2100);
    CHECK(first("unit_tripped", "node:g1") == 2400);
    CHECK(first("dependency_lost", "dependency:web-needs-sub") == 2400);
    CHECK(first("backup_exhausted", "dependency:web-needs-sub") == 3400);
    CHECK(first("node_encrypted", "node:ws") == 3000);
    CHECK(first("data_published", "campaign:blackout") == 3600);
    // the first probe_status is the first answer (up); the first "down" comes at the round after 3400 s
    double down = -1;
    for (const auto& r : exercise())
      if (r["type"] == "probe_status" && r["details"]["status"] == "down" && down < 0)
        down = r["time"].get<double>();
    CHECK(down == 3420);
  }

  TEST_CASE("each consequence trigger fires at the time of its event")
  {
    REQUIRE(exercise().is_array());
    // inject_triggered is emitted when the trigger fires (delay 0: due at once)
    CHECK(first("inject_triggered", "inject:on-technique") == 600); // T1566 matches the phish's T1566.001
    CHECK(first("inject_triggered", "inject:on-step") == 1800);     // blackout/lateral
    CHECK(first("inject_triggered", "inject:on-derate") == 2100);
    CHECK(first("inject_triggered", "inject:on-trip") == 2400); // site:plant holds g1
    CHECK(first("inject_triggered", "inject:on-dependency") == 2400);
    CHECK(first("inject_triggered", "inject:on-dependent") == 2400); // node:web is the dependent of web-needs-sub
    CHECK(first("inject_triggered", "inject:on-dry") == 3400);
    CHECK(first("inject_triggered", "inject:on-probe") == 3420); // grid-op owns web (site:plant): it sees the probe
    CHECK(first("inject_triggered", "inject:on-probe-degraded") == 3420); // down counts as degraded
    CHECK(first("inject_triggered", "inject:on-encrypted") == 3000);
    CHECK(first("inject_triggered", "inject:on-published") == 3600);
    // delivered at the same instants
    CHECK(first("inject", "inject:on-dry") == 3400);
    CHECK(first("inject", "inject:on-published") == 3600);
  }

  TEST_CASE("not_before: a triggered inject is delivered at max(trigger time + delay, not_before)")
  {
    REQUIRE(exercise().is_array());
    // g1 trips at 2400 s; delay 5m: 2700 s. news-held has not_before 1h: max(2700, 3600) = 3600
    const json held = first_record("inject_triggered", "inject:news-held");
    CHECK(held["time"] == 2400);
    CHECK(held["details"]["due"] == 3600);
    CHECK(first("inject", "inject:news-held") == 3600);
    // news-free has not_before 30m: max(2700, 1800) = 2700
    CHECK(first_record("inject_triggered", "inject:news-free")["details"]["due"] == 2700);
    CHECK(first("inject", "inject:news-free") == 2700);
  }

  TEST_CASE("state check at activation: expectations delivered at 1h10m are met at once by what already holds")
  {
    REQUIRE(exercise().is_array());
    // "checks" is delivered at 4200 s: every condition below became true earlier (times above)
    for (const char* id : {"x-step", "x-technique", "x-derated", "x-tripped", "x-dependency", "x-dry", "x-probe",
                           "x-encrypted", "x-published"}) {
      const json met = first_record("expectation_met", std::string("expectation:") + id);
      CHECK_MESSAGE(met["time"] == 4200, id);
      // met at the instant it activates: by the state that already holds (docs/scenario-format.md, expectations)
      CHECK_MESSAGE(met["details"]["by"] == "state", id);
    }
    // g1 was tripped, never derated: its expectation waits for its 10 min deadline and is missed at 4800 s
    CHECK(first("expectation_met", "expectation:x-not-derated") == -1);
    CHECK(first("expectation_missed", "expectation:x-not-derated") == 4800);
  }

  TEST_CASE("the validator names bad subjects of the consequence triggers, located")
  {
    std::string text;
    auto one = [&](const json& trigger) {
      const auto d = with_trigger(trigger, &text);
      REQUIRE(d.size() == 1);
      CHECK(d[0].line == 1);
      return d[0];
    };
    Diagnostic d = one({{"step_succeeded", {{"campaign", "blackout"}, {"step", "tripp"}}}});
    CHECK(d.code == "scenario.dangling-reference");
    CHECK(d.pointer == "/msel/0/trigger/step_succeeded/step");
    CHECK(d.message == "campaign 'blackout' has no step 'tripp'; did you mean 'trip'?");
    CHECK(d.column == column_of(text, "\"tripp\""));

    d = one({{"step_succeeded", {{"technique", "T1490"}}}});
    CHECK(d.code == "scenario.never-fires");
    CHECK(d.pointer == "/msel/0/trigger/step_succeeded/technique");
    CHECK(d.message == "no step of any campaign uses technique 'T1490' or one of its sub-techniques");

    d = one({{"step_succeeded", {{"step", "trip"}}}});
    CHECK(d.code == "scenario.missing-field");
    CHECK(d.pointer == "/msel/0/trigger/step_succeeded");
    CHECK(d.message == "missing field \"campaign\": a step id is unique within its campaign");

    d = one({{"dependency_lost", "web-need-sub"}});
    CHECK(d.code == "scenario.dangling-reference");
    CHECK(d.pointer == "/msel/0/trigger/dependency_lost");
    CHECK(d.message == "no dependency 'web-need-sub'; did you mean 'web-needs-sub'?");
    CHECK(d.column == column_of(text, "\"web-need-sub\""));

    d = one({{"backup_exhausted", "node:wbe"}});
    CHECK(d.code == "scenario.dangling-reference");
    CHECK(d.pointer == "/msel/0/trigger/backup_exhausted");
    CHECK(d.message == "no dependency has the dependent 'node:wbe'; did you mean 'node:web'?");

    d = one({{"probe_down", "web-site"}, {"team", "it-team"}});
    CHECK(d.code == "scenario.never-fires");
    CHECK(d.pointer == "/msel/0/trigger/team");
    CHECK(d.message ==
          "team 'it-team' does not receive the probe_status of service 'web-site': it does not own node 'web'");

    d = one({{"unit_tripped", "node:ws"}});
    CHECK(d.code == "scenario.never-fires");
    CHECK(d.pointer == "/msel/0/trigger/unit_tripped");
    CHECK(d.message == "selector 'node:ws' matches no generation unit or substation; only those are tripped");

    d = one({{"unit_derated", "node:sub"}});
    CHECK(d.message == "selector 'node:sub' matches no generation unit; only those are derated");

    d = one({{"data_published", "blackouts"}});
    CHECK(d.code == "scenario.dangling-reference");
    CHECK(d.pointer == "/msel/0/trigger/data_published");
    CHECK(d.message == "no campaign 'blackouts'; did you mean 'blackout'?");

    d = one({{"node_encrypted", "node:nope"}});
    CHECK(d.code == "scenario.unknown-node");
    CHECK(d.pointer == "/msel/0/trigger/node_encrypted");
  }

  TEST_CASE("the validator: a backup that cannot run dry, a probe that does not exist, not_before without a trigger")
  {
    json sc = json::parse(slurp_file(fixture));
    sc["dependencies"][0].erase("backup");
    sc["services"][0].erase("probe");
    sc["msel"] = json::array({{{"id", "a"}, {"trigger", {{"backup_exhausted", "web-needs-sub"}}}, {"to", {"grid-op"}}},
                              {{"id", "b"}, {"trigger", {{"probe_degraded", "web-site"}}}, {"to", {"grid-op"}}},
                              {{"id", "c"}, {"time", "10m"}, {"not_before", "20m"}, {"to", {"grid-op"}}}});
    LoadResult r = load_scenario_text("t.json", sc.dump());
    std::vector<std::string> errors;
    for (const auto& d : r.diagnostics.items())
      if (d.severity == Diagnostic::Severity::error)
        errors.push_back("[" + d.code + "] (" + d.pointer + ") " + d.message);
    CHECK(errors ==
          std::vector<std::string>{
              "[scenario.inject-timing] (/msel/2/not_before) \"not_before\" holds back a triggered inject; this "
              "inject has no \"trigger\"",
              "[scenario.never-fires] (/msel/0/trigger/backup_exhausted) dependency 'web-needs-sub' has no "
              "backup, so none runs dry: use dependency_lost",
              "[scenario.never-fires] (/msel/1/trigger/probe_degraded) service 'web-site' has no availability "
              "probe, so no probe_status: give it a \"probe\" or use service_down / service_degraded (ground "
              "truth)"});
  }
}
