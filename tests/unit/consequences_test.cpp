/* Issue 14, part D: finer consequences and public communication.
 *
 * engine-consequences: restore time per node kind; a backup store destroyed (T1490) makes the restore of what it backs
 * up longer or impossible; field crews closing breakers and refuelling backups; a public statement is its own record.
 * scenario-consequences: the fields that describe them (node "backup", restore's "offline_by_kind" and
 * "backup_destroyed", refuel's "extends"), with their diagnostics.
 * play-statement: a public statement sent from play's responses meets an expectation and is in the report.
 *
 * Every figure is derived by hand in the comment above its check. */
#include "cyberex/scenario.hpp"
#include "engine_support.hpp"
#include "journal_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace cyberex;
using namespace cyberex::test;

namespace {

Command command(double t, const std::string& team, const std::string& action, const std::string& target = "")
{
  Command c;
  c.time = t;
  c.team = team;
  c.action = action;
  c.target = target;
  return c;
}

double time_of(const nlohmann::json& e)
{
  return e["time"].get<double>();
}

// att (attacker) -- nas (file server holding dc's backups) ; dc (domain controller, backed up on nas), ws
// (workstation, no backup store named), srv (server). Service "ad" on dc. Restore: 10 min to start, then offline
// 2 h by default, 8 h for a domain controller, 1 h for a workstation. Campaign "wiper": T1490 on nas at 30 min.
Builder office(double backup_destroyed_factor, const std::string& wiper_target = "node:nas")
{
  Builder b;
  b.sc.exercise.duration = 48 * 3600;
  b.node("att", NodeKind::attacker);
  b.node("nas", NodeKind::file_server);
  Index dc = b.node("dc", NodeKind::domain_controller);
  b.node("ws", NodeKind::workstation);
  b.node("srv", NodeKind::server);
  b.sc.nodes[dc].backup = "nas";
  b.link("att", "nas", 1.25e6, 0.01);
  b.link("att", "dc", 1.25e6, 0.01);
  b.team("it", {"node:nas", "node:dc", "node:ws", "node:srv"});
  b.action(ActionType::restore, 600, 7200);
  b.sc.actions.back().effect_duration_by_kind = {{NodeKind::domain_controller, 8 * 3600.0},
                                                 {NodeKind::workstation, 3600.0}};
  b.sc.actions.back().backup_destroyed_factor = backup_destroyed_factor;
  Service ad;
  ad.id = "ad";
  ad.node = "dc";
  b.sc.services.push_back(ad);
  Campaign c;
  c.id = "wiper";
  c.start = 1800;
  c.steps.push_back(step("inhibit", "T1490", "external", wiper_target, 0, StepEffect::destroy_backup));
  b.sc.campaigns.push_back(c);
  b.done();
  // what the loader's resolve pass does for "backup"
  b.sc.nodes[dc].backup_index = b.at("nas");
  return b;
}

// The grid of engine_model_test.cpp: g1 200 MW, g2 150 MW, reserve 20 MW; substations A (180 MW, 200,000 customers,
// shed second) and B (120 MW, 150,000 customers, shed first); water on "pump" depends on A with a backup. The PLC
// controls `controlled`; the campaign trips it at 1 h.
Builder grid_world(const std::string& controlled, double backup_seconds = 7200,
                   const std::string& backup_kind = "generator")
{
  Builder b;
  north_grid(b, controlled);
  b.team("ops", {"node:g1", "node:g2", "node:plc", "node:A", "node:B", "node:pump"});
  b.action(ActionType::close_breaker, 1800); // the crew's travel and work: 30 min
  b.action(ActionType::refuel, 1800);        // 30 min to get the fuel there
  b.sc.actions.back().extends = 7200;        // 2 h more of running
  water_and_blackout(b, backup_seconds, backup_kind);
  b.done();
  return b;
}

} // namespace

