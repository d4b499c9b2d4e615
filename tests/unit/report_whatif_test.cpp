/* cyberex whatif on the scripted Cyber Atlantic 2011 drill: isolating the APT's foothold at CERT-IT early stops that
 * agency's exfiltration (issue 5); --replace drops the team's recorded commands; the original's KPIs are the
 * report's. */
#include "report_support.hpp"

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;
using namespace cyberex::test;

/// CERT-IT isolates the two workstations the lure compromised (it-ws-5 at 1h35m53s, it-ws-12 at 1h40m10s with the
/// default seed): in the recorded drill it never isolates anything and 320 MB leave its document server.
const std::string isolate_it =
    "--command '{\"as\":\"player:cert-it\",\"command\":{\"type\":\"action\",\"action\":\"isolate\","
    "\"target\":\"node:it-ws-5\"}}' "
    "--command '{\"as\":\"player:cert-it\",\"command\":{\"type\":\"action\",\"action\":\"isolate\","
    "\"target\":\"node:it-ws-12\"}}'";

} // namespace

TEST_SUITE("report-whatif")
{
  TEST_CASE("isolating the APT's foothold at CERT-IT at 1h45m: less data exfiltrated than the original")
  {
    const std::string journal = ca2011_journal();
    const CliOutput w = report_cli("whatif " + journal + " --at 1h45m --json " + isolate_it);
    INFO(w.err);
    REQUIRE(w.status == 0);
    const json r = json::parse(w.out);
    CHECK(r["at"] == 6300.0);
    CHECK(r["recorded_rejected"].empty());
    CHECK(r["original"]["data_exfiltrated_mb"] == 1050.0);
    CHECK(r["whatif"]["data_exfiltrated_mb"] == 730.0);
    CHECK(r["whatif"]["data_exfiltrated_mb"].get<double>() < r["original"]["data_exfiltrated_mb"].get<double>());
    CHECK(r["delta"]["exfiltrated_mb_by_campaign/apt-it"] == -320.0);
    CHECK(r["delta"]["exfiltrated_mb_by_campaign/apt-de"] == 0.0);
    CHECK(r["delta"]["campaigns_contained"] == 1.0);
    CHECK(r["delta"]["team_totals/cert-it"].get<double>() > 0);
    CHECK(r["delta"]["team_totals/cert-de"] == 0.0);

    // the original column is the report's KPIs of the same journal
    const CliOutput rep = report_cli("report " + journal + " --format json");
    REQUIRE(rep.status == 0);
    CHECK(json::parse(rep.out)["kpis"] == r["original"]);

    // the table shows the same numbers
    const CliOutput t = report_cli("whatif " + journal + " --at 1h45m " + isolate_it);
    REQUIRE(t.status == 0);
    CHECK(t.out.find("data exfiltrated (MB)                     1050.000       730.000      -320.000\n") !=
          std::string::npos);
    CHECK(t.out.find("  + player:cert-it {\"type\":\"action\",\"action\":\"isolate\",\"target\":\"node:it-ws-5\"}\n") !=
          std::string::npos);
  }

  TEST_CASE("a what-if that changes nothing reproduces the original's KPIs exactly")
  {
    // an evaluator's note changes no KPI: the branch must equal the original to the last digit
    const std::string journal = ca2011_journal();
    const CliOutput w = report_cli("whatif " + journal +
                                   " --at 2h --json --command '{\"as\":\"evaluator\",\"command\":{\"type\":\"observe\","
                                   "\"text\":\"Note: what-if control run\"}}'");
    INFO(w.err);
    REQUIRE(w.status == 0);
    const json r = json::parse(w.out);
    CHECK(r["original"] == r["whatif"]);
    CHECK(r["recorded_rejected"].empty());
  }

  TEST_CASE("--replace drops the recorded commands of the team from the branch time on")
  {
    const std::string journal = ca2011_journal();
    // count cert-de's recorded commands at or after 1h30m in the journal
    std::size_t de_after = 0;
    std::istringstream in(slurp(journal));
    std::string line;
    while (std::getline(in, line)) {
      const json l = json::parse(line);
      if (l.contains("index") && l["role"] == "player" && l.value("team", "") == "cert-de" &&
          l["time"].get<double>() >= 5400)
        ++de_after;
    }
    REQUIRE(de_after > 0);
    const CliOutput w =
        report_cli("whatif " + journal +
                   " --at 1h30m --replace --json --command '{\"as\":\"player:cert-de\",\"command\":"
                   "{\"type\":\"action\",\"action\":\"isolate\",\"target\":\"node:de-fs-restricted\"}}'");
    INFO(w.err);
    REQUIRE(w.status == 0);
    const json r = json::parse(w.out);
    CHECK(r["recorded_replaced"] == de_after);
    CHECK(r["replace"] == true);
    CHECK(r["delta"]["exfiltrated_mb_by_campaign/apt-de"] == -450.0);
  }
}
