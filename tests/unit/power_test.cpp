/* Tests of the DC power flow (sim/src/power): MATPOWER import, rundcpf answer keys, N-1 screening, the governor
 * balance and islanding on hand-built networks, malformed case files. */
#include "cyberex/powerflow.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace power = cyberex::power;
using power::Balance;

namespace {

const std::string MATPOWER_DIR = std::string(CYBEREX_SOURCE_DIR) + "/data/matpower/";

struct Key {
  std::map<int, double> angle; ///< by bus number
  std::map<int, double> flow;  ///< by 1-based branch row
  std::map<int, double> gen;   ///< by 1-based generator row
};

Key read_key(const std::string& path)
{
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  Key key;
  std::string line;
  std::getline(in, line); // kind,id,value
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string kind, id, value;
    std::getline(row, kind, ',');
    std::getline(row, id, ',');
    std::getline(row, value, ',');
    auto& into = kind == "bus_angle_deg" ? key.angle : kind == "branch_flow_mw" ? key.flow : key.gen;
    REQUIRE((kind == "bus_angle_deg" || kind == "branch_flow_mw" || kind == "gen_mw"));
    into[std::stoi(id)] = std::stod(value);
  }
  return key;
}

/// outage row -> flows by branch row
std::map<int, std::map<int, double>> read_n1(const std::string& path)
{
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::map<int, std::map<int, double>> n1;
  std::string line;
  std::getline(in, line); // outage,branch,flow_mw
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string outage, branch, flow;
    std::getline(row, outage, ',');
    std::getline(row, branch, ',');
    std::getline(row, flow, ',');
    n1[std::stoi(outage)][std::stoi(branch)] = std::stod(flow);
  }
  return n1;
}

void check_case(const std::string& name)
{
  CAPTURE(name);
  const power::Network net = power::read_matpower(MATPOWER_DIR + name + ".m");
  const Key key = read_key(MATPOWER_DIR + "reference/" + name + ".dcpf.csv");
  power::Solver solver(net);
  const power::Solution s = solver.solve(power::initial_state(net), Balance::reference);
  REQUIRE(s.islands.size() == 1);
  REQUIRE(key.angle.size() == net.buses.size());
  REQUIRE(key.flow.size() == net.branches.size());
  REQUIRE(key.gen.size() == net.generators.size());
  for (const auto& [number, angle] : key.angle) {
    CAPTURE(number);
    const std::size_t b = net.bus_index(number);
    REQUIRE(b != power::NONE);
    CHECK(std::abs(s.angle_deg[b] - angle) < 1e-6);
  }
  for (const auto& [row, flow] : key.flow) {
    CAPTURE(row);
    CHECK(std::abs(s.flow_mw[static_cast<std::size_t>(row - 1)] - flow) < 1e-6);
  }
  for (const auto& [row, mw] : key.gen) {
    CAPTURE(row);
    CHECK(std::abs(s.gen_mw[static_cast<std::size_t>(row - 1)] - mw) < 1e-6);
  }
  CHECK(s.shed_mw == 0);
}

void check_n1(const std::string& name)
{
  CAPTURE(name);
  const power::Network net = power::read_matpower(MATPOWER_DIR + name + ".m");
  const auto n1 = read_n1(MATPOWER_DIR + "reference/" + name + ".n1.csv");
  power::Solver solver(net);
  const power::State state = power::initial_state(net);
  power::ScreenOptions options;
  options.keep_flows = true;
  options.generators = false;
  options.balance = Balance::reference;
  const auto screened = solver.screen(state, options);
  REQUIRE(screened.size() == net.branches.size()); // every branch of these cases is in service
  std::size_t listed = 0, islanding = 0;
  for (const power::Contingency& c : screened) {
    const int row = static_cast<int>(c.index) + 1;
    const auto it = n1.find(row);
    if (it == n1.end()) { // not in the key: MATPOWER's outages that island
      CHECK(c.islands);
      ++islanding;
      continue;
    }
    ++listed;
    CAPTURE(row);
    CHECK_FALSE(c.islands);
    REQUIRE(c.flow_mw.size() == net.branches.size());
    power::State changed = state;
    changed.branch_closed[c.index] = 0;
    const power::Solution full = solver.solve(changed, Balance::reference);
    for (const auto& [branch, flow] : it->second) {
      CAPTURE(branch);
      CHECK(std::abs(c.flow_mw[static_cast<std::size_t>(branch - 1)] - flow) < 1e-6);
      CHECK(std::abs(full.flow_mw[static_cast<std::size_t>(branch - 1)] - flow) < 1e-6);
    }
  }
  CHECK(listed == n1.size());
  CHECK(listed + islanding == net.branches.size());
}

} // namespace

