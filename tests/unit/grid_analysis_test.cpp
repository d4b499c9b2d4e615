/* The grid section of `cyberex analyze` (grid_analysis.hpp): N-1 screening of an IEEE case against MATPOWER's
 * answer key, a hand-derived 4-bus network for the protection cascade and the controller ranking, the command on a
 * MATPOWER case, and `cyberex generate grid` (matpower_write.hpp). */
#include "cyberex/grid_analysis.hpp"
#include "cyberex/matpower_write.hpp"
#include "cyberex/powerflow.hpp"

#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace cyberex;

namespace {

const std::string SOURCE = CYBEREX_SOURCE_DIR;

/// caseN.n1.csv: (outage row, branch row) -> MW
std::map<std::pair<int, int>, double> n1_key(const std::string& path)
{
  std::ifstream in(path);
  REQUIRE(in);
  std::map<std::pair<int, int>, double> key;
  std::string line;
  std::getline(in, line); // header
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string outage, branch, flow;
    std::getline(row, outage, ',');
    std::getline(row, branch, ',');
    std::getline(row, flow, ',');
    key[{std::stoi(outage), std::stoi(branch)}] = std::stod(flow);
  }
  return key;
}

// The hand-built 4-bus grid of the cascade and ranking tests, 100 MVA base, every reactance 0.1 p.u.:
//
//        br0 (1-2, 100 MW)         G1 at bus 1: 120 MW, capacity 200 MW (reference bus)
//     1 ------------------ 2        G3 at bus 3: 30 MW, capacity 60 MW
//     |                    |        L2 at bus 2: 50 MW, priority 2, 5,000 customers
//  br2 (1-3, 100 MW)    br1 (2-4, 60 MW)
//     |                    |        L4 at bus 4: 100 MW, priority 1 (shed first), 8,000 customers
//     3 ------------------ 4
//        br3 (3-4, 80 MW)
//
// Base flows (equal reactances: the loop's flows sum to zero around 1-2-4-3-1). Let f12 = a; then f24 = a - 50,
// f13 = 120 - a, f34 = 150 - a; KVL a + (a - 50) - (150 - a) - (120 - a) = 0 gives a = 80: f12 = 80 (80 %),
// f24 = 30 (50 %), f13 = 40 (40 %), f34 = 70 (87.5 %). Generation 150 MW = load 150 MW.
power::Network four_bus()
{
  power::Network net;
  net.name = "four-bus";
  net.base_mva = 100;
  for (int n = 1; n <= 4; ++n) {
    power::Bus b;
    b.number = n;
    b.id = "bus-" + std::to_string(n);
    b.type = n == 1 ? power::BusType::reference : n == 3 ? power::BusType::pv : power::BusType::pq;
    net.buses.push_back(b);
  }
  auto branch = [&](const char* id, std::size_t from, std::size_t to, double rating) {
    power::Branch br;
    br.id = id;
    br.from = from;
    br.to = to;
    br.x_pu = 0.1;
    br.rating_mw = rating;
    net.branches.push_back(br);
  };
  branch("br0", 0, 1, 100);
  branch("br1", 1, 3, 60);
  branch("br2", 0, 2, 100);
  branch("br3", 2, 3, 80);
  auto generator = [&](const char* id, std::size_t bus, double pg, double pmax) {
    power::Generator g;
    g.id = id;
    g.bus = bus;
    g.pg_mw = pg;
    g.pmax_mw = pmax;
    net.generators.push_back(g);
  };
  generator("G1", 0, 120, 200);
  generator("G3", 2, 30, 60);
  auto load = [&](const char* id, std::size_t bus, double mw, int priority, double customers) {
    power::Load l;
    l.id = id;
    l.bus = bus;
    l.mw = mw;
    l.priority = priority;
    l.customers = customers;
    net.loads.push_back(l);
  };
  load("L2", 1, 50, 2, 5000);
  load("L4", 3, 100, 1, 8000);
  return net;
}

} // namespace

