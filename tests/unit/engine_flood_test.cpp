/* Floods (docs/engine.md, "Botnets"): the aggregated model (one SimGrid flow pair per wave and attach node, weighted
 * as its bots) gives the probe the share SimGrid's max-min gives it among one flow pair per bot (FloodModel::
 * per_flow), and both give the share derived by hand. CM02 weighs each flow by the inverse of its route latency: a
 * flow's rate on a saturated link is level / (its route latency), the level set so the rates fill the link; a flow
 * whose own cap is lower keeps its cap and leaves the rest. */
#include "engine_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <sstream>

using namespace cyberex;
using namespace cyberex::test;

namespace {

constexpr double UPLINK = 125e6; // 1 Gb/s in bytes per second
constexpr double BOT = 125e3;    // 1 Mb/s per bot

// P (prober) --10 ms, 10 Gb/s-- gw --2 ms, 1 Gb/s (the uplink)-- S (web server); t --8 ms, 10 Gb/s-- gw.
// Bots enter at `attach` (gw, or gw and t, the bots split evenly), each through its own 10 ms access link, and flood
// S both ways at 1 Mb/s each from t = 0. A probe every 60 s from P: 200 B to S, 2,000 B back, timeout 5 s, degraded
// above 0.5 s. Route latencies: the probe's 10 + 2 = 12 ms each way; a bot entering at gw 10 + 2 = 12 ms; at t
// 10 + 8 + 2 = 20 ms. Only the uplink is ever saturated: the bots' traffic crosses it whole, so no other link of the
// route carries more than its 125 MB/s.
Builder uplink_world(std::int64_t bots, std::vector<std::string> attach = {"gw"})
{
  Builder b;
  b.node("P", NodeKind::server);
  b.node("gw", NodeKind::router);
  b.node("t", NodeKind::router);
  b.node("S", NodeKind::web_server);
  b.link("P", "gw", 1.25e9, 0.010);
  b.link("t", "gw", 1.25e9, 0.008);
  b.link("gw", "S", UPLINK, 0.002);
  b.indicator("ioc-bots");
  b.team("cert", {"node:S"});
  b.action(ActionType::block, 0);
  b.action(ActionType::isolate, 0);
  b.probed_service("web", "S", "P", 200, 2000);
  Botnet bn;
  bn.id = "flood";
  bn.size = bots;
  bn.bot_bandwidth = BOT;
  bn.attach = std::move(attach);
  bn.target = "service:web";
  bn.indicators = {"ioc-bots"};
  bn.schedule.push_back(BotnetWave{0, 1e5, 1});
  b.sc.botnets.push_back(bn);
  b.done();
  return b;
}

/// Every event of a run in a child, one line each: the exact time (%.9f) then the event's JSON without its time.
std::vector<std::string> exact_events(const Scenario& sc, double until, FloodModel model,
                                      const std::vector<Command>& commands = {})
{
  const std::string out = in_child([&]() {
    SimulationOptions options;
    options.flood = model;
    std::string lines;
    Simulation sim(sc, options, [&](const Event& e) {
      char t[64];
      std::snprintf(t, sizeof t, "%.9f ", e.time);
      std::string json = e.to_json();
      lines += t + json.substr(json.find(",\"seq\"") + 1) + "\n";
    });
    for (const auto& c : commands)
      if (!sim.apply(c).ok)
        return std::string("REJECTED\n");
    sim.advance_to(until);
    return lines;
  });
  std::vector<std::string> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    v.push_back(line);
  return v;
}

/// Seconds from the first probe (t = 60 s) to its answer: the first probe_status event's exact time - 60.
double first_probe_latency(const std::vector<std::string>& events)
{
  for (const auto& e : events)
    if (e.find("\"probe_status\"") != std::string::npos)
      return std::stod(e) - 60;
  return -1;
}

/// The text value of `key` in an event line, "" if absent.
std::string text_field(const std::string& line, const std::string& key)
{
  const std::string k = "\"" + key + "\":\"";
  const auto at = line.find(k);
  if (at == std::string::npos)
    return "";
  const auto from = at + k.size();
  return line.substr(from, line.find('"', from) - from);
}

/// The two runs give the same events, at the same times within a nanosecond.
void check_same_events(const std::vector<std::string>& aggregated, const std::vector<std::string>& per_flow)
{
  REQUIRE(aggregated.size() == per_flow.size());
  for (std::size_t i = 0; i < aggregated.size(); ++i) {
    CAPTURE(aggregated[i]);
    CAPTURE(per_flow[i]);
    CHECK(std::fabs(std::stod(aggregated[i]) - std::stod(per_flow[i])) < 1e-9);
    CHECK(aggregated[i].substr(aggregated[i].find(' ')) == per_flow[i].substr(per_flow[i].find(' ')));
  }
}

} // namespace