TEST_SUITE("power-matpower")
{
  TEST_CASE("case9, case14, case30 and case39 match rundcpf's angles, flows and generator outputs to 1e-6")
  {
    for (const char* name : {"case9", "case14", "case30", "case39"})
      check_case(name);
  }

  TEST_CASE("case9 import: buses, loads, generators and branches as MATPOWER numbers them")
  {
    const power::Network net = power::read_matpower(MATPOWER_DIR + "case9.m");
    CHECK(net.name == "case9");
    CHECK(net.base_mva == 100);
    REQUIRE(net.buses.size() == 9);
    CHECK(net.buses[0].type == power::BusType::reference);
    CHECK(net.buses[4].id == "bus-5");
    // loads: buses 5 (90 MW), 7 (100 MW), 9 (125 MW)
    REQUIRE(net.loads.size() == 3);
    CHECK(net.loads[0].id == "load-5");
    CHECK(net.loads[0].bus == 4);
    CHECK(net.loads[0].mw == 90);
    CHECK(net.loads[2].mw == 125);
    REQUIRE(net.generators.size() == 3);
    CHECK(net.generators[1].id == "gen-2");
    CHECK(net.generators[1].row == 2);
    CHECK(net.generators[1].pg_mw == 163);
    CHECK(net.generators[1].pmax_mw == 300);
    CHECK(net.generators[1].pmin_mw == 10);
    REQUIRE(net.branches.size() == 9);
    CHECK(net.branches[2].id == "branch-3");
    CHECK(net.branches[2].from == 4);
    CHECK(net.branches[2].to == 5);
    CHECK(net.branches[2].x_pu == 0.17);
    CHECK(net.branches[2].tap == 1); // 0 in the file
    CHECK(net.branches[2].rating_mw == 150);
  }

  TEST_CASE("case300 (series capacitor, phase shifters, taps, shunts) solves and balances")
  {
    const power::Network net = power::read_matpower(MATPOWER_DIR + "case300.m");
    CHECK(net.buses.size() == 300);
    CHECK(net.branches.size() == 411);
    CHECK(net.generators.size() == 69);
    power::Solver solver(net);
    const power::Solution s = solver.solve(power::initial_state(net), Balance::reference);
    REQUIRE(s.islands.size() == 1);
    // lossless: generation equals load + shunt conductance, and each bus's net injection equals its branch flows
    CHECK(std::abs(s.islands[0].generation_mw - s.islands[0].load_mw) < 1e-6);
    std::vector<double> net_out(net.buses.size(), 0.0);
    for (std::size_t k = 0; k < net.branches.size(); ++k) {
      net_out[net.branches[k].from] += s.flow_mw[k];
      net_out[net.branches[k].to] -= s.flow_mw[k];
    }
    std::vector<double> inject(net.buses.size(), 0.0);
    for (std::size_t g = 0; g < net.generators.size(); ++g)
      inject[net.generators[g].bus] += s.gen_mw[g];
    for (const power::Load& l : net.loads)
      inject[l.bus] -= l.mw;
    for (std::size_t b = 0; b < net.buses.size(); ++b)
      inject[b] -= net.buses[b].gs_mw;
    for (std::size_t b = 0; b < net.buses.size(); ++b) {
      CAPTURE(net.buses[b].number);
      CHECK(std::abs(inject[b] - net_out[b]) < 1e-6);
    }
  }
}

TEST_SUITE("power-n1")
{
  TEST_CASE("every listed branch outage of case14 and case30 matches, by LODF and by a full re-solve")
  {
    check_n1("case14");
    check_n1("case30");
  }
}

namespace {

/// Three buses on 100 MVA: 1 (reference) - 2 x 0.1, 2 - 3 x 0.1, 1 - 3 x 0.2 (b = 10, 10, 5 p.u.); unit G1 at bus 1
/// (100 MW), unit G2 at bus 2 (300 MW); `with_bus4` adds bus 4 behind bus 3 (3 - 4 x 0.1, its only branch).
power::Network triangle(bool with_bus4 = false)
{
  power::Network net;
  net.name = "triangle";
  net.base_mva = 100;
  for (int i = 1; i <= (with_bus4 ? 4 : 3); ++i) {
    power::Bus b;
    b.number = i;
    b.id = "bus-" + std::to_string(i);
    b.type = i == 1 ? power::BusType::reference : power::BusType::pq;
    net.buses.push_back(b);
  }
  auto branch = [&](std::size_t from, std::size_t to, double x) {
    power::Branch br;
    br.from = from;
    br.to = to;
    br.x_pu = x;
    br.row = net.branches.size() + 1;
    br.id = "branch-" + std::to_string(br.row);
    net.branches.push_back(br);
  };
  branch(0, 1, 0.1);
  branch(1, 2, 0.1);
  branch(0, 2, 0.2);
  if (with_bus4)
    branch(2, 3, 0.1);
  auto unit = [&](std::size_t bus, double pmax, const char* id) {
    power::Generator g;
    g.bus = bus;
    g.pmax_mw = pmax;
    g.id = id;
    net.generators.push_back(g);
  };
  unit(0, 100, "G1");
  unit(1, 300, "G2");
  return net;
}

void add_load(power::Network& net, std::size_t bus, double mw, const char* id, int priority = 0)
{
  power::Load l;
  l.bus = bus;
  l.mw = mw;
  l.id = id;
  l.priority = priority;
  net.loads.push_back(l);
}

constexpr double RAD = 180.0 / 3.14159265358979323846; // degrees per radian

} // namespace

