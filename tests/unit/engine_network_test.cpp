/* Hand-checkable network numbers: exfiltration over shared links, probes under a flood. CM02 flow model: a transfer
 * takes the route's latency plus its size over its share of the bottleneck. SimGrid weighs shares by the inverse of
 * each flow's route latency (RTT unfairness, as TCP): every competing flow here has the same route latency (bot
 * access links have 10 ms), so shares are equal and the numbers are plain max-min ones. */
#include "engine_support.hpp"

#include <doctest/doctest.h>

using namespace cyberex;
using namespace cyberex::test;

namespace {

// c2 (attacker) --10 ms, 100 Mb/s-- r (router) --10 ms, 1 Gb/s-- src (file server)
// The campaign compromises src at t=0 and starts exfiltrating 100 MB to c2 at t=100.
Builder exfil_world(int competing_flows)
{
  Builder b;
  b.node("c2", NodeKind::attacker);
  b.node("r", NodeKind::router);
  b.node("src", NodeKind::file_server);
  b.link("src", "r", 1.25e8, 0.010);
  b.link("r", "c2", 1.25e7, 0.010);
  b.indicator("ioc-c2");
  b.team("cert", {"node:src"});
  b.action(ActionType::block, 0);
  b.action(ActionType::isolate, 0);
  Campaign c;
  c.id = "apt";
  c.c2.node = "c2";
  c.c2.beacon_interval = 1e6;
  c.c2.indicators = {"ioc-c2"};
  c.steps.push_back(step("in", "T1190", "external", "node:src", 0, StepEffect::compromise));
  Step x = step("exfil", "T1041", "node:src", "node:src", 100, StepEffect::exfiltrate);
  x.exfiltrate_bytes = 100e6;
  c.steps.push_back(x);
  b.sc.campaigns.push_back(c);
  if (competing_flows > 0) { // Z flows into c2 through r: they share r->c2 with the exfiltration
    Botnet bn;
    bn.id = "flood";
    bn.size = competing_flows;
    bn.bot_bandwidth = 1e9;
    bn.attach = {"r"};
    bn.target = "node:c2";
    bn.schedule.push_back(BotnetWave{50, 1e5, 1});
    b.sc.botnets.push_back(bn);
  }
  b.done();
  return b;
}

// The same exfiltration across sites, whose routes SimGrid takes from a zone hierarchy (docs/engine.md): the agency
// hangs off bb2 and the internet site off bb1, the backbone is a triangle. Route src -> c2: src -1 ms- sw -1 ms- fw
// -4 ms- bb2 -3 ms- bb1 -2 ms- inet -5 ms- c2 (the detour through bb3 has one hop more): 16 ms; bottleneck 100 Mb/s.
Builder zoned_exfil_world()
{
  Builder b;
  b.node("c2", NodeKind::attacker, "internet");
  b.node("inet", NodeKind::internet, "internet");
  for (const char* r : {"bb1", "bb2", "bb3"})
    b.node(r, NodeKind::router, "backbone");
  b.node("fw", NodeKind::firewall, "agency");
  b.node("sw", NodeKind::switch_, "agency");
  b.node("src", NodeKind::file_server, "agency");
  b.link("c2", "inet", 1.25e7, 0.005);
  b.link("inet", "bb1", 1.25e8, 0.002);
  b.link("bb1", "bb2", 1.25e9, 0.003);
  b.link("bb1", "bb3", 1.25e9, 0.001);
  b.link("bb3", "bb2", 1.25e9, 0.001);
  b.link("bb2", "fw", 1.25e8, 0.004);
  b.link("fw", "sw", 1.25e8, 0.001);
  b.link("sw", "src", 1.25e8, 0.001);
  b.indicator("ioc-c2");
  Campaign c;
  c.id = "apt";
  c.c2.node = "c2";
  c.c2.beacon_interval = 1e6;
  c.c2.indicators = {"ioc-c2"};
  c.steps.push_back(step("in", "T1190", "external", "node:src", 0, StepEffect::compromise));
  Step x = step("exfil", "T1041", "node:src", "node:src", 100, StepEffect::exfiltrate);
  x.exfiltrate_bytes = 100e6;
  c.steps.push_back(x);
  b.sc.campaigns.push_back(c);
  b.done();
  return b;
}

double exfil_end(const nlohmann::json& r)
{
  auto ended = events_of(r, "exfiltration_ended");
  REQUIRE(ended.size() == 1);
  return ended[0]["time"].get<double>();
}

} // namespace