TEST_SUITE("engine-flood")
{
  TEST_CASE("500 bots do not fill the uplink: capped at 1 Mb/s each, they leave the probe 62.5 MB/s")
  {
    // Fair share if every flow were held by the uplink: 125e6 / 501 = 249,500 B/s, above a bot's 125,000 B/s cap
    // (its access link), so the bots take 500 x 125e3 = 62.5e6 B/s and the probe the remaining 62.5e6 B/s each way:
    // 0.012 + 200 / 62.5e6 + 0.012 + 2,000 / 62.5e6 = 0.0240352 s.
    const auto aggregated = exact_events(uplink_world(500).sc, 130, FloodModel::aggregated);
    CHECK(first_probe_latency(aggregated) == doctest::Approx(0.0240352).epsilon(1e-9));
    check_same_events(aggregated, exact_events(uplink_world(500).sc, 130, FloodModel::per_flow));
  }

  TEST_CASE("6,000 bots: the probe gets 125e6 / 6,001 B/s each way, 0.1296176 s; per-flow gives the same")
  {
    // 125e6 / 6,001 = 20,829.9 B/s < 125,000: every flow is held by the uplink, bots and probe alike (same route
    // latency, same weight): 0.024 + (200 + 2,000) x 6,001 / 125e6 = 0.024 + 0.1056176 = 0.1296176 s, up.
    const auto aggregated = exact_events(uplink_world(6000).sc, 130, FloodModel::aggregated);
    CHECK(first_probe_latency(aggregated) == doctest::Approx(0.1296176).epsilon(1e-9));
    REQUIRE(aggregated.size() >= 2);
    CHECK(aggregated[0].find("\"bots\":6000,\"flows\":6000,\"flow_bandwidth\":125000") != std::string::npos);
    check_same_events(aggregated, exact_events(uplink_world(6000).sc, 130, FloodModel::per_flow));
  }

  TEST_CASE("20,000 bots load the uplink more than 6,000: 0.024 + 2,200 x 20,001 / 125e6 = 0.3760176 s")
  {
    // The cap at 4,000 flows is gone: grouped into 4,000 flows, 6,000 and 20,000 bots both gave
    // 0.024 + 2,200 x 4,001 / 125e6 = 0.0944176 s.
    const auto aggregated = exact_events(uplink_world(20000).sc, 130, FloodModel::aggregated);
    CHECK(first_probe_latency(aggregated) == doctest::Approx(0.3760176).epsilon(1e-9));
    check_same_events(aggregated, exact_events(uplink_world(20000).sc, 130, FloodModel::per_flow));
  }

  TEST_CASE("20,000 bots from two distances: weights 1/12 ms and 1/20 ms, the probe gets 125e6 / 16,001 B/s")
  {
    // 10,000 bots at gw (12 ms, the probe's weight) and 10,000 at t (20 ms, weight 12/20 = 0.6 of it). On the uplink
    // the rates are level / latency: the probe's share is 125e6 / (1 + 10,000 + 10,000 x 0.6) = 125e6 / 16,001 =
    // 7,812 B/s (a bot at t gets 0.6 of that, both far below 1 Mb/s): 0.024 + 2,200 x 16,001 / 125e6 = 0.3056176 s.
    const auto aggregated = exact_events(uplink_world(20000, {"gw", "t"}).sc, 130, FloodModel::aggregated);
    CHECK(first_probe_latency(aggregated) == doctest::Approx(0.3056176).epsilon(1e-9));
    check_same_events(aggregated, exact_events(uplink_world(20000, {"gw", "t"}).sc, 130, FloodModel::per_flow));
  }

  TEST_CASE("waves, a gap, a link cut under a wave, a wave on a cut route, a block: the same events both ways")
  {
    // 8,000 bots from gw and t; probes degraded above 50 ms; the team isolates t at 170 s (its link to gw goes down:
    // the far bots' flows fail) and blocks the bots' indicator at 390 s.
    //  W0 0-90 s, 100 %: 4,000 + 4,000 bots. 60 s: 125e6 / (1 + 4,000 + 4,000 x 0.6) = 125e6 / 6,401 B/s for the
    //      probe: 0.024 + 2,200 x 6,401 / 125e6 = 0.1366576 s, degraded.
    //  120 s: no flood, the probe alone: 0.024 + 2,200 / 125e6 = 0.0240176 s, up.
    //  W1 150-270 s, 100 %; t isolated at 170 s. 180 s: only the 4,000 bots at gw: 125e6 / 4,001 B/s,
    //      0.024 + 2,200 x 4,001 / 125e6 = 0.0944176 s, degraded (240 s the same: no event).
    //  300 s: alone again: 0.0240176 s, up.
    //  W2 from 330 s, 50 %: 2,000 + 2,000 bots, those at t fail at once (their route is down). 360 s: 125e6 / 2,001
    //      B/s, 0.024 + 2,200 x 2,001 / 125e6 = 0.0592176 s, degraded.
    //  390 s: blocked, the wave stops. 420 s: alone, 0.0240176 s, up.
    Builder b = uplink_world(8000, {"gw", "t"});
    b.sc.botnets[0].schedule = {BotnetWave{0, 90, 1}, BotnetWave{150, 270, 1}, BotnetWave{330, 1e5, 0.5}};
    b.sc.services[0].probe->degraded_latency = 0.05;
    b.done();
    Command isolate;
    isolate.time = 170;
    isolate.team = "cert";
    isolate.action = "isolate";
    isolate.target = "node:t";
    Command block;
    block.time = 390;
    block.team = "cert";
    block.action = "block";
    block.indicator = "ioc-bots";
    const std::vector<Command> commands{isolate, block};
    const auto aggregated = exact_events(b.sc, 450, FloodModel::aggregated, commands);
    std::vector<std::pair<double, std::string>> probes;
    for (const auto& e : aggregated)
      if (e.find("\"probe_status\"") != std::string::npos)
        probes.emplace_back(std::stod(e), text_field(e, "status"));
    const std::vector<std::pair<double, std::string>> expected{{60.1366576, "degraded"},  {120.0240176, "up"},
                                                               {180.0944176, "degraded"}, {300.0240176, "up"},
                                                               {360.0592176, "degraded"}, {420.0240176, "up"}};
    REQUIRE(probes.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CHECK(probes[i].first == doctest::Approx(expected[i].first).epsilon(1e-12));
      CHECK(probes[i].second == expected[i].second);
    }
    check_same_events(aggregated, exact_events(b.sc, 450, FloodModel::per_flow, commands));
  }
}