TEST_SUITE("power-balance")
{
  TEST_CASE("governor: a deficit is picked up pro rata to capacity; angles and flows of the triangle")
  {
    power::Network net = triangle();
    add_load(net, 2, 180, "sub-3");
    power::State st = power::initial_state(net);
    st.gen_setpoint = {50, 50};
    power::Solver solver(net);
    const power::Solution s = solver.solve(st, Balance::governor);
    // demand 180, dispatch 50 + 50: the deficit of 80 goes 100:300, G1 +20 = 70, G2 +60 = 110
    CHECK(s.gen_mw[0] == doctest::Approx(70).epsilon(1e-12));
    CHECK(s.gen_mw[1] == doctest::Approx(110).epsilon(1e-12));
    // injections 0.7, 1.1, -1.8 p.u.; reduced B over buses 2, 3 = [20 -10; -10 15], det 200:
    // theta2 = (15 x 1.1 + 10 x -1.8) / 200 = -0.0075 rad, theta3 = (20 x -1.8 + 10 x 1.1) / 200 = -0.125 rad
    CHECK(s.angle_deg[0] == 0);
    CHECK(s.angle_deg[1] == doctest::Approx(-0.0075 * RAD).epsilon(1e-12));
    CHECK(s.angle_deg[2] == doctest::Approx(-0.125 * RAD).epsilon(1e-12));
    // flows 100 x b x (theta_from - theta_to): 1-2 10 x 0.0075 = 7.5 MW, 2-3 10 x 0.1175 = 117.5, 1-3 5 x 0.125 = 62.5
    CHECK(s.flow_mw[0] == doctest::Approx(7.5).epsilon(1e-12));
    CHECK(s.flow_mw[1] == doctest::Approx(117.5).epsilon(1e-12));
    CHECK(s.flow_mw[2] == doctest::Approx(62.5).epsilon(1e-12));
    REQUIRE(s.islands.size() == 1);
    CHECK(s.islands[0].reference == 0);
    CHECK(s.islands[0].generation_mw == doctest::Approx(180));
    CHECK(s.islands[0].load_mw == 180);
    CHECK(s.islands[0].energised);
    CHECK(s.shed_mw == 0);
    CHECK(s.load_served == std::vector<char>{1});
  }

  TEST_CASE("governor: a unit at its capacity passes the rest of the deficit to the others")
  {
    power::Network net = triangle();
    add_load(net, 2, 200, "sub-3");
    power::State st = power::initial_state(net);
    st.gen_setpoint = {90, 50};
    power::Solver solver(net);
    const power::Solution s = solver.solve(st, Balance::governor);
    // deficit 200 - 140 = 60: G1's share 15 would pass its 100 MW, it takes 10; G2 takes the other 50 -> 100
    CHECK(s.gen_mw[0] == 100);
    CHECK(s.gen_mw[1] == doctest::Approx(100).epsilon(1e-12));
  }

  TEST_CASE("governor: setpoints are clamped to [0, capacity] first; a derated unit is held at its capacity")
  {
    power::Network net = triangle();
    add_load(net, 2, 150, "sub-3");
    power::State st = power::initial_state(net);
    st.gen_setpoint = {-20, 400};
    st.gen_capacity = {100, 120}; // G2 derated to 120 MW
    power::Solver solver(net);
    const power::Solution s = solver.solve(st, Balance::governor);
    // clamped: G1 0, G2 120; deficit 30 pro rata 100:120: G2 has no room, so G1 takes all 30
    CHECK(s.gen_mw[0] == doctest::Approx(30).epsilon(1e-12));
    CHECK(s.gen_mw[1] == 120);
  }

  TEST_CASE("governor: under-frequency shedding drops whole loads by (priority, id) until capacity covers demand")
  {
    power::Network net = triangle();
    add_load(net, 2, 120, "sub-c", 0);
    add_load(net, 2, 250, "sub-a", 1);
    add_load(net, 1, 100, "sub-b", 0);
    power::State st = power::initial_state(net);
    st.gen_setpoint = {50, 50};
    power::Solver solver(net);
    const power::Solution s = solver.solve(st, Balance::governor);
    // demand 470 > capacity 400: priority 0 first, by id: sub-b (100) goes, 370 <= 400 stops the shedding
    CHECK(s.load_served == std::vector<char>{1, 1, 0});
    CHECK(s.shed_mw == 100);
    CHECK(s.islands[0].shed_mw == 100);
    CHECK(s.islands[0].load_mw == 370);
    // deficit 370 - 100 = 270: G1's share 67.5 passes its room of 50, it goes to 100; G2 takes 220 -> 270
    CHECK(s.gen_mw[0] == 100);
    CHECK(s.gen_mw[1] == doctest::Approx(270).epsilon(1e-12));
  }

  TEST_CASE("governor: a surplus backs units down pro rata to capacity, never below 0")
  {
    power::Network net = triangle();
    add_load(net, 2, 180, "sub-3");
    power::State st = power::initial_state(net);
    power::Solver solver(net);
    st.gen_setpoint = {80, 200};
    power::Solution s = solver.solve(st, Balance::governor);
    // surplus 280 - 180 = 100, 100:300: G1 -25 = 55, G2 -75 = 125
    CHECK(s.gen_mw[0] == doctest::Approx(55).epsilon(1e-12));
    CHECK(s.gen_mw[1] == doctest::Approx(125).epsilon(1e-12));
    st.gen_setpoint = {10, 250};
    s = solver.solve(st, Balance::governor);
    // surplus 260 - 180 = 80, 20:60; G1's share 20 passes its 10 MW, it goes to 0; G2 takes 70 -> 180
    CHECK(s.gen_mw[0] == 0);
    CHECK(s.gen_mw[1] == doctest::Approx(180).epsilon(1e-12));
  }

  TEST_CASE("reference balance: the first unit at the reference bus takes the whole mismatch, limits ignored")
  {
    power::Network net = triangle();
    add_load(net, 2, 180, "sub-3");
    power::State st = power::initial_state(net);
    st.gen_setpoint = {50, 50};
    power::Solver solver(net);
    const power::Solution s = solver.solve(st, Balance::reference);
    CHECK(s.gen_mw[0] == 130); // 180 - 50 at bus 2
    CHECK(s.gen_mw[1] == 50);
    // injections 1.3, 0.5, -1.8: theta2 = (15 x 0.5 - 18) / 200 = -0.0525, theta3 = (-36 + 5) / 200 = -0.155
    CHECK(s.flow_mw[0] == doctest::Approx(52.5).epsilon(1e-12));
    CHECK(s.flow_mw[1] == doctest::Approx(102.5).epsilon(1e-12));
    CHECK(s.flow_mw[2] == doctest::Approx(77.5).epsilon(1e-12));
  }

  TEST_CASE("islanding: a bus cut off without generation is dead, its load unserved; the rest rebalances")
  {
    power::Network net = triangle(true);
    add_load(net, 2, 180, "sub-3");
    add_load(net, 3, 30, "sub-4");
    power::State st = power::initial_state(net);
    st.gen_setpoint = {50, 50};
    st.branch_closed[3] = 0; // 3 - 4
    power::Solver solver(net);
    const power::Solution s = solver.solve(st, Balance::governor);
    REQUIRE(s.islands.size() == 2);
    CHECK(s.islands[0].buses == std::vector<std::size_t>{0, 1, 2});
    CHECK(s.islands[1].buses == std::vector<std::size_t>{3});
    CHECK(s.island == std::vector<std::size_t>{0, 0, 0, 1});
    CHECK_FALSE(s.islands[1].energised);
    CHECK(s.islands[1].reference == 3); // no unit: the lowest bus
    CHECK(s.islands[1].shed_mw == 30);
    CHECK(s.islands[1].load_mw == 0);
    CHECK(s.shed_mw == 30);
    CHECK(s.load_served == std::vector<char>{1, 0});
    CHECK(s.angle_deg[3] == 0);
    CHECK(s.flow_mw[3] == 0);
    // the main island is the first test's: G1 70, G2 110, flows 7.5, 117.5, 62.5
    CHECK(s.gen_mw[0] == doctest::Approx(70).epsilon(1e-12));
    CHECK(s.gen_mw[1] == doctest::Approx(110).epsilon(1e-12));
    CHECK(s.flow_mw[1] == doctest::Approx(117.5).epsilon(1e-12));
  }

  TEST_CASE("islanding: an island without the type-3 bus takes its largest unit's bus as reference")
  {
    power::Network net = triangle(true);
    net.buses[3].va_deg = 5; // the reference bus keeps its given angle
    power::Generator g3;
    g3.bus = 3;
    g3.pmax_mw = 50;
    g3.id = "G3";
    net.generators.push_back(g3);
    add_load(net, 3, 30, "sub-4");
    power::State st = power::initial_state(net);
    st.gen_setpoint = {0, 0, 20};
    st.branch_closed[0] = st.branch_closed[2] = 0; // bus 1 alone; buses 2, 3, 4 with G2 and G3
    power::Solver solver(net);
    const power::Solution s = solver.solve(st, Balance::governor);
    REQUIRE(s.islands.size() == 2);
    CHECK(s.islands[1].reference == 1); // G2 (300 MW) is larger than G3 (50 MW)
    // island 1: demand 30, dispatch 20, deficit 10 pro rata 300:50 -> G2 60/7, G3 20 + 10/7
    CHECK(s.gen_mw[1] == doctest::Approx(60.0 / 7).epsilon(1e-12));
    CHECK(s.gen_mw[2] == doctest::Approx(20 + 10.0 / 7).epsilon(1e-12));
    // bus 1's island has G1 but no load: G1 backs down to 0
    CHECK(s.gen_mw[0] == 0);
    CHECK(s.islands[0].energised);
    // flows 2 -> 3 -> 4: 60/7 MW each; bus 2 is at its own VA (0), bus 4 at theta = -(60/7 / 100) (1/10 + 1/10)
    CHECK(s.flow_mw[1] == doctest::Approx(60.0 / 7).epsilon(1e-12));
    CHECK(s.flow_mw[3] == doctest::Approx(60.0 / 7).epsilon(1e-12));
    CHECK(s.angle_deg[3] == doctest::Approx(-(60.0 / 7 / 100) * 0.2 * RAD).epsilon(1e-12));
  }

  TEST_CASE("the factorisation is cached per topology: new injections do not refactor")
  {
    power::Network net = triangle();
    add_load(net, 2, 180, "sub-3");
    power::State st = power::initial_state(net);
    power::Solver solver(net);
    CHECK(solver.factorisations() == 0);
    solver.solve(st, Balance::governor);
    CHECK(solver.factorisations() == 1);
    st.gen_setpoint = {10, 170};
    st.load_connected = {0};
    solver.solve(st, Balance::governor);
    solver.solve(st, Balance::reference);
    CHECK(solver.factorisations() == 1);
    st.branch_closed[2] = 0; // a new topology
    solver.solve(st, Balance::governor);
    CHECK(solver.factorisations() == 2);
    st.branch_closed[2] = 1; // the first one again: cached
    solver.solve(st, Balance::governor);
    CHECK(solver.factorisations() == 2);
  }

  TEST_CASE("screening: LODF for a meshed outage, full re-solves for an islanding outage and a unit outage")
  {
    power::Network net = triangle(true);
    net.branches[1].rating_mw = 100; // 2 - 3
    add_load(net, 2, 180, "sub-3");
    add_load(net, 3, 30, "sub-4");
    power::State st = power::initial_state(net);
    st.gen_setpoint = {50, 50};
    power::Solver solver(net);
    power::ScreenOptions options;
    options.keep_flows = true;
    const auto c = solver.screen(st, options);
    // base: demand 210, deficit 110 -> G1 77.5, G2 132.5
    REQUIRE(c.size() == 6); // 4 branches, 2 units
    // 1 - 3 out: no island; the rest is radial: 1-2 carries G1's 77.5, 2-3 77.5 + 132.5 = 210, 3-4 30
    CHECK(c[2].kind == power::Contingency::Kind::branch);
    CHECK(c[2].index == 2);
    CHECK_FALSE(c[2].islands);
    CHECK(c[2].flow_mw[0] == doctest::Approx(77.5).epsilon(1e-12));
    CHECK(c[2].flow_mw[1] == doctest::Approx(210).epsilon(1e-12));
    CHECK(c[2].flow_mw[2] == 0);
    CHECK(c[2].flow_mw[3] == doctest::Approx(30).epsilon(1e-12));
    CHECK(c[2].max_loading_pct == doctest::Approx(210).epsilon(1e-12));
    CHECK(c[2].overloaded == std::vector<std::size_t>{1});
    CHECK(c[2].load_at_risk_mw == 0);
    // 3 - 4 out: bus 4 dead (30 MW at risk); the triangle is the first test's: 2-3 at 117.5 MW of 100
    CHECK(c[3].islands);
    CHECK(c[3].load_at_risk_mw == 30);
    CHECK(c[3].flow_mw[1] == doctest::Approx(117.5).epsilon(1e-12));
    CHECK(c[3].max_loading_pct == doctest::Approx(117.5).epsilon(1e-12));
    CHECK(c[3].overloaded == std::vector<std::size_t>{1});
    // G2 out: capacity 100 < 210: sub-3 (180, first by id) is shed, G1 backs down from 50 to 30 for sub-4
    CHECK(c[5].kind == power::Contingency::Kind::generator);
    CHECK(c[5].index == 1);
    CHECK_FALSE(c[5].islands);
    CHECK(c[5].load_at_risk_mw == 180);
    CHECK(c[5].flow_mw[3] == doctest::Approx(30).epsilon(1e-12));
    CHECK(c[5].overloaded.empty());
    // every branch outage screened by LODF equals a full re-solve
    for (std::size_t k = 0; k < 4; ++k) {
      CAPTURE(k);
      power::State changed = st;
      changed.branch_closed[k] = 0;
      const power::Solution full = solver.solve(changed, Balance::governor);
      for (std::size_t l = 0; l < 4; ++l)
        CHECK(c[k].flow_mw[l] == doctest::Approx(full.flow_mw[l]).epsilon(1e-12));
    }
  }
}

