/* MSEL spreadsheets (docs/interchange.md, "MSEL spreadsheets"): export -> import round trip of every shipped
 * scenario in CSV and xlsx, OpenAEV's workbook layout, malformed spreadsheets rejected with located messages. */
#include "cli_support.hpp"

#include "cyberex/msel.hpp"
#include "cyberex/scenario.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

using nlohmann::json;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

const std::string SRC = CYBEREX_SOURCE_DIR;
const std::string TUTORIAL = SRC + "/scenarios/tutorial/tutorial.json";

const std::vector<std::string> SHIPPED = {
    SRC + "/scenarios/tutorial/tutorial.json",
    SRC + "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json",
    SRC + "/scenarios/cyber-europe-2012/cyber-europe-2012.json",
    SRC + "/scenarios/grid-ieee9/grid-ieee9.json",
};

/// The injects of a scenario as written in its files: the main file's, then each include's, depth first.
void collect_msel(const std::string& path, json& out)
{
  std::ifstream in(path);
  const json doc = json::parse(in);
  if (doc.contains("msel"))
    for (const auto& i : doc["msel"])
      out.push_back(i);
  if (doc.contains("include"))
    for (const auto& inc : doc["include"])
      collect_msel((fs::path(path).parent_path() / inc.get<std::string>()).string(), out);
}

/// The scenario at `path` with its MSEL replaced by the fragment at `fragment`: its own "msel" dropped, its includes
/// that hold only an MSEL dropped, the fragment included.
cyberex::LoadResult load_with_fragment(const std::string& path, const std::string& fragment)
{
  std::ifstream in(path);
  ordered_json doc = ordered_json::parse(in);
  doc.erase("msel");
  ordered_json includes = ordered_json::array();
  if (doc.contains("include"))
    for (const auto& inc : doc["include"]) {
      std::ifstream f(fs::path(path).parent_path() / inc.get<std::string>());
      const json part = json::parse(f);
      if (!(part.size() == 1 && part.contains("msel")))
        includes.push_back(inc);
    }
  includes.push_back(fragment);
  doc["include"] = includes;
  return cyberex::load_scenario_text(path, doc.dump(2));
}

std::string errors_of(const cyberex::msel::ImportResult& r, bool notes = false)
{
  std::string s;
  for (const auto& d : r.diagnostics)
    if (notes || d.severity == cyberex::Diagnostic::Severity::error)
      s += d.format() + "\n";
  return s;
}

/// A zip of the given parts (name -> bytes), written with libzip.
void write_zip(const std::string& path, const std::map<std::string, std::string>& parts)
{
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z != nullptr);
  for (const auto& [name, bytes] : parts) {
    // libzip reads the buffer when the archive is closed: keep a copy it owns
    void* copy = std::malloc(bytes.size() + 1);
    std::memcpy(copy, bytes.data(), bytes.size());
    zip_source_t* src = zip_source_buffer(z, copy, bytes.size(), 1);
    REQUIRE(src != nullptr);
    REQUIRE(zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8) >= 0);
  }
  REQUIRE(zip_close(z) == 0);
}

const std::string WORKBOOK = R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="MSEL" sheetId="1" r:id="rId1"/></sheets></workbook>)";
const std::string RELS = R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>)";

/// A worksheet part whose sheetData is `rows`.
std::string sheet_xml(const std::string& rows)
{
  return R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" + rows +
         "</sheetData></worksheet>";
}

std::string inline_cell(const std::string& ref, const std::string& text)
{
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

const std::string HEADER_ROW = "<row r=\"1\">" + inline_cell("A1", "ID") + inline_cell("B1", "Time") +
                               inline_cell("C1", "To") + inline_cell("D1", "Title") + "</row>";

} // namespace

