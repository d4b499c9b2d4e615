/* Issue 15: networked grids in the scenario format and the engine.
 *
 * grid-engine: the DC network re-solved after every change inside the simulation: a hand-derived three-bus cascade
 * (a campaign step opens a line, another overloads, its inverse-time protection trips it, an island short of
 * generation sheds load by priority), a field crew closing the breaker again (islands merge, load restored), bus
 * dependencies, a setpoint manipulation, case9 imported as a scenario grid, a v1 grid unchanged.
 * grid-scenario: the fields (buses, branches, protection, bus, setpoint, matpower, "branch:" controls, "bus:"
 * dependencies) and their located diagnostics, malformed case files included.
 *
 * Every figure is derived by hand in the comment above its check. */
#include "cyberex/grid_network.hpp"
#include "cyberex/scenario.hpp"
#include "engine_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace cyberex;
using namespace cyberex::test;

namespace {

const std::string dir = std::string(CYBEREX_SOURCE_DIR) + "/tests/scenario/grid/";

Scenario load(const std::string& file)
{
  auto r = load_scenario(dir + file);
  for (const auto& d : r.diagnostics.items())
    MESSAGE(d.format());
  REQUIRE(r.ok());
  return *r.scenario;
}

/// Every diagnostic of a scenario given as text, formatted (the file is named `name` in tests/scenario/grid/).
std::vector<std::string> diagnostics(const std::string& name, const std::string& text)
{
  auto r = load_scenario_text(dir + name, text);
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.items())
    out.push_back(d.format());
  return out;
}

Command command(double t, const std::string& team, const std::string& action, const std::string& target)
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

bool exact(double a, double b)
{
  return std::abs(a - b) < 1e-9;
}

