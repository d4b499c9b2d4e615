/* ATT&CK Navigator layers (cyberex report --format navigator, cyberex analyze --format navigator) checked field by
 * field against the layer format 4.5 and against the report's own ATT&CK section, and the HSEEP improvement plan as
 * CSV and xlsx (docs/interchange.md). */
#include "report_support.hpp"

#include "report/aar.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace {

using namespace cyberex::test;
using json = nlohmann::json;

/// The shipped catalog, read here on its own (not through the code under test): technique id -> (domain, tactics).
struct CatalogEntry {
  std::string domain;
  std::vector<std::string> tactics; ///< the catalog's order
  bool has(const std::string& tactic) const
  {
    return std::find(tactics.begin(), tactics.end(), tactic) != tactics.end();
  }
};
const std::map<std::string, CatalogEntry>& catalog()
{
  static std::map<std::string, CatalogEntry> c;
  if (c.empty()) {
    const json root = json::parse(slurp(std::string(CYBEREX_SOURCE_DIR) + "/data/attack/attack-catalog.json"));
    for (const auto& [domain, body] : root["domains"].items())
      for (const auto& t : body["techniques"])
        c[t["id"].get<std::string>()] = {domain + "-attack", t["tactics"].get<std::vector<std::string>>()};
  }
  return c;
}

/// Score and colour of each report status, as docs/interchange.md states them.
const std::map<std::string, std::pair<int, std::string>> style = {
    {"not used", {0, "#aab7b8"}},
    {"missed", {1, "#c0392b"}},
    {"detected", {2, "#2e86c1"}},
    {"impact before containment", {3, "#d68910"}},
    {"contained before impact", {4, "#1e8449"}},
};

const std::vector<std::string> gradient_colors = {"#aab7b8", "#c0392b", "#2e86c1", "#d68910", "#1e8449"};

/// The fields every layer must have and the format's types (layer format 4.5, property table).
void check_layer_format(const json& l, const std::string& domain)
{
  REQUIRE(l.is_object());
  CHECK(l["name"].is_string());
  CHECK(!l["name"].get<std::string>().empty());
  CHECK(l["domain"] == domain);
  CHECK(l["description"].is_string());
  CHECK(l["versions"] == json{{"attack", "18"}, {"navigator", "4.9.1"}, {"layer", "4.5"}});
  CHECK(l["sorting"] == 0);
  CHECK(l["hideDisabled"] == false);
  CHECK(l["layout"]["layout"] == "side");
  REQUIRE(l["techniques"].is_array());
  CHECK(!l["techniques"].empty());
  for (const auto& t : l["techniques"]) {
    INFO(t.dump());
    const std::string id = t["techniqueID"].get<std::string>();
    REQUIRE(catalog().count(id) == 1);        // a technique of the shipped catalog
    CHECK(catalog().at(id).domain == domain); // of the layer's domain
    if (t.contains("tactic"))                 // a tactic shortname the catalog lists for it
      CHECK(catalog().at(id).has(t["tactic"].get<std::string>()));
    CHECK(t["score"].is_number());
    CHECK(t["comment"].is_string());
    CHECK(t["enabled"] == true);
    for (const auto& m : t["metadata"])
      CHECK((m.contains("divider") || (m["name"].is_string() && m["value"].is_string())));
  }
  REQUIRE(l["gradient"].is_object());
  CHECK(l["gradient"]["colors"].size() >= 2);
  CHECK(l["gradient"]["maxValue"].get<double>() > l["gradient"]["minValue"].get<double>());
  for (const auto& li : l["legendItems"])
    CHECK((li["label"].is_string() && li["color"].is_string()));
  for (const auto& m : l["metadata"])
    CHECK((m.contains("divider") || (m["name"].is_string() && m["value"].is_string())));
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

/// The report's ATT&CK cells (tactic, technique) -> status.
std::map<std::pair<std::string, std::string>, std::string> statuses(const json& attack)
{
  std::map<std::pair<std::string, std::string>, std::string> out;
  for (const auto& tac : attack["tactics"])
    for (const auto& c : tac["techniques"])
      out[{tac["tactic"].get<std::string>(), c["technique"].get<std::string>()}] = c["status"].get<std::string>();
  return out;
}

/// A layer's entries: (tactic, technique) -> (score, colour).
std::map<std::pair<std::string, std::string>, std::pair<int, std::string>> entries(const json& layer)
{
  std::map<std::pair<std::string, std::string>, std::pair<int, std::string>> out;
  for (const auto& t : layer["techniques"])
    out[{t.value("tactic", ""), t["techniqueID"].get<std::string>()}] = {t["score"].get<int>(),
                                                                         t["color"].get<std::string>()};
  return out;
}

/// The report layers of the Cyber Atlantic 2011 journal in a new directory (paths printed, in order).
std::string export_layers(std::vector<std::string>* printed = nullptr)
{
  const std::string dir = cli_test::temp_dir("navigator") + "/layers";
  const CliOutput o = report_cli("report " + ca2011_journal() + " --format navigator -o " + dir);
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK(o.err.empty());
  if (printed)
    *printed = lines_of(o.out);
  return dir;
}

/// RFC 4180 records of a CSV text (CRLF line ends).
std::vector<std::vector<std::string>> parse_csv(const std::string& text)
{
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        rows.back().back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        rows.back().back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      if (i + 1 < text.size())
        rows.emplace_back(1);
    } else {
      rows.back().back() += c;
    }
  }
  return rows;
}

} // namespace