TEST_SUITE("grid-n1")
{
  TEST_CASE("N-1 of IEEE case14: 25 contingencies, one islanding branch, flows as MATPOWER's")
  {
    const power::Network net = power::read_matpower(SOURCE + "/data/matpower/case14.m");
    REQUIRE(net.branches.size() == 20);
    REQUIRE(net.generators.size() == 5);
    const N1Report r = n1_report(net);
    // 20 branches and 5 generators, all in service.
    CHECK(r.screened == 25);
    CHECK(r.contingencies.size() == 25);
    // Bus 8 (a generator bus, PG 0, no load) hangs on branch row 14 (7-8) alone: the only radial branch, so the only
    // outage that islands (the answer key lists the 19 others, which keep the grid in one piece). Its island has no
    // load and its generator produces 0 MW, so nothing is shed.
    CHECK(r.islanding == 1);
    // case14 has no ratings (RATE_A 0 everywhere: unlimited): no loading, no overload.
    CHECK(r.with_overloads == 0);
    CHECK(r.base_max_loading_pct == 0);
    // Losing a generator: 259 MW of load; the largest, G1 (232.4 MW at bus 1), leaves 40 MW (G2) and a 219.4 MW
    // deficit that the others' 400 MW of headroom (140 - 40 + 3 x 100) cover: nothing is shed anywhere.
    CHECK(r.with_load_at_risk == 0);
    CHECK(r.secure == 24);
    // All tie at 0 MW and 0 %: branches first, in file order, then generators.
    for (std::size_t i = 0; i < 20; ++i) {
      CHECK(r.contingencies[i].kind == power::Contingency::Kind::branch);
      CHECK(r.contingencies[i].index == i);
      CHECK(r.contingencies[i].islands == (i == 13));
    }
    for (std::size_t i = 20; i < 25; ++i) {
      CHECK(r.contingencies[i].kind == power::Contingency::Kind::generator);
      CHECK(r.contingencies[i].index == i - 20);
      CHECK(!r.contingencies[i].islands);
    }
    CHECK(net.buses[net.branches[13].from].number == 7);
    CHECK(net.buses[net.branches[13].to].number == 8);

    // Post-outage flows against data/matpower/reference/case14.n1.csv (rundcpf): every listed outage, every branch.
    // rundcpf balances at the reference bus (case14 is dispatched at 272.4 MW for 259 MW of load: G1 runs at
    // 232.4 - 13.4 = 219 MW), the governor balance backs every unit down pro rata instead, so the key is compared
    // with the reference balance; the order and the counts do not depend on it here.
    const N1Report ref = n1_report(net, true, power::Balance::reference);
    REQUIRE(ref.contingencies.size() == 25);
    const auto key = n1_key(SOURCE + "/data/matpower/reference/case14.n1.csv");
    CHECK(key.size() == 19 * 20);
    std::size_t checked = 0;
    for (const auto& c : ref.contingencies) {
      if (c.kind != power::Contingency::Kind::branch || c.islands)
        continue;
      REQUIRE(c.flow_mw.size() == 20);
      for (std::size_t b = 0; b < 20; ++b) {
        const auto it = key.find({static_cast<int>(c.index + 1), static_cast<int>(b + 1)});
        REQUIRE(it != key.end());
        CHECK(std::fabs(c.flow_mw[b] - it->second) < 1e-6);
        ++checked;
      }
    }
    CHECK(checked == 19 * 20);
    // Spot check read off the key: with row 1 (1-2) out, bus 1 reaches the grid through row 2 (1-5) alone, which
    // carries all of G1's output; G1 balances the case at the reference bus: 259 MW of load - G2's 40 MW = 219 MW.
    const auto& first = ref.contingencies[0];
    CHECK(first.index == 0);
    CHECK(first.flow_mw[0] == 0);
    CHECK(std::fabs(first.flow_mw[1] - 219.0) < 1e-6);
    CHECK(std::fabs(first.flow_mw[2] - 45.0526495915) < 1e-6);
  }

  TEST_CASE("N-1 of the 4-bus grid: overloads, load at risk and the order, every figure by hand")
  {
    const power::Network net = four_bus();
    const N1Report r = n1_report(net);
    CHECK(r.base_max_loading_pct == doctest::Approx(87.5).epsilon(1e-12)); // br3: 70 / 80
    // br0 (1-2) out: radial 2-4-3-1; f13 = 120 (120 %), f34 = 120 + 30 = 150 (187.5 %), f24 = -50 (83.3 %).
    // br1 (2-4) out: radial 4-3-1-2; f12 = 50, f13 = 70, f34 = 70 + 30 = 100 (125 %).
    // br2 (1-3) out: radial 3-4-2-1; f12 = 120 (120 %), f24 = 70 (116.7 %), f34 = 30 (37.5 %).
    // br3 (3-4) out: bus 3 sends its 30 MW through 1-3 (30 %); f12 = 150 (150 %), f24 = 100 (166.7 %).
    // G1 out: G3 alone, 60 MW of capacity for 150 MW: L4 (priority 1) is shed (100 MW), L2's 50 MW is served and G3
    //   backs down to 50 MW, half through 3-1-2, half through 3-4-2: 25 MW each; worst br1: 25 / 60 = 41.7 %.
    // G3 out: G1 takes the 30 MW (headroom 80) to 150; a = 87.5 from 4a = 350: f12 = 87.5 (87.5 %), f24 = 37.5,
    //   f13 = f34 = 62.5 (78.1 % on br3). Secure.
    REQUIRE(r.contingencies.size() == 6);
    CHECK(r.screened == 6);
    CHECK(r.with_overloads == 4);
    CHECK(r.islanding == 0);
    CHECK(r.with_load_at_risk == 1);
    CHECK(r.secure == 1);
    using K = power::Contingency::Kind;
    const std::vector<std::pair<K, std::size_t>> order = {{K::generator, 0}, {K::branch, 0}, {K::branch, 3},
                                                          {K::branch, 1},    {K::branch, 2}, {K::generator, 1}};
    const std::vector<double> loading = {100.0 * 25 / 60, 187.5, 100.0 * 100 / 60, 125, 120, 87.5};
    const std::vector<std::vector<std::size_t>> overloaded = {{}, {2, 3}, {0, 1}, {3}, {0, 1}, {}};
    for (std::size_t i = 0; i < 6; ++i) {
      CAPTURE(i);
      CHECK(r.contingencies[i].kind == order[i].first);
      CHECK(r.contingencies[i].index == order[i].second);
      CHECK(r.contingencies[i].max_loading_pct == doctest::Approx(loading[i]).epsilon(1e-9));
      CHECK(r.contingencies[i].overloaded == overloaded[i]);
      CHECK(r.contingencies[i].load_at_risk_mw == doctest::Approx(i == 0 ? 100 : 0).epsilon(1e-9));
    }
  }
}

