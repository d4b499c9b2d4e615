/* STIX 2.1 interchange (docs/interchange.md): UUIDv5 ids, indicator patterns both ways, the bundle of the Cyber
 * Atlantic 2011 drill (deterministic, referentially whole, mapped as documented) and its import back into a scenario
 * fragment, and malformed bundles with exact diagnostics. The schema check of the bundle is the ctest stix-schema. */
#include "report_support.hpp"

#include "report/stix.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

namespace {

using namespace cyberex::test;
using nlohmann::json;
namespace stix = cyberex::stix;
using cyberex::Indicator;

/// The bundle of the shared CA2011 journal (exported once per test process) and its stderr.
const CliOutput& ca2011_bundle()
{
  static CliOutput out;
  if (out.status == -1) {
    out = report_cli("report " + ca2011_journal() + " --format stix");
    REQUIRE(out.status == 0);
  }
  return out;
}

/// Exercise time to UTC for Cyber Atlantic 2011: it starts 2011-11-03T09:00:00 Europe/Brussels, which is CET (UTC+1)
/// after the end of summer time on 30 October 2011, so 08:00:00Z; the drill stays within the day.
std::string ca_utc(double seconds)
{
  const long long ms = std::llround(seconds * 1000.0) + 8LL * 3600 * 1000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "2011-11-03T%02lld:%02lld:%02lld.%03lldZ", ms / 3600000, (ms / 60000) % 60,
                (ms / 1000) % 60, ms % 1000);
  return buf;
}

const json* find_object(const json& bundle, const std::string& id)
{
  for (const auto& o : bundle["objects"])
    if (o["id"] == id)
      return &o;
  return nullptr;
}

std::vector<json> of_type(const json& bundle, const std::string& type)
{
  std::vector<json> out;
  for (const auto& o : bundle["objects"])
    if (o["type"] == type)
      out.push_back(o);
  return out;
}

/// The scenario files' own JSON (main file and includes), read without the loader.
json ca2011_section(const std::string& section)
{
  json all = json::array();
  for (const char* f : {"cyber-atlantic-2011.json", "agencies.json", "energy.json", "msel.json"}) {
    const json doc = json::parse(slurp(std::string("scenarios/cyber-atlantic-2011/") + f));
    if (section == "campaigns") {
      if (doc.contains("adversary"))
        for (const auto& c : doc["adversary"]["campaigns"])
          all.push_back(c);
    } else if (doc.contains(section)) {
      for (const auto& x : doc[section])
        all.push_back(x);
    }
  }
  return all;
}

std::vector<std::string> diagnostics_of(const stix::Import& r)
{
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.items())
    out.push_back(d.format());
  return out;
}

} // namespace

