/* Dead equipment carries no traffic (docs/engine.md, "Dead equipment carries no traffic"): probes around a failed
 * node, from a failed node, parallel links, the shedding order and a grid's failure, each with figures derived by
 * hand; and the agreement between `cyberex analyze`'s cascade table and what the engine's probes and ground truth
 * report after each failure, on the tutorial and Cyber Atlantic 2011. */
#include "engine_support.hpp"

#include "cyberex/analysis.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace cyberex;
using namespace cyberex::test;

namespace {

// noc --1 ms-- exch --1 ms-- web, and a detour noc --2 ms-- r1 --2 ms-- r2 --2 ms-- web, every link 8.8 Mb/s
// (1.1 MB/s). exch (the telecom exchange) needs the substation sub, with a 1 h battery. The portal on web is probed
// from noc every minute: 1 kB request, 10 kB response, timeout 5 s, degraded above 15 ms.
// Direct route (2 hops): 2 x 0.002 s + (1e3 + 10e3) / 1.1e6 = 0.004 + 0.010 = 14 ms: up.
// Detour (3 hops): 2 x 0.006 s + 11e3 / 1.1e6 = 0.012 + 0.010 = 22 ms: degraded.
Builder exchange_world(bool detour)
{
  Builder b;
  for (const char* n : {"noc", "exch", "web", "r1", "r2"})
    b.node(n, std::string(n) == "web" || std::string(n) == "noc" ? NodeKind::server : NodeKind::router);
  b.node("sub", NodeKind::substation);
  b.link("noc", "exch", 1.1e6, 0.001);
  b.link("exch", "web", 1.1e6, 0.001);
  if (detour) {
    b.link("noc", "r1", 1.1e6, 0.002);
    b.link("r1", "r2", 1.1e6, 0.002);
    b.link("r2", "web", 1.1e6, 0.002);
  }
  Service& portal = b.probed_service("portal", "web", "noc", 1e3, 10e3);
  portal.probe->degraded_latency = 0.015;
  Dependency d;
  d.id = "exch-power";
  d.dependent = "node:exch";
  d.on = "node:sub";
  d.backup = Backup{"battery", 3600};
  b.sc.dependencies.push_back(d);
  b.team("ops", {"node:sub", "node:noc", "node:exch"});
  b.action(ActionType::restore, 0, 1e6); // immediate, offline for good
  b.action(ActionType::isolate, 0);
  b.action(ActionType::reconnect, 0);
  b.done();
  return b;
}

Command command(double time, const std::string& action, const std::string& target)
{
  Command c;
  c.time = time;
  c.team = "ops";
  c.action = action;
  c.target = target;
  return c;
}

} // namespace