TEST_SUITE("navigator-layers")
{
  TEST_CASE("the exercise's and each team's layers, per domain, as the report's ATT&CK section says")
  {
    std::vector<std::string> printed;
    const std::string dir = export_layers(&printed);
    const CliOutput rep = report_cli("report " + ca2011_journal() + " --format json");
    REQUIRE(rep.status == 0);
    const json aar = json::parse(rep.out);
    // Cyber Atlantic 2011: 8 player teams; the campaigns use Enterprise (apt-*) and ICS (ics-blackout) techniques
    const std::vector<std::string> teams = {"cert-de", "cert-fr", "cert-nl", "cert-se",
                                            "cert-it", "cert-es", "us-cert", "energy-csirt"};
    std::vector<std::string> expected = {dir + "/exercise-enterprise-attack.json", dir + "/exercise-ics-attack.json"};
    for (const auto& t : teams) {
      expected.push_back(dir + "/team-" + t + "-enterprise-attack.json");
      expected.push_back(dir + "/team-" + t + "-ics-attack.json");
    }
    CHECK(printed == expected);
    std::set<std::string> on_disk;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      on_disk.insert(e.path().string());
    CHECK(on_disk == std::set<std::string>(expected.begin(), expected.end()));

    // the exercise's layers: every cell of the report's "attack" section, its status's score and colour
    const auto want = statuses(aar["attack"]);
    std::map<std::pair<std::string, std::string>, std::pair<int, std::string>> got;
    for (const char* domain : {"enterprise-attack", "ics-attack"}) {
      const json l = json::parse(slurp(dir + "/exercise-" + domain + ".json"));
      check_layer_format(l, domain);
      CHECK(l["name"] == std::string("Cyber Atlantic 2011 (reconstruction): exercise, ") +
                             (std::string(domain) == "ics-attack" ? "ICS" : "Enterprise"));
      CHECK(l["gradient"] == json{{"colors", gradient_colors}, {"minValue", 0}, {"maxValue", 4}});
      REQUIRE(l["legendItems"].size() == 5);
      for (std::size_t i = 0; i < 5; ++i)
        CHECK(l["legendItems"][i]["color"] == gradient_colors[i]);
      for (const auto& [k, v] : entries(l))
        got[k] = v;
    }
    REQUIRE(got.size() == want.size());
    for (const auto& [k, status] : want) {
      INFO(k.first << " " << k.second << " " << status);
      REQUIRE(got.count(k) == 1); // every step's tactic in CA 2011 is one the catalog lists for its technique
      CHECK(got[k] == style.at(status));
    }
    // a technique's comment and metadata, derived by hand from the report's cell: T1566.001 (spearphishing)
    const json ent = json::parse(slurp(dir + "/exercise-enterprise-attack.json"));
    json cell, entry;
    for (const auto& tac : aar["attack"]["tactics"])
      for (const auto& c : tac["techniques"])
        if (c["technique"] == "T1566.001")
          cell = c;
    for (const auto& t : ent["techniques"])
      if (t["techniqueID"] == "T1566.001")
        entry = t;
    REQUIRE(cell.is_object());
    REQUIRE(entry.is_object());
    CHECK(entry["tactic"] == "initial-access");
    const std::string comment = entry["comment"].get<std::string>();
    CHECK(comment.rfind(cell["status"].get<std::string>() + ". " + std::to_string(cell["attempts"].get<int>()) +
                            " attempts (" + std::to_string(cell["successes"].get<int>()) + " succeeded) by apt-de, ",
                        0) == 0);
    for (const auto& n : cell["nodes"])
      CHECK(comment.find(n.get<std::string>()) != std::string::npos);
    std::map<std::string, std::string> md;
    for (const auto& m : entry["metadata"])
      if (m.contains("name"))
        md[m["name"]] = m["value"];
    CHECK(md["status"] == cell["status"]);
    CHECK(md["attempts"] == std::to_string(cell["attempts"].get<int>()));
    std::string campaigns;
    for (const auto& c : cell["campaigns"])
      campaigns += (campaigns.empty() ? "" : ", ") + c.get<std::string>();
    CHECK(md["campaigns"] == campaigns);
    CHECK(campaigns.rfind("apt-de, ", 0) == 0); // the German intrusion starts with the lure
  }

  TEST_CASE("a team's layer is its view: detected means an alert that team received")
  {
    const std::string dir = export_layers();
    const CliOutput rep = report_cli("report " + ca2011_journal() + " --format json");
    REQUIRE(rep.status == 0);
    const json aar = json::parse(rep.out);
    const auto exercise = statuses(aar["attack"]);
    // from the journal itself: the (technique, node) attempts, and each team's alerts on an attempted node
    std::set<std::pair<std::string, std::string>> attempts;
    std::map<std::string, std::set<std::string>> team_detected; // team -> techniques with a true alert
    for (const auto& line : lines_of(slurp(ca2011_journal()))) {
      const json r = json::parse(line, nullptr, false);
      if (!r.is_object() || !r.contains("type"))
        continue;
      const json d = r.value("details", json::object());
      if (r["type"] == "step_attempt")
        attempts.insert({d.value("technique", ""), d.value("target", "")});
      else if (r["type"] == "alert" && attempts.count({d.value("technique", ""), d.value("node", "")}))
        team_detected[r["subject"].get<std::string>().substr(5)].insert(d["technique"].get<std::string>());
    }
    int differences = 0;
    for (const std::string team :
         {"cert-de", "cert-fr", "cert-nl", "cert-se", "cert-it", "cert-es", "us-cert", "energy-csirt"}) {
      std::map<std::pair<std::string, std::string>, std::pair<int, std::string>> got;
      for (const char* domain : {"enterprise-attack", "ics-attack"}) {
        const json l = json::parse(slurp(dir + "/team-" + team + "-" + domain + ".json"));
        check_layer_format(l, domain);
        CHECK(l["name"].get<std::string>().find(": team " + team + ", ") != std::string::npos);
        for (const auto& [k, v] : entries(l))
          got[k] = v;
      }
      REQUIRE(got.size() == exercise.size());
      for (const auto& [k, status] : exercise) {
        INFO(team << " " << k.first << " " << k.second << " " << status);
        // containment is the exercise's; between detected and missed, the team's own alerts decide
        std::string expected = status;
        if (status == "detected" || status == "missed")
          expected = team_detected[team].count(k.second) ? "detected" : "missed";
        CHECK(got[k] == style.at(expected));
        differences += expected != status;
      }
    }
    // some team missed a technique another team detected
    CHECK(differences > 0);
  }

  TEST_CASE("two exports of the same journal are byte-identical")
  {
    const std::string a = export_layers(), b = export_layers();
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(a)) {
      CHECK(slurp(e.path().string()) == slurp(b + "/" + e.path().filename().string()));
      ++files;
    }
    CHECK(files == 18);
  }

  TEST_CASE("the HTML report links its ATT&CK section to the layers")
  {
    const CliOutput o = report_cli("report " + ca2011_journal() + " --layers layers/");
    REQUIRE(o.status == 0);
    CHECK(o.out.find("<a href=\"layers/exercise-enterprise-attack.json\">exercise-enterprise-attack.json</a> <a "
                     "href=\"layers/exercise-ics-attack.json\">") != std::string::npos);
    CHECK(o.out.find("<a href=\"layers/team-energy-csirt-ics-attack.json\">") != std::string::npos);
    const CliOutput plain = report_cli("report " + ca2011_journal());
    REQUIRE(plain.status == 0);
    CHECK(plain.out.find("exercise-enterprise-attack.json") == std::string::npos);
  }
}

