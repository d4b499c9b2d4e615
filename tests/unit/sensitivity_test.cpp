/* Tests of `cyberex sensitivity` (run as a child process, tests/unit/cli_support.hpp): the two blocks of
 * tests/scenario/sensitivity, whose effects are derived by hand, ranked in the right order with the right values; on
 * Cyber Atlantic 2011, the effect of dropping one response agrees with two `cyberex batch` runs and with
 * `cyberex whatif`; the tornado chart and the report's section; exact diagnostics for bad input. */
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

using nlohmann::json;

namespace {

const std::string SCEN = "tests/scenario/sensitivity/sensitivity.json";
const std::string PLAY = "tests/scenario/sensitivity/responses.json";
const std::string CA = "scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";
const std::string CA_PLAY = "scenarios/cyber-atlantic-2011/responses.json";

const json& kpi_change(const json& variant, const std::string& name)
{
  for (const auto& k : variant["kpis"])
    if (k["name"] == name)
      return k;
  FAIL("no KPI " << name);
  static const json none;
  return none;
}

/// The whole change of one KPI: mean, CI bounds and n (the CI is [mean, mean] when every seed plays the same).
void check_change(const json& k, double mean, std::size_t n)
{
  INFO(k.dump());
  CHECK(k["n"] == n);
  CHECK(k["mean"].get<double>() == doctest::Approx(mean).epsilon(1e-9));
  CHECK(k["ci_low"].get<double>() == doctest::Approx(mean).epsilon(1e-9));
  CHECK(k["ci_high"].get<double>() == doctest::Approx(mean).epsilon(1e-9));
}

} // namespace