TEST_SUITE("engine-routing")
{
  TEST_CASE("an exchange whose battery ran out carries no traffic: the probe detours, 14 ms -> 22 ms")
  {
    // sub offline at 630 s; the 1 h battery runs out at 4,230 s: exch fails (reason dependency) and its links go
    // off. The probe of 4,260 s takes the detour: 22 ms > 15 ms, degraded, answered at 4,260.022 s.
    auto r = run(exchange_world(true).sc, 4300, {command(630, "restore", "node:sub")});
    auto exch = events_of(r, "node_status", "node:exch");
    REQUIRE(exch.size() == 1);
    CHECK(exch[0]["time"].get<double>() == doctest::Approx(4230));
    CHECK(exch[0]["details"]["status"] == "failed");
    CHECK(exch[0]["details"]["reason"] == "dependency");
    auto st = events_of(r, "probe_status", "service:portal");
    REQUIRE(st.size() == 2);
    CHECK(st[0]["details"]["status"] == "up");
    CHECK(st[0]["details"]["latency"].get<double>() == doctest::Approx(0.014).epsilon(1e-9));
    CHECK(st[1]["details"]["status"] == "degraded");
    CHECK(st[1]["details"]["reason"] == "slow");
    CHECK(st[1]["time"].get<double>() == doctest::Approx(4260.022).epsilon(1e-12));
    CHECK(st[1]["details"]["latency"].get<double>() == doctest::Approx(0.022).epsilon(1e-9));
  }

  TEST_CASE("no path around the dead exchange: the portal is unreachable from the NOC")
  {
    // As above without the detour: the probe of 4,260 s finds no path of working nodes: down, "unreachable", at once.
    // Availability over [60.014, 4300]: up until 4,260 s, down after: (4260 - 60.014) / (4300 - 60.014).
    auto r = run(exchange_world(false).sc, 4300, {command(630, "restore", "node:sub")});
    auto st = events_of(r, "probe_status", "service:portal");
    REQUIRE(st.size() == 2);
    CHECK(st[1]["time"].get<double>() == doctest::Approx(4260));
    CHECK(st[1]["details"]["status"] == "down");
    CHECK(st[1]["details"]["reason"] == "unreachable");
    CHECK(events_of(r, "service_status", "service:portal").empty()); // the web server itself is fine
    CHECK(r["kpis"]["services"][0]["availability"].get<double>() ==
          doctest::Approx((4260 - 60.014) / (4300 - 60.014)).epsilon(1e-6));
  }

  TEST_CASE("isolating the exchange: the next probe (660 s) detours as well")
  {
    auto r = run(exchange_world(true).sc, 700, {command(630, "isolate", "node:exch")});
    auto st = events_of(r, "probe_status", "service:portal");
    REQUIRE(st.size() == 2);
    CHECK(st[1]["time"].get<double>() == doctest::Approx(660.022).epsilon(1e-12));
    CHECK(st[1]["details"]["status"] == "degraded");
  }

  TEST_CASE("isolated, then reconnected: the exchange carries traffic again, the probe is back to 14 ms")
  {
    // No detour. exch isolated at 630 s: the probe of 660 s finds no path, down "unreachable". Reconnected at 690 s:
    // its links are on again, and the probe of 720 s takes the direct route: 14 ms, up, answered at 720.014 s.
    auto r = run(exchange_world(false).sc, 750,
                 {command(630, "isolate", "node:exch"), command(690, "reconnect", "node:exch")});
    auto st = events_of(r, "probe_status", "service:portal");
    REQUIRE(st.size() == 3);
    CHECK(st[1]["time"].get<double>() == doctest::Approx(660));
    CHECK(st[1]["details"]["reason"] == "unreachable");
    CHECK(st[2]["time"].get<double>() == doctest::Approx(720.014).epsilon(1e-12));
    CHECK(st[2]["details"]["status"] == "up");
    CHECK(st[2]["details"]["latency"].get<double>() == doctest::Approx(0.014).epsilon(1e-9));
  }

  TEST_CASE("a probe from a wiped, offline machine reports the service down: source down")
  {
    // noc offline at 630 s: the probe of 660 s is down at once, reason "source down", latency 0. Availability over
    // [60.014, 900]: (660 - 60.014) / (900 - 60.014).
    auto r = run(exchange_world(true).sc, 900, {command(630, "restore", "node:noc")});
    auto st = events_of(r, "probe_status", "service:portal");
    REQUIRE(st.size() == 2);
    CHECK(st[1]["time"].get<double>() == doctest::Approx(660));
    CHECK(st[1]["details"]["status"] == "down");
    CHECK(st[1]["details"]["reason"] == "source down");
    CHECK(st[1]["details"]["latency"].get<double>() == 0);
    CHECK(r["kpis"]["services"][0]["availability"].get<double>() ==
          doctest::Approx((660 - 60.014) / (900 - 60.014)).epsilon(1e-6));
  }

  TEST_CASE("an attack step cannot cross a failed router: the campaign waits")
  {
    // inet -- exch -- web: exch fails at 4,230 s (battery), the campaign starts at 5,000 s and has no path to web.
    Builder b = exchange_world(false);
    b.node("inet", NodeKind::internet);
    b.link("inet", "exch", 1.25e8, 0.001);
    Campaign c;
    c.id = "apt";
    c.start = 5000;
    c.c2.node = "inet";
    c.c2.beacon_interval = 1e6;
    c.steps.push_back(step("in", "T1190", "external", "node:web", 60, StepEffect::compromise));
    b.sc.campaigns.push_back(c);
    b.done();
    auto r = run(b.sc, 6000, {command(630, "restore", "node:sub")});
    CHECK(events_of(r, "step_started").empty());
    REQUIRE(events_of(r, "campaign_waiting").size() == 1);
    CHECK(events_of(r, "campaign_waiting")[0]["time"].get<double>() == doctest::Approx(5000));
    // without the outage the step starts at once
    auto ok = run(b.sc, 6000);
    REQUIRE(events_of(ok, "step_started").size() == 1);
  }

  TEST_CASE("a substation shed from the start carries nothing from t = 0: the probe through it is unreachable")
  {
    // g1 50 MW for sub's 100 MW, no reserve: sub is shed at 0 s (failed, "load shed") and its links are off before
    // SimGrid runs. The portal on web, probed from noc over noc - sub - web only, is down at the first probe (60 s).
    Builder b;
    b.node("noc", NodeKind::server);
    b.node("sub", NodeKind::substation);
    b.node("web", NodeKind::server);
    b.node("g1", NodeKind::generation_unit);
    b.link("noc", "sub", 1.1e6, 0.001);
    b.link("sub", "web", 1.1e6, 0.001);
    Grid g;
    g.id = "g";
    b.sc.grids.push_back(g);
    for (auto& n : b.sc.nodes)
      if (n.id == "sub" || n.id == "g1") {
        n.grid = "g";
        n.load_mw = n.id == "sub" ? 100 : 0;
        n.capacity_mw = n.id == "g1" ? 50 : 0;
      }
    b.probed_service("portal", "web", "noc", 1e3, 10e3);
    b.done();
    auto r = run(b.sc, 100);
    auto sub = events_of(r, "node_status", "node:sub");
    REQUIRE(sub.size() == 1);
    CHECK(sub[0]["time"].get<double>() == 0);
    CHECK(sub[0]["details"]["reason"] == "load shed");
    auto st = events_of(r, "probe_status", "service:portal");
    REQUIRE(st.size() == 1);
    CHECK(st[0]["time"].get<double>() == doctest::Approx(60));
    CHECK(st[0]["details"]["status"] == "down");
    CHECK(st[0]["details"]["reason"] == "unreachable");
  }

  TEST_CASE("parallel links add their bandwidth: 100 MB over two 100 Mb/s links, 20 ms + 100e6 / 25e6 = 4.020 s")
  {
    // c2 (attacker) --10 ms, 2 x 100 Mb/s-- r (router) --10 ms, 1 Gb/s-- src; exfiltration of 100 MB from 100 s:
    // bottleneck 2 x 12.5 MB/s = 25 MB/s, so it ends at 100 + 0.020 + 4 = 104.020 s (one link: 108.020 s).
    Builder b;
    b.node("c2", NodeKind::attacker);
    b.node("r", NodeKind::router);
    b.node("src", NodeKind::file_server);
    b.link("src", "r", 1.25e8, 0.010);
    b.link("r", "c2", 1.25e7, 0.010);
    b.link("r", "c2", 1.25e7, 0.010).id = "r-c2#2";
    Campaign c;
    c.id = "apt";
    c.c2.node = "c2";
    c.c2.beacon_interval = 1e6;
    c.steps.push_back(step("in", "T1190", "external", "node:src", 0, StepEffect::compromise));
    Step x = step("exfil", "T1041", "node:src", "node:src", 100, StepEffect::exfiltrate);
    x.exfiltrate_bytes = 100e6;
    c.steps.push_back(x);
    b.sc.campaigns.push_back(c);
    b.done();
    auto r = run(b.sc, 600);
    auto ended = events_of(r, "exfiltration_ended");
    REQUIRE(ended.size() == 1);
    CHECK(ended[0]["time"].get<double>() == doctest::Approx(104.020).epsilon(1e-9));
  }
}