TEST_SUITE("navigator-planned")
{
  TEST_CASE("analyze --format navigator: the tutorial's planned coverage, scores counted by hand")
  {
    const std::string dir = cli_test::temp_dir("navigator-planned");
    const CliOutput o = report_cli("analyze scenarios/tutorial/tutorial.json --format navigator -o " + dir + "/");
    INFO(o.err);
    REQUIRE(o.status == 0);
    CHECK(o.out == dir + "/planned-enterprise-attack.json\n" + dir + "/planned-ics-attack.json\n");
    // apt-docs: phish T1566.001, escalate T1068, dump T1003.001, lateral T1021.002, collect T1005, exfil T1041,
    // leak T1567; grid-attack: phish T1566.001, rdp T1021.001, command T0855 (ICS); no step names a tactic, so each
    // stands under the catalog's first tactic of its technique
    const json ent = json::parse(slurp(dir + "/planned-enterprise-attack.json"));
    check_layer_format(ent, "enterprise-attack");
    std::map<std::string, int> scores;
    for (const auto& t : ent["techniques"]) {
      scores[t["techniqueID"]] = t["score"];
      CHECK(t["tactic"] == catalog().at(t["techniqueID"].get<std::string>()).tactics.front());
    }
    CHECK(scores == std::map<std::string, int>{{"T1566.001", 2},
                                               {"T1068", 1},
                                               {"T1003.001", 1},
                                               {"T1021.002", 1},
                                               {"T1005", 1},
                                               {"T1041", 1},
                                               {"T1567", 1},
                                               {"T1021.001", 1}});
    CHECK(ent["techniques"][0]["techniqueID"] == "T1566.001");
    CHECK(ent["techniques"][0]["tactic"] == "initial-access");
    CHECK(ent["gradient"] == json{{"colors", json::array({"#ffffff", "#c0392b"})}, {"minValue", 0}, {"maxValue", 2}});
    const std::string comment = ent["techniques"][0]["comment"].get<std::string>();
    CHECK(comment.rfind("Campaigns: apt-docs, grid-attack. Targets: apt-docs/phish: site:agency kind:workstation (",
                        0) == 0);
    CHECK(comment.find("; grid-attack/phish: node:ut-ws (ut-ws).") != std::string::npos);
    const json ics = json::parse(slurp(dir + "/planned-ics-attack.json"));
    check_layer_format(ics, "ics-attack");
    REQUIRE(ics["techniques"].size() == 1);
    CHECK(ics["techniques"][0]["techniqueID"] == "T0855");
    CHECK(ics["techniques"][0]["tactic"] == "impair-process-control");
    CHECK(ics["techniques"][0]["score"] == 1);
    CHECK(ics["techniques"][0]["comment"] ==
          "Campaigns: grid-attack. Targets: grid-attack/command: node:plc-1 (plc-1).");

    // without -o: the two layers as one multi-layer file (a JSON array) on stdout, the same layers
    const CliOutput all = report_cli("analyze scenarios/tutorial/tutorial.json --format navigator");
    REQUIRE(all.status == 0);
    const json arr = json::parse(all.out);
    REQUIRE(arr.is_array());
    REQUIRE(arr.size() == 2);
    CHECK(arr[0] == ent);
    CHECK(arr[1] == ics);
  }
}