TEST_SUITE("engine-consequences")
{
  TEST_CASE("restore time per node kind: a domain controller 8 h, a workstation 1 h, any other kind the default 2 h")
  {
    // restores issued at 1 h: effective at 1 h + 10 min = 4,200 s, then offline for the kind's time:
    //   dc  4,200 + 28,800 = 33,000 s; ws 4,200 + 3,600 = 7,800 s; srv 4,200 + 7,200 = 11,400 s.
    // The wiper targets nothing here (it destroys the backups on ws, which holds none and names none).
    Builder b = office(0, "node:ws");
    auto r = run(b.sc, 40000,
                 {command(3600, "it", "restore", "node:dc"), command(3600, "it", "restore", "node:ws"),
                  command(3600, "it", "restore", "node:srv")});
    auto offline = events_of(r, "node_offline");
    REQUIRE(offline.size() == 3);
    CHECK(offline[0]["subject"] == "node:dc");
    CHECK(offline[0]["details"]["until"].get<double>() == 33000);
    CHECK(offline[1]["details"]["until"].get<double>() == 7800);
    CHECK(offline[2]["details"]["until"].get<double>() == 11400);
    auto restored = events_of(r, "node_restored", "node:dc");
    REQUIRE(restored.size() == 1);
    CHECK(time_of(restored[0]) == 33000);
    CHECK(time_of(events_of(r, "node_restored", "node:ws").at(0)) == 7800);
    // the domain controller's service: down while it is offline, back at T+8 h after the restore took effect
    auto ad = events_of(r, "service_status", "service:ad");
    REQUIRE(ad.size() == 2);
    CHECK(time_of(ad[0]) == 4200);
    CHECK(ad[0]["details"]["status"] == "down");
    CHECK(time_of(ad[1]) == 33000);
    CHECK(ad[1]["details"]["status"] == "up");
    CHECK(r["kpis"]["services"][0]["downtime"].get<double>() == 28800);
    CHECK(events_of(r, "backup_destroyed").empty());
  }

  TEST_CASE("T1490 on the backup store: the domain controller's restore takes 3 x 8 h; a node without that store 1 h")
  {
    // the wiper destroys nas's backups at 30 min (a step of 0 s at the campaign's start); dc's restore issued at 1 h
    // takes effect at 4,200 s and keeps it offline 3 x 28,800 = 86,400 s: back at 90,600 s. ws names no backup store:
    // its 1 h is unchanged (4,200 + 3,600 = 7,800 s).
    Builder b = office(3);
    auto r = run(b.sc, 100000, {command(3600, "it", "restore", "node:dc"), command(3600, "it", "restore", "node:ws")});
    auto destroyed = events_of(r, "backup_destroyed");
    REQUIRE(destroyed.size() == 1);
    CHECK(time_of(destroyed[0]) == 1800);
    CHECK(destroyed[0]["subject"] == "node:nas");
    CHECK(destroyed[0]["details"] ==
          nlohmann::json::parse(R"({"campaign":"wiper","technique":"T1490","backs_up":["dc"]})"));
    auto offline = events_of(r, "node_offline", "node:dc");
    REQUIRE(offline.size() == 1);
    CHECK(offline[0]["details"]["until"].get<double>() == 90600);
    CHECK(time_of(events_of(r, "node_restored", "node:dc").at(0)) == 90600);
    CHECK(time_of(events_of(r, "node_restored", "node:ws").at(0)) == 7800);
    CHECK(r["kpis"]["services"][0]["downtime"].get<double>() == 86400);
  }

  TEST_CASE("T1490 with no factor: the restore is refused with a plain message, the node stays as it was")
  {
    // the step targets dc itself: T1490 on a node destroys the backups on its store (nas) as well
    Builder b = office(0, "node:dc");
    auto r = run(b.sc, 20000, {command(3600, "it", "restore", "node:dc"), command(3600, "it", "restore", "node:ws")});
    auto destroyed = events_of(r, "backup_destroyed");
    REQUIRE(destroyed.size() == 1);
    CHECK(destroyed[0]["subject"] == "node:nas");
    auto refused = events_of(r, "action_refused");
    REQUIRE(refused.size() == 1);
    CHECK(time_of(refused[0]) == 4200);
    CHECK(refused[0]["subject"] == "node:dc");
    CHECK(refused[0]["details"] ==
          nlohmann::json::parse(R"({"team":"it","action":"restore","reason":"no backup to restore from: its backup )"
                                R"(on nas was destroyed"})"));
    CHECK(events_of(r, "node_offline", "node:dc").empty());
    CHECK(events_of(r, "service_status", "service:ad").empty());
    CHECK(events_of(r, "node_offline", "node:ws").size() == 1); // the other target of the same time is restored
  }

  TEST_CASE("close_breaker after a substation trip: A's load back at 2 h 30 min, 270 MWh less lost")
  {
    // the PLC trips A at 1 h: 180 MW and 200,000 customers lost; 150 + 200 + 20 = 370 MW still cover B's 120 MW.
    // Without a crew, to 4 h: 180 MW x 3 h = 540 MWh. A crew sent at 2 h works 30 min and closes A's breakers at
    // 2 h 30 min: 180 MW x 1.5 h = 270 MWh, exactly 270 MWh less, and 200,000 x 1.5 h = 300,000 customer-hours.
    // The water pump's 2 h generator (from 1 h) would run dry at 3 h: A is back before, so water never goes down.
    Builder b = grid_world("A");
    auto without = run(b.sc, 4 * 3600);
    CHECK(without["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(540));
    CHECK(events_of(without, "service_status", "service:water").size() == 1);

    auto r = run(b.sc, 4 * 3600, {command(7200, "ops", "close_breaker", "node:A")});
    auto closed = events_of(r, "breaker_closed");
    REQUIRE(closed.size() == 1);
    CHECK(time_of(closed[0]) == 9000);
    CHECK(closed[0]["subject"] == "node:A");
    auto back = events_of(r, "load_restored", "node:A");
    REQUIRE(back.size() == 1);
    CHECK(time_of(back[0]) == 9000);
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(270));
    CHECK(without["kpis"]["power"]["mwh_lost"].get<double>() - r["kpis"]["power"]["mwh_lost"].get<double>() ==
          doctest::Approx(270));
    CHECK(r["kpis"]["power"]["customer_hours_lost"].get<double>() == doctest::Approx(300000));
    CHECK(events_of(r, "service_status", "service:water").empty());
    CHECK(events_of(r, "backup_exhausted").empty());
  }

  TEST_CASE("close_breaker on a tripped unit: the unit restarts (hot start, 1 h) from the crew's closing")
  {
    // g1 trips at 1 h: 170 MW for 300 MW, A and B shed (300 MW). Crew sent at 2 h closes g1's breakers at 2 h 30 min;
    // g1 then restarts for its hot start's 1 h and delivers from 3 h 30 min: 300 MW x 2.5 h = 750 MWh to 4 h
    // (without the crew 300 MW x 3 h = 900 MWh).
    Builder b = grid_world("g1");
    auto r = run(b.sc, 4 * 3600, {command(7200, "ops", "close_breaker", "node:g1")});
    CHECK(time_of(events_of(r, "breaker_closed", "node:g1").at(0)) == 9000);
    auto g1 = events_of(r, "unit_output", "node:g1");
    REQUIRE(g1.size() == 3);
    CHECK(g1[1]["details"]["mode"] == "starting");
    CHECK(g1[1]["details"]["online_at"].get<double>() == 12600);
    CHECK(time_of(g1[2]) == 12600);
    CHECK(g1[2]["details"]["mw"].get<double>() == 200);
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(750));
  }

  TEST_CASE("refuel at 3 h of a 4 h battery: it runs 2 h longer, water goes down at 7 h instead of 5 h")
  {
    // A tripped at 1 h: the pump's 4 h battery would be flat at 5 h. A refuel issued at 3 h lands at 3 h 30 min and
    // adds 2 h: flat at 7 h. To 8 h, water is down 1 h instead of 3 h.
    Builder b = grid_world("A", 4 * 3600, "battery");
    auto without = run(b.sc, 8 * 3600);
    CHECK(time_of(events_of(without, "backup_exhausted").at(0)) == 5 * 3600);
    CHECK(without["kpis"]["services"][0]["downtime"].get<double>() == 3 * 3600);

    auto r = run(b.sc, 8 * 3600, {command(3 * 3600, "ops", "refuel", "dependency:water-needs-A")});
    auto refuelled = events_of(r, "backup_refuelled");
    REQUIRE(refuelled.size() == 1);
    CHECK(time_of(refuelled[0]) == 12600);
    CHECK(refuelled[0]["subject"] == "dependency:water-needs-A");
    CHECK(refuelled[0]["details"] == nlohmann::json::parse(R"({"team":"ops","extends":7200.0,"until":25200.0})"));
    auto dry = events_of(r, "backup_exhausted");
    REQUIRE(dry.size() == 1);
    CHECK(time_of(dry[0]) == 7 * 3600);
    CHECK(r["kpis"]["services"][0]["downtime"].get<double>() == 3600);
  }

  TEST_CASE("refuel after the generator ran dry restarts it for 2 h; refuel while the grid is up is refused")
  {
    // 2 h generator from 1 h: dry at 3 h, water down. A refuel named by its dependent (service:water) issued at
    // 3 h 30 min lands at 4 h: water up from 4 h to 6 h, then dry again. Water down 3 h..4 h and 6 h..8 h: 3 h.
    // A refuel at 10 min (lands at 40 min, before the trip) has nothing to refuel: refused.
    Builder b = grid_world("A");
    auto r = run(b.sc, 8 * 3600,
                 {command(600, "ops", "refuel", "service:water"), command(12600, "ops", "refuel", "service:water")});
    auto refused = events_of(r, "action_refused");
    REQUIRE(refused.size() == 1);
    CHECK(time_of(refused[0]) == 2400);
    CHECK(refused[0]["details"]["reason"] == "its backup is not running: node:A is up");
    auto refuelled = events_of(r, "backup_refuelled");
    REQUIRE(refuelled.size() == 1);
    CHECK(refuelled[0]["details"]["until"].get<double>() == 6 * 3600);
    auto water = events_of(r, "service_status", "service:water");
    REQUIRE(water.size() == 3);
    CHECK(time_of(water[0]) == 3 * 3600);
    CHECK(time_of(water[1]) == 4 * 3600);
    CHECK(water[1]["details"]["status"] == "up");
    CHECK(time_of(water[2]) == 6 * 3600);
    CHECK(r["kpis"]["services"][0]["downtime"].get<double>() == 3 * 3600);
  }

  TEST_CASE("a public statement is an action of its own: action_started then public_statement with kind and text")
  {
    Builder b = grid_world("A");
    Command c = command(600, "ops", "public_statement");
    c.kind = "public_advisory";
    c.text = "Boil water before drinking.";
    auto r = run(b.sc, 1200, {c});
    auto started = events_of(r, "action_started", "team:ops");
    REQUIRE(started.size() == 1);
    CHECK(started[0]["details"]["kind"] == "public_advisory");
    auto said = events_of(r, "public_statement");
    REQUIRE(said.size() == 1);
    CHECK(time_of(said[0]) == 600); // no public_statement spec here: no duration
    CHECK(said[0]["subject"] == "team:ops");
    CHECK(said[0]["details"] ==
          nlohmann::json::parse(R"({"kind":"public_advisory","text":"Boil water before drinking."})"));
  }

  TEST_CASE("the new actions are checked: kind and text, breaker equipment, a dependency with a backup")
  {
    Builder b = grid_world("A");
    b.sc.dependencies.push_back(Dependency{"pump-needs-A", "node:pump", "node:A", std::nullopt, "", {}});
    Command c = command(0, "ops", "public_statement");
    CHECK(validate_command(c, b.sc) == "action 'public_statement' needs a 'kind': press_statement or public_advisory");
    c.kind = "tweet";
    CHECK(validate_command(c, b.sc) ==
          "action 'public_statement' needs a 'kind': press_statement or public_advisory; got 'tweet'");
    c.kind = "press_statement";
    CHECK(validate_command(c, b.sc) == "action 'public_statement' needs a 'text': what the public is told");
    c.text = "We are restoring power.";
    CHECK(validate_command(c, b.sc).empty());
    CHECK(validate_command(command(0, "ops", "close_breaker", "node:plc"), b.sc) ==
          "target 'node:plc' selects no substation or generation unit: a field crew closes breakers there");
    CHECK(validate_command(command(0, "ops", "close_breaker", "node:B"), b.sc).empty());
    CHECK(validate_command(command(0, "ops", "refuel"), b.sc) ==
          "action 'refuel' needs a 'target': \"dependency:ID\", or the dependent (\"service:x\", \"node:x\")");
    CHECK(validate_command(command(0, "ops", "refuel", "dependency:nope"), b.sc) == "no dependency 'nope'");
    CHECK(validate_command(command(0, "ops", "refuel", "dependency:pump-needs-A"), b.sc) ==
          "dependency 'pump-needs-A' has no backup to refuel");
    CHECK(validate_command(command(0, "ops", "refuel", "node:pump"), b.sc) ==
          "target 'node:pump' is the dependent of no dependency with a backup");
    CHECK(validate_command(command(0, "ops", "refuel", "service:water"), b.sc).empty());
  }
}