TEST_SUITE("msel-roundtrip")
{
  TEST_CASE("export then import gives back every shipped scenario's MSEL, in CSV and xlsx")
  {
    const std::string dir = cli_test::temp_dir("msel-rt");
    for (const auto& scenario : SHIPPED) {
      json expected = json::array();
      collect_msel(scenario, expected);
      const auto loaded = cyberex::load_scenario(scenario);
      REQUIRE(loaded.ok());
      REQUIRE(expected.size() == loaded.scenario->msel.size());
      for (const char* ext : {"csv", "xlsx"}) {
        CAPTURE(scenario);
        CAPTURE(ext);
        const std::string sheet = dir + "/msel." + ext;
        const auto exported = cyberex::msel::export_msel(scenario, sheet);
        REQUIRE(exported.ok());
        CHECK(exported.injects == expected.size());
        // without a scenario (teams kept as ids) and with it (teams and moves checked): the same fragment
        const auto bare = cyberex::msel::import_msel(sheet);
        cyberex::msel::ImportOptions with;
        with.scenario = scenario;
        const auto checked = cyberex::msel::import_msel(sheet, with);
        REQUIRE_MESSAGE(bare.ok(), errors_of(bare));
        REQUIRE_MESSAGE(checked.ok(), errors_of(checked));
        CHECK(errors_of(checked, true) == "");
        CHECK(bare.fragment == checked.fragment);
        const json fragment = json::parse(checked.fragment);
        CHECK(fragment.size() == 1); // no team created
        const json& got = fragment.at("msel");
        REQUIRE(got.size() == expected.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
          CAPTURE(expected[i]["id"]);
          for (const auto& [key, value] : expected[i].items()) {
            CAPTURE(key);
            CHECK(got[i].value(key, json()) == value);
          }
          CHECK(got[i].size() == expected[i].size());
        }
        const std::string fragment_path = dir + "/fragment-" + ext + ".json";
        cli_test::spit(fragment_path, checked.fragment);
        const auto replaced = load_with_fragment(scenario, fragment_path);
        std::string problems;
        for (const auto& d : replaced.diagnostics.items())
          if (d.severity == cyberex::Diagnostic::Severity::error)
            problems += d.format() + "\n";
        CHECK_MESSAGE(replaced.ok(), problems);
        if (replaced.ok())
          CHECK(replaced.scenario->msel.size() == expected.size());
      }
    }
    fs::remove_all(dir);
  }

  TEST_CASE("two exports of one scenario are the same bytes")
  {
    const std::string dir = cli_test::temp_dir("msel-det");
    const std::string ca = SHIPPED[1];
    for (const char* ext : {"csv", "xlsx"}) {
      const std::string a = dir + "/a." + ext, b = dir + "/b." + ext;
      REQUIRE(cyberex::msel::export_msel(ca, a).ok());
      REQUIRE(cyberex::msel::export_msel(ca, b).ok());
      const std::string bytes = cli_test::slurp(a);
      CHECK(bytes.size() > 1000);
      CHECK(bytes == cli_test::slurp(b));
    }
    fs::remove_all(dir);
  }

  TEST_CASE("the CSV export quotes what needs quoting (RFC 4180)")
  {
    const std::string dir = cli_test::temp_dir("msel-csv");
    REQUIRE(cyberex::msel::export_msel(TUTORIAL, dir + "/t.csv").ok());
    const std::string csv = cli_test::slurp(dir + "/t.csv");
    // header, then the first inject (tutorial.json, msel[0]): its recipients share a quoted cell
    CHECK(csv.rfind("ID,Move,Time,Seconds,Type,Channel,From,To,Hidden,Title,Content,Trigger,Delay,Not before,Skip "
                    "if,Expires,Expectations\r\n"
                    "inj-01,move-1,H+0 M+15,900,information,news,Press agency,\"cert-gov, cert-energy\",,",
                    0) == 0);
    // the triggered inj-03: no Seconds, its trigger as JSON with doubled quotes
    CHECK(csv.find("\r\ninj-03,,,,,intelligence-report,Partner intelligence service,cert-gov,,Agency documents traded "
                   "online,") != std::string::npos);
    CHECK(csv.find(",\"{\"\"exfiltrated_over\"\":\"\"100MB\"\",\"\"campaign\"\":\"\"apt-docs\"\"}\",5m,") !=
          std::string::npos);
    fs::remove_all(dir);
  }
}