TEST_SUITE("sensitivity")
{
  // The scenario (its description says it too): both campaigns are scripted (no draw), the EDR alerts with
  // probability 1 after a fixed minute, no beacon after the first, so every seed plays the same and the confidence
  // intervals are points. Each file server is taken at 2m; the teams' alerts (at 3m) name their C2 domain. B stages
  // for 20m, its exfiltration step runs 22m-23m and sends 300 MB through the server's 8 Mbps = 1 MB/s uplink from
  // 23m = 1,380 s to 1,680 s; A stages for 48m and sends 800 MB from 51m = 3,060 s to 3,860 s. A block takes 5 min.
  // Baseline: cert-b's block at 10m acts at 15m, cert-a's at 30m at 35m, both before their exfiltration step, which
  // finds its channel blocked and waits: 0 MB.
  // - drop cert-a's block: A sends its 800 MB: +800. Delay it 30m: it acts at 65m = 3,900 s, after A ended: +800
  // - drop cert-b's block: +300; delay it 30m: acts at 45m, after B ended at 28m: +300
  // - cert-b's report at 1h20m changes nothing: 0; cert-b's two responses together: +300 (drop and delay)
  // - delay 14m: cert-b's block acts at 29m, after B ended (28m): +300; cert-a's at 49m, still before A's
  //   exfiltration step (50m): 0. The ranking turns round.
  TEST_CASE("two blocks of hand-derived effect: ranking and values, drop and delay 30m by default")
  {
    const auto o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --runs 3 --json --quiet");
    REQUIRE(o.status == 0);
    CHECK(o.err == "");
    const json j = json::parse(o.out);
    CHECK(j["rank_by"] == "exfiltrated_mb");
    CHECK(j["runs"] == 3);
    CHECK(j["seed_base"] == 11);
    CHECK(j["delay_s"] == 1800.0);
    CHECK(j["baseline"]["succeeded"] == 3);
    CHECK(j["baseline"]["kpis"][0]["name"] == "exfiltrated_mb");
    CHECK(j["baseline"]["kpis"][0]["mean"].get<double>() == 0);
    const json& v = j["variants"];
    // 3 responses x (drop, delay) + cert-b's two together x (drop, delay); cert-a has one response: no team row
    REQUIRE(v.size() == 8);
    struct Row {
      const char* change;
      const char* label;
      double mean;
    };
    // ranked by |change|; equal changes keep the order of construction (responses in file order, then teams)
    const std::vector<Row> expected{
        {"drop", "cert-a 0h30m00s block ioc-c2-a", 800}, {"delay", "cert-a 0h30m00s block ioc-c2-a", 800},
        {"drop", "cert-b 0h10m00s block ioc-c2-b", 300}, {"delay", "cert-b 0h10m00s block ioc-c2-b", 300},
        {"drop", "cert-b: all 2 responses", 300},        {"delay", "cert-b: all 2 responses", 300},
        {"drop", "cert-b 1h20m00s report", 0},           {"delay", "cert-b 1h20m00s report", 0},
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CAPTURE(i);
      CHECK(v[i]["rank"] == i + 1);
      CHECK(v[i]["change"] == expected[i].change);
      CHECK(v[i]["label"] == expected[i].label);
      check_change(v[i]["effect"], expected[i].mean, 3);
      check_change(kpi_change(v[i], "exfiltrated_mb"), expected[i].mean, 3);
    }
    // the change is the campaign's own: A's block moves A only
    check_change(kpi_change(v[0], "campaign exfil-a exfiltrated_mb"), 800, 3);
    check_change(kpi_change(v[0], "campaign exfil-b exfiltrated_mb"), 0, 3);
    check_change(kpi_change(v[2], "campaign exfil-b exfiltrated_mb"), 300, 3);
    check_change(kpi_change(v[2], "campaign exfil-a exfiltrated_mb"), 0, 3);
    CHECK(v[4]["scope"] == "team");
    CHECK(v[4]["responses"].size() == 2);
    // per seed: the seeds 11..13, each with its differences
    REQUIRE(v[0]["per_seed"].size() == 3);
    CHECK(v[0]["per_seed"][2]["seed"] == 13);
    CHECK(v[0]["per_seed"][2]["status"] == "ok");
    CHECK(v[0]["per_seed"][2]["deltas"]["exfiltrated_mb"].get<double>() == doctest::Approx(800));
  }

  TEST_CASE("--delay alone, --drop alone, --rank-by; the table")
  {
    // delayed 14m: cert-b's block comes too late (+300), cert-a's still in time (0)
    auto o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --runs 2 --delay 14m --json --quiet");
    REQUIRE(o.status == 0);
    CHECK(o.err == "");
    json j = json::parse(o.out);
    REQUIRE(j["variants"].size() == 4);
    CHECK(j["delay_s"] == 840.0);
    const std::vector<std::pair<std::string, double>> delayed{{"cert-b 0h10m00s block ioc-c2-b", 300},
                                                              {"cert-b: all 2 responses", 300},
                                                              {"cert-a 0h30m00s block ioc-c2-a", 0},
                                                              {"cert-b 1h20m00s report", 0}};
    for (std::size_t i = 0; i < delayed.size(); ++i) {
      CAPTURE(i);
      CHECK(j["variants"][i]["change"] == "delay");
      CHECK(j["variants"][i]["label"] == delayed[i].first);
      check_change(j["variants"][i]["effect"], delayed[i].second, 2);
    }

    // ranked by A's exfiltration: cert-a's block first, the others move A by 0 (file order among them)
    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY +
                              " --runs 2 --drop --rank-by 'campaign exfil-a exfiltrated_mb' --json --quiet");
    REQUIRE(o.status == 0);
    j = json::parse(o.out);
    REQUIRE(j["variants"].size() == 4);
    CHECK(j["delay_s"].is_null());
    CHECK(j["rank_by"] == "campaign exfil-a exfiltrated_mb");
    CHECK(j["variants"][0]["label"] == "cert-a 0h30m00s block ioc-c2-a");
    check_change(j["variants"][0]["effect"], 800, 2);
    CHECK(j["variants"][1]["label"] == "cert-b 0h10m00s block ioc-c2-b");
    check_change(j["variants"][1]["effect"], 0, 2);
    CHECK(j["variants"][2]["label"] == "cert-b 1h20m00s report");
    CHECK(j["variants"][3]["label"] == "cert-b: all 2 responses");

    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --runs 2 --drop");
    CHECK(o.status == 0);
    // the cost first, then batch's progress lines
    const std::string cost = "cyberex sensitivity: 4 variants of 3 responses (dropped) + the baseline, 2 runs each "
                             "(seeds 11..12): 10 runs\n";
    CHECK(o.err.substr(0, cost.size()) == cost);
    CHECK(o.err.find("cyberex sensitivity: 10/10 runs done (100%), 0 failed, ") != std::string::npos);
    const std::string head =
        SCEN + " with " + PLAY +
        ": 2 runs per variant (seeds 11..12), 4 variants + the baseline (2 of 2 baseline runs succeeded)\n"
        "ranked by the change of exfiltrated_mb (baseline mean 0.000): the mean of the per-seed differences "
        "(variant -\n"
        "baseline, same seeds) and its 95 % confidence interval (Student t, n - 1 degrees of freedom)\n\n";
    CHECK(o.out.substr(0, head.size()) == head);
    CHECK(
        o.out.find("\n   1  drop            cert-a 0h30m00s block ioc-c2-a       +800.000  [+800.000, +800.000]        "
                   "     2\n   2  drop            cert-b 0h10m00s block ioc-c2-b       +300.000  [+300.000, "
                   "+300.000]             2\n") != std::string::npos);
  }

  TEST_CASE("the tornado chart and the report's section")
  {
    const std::string dir = cli_test::temp_dir("sens");
    auto o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --runs 2 --quiet --json --svg " + dir +
                                   "/t.svg > " + dir + "/s.json");
    REQUIRE(o.status == 0);
    const std::string svg = cli_test::slurp(dir + "/t.svg");
    REQUIRE(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    // the bars in the ranking's order, the first the largest
    const auto first = svg.find(">drop  cert-a 0h30m00s block ioc-c2-a<");
    const auto second = svg.find(">delay  cert-a 0h30m00s block ioc-c2-a<");
    const auto third = svg.find(">drop  cert-b 0h10m00s block ioc-c2-b<");
    CHECK(first != std::string::npos);
    CHECK(first < second);
    CHECK(second < third);
    CHECK(svg.find("<title>drop  cert-a 0h30m00s block ioc-c2-a: 800.000 [800.000, 800.000], n = 2</title>") !=
          std::string::npos);
    // the same bytes again: deterministic
    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --runs 2 --quiet --svg " + dir + "/u.svg");
    CHECK(o.status == 0);
    CHECK(cli_test::slurp(dir + "/u.svg") == svg);

    // the report of a play of the scenario, with the section
    o = cli_test::run_cyberex("play " + SCEN + " --play " + PLAY + " --journal " + dir + "/j.jsonl --quiet");
    REQUIRE(o.status == 0);
    o = cli_test::run_cyberex("report " + dir + "/j.jsonl --sensitivity " + dir + "/s.json");
    REQUIRE(o.status == 0);
    CHECK(o.out.find("<section id=\"sensitivity\"><h2>9. Which responses mattered</h2>") != std::string::npos);
    CHECK(o.out.find(">drop  cert-a 0h30m00s block ioc-c2-a<") != std::string::npos);
    CHECK(o.out.find("<section id=\"appendix-injects\">") > o.out.find("<section id=\"sensitivity\">"));

    // not a sensitivity output: the place and what was expected
    cli_test::spit(dir + "/bad.json",
                   "{\"rank_by\":\"exfiltrated_mb\",\"runs\":2,\"variants\":[{\"change\":\"skip\"}]}");
    o = cli_test::run_cyberex("report " + dir + "/j.jsonl --sensitivity " + dir + "/bad.json");
    CHECK(o.status == 2);
    CHECK(o.err == "cyberex report: " + dir +
                       "/bad.json: (/variants/0/change) expected \"drop\" or \"delay\" (the "
                       "output of cyberex sensitivity --json)\n");
    o = cli_test::run_cyberex("report " + dir + "/j.jsonl --sensitivity " + dir + "/none.json");
    CHECK(o.status == 2);
    CHECK(o.err ==
          "cyberex report: " + dir + "/none.json: cannot read the sensitivity results (cyberex sensitivity --json)\n");
    o = cli_test::run_cyberex("report " + dir + "/j.jsonl --format md --sensitivity " + dir + "/s.json");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex report: --sensitivity puts the tornado chart in the HTML report: it needs --format html\n");
  }

  TEST_CASE("bad input: exact diagnostics")
  {
    auto o = cli_test::run_cyberex("sensitivity " + SCEN + " --runs 2");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex sensitivity: --play FILE is required: the responses whose effect is measured\n");

    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --rank-by 'power mwh'");
    CHECK(o.status == 1);
    CHECK(o.err ==
          "cyberex sensitivity: --rank-by: no KPI 'power mwh' in this scenario; the KPIs are 'exfiltrated_mb', "
          "'compromised_max', 'compromised_end', 'campaign exfil-a exfiltrated_mb', 'campaign exfil-a "
          "steps_succeeded', 'campaign exfil-a first_compromise_s', 'campaign exfil-a time_to_detect_s', 'campaign "
          "exfil-a time_to_contain_s', 'campaign exfil-b exfiltrated_mb', 'campaign exfil-b steps_succeeded', "
          "'campaign exfil-b first_compromise_s', 'campaign exfil-b time_to_detect_s', 'campaign exfil-b "
          "time_to_contain_s', 'power mwh_lost', 'power customer_hours_lost', 'power mw_lost_max', 'alerts true', "
          "'alerts false', 'events'\n");

    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --delay soon");
    CHECK(o.status == 1);
    CHECK(o.err.rfind("cyberex sensitivity: --delay expects ", 0) == 0);
    CHECK(o.err.find(", got 'soon'\n") != std::string::npos);

    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --delay 0s");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex sensitivity: --delay expects a duration greater than 0, e.g. 30m\n");

    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --runs 0");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex sensitivity: --runs expects a positive integer, got '0'\n");

    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + PLAY + " --team cert-z");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex sensitivity: --team: no response of team 'cert-z' in " + PLAY + "\n");

    o = cli_test::run_cyberex("sensitivity --play " + PLAY);
    CHECK(o.status == 1);
    CHECK(o.err.substr(o.err.size() - 44) == "cyberex sensitivity: no scenario file given\n");

    // a play file error, located: line 3, column 5 is the response that names an unknown team
    const std::string dir = cli_test::temp_dir("sens");
    cli_test::spit(dir + "/bad.json", "{\n  \"responses\": [\n    { \"at\": \"15m\", \"action\": \"block\", \"team\": "
                                      "\"cert-z\", \"indicator\": \"ioc-c2-b\" }\n  ]\n}\n");
    o = cli_test::run_cyberex("sensitivity " + SCEN + " --play " + dir + "/bad.json");
    CHECK(o.status == 2);
    CHECK(o.err == dir +
                       "/bad.json:3:5: error: [play.invalid] (/responses/0) no team 'cert-z'\n"
                       "cyberex sensitivity: invalid play file '" +
                       dir + "/bad.json'\n");
  }

  // Cyber Atlantic 2011, 10 runs: the effect of dropping cert-nl's block of the APT's C2 domain at 1h35m agrees with
  // (a) two `cyberex batch --json` runs with and without it in the play file, same seeds, and (b) `cyberex whatif`
  // of the journal of one seed with that command removed.
  TEST_CASE("Cyber Atlantic 2011: dropping one response agrees with batch and whatif")
  {
    const std::string dir = cli_test::temp_dir("sens");
    auto o = cli_test::run_cyberex("sensitivity " + CA + " --play " + CA_PLAY +
                                   " --runs 10 --drop --team cert-nl --json --quiet");
    REQUIRE(o.status == 0);
    const json s = json::parse(o.out);
    const std::string label = "cert-nl 1h35m00s block ioc-apt-c2-domain";
    const json* var = nullptr;
    for (const auto& v : s["variants"])
      if (v["label"] == label && v["change"] == "drop")
        var = &v;
    REQUIRE(var != nullptr);
    const json& eff = (*var)["effect"];
    REQUIRE(eff["n"] == 10);
    // --team cert-nl: its 4 responses and the team's row, nothing of the other teams
    CHECK(s["variants"].size() == 5);

    // (a) the play file without that response, batch over the same seeds
    json play = json::parse(cli_test::slurp(CA_PLAY));
    json kept = json::array();
    int removed = 0;
    for (const auto& r : play["responses"])
      if (r.value("team", "") == "cert-nl" && r.value("at", "") == "1h35m" && r.value("action", "") == "block")
        ++removed;
      else
        kept.push_back(r);
    REQUIRE(removed == 1);
    play["responses"] = kept;
    cli_test::spit(dir + "/without.json", play.dump());
    const auto with = cli_test::run_cyberex("batch " + CA + " --play " + CA_PLAY + " --runs 10 --json --quiet");
    const auto without =
        cli_test::run_cyberex("batch " + CA + " --play " + dir + "/without.json --runs 10 --json --quiet");
    REQUIRE(with.status == 0);
    REQUIRE(without.status == 0);
    const json a = json::parse(with.out), b = json::parse(without.out);
    auto total = [](const json& kpis) {
      double mb = 0;
      for (const auto& c : kpis["campaigns"])
        mb += c["bytes_exfiltrated"].get<double>() / 1e6;
      return mb;
    };
    double sum = 0;
    for (std::size_t i = 0; i < 10; ++i) {
      CAPTURE(i);
      const double d = total(b["per_run"][i]["kpis"]) - total(a["per_run"][i]["kpis"]);
      sum += d;
      CHECK((*var)["per_seed"][i]["seed"] == a["per_run"][i]["seed"]);
      CHECK((*var)["per_seed"][i]["deltas"]["exfiltrated_mb"].get<double>() == doctest::Approx(d).epsilon(1e-6));
    }
    const double mean = sum / 10;
    CHECK(eff["mean"].get<double>() == doctest::Approx(mean).epsilon(1e-6));
    CHECK(eff["ci_low"].get<double>() <= mean + 1e-3);
    CHECK(mean - 1e-3 <= eff["ci_high"].get<double>());
    CHECK(eff["mean"].get<double>() != 0); // the response matters: the comparison is not of zeros

    // (b) whatif of seed 37's journal: cert-nl's recorded commands from 1h35m on replaced by a snapshot query (a
    // query changes nothing), which drops the block; cert-nl's later commands are reports, which move no data
    const std::uint64_t seed = s["seed_base"].get<std::uint64_t>() + 3;
    o = cli_test::run_cyberex("play " + CA + " --play " + CA_PLAY + " --seed " + std::to_string(seed) + " --journal " +
                              dir + "/ca.jsonl --quiet");
    REQUIRE(o.status == 0);
    o = cli_test::run_cyberex("whatif " + dir + "/ca.jsonl --at 1h35m --replace --play " + CA_PLAY +
                              " --command '{\"as\":\"player:cert-nl\",\"command\":{\"type\":\"snapshot\"}}' --json");
    REQUIRE(o.status == 0);
    const json w = json::parse(o.out);
    CHECK((*var)["per_seed"][3]["seed"] == seed);
    CHECK(w["delta"]["data_exfiltrated_mb"].get<double>() ==
          doctest::Approx((*var)["per_seed"][3]["deltas"]["exfiltrated_mb"].get<double>()).epsilon(1e-6));
  }
}