TEST_SUITE("grid-ranking")
{
  TEST_CASE("protection cascade to stability on the 4-bus grid")
  {
    const power::Network net = four_bus();
    power::Solver solver(net);
    power::State state = power::initial_state(net);
    // Nothing overloaded in the base state: one solve, no trip.
    CascadeOutcome base = cascade_to_stability(solver, state);
    CHECK(base.tripped.empty());
    CHECK(base.solves == 1);
    CHECK(base.solution.flow_mw[0] == doctest::Approx(80).epsilon(1e-9));

    // br2 (1-3) opened: f12 = 120 (120 %) and f24 = 70 (116.7 %). The more loaded, br0, trips first (inverse time);
    // bus 1 is then alone with G1 and no load (G1 backs down to 0), and {2, 3, 4} has G3's 60 MW for 150 MW: L4
    // (priority 1, 100 MW) is shed, G3 serves L2's 50 MW: f34 = 50 (62.5 %), f24 = -50 (83.3 %). Stable: 2 solves.
    state.branch_closed[2] = 0;
    const CascadeOutcome c = cascade_to_stability(solver, state);
    CHECK(c.tripped == std::vector<std::size_t>{0});
    CHECK(c.solves == 2);
    CHECK(!state.branch_closed[0]);
    CHECK(c.solution.islands.size() == 2);
    CHECK(c.solution.shed_mw == doctest::Approx(100).epsilon(1e-9));
    CHECK(c.solution.gen_mw[0] == doctest::Approx(0).epsilon(1e-9));
    CHECK(c.solution.gen_mw[1] == doctest::Approx(50).epsilon(1e-9));
    CHECK(c.solution.flow_mw[0] == 0);
    CHECK(c.solution.flow_mw[1] == doctest::Approx(-50).epsilon(1e-9));
    CHECK(c.solution.flow_mw[2] == 0);
    CHECK(c.solution.flow_mw[3] == doctest::Approx(50).epsilon(1e-9));
    CHECK(c.solution.load_served == std::vector<char>{1, 0});
  }

  TEST_CASE("controllers ranked by load at risk, every figure by hand")
  {
    GridNetwork grid;
    grid.network = four_bus();
    grid.generator_node = {NO_INDEX, NO_INDEX};
    grid.load_node = {NO_INDEX, NO_INDEX};
    // node 0 "B": trips G3 and L2. G1 alone feeds L4: 120 MW for 100 MW, it backs down to 100; 50 MW on each path:
    //   br1 50 / 60 = 83.3 %, br3 50 / 80 = 62.5 %: no trip. Load at risk = L2's 50 MW, 5,000 customers.
    // node 1 "C": opens br1 (2-4). f12 = 50, f13 = 70, f34 = 100 (125 %): br3 trips; bus 4 is an island without
    //   generation: L4's 100 MW unserved; {1, 2, 3} has a surplus and feeds L2 over br0 (50 %). 100 MW, 8,000
    //   customers, 1 cascade trip, 1 island formed.
    // node 2 "A": opens br2 (1-3): the cascade of the previous test: br0 trips, L4 shed: 100 MW, 8,000 customers,
    //   1 cascade trip, 1 island formed (bus 1 alone).
    // A and C tie on every figure: the lower node index first. Order: C, A, B.
    grid.controllers = {GridController{0, {}, {1}, {0}}, GridController{1, {1}, {}, {}},
                        GridController{2, {2}, {}, {}}};
    const std::vector<ControllerImpact> ranked = rank_controllers(grid);
    REQUIRE(ranked.size() == 3);
    CHECK(ranked[0].node == 1);
    CHECK(ranked[1].node == 2);
    CHECK(ranked[2].node == 0);

    CHECK(ranked[0].load_at_risk_mw == doctest::Approx(100).epsilon(1e-9));
    CHECK(ranked[0].shed_mw == doctest::Approx(100).epsilon(1e-9));
    CHECK(ranked[0].tripped_load_mw == 0);
    CHECK(ranked[0].customers_at_risk == 8000);
    CHECK(ranked[0].cascade_tripped == std::vector<std::size_t>{3});
    CHECK(ranked[0].islands_formed == 1);
    CHECK(ranked[0].branches_opened == std::vector<std::size_t>{1});

    CHECK(ranked[1].load_at_risk_mw == doctest::Approx(100).epsilon(1e-9));
    CHECK(ranked[1].customers_at_risk == 8000);
    CHECK(ranked[1].cascade_tripped == std::vector<std::size_t>{0});
    CHECK(ranked[1].islands_formed == 1);

    CHECK(ranked[2].load_at_risk_mw == doctest::Approx(50).epsilon(1e-9));
    CHECK(ranked[2].shed_mw == doctest::Approx(0).epsilon(1e-9));
    CHECK(ranked[2].tripped_load_mw == 50);
    CHECK(ranked[2].customers_at_risk == 5000);
    CHECK(ranked[2].cascade_tripped.empty());
    CHECK(ranked[2].islands_formed == 0);
    CHECK(ranked[2].generators_tripped == std::vector<std::size_t>{1});
    CHECK(ranked[2].loads_tripped == std::vector<std::size_t>{0});

    // The text table names controllers "node-<index>" without a scenario.
    GridSection report = grid_section(grid.network, "four-bus");
    report.controllers = ranked;
    const std::string text = format_grid_text({report}, 10);
    CHECK(text.find("\nGrid four-bus (4 buses, 4 branches, 2 generators, 2 loads; load 150.0 MW, generation 150.0 "
                    "MW)\n") == 0);
    CHECK(text.find("  node-1      open br1              100.0 MW       8000        1 (br3)               1\n") !=
          std::string::npos);
    CHECK(text.find("  node-0      trip G3, trip L2       50.0 MW       5000              0               0\n") !=
          std::string::npos);
  }

  TEST_CASE("cyberex analyze on a MATPOWER case file")
  {
    const auto o = cli_test::run_cyberex("analyze " + SOURCE + "/data/matpower/case14.m --json");
    CHECK(o.status == 0);
    CHECK(o.err == "");
    const auto j = nlohmann::json::parse(o.out);
    REQUIRE(j["grid"].size() == 1);
    const auto& g = j["grid"][0];
    CHECK(g["buses"] == 14);
    CHECK(g["branches"] == 20);
    CHECK(g["generators"] == 5);
    CHECK(g["load_mw"] == 259.0); // sum of case14's PD
    CHECK(g["n1"]["screened"] == 25);
    CHECK(g["n1"]["islanding"] == 1);
    CHECK(g["n1"]["with_overloads"] == 0);
    CHECK(g["n1"]["secure"] == 24);
    REQUIRE(g["n1"]["contingencies"].size() == 25);
    const auto& radial = g["n1"]["contingencies"][13];
    CHECK(radial["kind"] == "branch");
    CHECK(radial["index"] == 14);
    CHECK(radial["from"] == 7);
    CHECK(radial["to"] == 8);
    CHECK(radial["islands"] == true);
    CHECK(radial["load_at_risk_mw"] == 0.0);
    CHECK(g["controllers"].empty());

    const auto text = cli_test::run_cyberex("analyze " + SOURCE + "/data/matpower/case14.m --top 3");
    CHECK(text.status == 0);
    CHECK(text.out.rfind("Grid case14 (14 buses, 20 branches, 5 generators, 11 loads; load 259.0 MW, generation "
                         "259.0 MW)\n",
                         0) == 0);
    CHECK(text.out.find("  ... 22 more (--top N)\n") != std::string::npos);
  }

  TEST_CASE("cyberex analyze on a scenario with a networked grid: the controller ranking")
  {
    // tests/scenario/grid/cascade.json (the engine's three-bus fixture): g1 120 MW at n1, g2 40 MW of 50 at n2, s2a
    // 60 MW (priority 0, 30,000 customers) and s2b 50 MW (priority 1, 20,000) at n2, s3 50 MW at n3; lines l12, l13
    // (200 MW) and l23 (50 MW), reactance 0.1 each. rtu-1 opens l12: n2 now draws 110 - 40 = 70 MW through n1-n3-n2,
    // l23 at 70 / 50 = 140 % trips; n2 is an island with g2's 50 MW for 110 MW: s2a (priority 0) is shed, 60 MW;
    // s2b's 50 MW is served. Load at risk 60 MW, 30,000 customers, one cascade trip (l23), one island formed.
    const auto o = cli_test::run_cyberex("analyze " + SOURCE + "/tests/scenario/grid/cascade.json --json");
    CHECK(o.status == 0);
    const auto j = nlohmann::json::parse(o.out);
    CHECK(j.contains("attack_paths"));
    REQUIRE(j["grid"].size() == 1);
    const auto& g = j["grid"][0];
    CHECK(g["grid"] == "north");
    CHECK(g["load_mw"] == 160.0);
    REQUIRE(g["controllers"].size() == 1);
    const auto& c = g["controllers"][0];
    CHECK(c["controller"] == "rtu-1");
    CHECK(c["branches_opened"] == nlohmann::json::array({"l12"}));
    CHECK(c["load_at_risk_mw"] == 60.0);
    CHECK(c["shed_mw"] == 60.0);
    CHECK(c["tripped_load_mw"] == 0.0);
    CHECK(c["customers_at_risk"] == 30000.0);
    CHECK(c["cascade_tripped"] == nlohmann::json::array({"l23"}));
    CHECK(c["islands_formed"] == 1);

    const auto text = cli_test::run_cyberex("analyze " + SOURCE + "/tests/scenario/grid/cascade.json");
    CHECK(text.status == 0);
    CHECK(text.out.find("\nGrid north (3 buses, 3 branches, 2 generators, 3 loads; load 160.0 MW, generation 160.0 "
                        "MW)\n") != std::string::npos);
  }

  TEST_CASE("cyberex analyze: a dependency on a bus hangs on the substations at that bus")
  {
    // tests/scenario/grid/cascade.json: pump depends on bus:north/n2 (substations s2a, s2b), pump-3 on bus:north/n3
    // (substation s3). Losing s2a or s2b loses pump at once; losing s3 loses pump-3. Losing g1 leaves g2's 50 MW of
    // capacity for 160 MW of load: the copper-plate cascade sheds s2a (priority 0: 100 MW left), then s2b (priority
    // 1, before s3 by id: 50 MW left, covered), so pump is lost and pump-3 is not (s3 is served).
    const auto o = cli_test::run_cyberex("analyze " + SOURCE + "/tests/scenario/grid/cascade.json --json");
    REQUIRE(o.status == 0);
    const auto j = nlohmann::json::parse(o.out);
    std::map<std::string, std::vector<std::string>> lost;
    for (const auto& c : j["cascades"])
      for (const auto& l : c["losses"])
        lost[c["subject"].get<std::string>()].push_back(l["what"].get<std::string>());
    CHECK(lost["node:s2a"] == std::vector<std::string>{"node:pump"});
    CHECK(lost["node:s2b"] == std::vector<std::string>{"node:pump"});
    CHECK(lost["node:s3"] == std::vector<std::string>{"node:pump-3"});
    CHECK(lost["node:g1"] == std::vector<std::string>{"node:s2a", "node:s2b", "node:pump", "grid:north"});
    CHECK(lost.count("node:g2") == 0);
  }

  TEST_CASE("cyberex analyze rejects a malformed MATPOWER case with a located error")
  {
    const std::string dir = cli_test::temp_dir("n1");
    cli_test::spit(dir + "/bad.m", "function mpc = bad\nmpc.baseMVA = 100;\nmpc.bus = [\n\t1\t3\tx\t0;\n];\n");
    const auto o = cli_test::run_cyberex("analyze " + dir + "/bad.m");
    CHECK(o.status == 2);
    CHECK(o.out == "");
    // the row's third column (PD), at line 4, column 6 (after "\t1\t3\t")
    CHECK(o.err == dir + "/bad.m:4:6: error: mpc.bus row 1: 'x' is not a number\ncyberex analyze: " + dir +
                       "/bad.m has errors; nothing analysed\n");
    const auto missing = cli_test::run_cyberex("analyze " + dir + "/missing.m");
    CHECK(missing.status == 2);
    CHECK(missing.err == dir + "/missing.m:0:0: error: cannot read the case file: No such file or directory\n" +
                             "cyberex analyze: " + dir + "/missing.m has errors; nothing analysed\n");
    std::remove((dir + "/bad.m").c_str());
    ::rmdir(dir.c_str());
  }
}