TEST_SUITE("scenario-consequences")
{
  const std::string world = R"({
  "cyberex": 1,
  "exercise": { "id": "x", "title": "x", "start": "2026-01-01T09:00:00", "duration": "8h" },
  "sites": [ { "id": "hq", "name": "HQ" } ],
  "nodes": [
    { "id": "nas", "site": "hq", "kind": "file_server" },
    { "id": "dc", "site": "hq", "kind": "domain_controller", "backup": "nas" },
    { "id": "ws", "site": "hq", "kind": "workstation", "backup": BACKUP }
  ],
  "teams": [ { "id": "it", "name": "IT", "assets": ["site:hq"] } ],
  "actions": [ ACTIONS ]
})";

  std::string scenario(const std::string& backup, const std::string& actions)
  {
    std::string s = world;
    s.replace(s.find("BACKUP"), 6, backup);
    s.replace(s.find("ACTIONS"), 7, actions);
    return s;
  }

  std::string diagnostics(const LoadResult& r)
  {
    std::string out;
    for (const auto& d : r.diagnostics.items())
      out += d.format() + "\n";
    return out;
  }

  TEST_CASE("a restore's offline time per node kind, its factor for a destroyed backup, a refuel's extension")
  {
    const auto r =
        load_scenario_text("w.json", scenario("\"nas\"", R"({ "type": "restore", "duration": "15m", "offline": "2h",
      "offline_by_kind": { "domain_controller": "8h", "workstation": "1h" }, "backup_destroyed": 2.5 },
    { "type": "refuel", "duration": "45m", "extends": "6h" })"));
    REQUIRE_MESSAGE(r.ok(), diagnostics(r));
    const Scenario& sc = *r.scenario;
    CHECK(sc.nodes[1].backup == "nas");
    CHECK(sc.nodes[1].backup_index == 0);
    const ActionSpec& restore = sc.actions[static_cast<std::size_t>(ActionType::restore)];
    CHECK(restore.effect_duration == 7200);
    CHECK(restore.effect_duration_by_kind ==
          std::map<NodeKind, double>{{NodeKind::domain_controller, 28800}, {NodeKind::workstation, 3600}});
    CHECK(restore.backup_destroyed_factor == 2.5);
    const ActionSpec& refuel = sc.actions[static_cast<std::size_t>(ActionType::refuel)];
    CHECK(refuel.duration == 2700);
    CHECK(refuel.extends == 21600);
    // not listed: the built-in values (close_breaker 1 h; public_statement immediate)
    CHECK(sc.actions[static_cast<std::size_t>(ActionType::close_breaker)].duration == 3600);
    CHECK(sc.actions[static_cast<std::size_t>(ActionType::public_statement)].duration == 0);
    CHECK(diagnostics(r).empty());
  }

  TEST_CASE("an unknown backup store, a node kind that does not exist, a factor below 1, a field on the wrong action")
  {
    const auto r = load_scenario_text(
        "w.json", scenario("\"nsa\"", R"({ "type": "restore", "offline_by_kind": { "domain_controler": "8h" },
      "backup_destroyed": 0.5 }, { "type": "isolate", "extends": "1h" })"));
    CHECK_FALSE(r.ok());
    CHECK(diagnostics(r) ==
          "w.json:11:58: error: [scenario.bad-value] (/actions/0/offline_by_kind/domain_controler) unknown node kind "
          "'domain_controler'; did you mean 'domain_controller'?\n"
          "w.json:12:27: error: [scenario.bad-value] (/actions/0/backup_destroyed) expected a factor >= 1 on the "
          "offline time, or \"impossible\"; got 0.5\n"
          "w.json:12:66: warning: [scenario.ignored] (/actions/1/extends) 'extends' applies to action 'refuel' "
          "only; action 'isolate' ignores it\n"
          "w.json:8:66: error: [scenario.unknown-node] (/nodes/2/backup) no node 'nsa'; did you mean 'nas'?\n");
  }

  TEST_CASE("\"impossible\" is the default; a node cannot hold its own backup")
  {
    const auto r =
        load_scenario_text("w.json", scenario("\"ws\"", R"({ "type": "restore", "backup_destroyed": "impossible" })"));
    CHECK(diagnostics(r) == "w.json:8:66: error: [scenario.bad-value] (/nodes/2/backup) node 'ws' cannot hold its "
                            "own backup: name another node\n");
    const auto ok = load_scenario_text("w.json", scenario("\"nas\"", R"({ "type": "restore" })"));
    REQUIRE(ok.ok());
    CHECK(ok.scenario->actions[static_cast<std::size_t>(ActionType::restore)].backup_destroyed_factor == 0);
  }
}

