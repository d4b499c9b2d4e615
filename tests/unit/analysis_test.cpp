#include "cyberex/analysis.hpp"
#include "cyberex/scenario.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace cyberex;

namespace {

// Scenarios built in C++: only what the analysis reads (nodes, links, services, dependencies, grids, campaigns).
struct Builder {
  Scenario s;

  Index node(const std::string& id, NodeKind kind)
  {
    Node n;
    n.id = id;
    n.kind = kind;
    auto i = static_cast<Index>(s.nodes.size());
    s.nodes.push_back(n);
    s.node_by_id[id] = i;
    return i;
  }
  Node& at(const std::string& id) { return s.nodes[static_cast<std::size_t>(s.node_by_id.at(id))]; }
  Link& link(const std::string& a, const std::string& b, std::vector<FirewallRule> rules = {})
  {
    Link l;
    l.id = a + "~" + b;
    l.a = a;
    l.b = b;
    l.a_index = s.node_by_id.at(a);
    l.b_index = s.node_by_id.at(b);
    l.firewall = std::move(rules);
    s.links.push_back(l);
    return s.links.back();
  }
  void service(const std::string& id, const std::string& node, std::int64_t consumers)
  {
    Service sv;
    sv.id = id;
    sv.node = node;
    sv.node_index = s.node_by_id.at(node);
    sv.consumers = consumers;
    s.service_by_id[id] = static_cast<Index>(s.services.size());
    s.services.push_back(sv);
  }
  void depends(const std::string& dependent, const std::string& on, double backup = -1)
  {
    Dependency d;
    d.id = dependent + "<-" + on;
    d.dependent = dependent;
    d.on = on;
    if (backup >= 0)
      d.backup = Backup{"generator", backup};
    s.dependencies.push_back(d);
  }
  void grid(const std::string& id, double reserve)
  {
    Grid g;
    g.id = id;
    g.reserve_mw = reserve;
    s.grid_by_id[id] = static_cast<Index>(s.grids.size());
    s.grids.push_back(g);
  }
  void power(const std::string& node, const std::string& grid, double capacity, double load, std::int64_t customers,
             int priority)
  {
    Node& n = at(node);
    n.grid = grid;
    n.grid_index = s.grid_by_id.at(grid);
    n.capacity_mw = capacity;
    n.load_mw = load;
    n.customers = customers;
    n.shed_priority = priority;
  }
};

Step step(const std::string& id, const std::string& source, const std::string& target, double p,
          StepEffect effect = StepEffect::compromise, const std::string& protocol = "any")
{
  Step st;
  st.id = id;
  st.technique = "T1000";
  st.source = source;
  st.target = target;
  st.probability = p;
  st.effect = effect;
  st.protocol = protocol;
  return st;
}

std::string path_text(const AttackPathResult& r)
{
  std::string out;
  for (const auto& h : r.path) {
    out += (out.empty() ? "" : " > ") + h.node;
    if (!h.step.empty()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4f", h.probability);
      out += " [" + h.step + " " + buf + (h.foothold ? "" : " reached") + "]";
    }
  }
  return out;
}

std::string losses_text(const CascadeImpact& c)
{
  std::string out;
  for (const auto& l : c.losses)
    out += (out.empty() ? "" : ", ") + l.what + (l.after > 0 ? " +" + format_duration(l.after) : "");
  return out;
}

std::string join(const std::vector<std::string>& v)
{
  std::string out;
  for (const auto& x : v)
    out += (out.empty() ? "" : " ") + x;
  return out;
}

const CascadeImpact& cascade_of(const Analysis& a, const std::string& node)
{
  for (const auto& c : a.cascades)
    if (c.subject == "node:" + node)
      return c;
  FAIL("no cascade for " << node);
  return a.cascades.front();
}

std::string run_cli(const std::string& args, int& status)
{
  auto out = std::filesystem::temp_directory_path() / "cyberex_analysis_cli.out";
  std::string cmd = std::string(CYBEREX_BINARY) + " " + args + " >" + out.string() + " 2>&1";
  int rc = std::system(cmd.c_str());
  status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::ifstream in(out);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

TEST_SUITE("analysis")
{
  TEST_CASE("tutorial: attack paths computed by hand")
  {
    auto loaded = load_scenario("scenarios/tutorial/tutorial.json");
    REQUIRE(loaded.ok());
    const Analysis a = analyze(*loaded.scenario);
    REQUIRE(a.attack_paths.size() == 2);

    // apt-docs: entry gov-mail (not compromised: no step targets it; external steps start there).
    //  - phish (external, p 0.8, needs a vulnerability enabling T1566.001: CVE-2011-0611 on every gov-ws, default
    //    exploitability 1) reaches gov-ws-1..3 through gov-fw and gov-sw (transit; gov-core denies only rdp from
    //    gov-fw to gov-sw, phish's protocol is "any"): cost -ln 0.8 each; the tie goes to gov-ws-1 (scenario order);
    //  - escalate/dump act on the workstations without a foothold; lateral (smb, p 0.95) from a workstation through
    //    gov-sw to gov-fs: its credential gov-admin is harvested by dump, so it is usable;
    //  - path probability 0.8 × 0.95 = 0.76; the campaign reaches gov-ws-1..3 and gov-fs, all footholds.
    const auto& apt = a.attack_paths[0];
    CHECK(apt.campaign == "apt-docs");
    CHECK(join(apt.entry) == "gov-mail");
    CHECK(apt.goal == "gov-fs");
    CHECK(apt.probability == doctest::Approx(0.76).epsilon(1e-12));
    CHECK(path_text(apt) == "gov-mail > gov-fw > gov-sw > gov-ws-1 [phish 0.8000] > gov-sw > gov-fs [lateral 0.9500]");
    CHECK(join(apt.reachable) == "gov-ws-1 gov-ws-2 gov-ws-3 gov-fs");
    CHECK(join(apt.footholds) == "gov-ws-1 gov-ws-2 gov-ws-3 gov-fs");

    // grid-attack: entry ut-ws, which phish (external, p 0.7, CVE-2011-3402 enables T1566.001) compromises in place;
    // rdp (p 0.8) from ut-ws via ut-fw and ut-ot-fw (ut-it-ot allows rdp first) to ut-ews; command (modbus, p 0.9,
    // effect trip: no foothold) over the uplink plc-1~ut-ews. 0.7 × 0.8 × 0.9 = 0.504. modbus from ut-ws would be
    // denied by ut-it-ot's last rule anyway, and ut-ews is not transit.
    const auto& grid = a.attack_paths[1];
    CHECK(grid.campaign == "grid-attack");
    CHECK(grid.goal == "plc-1");
    CHECK(grid.probability == doctest::Approx(0.504).epsilon(1e-12));
    CHECK(path_text(grid) ==
          "ut-ws [phish 0.7000] > ut-fw > ut-ot-fw > ut-ews [rdp 0.8000] > plc-1 [command 0.9000 reached]");
    CHECK(join(grid.reachable) == "ut-ws ut-ews plc-1");
    CHECK(join(grid.footholds) == "ut-ws ut-ews");
  }

  TEST_CASE("tutorial: single points of failure computed by hand")
  {
    auto loaded = load_scenario("scenarios/tutorial/tutorial.json");
    REQUIRE(loaded.ok());
    const Analysis a = analyze(*loaded.scenario);
    // The tutorial's own nodes hang off Abilene (11 routers, 14 links, biconnected) as trees:
    //  Chicago: bot-gw, pump-1, and ut-fw's tree {ut-fw, ut-ws, ut-ot-fw, ut-hist, ut-ews, plc-1, gen-1, ut-hmi,
    //           gen-2, sub-city, sub-rural} = 13;  ut-fw: ut-ws + the 9 OT nodes = 10;
    //  Washington DC: gov-fw, gov-web, gov-mail, gov-sw, gov-ws-1..3, gov-dc, gov-fs = 9; gov-fw: 8;
    //  ut-ot-fw: 8; gov-sw: 5 workstations and servers; ut-hmi: gen-2, sub-city, sub-rural = 3;
    //  ut-ews: plc-1, gen-1 = 2; New York: inet, c2 = 2; inet: c2 = 1; plc-1: gen-1 = 1.
    std::string points;
    for (const auto& p : a.articulation_points)
      points += p.node + "=" + std::to_string(p.cut_off) + " ";
    CHECK(points == "abilene:Chicago=13 ut-fw=10 abilene:Washington DC=9 gov-fw=8 ut-ot-fw=8 gov-sw=5 ut-hmi=3 "
                    "ut-ews=2 abilene:New York=2 inet=1 plc-1=1 ");
    // Every link outside Abilene is a bridge: 20 uplinks and the 4 explicit links. The smaller sides:
    // ut-uplink 11 (ut-fw's tree), gov-uplink 9, ut-it-ot 9 (OT side), gov-core 6 (gov-sw and its 5 hosts),
    // ut-hmi's uplink 4, ut-ews's uplink 3, inet's and plc-1's uplinks 2, then the 16 leaves.
    REQUIRE(a.bridges.size() == 24);
    std::string bridges;
    for (std::size_t i = 0; i < 8; ++i)
      bridges += a.bridges[i].link + "=" + std::to_string(a.bridges[i].cut_off) + " ";
    CHECK(bridges == "ut-uplink=11 gov-uplink=9 ut-it-ot=9 gov-core=6 ut-hmi~ut-ot-fw=4 ut-ews~ut-ot-fw=3 "
                     "inet~abilene:New York=2 plc-1~ut-ews=2 ");
    CHECK(a.bridges[0].a == "ut-fw");
    CHECK(a.bridges[0].b == "abilene:Chicago");
    for (std::size_t i = 8; i < a.bridges.size(); ++i)
      CHECK(a.bridges[i].cut_off == 1);
    CHECK(a.connectivity.components.size() == 1);
    CHECK(a.connectivity.components[0].size() == loaded.scenario->nodes.size());
    CHECK(a.connectivity.isolated.empty());
    CHECK(a.warnings.empty());
  }

  TEST_CASE("tutorial: cascade impacts computed by hand")
  {
    auto loaded = load_scenario("scenarios/tutorial/tutorial.json");
    REQUIRE(loaded.ok());
    const Analysis a = analyze(*loaded.scenario);
    // grid-north: gen-1 200 MW + gen-2 150 MW, reserve 20 MW; loads sub-city 180 MW (priority 2, 200,000
    // customers) + sub-rural 120 MW (priority 1, 150,000 customers) = 300 MW.
    // Losing gen-1: 150 + 20 = 170 < 300: shed sub-rural (load 180), still > 170: shed sub-city. power-city (on
    // sub-city, 200,000) is lost at once; water-supply (120,000) needs sub-city with a 2h generator: lost after 2h.
    // The grid has no substation left: grid-north is lost too.
    const auto& gen1 = cascade_of(a, "gen-1");
    CHECK(losses_text(gen1) ==
          "node:sub-city, node:sub-rural, service:power-city, grid:grid-north, service:water-supply +2h");
    CHECK(gen1.consumers_immediate == 200000);
    CHECK(gen1.consumers_total == 320000);
    CHECK(gen1.customers_immediate == 350000);
    CHECK(gen1.customers_total == 350000);
    CHECK(gen1.load_lost_mw == 300);
    CHECK(gen1.dependents == 5);
    // Losing gen-2: 200 + 20 = 220 < 300: shed sub-rural only (180 <= 220): 150,000 customers, no service. The
    // grid sheds, so it is lost for what depends on it (nothing here): sub-rural and the grid are its 2 dependents.
    const auto& gen2 = cascade_of(a, "gen-2");
    CHECK(losses_text(gen2) == "node:sub-rural, grid:grid-north");
    CHECK(gen2.dependents == 2);
    CHECK(gen2.customers_total == 150000);
    CHECK(gen2.consumers_total == 0);
    CHECK(gen2.load_lost_mw == 120);
    // Losing ut-hmi: gen-2 depends on it without backup, then as above.
    CHECK(losses_text(cascade_of(a, "ut-hmi")) == "node:gen-2, node:sub-rural, grid:grid-north");
    // Losing sub-city: its own service at once (not a dependent), water-supply after 2h (a dependent).
    const auto& city = cascade_of(a, "sub-city");
    CHECK(losses_text(city) == "service:power-city, service:water-supply +2h");
    CHECK(city.consumers_immediate == 200000);
    CHECK(city.consumers_total == 320000);
    CHECK(city.customers_total == 200000);
    CHECK(city.dependents == 1);
    // Losing gov-fw cuts gov-web off from its probe on inet: the service is up but unreachable.
    const auto& fw = cascade_of(a, "gov-fw");
    CHECK(fw.losses.empty());
    CHECK(join(fw.unreachable) == "gov-website");
    CHECK(join(cascade_of(a, "abilene:New York").unreachable) == "gov-website");
    CHECK(cascade_of(a, "abilene:Chicago").unreachable.empty());
    // Losing inet, the probe's own node: a dead prober reaches nothing, gov-website is unreachable from there.
    CHECK(cascade_of(a, "inet").losses.empty());
    CHECK(join(cascade_of(a, "inet").unreachable) == "gov-website");
    CHECK(cascade_of(a, "gov-ws-1").losses.empty());

    std::string spofs;
    for (const auto& c : a.dependency_spofs)
      spofs += c.subject + "=" + std::to_string(c.dependents) + " ";
    CHECK(spofs == "node:gen-1=5 grid:grid-north=2 node:sub-city=1 node:ut-hmi=3 node:gen-2=2 ");
    CHECK(losses_text(cascade_impact(*loaded.scenario, "grid:grid-north")) ==
          "node:sub-city, node:sub-rural, service:power-city, service:water-supply +2h");
    CHECK(cascade_impact(*loaded.scenario, "service:nope").subject.empty());
  }

  TEST_CASE("attack graph: firewall direction and protocol, exploitability, unusable steps")
  {
    Builder b;
    b.node("ent", NodeKind::mail_server);
    b.node("r1", NodeKind::router);
    b.node("a", NodeKind::workstation);
    b.node("b", NodeKind::server);
    b.node("r2", NodeKind::router);
    b.node("g", NodeKind::server);
    b.at("a").vulnerabilities.push_back(Vulnerability{"CVE-1", {"T1566"}, 0.5});
    b.link("ent", "r1");
    b.link("r1", "a");
    b.link("r1", "b");
    b.link("b", "g");
    b.link("a", "r2");
    // r2 → g: rdp denied from a (r2) to b (g).
    b.link("r2", "g", {FirewallRule{FirewallAction::deny, "rdp", FirewallRule::Direction::a_to_b}});
    Campaign c;
    c.id = "c";
    c.entry = {"node:ent"};
    c.goals = {"node:g"};
    Step phish = step("phish", "external", "kind:workstation", 0.9);
    phish.technique = "T1566.001"; // enabled by the parent technique T1566, exploitability 0.5
    phish.requires_.vulnerability = true;
    c.steps.push_back(phish);
    c.steps.push_back(step("exploit", "external", "node:b", 0.3, StepEffect::compromise, "smb"));
    c.steps.push_back(step("lateral", "compromised", "node:g", 0.8, StepEffect::compromise, "rdp"));
    Step golden = step("golden", "compromised", "node:g", 0.99);
    golden.requires_.credentials = {"krbtgt"};
    c.steps.push_back(golden);
    b.s.campaigns.push_back(c);

    // From a (0.45) the rdp route a > r2 > g is denied and b is not transit: lateral only from b (0.3).
    // golden needs krbtgt, which nothing harvests: dropped.
    auto a1 = analyze(b.s).attack_paths.at(0);
    CHECK(path_text(a1) == "ent > r1 > b [exploit 0.3000] > g [lateral 0.8000]");
    CHECK(a1.probability == doctest::Approx(0.24).epsilon(1e-12));
    CHECK(join(a1.reachable) == "a b g");

    // The same rule for the other direction does not apply: a (0.9 × 0.5) then lateral: 0.36.
    b.s.links.back().firewall[0].direction = FirewallRule::Direction::b_to_a;
    auto a2 = analyze(b.s).attack_paths.at(0);
    CHECK(path_text(a2) == "ent > r1 > a [phish 0.4500] > r2 > g [lateral 0.8000]");
    CHECK(a2.probability == doctest::Approx(0.36).epsilon(1e-12));

    // Back to a_to_b, and a step harvesting krbtgt on a makes golden usable; its protocol "any" is not matched
    // by the rdp rule: 0.45 × 0.99.
    b.s.links.back().firewall[0].direction = FirewallRule::Direction::a_to_b;
    b.s.campaigns[0].steps.push_back(step("dump", "compromised", "node:a", 0.5, StepEffect::credential));
    b.s.campaigns[0].steps.back().credentials = {"krbtgt"};
    auto a3 = analyze(b.s).attack_paths.at(0);
    CHECK(path_text(a3) == "ent > r1 > a [phish 0.4500] > r2 > g [golden 0.9900]");
    CHECK(a3.probability == doctest::Approx(0.4455).epsilon(1e-12));

    // A rule for "any" blocks every protocol: g only through b again, golden from b: 0.3 × 0.99.
    b.s.links.back().firewall = {FirewallRule{FirewallAction::deny, "any", FirewallRule::Direction::both}};
    auto a4 = analyze(b.s).attack_paths.at(0);
    CHECK(path_text(a4) == "ent > r1 > b [exploit 0.3000] > g [golden 0.9900]");

    // Without the link b~g and with r2~g denied, the goal is out of reach: a warning.
    b.s.links.erase(b.s.links.begin() + 3);
    auto a5 = analyze(b.s);
    CHECK(a5.attack_paths[0].goal.empty());
    CHECK(a5.attack_paths[0].probability == 0);
    REQUIRE(a5.attack_paths[0].goals.size() == 1);
    CHECK(a5.attack_paths[0].goals[0].probability == 0);
    CHECK(join(a5.attack_paths[0].reachable) == "a b");
    CHECK(a5.warnings == std::vector<std::string>{"campaign 'c' cannot reach any of its goals"});
  }

  TEST_CASE("network: articulation points, bridges, parallel links, isolated nodes")
  {
    // Two triangles x-y-z and p-q-r joined by the bridge z-p; r-u, and u-v twice (parallel: not a bridge).
    Builder b;
    for (const char* id : {"x", "y", "z", "p", "q", "r", "u", "v", "w"})
      b.node(id, NodeKind::router);
    for (auto [from, to] : std::vector<std::pair<const char*, const char*>>{{"x", "y"},
                                                                            {"y", "z"},
                                                                            {"z", "x"},
                                                                            {"p", "q"},
                                                                            {"q", "r"},
                                                                            {"r", "p"},
                                                                            {"z", "p"},
                                                                            {"r", "u"},
                                                                            {"u", "v"}})
      b.link(from, to);
    b.link("u", "v").id = "u~v#2";
    const Analysis a = analyze(b.s);
    // p: {x,y,z} | {q,r,u,v}: 3 cut off; z: {x,y} | 5: 2; r: {u,v} | 5: 2; u: {v} | 6: 1.
    std::string points;
    for (const auto& p : a.articulation_points)
      points += p.node + "=" + std::to_string(p.cut_off) + " ";
    CHECK(points == "p=3 z=2 r=2 u=1 ");
    std::string bridges;
    for (const auto& br : a.bridges)
      bridges += br.link + "=" + std::to_string(br.cut_off) + " ";
    CHECK(bridges == "z~p=3 r~u=2 ");
    REQUIRE(a.connectivity.components.size() == 2);
    CHECK(a.connectivity.components[0].size() == 8);
    CHECK(join(a.connectivity.components[1]) == "w");
    CHECK(join(a.connectivity.isolated) == "w");
    CHECK(a.warnings == std::vector<std::string>{"the network has 2 separate parts: 8 nodes (x, ...), 1 node (w)",
                                                 "1 node has no link: w"});
  }

  TEST_CASE("cascades: backups along chains, cycles, shedding order, grid dependencies")
  {
    Builder b;
    for (const char* id : {"n1", "n2", "n3", "h"})
      b.node(id, NodeKind::server);
    b.node("G1", NodeKind::generation_unit);
    b.node("G2", NodeKind::generation_unit);
    b.node("A", NodeKind::substation);
    b.node("B", NodeKind::substation);
    b.node("C", NodeKind::substation);
    b.service("S1", "n1", 100);
    b.service("S2", "n2", 20);
    b.service("S3", "n3", 3);
    b.depends("node:n2", "service:S1", 3600);     // n2 runs 1h without S1
    b.depends("node:n3", "node:n2", 1800);        // n3 runs 30m without n2
    b.depends("node:n1", "node:n3");              // a cycle, no backup
    b.depends("service:S3", "node:n1", 4 * 3600); // a slower path to S3 than through n3
    b.grid("g", 10);
    b.power("G1", "g", 100, 0, 0, 0);
    b.power("G2", "g", 50, 0, 0, 0);
    b.power("A", "g", 0, 60, 1000, 2);
    b.power("B", "g", 0, 50, 500, 1);
    b.power("C", "g", 0, 30, 300, 1); // same priority as B: B is shed first (id order)
    b.depends("node:h", "grid:g");
    b.depends("node:G1", "service:S2", 2 * 3600); // G1 needs S2, with 2h of fuel

    // n1 lost: S1 at once; n2 after 1h (and S2); n3 after 1h30m (and S3, earlier than n1's 4h path);
    // G1 2h after S2 (3h): 50 + 10 = 60 < 140: shed B (90), C (60 <= 60): A stays; the grid sheds, so it is lost
    // at 3h and h, which needs it without backup, with it.
    auto c1 = cascade_impact(b.s, "node:n1");
    CHECK(losses_text(c1) ==
          "service:S1, node:n2 +1h, service:S2 +1h, node:n3 +1h30m, service:S3 +1h30m, node:h +3h, node:G1 +3h, "
          "node:B +3h, node:C +3h, grid:g +3h");
    CHECK(c1.consumers_immediate == 100);
    CHECK(c1.consumers_total == 123);
    CHECK(c1.customers_immediate == 0);
    CHECK(c1.customers_total == 800);
    CHECK(c1.load_lost_mw == 80);
    CHECK(c1.dependents == 9);

    // n3 lost: n1 at once (no backup), so S1 and S3 at once; n2 after 1h, S2 after 1h, G1 after 3h...
    auto c3 = cascade_impact(b.s, "node:n3");
    CHECK(losses_text(c3) == "node:n1, service:S1, service:S3, node:n2 +1h, service:S2 +1h, node:h +3h, node:G1 +3h, "
                             "node:B +3h, node:C +3h, grid:g +3h");
    // G2 lost: 100 + 10 = 110 < 140: shed B only (90 <= 110); the grid sheds: h is lost.
    CHECK(losses_text(cascade_impact(b.s, "node:G2")) == "node:h, node:B, grid:g");
    // Both B and C lost for another reason would relieve the grid; A lost: 80 <= 160, nothing shed.
    CHECK(losses_text(cascade_impact(b.s, "node:A")).empty());
    // The grid lost: all its substations at once (not dependents), and h, which depends on the grid.
    auto cg = cascade_impact(b.s, "grid:g");
    CHECK(losses_text(cg) == "node:h, node:A, node:B, node:C");
    CHECK(cg.dependents == 1);
    CHECK(cg.customers_immediate == 1800);
    // A service subject: S2 lost, G1 after 2h: B and C shed after 2h, the grid and h with them.
    CHECK(losses_text(cascade_impact(b.s, "service:S2")) ==
          "node:h +2h, node:G1 +2h, node:B +2h, node:C +2h, grid:g +2h");

    const Analysis a = analyze(b.s);
    std::string spofs;
    for (const auto& c : a.dependency_spofs)
      spofs += c.subject + " ";
    // By consumers lost, then customers, then dependents, then nodes, services, grids in scenario order:
    // S1, n1, n2, n3 all lose S1+S2+S3 = 123 consumers and B+C = 800 customers; S1 has 10 dependents (n2, S2, n3,
    // S3, n1, h, G1, B, C, the grid), the nodes 9 (their own service lost at once is not a dependent). Then S2 (20
    // consumers, 800 customers), the grid (1800 customers), G1 (800), G2 (500).
    CHECK(spofs == "service:S1 node:n1 node:n2 node:n3 service:S2 grid:g node:G1 node:G2 ");
  }

  TEST_CASE("JSON and text output")
  {
    auto loaded = load_scenario("scenarios/tutorial/tutorial.json");
    REQUIRE(loaded.ok());
    const Analysis a = analyze(*loaded.scenario);
    const std::string text = format_analysis_json(a);
    auto j = nlohmann::ordered_json::parse(text);
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items())
      keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"attack_paths", "network", "dependency_spofs", "cascades", "connectivity",
                                           "warnings"});
    CHECK(j["attack_paths"][1]["probability"].get<double>() == 0.504);
    CHECK(j["attack_paths"][1]["path"][0].dump() ==
          R"({"node":"ut-ws","step":"phish","probability":0.7,"foothold":true})");
    CHECK(j["cascades"].size() == loaded.scenario->nodes.size());
    CHECK(j["dependency_spofs"][0]["losses"][4].dump() ==
          R"({"what":"service:water-supply","after":7200.0,"people":120000})");
    CHECK(format_analysis_json(a) == text); // deterministic