TEST_SUITE("grid-generate")
{
  TEST_CASE("cyberex generate grid: a 200-bus case that reads back to the same network and solution")
  {
    const std::string dir = cli_test::temp_dir("gengrid");
    const auto a = cli_test::run_cyberex("generate grid --buses 200 --seed 7 -o " + dir + "/a.m");
    CHECK(a.status == 0);
    const auto b = cli_test::run_cyberex("generate grid --buses 200 --seed 7 -o " + dir + "/b.m");
    CHECK(b.status == 0);
    const std::string text_a = cli_test::slurp(dir + "/a.m");
    const std::string text_b = cli_test::slurp(dir + "/b.m");
    CHECK(!text_a.empty());
    // The same seed: the same bytes, the function's name aside (each file is named after itself).
    CHECK(text_a.substr(text_a.find('\n')) == text_b.substr(text_b.find('\n')));
    CHECK(text_a.rfind("function mpc = a\n", 0) == 0);

    const power::Network original = power::synthetic_grid(200, 7);
    const power::Network back = power::read_matpower(dir + "/a.m");
    CHECK(back.buses.size() == 200);
    CHECK(back.buses.size() == original.buses.size());
    CHECK(back.branches.size() == original.branches.size());
    CHECK(back.generators.size() == original.generators.size());
    CHECK(back.loads.size() == original.loads.size());
    CHECK(back.base_mva == original.base_mva);
    // Numbers are written in their shortest exact form: the solutions are identical, bit for bit.
    power::Solver s1(original), s2(back);
    const power::Solution x = s1.solve(power::initial_state(original));
    const power::Solution y = s2.solve(power::initial_state(back));
    CHECK(x.angle_deg == y.angle_deg);
    CHECK(x.flow_mw == y.flow_mw);
    CHECK(x.gen_mw == y.gen_mw);
    CHECK(x.shed_mw == y.shed_mw);
    // and writing what was read gives the same text again, but for the comment line naming the network (the case
    // read back is named after its file)
    const std::string again = power::matpower_text(back, "a");
    const auto body = [](const std::string& t) { return t.substr(t.find('\n', t.find('\n') + 1)); };
    CHECK(body(again) == body(text_a));

    const auto other = cli_test::run_cyberex("generate grid --buses 200 --seed 8 -o " + dir + "/c.m");
    CHECK(other.status == 0);
    CHECK(cli_test::slurp(dir + "/c.m").substr(text_a.find('\n')) != text_a.substr(text_a.find('\n')));

    const auto bad = cli_test::run_cyberex("generate grid --buses 1 -o " + dir + "/d.m");
    CHECK(bad.status == 2);
    CHECK(bad.err == "cyberex generate grid: option '--buses' expects a whole number from 2 to 10000000; got '1'\n");
    for (const char* f : {"/a.m", "/b.m", "/c.m"})
      std::remove((dir + f).c_str());
    ::rmdir(dir.c_str());
  }
}