TEST_SUITE("navigator-errors")
{
  TEST_CASE("missing -o, an unwritable directory, options that do not fit")
  {
    const CliOutput no_o = report_cli("report " + ca2011_journal() + " --format navigator");
    CHECK(no_o.status == 1);
    CHECK(no_o.err == "cyberex report: --format navigator writes several files: -o DIR names the directory\n");

    const std::string dir = cli_test::temp_dir("navigator-errors");
    spit(dir + "/file", "x");
    const CliOutput bad = report_cli("report " + ca2011_journal() + " --format navigator -o " + dir + "/file/layers");
    CHECK(bad.status == 3);
    CHECK(bad.err == "cyberex report: " + dir + "/file/layers: cannot create the directory: Not a directory\n");
    CHECK(bad.out.empty());

    const CliOutput xlsx = report_cli("report " + ca2011_journal() + " --format ip-xlsx");
    CHECK(xlsx.status == 1);
    CHECK(xlsx.err == "cyberex report: --format ip-xlsx writes a workbook: -o FILE.xlsx names it\n");

    const CliOutput layers = report_cli("report " + ca2011_journal() + " --format json --layers layers");
    CHECK(layers.status == 1);
    CHECK(layers.err ==
          "cyberex report: --layers links the HTML report to its Navigator layers: it needs --format html\n");

    const CliOutput fmt = report_cli("analyze scenarios/tutorial/tutorial.json --format stix");
    CHECK(fmt.status == 1);
    CHECK(fmt.err == "cyberex analyze: --format expects text, json or navigator, got 'stix'\n");

    const CliOutput adir =
        report_cli("analyze scenarios/tutorial/tutorial.json --format navigator -o " + dir + "/file/layers/");
    CHECK(adir.status == 3);
    CHECK(adir.err == "cyberex analyze: " + dir + "/file/layers/: cannot create the directory: Not a directory\n");

    const CliOutput afile =
        report_cli("analyze scenarios/tutorial/tutorial.json --format navigator -o " + dir + "/file/planned.json");
    CHECK(afile.status == 3);
    CHECK(afile.err == "cyberex analyze: " + dir + "/file/planned.json: cannot write the output\n");

    const CliOutput mcase = report_cli("analyze data/matpower/case9.m --format navigator");
    CHECK(mcase.status == 1);
    CHECK(mcase.err == "cyberex analyze: --format navigator needs a scenario: a MATPOWER case file has no campaign\n");
  }
}

