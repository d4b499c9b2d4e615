/* state-grid: a networked grid in the state view (docs/engine.md, "The grid in the state view"). The fold keeps the
 * inputs the records give (branches opened, tripped and closed, loads shed, units' outputs) and grid_flows() re-does
 * the engine's DC solve; these tests fold the engine's own events and compare with figures derived by hand (the same
 * derivations as grid-engine and docs/engine.md), so that the flows the GUI draws are those the engine computed. */
#include "cyberex/exercise_state.hpp"
#include "cyberex/grid_network.hpp"
#include "cyberex/scenario.hpp"
#include "engine_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace cyberex;
using namespace cyberex::test;

namespace {

Scenario load(const std::string& path)
{
  auto r = load_scenario(std::string(CYBEREX_SOURCE_DIR) + "/" + path);
  for (const auto& d : r.diagnostics.items())
    MESSAGE(d.format());
  REQUIRE(r.ok());
  return *r.scenario;
}

/// The state after folding the run's events up to and including time `until`.
ExerciseState fold(const Scenario& sc, const nlohmann::json& run, double until)
{
  ExerciseState st(sc);
  REQUIRE(run.contains("events"));
  for (const auto& e : run["events"]) {
    if (e["time"].get<double>() > until)
      break;
    const auto type = record_type_from_string(e["type"].get<std::string>());
    REQUIRE(type);
    st.apply_event(e["time"].get<double>(), *type, e["subject"].get<std::string>(), e["details"].dump());
  }
  return st;
}

const BranchFlow& branch(const GridFlows& g, const std::string& id)
{
  auto it = std::find_if(g.branches.begin(), g.branches.end(), [&](const BranchFlow& b) { return b.id == id; });
  REQUIRE(it != g.branches.end());
  return *it;
}

const BusFlow& bus(const GridFlows& g, const std::string& id)
{
  auto it = std::find_if(g.buses.begin(), g.buses.end(), [&](const BusFlow& b) { return b.id == id; });
  REQUIRE(it != g.buses.end());
  return *it;
}

bool near(double a, double b)
{
  return std::abs(a - b) < 1e-6;
}

} // namespace