std::string cascade_text()
{
  std::ifstream in(dir + "cascade.json");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// cascade.json with one text replaced (the fixture for a diagnostic).
std::string cascade_with(const std::string& from, const std::string& to)
{
  std::string s = cascade_text();
  const auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

} // namespace

TEST_SUITE("grid-engine")
{
  // tests/scenario/grid/cascade.json, base 100 MVA, every branch x = 0.1 p.u. (susceptance 10 p.u., so a flow is
  // 1000 MW per radian of angle difference):
  //
  //        g1 400 MW, setpoint 120          l12 (200 MW)          g2 50 MW, setpoint 40
  //   n1 (reference) ---------------------------------------- n2   s2a 60 MW (priority 0, 30,000 customers)
  //        \                                                 /      s2b 50 MW (priority 1, 20,000 customers)
  //    l13 (200 MW)                          l23 (50 MW, pickup 1.0, time dial 60 s)
  //          \                                             /
  //           -------------------- n3  s3 50 MW ----------
  //
  // Load 60 + 50 + 50 = 160 MW = setpoints 120 + 40: the governor moves nothing. Injections P1 = 120, P2 = 40 - 110
  // = -70, P3 = -50 MW. With theta1 = 0 the reduced B = [[20, -10], [-10, 20]] (p.u.) and P/100 = [-0.7, -0.5]:
  //   det = 300; theta2 = (20 x -0.7 + 10 x -0.5) / 300 = -19/300; theta3 = (10 x -0.7 + 20 x -0.5) / 300 = -17/300.
  //   f12 = 1000 x 19/300 = 63.333... MW; f13 = 1000 x 17/300 = 56.666... MW; f23 = 1000 x (-19 + 17)/300 =
  //   -6.666... MW (n3 -> n2). l23 at 6.667/50 = 13.3 %: no overload.
  // At 1 h the campaign's trip on rtu-1 opens l12 (breaker_opened). The grid is radial n1 - n3 - n2: n2's deficit
  // 70 MW comes over l23, f23 = -70 MW, 140 % of its 50 MW, and f13 = 120 MW. L = 70 / (50 x 1.0) = 1.4, so the
  // protection trips l23 after 60 / (1.4 - 1) = 150 s, at 3,750 s (branch_tripped).
  // Islands {n1, n3} and {n2} form. {n2}: 110 MW of load, 50 MW of capacity: the under-frequency relays shed by
  // (priority, id): s2a (priority 0, 60 MW) first, leaving 50 MW <= 50 MW; g2 picks up to 50 MW. {n1, n3}: g1 backs
  // down from 120 to 50 MW for s3; f13 = 50 MW.
  // MW lost 60 from 3,750 s. Without a crew, to 4 h (14,400 s): 60 x 10,650 / 3,600 = 177.5 MWh and 30,000 x
  // 10,650 / 3,600 = 88,750 customer-hours.
  // A crew sent at 2 h (close_breaker takes 1 h) closes l12 at 3 h = 10,800 s: one island again (island_merged), s2a
  // restored; radial n2 - n1 - n3 with l23 open: f12 = 70 MW (n2's deficit 110 - 40), f13 = 50 MW, setpoints again
  // 120 and 40. MW lost 60 from 3,750 s to 10,800 s: 60 x 7,050 / 3,600 = 117.5 MWh, 30,000 x 7,050 / 3,600 =
  // 58,750 customer-hours.

  TEST_CASE("the cascade: trip, overload, protection trip after the inverse-time delay, island, shedding by priority")
  {
    const Scenario sc = load("cascade.json");
    // the flows before anything happens, from the network the engine builds (exact doubles)
    auto nets = grid_networks(sc);
    REQUIRE(nets.size() == 1);
    const power::Network& net = nets[0].network;
    REQUIRE(net.branches.size() == 3);
    power::Solver solver(net);
    power::State st = power::initial_state(net);
    auto s0 = solver.solve(st);
    CHECK(exact(s0.flow_mw[0], 190.0 / 3));
    CHECK(exact(s0.flow_mw[1], 170.0 / 3));
    CHECK(exact(s0.flow_mw[2], -20.0 / 3));
    CHECK(exact(s0.gen_mw[0], 120));
    CHECK(exact(s0.gen_mw[1], 40));
    st.branch_closed[0] = 0; // l12 open
    auto s1 = solver.solve(st);
    CHECK(exact(s1.flow_mw[2], -70));
    CHECK(exact(s1.loading_pct[2], 140));
    CHECK(exact(s1.flow_mw[1], 120));

    auto r = run(sc, 14400);
    REQUIRE(r.contains("events"));
    // t = 0: the network's dispatch is what the units report
    auto g1 = events_of(r, "unit_output", "node:g1");
    REQUIRE(g1.size() == 2);
    CHECK(time_of(g1[0]) == 0);
    CHECK(exact(g1[0]["details"]["mw"].get<double>(), 120));
    CHECK(time_of(g1[1]) == 3750);
    CHECK(exact(g1[1]["details"]["mw"].get<double>(), 50));
    auto g2 = events_of(r, "unit_output", "node:g2");
    REQUIRE(g2.size() == 2);
    CHECK(exact(g2[0]["details"]["mw"].get<double>(), 40));
    CHECK(exact(g2[1]["details"]["mw"].get<double>(), 50));

    auto opened = events_of(r, "breaker_opened");
    REQUIRE(opened.size() == 1);
    CHECK(time_of(opened[0]) == 3600);
    CHECK(opened[0]["subject"] == "branch:north/l12");
    CHECK(opened[0]["details"] == nlohmann::json::parse(R"({"grid":"north","campaign":"blackout","by":"rtu-1"})"));

    auto tripped = events_of(r, "branch_tripped");
    REQUIRE(tripped.size() == 1);
    CHECK(exact(time_of(tripped[0]), 3750));
    CHECK(tripped[0]["subject"] == "branch:north/l23");
    const auto& td = tripped[0]["details"];
    CHECK(exact(td["flow_mw"].get<double>(), -70));
    CHECK(exact(td["loading_pct"].get<double>(), 140));
    CHECK(exact(td["delay"].get<double>(), 150));
    CHECK(exact(td["overloaded_at"].get<double>(), 3600));
    CHECK(td["cause"] == "protection");
    CHECK(td["after"] == "branch:north/l12 opened");

    auto formed = events_of(r, "island_formed");
    REQUIRE(formed.size() == 2);
    CHECK(exact(time_of(formed[0]), 3750));
    CHECK(formed[0]["details"]["buses"] == nlohmann::json::parse(R"(["n1","n3"])"));
    CHECK(exact(formed[0]["details"]["generation_mw"].get<double>(), 50));
    CHECK(exact(formed[0]["details"]["load_mw"].get<double>(), 50));
    CHECK(formed[0]["details"]["cause"] == "branch:north/l23 tripped");
    CHECK(formed[1]["details"]["buses"] == nlohmann::json::parse(R"(["n2"])"));
    CHECK(exact(formed[1]["details"]["generation_mw"].get<double>(), 50));
    CHECK(exact(formed[1]["details"]["load_mw"].get<double>(), 50));
    CHECK(exact(formed[1]["details"]["shed_mw"].get<double>(), 60));

    auto shed = events_of(r, "load_shed");
    REQUIRE(shed.size() == 1);
    CHECK(exact(time_of(shed[0]), 3750));
    CHECK(shed[0]["subject"] == "load:north/s2a");
    CHECK(shed[0]["details"] ==
          nlohmann::json::parse(R"({"grid":"north","bus":"n2","mw":60.0,"customers":30000,"priority":0,)"
                                R"("cause":"under-frequency","after":"branch:north/l23 tripped"})"));
    // the substation's own records, as for a copper plate
    auto lost = events_of(r, "load_lost", "node:s2a");
    REQUIRE(lost.size() == 1);
    CHECK(lost[0]["details"]["reason"] == "load shed");
    CHECK(events_of(r, "load_lost", "node:s2b").empty());
    CHECK(events_of(r, "load_lost", "node:s3").empty());

    // the grid's balance: 60 MW lost and shed, one overloaded branch while l23's timer ran, two islands after
    auto balance = events_of(r, "grid_balance", "grid:north");
    REQUIRE(balance.size() == 3);
    CHECK(balance[0]["details"] ==
          nlohmann::json::parse(R"({"available":450.0,"demand":160.0,"lost_mw":0.0,"customers_lost":0,)"
                                R"("shed_mw":0.0,"overloaded":0,"islands":1})"));
    CHECK(time_of(balance[1]) == 3600);
    CHECK(balance[1]["details"]["overloaded"] == 1);
    CHECK(exact(time_of(balance[2]), 3750));
    CHECK(balance[2]["details"] ==
          nlohmann::json::parse(R"({"available":450.0,"demand":160.0,"lost_mw":60.0,"customers_lost":30000,)"
                                R"("shed_mw":60.0,"overloaded":0,"islands":2})"));

    // 60 MW x 10,650 s
    CHECK(exact(r["kpis"]["power"]["mwh_lost"].get<double>(), 177.5));
    CHECK(exact(r["kpis"]["power"]["customer_hours_lost"].get<double>(), 88750));
    CHECK(exact(r["kpis"]["power"]["mw_lost_max"].get<double>(), 60));

    // bus dependencies: n2's load is shed, so the pump on n2 fails; n3 stays energised
    auto pump = events_of(r, "dependency_lost", "dependency:pump-needs-n2");
    REQUIRE(pump.size() == 1);
    CHECK(exact(time_of(pump[0]), 3750));
    CHECK(events_of(r, "dependency_lost", "dependency:pump-3-needs-n3").empty());
  }

  TEST_CASE("close_breaker on the opened line: the islands merge, s2a is restored, 117.5 MWh lost")
  {
    const Scenario sc = load("cascade.json");
    auto r = run(sc, 14400, {command(7200, "ops", "close_breaker", "branch:l12")});
    REQUIRE(r.contains("events"));
    auto closed = events_of(r, "breaker_closed");
    REQUIRE(closed.size() == 1);
    CHECK(time_of(closed[0]) == 10800);
    CHECK(closed[0]["subject"] == "branch:north/l12");
    CHECK(closed[0]["details"] == nlohmann::json::parse(R"({"team":"ops","grid":"north"})"));
    auto merged = events_of(r, "island_merged");
    REQUIRE(merged.size() == 1);
    CHECK(time_of(merged[0]) == 10800);
    CHECK(merged[0]["details"]["buses"] == nlohmann::json::parse(R"(["n1","n2","n3"])"));
    CHECK(exact(merged[0]["details"]["generation_mw"].get<double>(), 160));
    CHECK(exact(merged[0]["details"]["load_mw"].get<double>(), 160));
    CHECK(merged[0]["details"]["cause"] == "branch:north/l12 closed");
    auto back = events_of(r, "load_restored", "load:north/s2a");
    REQUIRE(back.size() == 1);
    CHECK(time_of(back[0]) == 10800);
    CHECK(time_of(events_of(r, "load_restored", "node:s2a").at(0)) == 10800);
    auto g1 = events_of(r, "unit_output", "node:g1");
    REQUIRE(g1.size() == 3);
    CHECK(exact(g1[2]["details"]["mw"].get<double>(), 120));
    // the pump's bus is energised again
    CHECK(time_of(events_of(r, "dependency_restored", "dependency:pump-needs-n2").at(0)) == 10800);
    // 60 MW x 7,050 s; 30,000 customers x 7,050 s
    CHECK(exact(r["kpis"]["power"]["mwh_lost"].get<double>(), 117.5));
    CHECK(exact(r["kpis"]["power"]["customer_hours_lost"].get<double>(), 58750));
    // l12 carries 70 MW now: no overload, no second trip
    CHECK(events_of(r, "branch_tripped").size() == 1);
  }

  TEST_CASE("an overload that clears before the delay cancels the protection timer")
  {
    // A 1 min crew (close_breaker duration 60 s) sent at 3,620 s closes l12 at 3,680 s, 80 s into l23's 150 s: the
    // flows of t = 0 return (l23 at 13.3 %), the timer is cancelled and nothing trips or sheds.
    const std::string text =
        cascade_with(R"("adversary": {)", R"("actions": [ { "type": "close_breaker", "duration": "1m" } ],
  "adversary": {)");
    auto loaded = load_scenario_text(dir + "cascade.json", text);
    for (const auto& d : loaded.diagnostics.items())
      MESSAGE(d.format());
    REQUIRE(loaded.ok());
    auto r = run(*loaded.scenario, 14400, {command(3620, "ops", "close_breaker", "branch:north/l12")});
    REQUIRE(r.contains("events"));
    CHECK(time_of(events_of(r, "breaker_closed").at(0)) == 3680);
    CHECK(events_of(r, "branch_tripped").empty());
    CHECK(events_of(r, "load_shed").empty());
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == 0);
  }

  TEST_CASE("a manipulate step with a setpoint moves the unit's dispatch; the governor keeps the balance")
  {
    // rtu-1 also controls g2; the step sets g2's setpoint to 10 MW at 1 h instead of opening l12 (a manipulate
    // step does not open breakers). Setpoints 120 + 10 = 130 MW for 160 MW: the governor spreads the 30 MW deficit
    // pro rata to capacity (400 : 50): g1 + 30 x 400/450 = 146.666... MW, g2 + 30 x 50/450 = 13.333... MW.
    std::string text = cascade_with(R"("controls": ["branch:l12"])", R"("controls": ["branch:l12", "g2"])");
    const auto at = text.find(R"("effect": "trip")");
    REQUIRE(at != std::string::npos);
    text.replace(at, 16, R"("effect": "manipulate", "setpoint": "10MW")");
    auto loaded = load_scenario_text(dir + "cascade.json", text);
    for (const auto& d : loaded.diagnostics.items())
      MESSAGE(d.format());
    REQUIRE(loaded.ok());
    auto r = run(*loaded.scenario, 7200);
    REQUIRE(r.contains("events"));
    auto moved = events_of(r, "setpoint_changed", "node:g2");
    REQUIRE(moved.size() == 1);
    CHECK(time_of(moved[0]) == 3600);
    CHECK(moved[0]["details"] == nlohmann::json::parse(R"({"grid":"north","setpoint_mw":10.0,"campaign":"blackout",)"
                                                       R"("by":"rtu-1"})"));
    CHECK(events_of(r, "unit_derated").empty());
    CHECK(events_of(r, "breaker_opened").empty());
    auto g1 = events_of(r, "unit_output", "node:g1");
    REQUIRE(g1.size() == 2);
    CHECK(std::abs(g1[1]["details"]["mw"].get<double>() - 146.667) < 1e-9); // 3 decimals in the record
    auto g2 = events_of(r, "unit_output", "node:g2");
    REQUIRE(g2.size() == 2);
    CHECK(std::abs(g2[1]["details"]["mw"].get<double>() - 13.333) < 1e-9);
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == 0);
  }

  TEST_CASE("case9 imported as a scenario grid: its three loads and three generators, balanced")
  {
    // scenarios/grid-ieee9: case9's loads 90 + 100 + 125 = 315 MW at buses 5, 7, 9; generators of 250, 300 and
    // 270 MW (820 MW) at buses 1, 2 and 3, dispatched 72.3 + 163 + 85 = 320.3 MW by the case, which the governor
    // backs down pro rata to capacity by 5.3 MW to 315 MW: nothing lost.
    auto loaded = load_scenario(std::string(CYBEREX_SOURCE_DIR) + "/scenarios/grid-ieee9/grid-ieee9.json");
    for (const auto& d : loaded.diagnostics.items())
      MESSAGE(d.format());
    REQUIRE(loaded.ok());
    const Scenario& sc = *loaded.scenario;
    auto nets = grid_networks(sc);
    REQUIRE(nets.size() == 1);
    const power::Network& net = nets[0].network;
    CHECK(net.buses.size() == 9);
    CHECK(net.branches.size() == 9);
    REQUIRE(net.generators.size() == 3);
    REQUIRE(net.loads.size() == 3);
    CHECK(net.loads[0].id == "load-5");
    CHECK(net.loads[0].mw == 90);
    CHECK(net.loads[2].mw == 125);
    power::Solver solver(net);
    auto sol = solver.solve(power::initial_state(net));
    double gen = 0;
    for (double g : sol.gen_mw)
      gen += g;
    CHECK(exact(gen, 315));
    CHECK(sol.shed_mw == 0);
    auto r = run(sc, 3600);
    REQUIRE(r.contains("events"));
    auto balance = events_of(r, "grid_balance", "grid:ieee9");
    REQUIRE(!balance.empty());
    CHECK(balance[0]["details"] ==
          nlohmann::json::parse(R"({"available":820.0,"demand":315.0,"lost_mw":0.0,"customers_lost":0,)"
                                R"("shed_mw":0.0,"overloaded":0,"islands":1})"));
    // the scenario's source list fingerprints the case file with the scenario
    bool listed = false;
    for (const auto& f : sc.sources)
      listed = listed || f.path.find("case9.m") != std::string::npos;
    CHECK(listed);
  }

  TEST_CASE("a v1 grid (no buses) is a copper plate as before: no network records, no network fields")
  {
    // the tutorial as it was before its grid became a network: no buses, branches, bus or setpoint; 20 MW of reserve
    const std::string path = std::string(CYBEREX_SOURCE_DIR) + "/scenarios/tutorial/tutorial.json";
    std::ifstream in(path);
    nlohmann::json doc = nlohmann::json::parse(in);
    nlohmann::json& grid = doc["grids"][0];
    grid.erase("buses");
    grid.erase("branches");
    grid["reserve"] = "20MW";
    for (nlohmann::json& n : doc["nodes"]) {
      n.erase("bus");
      n.erase("setpoint");
      if (n.contains("controls")) {
        nlohmann::json kept = nlohmann::json::array();
        for (const auto& c : n["controls"])
          if (c.get<std::string>().rfind("branch:", 0) != 0)
            kept.push_back(c);
        n["controls"] = kept;
      }
    }
    auto loaded = load_scenario_text(path, doc.dump());
    REQUIRE(loaded.ok());
    const Scenario& sc = *loaded.scenario;
    CHECK(grid_networks(sc).empty());
    auto r = run(sc, 3600);
    REQUIRE(r.contains("events"));
    auto balance = events_of(r, "grid_balance");
    REQUIRE(!balance.empty());
    CHECK(balance[0]["details"] ==
          nlohmann::json::parse(R"({"available":370.0,"demand":300.0,"lost_mw":0.0,"customers_lost":0})"));
    for (const char* type : {"branch_tripped", "breaker_opened", "island_formed", "island_merged", "load_shed"})
      CHECK(events_of(r, type).empty());
  }
}

