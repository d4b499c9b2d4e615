/* Storyline control (issue 14, docs/engine.md "Storyline control"): not_before, retry until a deadline, scripted
 * campaigns; the step success times `cyberex batch` reports; reading the fields. Every figure is derived by hand in a
 * comment next to it. */
#include "cli_support.hpp"
#include "cyberex/scenario.hpp"
#include "engine_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace cyberex;
using namespace cyberex::test;

namespace {

// att (attacker) -- fw -- sw -- ws (CVE-1 enables T1566) and fs; the campaign phishes ws, then moves to fs over smb
Builder office(double phish_probability = 1)
{
  Builder b;
  office_network(b);
  b.team("cert", {"node:ws", "node:fs"});
  Campaign c;
  c.id = "apt";
  c.c2.node = "att";
  c.c2.beacon_interval = 1e6;
  Step phish = step("phish", "T1566.001", "external", "node:ws", 600, StepEffect::compromise);
  phish.requires_.vulnerability = true;
  phish.probability = phish_probability;
  c.steps.push_back(phish);
  Step lateral = step("lateral", "T1021", "compromised", "node:fs", 600, StepEffect::compromise);
  lateral.protocol = "smb";
  c.steps.push_back(lateral);
  b.sc.campaigns.push_back(c);
  return b;
}

std::vector<double> details(const std::vector<nlohmann::json>& events, const char* key)
{
  std::vector<double> v;
  for (const auto& e : events)
    v.push_back(e["details"][key].get<double>());
  return v;
}

Distribution dist(Distribution::Kind kind, double a, double b = 0, double c = 0)
{
  Distribution d;
  d.kind = kind;
  d.a = a;
  d.b = b;
  d.c = c;
  return d;
}

using Output = cli_test::CliOutput;

const std::string fixture = "tests/scenario/storyline/storyline.json";

} // namespace