namespace {

/// A valid two-bus case, one statement or row per line (line numbers in the comments); `edit` replaces whole lines.
std::string two_bus_case(const std::map<int, std::string>& edit = {})
{
  const std::vector<std::string> lines = {
      "function mpc = bad",          // 1
      "mpc.baseMVA = 100;",          // 2
      "mpc.bus = [",                 // 3
      "  1 3 0 0 0 0 1 1 0;",        // 4
      "  2 1 50 0 0 0 1 1 0;",       // 5
      "];",                          // 6
      "mpc.gen = [",                 // 7
      "  1 50 0 0 0 1 100 1 100 0;", // 8
      "];",                          // 9
      "mpc.branch = [",              // 10
      "  1 2 0 0.1 0 0 0 0 0 0 1;",  // 11
      "];",                          // 12
  };
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto it = edit.find(static_cast<int>(i + 1));
    text += (it != edit.end() ? it->second : lines[i]) + "\n";
  }
  return text;
}

std::string error_of(const std::string& text)
{
  try {
    power::parse_matpower(text, "bad.m");
  } catch (const power::CaseError& e) {
    return e.what();
  }
  return "(no error)";
}

} // namespace

TEST_SUITE("power-errors")
{
  TEST_CASE("the valid two-bus case parses")
  {
    const power::Network net = power::parse_matpower(two_bus_case(), "dir/two.m");
    CHECK(net.name == "two");
    CHECK(net.buses.size() == 2);
    CHECK(net.loads.size() == 1);
    CHECK(net.generators.size() == 1);
    CHECK(net.branches.size() == 1);
  }

  TEST_CASE("an unreadable file: line 0")
  {
    try {
      power::read_matpower("/nonexistent/case.m");
      FAIL("no error");
    } catch (const power::CaseError& e) {
      CHECK(std::string(e.what()) == "/nonexistent/case.m:0:0: cannot read the case file: No such file or directory");
      CHECK(e.where() == "/nonexistent/case.m:0:0");
    }
    CHECK_THROWS_WITH_AS(power::read_matpower("/tmp"), "/tmp:0:0: cannot read the case file: it is a directory",
                         power::CaseError);
  }

  TEST_CASE("a missing field")
  {
    CHECK(error_of(two_bus_case({{2, ""}})) == "bad.m:1:1: no mpc.baseMVA in the case file");
    CHECK(error_of(two_bus_case({{3, "x = ["}})) == "bad.m:1:1: no mpc.bus in the case file");
    CHECK(error_of(two_bus_case({{7, "mpc.gen_old = ["}})) == "bad.m:1:1: no mpc.gen in the case file");
    CHECK(error_of(two_bus_case({{10, "%mpc.branch = ["}, {11, "%"}, {12, "%"}})) ==
          "bad.m:1:1: no mpc.branch in the case file");
    CHECK(error_of(two_bus_case({{4, ""}, {5, ""}})) == "bad.m:3:1: mpc.bus has no rows");
  }

  TEST_CASE("a row with too few columns")
  {
    CHECK(error_of(two_bus_case({{11, "  1 2 0 0.1 0 0 0 0 0;"}})) ==
          "bad.m:11:3: mpc.branch row 1 has 9 columns; expected at least 11 (fbus tbus r x b rateA rateB rateC ratio "
          "angle status)");
    CHECK(error_of(two_bus_case({{5, "  2 1 50"}})) ==
          "bad.m:5:3: mpc.bus row 2 has 3 columns; expected at least 9 (bus_i type Pd Qd Gs Bs area Vm Va)");
    CHECK(error_of(two_bus_case({{8, "  1, 50, 0, 0, 0, 1, 100, 1, 100"}})) ==
          "bad.m:8:3: mpc.gen row 1 has 9 columns; expected at least 10 (bus Pg Qg Qmax Qmin Vg mBase status Pmax "
          "Pmin)");
  }

  TEST_CASE("a value that is not a number")
  {
    CHECK(error_of(two_bus_case({{5, "  2 1 5O 0 0 0 1 1 0;"}})) == "bad.m:5:7: mpc.bus row 2: '5O' is not a number");
    CHECK(error_of(two_bus_case({{8, "  1 50 0 0 0 1 100 1 NaN 0;"}})) ==
          "bad.m:8:22: mpc.gen row 1: 'NaN' is not a number");
    CHECK(error_of(two_bus_case({{11, "  1 2 0 [0.1] 0 0 0 0 0 0 1;"}})) ==
          "bad.m:11:9: mpc.branch row 1: '[0.1' is not a number");
    CHECK(error_of(two_bus_case({{2, "mpc.baseMVA = hundred;"}})) ==
          "bad.m:2:15: mpc.baseMVA: 'hundred' is not a number");
    CHECK(error_of(two_bus_case({{2, "mpc.baseMVA = 0;"}})) ==
          "bad.m:2:15: mpc.baseMVA must be a positive finite number");
    CHECK(error_of(two_bus_case({{8, "  1 50 0 0 0 1 100 1 Inf 0;"}})) ==
          "bad.m:8:22: mpc.gen row 1: Pmax must be finite, not Inf");
    CHECK(error_of(two_bus_case({{2, "mpc.baseMVA 100;"}})) == "bad.m:2:13: expected '=' after mpc.baseMVA");
    CHECK(error_of(two_bus_case({{3, "mpc.bus = zeros(2, 9);"}})) ==
          "bad.m:3:11: mpc.bus: expected a matrix '[ ... ]'");
  }

  TEST_CASE("buses: duplicate numbers, bad numbers and types, no reference bus")
  {
    CHECK(error_of(two_bus_case({{5, "  1 1 50 0 0 0 1 1 0;"}})) ==
          "bad.m:5:3: mpc.bus row 2: duplicate bus number 1 (also in row 1)");
    CHECK(error_of(two_bus_case({{5, "  2.5 1 50 0 0 0 1 1 0;"}})) ==
          "bad.m:5:3: mpc.bus row 2: bus_i 2.5 is not a positive integer");
    CHECK(error_of(two_bus_case({{5, "  2 7 50 0 0 0 1 1 0;"}})) ==
          "bad.m:5:5: mpc.bus row 2: bus type 7 is not 1 (PQ), 2 (PV), 3 (reference) or 4 (isolated)");
    CHECK(error_of(two_bus_case({{4, "  1 2 0 0 0 0 1 1 0;"}})) ==
          "bad.m:3:1: mpc.bus: no reference bus (no bus of type 3)");
  }

  TEST_CASE("a generator or a branch at an unknown bus; a zero reactance in service; a branch to itself")
  {
    CHECK(error_of(two_bus_case({{8, "  3 50 0 0 0 1 100 1 100 0;"}})) ==
          "bad.m:8:3: mpc.gen row 1: generator at unknown bus 3");
    CHECK(error_of(two_bus_case({{11, "  1 12 0 0.1 0 0 0 0 0 0 1;"}})) ==
          "bad.m:11:5: mpc.branch row 1: tbus 12 is not a bus of mpc.bus");
    CHECK(error_of(two_bus_case({{11, "  1 2 0 0 0 0 0 0 0 0 1;"}})) ==
          "bad.m:11:9: mpc.branch row 1: zero reactance (x = 0) on an in-service branch");
    // out of service, a zero reactance is accepted (the solver never lets such a branch conduct)
    CHECK(error_of(two_bus_case({{11, "  1 2 0 0 0 0 0 0 0 0 0;"}})) == "(no error)");
    CHECK(error_of(two_bus_case({{11, "  2 2 0 0.1 0 0 0 0 0 0 1;"}})) ==
          "bad.m:11:5: mpc.branch row 1: connects bus 2 to itself");
    CHECK(error_of(two_bus_case({{11, "  1 2 0 0.1 0 -5 0 0 0 0 1;"}})) ==
          "bad.m:11:15: mpc.branch row 1: rateA must be 0 (unlimited) or positive, not -5");
  }

  TEST_CASE("unterminated matrices, strings and brackets")
  {
    CHECK(error_of(two_bus_case({{12, ""}})) ==
          "bad.m:10:14: mpc.branch: the matrix opened here is never closed with ']'");
    CHECK(error_of(two_bus_case({{1, "mpc.bus_name = { 'one'; 'two';"}})) == "bad.m:1:16: '{' is never closed");
    CHECK(error_of(two_bus_case({{1, "mpc.version = '2;"}})) == "bad.m:1:15: unterminated string");
    CHECK(error_of(two_bus_case({{1, "mpc.x = (1]"}})) == "bad.m:1:11: unmatched ']'");
    CHECK(error_of(two_bus_case({{9, "]';"}})) == "bad.m:9:2: mpc.gen: transposed values (') are not supported");
    CHECK(error_of("") == "bad.m:1:1: no mpc.baseMVA in the case file");
  }

  TEST_CASE("the grammar: comments, continuations, commas, rows on one line, exponents, Inf, cell arrays, strings")
  {
    const std::string text = "function mpc = fancy % a comment\n"
                             "mpc.version = '2'; mpc.baseMVA = 1e2;\n"
                             "mpc.bus = [1, 3, 0, 0, 0, 0, 1, 1, 0; 2 1 5.5e1 0 0 0 1 1 0 % bus 2\n"
                             "  3 1 ...  continued\n"
                             "  -0.5 0 2 0 1 1 0 345 1 1.1 0.9];\n"
                             "mpc.bus_name = { 'it''s [one'; \"two]\"; 'three' };\n"
                             "mpc.gen = [ 1 50 0 Inf -Inf 1 100 1 100 0 ];\n"
                             "mpc.areas = [1 1];\n"
                             "mpc.branch = [\n"
                             "  1 2 0 .1 0 Inf 0 0 0 0 1 -360 360\n"
                             "  2 3 0 1e-1 0 +80 0 0 0.98 -3 1\n"
                             "  1 3 0 0 0 0 0 0 0 0 0\n"
                             "];\n"
                             "end\n";
    const power::Network net = power::parse_matpower(text, "fancy.m");
    REQUIRE(net.buses.size() == 3);
    CHECK(net.base_mva == 100);
    REQUIRE(net.loads.size() == 2);
    CHECK(net.loads[0].mw == 55);
    CHECK(net.loads[1].mw == -0.5); // a negative PD is an injection
    CHECK(net.buses[2].gs_mw == 2);
    REQUIRE(net.generators.size() == 1);
    REQUIRE(net.branches.size() == 3);
    CHECK(net.branches[0].x_pu == 0.1);
    CHECK(net.branches[0].rating_mw == 0); // Inf: unlimited
    CHECK(net.branches[1].rating_mw == 80);
    CHECK(net.branches[1].tap == 0.98);
    CHECK(net.branches[1].shift_deg == -3);
    CHECK_FALSE(net.branches[2].in_service);
  }
}

