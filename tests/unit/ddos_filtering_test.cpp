/* Issue 14: a telecom operator filters a DDoS for its customers (filter_ddos, stop_filtering; docs/engine.md,
 * "Filtering a flood"). The engine's figures are in engine_flood_test.cpp (suite engine-flood); here:
 *
 * scenario-filtering: the action's fields in a scenario (mode, capacity as a bandwidth), with their diagnostics.
 * play-filtering: the action from play's responses on tests/scenario/filtering: the journal, the expectation, the
 * report; a response with a bad mode, and a team that does not carry the target's traffic, refused with a located
 * message.
 *
 * Every figure is derived by hand in the comment above its check. */
#include "cyberex/engine.hpp"
#include "cyberex/scenario.hpp"
#include "journal_support.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace cyberex;

namespace {

const std::string world = R"({
  "cyberex": 1,
  "exercise": { "id": "x", "title": "x", "start": "2026-01-01T09:00:00", "duration": "8h" },
  "sites": [ { "id": "isp", "name": "ISP" } ],
  "nodes": [ { "id": "r", "site": "isp", "kind": "router" } ],
  "teams": [ { "id": "noc", "name": "NOC", "assets": ["site:isp"] } ],
  "actions": [ ACTIONS ]
})";

LoadResult load(const std::string& actions)
{
  std::string s = world;
  s.replace(s.find("ACTIONS"), 7, actions);
  return load_scenario_text("w.json", s);
}

std::string diagnostics(const LoadResult& r)
{
  std::string out;
  for (const auto& d : r.diagnostics.items())
    out += d.format() + "\n";
  return out;
}

const ActionSpec& spec(const Scenario& sc, ActionType t)
{
  return sc.actions[static_cast<std::size_t>(t)];
}

} // namespace

TEST_SUITE("scenario-filtering")
{
  TEST_CASE("a scrubbing capacity is a bandwidth: 800Mbps is 100e6 B/s; the defaults are 15 min, scrubbing, 10 Gbps")
  {
    const auto r = load(R"({ "type": "filter_ddos", "duration": "20m", "mode": "blackhole", "capacity": "800Mbps" })");
    REQUIRE_MESSAGE(r.ok(), diagnostics(r));
    CHECK(diagnostics(r).empty());
    const ActionSpec& f = spec(*r.scenario, ActionType::filter_ddos);
    CHECK(f.duration == 1200);
    CHECK(f.mode == "blackhole");
    CHECK(f.scrubbing_capacity == 100e6); // 800e6 bit/s / 8
    // not listed: the built-in values (10 Gbps = 1.25e9 B/s; stop_filtering 5 min)
    const auto d = load(R"({ "type": "isolate" })");
    REQUIRE(d.ok());
    CHECK(spec(*d.scenario, ActionType::filter_ddos).duration == 900);
    CHECK(spec(*d.scenario, ActionType::filter_ddos).mode == "scrubbing");
    CHECK(spec(*d.scenario, ActionType::filter_ddos).scrubbing_capacity == 1.25e9);
    CHECK(spec(*d.scenario, ActionType::stop_filtering).duration == 300);
    CHECK(d.scenario->actions.size() == 17);
  }

  TEST_CASE("a negative or zero capacity, an unknown mode, a fraction for a bandwidth, a mode on another action")
  {
    const auto r = load(R"({ "type": "filter_ddos", "mode": "scrub", "capacity": "-800Mbps" },
    { "type": "stop_filtering", "mode": "blackhole" })");
    CHECK_FALSE(r.ok());
    CHECK(diagnostics(r) ==
          "w.json:7:49: error: [scenario.bad-value] (/actions/0/mode) unknown filtering mode 'scrub'; expected "
          "'scrubbing' or 'blackhole'\n"
          "w.json:7:70: error: [scenario.bad-unit] (/actions/0/capacity) expected a bandwidth in bits per second such "
          "as \"100Mbps\", \"10Gbps\"; got \"-800Mbps\"\n"
          "w.json:8:41: warning: [scenario.ignored] (/actions/1/mode) 'mode' applies to action 'filter_ddos' only; "
          "action 'stop_filtering' ignores it\n");
    const auto zero = load(R"({ "type": "filter_ddos", "mode": "null-route", "capacity": "0Gbps" })");
    CHECK(diagnostics(zero) ==
          "w.json:7:49: error: [scenario.bad-value] (/actions/0/mode) unknown filtering mode 'null-route'; expected "
          "'scrubbing' or 'blackhole'\n"
          "w.json:7:75: error: [scenario.out-of-range] (/actions/0/capacity) a scrubbing capacity is a bandwidth "
          "above 0, such as \"800Mbps\"; got \"0Gbps\"\n");
    const auto fraction = load(R"({ "type": "filter_ddos", "capacity": 0.5 })");
    CHECK(diagnostics(fraction) ==
          "w.json:7:53: error: [scenario.bad-unit] (/actions/0/capacity) expected a bandwidth in "
          "bits per second such as \"100Mbps\", \"10Gbps\"; got 0.5\n");
  }
}