TEST_SUITE("stix-ids")
{
  TEST_CASE("UUIDv5 as RFC 4122 section 4.3 defines it")
  {
    // Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"), the example of its documentation
    CHECK(stix::uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    // uuid.uuid5(uuid.UUID("a6c0e2b4-1f37-4d5e-9c8b-7e3f2d1a0c95"), "campaign:apt-de"), computed with Python
    CHECK(stix::object_id("campaign", "campaign:apt-de") == "campaign--8dabe054-b536-5d8a-87c9-91c9dbd69883");
    CHECK_THROWS_AS(stix::uuid5("not-a-uuid", "x"), std::invalid_argument);
  }
}

TEST_SUITE("stix-patterns")
{
  TEST_CASE("each indicator type to its pattern")
  {
    std::string why;
    const auto p = [&](Indicator::Type t, const std::string& v) {
      Indicator i;
      i.id = "x";
      i.type = t;
      i.value = v;
      why.clear();
      return stix::pattern_of(i, why).value_or("-");
    };
    using T = Indicator::Type;
    CHECK(p(T::hash, "a3f1c2d49e07b8f6d2c51e9a0b7d4f13") == "[file:hashes.'MD5' = 'a3f1c2d49e07b8f6d2c51e9a0b7d4f13']");
    CHECK(p(T::hash, std::string(40, 'b')) == "[file:hashes.'SHA-1' = '" + std::string(40, 'b') + "']");
    CHECK(p(T::hash, std::string(64, 'c')) == "[file:hashes.'SHA-256' = '" + std::string(64, 'c') + "']");
    CHECK(p(T::hash, std::string(128, 'd')) == "[file:hashes.'SHA-512' = '" + std::string(128, 'd') + "']");
    CHECK(p(T::domain, "update.eurosecure-cdn.example") == "[domain-name:value = 'update.eurosecure-cdn.example']");
    CHECK(p(T::ip, "203.0.113.45") == "[ipv4-addr:value = '203.0.113.45']");
    CHECK(p(T::ip, "2001:db8::7") == "[ipv6-addr:value = '2001:db8::7']");
    CHECK(p(T::url, "https://euroleaks.example/archive/") == "[url:value = 'https://euroleaks.example/archive/']");
    CHECK(p(T::email, "a@b.example") == "[email-addr:value = 'a@b.example']");
    CHECK(p(T::file, "C:\\tmp\\o'neil.rar") == "[file:name = 'C:\\\\tmp\\\\o\\'neil.rar']");
    CHECK(p(T::registry, "HKCU\\Run") == "[windows-registry-key:key = 'HKCU\\\\Run']");
    CHECK(p(T::hash, "2f6a8c0e4b1d3f5a") == "-");
    CHECK(why == "a hash of 16 hex digits fits no STIX hash algorithm (MD5: 32, SHA-1: 40, SHA-256: 64, SHA-512: 128)");
    CHECK(p(T::hash, "xyz") == "-");
    CHECK(why == "the hash 'xyz' is not hexadecimal");
    CHECK(p(T::other, "anything") == "-");
    CHECK(why == "an indicator of type \"other\" has no STIX pattern");
  }

  TEST_CASE("patterns read back")
  {
    const auto r = stix::read_pattern("[file:name = 'C:\\\\tmp\\\\o\\'neil.rar']");
    CHECK(r.outcome == stix::PatternReading::Outcome::mapped);
    CHECK(r.type == Indicator::Type::file);
    CHECK(r.value == "C:\\tmp\\o'neil.rar");
    const auto h = stix::read_pattern("  [ file:hashes.'SHA-256'='abc' ] ");
    CHECK(h.outcome == stix::PatternReading::Outcome::mapped);
    CHECK(h.type == Indicator::Type::hash);
    CHECK(h.value == "abc");
    CHECK(stix::read_pattern("[file:hashes.MD5 = 'x']").type == Indicator::Type::hash);
    CHECK(stix::read_pattern("[ipv6-addr:value = '::1']").type == Indicator::Type::ip);
    CHECK(stix::read_pattern("[email-addr:value = 'a@b']").type == Indicator::Type::email);
    CHECK(stix::read_pattern("[windows-registry-key:key = 'HKLM']").type == Indicator::Type::registry);
    CHECK(stix::read_pattern("[url:value = 'http://x/']").type == Indicator::Type::url);
    CHECK(stix::read_pattern("[domain-name:value = 'x']").type == Indicator::Type::domain);
  }

  TEST_CASE("forms that are valid but not mapped")
  {
    const auto check = [](const char* pattern, const char* message) {
      const auto r = stix::read_pattern(pattern);
      INFO(pattern);
      CHECK(r.outcome == stix::PatternReading::Outcome::not_mapped);
      CHECK(r.message == message);
    };
    check("[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'x']",
          "only one comparison [PATH = 'value'] is mapped");
    check("[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5.6.7.8']",
          "only one comparison [PATH = 'value'] is mapped");
    check("[domain-name:value != 'x']", "operator '!=' is not mapped (only '=')");
    check("[process:name = 'cmd.exe']", "object path 'process:name' is not mapped");
    check("[file:size > 100]", "only one comparison [PATH = 'value'] is mapped");
    check("[url:value = 'x'] WITHIN 300 SECONDS", "only one comparison [PATH = 'value'] is mapped");
  }

  TEST_CASE("malformed patterns: what and where (0-based character)")
  {
    const auto check = [](const char* pattern, const char* message, std::size_t offset) {
      const auto r = stix::read_pattern(pattern);
      INFO(pattern);
      CHECK(r.outcome == stix::PatternReading::Outcome::malformed);
      CHECK(r.message == message);
      CHECK(r.offset == offset);
    };
    check("", "empty pattern; expected an observation expression such as [domain-name:value = 'x.example']", 0);
    check("[domain-name:value = 'x.example'", "'[' without its ']'", 0);
    check("[domain-name:value = 'x.example]", "unterminated string literal", 21);
    check("domain-name:value = 'x'", "a pattern starts with '[' (an observation expression) or '('", 0);
    check("[]", "empty observation expression '[]'", 0);
    check("[domain-name:value 'x']", "expected a comparison operator after 'domain-name:value'", 19);
    check("[domain-name:value = ]", "expected a value after '='", 21);
    check("[= 'x']", "expected an object path such as domain-name:value before '='", 1);
    check("[url:value = 'a\\b']", "invalid escape in a string literal (only \\' and \\\\ are allowed)", 15);
    check("[url:value = 'x']]", "']' without its '['", 17);
    check("([url:value = 'x']", "'(' without its ')'", 0);
    check("[url:value = 'x'] ; ", "unexpected character ';'", 18);
    check("[domain-name: = 'x']", "expected a property name after the object type", 13);
  }
}

TEST_SUITE("stix-export")
{
  TEST_CASE("one journal, the same bytes; what cannot be exported is said")
  {
    const CliOutput& a = ca2011_bundle();
    const std::string file = scratch("bundle.json");
    const CliOutput b = report_cli("report " + ca2011_journal() + " --format stix -o " + file);
    CHECK(b.status == 0);
    CHECK(slurp(file) == a.out);
    CHECK(b.err == a.err);

    // alerts that name neither an indicator nor a technique, counted from the journal itself
    int tactic_only = 0;
    std::istringstream in(slurp(ca2011_journal()));
    for (std::string line; std::getline(in, line);) {
      const json r = json::parse(line);
      if (r.value("type", "") != "alert" || !r.contains("seq"))
        continue;
      const std::string t = r["details"]["technique"];
      if (r["details"]["indicators"].empty() && !(t.size() >= 5 && t[0] == 'T' && std::isdigit(t[1])))
        ++tactic_only;
    }
    REQUIRE(tactic_only > 0);
    CHECK(a.err ==
          "cyberex report: warning: stix: indicator 'ioc-ics-logic-hash' (hash 2f6a8c0e4b1d3f5a) is not exported: a "
          "hash of 16 hex digits fits no STIX hash algorithm (MD5: 32, SHA-1: 40, SHA-256: 64, SHA-512: 128)\n"
          "cyberex report: warning: stix: " +
              std::to_string(tactic_only) +
              " alerts name neither an indicator nor an ATT&CK technique (a tactic only, or a false positive): "
              "they have no sighting\n");
  }

  TEST_CASE("every reference points into the bundle")
  {
    const json bundle = json::parse(ca2011_bundle().out);
    CHECK(bundle["type"] == "bundle");
    std::set<std::string> ids;
    for (const auto& o : bundle["objects"])
      CHECK_MESSAGE(ids.insert(o["id"].get<std::string>()).second, "duplicate id ", o["id"]);
    std::size_t refs = 0;
    for (const auto& o : bundle["objects"])
      for (const auto& [key, value] : o.items()) {
        const bool one = key.size() > 4 && key.compare(key.size() - 4, 4, "_ref") == 0;
        const bool many = key.size() > 5 && key.compare(key.size() - 5, 5, "_refs") == 0;
        if (one) {
          ++refs;
          CHECK_MESSAGE(ids.count(value.get<std::string>()), o["id"], " ", key, " -> ", value);
        }
        if (many)
          for (const auto& v : value) {
            ++refs;
            CHECK_MESSAGE(ids.count(v.get<std::string>()), o["id"], " ", key, " -> ", v);
          }
      }
    CHECK(refs > 100);
  }

  TEST_CASE("the scenario's objects, mapped as docs/interchange.md says")
  {
    const json bundle = json::parse(ca2011_bundle().out);
    CHECK(bundle["id"] == stix::object_id("bundle", "bundle:cyber-atlantic-2011:" +
                                                        std::filesystem::path(ca2011_journal()).filename().string()));
    // 14 organisations and 11 teams; 8 campaigns by two actors; 16 indicators less the 16-digit hash
    CHECK(of_type(bundle, "identity").size() == 25);
    CHECK(of_type(bundle, "campaign").size() == 8);
    CHECK(of_type(bundle, "intrusion-set").size() == 2);
    CHECK(of_type(bundle, "indicator").size() == 15);

    const json* de = find_object(bundle, stix::object_id("identity", "organisation:de-agency"));
    REQUIRE(de);
    CHECK((*de)["name"] == "Federal Cyber Security Centre (DE, fictional)");
    CHECK((*de)["identity_class"] == "organization");
    CHECK((*de)["sectors"] == json::array({"government"}));
    CHECK((*de)["created"] == "2011-11-03T08:00:00.000Z");
    const json* cert = find_object(bundle, stix::object_id("identity", "team:cert-de"));
    REQUIRE(cert);
    CHECK((*cert)["identity_class"] == "group");

    const json* phish = find_object(bundle, stix::object_id("attack-pattern", "attack-pattern:T1566.001"));
    REQUIRE(phish);
    CHECK((*phish)["name"] == "Spearphishing Attachment");
    CHECK((*phish)["external_references"] == json::parse(R"([{"source_name": "mitre-attack", "external_id": "T1566.001",
                           "url": "https://attack.mitre.org/techniques/T1566/001/"}])"));
    CHECK((*phish)["kill_chain_phases"] ==
          json::parse(R"([{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}])"));
    const json* ucm = find_object(bundle, stix::object_id("attack-pattern", "attack-pattern:T0855"));
    REQUIRE(ucm);
    CHECK((*ucm)["external_references"] == json::parse(R"([{"source_name": "mitre-ics-attack", "external_id": "T0855",
                           "url": "https://attack.mitre.org/techniques/T0855/"}])"));

    const auto pattern = [&](const char* id) {
      const json* o = find_object(bundle, stix::object_id("indicator", std::string("indicator:") + id));
      return o ? (*o)["pattern"].get<std::string>() : std::string("(none)");
    };
    CHECK(pattern("ioc-lure1-hash") == "[file:hashes.'MD5' = 'a3f1c2d49e07b8f6d2c51e9a0b7d4f13']");
    CHECK(pattern("ioc-implant-hash") ==
          "[file:hashes.'SHA-256' = '0c7d9e2b4a61f8e3d5b7c9a1e2f40d6b8a3c5e7f9b1d2a4c6e8f0a2b4c6d8e0f']");
    CHECK(pattern("ioc-implant-runkey") ==
          "[windows-registry-key:key = "
          "'HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run\\\\AdobeUpdSvc']");
    CHECK(pattern("ioc-apt-c2-domain") == "[domain-name:value = 'update.eurosecure-cdn.example']");
    CHECK(pattern("ioc-apt-c2-ip") == "[ipv4-addr:value = '203.0.113.45']");
    CHECK(pattern("ioc-leak-url") == "[url:value = 'https://euroleaks.example/archive/']");
    CHECK(pattern("ioc-lure1-sender") == "[email-addr:value = 'policy-unit@eu-council-briefing.example']");
    CHECK(pattern("ioc-ics-logic-hash") == "(none)");
    const json* ind = find_object(bundle, stix::object_id("indicator", "indicator:ioc-apt-c2-ip"));
    REQUIRE(ind);
    CHECK((*ind)["pattern_type"] == "stix");
    CHECK((*ind)["valid_from"] == "2011-11-03T08:00:00.000Z");

    // relationships of campaign apt-de
    const std::string apt_de = stix::object_id("campaign", "campaign:apt-de");
    std::multiset<std::string> rel;
    for (const auto& r : of_type(bundle, "relationship"))
      if (r["source_ref"] == apt_de || r["target_ref"] == apt_de)
        rel.insert(r["relationship_type"].get<std::string>() + " " +
                   (r["source_ref"] == apt_de ? r["target_ref"] : r["source_ref"]).get<std::string>());
    CHECK(rel.count("attributed-to " + stix::object_id("intrusion-set", "intrusion-set:APT 'Grey Heron' (fictional)")));
    CHECK(rel.count("uses " + stix::object_id("attack-pattern", "attack-pattern:T1041")) == 1);
    CHECK(rel.count("indicates " + stix::object_id("indicator", "indicator:ioc-lure1-hash")) == 1);
    CHECK(rel.count("indicates " + stix::object_id("indicator", "indicator:ioc-apt-c2-ip")) == 1);
    // its steps target the agency's nodes, and the leak site, an attacker node (no victim: not a target)
    CHECK(rel.count("targets " + stix::object_id("identity", "organisation:de-agency")) == 1);
    std::size_t uses = 0, targets = 0, indicates = 0;
    for (const auto& r : rel) {
      uses += r.rfind("uses ", 0) == 0;
      targets += r.rfind("targets ", 0) == 0;
      indicates += r.rfind("indicates ", 0) == 0;
    }
    CHECK(uses == 12);     // 13 steps, T1003.001 twice
    CHECK(targets == 1);   // de-agency
    CHECK(indicates == 8); // lure1 sender and hash, implant hash and run key, archive, C2 domain and IP, leak URL
  }

  TEST_CASE("sightings and courses of action from the journal")
  {
    const json bundle = json::parse(ca2011_bundle().out);
    // cert-de's alerts that carry ioc-lure1-sender, from the journal
    double first = -1, last = -1;
    int count = 0;
    std::istringstream in(slurp(ca2011_journal()));
    for (std::string line; std::getline(in, line);) {
      const json r = json::parse(line);
      if (r.value("type", "") != "alert" || r.value("subject", "") != "team:cert-de")
        continue;
      const auto& iocs = r["details"]["indicators"];
      if (std::find(iocs.begin(), iocs.end(), "ioc-lure1-sender") == iocs.end())
        continue;
      if (first < 0)
        first = r["time"].get<double>();
      last = r["time"].get<double>();
      ++count;
    }
    REQUIRE(count > 0);
    const std::string team = stix::object_id("identity", "team:cert-de");
    const std::string ioc = stix::object_id("indicator", "indicator:ioc-lure1-sender");
    const json* s = find_object(bundle, stix::object_id("sighting", "sighting:alert:cert-de:" + ioc));
    REQUIRE(s);
    CHECK((*s)["sighting_of_ref"] == ioc);
    CHECK((*s)["where_sighted_refs"] == json::array({team}));
    CHECK((*s)["first_seen"] == ca_utc(first));
    CHECK((*s)["last_seen"] == ca_utc(last));
    CHECK((*s)["count"] == count);

    // cert-de shared the lure's sender at 1h05m (responses.json): a report sighting
    const json* shared = find_object(bundle, stix::object_id("sighting", "sighting:report:cert-de:" + ioc));
    REQUIRE(shared);
    CHECK((*shared)["first_seen"] == ca_utc(3900));

    // cert-de blocked the lure's sender at 50m (responses.json)
    const json* coa =
        find_object(bundle, stix::object_id("course-of-action", "course-of-action:cert-de:block:ioc-lure1-sender"));
    REQUIRE(coa);
    CHECK((*coa)["name"] == "block ioc-lure1-sender");
    CHECK((*coa)["created"] == "2011-11-03T08:50:00.000Z");
    CHECK((*coa)["created_by_ref"] == team);
    bool mitigates = false;
    for (const auto& r : of_type(bundle, "relationship"))
      mitigates |= r["relationship_type"] == "mitigates" && r["source_ref"] == (*coa)["id"] && r["target_ref"] == ioc;
    CHECK(mitigates);
    for (const auto& c : of_type(bundle, "course-of-action"))
      CHECK(c["name"].get<std::string>().rfind("public_statement", 0) != 0);
  }
}