TEST_SUITE("engine-network")
{
  TEST_CASE("100 MB over a 100 Mb/s link alone: 20 ms latency + 8 s")
  {
    auto r = run(exfil_world(0).sc, 600);
    CHECK(exfil_end(r) == doctest::Approx(108.020).epsilon(1e-9));
    CHECK(events_of(r, "exfiltration_ended")[0]["details"]["bytes"] == 100000000);
    CHECK(r["kpis"]["campaigns"][0]["bytes_exfiltrated"] == 100000000);
  }

  TEST_CASE("across sites (zone hierarchy): 16 ms of route latency + 100e6 / 12.5e6 = 8.016 s")
  {
    auto r = run(zoned_exfil_world().sc, 200);
    CHECK(exfil_end(r) == doctest::Approx(108.016).epsilon(1e-9));
    CHECK(r["kpis"]["campaigns"][0]["bytes_exfiltrated"] == 100000000);
  }

  TEST_CASE("100 MB over a 100 Mb/s link shared with 3 other flows: 20 ms + 100e6 / (12.5e6 / 4) = 32.020 s")
  {
    auto r = run(exfil_world(3).sc, 600);
    CHECK(exfil_end(r) == doctest::Approx(132.020).epsilon(1e-9));
  }

  TEST_CASE("blocking the C2 indicator stops the exfiltration and counts the bytes that arrived")
  {
    Command block;
    block.time = 104;
    block.team = "cert";
    block.action = "block";
    block.indicator = "ioc-c2";
    auto r = run(exfil_world(0).sc, 600, {block});
    auto ended = events_of(r, "exfiltration_ended");
    REQUIRE(ended.size() == 1);
    CHECK(ended[0]["time"].get<double>() == doctest::Approx(104));
    CHECK(ended[0]["details"]["complete"] == false);
    // (104 - 100.020) s x 12.5e6 B/s
    CHECK(ended[0]["details"]["bytes"] == 49750000);
    CHECK(events_of(r, "campaign_contained").size() == 1);
  }

  TEST_CASE("isolating the source breaks the transfer; bytes up to then are counted")
  {
    Command iso;
    iso.time = 104;
    iso.team = "cert";
    iso.action = "isolate";
    iso.target = "node:src";
    auto r = run(exfil_world(0).sc, 600, {iso});
    auto ended = events_of(r, "exfiltration_ended");
    REQUIRE(ended.size() == 1);
    CHECK(ended[0]["details"]["bytes"] == 49750000);
    CHECK(events_of(r, "node_isolated", "node:src").size() == 1);
    CHECK(r["kpis"]["campaigns"][0]["status"] == "waiting");
  }

  // A cut on a progress tick (every 60 s from the start at 100 s): the tick must not read the cut comm's remaining
  // bytes (0 once cancelled or failed) as "all arrived". 1 GB at 12.5 MB/s takes 80 s; cut at 160 s:
  // (160 - 100.020) s x 12.5e6 B/s = 749,750,000 bytes, never the whole 1e9.
  TEST_CASE("a cut on a progress tick counts what arrived, not the whole size")
  {
    for (const char* action : {"block", "isolate"}) {
      CAPTURE(action);
      Builder w = exfil_world(0);
      w.sc.campaigns[0].steps.back().exfiltrate_bytes = 1e9;
      Command cut;
      cut.time = 160;
      cut.team = "cert";
      cut.action = action;
      if (std::string(action) == "block")
        cut.indicator = "ioc-c2";
      else
        cut.target = "node:src";
      auto r = run(w.sc, 600, {cut});
      auto ended = events_of(r, "exfiltration_ended");
      REQUIRE(ended.size() == 1);
      CHECK(ended[0]["details"]["complete"] == false);
      CHECK(ended[0]["details"]["bytes"] == 749750000);
      for (const auto& p : events_of(r, "exfiltration_progress"))
        CHECK(p["details"]["bytes"].get<double>() <= 749750000);
      CHECK(r["kpis"]["campaigns"][0]["bytes_exfiltrated"] == 749750000);
    }
  }
}

namespace {

// P (probe) --10 ms, 1 Gb/s-- r --2 ms, 100 Mb/s-- S (web server); Z bots enter at r (10 ms access) and flood S
// both ways.
Builder probe_world(int bots)
{
  Builder b;
  b.node("P", NodeKind::server);
  b.node("r", NodeKind::router);
  b.node("S", NodeKind::web_server);
  b.link("P", "r", 1.25e8, 0.010);
  b.link("r", "S", 1.25e7, 0.002);
  b.indicator("ioc-bots");
  b.team("cert", {"node:S"});
  b.action(ActionType::block, 0);
  b.probed_service("web", "S", "P", 1000, 100000);
  if (bots > 0) {
    Botnet bn;
    bn.id = "flood";
    bn.size = bots;
    bn.bot_bandwidth = 1e9;
    bn.attach = {"r"};
    bn.target = "service:web";
    bn.indicators = {"ioc-bots"};
    bn.schedule.push_back(BotnetWave{0, 1e5, 1});
    b.sc.botnets.push_back(bn);
  }
  b.done();
  return b;
}

// P (prober) --1 ms, 1 Gb/s-- r, then r --8 ms, 2 Mb/s (250 kB/s)-- Si for i = 1..4: four services probed from P
// at the same instants, 200 B request and 2 kB response each. Alone or together (the 1 Gb/s link is far from full),
// each probe takes 2 x 9 ms + 2,200 B / 250 kB/s = 26.8 ms.
Builder concurrent_probes_world()
{
  Builder b;
  b.node("P", NodeKind::server);
  b.node("r", NodeKind::router);
  b.link("P", "r", 1.25e8, 0.001);
  for (int i = 1; i <= 4; ++i) {
    const std::string node = "S" + std::to_string(i);
    b.node(node, NodeKind::web_server);
    b.link("r", node, 2.5e5, 0.008);
    b.probed_service("svc" + std::to_string(i), node, "P", 200, 2000);
  }
  b.done();
  return b;
}

} // namespace