TEST_SUITE("improvement-plan")
{
  TEST_CASE("CSV: the HSEEP matrix, RFC 4180, one row per issue")
  {
    CHECK(cyberex::report::csv_field("plain") == "plain");
    CHECK(cyberex::report::csv_field("a, b") == "\"a, b\"");
    CHECK(cyberex::report::csv_field("say \"no\"") == "\"say \"\"no\"\"\"");
    CHECK(cyberex::report::csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(cyberex::report::csv_field("cr\r") == "\"cr\r\"");
    CHECK(cyberex::report::csv_field("") == "");

    const CliOutput o = report_cli("report " + ca2011_journal() + " --format ip-csv");
    INFO(o.err);
    REQUIRE(o.status == 0);
    CHECK(o.out.rfind("Core Capability,Issue/Area for Improvement,Corrective Action,Capability Element,Primary "
                      "Responsible Organization,Organization POC,Start Date,Completion Date,Source\r\n",
                      0) == 0);
    const auto rows = parse_csv(o.out);
    for (const auto& r : rows)
      CHECK(r.size() == 9);
    const CliOutput rep = report_cli("report " + ca2011_journal() + " --format json");
    const json aar = json::parse(rep.out);
    const std::size_t afis = aar["improvement_plan"].size();
    REQUIRE(afis >= 1);
    REQUIRE(rows.size() > afis + 1);
    // the first area for improvement of drill.jsonl (1h40m, evaluator, CERT-NL, ct-detect-apt of cap-cyber)
    const std::vector<std::string> first = {
        "Cybersecurity (detection, containment, eradication)",
        "CERT-NL saw the mail-sandbox verdict on the Council lure but took over an hour to correlate it with the "
        "workstation that had already opened the attachment.",
        "Add a sandbox-to-EDR correlation step to the triage runbook and exercise it quarterly.",
        "Planning",
        "National Cyber Security Agency (NL, fictional)",
        "CERT-NL (fictional)",
        "2011-11-17", // the exercise day, 2011-11-03, + 14 days
        "2012-02-01", // + 90 days
        "area for improvement observed at 10:40 by evaluator, objective obj-detect-apt, critical task ct-detect-apt"};
    CHECK(rows[1] == first);
    // after the areas for improvement: objectives rated S, M or U that none covers, e.g. CERT-DE's detection (S)
    bool de_detect = false;
    for (std::size_t i = afis + 1; i < rows.size(); ++i)
      if (rows[i][8] == "rating S of objective obj-detect-apt (1 rating)" && rows[i][5] == "CERT-DE (fictional)") {
        de_detect = true;
        CHECK(rows[i][4] == "Federal Cyber Security Centre (DE, fictional)");
        CHECK(rows[i][2] == "Review and exercise the critical tasks ct-detect-apt");
        CHECK(rows[i][1].find("rated S, Performed with Some Challenges, for CERT-DE (fictional): Mail sandbox alert "
                              "acted on within 30 minutes of the first compromise.") != std::string::npos);
      }
    CHECK(de_detect);
    // none for an objective performed without challenges: CERT-DE's reporting, rated P
    for (const auto& r : rows)
      CHECK(!(r[5] == "CERT-DE (fictional)" && r[8].find("obj-report") != std::string::npos));
  }

  TEST_CASE("xlsx: two exports byte-identical, a zip")
  {
    const std::string dir = cli_test::temp_dir("ip-xlsx");
    const CliOutput a = report_cli("report " + ca2011_journal() + " --format ip-xlsx -o " + dir + "/a.xlsx");
    const CliOutput b = report_cli("report " + ca2011_journal() + " --format ip-xlsx -o " + dir + "/b.xlsx");
    INFO(a.err);
    REQUIRE(a.status == 0);
    REQUIRE(b.status == 0);
    const std::string x = slurp(dir + "/a.xlsx");
    CHECK(x.rfind("PK\x03\x04", 0) == 0);
    CHECK(x == slurp(dir + "/b.xlsx"));
  }
}