TEST_SUITE("power-n1")
{
  TEST_CASE("every branch and generator outage screened equals a full re-solve, islanding ones included (governor)")
  {
    for (const char* name : {"case14", "case30", "case57", "case118", "case300"}) {
      CAPTURE(name);
      const power::Network net = power::read_matpower(MATPOWER_DIR + name + ".m");
      power::Solver solver(net);
      const power::State state = power::initial_state(net);
      power::ScreenOptions options;
      options.keep_flows = true;
      const auto screened = solver.screen(state, options);
      std::size_t islanding = 0;
      for (const power::Contingency& c : screened) {
        CAPTURE(c.index);
        power::State changed = state;
        if (c.kind == power::Contingency::Kind::branch)
          changed.branch_closed[c.index] = 0;
        else
          changed.gen_online[c.index] = 0;
        const power::Solution full = solver.solve(changed, Balance::governor);
        CHECK(std::abs(c.load_at_risk_mw - full.shed_mw) < 1e-9);
        CHECK(c.islands == (c.kind == power::Contingency::Kind::branch && full.islands.size() > 1));
        islanding += c.islands ? 1 : 0;
        double worst = 0;
        for (std::size_t k = 0; k < net.branches.size(); ++k)
          worst = std::max(worst, std::abs(c.flow_mw[k] - full.flow_mw[k]));
        CHECK(worst < 1e-6);
      }
      if (std::string(name) == "case300")
        CHECK(islanding > 0);
    }
  }
}

