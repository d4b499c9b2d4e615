/* Tests of `cyberex powerflow` (run as a child process, tests/unit/cli_support.hpp). */
#include "cli_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using nlohmann::json;

namespace {

const std::string CASE9 = std::string(CYBEREX_SOURCE_DIR) + "/data/matpower/case9.m";

} // namespace

TEST_SUITE("power-cli")
{
  TEST_CASE("case9 with branch 3 (5-6) out: the JSON document, every flow derived by hand")
  {
    const auto o = cli_test::run_cyberex("powerflow " + CASE9 + " --outage 3 --json");
    REQUIRE(o.status == 0);
    CHECK(o.err.empty());
    const json doc = json::parse(o.out);
    CHECK(doc.size() == 4);
    REQUIRE(doc["buses"].size() == 9);
    CHECK(doc["buses"][0] == json::parse(R"({"id": 1, "angle_deg": 0.0, "island": 1})"));
    for (const auto& b : doc["buses"])
      CHECK(b["island"] == 1);
    // without 5-6 the grid is a tree, so the flows follow from the injections alone. Loads: bus 5 90, bus 7 100,
    // bus 9 125 MW; G2 163 and G3 85 keep their setpoints and G1 (reference) takes 315 - 248 = 67 MW.
    // 1-4: 67; 4-5 feeds bus 5: 90; 3-6 and 6-7 carry G3's 85; 7-8: 85 - 100 = -15; 8-2: -163;
    // 8-9: -15 + 163 = 148; 9-4: 148 - 125 = 23.
    const double flow[] = {67, 90, 0, 85, 85, -15, -163, 148, 23};
    const double rating[] = {250, 250, 150, 300, 150, 250, 250, 250, 250};
    const int from[] = {1, 4, 5, 3, 6, 7, 8, 8, 9};
    const int to[] = {4, 5, 6, 6, 7, 8, 2, 9, 4};
    REQUIRE(doc["branches"].size() == 9);
    for (std::size_t k = 0; k < 9; ++k) {
      CAPTURE(k);
      const json& br = doc["branches"][k];
      CHECK(br["index"] == k + 1);
      CHECK(br["from"] == from[k]);
      CHECK(br["to"] == to[k]);
      CHECK(br["flow_mw"].get<double>() == doctest::Approx(flow[k]).epsilon(1e-10));
      CHECK(br["loading_pct"].get<double>() == doctest::Approx(std::abs(flow[k]) / rating[k] * 100).epsilon(1e-9));
      CHECK(br["status"] == (k == 2 ? "open" : "closed"));
    }
    CHECK(doc["generators"] == json::parse(R"([{"index": 1, "bus": 1, "mw": 67.0}, {"index": 2, "bus": 2, "mw": 163.0},
                                               {"index": 3, "bus": 3, "mw": 85.0}])"));
    CHECK(doc["shed_mw"] == 0.0);
    // the exact text of one line
    CHECK(o.out.find("\n  {\"index\": 7, \"from\": 8, \"to\": 2, \"flow_mw\": -163.0000000000, \"loading_pct\": "
                     "65.2000000000, \"status\": \"closed\"},\n") != std::string::npos);
  }

  TEST_CASE("case9 with branch 1 (1-4) out: two islands, governor balance, said in the table")
  {
    const auto o = cli_test::run_cyberex("powerflow " + CASE9 + " --outage 1");
    REQUIRE(o.status == 0);
    CHECK(o.out.find("2 islands; balance: governor") != std::string::npos);
    CHECK(o.out.find("  island 1: 1 bus, reference bus 1, generation 0.00 MW, load 0.00 MW, shed 0.00 MW\n") !=
          std::string::npos);
    // island 2: demand 315, dispatch 163 + 85 = 248; the deficit of 67 goes 300:270 -> G2 163 + 35.26 = 198.26
    CHECK(o.out.find("  island 2: 8 buses, reference bus 2, generation 315.00 MW, load 315.00 MW, shed 0.00 MW\n") !=
          std::string::npos);
    CHECK(o.out.find("     2      2     198.26      300.0\n") != std::string::npos);
    const auto whole = cli_test::run_cyberex("powerflow " + CASE9);
    REQUIRE(whole.status == 0);
    CHECK(whole.out.find("1 island; balance: reference") != std::string::npos);
  }

  TEST_CASE("errors: exit status 2 and a clear message")
  {
    auto o = cli_test::run_cyberex("powerflow " + CASE9 + " --outage 10");
    CHECK(o.status == 2);
    CHECK(o.err == "cyberex powerflow: --outage 10: " + CASE9 + " has no branch row 10 (it has 9 branches)\n");
    o = cli_test::run_cyberex("powerflow " + CASE9 + " --outage x");
    CHECK(o.status == 2);
    CHECK(o.err == "cyberex powerflow: --outage expects a branch row (1 to 9), got 'x'\n");
    o = cli_test::run_cyberex("powerflow " + CASE9 + " --outage 0");
    CHECK(o.err == "cyberex powerflow: --outage expects a branch row (1 to 9), got '0'\n");
    o = cli_test::run_cyberex("powerflow /nonexistent/case.m");
    CHECK(o.status == 2);
    CHECK(o.err == "/nonexistent/case.m:0:0: error: cannot read the case file: No such file or directory\n");
    o = cli_test::run_cyberex("powerflow scenarios/tutorial/tutorial.json");
    CHECK(o.status == 2);
    CHECK(o.err == "cyberex powerflow: scenario grids are not networked yet\n");
    o = cli_test::run_cyberex("powerflow " + CASE9 + " --grid main");
    CHECK(o.status == 2);
    CHECK(o.err == "cyberex powerflow: --grid applies to scenario files; a case file is one grid\n");
    o = cli_test::run_cyberex("powerflow grid.txt");
    CHECK(o.status == 2);
    CHECK(o.err == "cyberex powerflow: grid.txt: expected a MATPOWER case file (.m) or a scenario (.json)\n");
    o = cli_test::run_cyberex("powerflow");
    CHECK(o.status == 2);
    CHECK(o.err.rfind("cyberex powerflow: no case or scenario file given\nusage: cyberex powerflow FILE", 0) == 0);
    o = cli_test::run_cyberex("powerflow " + CASE9 + " --fast");
    CHECK(o.status == 2);
    CHECK(o.err.rfind("cyberex powerflow: unknown option '--fast'\nusage: cyberex powerflow FILE", 0) == 0);
    o = cli_test::run_cyberex("powerflow --help");
    CHECK(o.status == 0);
    CHECK(o.out.rfind("usage: cyberex powerflow FILE [--grid ID] [--outage BRANCH]... [--json]\n", 0) == 0);
  }

  TEST_CASE("a malformed case file: the located error")
  {
    const std::string dir = cli_test::temp_dir("powerflow");
    cli_test::spit(dir + "/bad.m", "mpc.baseMVA = 100;\nmpc.bus = [\n  1 3 0 0 0 0 1 1 0;\n");
    const auto o = cli_test::run_cyberex("powerflow " + dir + "/bad.m");
    CHECK(o.status == 2);
    CHECK(o.err == dir + "/bad.m:2:11: error: mpc.bus: the matrix opened here is never closed with ']'\n");
    std::remove((dir + "/bad.m").c_str());
    ::rmdir(dir.c_str());
  }
}