TEST_SUITE("msel-openaev")
{
  TEST_CASE("OpenAEV's layout: title row, table right of column A, sections, mixed times, teams by name")
  {
    const std::string dir = cli_test::temp_dir("msel-oaev");
    const std::string path = dir + "/openaev.xlsx";
    {
      lxw_workbook* wb = workbook_new(path.c_str());
      lxw_worksheet* ws = workbook_add_worksheet(wb, "Injects");
      worksheet_write_string(ws, 0, 0, "Blackout drill - MSEL", nullptr);
      const char* header[] = {"Timing",
                              "Teams",
                              "Subject",
                              "Content",
                              "Expectation name",
                              "Expectation description",
                              "Expectation score",
                              "Inject type"};
      for (int c = 0; c < 8; ++c)
        worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c + 1), header[c], nullptr);
      worksheet_write_string(ws, 3, 1, "Intrusion", nullptr); // section: move-1's title
      worksheet_write_string(ws, 4, 1, "D+0 H+1 M+30", nullptr);
      worksheet_write_string(ws, 4, 2, "Agency CERT, IT Ops", nullptr);
      worksheet_write_string(ws, 4, 3, "Suspicious mail", nullptr);
      worksheet_write_string(ws, 4, 4, "Staff report a lure.", nullptr);
      worksheet_write_string(ws, 4, 5, "Block sender", nullptr);
      worksheet_write_string(ws, 4, 6, "at the mail gateway", nullptr);
      worksheet_write_number(ws, 4, 7, 10, nullptr);
      worksheet_write_string(ws, 4, 8, "Send individual mails", nullptr);
      worksheet_write_string(ws, 5, 1, "T+2", nullptr);
      worksheet_write_string(ws, 5, 2, "cert-energy", nullptr);
      worksheet_write_string(ws, 5, 3, "Plant alarm", nullptr);
      worksheet_write_string(ws, 5, 4, "SCADA alarms.", nullptr);
      worksheet_write_string(ws, 6, 1, "Grid", nullptr); // section: move-2 (offset 4h)
      worksheet_write_string(ws, 7, 1, "13:05", nullptr);
      worksheet_write_string(ws, 7, 2, "SOC", nullptr);
      worksheet_write_string(ws, 7, 3, "Grid call", nullptr);
      worksheet_write_number(ws, 8, 1, 0.5625, nullptr); // an Excel time: 13:30
      worksheet_write_string(ws, 8, 2, "IT Ops; SOC", nullptr);
      worksheet_write_string(ws, 8, 3, "Press asks", nullptr);
      worksheet_write_string(ws, 9, 1, "Notes for evaluators", nullptr); // a section naming no move
      worksheet_write_string(ws, 10, 1, "H+7", nullptr);
      worksheet_write_string(ws, 10, 2, "White Cell", nullptr);
      worksheet_write_string(ws, 10, 3, "Wrap-up", nullptr);
      REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
    }
    cyberex::msel::ImportOptions options;
    options.scenario = TUTORIAL; // starts 09:00; move-1 "Intrusion" at 0s, move-2 "Grid" at 4h
    const auto r = cyberex::msel::import_msel(path, options);
    REQUIRE_MESSAGE(r.ok(), errors_of(r, true));
    CHECK(errors_of(r, true) ==
          path +
              ":5:C: note: [msel.new-team] team 'IT Ops' is not in the scenario: the fragment creates it as "
              "'it-ops'\n" +
              path +
              ":8:C: note: [msel.new-team] team 'SOC' is not in the scenario: the fragment creates it as 'soc'\n");
    const json expected = json::parse(R"({
      "teams": [ {"id": "it-ops", "name": "IT Ops", "role": "player"}, {"id": "soc", "name": "SOC", "role": "player"} ],
      "msel": [
        {"id": "inj-5", "move": "move-1", "time": "D+0 H+1 M+30", "channel": "Send individual mails",
         "to": ["cert-gov", "it-ops"], "title": "Suspicious mail", "content": "Staff report a lure.",
         "expectations": [
           {"id": "inj-5-exp-cert-gov", "team": "cert-gov", "description": "Block sender: at the mail gateway",
            "met_by": {"action": "report", "team": "cert-gov"}, "points": 10},
           {"id": "inj-5-exp-it-ops", "team": "it-ops", "description": "Block sender: at the mail gateway",
            "met_by": {"action": "report", "team": "it-ops"}, "points": 10} ] },
        {"id": "inj-6", "move": "move-1", "time": "H+2", "to": ["cert-energy"], "title": "Plant alarm",
         "content": "SCADA alarms."},
        {"id": "inj-8", "move": "move-2", "time": "M+5", "to": ["soc"], "title": "Grid call"},
        {"id": "inj-9", "move": "move-2", "time": "M+30", "to": ["it-ops", "soc"], "title": "Press asks"},
        {"id": "inj-11", "time": "H+7", "to": ["white-cell"], "title": "Wrap-up"}
      ] })");
    CHECK(json::parse(r.fragment) == expected);
    // the fragment joins the tutorial: its new teams and injects load without error
    const std::string fragment = dir + "/fragment.json";
    cli_test::spit(fragment, r.fragment);
    std::ifstream in(TUTORIAL);
    ordered_json doc = ordered_json::parse(in);
    doc["include"] = ordered_json::array({fragment});
    const auto loaded = cyberex::load_scenario_text(TUTORIAL, doc.dump());
    std::string problems;
    for (const auto& d : loaded.diagnostics.items())
      if (d.severity == cyberex::Diagnostic::Severity::error)
        problems += d.format() + "\n";
    CHECK_MESSAGE(loaded.ok(), problems);
    if (loaded.ok()) {
      CHECK(loaded.scenario->msel.size() == 6 + 5);
      CHECK(loaded.scenario->msel[6 + 2].time == doctest::Approx(4 * 3600 + 5 * 60)); // inj-8 at 13:05
    }
    fs::remove_all(dir);
  }

  TEST_CASE("--start places clock times; Crucible's seconds, hidden and from columns")
  {
    const std::string dir = cli_test::temp_dir("msel-cru");
    const std::string path = dir + "/blueprint.csv";
    cli_test::spit(path, "\xEF\xBB\xBFMove;Seconds;Hidden from players;From;To;Subject;Time\r\n"
                         ";5400;yes;Exercise Control;cert;Status call;\r\n"
                         ";;no;Press;cert;Press call;10:15\r\n");
    cyberex::msel::ImportOptions options;
    options.start = 10 * 3600;
    const auto r = cyberex::msel::import_msel(path, options);
    REQUIRE_MESSAGE(r.ok(), errors_of(r, true));
    CHECK(json::parse(r.fragment) == json::parse(R"({"msel": [
      {"id": "inj-2", "time": "H+1 M+30", "from": "Exercise Control", "to": ["cert"], "hidden": true,
       "title": "Status call"},
      {"id": "inj-3", "time": "M+15", "from": "Press", "to": ["cert"], "hidden": false, "title": "Press call"} ]})"));
    fs::remove_all(dir);
  }
}