TEST_SUITE("power-synthetic")
{
  TEST_CASE("synthetic_grid: deterministic, connected without bridges, capacity 1.3 x load, base loading 30-80 %")
  {
    const power::Network a = power::synthetic_grid(400, 7);
    const power::Network b = power::synthetic_grid(400, 7);
    const power::Network c = power::synthetic_grid(400, 8);
    REQUIRE(a.buses.size() == 400);
    REQUIRE(a.branches.size() == b.branches.size());
    bool same = true;
    for (std::size_t k = 0; k < a.branches.size(); ++k)
      same = same && a.branches[k].from == b.branches[k].from && a.branches[k].to == b.branches[k].to &&
             a.branches[k].x_pu == b.branches[k].x_pu && a.branches[k].rating_mw == b.branches[k].rating_mw;
    CHECK(same);
    bool differs = a.branches.size() != c.branches.size();
    for (std::size_t k = 0; !differs && k < a.branches.size(); ++k)
      differs = a.branches[k].x_pu != c.branches[k].x_pu;
    CHECK(differs);
    const double per_bus = static_cast<double>(a.branches.size()) / 400.0;
    CHECK(per_bus >= 1.3);
    CHECK(per_bus <= 1.5);
    CHECK(a.buses[0].type == power::BusType::reference);
    double load = 0, capacity = 0, dispatch = 0;
    for (const power::Load& l : a.loads)
      load += l.mw;
    for (const power::Generator& g : a.generators) {
      capacity += g.pmax_mw;
      dispatch += g.pg_mw;
    }
    CHECK(capacity == doctest::Approx(1.3 * load).epsilon(1e-12));
    CHECK(dispatch == doctest::Approx(load).epsilon(1e-12));
    CHECK(a.generators.size() >= 20); // bus 1 and about 10 % of the others
    CHECK(a.generators.size() <= 60);
    for (const power::Branch& br : a.branches) {
      CHECK(br.x_pu >= 0.01);
      CHECK(br.x_pu < 0.2);
    }
    power::Solver solver(a);
    const power::State state = power::initial_state(a);
    const power::Solution s = solver.solve(state, Balance::governor);
    CHECK(s.islands.size() == 1);
    CHECK(s.shed_mw == 0);
    for (std::size_t k = 0; k < a.branches.size(); ++k) {
      if (std::abs(s.flow_mw[k]) < 3) {
        CHECK(a.branches[k].rating_mw == 10);
        continue;
      }
      CAPTURE(k);
      CHECK(s.loading_pct[k] >= 29.5); // the rating is rounded up to a whole MW
      CHECK(s.loading_pct[k] <= 80.0);
    }
    power::ScreenOptions options;
    options.generators = false;
    for (const power::Contingency& contingency : solver.screen(state, options))
      CHECK_FALSE(contingency.islands);
    CHECK_THROWS_AS(power::synthetic_grid(1, 1), std::invalid_argument);
    CHECK(power::synthetic_grid(2, 1).branches.size() >= 1);
  }
}