    const std::string tables = format_analysis_text(a, 3);
    CHECK(tables.find("  campaign     goal    probability  moves  reachable  footholds\n"
                      "  apt-docs     gov-fs     0.760000      2          4          4\n"
                      "  grid-attack  plc-1      0.504000      3          3          2\n") != std::string::npos);
    CHECK(tables.find("  11 articulation points, 24 bridges (the first 3 of each shown; --top N)\n") !=
          std::string::npos);
    CHECK(tables.find("  node:gen-1                5         200000           320000     350000  node:sub-city, "
                      "node:sub-rural, service:power-city, grid:grid-north, service:water-supply after 2h\n") !=
          std::string::npos);

    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(7200) == "2h");
    CHECK(format_duration(5400) == "1h30m");
    CHECK(format_duration(3725) == "1h2m5s");
    CHECK(format_duration(0.25) == "0.250s");
    CHECK(format_duration(NEVER) == "never");
  }

  TEST_CASE("cyberex analyze on the command line")
  {
    int status = -1;
    std::string out = run_cli("analyze scenarios/tutorial/tutorial.json --top 2", status);
    CHECK(status == 0);
    CHECK(out.find("    path:      ut-ws [phish 0.700] > ut-fw > ut-ot-fw > ut-ews [rdp 0.800] > plc-1 [command 0.900, "
                   "no foothold]\n") != std::string::npos);
    out = run_cli("analyze scenarios/tutorial/tutorial.json --json", status);
    CHECK(status == 0);
    CHECK(nlohmann::json::parse(out)["attack_paths"][0]["goal"] == "gov-fs");
    out = run_cli("analyze tests/scenario/graphml/small.graphml", status);
    CHECK(status == 2);
    CHECK(out.find("error: [") != std::string::npos);
    CHECK(out.find("cyberex analyze: tests/scenario/graphml/small.graphml has errors; nothing analysed\n") !=
          std::string::npos);
    out = run_cli("analyze scenarios/tutorial/tutorial.json --top zero", status);
    CHECK(status == 1);
    CHECK(out == "cyberex analyze: --top expects an integer from 1 to 1000000, got 'zero'\n");
    out = run_cli("analyze --help", status);
    CHECK(status == 0);
    CHECK(out.rfind("usage: cyberex analyze FILE [--json] [--top N]\n", 0) == 0);
  }
}
