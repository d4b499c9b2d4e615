/* cyberex msel: the command's exit statuses and messages (docs/interchange.md, "MSEL spreadsheets"). */
#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <filesystem>

namespace {
const std::string CA = std::string(CYBEREX_SOURCE_DIR) + "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";
} // namespace

TEST_SUITE("msel-cli")
{
  TEST_CASE("export, import, --help")
  {
    const std::string dir = cli_test::temp_dir("msel-cli");
    auto o = cli_test::run_cyberex("msel --help");
    CHECK(o.status == 0);
    CHECK(o.out.rfind("usage: cyberex msel export SCENARIO -o FILE.xlsx|FILE.csv\n", 0) == 0);

    o = cli_test::run_cyberex("msel export " + CA + " -o " + dir + "/ca.xlsx");
    CHECK(o.status == 0);
    CHECK(o.err == "cyberex msel: 67 injects written to " + dir + "/ca.xlsx\n");
    o = cli_test::run_cyberex("msel import " + dir + "/ca.xlsx --scenario " + CA + " -o " + dir + "/f.json");
    CHECK(o.status == 0);
    CHECK(o.err == "cyberex msel: 67 injects written to " + dir + "/f.json\n");
    CHECK(cli_test::slurp(dir + "/f.json").rfind("{\n  \"msel\": [\n    {\n      \"id\": \"m1-startex\",\n", 0) == 0);

    // to stdout; the same fragment as the file
    o = cli_test::run_cyberex("msel import " + dir + "/ca.xlsx");
    CHECK(o.status == 0);
    CHECK(o.out == cli_test::slurp(dir + "/f.json"));
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("errors: every problem of the sheet, located, exit 2; usage errors exit 1")
  {
    const std::string dir = cli_test::temp_dir("msel-cli");
    cli_test::spit(dir + "/bad.csv", "Notes\nID,Time,Move,Title\na,D+x,move-1,One\nb,M+5,move-7,Two\n");
    auto o = cli_test::run_cyberex("msel import " + dir + "/bad.csv --scenario " + CA + " --start 09:00");
    CHECK(o.status == 2);
    CHECK(o.out == "");
    CHECK(o.err == dir +
                       "/bad.csv:3:B: error: [msel.time] time 'D+x' is not a time: expected 'D+1 H+2 M+30' (days, "
                       "hours, minutes, seconds from the start of the move, or of the exercise), 'T+2' or 'T-1' "
                       "(hours), 'M-5', a duration such as '2h30m', or a clock time such as '09:05'\n" +
                       dir +
                       "/bad.csv:4:C: error: [msel.unknown-move] no move 'move-7' in the scenario; did you mean "
                       "'move-1'? (its moves: 'move-1', 'move-2', 'move-3')\n");
    o = cli_test::run_cyberex("msel import " + dir + "/bad.csv --start 9h");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex msel: --start expects a clock time HH:MM, got '9h'\n");
    o = cli_test::run_cyberex("msel convert x.csv");
    CHECK(o.status == 1);
    CHECK(o.err.rfind("cyberex msel: unknown action 'convert': expected 'export' or 'import'\n", 0) == 0);
    o = cli_test::run_cyberex("msel export " + CA);
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex msel: export needs -o FILE.xlsx or -o FILE.csv\n");
    std::filesystem::remove_all(dir);
  }
}