TEST_SUITE("msel-errors")
{
  struct Case {
    const char* name;
    const char* ext;
    std::string bytes;     ///< the file (CSV text, or a zip built below)
    std::string expected;  ///< every error, "F" standing for the file's path
    bool scenario = false; ///< import with --scenario tutorial
    cyberex::msel::Limits limits = {};
  };

  std::string replace_f(std::string s, const std::string& path)
  {
    for (std::size_t at = s.find("F:"); at != std::string::npos; at = s.find("F:", at + path.size()))
      if (at == 0 || s[at - 1] == '\n')
        s.replace(at, 1, path);
    return s;
  }

  void check_rejected(const Case& c)
  {
    CAPTURE(c.name);
    const std::string dir = cli_test::temp_dir("msel-bad");
    const std::string path = dir + "/bad." + c.ext;
    cli_test::spit(path, c.bytes);
    cyberex::msel::ImportOptions options;
    if (c.scenario)
      options.scenario = TUTORIAL;
    options.limits = c.limits;
    const auto r = cyberex::msel::import_msel(path, options);
    CHECK_FALSE(r.ok());
    CHECK(r.fragment.empty());
    CHECK(errors_of(r) == replace_f(c.expected, path));
    fs::remove_all(dir);
  }

  const std::string CSV_HEAD = "ID,Time,To,Title\n";
  const std::string FORMS = "expected 'D+1 H+2 M+30' (days, hours, minutes, seconds from the start of the move, or "
                            "of the exercise), 'T+2' or 'T-1' (hours), 'M-5', a duration such as '2h30m', or a clock "
                            "time such as '09:05'";

  TEST_CASE("bad times: every one reported, located at its cell")
  {
    check_rejected({"times", "csv",
                    CSV_HEAD + "a,D+x,cert,One\nb,T+,cert,Two\nc,25:99,cert,Three\nd,,cert,Four\ne,T-1,cert,Five\n"
                               "f,09:05,cert,Six\n",
                    "F:2:B: error: [msel.time] time 'D+x' is not a time: " + FORMS + "\n" +
                        "F:3:B: error: [msel.time] time 'T+' is not a time: " + FORMS + "\n" +
                        "F:4:B: error: [msel.time] time '25:99' is not a clock time: expected HH:MM with hours 00 to "
                        "23 and minutes 00 to 59\n" +
                        "F:5:B: error: [msel.time] the inject has no time: expected a time such as 'D+1 H+2 M+30' "
                        "(days, hours, minutes, seconds from the start of the move, or of the exercise), 'T+2' or "
                        "'T-1' (hours), 'M-5', a duration such as '2h30m', or a clock time such as '09:05', a "
                        "Trigger, or the Type 'contingency'\n" +
                        "F:6:B: error: [msel.time] time 'T-1' is 1h before the start of its move (or of the "
                        "exercise): a time counts forward from there\n" +
                        "F:7:B: error: [msel.time] time '09:05' is a clock time: give --start HH:MM or --scenario, "
                        "which say when the exercise starts\n"});
  }

  TEST_CASE("a clock time before its move, an unknown move (with --scenario)")
  {
    check_rejected({"move", "csv", "ID,Move,Time,To,Title\na,move-2,12:00,cert-gov,Early\nb,move-9,M+5,cert-gov,Lost\n",
                    "F:2:C: error: [msel.time] time '12:00' is before the start of move 'move-2' (4h after the "
                    "exercise start)\n"
                    "F:3:B: error: [msel.unknown-move] no move 'move-9' in the scenario; did you mean 'move-1'? (its "
                    "moves: 'move-1', 'move-2')\n",
                    true});
  }

  TEST_CASE("missing, duplicate and absent header columns")
  {
    check_rejected({"no time column", "csv", "ID,To,Title\na,cert,One\n",
                    "F:1: error: [msel.missing-column] no column for the injects' time: expected a column named Time "
                    "(or Timing), Seconds or Trigger\n"});
    check_rejected({"no title column", "csv", "ID,Time,To\na,M+5,cert\n",
                    "F:1: error: [msel.missing-column] no column for the injects' title: expected a column named "
                    "Title or Subject\n"});
    check_rejected({"duplicate column", "csv", "ID,Time,Title,time\na,M+5,One,M+6\n",
                    "F:1:D: error: [msel.duplicate-column] column 'time' repeats column B: each column may appear "
                    "once\n"});
    check_rejected({"no header", "csv", "Exercise plan\nnothing here\n",
                    "F: error: [msel.no-header] no header row: expected a row naming at least two MSEL columns (such "
                    "as Time and Title) in the first 50 rows\n"});
  }

  TEST_CASE("bad values: type, hidden, delay, trigger JSON, expectation score, duplicate id")
  {
    check_rejected({"values", "csv",
                    "ID,Time,Type,Hidden,Delay,Trigger,Title,Expectation score,To\n"
                    "a,M+5,alert,,,,One,,cert\n"
                    "b,M+5,,maybe,,,Two,,cert\n"
                    "c,,,,5 min,\"{\"\"inject_delivered\"\": \"\"a\"\"}\",Three,,cert\n"
                    "d,,,,,\"{\"\"inject_delivered\"\": }\",Four,,cert\n"
                    "e,,,,,[1],Five,,cert\n"
                    "f,M+5,,,,,Six,lots,cert\n"
                    "a,M+6,,,,,Seven,,cert\n",
                    "F:2:C: error: [msel.type] type 'alert' is not an inject type: expected inject, information, "
                    "facilitation or contingency\n"
                    "F:3:D: error: [msel.hidden] hidden 'maybe' is not yes or no: expected true, false, yes, no, x or "
                    "an empty cell\n"
                    "F:4:E: error: [msel.duration] delay '5 min' is not a duration: expected a duration such as "
                    "\"90s\", \"15m\", \"2h30m\"\n"
                    "F:5:F: error: [msel.json] trigger is not JSON: [json.exception.parse_error.101] parse error at "
                    "line 1, column 22: syntax error while parsing value - unexpected '}'; expected '[', '{', or a "
                    "literal; expected a JSON object, a trigger such as {\"inject_delivered\": \"inj-01\"}\n"
                    "F:6:F: error: [msel.json] trigger is JSON array: expected a JSON object, a trigger such as "
                    "{\"inject_delivered\": \"inj-01\"}\n"
                    "F:7:H: error: [msel.score] expectation score 'lots' is not a number from 0 to 1000000\n"
                    "F:8:A: error: [msel.duplicate-id] inject id 'a' repeats the inject of row 2\n"});
  }

  TEST_CASE("broken CSV: unterminated quote, text after a closing quote, not UTF-8, a huge cell, too many rows")
  {
    check_rejected({"unterminated", "csv", CSV_HEAD + "a,M+5,cert,\"Hello\nb,M+6,cert,World\n",
                    "F:2:D: error: [msel.csv] the quoted cell is not closed: the file ends inside it (a '\"' is "
                    "missing)\n"});
    check_rejected({"after quote", "csv", CSV_HEAD + "a,M+5,cert,\"Hel\"lo\n",
                    "F:2:D: error: [msel.csv] unexpected 'l' after the closing quote: expected the separator ',' or "
                    "the end of the line (a quote inside a quoted cell is doubled: \"\")\n"});
    check_rejected({"latin-1", "csv", CSV_HEAD + "a,M+5,cert,Caf\xe9\n",
                    "F:2:D: error: [msel.encoding] the cell is not UTF-8 text: save the spreadsheet as CSV UTF-8\n"});
    check_rejected({"huge cell", "csv", CSV_HEAD + "a,M+5,cert," + std::string(40000, 'x') + "\n",
                    "F:2:D: error: [msel.huge-cell] the cell holds more than 32767 characters, the limit\n"});
    std::string many = CSV_HEAD;
    for (int i = 0; i < 100000; ++i)
      many += "x\n";
    check_rejected(
        {"huge sheet", "csv", many, "F:100001: error: [msel.huge-sheet] the sheet has more than 100000 rows\n"});
  }

  TEST_CASE("broken xlsx: not a zip, missing parts, truncated XML, DOCTYPE, bad shared string, zip bomb, huge rows")
  {
    const std::string dir = cli_test::temp_dir("msel-zip");
    auto zip_bytes = [&](const std::map<std::string, std::string>& parts) {
      write_zip(dir + "/z.zip", parts);
      return cli_test::slurp(dir + "/z.zip");
    };
    check_rejected({"not a zip", "xlsx", "PK\x03\x04 this is not really a zip archive",
                    "F: error: [msel.xlsx] not an xlsx workbook: it is not a zip archive (Not a zip archive)\n"});
    check_rejected({"no workbook", "xlsx", zip_bytes({{"hello.txt", "hello"}}),
                    "F: error: [msel.xlsx] the workbook has no part xl/workbook.xml: not an xlsx workbook, or a "
                    "damaged one\n"});
    check_rejected({"no sheet", "xlsx",
                    zip_bytes({{"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", RELS}}),
                    "F: error: [msel.xlsx] sheet 'MSEL' (xl/worksheets/sheet1.xml) is missing from the workbook\n"});
    const std::string truncated = sheet_xml(HEADER_ROW).substr(0, 150);
    check_rejected({"truncated", "xlsx",
                    zip_bytes({{"xl/workbook.xml", WORKBOOK},
                               {"xl/_rels/workbook.xml.rels", RELS},
                               {"xl/worksheets/sheet1.xml", truncated}}),
                    // expat points at the token left open: the last '<'
                    "F: error: [msel.xml] xl/worksheets/sheet1.xml:1:" + std::to_string(truncated.rfind('<') + 1) +
                        ": unclosed token\n"});
    check_rejected(
        {"doctype", "xlsx",
         zip_bytes({{"xl/workbook.xml", WORKBOOK},
                    {"xl/_rels/workbook.xml.rels", RELS},
                    {"xl/worksheets/sheet1.xml", "<!DOCTYPE lolz [<!ENTITY lol \"lol\">]>\n" + sheet_xml(HEADER_ROW)}}),
         // expat announces the declaration once it has read its name: after "<!DOCTYPE lolz "
         "F: error: [msel.xml] xl/worksheets/sheet1.xml:1:" +
             std::to_string(std::string("<!DOCTYPE lolz ").size() + 1) +
             ": a DOCTYPE is not allowed in a workbook part\n"});
    check_rejected(
        {"shared string", "xlsx",
         zip_bytes({{"xl/workbook.xml", WORKBOOK},
                    {"xl/_rels/workbook.xml.rels", RELS},
                    {"xl/sharedStrings.xml", "<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>"},
                    {"xl/worksheets/sheet1.xml",
                     sheet_xml(HEADER_ROW + "<row r=\"2\">" + inline_cell("A2", "a") + inline_cell("B2", "M+5") +
                               "<c r=\"D2\" t=\"s\"><v>7</v></c></row>")}}),
         "F:2:D: error: [msel.xlsx] shared string index '7' is out of range: the workbook has 2 shared strings\n"});
    const std::string big_sheet = sheet_xml(HEADER_ROW + std::string(5000, ' '));
    check_rejected({"zip bomb", "xlsx",
                    zip_bytes({{"xl/workbook.xml", WORKBOOK},
                               {"xl/_rels/workbook.xml.rels", RELS},
                               {"xl/worksheets/sheet1.xml", big_sheet}}),
                    "F: error: [msel.xlsx] part xl/worksheets/sheet1.xml unpacks to " +
                        std::to_string(big_sheet.size()) + " bytes, more than the limit of 4096 (a zip bomb?)\n",
                    false, cyberex::msel::Limits{.max_part_bytes = 4096}});
    const std::string far_row = sheet_xml(HEADER_ROW + "<row r=\"200000\">" + inline_cell("A200000", "x") + "</row>");
    check_rejected(
        {"huge row number", "xlsx",
         zip_bytes({{"xl/workbook.xml", WORKBOOK},
                    {"xl/_rels/workbook.xml.rels", RELS},
                    {"xl/worksheets/sheet1.xml", far_row}}),
         // located at the <row> element that is too far
         "F: error: [msel.xml] xl/worksheets/sheet1.xml:1:" + std::to_string(far_row.find("<row r=\"200000\">") + 1) +
             ": the sheet has more than 100000 rows (row 200000)\n"});
    check_rejected(
        {"huge xlsx cell", "xlsx",
         zip_bytes({{"xl/workbook.xml", WORKBOOK},
                    {"xl/_rels/workbook.xml.rels", RELS},
                    {"xl/worksheets/sheet1.xml",
                     sheet_xml(HEADER_ROW + "<row r=\"2\">" + inline_cell("A2", "a") + inline_cell("B2", "M+5") +
                               inline_cell("D2", std::string(40000, 'y')) + "</row>")}}),
         "F:2:D: error: [msel.huge-cell] the cell holds more than 32767 characters, the limit\n"});
    check_rejected({"not csv or xlsx", "ods", "whatever", "F: error: [msel.format] expected a .csv or .xlsx file\n"});
    fs::remove_all(dir);
  }
}