TEST_SUITE("engine-power")
{
  TEST_CASE("equal shed_priority: shed by id, not by scenario order; a grid fails for its dependents while it sheds")
  {
    // g1 80 MW + g2 40 MW, no reserve, for zeta 60 MW and alpha 60 MW (written in that order, both priority 1);
    // host h depends on grid:g. g2 offline at 600 s: 80 < 120, shed alpha (id order): 60 <= 80, zeta stays; the
    // grid sheds, so h fails (no backup) at 600 s.
    Builder b;
    b.node("g1", NodeKind::generation_unit);
    b.node("g2", NodeKind::generation_unit);
    b.node("zeta", NodeKind::substation);
    b.node("alpha", NodeKind::substation);
    b.node("h", NodeKind::server);
    Grid g;
    g.id = "g";
    b.sc.grids.push_back(g);
    auto set = [&](const std::string& id, double cap, double load) {
      for (auto& n : b.sc.nodes)
        if (n.id == id) {
          n.grid = "g";
          n.capacity_mw = cap;
          n.load_mw = load;
          n.shed_priority = 1;
          n.customers = 1000;
        }
    };
    set("g1", 80, 0);
    set("g2", 40, 0);
    set("zeta", 0, 60);
    set("alpha", 0, 60);
    Dependency d;
    d.id = "h-power";
    d.dependent = "node:h";
    d.on = "grid:g";
    b.sc.dependencies.push_back(d);
    b.team("ops", {"node:g2", "node:zeta"});
    b.action(ActionType::restore, 0, 1e6);
    b.done();

    auto r = run(b.sc, 700, {command(600, "restore", "node:g2")});
    auto lost = events_of(r, "load_lost");
    REQUIRE(lost.size() == 1);
    CHECK(lost[0]["subject"] == "node:alpha");
    CHECK(lost[0]["details"]["reason"] == "load shed");
    auto h = events_of(r, "node_status", "node:h");
    REQUIRE(h.size() == 1);
    CHECK(h[0]["time"].get<double>() == doctest::Approx(600));
    CHECK(h[0]["details"]["reason"] == "dependency");
    // the analysis sheds the same substation and loses h with it
    auto c = cascade_impact(b.sc, "node:g2");
    std::string losses;
    for (const auto& l : c.losses)
      losses += l.what + " ";
    CHECK(losses == "node:alpha node:h grid:g ");

    // zeta offline instead: 120 MW for 60 MW of load, nothing shed; a local outage does not fail the grid: h is up.
    auto z = run(b.sc, 700, {command(600, "restore", "node:zeta")});
    CHECK(events_of(z, "node_status", "node:h").empty());
    CHECK(cascade_impact(b.sc, "node:zeta").losses.empty());
  }
}