namespace {

// DDoS filtering by a telecom operator (docs/engine.md, "Filtering a flood"). P (prober, site "watch") --10 ms,
// 10 Gb/s-- r (the operator's router, site "isp") --2 ms, 400 Mb/s = 50e6 B/s-- S (web server, site "bank");
// L (an office workstation in "bank") --1 ms, 1 Gb/s = 125e6 B/s-- S. 100 bots of 10 Mb/s (1.25e6 B/s) enter at r
// and flood S both ways: offered O = 100 x 1.25e6 = 125e6 B/s (1 Gb/s) on a 50e6 B/s link. Two services on S, each
// probed every 60 s with 1 kB and 1 MB back (timeout 5 s, degraded above 0.5 s): "web" from P (route latency
// 10 + 2 = 12 ms each way, the bots' too: 10 ms access + 2 ms), "intranet" from L (1 ms). The operator "noc" owns
// r; filter_ddos takes 60 s, stop_filtering 0 s.
//
// Unfiltered, each direction of r-S carries 100 bot flows and the probe, all held by the link (50e6 / 101 =
// 495,049.5 B/s < 1.25e6): web's probe takes 0.012 + 1,000 x 101 / 50e6 + 0.012 + 1e6 x 101 / 50e6 = 0.024 +
// 0.00202 + 2.02 = 2.04602 s, degraded. The intranet probe never meets the flood: 2 x 0.001 + 1,001,000 / 125e6 =
// 0.010008 s, up.
Builder scrubbing_world(double capacity, double wave_start = 0)
{
  Builder b;
  b.node("P", NodeKind::server, "watch");
  b.node("r", NodeKind::router, "isp");
  b.node("S", NodeKind::web_server, "bank");
  b.node("L", NodeKind::workstation, "bank");
  b.link("P", "r", 1.25e9, 0.010);
  b.link("r", "S", 50e6, 0.002);
  b.link("L", "S", 125e6, 0.001);
  b.indicator("ioc-bots");
  b.team("noc", {"node:r"});
  b.team("bank-cert", {"node:S", "node:L"});
  b.action(ActionType::filter_ddos, 60);
  b.sc.actions.back().mode = "scrubbing";
  b.sc.actions.back().scrubbing_capacity = capacity;
  b.action(ActionType::stop_filtering, 0);
  b.probed_service("web", "S", "P", 1000, 1e6);
  b.probed_service("intranet", "S", "L", 1000, 1e6);
  Botnet bn;
  bn.id = "flood";
  bn.size = 100;
  bn.bot_bandwidth = 1.25e6;
  bn.attach = {"r"};
  bn.target = "service:web";
  bn.indicators = {"ioc-bots"};
  bn.schedule.push_back(BotnetWave{wave_start, 1e5, 1});
  b.sc.botnets.push_back(bn);
  b.done();
  return b;
}

Command noc(double t, const std::string& action, const std::string& mode = "")
{
  Command c;
  c.time = t;
  c.team = "noc";
  c.action = action;
  c.target = "service:web";
  c.mode = mode;
  return c;
}

/// (time, subject, status) of every probe_status event.
std::vector<std::tuple<double, std::string, std::string>> probe_changes(const std::vector<std::string>& events)
{
  std::vector<std::tuple<double, std::string, std::string>> v;
  for (const auto& e : events)
    if (e.find("\"probe_status\"") != std::string::npos)
      v.emplace_back(std::stod(e), text_field(e, "subject"), text_field(e, "status"));
  return v;
}

/// The JSON of the first event of `type` (its line without the time), null if none.
nlohmann::json first_event(const std::vector<std::string>& events, const std::string& type)
{
  for (const auto& e : events)
    if (e.find("\"type\":\"" + type + "\"") != std::string::npos)
      return nlohmann::json::parse("{" + e.substr(e.find(' ') + 1));
  return nullptr;
}

void check_probe_changes(const std::vector<std::string>& events,
                         const std::vector<std::tuple<double, std::string, std::string>>& expected)
{
  const auto got = probe_changes(events);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(std::get<0>(got[i]) == doctest::Approx(std::get<0>(expected[i])).epsilon(1e-12));
    CHECK(std::get<1>(got[i]) == std::get<1>(expected[i]));
    CHECK(std::get<2>(got[i]) == std::get<2>(expected[i]));
  }
}

} // namespace

