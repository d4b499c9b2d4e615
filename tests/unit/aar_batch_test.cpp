/* cyberex batch: per-seed KPIs equal to single runs, statistics checked by hand, deterministic output, clear errors. */
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

using Output = cli_test::CliOutput;

/// Run the cyberex CLI with `args`; stdout and stderr captured.
Output cli(const std::string& args)
{
  return cli_test::run_cyberex(args);
}

std::string fixed3(double v)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

const json& kpi(const json& batch, const std::string& name)
{
  for (const auto& k : batch["kpis"])
    if (k["name"] == name)
      return k;
  FAIL("no KPI named " << name);
  static const json none;
  return none;
}

const std::string tutorial = "scenarios/tutorial/tutorial.json";

} // namespace

TEST_SUITE("aar-batch")
{
  TEST_CASE("a batch of 4 runs equals 4 single runs, and its statistics are the ones computed here")
  {
    const Output b = cli("batch " + tutorial + " --runs 4 --jobs 2 --seed-base 5 --json --quiet");
    REQUIRE(b.status == 0);
    const json batch = json::parse(b.out);
    CHECK(batch["runs"] == 4);
    CHECK(batch["succeeded"] == 4);
    CHECK(batch["seed_base"] == 5);
    REQUIRE(batch["per_run"].size() == 4);

    std::vector<json> singles;
    for (int i = 0; i < 4; ++i) {
      const Output r = cli("run " + tutorial + " --seed " + std::to_string(5 + i) + " --json --quiet");
      REQUIRE(r.status == 0);
      singles.push_back(json::parse(r.out));
      const json& run = batch["per_run"][i];
      CHECK(run["seed"] == 5 + i);
      CHECK(run["status"] == "ok");
      CHECK(run["kpis"] == singles.back());
    }

    // mean over the four runs in seed order, and nearest-rank percentiles of 4 values: p10 = 1st, p50 = 2nd,
    // p90 = 4th smallest
    std::vector<double> mwh;
    for (const auto& s : singles)
      mwh.push_back(s["power"]["mwh_lost"].get<double>());
    const double mean = (mwh[0] + mwh[1] + mwh[2] + mwh[3]) / 4;
    std::vector<double> sorted = mwh;
    std::sort(sorted.begin(), sorted.end());
    const json& m = kpi(batch, "power mwh_lost");
    CHECK(m["count"] == 4);
    CHECK(fixed3(m["mean"].get<double>()) == fixed3(mean));
    CHECK(fixed3(m["min"].get<double>()) == fixed3(sorted[0]));
    CHECK(fixed3(m["p10"].get<double>()) == fixed3(sorted[0]));
    CHECK(fixed3(m["p50"].get<double>()) == fixed3(sorted[1]));
    CHECK(fixed3(m["p90"].get<double>()) == fixed3(sorted[3]));
    CHECK(fixed3(m["max"].get<double>()) == fixed3(sorted[3]));

    // a "never" value is counted apart: the count is the number of runs where the campaign was detected
    int detected = 0;
    double sum = 0;
    for (const auto& s : singles)
      if (s["campaigns"][0]["time_to_detect"].is_number()) {
        ++detected;
        sum += s["campaigns"][0]["time_to_detect"].get<double>();
      }
    const json& t = kpi(batch, "campaign " + singles[0]["campaigns"][0]["id"].get<std::string>() + " time_to_detect_s");
    CHECK(t["count"] == detected);
    if (detected > 0)
      CHECK(fixed3(t["mean"].get<double>()) == fixed3(sum / detected));
  }

  TEST_CASE("the output does not depend on the number of jobs")
  {
    const Output one = cli("batch " + tutorial + " --runs 3 --jobs 1 --quiet");
    const Output three = cli("batch " + tutorial + " --runs 3 --jobs 3 --quiet");
    REQUIRE(one.status == 0);
    CHECK(one.out == three.out);
    CHECK(one.out.find("3 runs, seeds ") != std::string::npos);
  }

  TEST_CASE("--exact-probes: every probe as SimGrid transfers, the same statistics for Cyber Atlantic 2011")
  {
    const std::string ca = "batch scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json --runs 3 --jobs 2 --quiet "
                           "--play scenarios/cyber-atlantic-2011/responses.json --json";
    const Output closed = cli(ca);
    const Output exact = cli(ca + " --exact-probes");
    // the responses are played as in `cyberex play` (docs/events.md, "Play files"): with seeds 38 and 39 two shares
    // name indicators the team has not received by then (cert-de's ioc-archive at 3h12m, energy-csirt's
    // ioc-ics-logic-hash at 5h02m); they are refused in those runs, reported once each, and the exit status is 2
    REQUIRE(closed.status == 2);
    REQUIRE(exact.status == 2);
    CHECK(closed.err == exact.err);
    CHECK(closed.err.find("responses.json: response at 3h12m00s (cert-de share): rejected: ") != std::string::npos);
    CHECK(closed.err.find("cyberex batch: refused in 2 of 3 runs (seeds 38..39)\n") != std::string::npos);
    CHECK(closed.out == exact.out);
    const json j = json::parse(closed.out);
    CHECK(kpi(j, "service power-city-west availability_pct")["mean"].get<double>() < 100.0);
  }

  TEST_CASE("a missing scenario is one clear error and exit status 2")
  {
    const Output o = cli("batch scenarios/no-such-scenario.json --runs 3 --quiet");
    CHECK(o.status == 2);
    CHECK(o.out.empty());
    CHECK(o.err.find("no-such-scenario.json") != std::string::npos);
    CHECK(o.err.find("cyberex batch: invalid scenario 'scenarios/no-such-scenario.json'") != std::string::npos);
  }

  TEST_CASE("usage errors are exit status 1")
  {
    CHECK(cli("batch " + tutorial + " --runs 0").status == 1);
    CHECK(cli("batch " + tutorial + " --until forever").status == 1);
    CHECK(cli("batch").status == 1);
  }
}