namespace {

// The agreement test's world: the scenario as shipped, without its adversary (campaigns, botnets, false alarms), its
// restore and isolate actions immediate and the restore's offline time longer than any run, probes every hour (the
// comparison is about the state once every backup has run out, not about latency).
Scenario quiet_world(const std::string& path)
{
  auto loaded = load_scenario(path);
  REQUIRE(loaded.ok());
  Scenario sc = *loaded.scenario;
  sc.campaigns.clear();
  sc.botnets.clear();
  for (auto& k : sc.sensors)
    k.false_positives_per_day = 0;
  for (auto& a : sc.actions) {
    a.duration = 0;
    if (a.type == ActionType::restore)
      a.effect_duration = 1e9;
  }
  for (auto& sv : sc.services)
    if (sv.probe)
      sv.probe->interval = 3600;
  // imported routers have spaces in their ids ("abilene:New York"), which a command's target selector cannot hold
  sc.node_by_id.clear();
  for (std::size_t i = 0; i < sc.nodes.size(); ++i) {
    std::replace(sc.nodes[i].id.begin(), sc.nodes[i].id.end(), ' ', '_');
    sc.node_by_id[sc.nodes[i].id] = static_cast<Index>(i);
  }
  return sc;
}

// The services the engine reports down at the end of a run: the last probe_status of a probed service, the last
// service_status of one without a probe (the availability rule of docs/engine.md).
std::set<std::string> engine_down(const Scenario& sc, const nlohmann::json& r)
{
  std::set<std::string> down;
  for (const auto& sv : sc.services) {
    const auto st = events_of(r, sv.probe ? "probe_status" : "service_status", "service:" + sv.id);
    if (!st.empty() && st.back()["details"]["status"] == "down")
      down.insert(sv.id);
  }
  return down;
}

std::string text(const std::set<std::string>& s)
{
  std::string out;
  for (const auto& x : s)
    out += (out.empty() ? "" : " ") + x;
  return out;
}

// For every node of the scenario: the analysis's losses (services) and unreachable services, against the services
// the engine reports down once every loss has happened after that node went down (restore: offline; isolate); and
// each lost service's time, against the engine's ground truth.
struct Compared {
  int nodes = 0;       ///< failures compared
  int with_losses = 0; ///< ... after which the analysis lists at least one service down
  int unreachable = 0; ///< ... at least one of them only unreachable (up, but not from its probe)
};

Compared compare(const std::string& path, const std::string& action)
{
  const Scenario sc = quiet_world(path);
  const Analysis a = analyze(sc);
  REQUIRE(a.cascades.size() == sc.nodes.size());
  const nlohmann::json baseline = run(sc, 4000);
  REQUIRE(engine_down(sc, baseline).empty()); // everything up before the failure
  Compared compared;
  for (const CascadeImpact& c : a.cascades) {
    const std::string node = c.subject.substr(5);
    // isolating a generation unit keeps it generating (only its network is cut): not the analysis's loss
    if (action == "isolate" && sc.nodes[sc.node_by_id.at(node)].kind == NodeKind::generation_unit)
      continue;
    std::set<std::string> lost;
    double last = 0;
    for (const Loss& l : c.losses) {
      if (l.what.rfind("service:", 0) == 0)
        lost.insert(l.what.substr(8));
      last = std::max(last, l.after);
    }
    std::set<std::string> expected = lost;
    expected.insert(c.unreachable.begin(), c.unreachable.end());

    Command cmd;
    cmd.time = 600;
    cmd.team = sc.teams.front().id;
    cmd.action = action;
    cmd.target = c.subject;
    // past the last loss, then two probe rounds
    const nlohmann::json r = run(sc, 600 + last + 2 * 3600 + 60, {cmd});
    REQUIRE(r.contains("events"));
    const std::set<std::string> down = engine_down(sc, r);
    std::set<std::string> missing; // the analysis says lost or unreachable, the engine still reports it up
    std::set_difference(expected.begin(), expected.end(), down.begin(), down.end(),
                        std::inserter(missing, missing.end()));
    std::set<std::string> extra; // the engine reports it down, the analysis does not list it
    std::set_difference(down.begin(), down.end(), expected.begin(), expected.end(), std::inserter(extra, extra.end()));
    INFO(path << ": " << action << " " << c.subject);
    CHECK_MESSAGE(missing.empty(), "analysis lists, engine up: " << text(missing));
    CHECK_MESSAGE(extra.empty(), "engine down, analysis silent: " << text(extra));
    // and when: each service the analysis loses goes down (ground truth) `after` seconds after the failure
    for (const Loss& l : c.losses) {
      if (l.what.rfind("service:", 0) != 0)
        continue;
      const auto st = events_of(r, "service_status", l.what);
      INFO(l.what << " lost after " << l.after << " s");
      REQUIRE(!st.empty());
      CHECK(st.front()["details"]["status"] == "down");
      CHECK(st.front()["time"].get<double>() == doctest::Approx(600 + l.after).epsilon(1e-9));
    }
    ++compared.nodes;
    compared.with_losses += expected.empty() ? 0 : 1;
    compared.unreachable += c.unreachable.empty() ? 0 : 1;
  }
  MESSAGE(path << ", " << action << ": " << compared.nodes << " failures, " << compared.with_losses
               << " with services down, " << compared.unreachable << " with services unreachable");
  return compared;
}

} // namespace

TEST_SUITE("engine-agreement")
{
  TEST_CASE("tutorial: after each node goes offline, analyze's cascade table and the engine agree on what is down")
  {
    // 22 node entries, gov-ws counting 3: 24 nodes, + 11 Abilene routers = 35
    CHECK(compare("scenarios/tutorial/tutorial.json", "restore").nodes == 35);
  }

  TEST_CASE("tutorial: after each node is isolated, they agree too")
  {
    CHECK(compare("scenarios/tutorial/tutorial.json", "isolate").nodes == 35 - 2); // not gen-1, gen-2
  }

  TEST_CASE("Cyber Atlantic 2011: after each node goes offline, analyze and the engine agree on what is down")
  {
    // 304 nodes written in its three files (the interconnector tie-sued among them), + 40 GEANT and 20 Internet2
    // routers = 364
    CHECK(compare("scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json", "restore").nodes == 364);
  }

  TEST_CASE("Cyber Atlantic 2011: after each node is isolated, they agree too")
  {
    CHECK(compare("scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json", "isolate").nodes == 364 - 8); // 8 units
  }
}