TEST_SUITE("play-filtering")
{
  using journal_test::Output;
  using journal_test::run_cli;
  using journal_test::slurp;
  using journal_test::spit;
  using journal_test::temp_dir;
  using Json = nlohmann::json;
  const std::string fixture = "tests/scenario/filtering/";

  std::vector<Json> journal_lines(const std::string& path, const std::string& type)
  {
    std::vector<Json> v;
    const std::string text = slurp(path);
    for (std::size_t at = 0, next; (next = text.find('\n', at)) != std::string::npos; at = next + 1) {
      const Json line = Json::parse(text.substr(at, next - at), nullptr, false);
      if (line.is_object() && line.value("type", "") == type)
        v.push_back(line);
    }
    return v;
  }

  TEST_CASE("the NOC scrubs from play's responses: online banking is up from the first probe after, in the report")
  {
    // The flood (100 bots x 10 Mbps = 125e6 B/s offered, from 30 s) on the bank's 400 Mbps (50e6 B/s) link: the
    // 60 s probe (1 kB, 1 MB back, 12 ms each way, like the bots) gets 50e6 / 101 B/s each way: 0.024 + 1,001,000 x
    // 101 / 50e6 = 2.04602 s, degraded (journal: 62.046). The response at 4 min 30 s takes the action's 1 min:
    // filtering from 330 s, 800 Mbps = 100e6 B/s scrubbed, 25e6 B/s passes (each bot at 250e3 B/s), the probe gets
    // the other 25e6 B/s: 0.024 + 1,000 / 25e6 + 1e6 / 25e6 = 0.06404 s, up at 360.064. The expectation (inject at
    // 2 min, within 5 min) is met when the action is taken, at 270 s.
    const std::string dir = temp_dir();
    const std::string j = dir + "/filtering.journal";
    const Output play = run_cli("play " + fixture + "filtering.json --play " + fixture + "responses.json --journal " +
                                j + " --json --quiet");
    REQUIRE_MESSAGE(play.status == 0, play.err);
    const auto started = journal_lines(j, "filtering_started");
    REQUIRE(started.size() == 1);
    CHECK(started[0]["time"].get<double>() == 330);
    CHECK(started[0]["subject"] == "node:S");
    CHECK(started[0]["details"] == Json::parse(R"({"team":"noc","mode":"scrubbing","capacity":100000000,)"
                                               R"("offered":125000000,"passed":25000000})"));
    // the operator and its customer see it
    CHECK(started[0]["audience"] == Json::parse(R"(["bank-cert","noc"])"));
    std::vector<std::pair<double, std::string>> probes;
    for (const auto& p : journal_lines(j, "probe_status"))
      probes.emplace_back(p["time"].get<double>(), p["details"]["status"].get<std::string>());
    CHECK(probes == std::vector<std::pair<double, std::string>>{{62.046, "degraded"}, {360.064, "up"}});
    const auto met = journal_lines(j, "expectation_met");
    REQUIRE(met.size() == 1);
    CHECK(met[0]["time"].get<double>() == 270);

    REQUIRE(run_cli("report " + j + " --format md -o " + dir + "/aar.md").status == 0);
    CHECK(slurp(dir + "/aar.md").find("| 09:04 | noc | filter_ddos service:web scrubbing |") != std::string::npos);
  }

  TEST_CASE("a response with an unknown mode is refused with a located message; a team that carries no traffic to S")
  {
    const auto loaded = load_scenario(fixture + "filtering.json");
    REQUIRE(loaded.ok());
    const PlayResult p = parse_play(R"({"responses": [
  {"at": "4m", "team": "noc", "action": "filter_ddos", "target": "service:web", "mode": "null-route"}
]})",
                                    "r.json", *loaded.scenario);
    REQUIRE(p.diagnostics.items().size() == 1);
    CHECK(p.diagnostics.items()[0].format() == "r.json:2:3: error: [play.invalid] (/responses/0) action 'filter_ddos' "
                                               "has an unknown 'mode' 'null-route': expected scrubbing or blackhole");

    // the bank's CERT owns S: it may ask for the filtering itself; P's monitoring site is carried by nobody here
    const std::string dir = temp_dir();
    spit(dir + "/script.jsonl",
         R"({"at":"3m","as":"player:bank-cert","command":{"type":"action","action":"filter_ddos","target":"node:P"}})"
         "\n");
    const Output play = run_cli("play " + fixture + "filtering.json --script " + dir + "/script.jsonl --journal " +
                                dir + "/s.journal --quiet");
    CHECK(play.err.find("(/target) \\\"node:P\\\" is not carried by team \\\"bank-cert\\\": an operator filters "
                        "traffic toward its own nodes and the sites its nodes link to") != std::string::npos);
  }
}