TEST_SUITE("grid-scenario")
{
  TEST_CASE("the cascade fixture loads: buses numbered in order, units and substations on their buses")
  {
    const Scenario sc = load("cascade.json");
    const Grid& g = sc.grids.at(0);
    CHECK(g.networked());
    REQUIRE(g.buses.size() == 3);
    CHECK(g.buses[0].reference);
    REQUIRE(g.branches.size() == 3);
    CHECK(g.branches[2].rating_mw == 50);
    CHECK(g.branches[2].protection.pickup == 1.0);
    CHECK(g.branches[2].protection.time_dial_s == 60);
    CHECK(g.branches[0].protection.time_dial_s == 60); // the default
    auto nets = grid_networks(sc);
    const GridNetwork& gn = nets.at(0);
    CHECK(gn.network.buses[0].number == 1);
    CHECK(gn.network.buses[2].number == 3);
    CHECK(gn.network.buses[0].type == power::BusType::reference);
    REQUIRE(gn.network.generators.size() == 2);
    CHECK(gn.network.generators[1].id == "g2");
    CHECK(gn.network.generators[1].pg_mw == 40);
    CHECK(gn.network.generators[1].pmax_mw == 50);
    CHECK(sc.nodes[static_cast<std::size_t>(gn.generator_node[1])].id == "g2");
    REQUIRE(gn.network.loads.size() == 3);
    CHECK(gn.network.loads[0].priority == 0);
    CHECK(gn.network.loads[1].customers == 20000);
    CHECK(sc.nodes[sc.node_by_id.at("s3")].bus_index == 2);
    REQUIRE(gn.controllers.size() == 1);
    CHECK(sc.nodes[static_cast<std::size_t>(gn.controllers[0].node)].id == "rtu-1");
    CHECK(gn.controllers[0].branches == std::vector<std::size_t>{0});
  }

  TEST_CASE("load-following setpoints: units without a setpoint run at load / capacity")
  {
    // without setpoints: load 160 MW for 450 MW of capacity, every unit at 160/450 of its capacity:
    // g1 400 x 16/45 = 142.222... MW, g2 50 x 16/45 = 17.777... MW
    std::string t2 = cascade_text();
    for (const char* s : {",\n      \"setpoint\": \"120MW\"", ",\n      \"setpoint\": \"40MW\""}) {
      const auto at = t2.find(s);
      REQUIRE(at != std::string::npos);
      t2.erase(at, std::string(s).size());
    }
    auto loaded = load_scenario_text(dir + "cascade.json", t2);
    REQUIRE(loaded.ok());
    auto nets = grid_networks(*loaded.scenario);
    CHECK(exact(nets.at(0).network.generators[0].pg_mw, 400.0 * 160 / 450));
    CHECK(exact(nets.at(0).network.generators[1].pg_mw, 50.0 * 160 / 450));
  }

  TEST_CASE("malformed grid fields: located errors")
  {
    SUBCASE("unknown bus of a branch")
    {
      auto d = diagnostics("cascade.json", cascade_with(R"("to": "n3", "x": 0.1, "rating": "200MW" })",
                                                        R"("to": "n4", "x": 0.1, "rating": "200MW" })"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir + "cascade.json:31:44: error: [scenario.unknown-bus] (/grids/0/branches/1/to) grid 'north' "
                          "has no bus 'n4'; did you mean 'n1'?");
    }
    SUBCASE("zero reactance")
    {
      auto d =
          diagnostics("cascade.json", cascade_with(R"("x": 0.1, "rating": "50MW")", R"("x": 0, "rating": "50MW")"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir + "cascade.json:32:55: error: [scenario.bad-value] (/grids/0/branches/2/x) branch 'l23' has "
                          "zero reactance: the DC power flow needs x != 0 (p.u.)");
    }
    SUBCASE("duplicate branch id")
    {
      auto d = diagnostics("cascade.json", cascade_with(R"({ "id": "l13")", R"({ "id": "l12")"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir + "cascade.json:31:17: error: [scenario.duplicate-id] (/grids/0/branches/1/id) grid 'north' "
                          "has two branches 'l12'");
    }
    SUBCASE("a unit of a networked grid without a bus")
    {
      auto d = diagnostics("cascade.json", cascade_with(R"("grid": "north", "bus": "n2", "capacity")",
                                                        R"("grid": "north", "capacity")"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir + "cascade.json:43:5: error: [scenario.missing-bus] (/nodes/4) generation unit 'g2' is in "
                          "networked grid 'north' but has no \"bus\"; give it the bus it connects to");
    }
    SUBCASE("a controller of an unknown branch")
    {
      auto d = diagnostics("cascade.json", cascade_with(R"("branch:l12")", R"("branch:l99")"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir + "cascade.json:40:85: error: [scenario.unknown-branch] (/nodes/2/controls/0) no branch "
                          "'l99' in any grid with buses");
    }
    SUBCASE("a dependency on an unknown bus")
    {
      auto d = diagnostics("cascade.json", cascade_with(R"("bus:north/n3")", R"("bus:north/n7")"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir + "cascade.json:56:66: error: [scenario.unknown-bus] (/dependencies/1/on) grid 'north' has "
                          "no bus 'n7'");
    }
    SUBCASE("two reference buses")
    {
      auto d = diagnostics("cascade.json",
                           cascade_with(R"({ "id": "n2", "x")", R"({ "id": "n2", "type": "reference", "x")"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir + "cascade.json:26:31: error: [scenario.bad-value] (/grids/0/buses/1/type) grid 'north' has "
                          "a second reference bus 'n2'; a grid has one");
    }
    SUBCASE("a missing case file")
    {
      auto d = diagnostics("cascade.json", cascade_with(R"("name": "North grid",)",
                                                        R"("name": "North grid", "matpower": "no-such-case.m",)"));
      REQUIRE(d.size() == 1);
      CHECK(d[0] == dir +
                        "cascade.json:23:41: error: [scenario.missing-file] (/grids/0/matpower) no MATPOWER case "
                        "file 'no-such-case.m' (looked for '" +
                        dir + "no-such-case.m')");
    }
  }

  TEST_CASE("a malformed imported case file: the error is located in the case file")
  {
    auto d = diagnostics(
        "cascade.json", cascade_with(R"("name": "North grid",)", R"("name": "North grid", "matpower": "bad-case.m",)"));
    REQUIRE(d.size() == 1);
    CHECK(d[0] ==
          dir + "bad-case.m:6:6: error: [scenario.bad-case] mpc.bus row 2: 'ninety' is not a number (MATPOWER case of "
                "grid 'north')");
  }

  TEST_CASE("close_breaker on a branch: commands name an existing branch")
  {
    const Scenario sc = load("cascade.json");
    const std::string out = in_child([&]() {
      Simulation sim(sc, {}, nullptr);
      return sim.apply(command(0, "ops", "close_breaker", "branch:l77")).error + "|" +
             sim.apply(command(0, "ops", "close_breaker", "branch:north/l12")).error;
    });
    CHECK(out == "no branch 'l77' in a grid with buses|");
  }
}