TEST_SUITE("play-statement")
{
  using journal_test::Output;
  using journal_test::run_cli;
  using journal_test::slurp;
  using journal_test::spit;
  using journal_test::temp_dir;
  using Json = nlohmann::json;
  const std::string fixture = "tests/scenario/statement/";

  TEST_CASE("a press statement from play's responses meets the expectation and is in the report's three formats")
  {
    // inj-leak at 10 min expects a public statement of cert-x within 30 min; the response at 12 min takes 5 min (the
    // scenario's public_statement duration): action_started at 720 s, public_statement at 1,020 s. The expectation is
    // met when the action is taken (at 720 s, as for every action: docs/protocol.md).
    const std::string dir = temp_dir();
    const std::string j = dir + "/statement.journal";
    const Output play = run_cli("play " + fixture + "statement.json --play " + fixture + "responses.json --journal " +
                                j + " --json --quiet");
    REQUIRE_MESSAGE(play.status == 0, play.err);
    Json said, met;
    for (std::size_t at = 0, next; (next = slurp(j).find('\n', at)) != std::string::npos; at = next + 1) {
      const Json line = Json::parse(slurp(j).substr(at, next - at), nullptr, false);
      if (line.is_object() && line.value("type", "") == "public_statement")
        said = line;
      if (line.is_object() && line.value("type", "") == "expectation_met")
        met = line;
    }
    REQUIRE(said.is_object());
    CHECK(said["time"].get<double>() == 1020);
    CHECK(said["subject"] == "team:cert-x");
    CHECK(said["details"] == Json::parse(R"({"kind":"press_statement","text":"We are aware of the publication and )"
                                         R"(are investigating."})"));
    CHECK(said["audience"] == "all"); // said to the public: every team and observer sees it
    REQUIRE(met.is_object());
    CHECK(met["time"].get<double>() == 720);

    const Output json = run_cli("report " + j + " --format json -o " + dir + "/aar.json");
    REQUIRE_MESSAGE(json.status == 0, json.err);
    const Json aar = Json::parse(slurp(dir + "/aar.json"));
    CHECK(aar["public_communication"] ==
          Json::parse(R"([{"time":1020.0,"clock":"09:17","team":"cert-x","team_name":"CERT-X",)"
                      R"("kind":"press_statement","text":"We are aware of the publication and are investigating."}])"));
    REQUIRE(run_cli("report " + j + " --format md -o " + dir + "/aar.md").status == 0);
    CHECK(slurp(dir + "/aar.md")
              .find("### Public communication\n\n| Time | Team | Kind | Text |\n|---|---|---|---|\n"
                    "| 09:17 | cert-x | press statement | We are aware of the publication and are "
                    "investigating. |\n") != std::string::npos);
    REQUIRE(run_cli("report " + j + " --format html -o " + dir + "/aar.html").status == 0);
    CHECK(slurp(dir + "/aar.html")
              .find("<h3 id=\"public-communication\">Public communication</h3>\n<table><tr><th>"
                    "Time</th><th>Team</th><th>Kind</th><th>Text</th></tr><tr><td>09:17</td><td>"
                    "CERT-X</td><td>press statement</td><td>We are aware of the publication and "
                    "are investigating.</td></tr></table>") != std::string::npos);
  }

  TEST_CASE("without a statement the expectation is missed and the report says no statement was made")
  {
    const std::string dir = temp_dir();
    const std::string j = dir + "/silent.journal";
    REQUIRE(run_cli("play " + fixture + "statement.json --journal " + j + " --quiet").status == 0);
    // missed at 10 min + 30 min
    CHECK(slurp(j).find("\"time\":2400.0,\"kind\":\"exercise\",\"type\":\"expectation_missed\"") != std::string::npos);
    REQUIRE(run_cli("report " + j + " --format md -o " + dir + "/aar.md").status == 0);
    CHECK(slurp(dir + "/aar.md")
              .find("### Public communication\n\nNo team made a press statement or public "
                    "advisory.\n") != std::string::npos);
  }

  TEST_CASE("a statement without its kind or text is refused with a located message, from a file and from a client")
  {
    const auto loaded = load_scenario(fixture + "statement.json");
    REQUIRE(loaded.ok());
    const PlayResult p = parse_play(R"({"responses": [
  {"at": "20m", "team": "cert-x", "action": "public_statement", "kind": "public_advisory"},
  {"at": "25m", "team": "cert-x", "action": "public_statement", "text": "x"}
]})",
                                    "r.json", *loaded.scenario);
    REQUIRE(p.diagnostics.items().size() == 2);
    CHECK(p.diagnostics.items()[0].format() == "r.json:2:3: error: [play.invalid] (/responses/0) action "
                                               "'public_statement' needs a 'text': what the public is told");
    CHECK(p.diagnostics.items()[1].format() == "r.json:3:3: error: [play.invalid] (/responses/1) action "
                                               "'public_statement' needs a 'kind': press_statement or public_advisory");

    const std::string dir = temp_dir();
    spit(dir + "/script.jsonl",
         R"({"at":"20m","as":"player:cert-x","command":{"type":"action","action":"public_statement","text":"x"}})"
         "\n");
    const Output play = run_cli("play " + fixture + "statement.json --script " + dir + "/script.jsonl --journal " +
                                dir + "/s.journal --quiet");
    CHECK(play.err.find("(/kind) public_statement needs \\\"kind\\\": \\\"press_statement\\\" or "
                        "\\\"public_advisory\\\"") != std::string::npos);
  }
}