TEST_SUITE("engine-storyline")
{
  TEST_CASE("not_before holds the effect back: phish started at 0 lands at 1,500 s, lateral movement at 2,100 s")
  {
    // the phishing attempt starts at 0 and would take 600 s; not_before 1,500 s makes it end (and compromise ws) at
    // 1,500 s; the lateral movement then starts at 1,500 s and takes its 600 s: 2,100 s
    Builder b = office();
    b.sc.campaigns[0].steps[0].not_before = 1500;
    b.done();
    auto r = run(b.sc, 3600);
    const auto started = events_of(r, "step_started");
    REQUIRE(started.size() == 2);
    CHECK(times(started) == std::vector<double>{0, 1500});
    CHECK(started[0]["details"]["duration"].get<double>() == 1500);
    CHECK(started[0]["details"]["not_before"].get<double>() == 1500);
    CHECK_FALSE(started[1]["details"].contains("not_before"));
    CHECK(times(events_of(r, "node_compromised")) == std::vector<double>{1500, 2100});
    CHECK(r["kpis"]["campaigns"][0]["steps"][0]["succeeded"].get<double>() == 1500);
    CHECK(r["kpis"]["campaigns"][0]["steps"][1]["succeeded"].get<double>() == 2100);
  }

  TEST_CASE("a not_before earlier than the attempt's end changes nothing: 600 s and 1,200 s as without it")
  {
    Builder b = office();
    b.sc.campaigns[0].steps[0].not_before = 300;
    b.done();
    auto r = run(b.sc, 3600);
    CHECK(times(events_of(r, "node_compromised")) == std::vector<double>{600, 1200});
    CHECK_FALSE(events_of(r, "step_started")[0]["details"].contains("not_before"));
  }

  TEST_CASE("retry until a deadline: one immediate retry, then every 600 s while the retry starts by 3,600 s")
  {
    // probability 0, retries 1, retry {until 3,600 s, interval 600 s}, attempts of 600 s:
    //   1: 0 -> 600 fails; the `retries` count allows one at once
    //   2: 600 -> 1,200 fails; the count is used up: 1,200 + 600 = 1,800 <= 3,600
    //   3: 1,800 -> 2,400 fails; 2,400 + 600 = 3,000 <= 3,600
    //   4: 3,000 -> 3,600 fails; 3,600 + 600 = 4,200 > 3,600: the step fails at 3,600 and the campaign stops
    Builder b = office(0.0);
    b.sc.campaigns[0].steps[0].retries = 1;
    b.sc.campaigns[0].steps[0].retry_until = 3600;
    b.sc.campaigns[0].steps[0].retry_interval = 600;
    b.done();
    auto r = run(b.sc, 7200);
    CHECK(times(events_of(r, "step_started")) == std::vector<double>{0, 600, 1800, 3000});
    CHECK(times(events_of(r, "step_attempt")) == std::vector<double>{600, 1200, 2400, 3600});
    CHECK(times(events_of(r, "step_failed")) == std::vector<double>{3600});
    CHECK(r["kpis"]["campaigns"][0]["status"] == "failed");
    CHECK(r["kpis"]["campaigns"][0]["steps"][0]["succeeded"].is_null());
  }

  TEST_CASE("a retry that starts exactly at the deadline is made; retries alone keep their meaning")
  {
    // until 1,800 s, interval 600 s, no `retries`: attempts 0 -> 600, 1,200 -> 1,800 (1,200 <= 1,800), then
    // 1,800 + 600 = 2,400 > 1,800: failed at 1,800
    Builder b = office(0.0);
    b.sc.campaigns[0].steps[0].retry_until = 1800;
    b.sc.campaigns[0].steps[0].retry_interval = 600;
    b.done();
    auto r = run(b.sc, 7200);
    CHECK(times(events_of(r, "step_started")) == std::vector<double>{0, 1200});
    CHECK(times(events_of(r, "step_failed")) == std::vector<double>{1800});

    // no `retry`, retries 2: three attempts back to back, 600, 1,200, 1,800, as before issue 14
    Builder c = office(0.0);
    c.sc.campaigns[0].steps[0].retries = 2;
    c.done();
    auto q = run(c.sc, 7200);
    CHECK(times(events_of(q, "step_attempt")) == std::vector<double>{600, 1200, 1800});
    CHECK(times(events_of(q, "step_failed")) == std::vector<double>{1800});
  }

  TEST_CASE("retry until success: with probability 1/2 every run ends in a success or at the deadline, 600 s apart")
  {
    // attempts of 600 s, retried 600 s after a failure until 7,200 s: a failed attempt ending at e is followed by
    // one starting at e + 600, so the attempts end at 600, 1,800, 3,000, ..., and the last one either succeeds or
    // ends after 7,200 - 600 (its retry would start after the deadline)
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
      CAPTURE(seed);
      Builder b = office(0.5);
      b.sc.campaigns[0].steps[0].retry_until = 7200;
      b.sc.campaigns[0].steps[0].retry_interval = 600;
      b.done();
      SimulationOptions o;
      o.seed = seed;
      auto r = run(b.sc, 10000, {}, o);
      std::vector<nlohmann::json> phish;
      for (const auto& a : events_of(r, "step_attempt"))
        if (a["details"]["step"] == "phish")
          phish.push_back(a);
      REQUIRE_FALSE(phish.empty());
      for (std::size_t i = 0; i < phish.size(); ++i) {
        CHECK(phish[i]["time"].get<double>() == 600 + 1200.0 * static_cast<double>(i));
        CHECK(phish[i]["details"]["outcome"] ==
              (i + 1 < phish.size() ? "failure" : phish.back()["details"]["outcome"]));
      }
      if (phish.back()["details"]["outcome"] == "failure")
        CHECK(phish.back()["time"].get<double>() + 600 > 7200);
      else
        CHECK(r["kpis"]["campaigns"][0]["steps"][0]["succeeded"].get<double>() == phish.back()["time"].get<double>());
    }
  }

  TEST_CASE("scripted: central durations, no roll; probability 0.01 succeeds, probability 0 fails")
  {
    // steps on ws, each probability 0.01, durations: phish uniform [300, 900] -> 600; then discover steps with
    // triangular (100, 2000, mode 400) -> 400, lognormal (median 500, sigma 1) -> 500, exponential (mean 700) -> 700,
    // normal (800, sd 100) -> 800: successes at 600, 1,000, 1,500, 2,200, 3,000
    Builder b = office(0.01);
    Campaign& c = b.sc.campaigns[0];
    c.mode = CampaignMode::scripted;
    c.steps[0].duration = dist(Distribution::Kind::uniform, 300, 900);
    c.steps.pop_back();
    const std::vector<Distribution> ds{
        dist(Distribution::Kind::triangular, 100, 2000, 400), dist(Distribution::Kind::lognormal, 500, 1),
        dist(Distribution::Kind::exponential, 700), dist(Distribution::Kind::normal, 800, 100)};
    for (std::size_t i = 0; i < ds.size(); ++i) {
      Step s = step("look-" + std::to_string(i), "T1083", "compromised", "node:ws", 0, StepEffect::discover);
      s.duration = ds[i];
      s.probability = 0.01;
      c.steps.push_back(s);
    }
    b.done();
    for (std::uint64_t seed : {1u, 2u, 3u}) { // no seed changes a scripted campaign
      CAPTURE(seed);
      SimulationOptions o;
      o.seed = seed;
      auto r = run(b.sc, 7200, {}, o);
      CHECK(times(events_of(r, "step_succeeded")) == std::vector<double>{600, 1000, 1500, 2200, 3000});
      CHECK(details(events_of(r, "step_started"), "duration") == std::vector<double>{600, 400, 500, 700, 800});
      CHECK(events_of(r, "step_attempt").size() == 5);
      CHECK(r["kpis"]["campaigns"][0]["status"] == "finished");
    }

    Builder z = office(0.0);
    z.sc.campaigns[0].mode = CampaignMode::scripted;
    z.sc.campaigns[0].steps[0].retries = 1;
    z.done();
    auto r = run(z.sc, 7200);
    // probability 0: the attempt at 600 and its retry at 1,200 fail, the campaign stops
    CHECK(times(events_of(r, "step_attempt")) == std::vector<double>{600, 1200});
    CHECK(r["kpis"]["campaigns"][0]["status"] == "failed");
  }

  TEST_CASE("scripted: the first targets in scenario order; random picks among them")
  {
    // three workstations match; max_targets 1: scripted always takes ws-a (index order), whatever the seed
    Builder b;
    b.node("att", NodeKind::attacker);
    b.node("sw", NodeKind::switch_);
    for (const char* n : {"ws-a", "ws-b", "ws-c"}) {
      b.node(n, NodeKind::workstation);
      b.link("sw", n, 1.25e8, 0.001);
    }
    b.link("att", "sw", 1.25e7, 0.01);
    Campaign c;
    c.id = "apt";
    c.mode = CampaignMode::scripted;
    c.steps.push_back(step("hit", "T1190", "external", "kind:workstation", 60, StepEffect::compromise));
    b.sc.campaigns.push_back(c);
    b.done();
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      SimulationOptions o;
      o.seed = seed;
      auto r = run(b.sc, 600, {}, o);
      REQUIRE(events_of(r, "node_compromised").size() == 1);
      CHECK(events_of(r, "node_compromised")[0]["subject"] == "node:ws-a");
    }
    // the same campaign random: over seeds 1..12, not always ws-a (a uniform pick of 3: all twelve on ws-a has
    // probability (1/3)^12, about 2e-6)
    b.sc.campaigns[0].mode = CampaignMode::random;
    std::set<std::string> hit;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      SimulationOptions o;
      o.seed = seed;
      auto r = run(b.sc, 600, {}, o);
      if (!events_of(r, "node_compromised").empty())
        hit.insert(events_of(r, "node_compromised")[0]["subject"].get<std::string>());
    }
    CHECK(hit.size() > 1);
  }

  TEST_CASE("making one campaign scripted does not shift another campaign's draws")
  {
    // two campaigns on separate targets: 'other' (uniform durations, probability 0.5, retries 3) has its own stream
    // campaign:other, so its attempts (times, durations, outcomes) are the same whether 'apt' is random or scripted
    Builder b = office(0.6);
    b.sc.campaigns[0].steps[0].duration = dist(Distribution::Kind::uniform, 300, 900);
    b.sc.campaigns[0].steps[0].retries = 5;
    Campaign o;
    o.id = "other";
    Step s = step("web", "T1190", "external", "node:fs", 0, StepEffect::none);
    s.duration = dist(Distribution::Kind::uniform, 100, 1000);
    s.probability = 0.5;
    s.retries = 3;
    o.steps.push_back(s);
    b.sc.campaigns.push_back(o);
    b.done();
    auto of_other = [](const nlohmann::json& r) {
      std::vector<std::string> v;
      for (const auto& e : r["events"])
        if (e["subject"] == "campaign:other" &&
            (e["type"] == "step_started" || e["type"] == "step_attempt" || e["type"] == "step_succeeded")) {
          nlohmann::json x = e;
          x.erase("seq"); // the record's number counts the other campaign's records too
          v.push_back(x.dump());
        }
      return v;
    };
    for (std::uint64_t seed : {3u, 4u}) {
      CAPTURE(seed);
      SimulationOptions opt;
      opt.seed = seed;
      auto random = run(b.sc, 7200, {}, opt);
      Scenario scripted = b.sc;
      scripted.campaigns[0].mode = CampaignMode::scripted;
      auto script = run(scripted, 7200, {}, opt);
      REQUIRE_FALSE(of_other(random).empty());
      CHECK(of_other(random) == of_other(script));
      // and the scripted campaign itself: phish at the midpoint 600 s, lateral 600 s later
      CHECK(times(events_of(script, "node_compromised")) == std::vector<double>{600, 1200});
    }
  }
}