TEST_SUITE("engine-network")
{
  TEST_CASE("probes at the same instant as SimGrid transfers: none beats its bandwidth, 26.8 ms each; closed form "
            "gives the same events")
  {
    SimulationOptions exact;
    exact.exact_probes = true;
    auto transfers = run(concurrent_probes_world().sc, 130, {}, exact);
    auto closed = run(concurrent_probes_world().sc, 130);
    const auto st = events_of(transfers, "probe_status");
    REQUIRE(st.size() == 4);
    for (const auto& e : st) {
      CHECK(e["time"].get<double>() == doctest::Approx(60.027).epsilon(1e-9));
      CHECK(e["details"]["latency"].get<double>() == doctest::Approx(0.027).epsilon(1e-9));
      CHECK(e["details"]["status"] == "up");
    }
    CHECK(transfers["events"] == closed["events"]);
    CHECK(transfers["kpis"] == closed["kpis"]);
    // rounds at 60 and 120 s (the one at 180 s is past 130 s); the first measured up: availability 1
    CHECK(closed["kpis"]["services"][3]["availability"] == 1.0);
    CHECK(closed["kpis"]["services"][3]["probed"] == true);
  }

  TEST_CASE("a probe whose path carries a flood is a SimGrid transfer even when closed form is allowed")
  {
    SimulationOptions exact;
    exact.exact_probes = true;
    auto closed = run(probe_world(99).sc, 130);
    auto transfers = run(probe_world(99).sc, 130, {}, exact);
    const auto st = events_of(closed, "probe_status", "service:web");
    REQUIRE(st.size() == 1);
    CHECK(st[0]["details"]["latency"].get<double>() == doctest::Approx(0.832));
    CHECK(closed["events"] == transfers["events"]);
  }

  TEST_CASE("probe alone: 12 ms + 1 kB / 12.5 MB/s, then 12 ms + 100 kB / 12.5 MB/s = 32.08 ms, up")
  {
    auto r = run(probe_world(0).sc, 630);
    auto st = events_of(r, "probe_status", "service:web");
    REQUIRE(st.size() == 1);
    CHECK(st[0]["details"]["status"] == "up");
    CHECK(st[0]["details"]["latency"].get<double>() == doctest::Approx(0.032));
    CHECK(r["kpis"]["services"][0]["availability"].get<double>() == doctest::Approx(1.0));
    CHECK(r["kpis"]["services"][0]["degraded"] == 0.0);
  }

  TEST_CASE("99 bots: each direction shared by 100 flows, 0.012 + 0.008 + 0.012 + 0.8 = 0.832 s, degraded (half)")
  {
    auto r = run(probe_world(99).sc, 630);
    auto st = events_of(r, "probe_status", "service:web");
    REQUIRE(st.size() == 1);
    CHECK(st[0]["details"]["status"] == "degraded");
    CHECK(st[0]["details"]["latency"].get<double>() == doctest::Approx(0.832));
    // measured degraded from the first probe's answer at 60.832 s to the end at 630 s: 569.168 s, availability 1/2
    CHECK(r["kpis"]["services"][0]["degraded"].get<double>() == doctest::Approx(569.168));
    CHECK(r["kpis"]["services"][0]["availability"].get<double>() == doctest::Approx(0.5));
  }

  TEST_CASE("999 bots: the response would take 8 s, the probe times out at 5 s: down")
  {
    auto r = run(probe_world(999).sc, 630);
    auto st = events_of(r, "probe_status", "service:web");
    REQUIRE(st.size() == 1);
    CHECK(st[0]["details"]["status"] == "down");
    CHECK(st[0]["details"]["reason"] == "timeout");
    CHECK(r["kpis"]["services"][0]["availability"].get<double>() == doctest::Approx(0.0));
    CHECK(r["kpis"]["services"][0]["unavailable"].get<double>() == doctest::Approx(630 - 65.0)); // from 60 + 5 s
  }

  TEST_CASE("blocking the botnet's indicator stops the flood upstream")
  {
    Command block;
    block.time = 290;
    block.team = "cert";
    block.action = "block";
    block.indicator = "ioc-bots";
    auto r = run(probe_world(999).sc, 630, {block});
    auto st = events_of(r, "probe_status", "service:web");
    REQUIRE(st.size() == 2);
    CHECK(st[1]["details"]["status"] == "up");
    CHECK(st[1]["time"].get<double>() == doctest::Approx(300.032));
    // measured down from 65 s (the first probe timed out) to 300.032 s, then up to 630 s:
    // availability = (630 - 300.032) / (630 - 65) = 329.968 / 565
    CHECK(r["kpis"]["services"][0]["unavailable"].get<double>() == doctest::Approx(300.032 - 65));
    CHECK(r["kpis"]["services"][0]["availability"].get<double>() == doctest::Approx(329.968 / 565).epsilon(1e-5));
  }
}
