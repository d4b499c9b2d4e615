/* cyberex report and cyberex whatif on bad input: missing, empty, foreign, torn and broken journals, a journal whose
 * scenario is gone, bad options and rejected alternatives give exact messages and never crash. */
#include "journal_seal.hpp"
#include "report_support.hpp"

#include "cyberex/journal.hpp"

#include <nlohmann/json.hpp>

namespace {

using namespace cyberex::test;

/// The journal with line `n` (1-based) replaced by `text`.
std::string with_line(const std::string& journal, std::size_t n, const std::string& text)
{
  std::istringstream in(slurp(journal));
  std::string line, out;
  for (std::size_t i = 1; std::getline(in, line); ++i)
    out += (i == n ? text : line) + "\n";
  return out;
}

} // namespace

TEST_SUITE("report-errors")
{
  TEST_CASE("journals that cannot be read")
  {
    const CliOutput missing = report_cli("report /nonexistent/journal.jsonl");
    CHECK(missing.status == 2);
    CHECK(missing.err == "cyberex report: /nonexistent/journal.jsonl: cannot read the journal\n");

    const std::string empty = scratch("empty.jsonl");
    spit(empty, "");
    const CliOutput e = report_cli("report " + empty);
    CHECK(e.status == 2);
    CHECK(e.err == "cyberex report: " + empty + ":1: expected the journal header; the file is empty\n");

    const CliOutput foreign = report_cli(std::string("report ") + ca2011);
    CHECK(foreign.status == 2);
    CHECK(foreign.err == std::string("cyberex report: ") + ca2011 +
                             ":1: expected the journal header {\"cyberex_journal\":4,...}: this is not a cyberex "
                             "journal\n");

    const std::string broken = scratch("broken.jsonl");
    spit(broken, with_line(ca2011_journal(), 100, "{\"seq\":99,\"broken\""));
    const CliOutput b = report_cli("report " + broken);
    CHECK(b.status == 2);
    CHECK(b.err == "cyberex report: " + broken +
                       ":100: expected one JSON object: a command {\"index\":...}, a record {\"seq\":...}, a mark "
                       "{\"mark\":...} or the end {\"end\":...}\n");

    const std::string header_only = scratch("header-only.jsonl");
    const std::string text = slurp(ca2011_journal());
    spit(header_only, text.substr(0, text.find('\n') + 1));
    const CliOutput h = report_cli("report " + header_only);
    CHECK(h.status == 2);
    CHECK(h.err ==
          "cyberex report: " + header_only + ": the journal holds no record after its header: nothing to report\n");
  }

  TEST_CASE("a torn last line is dropped with a warning and the report is still written")
  {
    const std::string text = slurp(ca2011_journal());
    const std::string torn = scratch("torn.jsonl");
    std::size_t lines = 0;
    for (char c : text)
      lines += c == '\n';
    // the end line loses its tail: the server stopped while writing it, after its last durable point (the line
    // before)
    journal_test::seal_journal(text.substr(0, text.size() - 10), ca2011_journal(), torn, lines - 1);
    const auto full = cyberex::read_journal(ca2011_journal());
    REQUIRE(full);
    const std::string out = scratch("torn.html");
    const CliOutput r = report_cli("report " + torn + " -o " + out);
    CHECK(r.status == 0);
    CHECK(r.err == "cyberex report: warning: " +
                       journal_test::torn_warning(torn, lines, lines - 1, full->commands.size(), full->records.size()) +
                       "\n");
    const std::string html = slurp(out);
    CHECK(html.find("<b>no end line</b>") != std::string::npos);
    CHECK(html.find("dropped a torn last line") != std::string::npos);
  }

  TEST_CASE("a journal whose scenario cannot be found")
  {
    const std::string text = slurp(ca2011_journal());
    const std::string gone = scratch("gone.jsonl");
    std::string header = text.substr(0, text.find('\n'));
    header.replace(header.find(ca2011), std::string(ca2011).size(), "scenarios/gone.json");
    spit(gone, header + text.substr(text.find('\n')));
    const CliOutput r = report_cli("report " + gone);
    CHECK(r.status == 2);
    CHECK(r.err == "cyberex report: scenarios/gone.json: cannot read the scenario of " + gone +
                       " (the path in its header; give the file with --scenario FILE)\n");
    const CliOutput s = report_cli("report " + gone + " --scenario " + ca2011 + " --format json");
    CHECK(s.status == 0);
  }

  TEST_CASE("bad options")
  {
    const CliOutput f = report_cli("report " + ca2011_journal() + " --format pdf");
    CHECK(f.status == 1);
    CHECK(f.err == "cyberex report: --format expects html, md, json, navigator, stix, ip-csv or ip-xlsx, got 'pdf'\n");
    const CliOutput n = report_cli("report");
    CHECK(n.status == 1);
    CHECK(n.err.find("cyberex report: a journal file is required\n") != std::string::npos);
    const CliOutput w = report_cli("report " + ca2011_journal() + " -o /nonexistent/dir/aar.html");
    CHECK(w.status == 3);
    CHECK(w.err == "cyberex report: /nonexistent/dir/aar.html: cannot write the report\n");
  }

  TEST_CASE("what-if: bad times, bad commands, rejected alternatives")
  {
    const std::string j = ca2011_journal();
    const std::string isolate_fs =
        "'{\"as\":\"player:cert-de\",\"command\":{\"type\":\"action\",\"action\":\"isolate\",\"target\":\"node:"
        "it-fs-restricted\"}}'";
    const CliOutput late = report_cli("whatif " + j + " --at 9h --command " + isolate_fs);
    CHECK(late.status == 1);
    CHECK(late.err == "cyberex whatif: --at 9h00m is after the end of the journal (8h00m)\n");

    const CliOutput owner = report_cli("whatif " + j + " --at 1h30m --command " + isolate_fs);
    CHECK(owner.status == 1);
    CHECK(owner.err == "cyberex whatif: --command 1 (player:cert-de at 1h30m) was rejected: "
                       "{\"id\":\"\",\"ok\":false,\"error\":{\"code\":\"not-owner\",\"message\":\"(/target) "
                       "\\\"node:it-fs-restricted\\\" is not an asset of team \\\"cert-de\\\": a player team acts on "
                       "its own nodes\"}}\n");

    const CliOutput as = report_cli("whatif " + j + " --at 1h --command '{\"as\":\"cert-de\",\"command\":{}}'");
    CHECK(as.status == 1);
    CHECK(as.err == "cyberex whatif: --command 1: (/as) expected \"controller\", \"evaluator\", \"observer\" or "
                    "\"player:TEAM\"; got \"cert-de\"\n");

    const CliOutput notjson = report_cli("whatif " + j + " --at 1h --command nope");
    CHECK(notjson.status == 1);
    CHECK(notjson.err ==
          "cyberex whatif: --command 1: expected one JSON object {\"as\":\"player:TEAM\",\"command\":{...}}\n");

    const CliOutput nocmd = report_cli("whatif " + j + " --at 1h --command '{\"as\":\"player:cert-de\"}'");
    CHECK(nocmd.status == 1);
    CHECK(nocmd.err == "cyberex whatif: --command 1: (/command) expected a protocol command object such as "
                       "{\"type\":\"action\",...}\n");

    const CliOutput noat = report_cli("whatif " + j + " --command " + isolate_fs);
    CHECK(noat.status == 1);
    CHECK(noat.err == "cyberex whatif: --at TIME is required: when the alternative commands are applied\n");

    const CliOutput missing = report_cli("whatif /nonexistent.jsonl --at 1h --command " + isolate_fs);
    CHECK(missing.status == 2);
    CHECK(missing.err == "cyberex whatif: /nonexistent.jsonl: cannot read the journal\n");
  }

  TEST_CASE("records whose details hold any JSON: the report is written (found by the journal fuzz target)")
  {
    // an official assessment without "levels" (its JSON report read past the end of the details: UB), a leaderboard
    // whose "teams" are not all objects (uncaught type_error.305) and one whose entries lack "rank" and "total" (the
    // renderers read past the end of the entry: UB, an assertion under scripts/asan.sh)
    const std::string j = scratch("odd-details.jsonl");
    spit(j, "{\"cyberex_journal\":2,\"scenario\":\"scenarios/tutorial/tutorial.json\",\"scenario_hash\":"
            "\"fnv1a64:0000000000000000\",\"seed\":1,\"version\":\"0.1.0\",\"origin\":\"play\"}\n"
            "{\"seq\":1,\"time\":60,\"kind\":\"exercise\",\"type\":\"official_assessment\",\"subject\":"
            "\"exercise\",\"details\":{\"incident\":\"inc-1\",\"score\":50},\"audience\":\"control\"}\n"
            "{\"seq\":2,\"time\":120,\"kind\":\"exercise\",\"type\":\"leaderboard\",\"subject\":\"exercise\","
            "\"details\":{\"teams\":[1,\"x\",[],{\"team\":\"cert-gov\",\"total\":5},{\"team\":\"cert-energy\"}]},"
            "\"audience\":\"control\"}\n");
    const std::string out = scratch("odd-details.json");
    const CliOutput r = report_cli("report " + j + " --format json -o " + out);
    CHECK(r.status == 0);
    const auto aar = nlohmann::json::parse(slurp(out), nullptr, false);
    REQUIRE(aar.is_object());
    CHECK(aar["assessments"].dump() ==
          R"([{"incident":"inc-1","official":50.0,"official_levels":null,"official_time":60.0,"teams":[]}])");
    CHECK(aar["leaderboard"].dump() ==
          R"([{"expectations":null,"metrics":null,"name":"Agency CERT","rank":null,"ratings":null,)"
          R"("team":"cert-gov","total":5},{"expectations":null,"metrics":null,"name":"Utility CSIRT",)"
          R"("rank":null,"ratings":null,"team":"cert-energy","total":null}])");
    for (const char* format : {"md", "html"})
      CHECK(report_cli("report " + j + " --format " + format + " -o " + scratch("odd-details.out")).status == 0);
  }
}
