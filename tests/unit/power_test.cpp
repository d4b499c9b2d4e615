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