TEST_SUITE("engine-flood")
{
  TEST_CASE("800 Mb/s of scrubbing: 200 Mb/s of the 1 Gb/s flood passes, web is up from the filter's first probe")
  {
    // filter_ddos issued at 240 s takes effect at 300 s, before that instant's probe (it was ordered first). The
    // scrubbing centre removes C = 100e6 B/s of O = 125e6 B/s: max(0, O - C) = 25e6 B/s passes (200 Mb/s), each bot's
    // access scaled by 25e6 / 125e6 = 0.2 to 250e3 B/s. The bots would get 50e6 / 101 = 495,049.5 B/s each on r-S:
    // held at 250e3 they take 25e6 B/s, the probe the other 25e6 B/s each way: 0.024 + 1,000 / 25e6 + 1e6 / 25e6 =
    // 0.024 + 0.00004 + 0.04 = 0.06404 s, up at 300.06404 s. stop_filtering at 450 s: the whole flood is back, the
    // 480 s probe takes 2.04602 s again (degraded).
    const Builder b = scrubbing_world(100e6);
    const std::vector<Command> commands{noc(240, "filter_ddos"), noc(450, "stop_filtering")};
    const auto events = exact_events(b.sc, 500, FloodModel::aggregated, commands);
    check_probe_changes(events, {{60.010008, "service:intranet", "up"},
                                 {62.04602, "service:web", "degraded"},
                                 {300.06404, "service:web", "up"},
                                 {482.04602, "service:web", "degraded"}});
    const auto started = first_event(events, "filtering_started");
    REQUIRE(started.is_object());
    CHECK(started["subject"] == "node:S");
    CHECK(started["details"] == nlohmann::json::parse(R"({"team":"noc","mode":"scrubbing","capacity":100000000,)"
                                                      R"("offered":125000000,"passed":25000000})"));
    const auto ended = first_event(events, "filtering_ended");
    REQUIRE(ended.is_object());
    CHECK(ended["details"] == nlohmann::json::parse(R"({"team":"noc","mode":"scrubbing","reason":"stopped"})"));
    int at_300 = 0, at_450 = 0;
    for (const auto& e : events) {
      at_300 += e.rfind("300.000000000 ", 0) == 0 && e.find("filtering_started") != std::string::npos;
      at_450 += e.rfind("450.000000000 ", 0) == 0 && e.find("filtering_ended") != std::string::npos;
    }
    CHECK(at_300 == 1);
    CHECK(at_450 == 1);
    // one flow pair per bot gives the same events: the scaled access link caps each bot at 250e3 B/s
    check_same_events(events, exact_events(b.sc, 500, FloodModel::per_flow, commands));
  }

  TEST_CASE("500 Mb/s of scrubbing: 500 Mb/s still passes and web stays degraded; a wave under a filter says so")
  {
    // The filter is active from 60 s (issued at 0 s), before the wave of 90 s: offered 0 then. The wave starts
    // filtered: C = 62.5e6 B/s of O = 125e6 B/s, 62.5e6 B/s (500 Mb/s) passes, each bot scaled by 0.5 to 625e3 B/s.
    // That is still above the link's fair share, 50e6 / 101 = 495,049.5 B/s: the link stays saturated and the 120 s
    // probe takes 2.04602 s as without filtering (degraded at 122.04602 s). The 60 s probe, before the flood, has the
    // link alone: 0.024 + 1,000 / 50e6 + 1e6 / 50e6 = 0.04402 s, up.
    const Builder b = scrubbing_world(62.5e6, 90);
    const auto events = exact_events(b.sc, 200, FloodModel::aggregated, {noc(0, "filter_ddos")});
    check_probe_changes(events, {{60.010008, "service:intranet", "up"},
                                 {60.04402, "service:web", "up"},
                                 {122.04602, "service:web", "degraded"}});
    const auto started = first_event(events, "filtering_started");
    REQUIRE(started.is_object());
    CHECK(started["details"] == nlohmann::json::parse(R"({"team":"noc","mode":"scrubbing","capacity":62500000,)"
                                                      R"("offered":0,"passed":0})"));
    const auto wave = first_event(events, "botnet_wave_started");
    REQUIRE(wave.is_object());
    CHECK(wave["details"] ==
          nlohmann::json::parse(R"({"wave":0,"target":"S","bots":100,"flows":100,"flow_bandwidth":1250000,)"
                                R"("filtered":"scrubbing","passed":62500000})"));
    check_same_events(events, exact_events(b.sc, 200, FloodModel::per_flow, {noc(0, "filter_ddos")}));
  }

  TEST_CASE("a blackhole drops the flood and web's probes from outside the bank; the intranet stays up")
  {
    // Blackhole from 300 s (issued at 240 s): every packet toward S from outside its site "bank" is dropped, the
    // flood and P's probes alike: the 300 s probe of web says down (reason "blackholed", latency 0). L is in "bank":
    // the intranet probe is not touched (up at 60.010008 s, no other change). stop_filtering at 450 s: the flood is
    // back, the 480 s probe is degraded again (2.04602 s).
    const Builder b = scrubbing_world(100e6);
    const std::vector<Command> commands{noc(240, "filter_ddos", "blackhole"), noc(450, "stop_filtering")};
    const auto events = exact_events(b.sc, 500, FloodModel::aggregated, commands);
    check_probe_changes(events, {{60.010008, "service:intranet", "up"},
                                 {62.04602, "service:web", "degraded"},
                                 {300, "service:web", "down"},
                                 {482.04602, "service:web", "degraded"}});
    std::string reason;
    for (const auto& e : events)
      if (e.find("\"probe_status\"") != std::string::npos && text_field(e, "status") == "down")
        reason = text_field(e, "reason");
    CHECK(reason == "blackholed");
    const auto started = first_event(events, "filtering_started");
    REQUIRE(started.is_object());
    CHECK(started["details"] ==
          nlohmann::json::parse(R"({"team":"noc","mode":"blackhole","offered":125000000,"passed":0})"));
    const auto ended = first_event(events, "filtering_ended");
    REQUIRE(ended.is_object());
    CHECK(ended["details"] == nlohmann::json::parse(R"({"team":"noc","mode":"blackhole","reason":"stopped"})"));
    // the wave itself goes on upstream: no botnet_wave_ended before the end
    CHECK(first_event(events, "botnet_wave_ended").is_null());
    check_same_events(events, exact_events(b.sc, 500, FloodModel::per_flow, commands));
  }

  TEST_CASE("scrubbing limited to an indicator: O counts the botnets carrying it, another botnet passes whole")
  {
    // A second botnet "other", 20 bots of 1.25e6 B/s without indicators, floods S too; web is degraded above 1 s.
    // Unfiltered, 120 bots and the probe share r-S: 50e6 / 121 = 413,223 B/s each, below both caps: 0.024 +
    // 1,001,000 x 121 / 50e6 = 2.44642 s, degraded. The operator scrubs only ioc-bots from 300 s: O = 125e6 B/s (the
    // first botnet), C = 100e6 B/s, 25e6 B/s passes (each of its bots at 250e3 B/s). On r-S the first botnet takes
    // its 25e6 B/s, the other 20 bots and the probe share the other 25e6 B/s: 25e6 / 21 = 1,190,476 B/s each, below
    // 1.25e6 and above 250e3 (so the scrubbed bots stay at their cap): 0.024 + 1,001,000 x 21 / 25e6 = 0.86484 s, up.
    Builder b = scrubbing_world(100e6);
    b.sc.services[0].probe->degraded_latency = 1;
    Botnet other = b.sc.botnets[0];
    other.id = "other";
    other.size = 20;
    other.indicators.clear();
    b.sc.botnets.push_back(other);
    b.done();
    Command filter = noc(240, "filter_ddos");
    filter.indicator = "ioc-bots";
    const auto events = exact_events(b.sc, 400, FloodModel::aggregated, {filter});
    check_probe_changes(events, {{60.010008, "service:intranet", "up"},
                                 {62.44642, "service:web", "degraded"},
                                 {300.86484, "service:web", "up"}});
    const auto started = first_event(events, "filtering_started");
    REQUIRE(started.is_object());
    CHECK(started["details"] ==
          nlohmann::json::parse(R"({"team":"noc","mode":"scrubbing","capacity":100000000,)"
                                R"("indicator":"ioc-bots","offered":125000000,"passed":25000000})"));
    check_same_events(events, exact_events(b.sc, 400, FloodModel::per_flow, {filter}));
  }

  TEST_CASE("filter_ddos commands are checked: the mode, the indicator, a blackhole with an indicator, a target")
  {
    const Builder b = scrubbing_world(100e6);
    Command c = noc(0, "filter_ddos", "scrub");
    CHECK(validate_command(c, b.sc) == "action 'filter_ddos' has an unknown 'mode' 'scrub': expected scrubbing or "
                                       "blackhole");
    c.mode = "scrubbing";
    c.indicator = "ioc-nope";
    CHECK(validate_command(c, b.sc) == "no indicator 'ioc-nope'");
    c.indicator = "ioc-bots";
    CHECK(validate_command(c, b.sc).empty());
    c.mode = "blackhole";
    CHECK(validate_command(c, b.sc) == "a blackhole drops all traffic toward the target: it takes no 'indicator'");
    c.target.clear();
    c.indicator.clear();
    CHECK(validate_command(c, b.sc) == "action 'filter_ddos' needs a 'target' selector such as \"node:ID\"");
    CHECK(validate_command(noc(0, "stop_filtering"), b.sc).empty());
  }
}
