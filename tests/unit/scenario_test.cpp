#include "cyberex/attack_catalog.hpp"
#include "cyberex/scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace cyberex;

namespace {

const char* const tutorial = CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json";

/// A fresh temporary directory, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir()
  {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("cyberex-scenario-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& rel, const std::string& text) const
  {
    const fs::path p = path / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

std::string lines(const LoadResult& r, const std::string& strip)
{
  std::string out;
  for (const auto& d : r.diagnostics.items()) {
    std::string s = d.format();
    for (std::size_t at; (at = s.find(strip)) != std::string::npos;)
      s.erase(at, strip.size());
    out += s + "\n";
  }
  return out;
}

Index node(const Scenario& s, const std::string& id)
{
  auto it = s.node_by_id.find(id);
  REQUIRE(it != s.node_by_id.end());
  return it->second;
}

const Link& link(const Scenario& s, const std::string& id)
{
  auto it = std::find_if(s.links.begin(), s.links.end(), [&](const Link& l) { return l.id == id; });
  REQUIRE(it != s.links.end());
  return *it;
}

} // namespace

TEST_SUITE("scenario")
{
  TEST_CASE("the tutorial loads with no error and no warning")
  {
    const LoadResult r = load_scenario(tutorial);
    CHECK(lines(r, "") == "");
    REQUIRE(r.ok());
    const Scenario& s = *r.scenario;
    // 24 nodes written in the file (gov-ws counts 3) + 11 Abilene routers
    CHECK(s.nodes.size() == 35);
    // 4 explicit links + 14 Abilene links + 20 uplinks
    CHECK(s.links.size() == 38);
    CHECK(s.campaigns.size() == 2);
    CHECK(s.msel.size() == 6);
    CHECK(s.botnets.size() == 1);
    CHECK(s.sensors.size() == 3);
    CHECK(s.sites.size() == 6);
    CHECK(s.teams.size() == 4);
    CHECK(s.actions.size() == 17); // one per action type: 12, and issue 14's public_statement, close_breaker, refuel,
                                   // filter_ddos, stop_filtering
    CHECK(s.exercise.duration == 8 * 3600.0);
    CHECK(s.exercise.seed == 42);
    CHECK(s.exercise.moves[1].offset == 4 * 3600.0);
  }

  TEST_CASE("tutorial: counts, uplinks, units and indices are resolved")
  {
    const LoadResult r = load_scenario(tutorial);
    REQUIRE(r.ok());
    const Scenario& s = *r.scenario;
    const Node& ws2 = s.nodes[static_cast<std::size_t>(node(s, "gov-ws-2"))];
    CHECK(ws2.site == "agency");
    CHECK(ws2.site_index == s.site_by_id.at("agency"));
    CHECK(ws2.zone == "lan");
    CHECK(ws2.vulnerabilities.size() == 1);
    CHECK_FALSE(s.node_by_id.count("gov-ws"));

    const Link& up = link(s, "gov-ws-1~gov-sw");
    CHECK(up.a_index == node(s, "gov-ws-1"));
    CHECK(up.b_index == node(s, "gov-sw"));
    CHECK(up.bandwidth == 125e6); // site default 1 Gbps
    CHECK(up.latency == 1e-4);
    CHECK(link(s, "c2~inet").bandwidth == 12.5e6); // uplink_bandwidth 100Mbps
    CHECK(link(s, "gov-uplink").latency == 0.002);
    CHECK(link(s, "gov-uplink").b_index == node(s, "abilene:Washington DC"));
    CHECK(link(s, "ut-it-ot").firewall.size() == 3);

    const Node& ny = s.nodes[static_cast<std::size_t>(node(s, "abilene:New York"))];
    CHECK(ny.kind == NodeKind::router);
    CHECK(ny.site == "backbone");
    CHECK(ny.imported_from == "abilene");

    const Node& gen1 = s.nodes[static_cast<std::size_t>(node(s, "gen-1"))];
    CHECK(gen1.capacity_mw == 200.0);
    CHECK(gen1.grid_index == 0);
    CHECK(s.nodes[static_cast<std::size_t>(node(s, "sub-city"))].customers == 200000);
    CHECK(s.nodes[static_cast<std::size_t>(node(s, "ut-hmi"))].controls_index ==
          std::vector<Index>{node(s, "gen-1"), node(s, "gen-2")});
    CHECK(s.grids[0].frequency_hz == 50.0);
    // a network of 7 buses and 8 branches (docs/engine.md, "The tutorial's grid, by hand"): no copper-plate reserve
    CHECK(s.grids[0].reserve_mw == 0.0);
    CHECK(s.grids[0].networked());
    CHECK(s.grids[0].buses.size() == 7);
    CHECK(s.grids[0].branches.size() == 8);
    CHECK(gen1.bus == "plant-1");
    CHECK(gen1.setpoint_mw == 180.0);

    const Service& web = s.services[static_cast<std::size_t>(s.service_by_id.at("gov-website"))];
    REQUIRE(web.probe);
    CHECK(web.probe->from_index == node(s, "inet"));
    CHECK(web.probe->interval == 60.0);
    CHECK(web.probe->degraded_latency == 0.5);
    CHECK(web.probe->response_bytes == 100e3);

    const Campaign& apt = s.campaigns[0];
    CHECK(apt.start == 600.0);
    CHECK(apt.c2.node_index == node(s, "c2"));
    CHECK(apt.c2.beacon_bytes == 2000.0);
    CHECK(apt.c2.indicators_index == std::vector<Index>{s.indicator_by_id.at("ioc-c2")});
    CHECK(apt.steps[1].duration.kind == Distribution::Kind::uniform);
    CHECK(apt.steps[1].duration.a == 600.0);
    CHECK(apt.steps[1].duration.b == 1800.0);
    CHECK(apt.steps[1].requires_.steps_index == std::vector<Index>{0});
    CHECK(apt.steps[3].duration.kind == Distribution::Kind::triangular);
    CHECK(apt.steps[3].duration.c == 1200.0);
    CHECK(apt.steps[5].exfiltrate_bytes == 500e6);
    const Step& rdp = s.campaigns[1].steps[1];
    CHECK(rdp.duration.kind == Distribution::Kind::lognormal);
    CHECK(rdp.duration.a == 7200.0);
    CHECK(rdp.duration.b == 0.3);

    const Botnet& flood = s.botnets[0];
    CHECK(flood.bot_bandwidth == 125e3);
    CHECK(flood.attach_index == std::vector<Index>{node(s, "bot-gw")});
    CHECK(flood.schedule[1].start == 5 * 3600.0);
    CHECK(flood.schedule[1].end == 5.5 * 3600.0);

    CHECK(s.sensors[0].covers_nodes.size() == 9); // every node of site agency
    CHECK(s.sensors[1].delay.kind == Distribution::Kind::exponential);
    CHECK(s.sensors[1].delay.a == 600.0);

    CHECK(s.teams[1].asset_nodes.size() == 12); // utility-it 2 + utility-ot 9 + water 1
    CHECK(s.teams[0].organisation_index == 0);

    const auto& inj = s.msel;
    CHECK(inj[0].time == 900.0);          // move-1 + "H+0 M+15"
    CHECK(inj[4].time == 4 * 3600.0);     // move-2 + "M+0"
    CHECK_FALSE(inj[1].time.has_value()); // contingency
    CHECK(inj[2].trigger->kind == Trigger::Kind::exfiltrated_over);
    CHECK(inj[2].trigger->amount == 100e6);
    CHECK(inj[2].delay == 300.0);
    CHECK(inj[5].trigger->kind == Trigger::Kind::all);
    CHECK(inj[5].trigger->children.size() == 2);
    CHECK(inj[5].expires == 7200.0);
    CHECK(inj[0].expectations[0].team_index == s.team_by_id.at("cert-gov"));
    CHECK(inj[0].expectations[0].within == 3600.0);
    CHECK(inj[0].to_index == std::vector<Index>{0, 1});

    const ActionSpec& restore = s.actions[static_cast<std::size_t>(ActionType::restore)];
    CHECK(restore.type == ActionType::restore);
    CHECK(restore.duration == 600.0);
    CHECK(restore.effect_duration == 7200.0);
    CHECK(s.actions[static_cast<std::size_t>(ActionType::manual_operations)].capacity == 0.6);
    CHECK(s.scoring.severity.size() == 5);
    CHECK(s.scoring.severity[1].levels.at("classified") == 100.0);
    CHECK(s.scoring.weight_metrics == 0.2);
  }

  TEST_CASE("generation units: hot start by default, 1 h; a cold start 6 h; an explicit restart time wins")
  {
    TempDir dir;
    const LoadResult r =
        load_scenario(dir.write("s.json", R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h"},
"sites": [{"id": "hq"}], "grids": [{"id": "g"}],
"nodes": [{"id": "hot", "site": "hq", "kind": "generation_unit", "grid": "g"},
  {"id": "cold", "site": "hq", "kind": "generation_unit", "grid": "g", "start": "cold"},
  {"id": "fast", "site": "hq", "kind": "generation_unit", "grid": "g", "start": "cold", "restart_time": "45m"}]})"));
    REQUIRE(r.ok());
    const Scenario& s = *r.scenario;
    CHECK(s.nodes[node(s, "hot")].start == UnitStart::hot);
    CHECK(s.nodes[node(s, "hot")].restart_time == 3600);
    CHECK(s.nodes[node(s, "cold")].start == UnitStart::cold);
    CHECK(s.nodes[node(s, "cold")].restart_time == 6 * 3600);
    CHECK(s.nodes[node(s, "fast")].restart_time == 45 * 60);
  }

  TEST_CASE("triggers whose optional keys are absent keep their condition")
  {
    // Regression: an absent optional key ("target", "to", "campaign") used to make the whole trigger read as
    // "always", so exp-manual was met the moment its inject arrived.
    const LoadResult r = load_scenario(tutorial);
    REQUIRE(r.ok());
    const Scenario& s = *r.scenario;
    const Inject& inj05 = s.msel[static_cast<std::size_t>(s.inject_by_id.at("inj-05"))];
    REQUIRE(inj05.expectations.size() == 1);
    const Trigger& manual = inj05.expectations[0].met_by;
    CHECK(manual.kind == Trigger::Kind::action);
    CHECK(manual.team == "cert-energy");
    CHECK(manual.action_type == "manual_operations");
    CHECK(manual.subject == "");
    const Inject& inj01 = s.msel[static_cast<std::size_t>(s.inject_by_id.at("inj-01"))];
    CHECK(inj01.expectations[0].met_by.kind == Trigger::Kind::message);
    CHECK(inj01.expectations[0].met_by.team == "cert-gov");
    CHECK(inj01.expectations[0].met_by.to == "cert-energy");
    const Inject& inj03 = s.msel[static_cast<std::size_t>(s.inject_by_id.at("inj-03"))];
    REQUIRE(inj03.trigger.has_value());
    CHECK(inj03.trigger->kind == Trigger::Kind::exfiltrated_over);
    CHECK(inj03.trigger->amount == 100e6);
    CHECK(inj03.trigger->subject == "apt-docs");
  }

  TEST_CASE("select_nodes")
  {
    const LoadResult r = load_scenario(tutorial);
    REQUIRE(r.ok());
    const Scenario& s = *r.scenario;
    CHECK(select_nodes(s, "site:agency kind:workstation") ==
          std::vector<Index>{node(s, "gov-ws-1"), node(s, "gov-ws-2"), node(s, "gov-ws-3")});
    CHECK(select_nodes(s, "node:plc-1") == std::vector<Index>{node(s, "plc-1")});
    CHECK(select_nodes(s, "zone:utility-ot/field kind:substation") ==
          std::vector<Index>{node(s, "sub-city"), node(s, "sub-rural")});
    CHECK(select_nodes(s, "service:water-supply") == std::vector<Index>{node(s, "pump-1")});
    CHECK(select_nodes(s, "team:cert-gov").size() == 9);
    CHECK(select_nodes(s, "team:cert-gov kind:firewall") == std::vector<Index>{node(s, "gov-fw")});
    CHECK(select_nodes(s, "*").size() == 35);
    CHECK(select_nodes(s, "site:backbone").size() == 11);
    CHECK(select_nodes(s, "  kind:plc  ") == std::vector<Index>{node(s, "plc-1")});
    CHECK(select_nodes(s, "site:nowhere").empty());
    CHECK(select_nodes(s, "kind:toaster").empty());
    CHECK(select_nodes(s, "tag:none").empty());
    CHECK(select_nodes(s, "").empty());
  }

  TEST_CASE("actions the scenario does not list get their defaults")
  {
    TempDir dir;
    const auto path = dir.write("s.json", R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1h"},
"actions": [{"type": "patch", "duration": "1h"}]})");
    const LoadResult r = load_scenario(path);
    REQUIRE(r.ok());
    const auto& a = r.scenario->actions;
    REQUIRE(a.size() == 17); // one per ActionType, up to stop_filtering
    CHECK(a[static_cast<std::size_t>(ActionType::patch)].duration == 3600.0);
    CHECK(a[static_cast<std::size_t>(ActionType::isolate)].duration == 300.0);
    CHECK(a[static_cast<std::size_t>(ActionType::restore)].effect_duration == 7200.0);
    CHECK(a[static_cast<std::size_t>(ActionType::manual_operations)].capacity == 0.5);
    CHECK(a[static_cast<std::size_t>(ActionType::share)].duration == 0.0);
    for (std::size_t i = 0; i < a.size(); ++i)
      CHECK(static_cast<std::size_t>(a[i].type) == i);
  }

  TEST_CASE("a listed action keeps the built-in values of the fields it leaves out")
  {
    TempDir dir;
    const auto path = dir.write("s.json", R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1h"},
"actions": [{"type": "restore", "duration": "30m"}, {"type": "manual_operations", "description": "by hand"},
            {"type": "isolate", "offline": "1h", "capacity": 0.25}]})");
    const LoadResult r = load_scenario(path);
    REQUIRE(r.ok());
    const auto& a = r.scenario->actions;
    const ActionSpec& restore = a[static_cast<std::size_t>(ActionType::restore)];
    CHECK(restore.duration == 1800.0);
    CHECK(restore.effect_duration == 7200.0);
    const ActionSpec& manual = a[static_cast<std::size_t>(ActionType::manual_operations)];
    CHECK(manual.duration == 900.0);
    CHECK(manual.capacity == 0.5);
    CHECK(manual.description == "by hand");
    const ActionSpec& isolate = a[static_cast<std::size_t>(ActionType::isolate)];
    CHECK(isolate.duration == 300.0);
    CHECK(isolate.effect_duration == 3600.0);
    CHECK(isolate.capacity == 0.25);
  }

  TEST_CASE("includes append to every section; diagnostics point into the included file")
  {
    TempDir dir;
    const auto main = dir.write("main.json", R"({"cyberex": 1,
"exercise": {"title": "t", "duration": "2h"},
"include": ["parts/net.json"],
"sites": [{"id": "hq"}],
"nodes": [{"id": "fw", "site": "hq", "kind": "firewall"}]
})");
    dir.write("parts/net.json", R"({"include": ["../teams.json"],
"nodes": [{"id": "ws", "count": 2, "site": "hq", "kind": "workstation", "uplink": "fw"}],
"adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "s1", "technique": "T1566.001", "source": "external", "target": "node:ws-1", "duration": "1m"}]}]}
})");
    dir.write("teams.json", R"({"cyberex": 1, "teams": [{"id": "blue", "assets": ["site:hq"]}],
"sites": [{"id": "net", "name": "Internet"}],
"nodes": [{"id": "inet", "site": "net", "kind": "internet", "uplink": "fw"}]})");
    const LoadResult r = load_scenario(main);
    CHECK(lines(r, dir.path.string() + "/") == "");
    REQUIRE(r.ok());
    const Scenario& s = *r.scenario;
    CHECK(s.nodes.size() == 4);
    CHECK(s.nodes[0].id == "fw");
    CHECK(s.nodes[1].id == "ws-1");
    CHECK(s.nodes[3].id == "inet");
    CHECK(s.nodes[1].origin.file == (dir.path / "parts/net.json").string());
    CHECK(s.nodes[1].origin.pointer == "/nodes/0");
    CHECK(s.teams[0].asset_nodes == std::vector<Index>{0, 1, 2});
    CHECK(s.campaigns.size() == 1);
    CHECK(s.links.size() == 3);

    // The same include with an error: the diagnostic names the included file and its own line.
    dir.write("teams.json", R"({"cyberex": 1, "teams": [{"id": "blue", "assets": ["site:hq"]}],
"sites": [{"id": "net", "name": "Internet"}],
"nodes": [{"id": "inet", "site": "nett", "kind": "internet", "uplink": "fw"}]})");
    const LoadResult bad = load_scenario(main);
    CHECK_FALSE(bad.ok());
    CHECK(lines(bad, dir.path.string() + "/") ==
          "teams.json:3:34: error: [scenario.dangling-reference] (/nodes/0/site) no site 'nett'; did you mean "
          "'net'?\n");
  }

  TEST_CASE("the shipped ATT&CK catalog")
  {
    const AttackCatalog& c = AttackCatalog::shipped();
    REQUIRE(c.find("T1566.001"));
    CHECK(c.find("T1566.001")->name == "Spearphishing Attachment");
    CHECK(c.find("T1566.001")->tactics == std::vector<std::string>{"initial-access"});
    REQUIRE(c.find("T0855"));
    CHECK(c.find("T0855")->domain == "ics");
    CHECK(c.find("T9999") == nullptr);
    CHECK(c.is_tactic("lateral-movement"));
    CHECK(c.is_tactic("impair-process-control"));
    CHECK_FALSE(c.is_tactic("Lateral Movement"));
    CHECK(c.techniques().size() == 691 + 83);
    CHECK_THROWS_WITH_AS(AttackCatalog::load("/nonexistent/catalog.json"),
                         "cannot open the ATT&CK catalog '/nonexistent/catalog.json' (set CYBEREX_DATA to the "
                         "directory that holds attack/attack-catalog.json)",
                         std::runtime_error);
  }

  TEST_CASE("cyberex validate: summary, exit status and options")
  {
    TempDir dir;
    const std::string cli = CYBEREX_BINARY;
    const std::string out = (dir.path / "out.txt").string();
    const std::string err = (dir.path / "err.txt").string();
    const auto run = [&](const std::string& args) {
      const int status = std::system((cli + " validate " + args + " >" + out + " 2>" + err).c_str());
      return WEXITSTATUS(status);
    };
    const auto read = [](const std::string& p) {
      std::ifstream in(p);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    CHECK(run("scenarios/tutorial/tutorial.json") == 0);
    CHECK(read(out) == "scenarios/tutorial/tutorial.json: valid (35 nodes, 38 links, 2 campaigns, 6 injects), 0 "
                       "warnings\n");
    CHECK(read(err) == "");

    const auto warn = dir.write("warn.json", R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1h"},
"msel": [{"id": "i", "time": "5m"}]})");
    const auto bad = dir.write("bad.json", R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1 h"}})");
    CHECK(run(warn) == 0);
    CHECK(run(warn + " --werror") == 2);
    CHECK(run(warn + " " + bad) == 2);
    CHECK(read(out) == warn + ": valid (0 nodes, 0 links, 0 campaigns, 1 inject), 1 warning\n" + bad +
                           ": invalid, 1 error, 0 warnings\n");
    CHECK(read(err) == warn +
                           ":2:10: warning: [scenario.unreceived-inject] (/msel/0) inject 'i' has no recipient: give "
                           "it \"to\" (team ids) or \"hidden\": true\n" +
                           bad +
                           ":1:55: error: [scenario.bad-unit] (/exercise/duration) expected a duration such as "
                           "\"90s\", \"15m\", \"2h30m\"; got \"1 h\"\n");
    CHECK(run(bad + " --quiet") == 2);
    CHECK(read(out) == "");
    CHECK(run("") == 1);
    CHECK(run("--frobnicate " + warn) == 1);
    CHECK(run("--help") == 0);
    CHECK(read(out).rfind("usage: cyberex validate FILE...", 0) == 0);
  }

  TEST_CASE("cyberex labels: a topology's node ids, labels and coordinates")
  {
    TempDir dir;
    const std::string cli = CYBEREX_BINARY;
    const std::string out = (dir.path / "out.txt").string();
    const std::string err = (dir.path / "err.txt").string();
    const auto run = [&](const std::string& args) {
      const int status = std::system((cli + " labels " + args + " >" + out + " 2>" + err).c_str());
      return WEXITSTATUS(status);
    };
    const auto read = [](const std::string& p) {
      std::ifstream in(p);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    // Expected rows read from Heanet.graphml with Python's xml.etree (labels, Latitude, Longitude in document order;
    // 13 edges); the id column is as wide as the longest id, "heanet:TDC (Trinity College Dublin)" (35 characters).
    CHECK(run("scenarios/topologies/Heanet.graphml") == 0);
    CHECK(read(out) == "id                                   label                           latitude    longitude\n"
                       "heanet:Galway                        Galway                          53.27194     -9.04889\n"
                       "heanet:Limerick                      Limerick                        52.66472     -8.62306\n"
                       "heanet:Cork                          Cork                            51.89861     -8.49583\n"
                       "heanet:CityWest                      CityWest                        53.34399     -6.26719\n"
                       "heanet:DCU (Dublin City University   DCU (Dublin City University     53.34399     -6.26719\n"
                       "heanet:TDC (Trinity College Dublin)  TDC (Trinity College Dublin)    53.34399     -6.26719\n"
                       "heanet:Kilcarbery                    Kilcarbery                      53.34399     -6.26719\n"
                       "7 labels, 13 links\n");
    CHECK(read(err) == "");
    const std::string nowhere = dir.write("n.graphml", "<graphml>\n<graph>\n</graph>\n</graphml>\n");
    CHECK(run(nowhere + " --prefix zoo") == 2);
    CHECK(read(out) == "");
    CHECK(read(err) == nowhere + ":2:1: error: [graphml.no-nodes] the graph has no nodes\n");
    CHECK(run("") == 1);
    CHECK(run("--help") == 0);
    CHECK(read(out).rfind("usage: cyberex labels FILE.graphml [--prefix ID]", 0) == 0);
  }
}