TEST_SUITE("state-grid")
{
  // tests/scenario/grid/cascade.json (figures derived in grid_engine_test.cpp): before anything, f12 = 190/3, f13 =
  // 170/3, f23 = -20/3 MW (n3 -> n2), l23 at 20/3 / 50 = 13.33 %. At 1 h l12 opens: f23 = -70 MW (140 %), f13 = 120
  // MW. At 3,750 s l23 trips: islands {n1, n3} (g1 backs down to 50 MW for s3, f13 = 50 MW) and {n2} (s2a 60 MW shed,
  // g2 50 MW for s2b). Records give 3 decimals: 63.333, 56.667, -6.667.
  TEST_CASE("the cascade's flows from the records equal the engine's")
  {
    const Scenario sc = load("tests/scenario/grid/cascade.json");
    const auto r = run(sc, 14400);

    auto g0 = fold(sc, r, 0).grid_flows();
    REQUIRE(g0.size() == 1);
    CHECK(g0[0].grid == "north");
    CHECK(g0[0].name == "North grid");
    CHECK(g0[0].islands == 1);
    CHECK(near(branch(g0[0], "l12").flow_mw, 63.333));
    CHECK(near(branch(g0[0], "l13").flow_mw, 56.667));
    CHECK(near(branch(g0[0], "l23").flow_mw, -6.667));
    CHECK(near(branch(g0[0], "l23").loading_pct, 13.33));
    CHECK(near(branch(g0[0], "l23").rating_mw, 50));
    CHECK(branch(g0[0], "l12").status == "closed");
    CHECK(near(bus(g0[0], "n1").generation_mw, 120));
    CHECK(near(bus(g0[0], "n2").generation_mw, 40));
    CHECK(near(bus(g0[0], "n2").load_mw, 110));
    CHECK(std::abs(bus(g0[0], "n2").angle_deg - (-19.0 / 300 * 180 / M_PI)) < 5e-4); // -3.629 degrees
    // the scenario's coordinates
    CHECK(near(bus(g0[0], "n3").x, 5));
    CHECK(near(bus(g0[0], "n3").y, 8));

    auto g1 = fold(sc, r, 3600).grid_flows();
    CHECK(branch(g1[0], "l12").status == "open");
    CHECK(branch(g1[0], "l12").flow_mw == 0);
    CHECK(near(branch(g1[0], "l23").flow_mw, -70));
    CHECK(near(branch(g1[0], "l23").loading_pct, 140));
    CHECK(near(branch(g1[0], "l13").flow_mw, 120));
    CHECK(g1[0].islands == 1);

    auto g2 = fold(sc, r, 3750).grid_flows();
    CHECK(branch(g2[0], "l23").status == "tripped");
    CHECK(branch(g2[0], "l23").loading_pct == 0);
    CHECK(near(branch(g2[0], "l13").flow_mw, 50));
    CHECK(g2[0].islands == 2);
    const BusFlow& n2 = bus(g2[0], "n2");
    CHECK(n2.island == 1); // islands ordered by their lowest bus: {n1, n3}, then {n2}
    CHECK(bus(g2[0], "n3").island == 0);
    CHECK(n2.energised);
    CHECK(near(n2.load_mw, 50));
    CHECK(near(n2.shed_mw, 60));
    CHECK(near(n2.generation_mw, 50));
    CHECK(near(bus(g2[0], "n1").generation_mw, 50));
  }

  // The tutorial's grid-north (docs/engine.md, "Networked grids"): setpoints equal the load, so t1 180 MW, t2 120 MW,
  // east-rural 120 MW, the city circuits 90 MW each (90 %); north to south 180 MW split 2/3 directly (north-south
  // 120 MW) and 1/3 through east (north-east and east-south 60 MW).
  TEST_CASE("the tutorial's hand figures")
  {
    const Scenario sc = load("scenarios/tutorial/tutorial.json");
    const auto r = run(sc, 1);
    auto g = fold(sc, r, 1).grid_flows();
    REQUIRE(g.size() == 1);
    CHECK(g[0].grid == "grid-north");
    CHECK(near(branch(g[0], "t1").flow_mw, 180));
    CHECK(near(branch(g[0], "t1").loading_pct, 72));
    CHECK(near(branch(g[0], "t2").flow_mw, 120));
    CHECK(near(branch(g[0], "east-rural").flow_mw, 120));
    CHECK(near(branch(g[0], "city-1").flow_mw, 90));
    CHECK(near(branch(g[0], "city-1").loading_pct, 90));
    CHECK(near(branch(g[0], "city-2").flow_mw, 90));
    CHECK(near(branch(g[0], "north-south").flow_mw, 120));
    CHECK(near(branch(g[0], "north-east").flow_mw, 60));
    CHECK(near(branch(g[0], "east-south").flow_mw, 60));
    CHECK(near(bus(g[0], "city").load_mw, 180));
    CHECK(near(bus(g[0], "plant-1").generation_mw, 180));
    CHECK(bus(g[0], "plant-1").has_generator);
    CHECK(!bus(g[0], "north").has_generator);
    CHECK(!bus(g[0], "north").has_load);
  }

  TEST_CASE("ground truth has the buses and branches; a player's view has no flows")
  {
    const Scenario sc = load("tests/scenario/grid/cascade.json");
    const auto r = run(sc, 14400);
    const ExerciseState st = fold(sc, r, 3750);
    const auto truth = nlohmann::json::parse(st.truth_json(3750));
    REQUIRE(truth["grids"].size() == 1);
    const auto& g = truth["grids"][0];
    CHECK(g["grid"] == "north");
    REQUIRE(g["branches"].size() == 3);
    CHECK(g["branches"][2] == nlohmann::json::parse(R"({"id":"l23","from":"n2","to":"n3","status":"tripped",)"
                                                    R"("flow_mw":0.0,"loading_pct":0.0,"rating_mw":50.0})"));
    CHECK(g["branches"][1]["flow_mw"] == 50.0);
    REQUIRE(g["buses"].size() == 3);
    CHECK(g["buses"][1]["id"] == "n2");
    CHECK(g["buses"][1]["island"] == 2); // numbered 1..n in JSON
    CHECK(g["buses"][1]["shed_mw"] == 60.0);
    CHECK(g["buses"][1]["energised"] == true);
    Principal control{Role::controller, ""};
    CHECK(st.to_json(3750, control).find("\"branches\":[") != std::string::npos);
    Principal player{Role::player, "ops"};
    CHECK(st.to_json(3750, player).find("\"branches\"") == std::string::npos);
  }

  // A grid without coordinates (an imported case) gets a layout: every bus placed, apart, and the same each time.
  TEST_CASE("a layout for a grid without coordinates, deterministic")
  {
    const Scenario sc = load("scenarios/grid-ieee9/grid-ieee9.json");
    auto a = ExerciseState(sc).grid_flows();
    auto b = ExerciseState(sc).grid_flows();
    REQUIRE(a.size() == 1);
    REQUIRE(a[0].buses.size() == 9);
    for (std::size_t i = 0; i < 9; ++i) {
      CHECK(a[0].buses[i].x == b[0].buses[i].x);
      CHECK(a[0].buses[i].y == b[0].buses[i].y);
      for (std::size_t j = i + 1; j < 9; ++j)
        CHECK(std::hypot(a[0].buses[i].x - a[0].buses[j].x, a[0].buses[i].y - a[0].buses[j].y) > 1);
    }
    power::Network net;
    net.buses.resize(2);
    net.buses[0].x = 3;
    net.buses[0].has_xy = true;
    net.buses[1].y = 4;
    net.buses[1].has_xy = true;
    power::lay_out(net); // every bus has coordinates: kept
    CHECK(net.buses[0].x == 3);
    CHECK(net.buses[1].y == 4);
  }
}