TEST_SUITE("storyline-read")
{
  TEST_CASE("mode, not_before and retry are read, in the exercise time grammar; bad values are located errors")
  {
    const std::string dir = cli_test::temp_dir("storyline-read");
    auto load = [&](const std::string& campaign) {
      const std::string path = dir + "/s.json";
      cli_test::spit(path, R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h"},
"sites": [{"id": "hq"}], "nodes": [{"id": "inet", "site": "hq", "kind": "internet"},
  {"id": "ws", "site": "hq", "kind": "workstation", "uplink": "inet"}],
"adversary": {"campaigns": [)" +
                               campaign + "]}}");
      LoadResult r = load_scenario(path);
      std::string out;
      for (const auto& d : r.diagnostics.items()) {
        std::string s = d.format();
        s.erase(0, s.find("s.json"));
        out += s + "\n";
      }
      return std::make_pair(std::move(r), out);
    };
    {
      auto [r, diags] = load(R"({"id": "c", "mode": "scripted", "steps": [
  {"id": "s", "technique": "T1190", "source": "external", "target": "node:ws", "duration": "1m",
   "not_before": "H+4 M+15", "retry": {"until": "6h", "interval": "5m"}},
  {"id": "t", "technique": "T1190", "source": "external", "target": "node:ws", "duration": "1m", "not_before": "90m",
   "retry": {"until": "D+0 H+7"}}]})");
      CHECK(diags == "");
      REQUIRE(r.ok());
      const Campaign& c = r.scenario->campaigns[0];
      CHECK(c.mode == CampaignMode::scripted);
      CHECK(c.steps[0].not_before == 4 * 3600 + 15 * 60);
      CHECK(c.steps[0].retry_until == 6 * 3600);
      CHECK(c.steps[0].retry_interval == 300);
      CHECK(c.steps[1].not_before == 5400);
      CHECK(c.steps[1].retry_until == 7 * 3600);
      CHECK(c.steps[1].retry_interval == 600); // the default, 10 min
    }
    {
      auto [r, diags] = load(R"({"id": "c", "steps": [
  {"id": "s", "technique": "T1190", "source": "external", "target": "node:ws", "duration": "1m"}]})");
      REQUIRE(r.ok());
      CHECK(r.scenario->campaigns[0].mode == CampaignMode::random);
      CHECK(r.scenario->campaigns[0].steps[0].not_before == 0);
      CHECK(r.scenario->campaigns[0].steps[0].retry_until < 0);
    }
    {
      auto [r, diags] = load(R"({"id": "c", "mode": "scriptd", "steps": [
  {"id": "s", "technique": "T1190", "source": "external", "target": "node:ws", "duration": "1m", "not_before": "soon",
   "retry": {"interval": "0s", "untill": "6h"}}]})");
      CHECK_FALSE(r.ok());
      // every problem of the step at once, each at its own place
      CHECK(
          diags ==
          "s.json:4:49: error: [scenario.bad-value] (/adversary/campaigns/0/mode) unknown campaign mode 'scriptd'; "
          "did you mean 'scripted'?\n"
          "s.json:5:112: error: [scenario.bad-unit] (/adversary/campaigns/0/steps/0/not_before) expected a time such "
          "as \"15m\", \"2h30m\" or \"D+1 H+3 M+45\"; got \"soon\"\n"
          "s.json:6:13: error: [scenario.missing-field] (/adversary/campaigns/0/steps/0/retry) missing field 'until'\n"
          "s.json:6:26: error: [scenario.out-of-range] (/adversary/campaigns/0/steps/0/retry/interval) a retry "
          "interval must be longer than 0s\n"
          "s.json:6:32: error: [scenario.unknown-key] (/adversary/campaigns/0/steps/0/retry/untill) unknown key "
          "'untill'; did you mean 'until'?\n");
    }
  }
}