TEST_SUITE("stix-import")
{
  TEST_CASE("the exported CA2011 bundle gives back the indicators and each campaign's techniques")
  {
    const stix::Import r = stix::import_bundle("bundle.json", ca2011_bundle().out);
    REQUIRE_FALSE(r.diagnostics.has_errors());
    const json fragment = json::parse(r.fragment);
    std::set<std::tuple<std::string, std::string, std::string>> got, want;
    for (const auto& i : fragment["indicators"])
      got.emplace(i["id"], i["type"], i["value"]);
    for (const auto& i : ca2011_section("indicators"))
      if (i["id"] != "ioc-ics-logic-hash") // not exported (16 hex digits)
        want.emplace(i["id"], i["type"], i["value"]);
    CHECK(got == want);
    CHECK(r.indicators == 15);

    std::map<std::string, std::set<std::string>> got_t, want_t;
    for (const auto& c : fragment["adversary"]["campaigns"])
      for (const auto& s : c["steps"]) {
        got_t[c["id"]].insert(s["technique"].get<std::string>());
        CHECK(s["target"] == "node:FILL-IN-target");
        CHECK(s["duration"] == "FILL-IN-duration");
      }
    for (const auto& c : ca2011_section("campaigns"))
      for (const auto& s : c["steps"])
        want_t[c["id"]].insert(s["technique"].get<std::string>());
    CHECK(got_t == want_t);
    CHECK(r.campaigns == 8);

    // steps in kill-chain order, by the tactics the scenario's steps name
    const json& de = fragment["adversary"]["campaigns"][0];
    CHECK(de["id"] == "apt-de");
    CHECK(de["actor"] == "APT 'Grey Heron' (fictional)");
    std::vector<std::string> order;
    for (const auto& s : de["steps"])
      order.push_back(s["id"].get<std::string>() + " " + s["tactic"].get<std::string>());
    CHECK(order == std::vector<std::string>{
                       "t1566-001 initial-access", "t1547-001 persistence", "t1068 privilege-escalation",
                       "t1078-002 privilege-escalation", "t1003-001 credential-access", "t1087-002 discovery",
                       "t1021-002 lateral-movement", "t1550-002 lateral-movement", "t1039 collection",
                       "t1560-001 collection", "t1041 exfiltration", "t1567 exfiltration"});

    // identities, sightings, courses of action and the mitigates relationships are listed, not dropped
    std::set<std::string> kinds;
    for (const auto& u : r.unmapped)
      kinds.insert(u.substr(u.find(") ") + 2));
    CHECK(kinds.count("25 identity objects not mapped: a scenario's organisations and teams are not imported"));
    bool sightings = false, coas = false, mitigates = false;
    for (const auto& k : kinds) {
      sightings |= k.find(" sighting objects not mapped: sightings are an exercise's outcome") != std::string::npos;
      coas |= k.find(" course-of-action objects not mapped") != std::string::npos;
      mitigates |= k.find(" relationships mitigates (course-of-action to indicator) not mapped") != std::string::npos;
    }
    CHECK(sightings);
    CHECK(coas);
    CHECK(mitigates);
  }

  TEST_CASE("malformed bundles: exact diagnostics")
  {
    const auto diags = [](const std::string& text) { return diagnostics_of(stix::import_bundle("b.json", text)); };
    CHECK(diags("{\"type\": \"bundle\",") ==
          std::vector<std::string>{"b.json:1:19: error: [json.syntax] syntax error while parsing object key - "
                                   "unexpected end of input; expected string literal"});
    CHECK(diags("[1, 2]") ==
          std::vector<std::string>{"b.json:1:1: error: [stix.not-a-bundle] expected a STIX 2.1 "
                                   "bundle: an object with \"type\": \"bundle\" and its \"objects\""});
    CHECK(diags("{\"type\": \"report\"}") ==
          std::vector<std::string>{"b.json:1:10: error: [stix.not-a-bundle] (/type) expected a STIX 2.1 bundle: an "
                                   "object with \"type\": \"bundle\" and its \"objects\""});
    CHECK(diags("{\"type\": \"bundle\"}") ==
          std::vector<std::string>{"b.json:1:1: error: [stix.not-a-bundle] the bundle has no \"objects\"; expected "
                                   "an array of STIX objects"});
    const std::string uuid = "--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    const std::string text = "{\"type\": \"bundle\", \"objects\": [\n"
                             "  {\"id\": \"indicator" +
                             uuid +
                             "\"},\n"
                             "  {\"type\": \"indicator\"},\n"
                             "  {\"type\": \"indicator\", \"id\": \"campaign" +
                             uuid +
                             "\"},\n"
                             "  {\"type\": \"indicator\", \"id\": \"indicator" +
                             uuid +
                             "\", \"pattern\": \"[url:value = 'x'\"},\n"
                             "  {\"type\": \"indicator\", \"id\": \"indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\", "
                             "\"pattern\": \"[ipv4-addr:value = '1.2.3.4'] OR [url:value = 'y']\"},\n"
                             "  42\n"
                             "]}\n";
    CHECK(
        diags(text) ==
        std::vector<std::string>{
            "b.json:2:3: error: [stix.object] (/objects/0) the object has no \"type\"",
            "b.json:3:3: error: [stix.object] (/objects/1) the object has no \"id\"",
            "b.json:4:31: error: [stix.object] (/objects/2/id) expected an id \"indicator--\" followed by a UUID; got "
            "\"campaign" +
                uuid + "\"",
            "b.json:7:3: error: [stix.object] (/objects/5) expected a STIX object (a JSON object with \"type\" and "
            "\"id\")",
            "b.json:5:94: error: [stix.pattern] (/objects/3/pattern) malformed STIX pattern at character 1: '[' "
            "without its ']'",
            "b.json:6:93: warning: [stix.not-mapped] (/objects/4/pattern) indicator "
            "indicator--9e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f: only one comparison [PATH = 'value'] is mapped: "
            "\"[ipv4-addr:value = '1.2.3.4'] OR [url:value = 'y']\""});
  }

  TEST_CASE("cyberex import: exit status, summary and a fragment that validate completes")
  {
    const std::string dir = cli_test::temp_dir("stix-import");
    spit(dir + "/bad.json",
         "{\"type\": \"bundle\", \"objects\": [{\"type\": \"indicator\", \"id\": "
         "\"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\", \"pattern\": \"[url:value = 'x]\"}]}");
    const CliOutput bad = report_cli("import stix " + dir + "/bad.json -o " + dir + "/f.json");
    CHECK(bad.status == 2);
    CHECK(bad.err == dir + "/bad.json:1:136: error: [stix.pattern] (/objects/0/pattern) malformed STIX pattern at "
                           "character 14: unterminated string literal\n"
                           "cyberex import: 1 error: no fragment written\n");
    CHECK_FALSE(std::filesystem::exists(dir + "/f.json"));

    CHECK(report_cli("import csv x.json").err == "cyberex import: the format to import must be 'stix', got 'csv'\n");
    CHECK(report_cli("import stix " + dir + "/none.json").status == 2);

    // the CA2011 bundle, imported with a prefix into a copy of the scenario
    const std::string sc = dir + "/ca";
    std::filesystem::copy("scenarios/cyber-atlantic-2011", sc);
    std::filesystem::copy("scenarios/topologies", dir + "/topologies");
    spit(dir + "/bundle.json", ca2011_bundle().out);
    const CliOutput imp = report_cli("import stix " + dir + "/bundle.json --prefix stix- -o " + sc + "/imported.json");
    CHECK(imp.status == 0);
    const std::string summary = imp.err.substr(imp.err.rfind("cyberex import: "));
    CHECK(summary.rfind("cyberex import: 15 indicators, 8 campaigns (98 steps to complete); ", 0) == 0);
    json main = json::parse(slurp(sc + "/cyber-atlantic-2011.json"));
    main["include"].push_back("imported.json");
    spit(sc + "/cyber-atlantic-2011.json", main.dump(1));
    const CliOutput v = report_cli("validate " + sc + "/cyber-atlantic-2011.json");
    CHECK(v.status == 2);
    // what is left to fill, and nothing else: per step its target and its duration, in the imported file
    std::size_t errors = 0, targets = 0, durations = 0;
    std::istringstream lines(v.err + v.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.find(": error: ") == std::string::npos)
        continue;
      ++errors;
      if (line.rfind(sc + "/imported.json:", 0) != 0)
        continue;
      targets += line.find("[scenario.unknown-node] (/adversary/campaigns/") != std::string::npos &&
                 line.find("/target) no node 'FILL-IN-target'") != std::string::npos;
      durations += line.find("[scenario.bad-unit] (/adversary/campaigns/") != std::string::npos &&
                   line.find("/duration) expected a duration such as \"90s\", \"15m\", \"2h30m\"; got "
                             "\"FILL-IN-duration\"") != std::string::npos;
    }
    INFO(v.err);
    CHECK(errors == 2 * 98);
    CHECK(targets == 98);
    CHECK(durations == 98);
  }
}