TEST_SUITE("storyline-batch")
{
  TEST_CASE("batch: every step's success time, p10 = p50 = p90 for a scripted step, 3/4 of runs for a coin with a "
            "deadline")
  {
    // tests/scenario/storyline (its description derives the figures): story/phish at 10 min + 30 min = 2,400 s and
    // story/discover at 2,400 + 600 = 3,000 s in every run; coin/exploit succeeds at 3,600 s (probability 1/2), at
    // 4,200 + 3,600 = 7,800 s (1/4) or never (1/4). Over 200 runs the share is 150 +- 6.1 (binomial): accept 120..180
    // (5 sigma); among the successes 2/3 are at 3,600 s, so p10 and p50 are 3,600 s and p90 is 7,800 s
    const std::string dir = cli_test::temp_dir("storyline-batch");
    const Output b =
        cli_test::run_cyberex("batch " + fixture + " --runs 200 --jobs 2 --quiet --json --csv " + dir + "/b.csv");
    REQUIRE(b.status == 0);
    const nlohmann::json j = nlohmann::json::parse(b.out);
    REQUIRE(j["steps"].size() == 3);
    const auto& phish = j["steps"][0];
    CHECK(phish["campaign"] == "story");
    CHECK(phish["step"] == "phish");
    CHECK(phish["succeeded"] == 200);
    CHECK(phish["share"].get<double>() == 1.0);
    CHECK(phish["p10"].get<double>() == 2400);
    CHECK(phish["p50"].get<double>() == 2400);
    CHECK(phish["p90"].get<double>() == 2400);
    const auto& discover = j["steps"][1];
    CHECK(discover["step"] == "discover");
    CHECK(discover["p10"].get<double>() == 3000);
    CHECK(discover["p90"].get<double>() == 3000);
    const auto& coin = j["steps"][2];
    CHECK(coin["campaign"] == "coin");
    CHECK(coin["step"] == "exploit");
    const int n = coin["succeeded"].get<int>();
    CHECK(n >= 120);
    CHECK(n <= 180);
    CHECK(coin["share"].get<double>() == doctest::Approx(n / 200.0).epsilon(1e-9));
    CHECK(coin["p10"].get<double>() == 3600);
    CHECK(coin["p50"].get<double>() == 3600);
    CHECK(coin["p90"].get<double>() == 7800);
    // the count agrees with the runs themselves: a run succeeded iff its KPI has a time, and only these two times
    int seen = 0;
    for (const auto& run : j["per_run"]) {
      const auto& t = run["kpis"]["campaigns"][1]["steps"][0]["succeeded"];
      if (t.is_null())
        continue;
      ++seen;
      CHECK((t.get<double>() == 3600 || t.get<double>() == 7800));
    }
    CHECK(seen == n);
    // CSV: one column per step; the scripted step is 2400.000 in every row
    const std::string csv = cli_test::slurp(dir + "/b.csv");
    const std::string header = csv.substr(0, csv.find('\n'));
    CHECK(header.find(",campaign story step phish succeeded_s,campaign story step discover succeeded_s,"
                      "campaign coin step exploit succeeded_s") != std::string::npos);
    CHECK(csv.find("\n1,ok,") != std::string::npos);
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("batch text: a table of steps with the share of runs and p10, p50, p90 as times")
  {
    const Output b = cli_test::run_cyberex("batch " + fixture + " --runs 4 --jobs 2 --quiet");
    REQUIRE(b.status == 0);
    CHECK(b.out.find("step success times from the exercise start") != std::string::npos);
    CHECK(b.out.find("campaign step              succeeded        p10        p50        p90\n"
                     "story    phish            4 (100.0%)   0h40m00s   0h40m00s   0h40m00s\n"
                     "story    discover         4 (100.0%)   0h50m00s   0h50m00s   0h50m00s\n"
                     "coin     exploit   ") != std::string::npos);
  }
}

TEST_SUITE("storyline-cyber-atlantic")
{
  TEST_CASE("Cyber Atlantic 2011: the main storyline in >= 99 % of 200 runs, the trip at 13:15, the rest random")
  {
    // the main storyline (scenarios/cyber-atlantic-2011/README.md, "Storyline control"): the first wave of the APT
    // (apt-de, apt-fr, apt-nl) ends with the exfiltration and the publication, each of its steps that can fail retried
    // every 10 min until H+4, so a stop needs a step to fail every attempt for hours; ics-blackout is scripted. Its
    // central durations from its start at 30 min: phish uniform 15..40 min -> 27.5, then 5, 15, 10, 15, 10, 20, 15, 15,
    // 45, 10, 15, 10 min: suppress succeeds at 4h02m30s, and the trip (5 min) would land at 4h07m30s but has
    // not_before H+4 M+15 = 15,300 s; then scada 15 min (4h30m), open-north 5 (4h35m), open-west 5 (4h40m),
    // download-west 25 (5h05m), derate-west 10 (5h15m = 18,900 s). Without a response nothing stops it.
    const Output b = cli_test::run_cyberex(
        "batch scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json --runs 200 --jobs 2 --quiet --json");
    REQUIRE(b.status == 0);
    const nlohmann::json j = nlohmann::json::parse(b.out);
    auto find = [&](const std::string& c, const std::string& s) -> nlohmann::json {
      for (const auto& x : j["steps"])
        if (x["campaign"] == c && x["step"] == s)
          return x;
      FAIL("no step " << c << "/" << s);
      return nlohmann::json::object();
    };
    for (const char* c : {"apt-de", "apt-fr", "apt-nl"}) {
      CAPTURE(c);
      CHECK(find(c, "exfil")["share"].get<double>() >= 0.99);
      CHECK(find(c, "publish")["share"].get<double>() >= 0.99);
    }
    const std::vector<std::pair<std::string, double>> ics{
        {"suppress", 14550}, {"trip", 15300}, {"open-north", 16500}, {"open-west", 16800}, {"derate-west", 18900}};
    for (const auto& [s, t] : ics) {
      CAPTURE(s);
      const auto x = find("ics-blackout", s);
      CHECK(x["share"].get<double>() == 1.0);
      CHECK(x["p10"].get<double>() == t);
      CHECK(x["p50"].get<double>() == t);
      CHECK(x["p90"].get<double>() == t);
    }
    // the second wave stays random: its first step's success time spreads over the runs
    for (const char* c : {"apt-se", "apt-it", "apt-es", "apt-us"}) {
      CAPTURE(c);
      const auto phish = find(c, "phish");
      CHECK(phish["p10"].get<double>() < phish["p90"].get<double>());
    }
  }
}
