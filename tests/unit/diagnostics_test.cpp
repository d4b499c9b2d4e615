/* Malformed scenarios, each with its exact diagnostics (file:line:col, code, pointer, message). */
#include "cyberex/diagnostic.hpp"
#include "cyberex/scenario.hpp"
#include "scenario/json_source.hpp"

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace cyberex;

namespace {

struct TempDir {
  fs::path path;
  TempDir()
  {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("cyberex-diagnostics-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& rel, const std::string& text) const
  {
    const fs::path p = path / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

/// Loads `text` as s.json (plus `extra` files) and returns its diagnostics, one per line, paths relative to the dir.
std::string diagnose(const std::string& text, const std::vector<std::pair<std::string, std::string>>& extra = {},
                     const LoadOptions& options = {})
{
  TempDir dir;
  for (const auto& [name, body] : extra)
    dir.write(name, body);
  const LoadResult r = load_scenario(dir.write("s.json", text), options);
  const std::string strip = dir.path.string() + "/";
  std::string out;
  for (const auto& d : r.diagnostics.items()) {
    std::string s = d.format();
    for (std::size_t at; (at = s.find(strip)) != std::string::npos;)
      s.erase(at, strip.size());
    out += s + "\n";
  }
  if (r.ok() != !r.diagnostics.has_errors())
    out += "(ok() disagrees with the diagnostics)\n";
  return out;
}

/// A scenario whose first line is a valid 8-hour exercise; `body` starts on line 2.
std::string scenario(const std::string& body)
{
  return "{\"cyberex\": 1, \"exercise\": {\"title\": \"t\", \"duration\": \"8h\"},\n" + body + "\n}";
}

/// A small world for references: site hq (zones lan, dmz), nodes fw, sw, ws-1, ws-2, inet (+ more_nodes on line 5),
/// team blue (+ more_teams on line 6); body from line 7.
std::string world(const std::string& body, const std::string& more_nodes = "", const std::string& more_teams = "")
{
  return scenario(std::string(R"("sites": [{"id": "hq", "zones": [{"id": "lan"}, {"id": "dmz"}]}],
"nodes": [{"id": "fw", "site": "hq", "kind": "firewall"}, {"id": "sw", "site": "hq", "kind": "switch", "uplink": "fw"},
  {"id": "ws", "count": 2, "site": "hq", "zone": "lan", "kind": "workstation", "uplink": "sw"},
  {"id": "inet", "site": "hq", "kind": "internet", "uplink": "fw"})") +
                  (more_nodes.empty() ? "" : ", ") + more_nodes + R"(],
"teams": [{"id": "blue", "assets": ["site:hq"]})" +
                  (more_teams.empty() ? "" : ", ") + more_teams + R"(],
)" + (body.empty() ? std::string(R"("msel": [])") : body));
}

struct Case {
  const char* name;
  std::string text;
  std::string expected;
};

} // namespace

TEST_SUITE("diagnostics")
{
  TEST_CASE("format")
  {
    Diagnostic d;
    d.file = "scenarios/x.json";
    d.line = 41;
    d.column = 17;
    d.code = "scenario.unknown-node";
    d.pointer = "/campaigns/0/steps/2/target";
    d.message = "no node 'hmi-7'; did you mean 'hmi-1'?";
    CHECK(d.format() == "scenarios/x.json:41:17: error: [scenario.unknown-node] (/campaigns/0/steps/2/target) no "
                        "node 'hmi-7'; did you mean 'hmi-1'?");
    d.severity = Diagnostic::Severity::warning;
    d.pointer.clear();
    d.line = 0;
    CHECK(d.format() == "scenarios/x.json: warning: [scenario.unknown-node] no node 'hmi-7'; did you mean 'hmi-1'?");
    Diagnostics all;
    all.add(d);
    d.severity = Diagnostic::Severity::error;
    all.add(d);
    all.add(d);
    CHECK(all.error_count() == 2);
    CHECK(all.warning_count() == 1);
    CHECK(all.has_errors());
  }

  TEST_CASE("did you mean")
  {
    CHECK(did_you_mean("agnecy", {"agency", "utility"}) == "agency");
    CHECK(did_you_mean("plcc", {"plc", "rtu", "hmi"}) == "plc");
    CHECK(did_you_mean("hmi-7", {"hmi-1", "hmi-2"}) == "hmi-1");
    CHECK(did_you_mean("x", {"y", "z"}) == "");
    CHECK(did_you_mean("router", {"database", "firewall"}) == "");
    CHECK(did_you_mean("site", {"site"}) == "");
    CHECK(did_you_mean("T1566.009", {"T1566.001", "T1567"}) == "T1566.001");
  }

  TEST_CASE("positions count lines and code points")
  {
    const std::string text = "{\n  \"a\": \"\xc3\xa9t\xc3\xa9\", \"b\": 1\n}";
    const auto p = json_source::positions(text, {0, 2, 20, 8});
    CHECK(p[0].line == 1);
    CHECK(p[0].column == 1);
    CHECK(p[1].line == 2);
    CHECK(p[1].column == 1);
    CHECK(p[3].column == 7); // the space after "a":
    CHECK(p[2].line == 2);
    CHECK(p[2].column == 17); // after 2 two-byte characters: byte 20 is column 17 of 21 bytes
    std::map<std::string, json_source::Location> want{{"/b", {}}, {"/a", {}}, {"", {}}, {"/zz", {}}};
    json_source::locate(text, want);
    CHECK(want["/a"].key == 4);
    CHECK(want["/a"].value == 9);
    CHECK(want["/b"].value == 23);
    CHECK(want[""].value == 0);
    CHECK(want["/zz"].value == std::string::npos);
  }

  TEST_CASE("the small world used below is valid")
  {
    CHECK(diagnose(world(R"("msel": [])")) == "");
  }

  TEST_CASE("generation units: a start that is neither hot nor cold, a restart time that is not a duration, either on "
            "a substation")
  {
    const std::string text = R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h"},
"sites": [{"id": "hq"}], "grids": [{"id": "g"}],
"nodes": [{"id": "u1", "site": "hq", "kind": "generation_unit", "grid": "g", "start": "warm"},
  {"id": "u2", "site": "hq", "kind": "generation_unit", "grid": "g", "restart_time": "an hour"},
  {"id": "s1", "site": "hq", "kind": "substation", "grid": "g", "start": "cold"}]
})";
    // columns: the value of "start" on line 3 and of "restart_time" on line 4, the key "start" of the warning
    const auto col = [&](int line, const std::string& what) {
      std::size_t at = 0;
      for (int l = 1; l < line; ++l)
        at = text.find('\n', at) + 1;
      return std::to_string(text.find(what, at) - at + 1);
    };
    CHECK(diagnose(text) ==
          "s.json:3:" + col(3, "\"warm\"") +
              ": error: [scenario.bad-value] (/nodes/0/start) unknown start 'warm'; expected \"hot\" or \"cold\"\n"
              "s.json:4:" +
              col(4, "\"an hour\"") +
              ": error: [scenario.bad-unit] (/nodes/1/restart_time) expected a duration such as \"90s\", \"15m\", "
              "\"2h30m\"; got \"an hour\"\n"
              "s.json:5:" +
              col(5, "\"cold\"") +
              ": warning: [scenario.ignored] (/nodes/2/start) 'start' applies to generation units only; node 's1' is a "
              "substation: it is ignored\n");
  }

  TEST_CASE("malformed scenarios")
  {
    const std::vector<Case> cases = {
        {"empty file", "",
         R"~(s.json:1:1: error: [json.syntax] syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal
)~"},
        {"truncated", "{\"cyberex\": 1, \"exercise\": {\"title\": \"t\",",
         R"~(s.json:1:42: error: [json.syntax] syntax error while parsing object key - unexpected end of input; expected string literal
)~"},
        {"trailing comma", "{\"cyberex\": 1,\n \"exercise\": {\"title\": \"t\", \"duration\": \"8h\"},\n}",
         R"~(s.json:3:1: error: [json.syntax] syntax error while parsing object key - unexpected '}'; expected string literal
)~"},
        {"not an object", "[1, 2]", R"~(s.json:1:1: error: [scenario.type] expected an object; got an array
)~"},
        {"missing version", "{\"exercise\": {\"title\": \"t\", \"duration\": \"8h\"}}",
         R"~(s.json:1:1: error: [scenario.missing-field] missing field 'cyberex': the format version, "cyberex": 1
)~"},
        {"version 2", "{\"cyberex\": 2, \"exercise\": {\"title\": \"t\", \"duration\": \"8h\"}}",
         R"~(s.json:1:13: error: [scenario.version] (/cyberex) unsupported format version 2; this cyberex reads version 1
)~"},
        {"version as string", "{\"cyberex\": \"1\", \"exercise\": {\"title\": \"t\", \"duration\": \"8h\"}}",
         R"~(s.json:1:13: error: [scenario.type] (/cyberex) expected the format version 1; got "1"
)~"},
        {"missing exercise", "{\"cyberex\": 1}",
         R"~(s.json:1:1: error: [scenario.missing-field] missing field 'exercise'
)~"},
        {"duplicate key", scenario(R"("sites": [{"id": "a", "name": "x", "id": "b"}])"),
         R"~(s.json:2:36: error: [json.duplicate-key] (/sites/0/id) duplicate key; an object may hold each key only once
)~"},
        {"unknown top-level key", scenario(R"("nodez": [])"),
         R"~(s.json:2:1: error: [scenario.unknown-key] (/nodez) unknown key 'nodez'; did you mean 'nodes'?
)~"},
        {"section of the wrong type", scenario(R"("nodes": {"id": "a"})"),
         R"~(s.json:2:10: error: [scenario.type] (/nodes) expected an array; got an object
)~"},
        {"bad duration", "{\"cyberex\": 1, \"exercise\": {\"title\": \"t\", \"duration\": \"2 hours\"}}",
         R"~(s.json:1:55: error: [scenario.bad-unit] (/exercise/duration) expected a duration such as "90s", "15m", "2h30m"; got "2 hours"
)~"},
        {"duration as a number", "{\"cyberex\": 1, \"exercise\": {\"title\": \"t\", \"duration\": 90}}",
         R"~(s.json:1:55: error: [scenario.bad-unit] (/exercise/duration) expected a duration such as "90s", "15m", "2h30m"; got 90
)~"},
        {"bad start", "{\"cyberex\": 1, \"exercise\": {\"title\": \"t\", \"duration\": \"1h\", \"start\": \"3 Nov\"}}",
         R"~(s.json:1:70: error: [scenario.bad-value] (/exercise/start) expected a local date-time such as "2011-11-03T09:00:00"; got "3 Nov"
)~"},
        {"unknown node key", world(R"("services": [{"id": "web", "node": "fw", "sector": "gov", "consumer": 5}])"),
         R"~(s.json:7:59: error: [scenario.unknown-key] (/services/0/consumer) unknown key 'consumer'; did you mean 'consumers'?
)~"},
        {"missing site", scenario(R"("nodes": [{"id": "a", "kind": "server"}])"),
         R"~(s.json:2:11: error: [scenario.missing-field] (/nodes/0) missing field 'site'
)~"},
        {"unknown kind", scenario(R"("sites": [{"id": "hq"}], "nodes": [{"id": "a", "site": "hq", "kind": "plcc"}])"),
         R"~(s.json:2:70: error: [scenario.bad-value] (/nodes/0/kind) unknown node kind 'plcc'; did you mean 'plc'?
)~"},
        {"empty node id", scenario(R"("sites": [{"id": "hq"}], "nodes": [{"id": "", "site": "hq", "kind": "server"}])"),
         R"~(s.json:2:43: error: [scenario.bad-value] (/nodes/0/id) expected a non-empty identifier; got ""
)~"},
        {"empty team id", scenario(R"("teams": [{"id": ""}])"),
         R"~(s.json:2:18: error: [scenario.bad-value] (/teams/0/id) expected a non-empty identifier; got ""
)~"},
        {"dangling site", scenario(R"("sites": [{"id": "agency"}],
"nodes": [{"id": "a", "site": "agnecy", "kind": "server"}])"),
         R"~(s.json:3:31: error: [scenario.dangling-reference] (/nodes/0/site) no site 'agnecy'; did you mean 'agency'?
)~"},
        {"unknown zone", world("", R"({"id": "x", "site": "hq", "zone": "lna", "kind": "server"})"),
         R"~(s.json:5:103: error: [scenario.dangling-reference] (/nodes/4/zone) site 'hq' has no zone 'lna'; did you mean 'lan'?
)~"},
        {"duplicate node", world("", R"({"id": "fw", "site": "hq", "kind": "server"})"),
         R"~(s.json:5:76: error: [scenario.duplicate-id] (/nodes/4/id) duplicate node id 'fw'; first defined at /nodes/0
)~"},
        {"uplink to a counted id", world("", R"({"id": "x", "site": "hq", "kind": "server", "uplink": "ws"})"),
         R"~(s.json:5:123: error: [scenario.unknown-node] (/nodes/4/uplink) no node 'ws'; did you mean 'ws-1'? ("count" copies a node as 'ws-1', 'ws-2', ...)
)~"},
        {"bad bandwidth", world(R"("links": [{"id": "l", "a": "fw", "b": "ws-1", "bandwidth": "100 Mbps"}])"),
         R"~(s.json:7:60: error: [scenario.bad-unit] (/links/0/bandwidth) expected a bandwidth in bits per second such as "100Mbps", "10Gbps"; got "100 Mbps"
)~"},
        {"link to unknown node", world(R"("links": [{"id": "l", "a": "fw", "b": "ws-3"}])"),
         R"~(s.json:7:39: error: [scenario.unknown-node] (/links/0/b) no node 'ws-3'; did you mean 'ws-1'?
)~"},
        {"link to itself", world(R"("links": [{"id": "l", "a": "fw", "b": "fw"}])"),
         R"~(s.json:7:39: error: [scenario.bad-value] (/links/0/b) a link joins two different nodes; both ends are 'fw'
)~"},
        {"bad power", world(R"("grids": [{"id": "g", "reserve": "20 MW"}])"),
         R"~(s.json:7:34: error: [scenario.bad-unit] (/grids/0/reserve) expected a power such as "200MW", "500kW", "1GW"; got "20 MW"
)~"},
        {"dependency form", world(R"("dependencies": [{"id": "d", "dependent": "node:fw", "on": "power:x"}])"),
         R"~(s.json:7:60: error: [scenario.bad-value] (/dependencies/0/on) expected "service:ID", "node:ID" or "grid:ID"; got "power:x"
)~"},
        {"probability out of range",
         world(R"("sensors": [{"id": "s", "team": "blue", "covers": ["*"], "probability": 1.5}])"),
         R"~(s.json:7:73: error: [scenario.probability-range] (/sensors/0/probability) a probability is a number from 0 to 1; got 1.5
)~"},
        {"sensor covers nothing", world(R"("sensors": [{"id": "s", "team": "blue", "covers": ["kind:plc"]}])"),
         R"~(s.json:7:51: warning: [scenario.sensor-covers-nothing] (/sensors/0/covers) sensor 's' covers no node
)~"},
        {"sensor detects an unknown tactic",
         world(R"("sensors": [{"id": "s", "team": "blue", "covers": ["*"], "detects": ["lateral-movment"]}])"),
         R"~(s.json:7:70: error: [scenario.unknown-tactic] (/sensors/0/detects/0) unknown ATT&CK tactic 'lateral-movment'; did you mean 'lateral-movement'? (a sensor detects technique ids such as T1566.001 or tactic names such as lateral-movement)
)~"},
        // A malformed selector or role is reported once: not again as "owns no node" (issue 14, noise).
        {"bad selector word", world("", "", R"({"id": "red", "role": "player", "assets": ["sit:hq"]})"),
         R"~(s.json:6:93: error: [scenario.bad-selector] (/teams/1/assets/0) bad selector word 'sit:hq'; expected node:ID, site:ID, kind:KIND, zone:SITE/ZONE, team:ID, tag:TAG, service:ID or *; did you mean 'site'?
)~"},
        {"bad selector kind", world("", "", R"({"id": "red", "role": "player", "assets": ["kind:plcc"]})"),
         R"~(s.json:6:93: error: [scenario.bad-selector] (/teams/1/assets/0) unknown node kind 'plcc'; did you mean 'plc'?
)~"},
        {"player without assets", world("", "", R"({"id": "red", "role": "player"})"),
         R"~(s.json:6:50: warning: [scenario.team-without-assets] (/teams/1) player team 'red' owns no node; give it "assets" such as ["site:ID"]
)~"},
        {"unknown role", world("", "", R"({"id": "red", "role": "whitecell"})"),
         R"~(s.json:6:72: error: [scenario.bad-value] (/teams/1/role) unknown team role 'whitecell'; did you mean 'white_cell'?
)~"},
        {"unknown technique", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "s", "technique": "T1566.009", "source": "external", "target": "node:ws-1", "duration": "1m"}]}]})"),
         R"~(s.json:8:28: error: [scenario.unknown-technique] (/adversary/campaigns/0/steps/0/technique) unknown ATT&CK technique 'T1566.009'; did you mean 'T1566.001'?
)~"},
        {"technique does not fit the effect", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "s", "technique": "T1068", "source": "external", "target": "node:ws-1", "duration": "1m", "effect": "deface"}]}]})"),
         R"~(s.json:8:28: warning: [scenario.tactic-mismatch] (/adversary/campaigns/0/steps/0/technique) technique T1068 (Exploitation for Privilege Escalation, privilege-escalation) does not fit effect 'deface', which expects impact
)~"},
        {"requires a later step", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1068", "target": "node:ws-1", "duration": "1m", "requires": {"steps": ["b"]}},
  {"id": "b", "technique": "T1068", "target": "node:ws-1", "duration": "1m"}]}]})"),
         R"~(s.json:8:101: error: [scenario.dangling-reference] (/adversary/campaigns/0/steps/0/requires/steps/0) step 'b' is not earlier in campaign 'c'; a step can only require earlier steps
)~"},
        {"unreachable target",
         world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1190", "source": "external", "target": "node:island", "duration": "1m"}]}]})",
               R"({"id": "island", "site": "hq", "kind": "server"})"),
         R"~(s.json:8:69: warning: [scenario.unreachable-target] (/adversary/campaigns/0/steps/0/target) no link path leads from the step's possible sources (external) to 'node:island'
)~"},
        {"bad distribution", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1190", "target": "node:ws-1", "duration": {"uniform": ["30m", "10m"]}},
  {"id": "b", "technique": "T1190", "target": "node:ws-1", "duration": {"gauss": "10m"}}]}]})"),
         R"~(s.json:8:84: error: [scenario.bad-value] (/adversary/campaigns/0/steps/0/duration/uniform) uniform [min, max] needs min <= max
s.json:9:73: error: [scenario.unknown-key] (/adversary/campaigns/0/steps/1/duration/gauss) unknown distribution 'gauss'
)~"},
        {"exfiltrate without c2", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1041", "target": "node:ws-1", "duration": "1m", "effect": "exfiltrate"}]}]})"),
         R"~(s.json:8:88: error: [scenario.missing-field] (/adversary/campaigns/0/steps/0/effect) an exfiltrate step needs the campaign's "c2" to receive the data
s.json:8:3: error: [scenario.missing-field] (/adversary/campaigns/0/steps/0) an exfiltrate step needs "exfiltrate": the data size, such as "500MB"
)~"},
        {"inject with time and trigger",
         world(R"("msel": [{"id": "i", "time": "1h", "trigger": {"inject_delivered": "i"}, "to": ["blue"]}])"),
         R"~(s.json:7:47: error: [scenario.inject-timing] (/msel/0/trigger) an inject has a time or a trigger, not both
s.json:7:47: error: [scenario.trigger-cycle] (/msel/0/trigger) trigger cycle: inject 'i' waits for inject 'i'; none of them can ever happen
)~"},
        {"inject with neither", world(R"("msel": [{"id": "i", "to": ["blue"]}])"),
         R"~(s.json:7:10: error: [scenario.inject-timing] (/msel/0) an inject needs a "time" or a "trigger" (or type "contingency")
)~"},
        {"inject after the end", world(R"("msel": [{"id": "i", "time": "9h", "to": ["blue"]}])"),
         R"~(s.json:7:30: error: [scenario.time-outside-exercise] (/msel/0/time) inject time 9h is after the end of the exercise (8h)
)~"},
        {"relative time after the end", world(R"("msel": [{"id": "i", "time": "D+1", "to": ["blue"]}])"),
         R"~(s.json:7:30: error: [scenario.time-outside-exercise] (/msel/0/time) inject time 1d is after the end of the exercise (8h)
)~"},
        {"bad inject time", world(R"("msel": [{"id": "i", "time": "noon", "to": ["blue"]}])"),
         R"~(s.json:7:30: error: [scenario.bad-unit] (/msel/0/time) expected a time such as "15m", "2h30m" or "D+1 H+3 M+45"; got "noon"
)~"},
        {"unknown move", world(R"("msel": [{"id": "i", "move": "move-1", "time": "1h", "to": ["blue"]}])"),
         R"~(s.json:7:30: error: [scenario.dangling-reference] (/msel/0/move) no move 'move-1'
)~"},
        {"inject nobody receives", world(R"("msel": [{"id": "i", "time": "1h"}])"),
         R"~(s.json:7:10: warning: [scenario.unreceived-inject] (/msel/0) inject 'i' has no recipient: give it "to" (team ids) or "hidden": true
)~"},
        {"unknown recipient", world(R"("msel": [{"id": "i", "time": "1h", "to": ["bleu"]}])"),
         R"~(s.json:7:43: error: [scenario.dangling-reference] (/msel/0/to/0) no team 'bleu'; did you mean 'blue'?
)~"},
        {"trigger cycle", world(R"("msel": [{"id": "a", "trigger": {"inject_delivered": "b"}, "to": ["blue"]},
  {"id": "b", "trigger": {"inject_delivered": "a"}, "to": ["blue"]}])"),
         R"~(s.json:7:33: error: [scenario.trigger-cycle] (/msel/0/trigger) trigger cycle: inject 'a' waits for inject 'b', which waits for inject 'a'; none of them can ever happen
)~"},
        {"unknown trigger kind",
         world(R"("msel": [{"id": "a", "trigger": {"node_compromise": "node:fw"}, "to": ["blue"]}])"),
         R"~(s.json:7:33: error: [scenario.bad-value] (/msel/0/trigger) a trigger needs one of node_compromised, service_down, service_degraded, exfiltrated_over, action, message, alert, expectation_met, expectation_missed, inject_delivered, power_lost_over, data_published, probe_down, probe_degraded, unit_derated, unit_tripped, dependency_lost, backup_exhausted, step_succeeded, node_encrypted, all, any, not; did you mean 'node_compromised'?
)~"},
        {"two trigger conditions",
         world(R"("msel": [{"id": "a", "trigger": {"service_down": "x", "inject_delivered": "a"}, "to": ["blue"]}])"),
         R"~(s.json:7:33: error: [scenario.bad-value] (/msel/0/trigger) a trigger has one condition, found 'service_down' and 'inject_delivered'; combine conditions with {"all": [...]} or {"any": [...]}
)~"},
        {"unknown expectation",
         world(R"("msel": [{"id": "a", "trigger": {"expectation_met": "exp-1"}, "to": ["blue"]}])"),
         R"~(s.json:7:53: error: [scenario.dangling-reference] (/msel/0/trigger/expectation_met) no expectation 'exp-1'
)~"},
        {"contingency of the wrong type", world(R"("msel": [{"id": "a", "time": "1h", "to": ["blue"], "expectations": [
  {"id": "e", "team": "blue", "met_by": {"action": "isolate", "team": "blue"}, "contingency": "b"}]},
  {"id": "b", "time": "2h", "to": ["blue"]}])"),
         R"~(s.json:8:95: error: [scenario.bad-value] (/msel/0/expectations/0/contingency) inject 'b' is released on a missed expectation, so its type is "contingency"
)~"},
        {"expectation cycle", world(R"("msel": [{"id": "a", "time": "1h", "to": ["blue"], "expectations": [
  {"id": "e", "team": "blue", "met_by": {"inject_delivered": "c"}, "contingency": "c"}]},
  {"id": "c", "type": "contingency", "to": ["blue"]}])"),
         R"~(s.json:9:3: error: [scenario.trigger-cycle] (/msel/1) trigger cycle: inject 'c' waits for expectation 'e', which waits for inject 'c'; none of them can ever happen
)~"},
        {"unknown action in a trigger",
         world(R"("msel": [{"id": "a", "trigger": {"action": "isolat", "team": "blue"}, "to": ["blue"]}])"),
         R"~(s.json:7:44: error: [scenario.bad-value] (/msel/0/trigger/action) unknown action type 'isolat'; did you mean 'isolate'?
)~"},
        {"duplicate action", world(R"("actions": [{"type": "patch"}, {"type": "patch", "duration": "1h"}])"),
         R"~(s.json:7:41: error: [scenario.duplicate-id] (/actions/1/type) action 'patch' is already defined
)~"},
        {"topology file missing", world(R"("topologies": [{"id": "t", "file": "nowhere.graphml"}])"),
         R"~(s.json:7:36: error: [scenario.missing-file] (/topologies/0/file) no GraphML file 'nowhere.graphml' (looked for 'nowhere.graphml')
)~"},
        {"unknown metric", world(R"("objectives": [{"id": "o", "metrics": ["time_to_detekt"]}])"),
         R"~(s.json:7:40: error: [scenario.bad-value] (/objectives/0/metrics/0) unknown metric 'time_to_detekt'; did you mean 'time_to_detect'?
)~"},
        {"moves out of order", R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h", "moves": [
  {"id": "m1", "offset": "2h"}, {"id": "m2", "offset": "1h"}, {"id": "m3", "offset": "9h"}]}})",
         R"~(s.json:2:56: error: [scenario.move-order] (/exercise/moves/1/offset) moves start in order: this move starts at 1h, not after the previous one (2h)
s.json:2:86: error: [scenario.time-outside-exercise] (/exercise/moves/2/offset) move offset 9h is not before the end of the exercise (8h)
)~"},
        {"count of zero", world("", R"({"id": "x", "count": 0, "site": "hq", "kind": "server"})"),
         R"~(s.json:5:90: error: [scenario.out-of-range] (/nodes/4/count) expected a whole number from 1 to 1000000; got 0
)~"},
        {"purdue level out of range", scenario(R"("sites": [{"id": "ot", "zones": [{"id": "field", "purdue": 7}]}])"),
         R"~(s.json:2:60: error: [scenario.out-of-range] (/sites/0/zones/0/purdue) expected a whole number from 0 to 5; got 7
)~"},
        {"botnet wave ends before it starts",
         world(R"("adversary": {"botnets": [{"id": "b", "size": 10, "attach": ["inet"], "target": "node:fw",
  "schedule": [{"start": "2h", "end": "1h"}]}]})"),
         R"~(s.json:8:39: error: [scenario.bad-value] (/adversary/botnets/0/schedule/0/end) a wave ends after it starts; got start 2h, end 1h
)~"},
        {"unknown capability and critical task",
         world(R"("capabilities": [{"id": "cap", "critical_tasks": [{"id": "ct-1"}]}],
"objectives": [{"id": "o", "capability": "cap", "critical_tasks": ["ct-2"]}, {"id": "p", "capability": "capp"}])"),
         R"~(s.json:8:68: error: [scenario.dangling-reference] (/objectives/0/critical_tasks/0) capability 'cap' has no critical task 'ct-2'; did you mean 'ct-1'?
s.json:8:104: error: [scenario.dangling-reference] (/objectives/1/capability) no capability 'capp'; did you mean 'cap'?
)~"},
        {"message from an unknown team",
         world(R"("msel": [{"id": "a", "trigger": {"message": {"from": "red", "to": "blue"}}, "to": ["blue"]}])"),
         R"~(s.json:7:54: error: [scenario.dangling-reference] (/msel/0/trigger/message/from) no team 'red'
)~"},
        {"unknown tactic on a step", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1068", "tactic": "privilege-escalaton", "target": "node:ws-1", "duration": "1m"}]}]})"),
         R"~(s.json:8:47: error: [scenario.unknown-tactic] (/adversary/campaigns/0/steps/0/tactic) unknown ATT&CK tactic 'privilege-escalaton'; did you mean 'privilege-escalation'?
)~"},
        {"duration of the wrong type", R"({"cyberex": 1, "exercise": {"title": "t", "duration": {"h": 8}}})",
         R"~(s.json:1:55: error: [scenario.type] (/exercise/duration) expected a duration such as "90s", "15m", "2h30m"; got an object
)~"},
        {"selector in a step target", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1068", "target": "zone:hq/dnz", "duration": "1m"}]}]})"),
         R"~(s.json:8:47: error: [scenario.dangling-reference] (/adversary/campaigns/0/steps/0/target) site 'hq' has no zone 'dnz'; did you mean 'dmz'?
)~"},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      CHECK(diagnose(c.text) == c.expected);
    }
  }

  TEST_CASE("model-changing mistakes: legal, but warned about at their place (issue 14)")
  {
    // Positions, counted by hand: world() puts the extra nodes on line 5 after the 68 characters of
    // '  {"id": "inet", ... "uplink": "fw"}, ', so a value k characters into the extra text is in column 69 + k
    // ('"40MW"' is 74 characters into the first case's node: column 143); the body starts on line 7, the extra
    // teams on line 6. Messages: the rule each case breaks, in the words of docs/scenario-format.md ("Warnings").
    // A small grid for the physical checks: a grid g, a substation sub and a unit gen in it (line 5 of world()).
    const std::string grid_nodes =
        R"({"id": "sub", "site": "hq", "kind": "substation", "grid": "g", "load": "50MW"}, {"id": "gen", "site": "hq", "kind": "generation_unit", "grid": "g", "capacity": "80MW"})";
    const std::vector<Case> cases = {
        {"substation with capacity instead of load",
         world(R"("grids": [{"id": "g"}], "msel": [])",
               R"({"id": "s2", "site": "hq", "kind": "substation", "grid": "g", "capacity": "40MW"})"),
         R"~(s.json:5:143: warning: [scenario.ignored] (/nodes/4/capacity) 'capacity' applies to generation units only; node 's2' is a substation: it is ignored; the power a substation draws is its "load"
)~"},
        {"generation unit with load instead of capacity",
         world(R"("grids": [{"id": "g"}], "msel": [])",
               R"({"id": "u2", "site": "hq", "kind": "generation_unit", "grid": "g", "load": "40MW"})"),
         R"~(s.json:5:144: warning: [scenario.ignored] (/nodes/4/load) 'load' applies to substations and pumping stations only; node 'u2' is a generation_unit: it is ignored; the power a generation unit delivers is its "capacity"
)~"},
        {"customers on a generation unit",
         world(
             R"("grids": [{"id": "g"}], "msel": [])",
             R"({"id": "u2", "site": "hq", "kind": "generation_unit", "grid": "g", "capacity": "40MW", "customers": 900})"),
         R"~(s.json:5:169: warning: [scenario.ignored] (/nodes/4/customers) 'customers' applies to substations only; node 'u2' is a generation_unit: it is ignored
)~"},
        {"grid and load on a server",
         world(R"("grids": [{"id": "g"}], "msel": [])",
               R"({"id": "x", "site": "hq", "kind": "server", "grid": "g", "load": "1MW"})"),
         R"~(s.json:5:134: warning: [scenario.ignored] (/nodes/4/load) 'load' applies to substations and pumping stations only; node 'x' is a server: it is ignored
s.json:5:121: warning: [scenario.ignored] (/nodes/4/grid) 'grid' applies to generation units and substations only; node 'x' is a server: it is ignored
)~"},
        {"shed priority on a generation unit",
         world(R"("grids": [{"id": "g"}], "msel": [])",
               R"({"id": "u2", "site": "hq", "kind": "generation_unit", "grid": "g", "shed_priority": 1})"),
         R"~(s.json:5:153: warning: [scenario.ignored] (/nodes/4/shed_priority) 'shed_priority' applies to substations only; node 'u2' is a generation_unit: it is ignored
)~"},
        {"generation unit with no grid",
         world(R"("msel": [])",
               R"({"id": "u", "count": 2, "site": "hq", "kind": "generation_unit", "capacity": "9MW"})"),
         R"~(s.json:5:69: warning: [scenario.no-grid] (/nodes/4) generation unit 'u-1' belongs to no grid: its power supplies no substation; give it "grid"
)~"},
        {"substation with no grid",
         world(R"("msel": [])", R"({"id": "s", "site": "hq", "kind": "substation", "load": "9MW"})"),
         R"~(s.json:5:69: warning: [scenario.no-grid] (/nodes/4) substation 's' belongs to no grid: it is never short of power, so its customers never lose it; give it "grid"
)~"},
        {"plc controlling a workstation",
         world(R"("grids": [{"id": "g"}], "msel": [])",
               grid_nodes +
                   R"(, {"id": "p", "site": "hq", "kind": "plc", "uplink": "sw", "controls": ["gen", "ws-2"]})"),
         R"~(s.json:5:315: warning: [scenario.not-physical] (/nodes/6/controls/1) plc 'p' controls 'ws-2' (kind workstation): a controller trips or derates physical equipment (generation_unit, substation, pumping_station); a step on 'p' does nothing to 'ws-2'
)~"},
        {"scada server controlling a firewall",
         world(R"("msel": [])", R"({"id": "scada", "site": "hq", "kind": "scada_server", "controls": ["fw"]})"),
         R"~(s.json:5:136: warning: [scenario.not-physical] (/nodes/4/controls/0) scada_server 'scada' controls 'fw' (kind firewall): a controller trips or derates physical equipment (generation_unit, substation, pumping_station); a step on 'scada' does nothing to 'fw'
)~"},
        {"expectation for a team that does not receive its inject",
         world(R"("msel": [{"id": "i", "time": "1h", "to": ["blue"], "expectations": [
  {"id": "e", "team": "red", "met_by": {"action": "isolate", "team": "red"}}]}])",
               "", R"({"id": "red", "assets": ["node:ws-1"]})"),
         R"~(s.json:8:23: warning: [scenario.expectation-unreceived] (/msel/0/expectations/0/team) expectation 'e' is for team 'red', which does not receive inject 'i' (it goes to 'blue'); add 'red' to its "to" or expect this of a team that receives it
)~"},
        {"expectation on a hidden inject", world(R"("msel": [{"id": "i", "time": "1h", "hidden": true, "expectations": [
  {"id": "e", "team": "blue", "met_by": {"action": "isolate", "team": "blue"}}]}])"),
         R"~(s.json:8:23: warning: [scenario.expectation-unreceived] (/msel/0/expectations/0/team) expectation 'e' is for team 'blue', which does not receive inject 'i' (it reaches no team); add 'blue' to its "to" or expect this of a team that receives it
)~"},
        {"objective scored for the White Cell",
         world(R"("objectives": [{"id": "o", "teams": ["blue", "wc"]}])", "", R"({"id": "wc", "role": "white_cell"})"),
         R"~(s.json:7:46: warning: [scenario.non-player-objective] (/objectives/0/teams/1) objective 'o' is scored for team 'wc', whose role is white_cell; only player teams are scored, so it counts for nobody
)~"},
        {"objective scored for the evaluators",
         world(R"("objectives": [{"id": "o", "teams": ["ev"]}])", "", R"({"id": "ev", "role": "evaluator"})"),
         R"~(s.json:7:38: warning: [scenario.non-player-objective] (/objectives/0/teams/0) objective 'o' is scored for team 'ev', whose role is evaluator; only player teams are scored, so it counts for nobody
)~"},
        {"misspelt time zone",
         R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h", "timezone": "Europe/Brusels"}})",
         R"~(s.json:1:73: warning: [scenario.unknown-time-zone] (/exercise/timezone) no time zone 'Europe/Brusels' in the IANA tz database; did you mean 'Europe/Brussels'?
)~"},
        {"time zone in lower case",
         R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h", "timezone": "europe/paris"}})",
         R"~(s.json:1:73: warning: [scenario.unknown-time-zone] (/exercise/timezone) no time zone 'europe/paris' in the IANA tz database; did you mean 'Europe/Paris'?
)~"},
        {"time zone that is no name",
         R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h", "timezone": "Brussels"}})",
         R"~(s.json:1:73: warning: [scenario.unknown-time-zone] (/exercise/timezone) no time zone 'Brussels' in the IANA tz database; expected a name such as "Europe/Brussels" or "UTC"
)~"},
        {"country code in lower case", scenario(R"("organisations": [{"id": "o", "country": "fi"}])"),
         R"~(s.json:2:42: warning: [scenario.country-code] (/organisations/0/country) country code 'fi' is not in capitals; ISO 3166 codes are written 'FI'
)~"},
        {"site country in mixed case", scenario(R"("sites": [{"id": "hq", "country": "Be"}])"),
         R"~(s.json:2:35: warning: [scenario.country-code] (/sites/0/country) country code 'Be' is not in capitals; ISO 3166 codes are written 'BE'
)~"},
        {"country name instead of a code", scenario(R"("organisations": [{"id": "o", "country": "Finland"}])"),
         R"~(s.json:2:42: warning: [scenario.country-code] (/organisations/0/country) country 'Finland' is not a country code; expected two capital letters (ISO 3166-1 alpha-2) such as "BE", or "EU" or "INT"
)~"},
        {"unknown firewall protocol", world(R"("links": [{"id": "l", "a": "fw", "b": "ws-1", "firewall": [
  {"action": "deny", "protocol": "smbb"}]}])"),
         R"~(s.json:8:34: warning: [scenario.unknown-protocol] (/links/0/firewall/0/protocol) unknown protocol 'smbb'; did you mean 'smb'? (known: any, bacnet, dnp3, dns, enip, ftp, http, https, icmp, iec104, iec61850, imap, kerberos, ldap, modbus, mqtt, netbios, ntp, opcua, pop3, profinet, rdp, rpc, s7, sftp, smb, smtp, snmp, sql, ssh, telnet, tls, vnc, winrm)
)~"},
        {"unknown step protocol", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1190", "source": "external", "protocol": "modbuss", "target": "node:ws-1", "duration": "1m"}]}]})"),
         R"~(s.json:8:71: warning: [scenario.unknown-protocol] (/adversary/campaigns/0/steps/0/protocol) unknown protocol 'modbuss'; did you mean 'modbus'? (known: any, bacnet, dnp3, dns, enip, ftp, http, https, icmp, iec104, iec61850, imap, kerberos, ldap, modbus, mqtt, netbios, ntp, opcua, pop3, profinet, rdp, rpc, s7, sftp, smb, smtp, snmp, sql, ssh, telnet, tls, vnc, winrm)
)~"},
        {"a firewall rule in capitals matches the step's protocol",
         world(R"("links": [{"id": "l", "a": "sw", "b": "srv", "firewall": [{"action": "deny", "protocol": "SMB"}]}],
"adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "a", "technique": "T1190", "source": "external", "protocol": "smb", "target": "node:srv", "duration": "1m"}]}]})",
               R"({"id": "srv", "site": "hq", "kind": "server"})"),
         R"~(s.json:9:88: warning: [scenario.unreachable-target] (/adversary/campaigns/0/steps/0/target) firewall rules stop 'smb' traffic on every link path from the step's possible sources (external) to 'node:srv'
)~"},
        {"a step whose sources are behind a deny rule",
         world(R"("links": [{"id": "ot", "a": "sw", "b": "p", "firewall": [{"action": "deny", "protocol": "modbus"}]}],
"adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "in", "technique": "T1190", "source": "external", "target": "node:ws-1", "duration": "1m", "effect": "compromise"},
  {"id": "ics", "technique": "T0855", "protocol": "modbus", "target": "node:p", "duration": "1m", "effect": "trip"}]}]})",
               R"({"id": "p", "site": "hq", "kind": "plc"})"),
         R"~(s.json:10:71: warning: [scenario.unreachable-target] (/adversary/campaigns/0/steps/1/target) firewall rules stop 'modbus' traffic on every link path from the step's possible sources (compromised) to 'node:p'
)~"},
        {"a compromised source that no earlier step compromises",
         world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "look", "technique": "T1046", "source": "external", "target": "node:ws-1", "duration": "1m", "effect": "discover"},
  {"id": "move", "technique": "T1021.002", "protocol": "smb", "target": "node:ws-2", "duration": "1m", "effect": "compromise"}]}]})"),
         R"~(s.json:9:3: warning: [scenario.unreachable-target] (/adversary/campaigns/0/steps/1/source) step 'move' starts from a compromised node, and no earlier step of campaign 'c' can have compromised one
)~"},
        {"a credential step on a node never compromised", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "in", "technique": "T1190", "source": "external", "target": "node:ws-1", "duration": "1m", "effect": "compromise"},
  {"id": "dump", "technique": "T1003.001", "target": "node:ws-2", "duration": "1m", "effect": "credential"}]}]})"),
         R"~(s.json:9:54: warning: [scenario.unreachable-target] (/adversary/campaigns/0/steps/1/target) step 'dump' (credential) acts on a node the adversary holds, and no earlier step of campaign 'c' can have compromised 'node:ws-2'
)~"},
        {"a malformed exfiltrate size is not also missing", world(R"("adversary": {"campaigns": [{"id": "c", "steps": [
  {"id": "in", "technique": "T1190", "source": "external", "target": "node:ws-1", "duration": "1m", "effect": "compromise"},
  {"id": "a", "technique": "T1041", "target": "node:ws-1", "duration": "1m", "effect": "exfiltrate", "exfiltrate": "5 MB"}],
  "c2": {"node": 7}}]})"),
         R"~(s.json:10:18: error: [scenario.type] (/adversary/campaigns/0/c2/node) expected a string; got 7
s.json:9:116: error: [scenario.bad-unit] (/adversary/campaigns/0/steps/1/exfiltrate) expected a data size such as "500MB", "2GB", "64KiB"; got "5 MB"
)~"},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      CHECK(diagnose(c.text) == c.expected);
    }
  }

  TEST_CASE("time zones: the compiled-in tz list everywhere, a zone newer than it from the machine's tz database")
  {
    // TZDIR points the tz database at a directory of this test, so the machine's /usr/share/zoneinfo (present or
    // not) plays no part. "Mars/Olympus" is in no tz release: unknown until the directory holds a compiled zone
    // (magic "TZif") of that name; a file without the magic is not a zone. "Europe/Brussels" is in the list.
    TempDir tz;
    const char* before = std::getenv("TZDIR");
    const std::string saved = before ? before : "";
    ::setenv("TZDIR", tz.path.c_str(), 1);
    const auto zone = [](const std::string& name) {
      return diagnose(R"({"cyberex": 1, "exercise": {"title": "t", "duration": "8h", "timezone": ")" + name + "\"}}");
    };
    const std::string mars = "s.json:1:73: warning: [scenario.unknown-time-zone] (/exercise/timezone) no time zone "
                             "'Mars/Olympus' in the IANA tz database; expected a name such as \"Europe/Brussels\" or "
                             "\"UTC\"\n";
    CHECK(zone("Europe/Brussels") == "");
    CHECK(zone("Mars/Olympus") == mars);
    tz.write("Mars/Olympus", "not a zone");
    CHECK(zone("Mars/Olympus") == mars);
    tz.write("Mars/Olympus", std::string("TZif2\0\0\0", 8));
    CHECK(zone("Mars/Olympus") == "");
    CHECK(zone("../Mars/Olympus") != ""); // never a path outside the tz directory
    if (before)
      ::setenv("TZDIR", saved.c_str(), 1);
    else
      ::unsetenv("TZDIR");
  }

  TEST_CASE("a JSON syntax error in an include: its own error, and only the references that dangle anyway")
  {
    // b.json seems to define site ot, node plc (count 2: plc-1, plc-2) and team ops, then breaks on line 3 (",,").
    // References to those ids say nothing more; 'opz' dangles whatever b.json would have said, so it is reported.
    const std::string b = "{\"sites\": [{\"id\": \"ot\"}],\n"
                          " \"nodes\": [{\"id\": \"plc\", \"count\": 2, \"site\": \"ot\", \"kind\": \"plc\"}],\n"
                          " \"teams\": [{\"id\": \"ops\"}],,\n}";
    CHECK(diagnose(world(R"("include": ["b.json"], "links": [{"id": "l", "a": "fw", "b": "plc-1"}],
"sensors": [{"id": "s", "team": "ops", "covers": ["node:plc-2", "site:ot"]}],
"msel": [{"id": "i", "time": "1h", "to": ["ops", "opz"]}])"),
                   {{"b.json", b}}) ==
          // b.json line 3: ' "teams": [{"id": "ops"}],,' has its second comma in column 27; "opz" starts in column
          // 50 of line 9 ('"msel": [' 9, '{"id": "i", ' 12, '"time": "1h", ' 14, '"to": [' 7, '"ops", ' 7)
          "b.json:3:27: error: [json.syntax] syntax error while parsing object key - unexpected ','; expected string "
          "literal\n"
          "s.json:9:50: error: [scenario.dangling-reference] (/msel/0/to/1) no team 'opz'\n");
  }

  TEST_CASE("an unknown topology label: the nearest labels, even when none is close")
  {
    // Labels t:Bern, t:Oslo, t:Paris, t:Rome (map order). "t:Zzzz" is 4 edits from t:Bern, t:Oslo and t:Rome
    // (4 substitutions) and 5 from t:Paris (4 substitutions, 1 insertion): the nearest three are Bern, Oslo, Rome,
    // ties in map order. "t:Berne" is one edit from t:Bern: a plain "did you mean".
    const std::string graphml = R"(<?xml version="1.0" encoding="utf-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="label" attr.type="string" for="node" id="d0" />
  <graph edgedefault="undirected">
    <node id="0"><data key="d0">Paris</data></node>
    <node id="1"><data key="d0">Bern</data></node>
    <node id="2"><data key="d0">Rome</data></node>
    <node id="3"><data key="d0">Oslo</data></node>
    <edge source="0" target="1" /><edge source="1" target="2" /><edge source="2" target="3" />
  </graph>
</graphml>
)";
    CHECK(diagnose(world(R"("topologies": [{"id": "t", "file": "t.graphml"}],
"links": [{"id": "l1", "a": "fw", "b": "t:Zzzz"}, {"id": "l2", "a": "fw", "b": "t:Berne"}])"),
                   {{"t.graphml", graphml}}) ==
          // line 8: each link object is 38 characters from column 11, its "b" value 29 characters in: columns 40, 80
          "s.json:8:40: error: [scenario.unknown-node] (/links/0/b) no node 't:Zzzz'; no label of topology 't' is "
          "close; the nearest are: 't:Bern', 't:Oslo', 't:Rome' (cyberex labels FILE.graphml lists them all)\n"
          "s.json:8:80: error: [scenario.unknown-node] (/links/1/b) no node 't:Berne'; did you mean 't:Bern'?\n");
  }

  TEST_CASE("a topology's location and country: read, given to the site it creates, and a malformed one located")
  {
    const std::string graphml = R"(<?xml version="1.0" encoding="utf-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="label" attr.type="string" for="node" id="d0" />
  <graph edgedefault="undirected">
    <node id="0"><data key="d0">Chicago</data></node>
    <node id="1"><data key="d0">Denver</data></node>
    <edge source="0" target="1" />
  </graph>
</graphml>
)";
    TempDir dir;
    dir.write("t.graphml", graphml);
    const LoadResult ok =
        load_scenario(dir.write("s.json", scenario(R"("topologies": [{"id": "t", "file": "t.graphml", "country": "US",
  "location": {"lat": 39.5, "lon": -98.25}}])")));
    REQUIRE(ok.ok());
    REQUIRE(ok.scenario->topologies.size() == 1);
    const Topology& t = ok.scenario->topologies[0];
    CHECK(t.country == "US");
    REQUIRE(t.location.has_value());
    CHECK(t.location->lat == 39.5);
    CHECK(t.location->lon == -98.25);
    const Site& site = ok.scenario->sites[static_cast<std::size_t>(ok.scenario->site_by_id.at("t"))];
    CHECK(site.country == "US");
    REQUIRE(site.location.has_value());
    CHECK(site.location->lon == -98.25);
    // line 2: the "lat" value 95 at column 69; the "lon" value "west" at column 80
    CHECK(diagnose(
              scenario(R"("topologies": [{"id": "t", "file": "t.graphml", "location": {"lat": 95, "lon": "west"}}])"),
              {{"t.graphml", graphml}}) ==
          "s.json:2:69: error: [scenario.out-of-range] (/topologies/0/location/lat) expected a number from -90 to 90; "
          "got 95\n"
          "s.json:2:80: error: [scenario.type] (/topologies/0/location/lon) expected a number; got \"west\"\n");
  }

  TEST_CASE("a firewall edit that cuts the tutorial's ICS campaign off is warned about")
  {
    std::ifstream in(CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    TempDir dir;
    fs::create_directories(dir.path / "topologies");
    fs::copy_file(CYBEREX_SOURCE_DIR "/scenarios/topologies/Abilene.graphml", dir.path / "topologies/Abilene.graphml");
    const std::string path = dir.write("tutorial/t.json", text);
    CHECK(load_scenario(path).diagnostics.items().empty());
    // The IT/OT link allows rdp and https, then denies anything else. Denying "RDP" (any case is the same name)
    // leaves the engineering workstation out of reach of the "rdp" step: its only source, ut-ws (phished), sits on
    // the IT side, and every path to ut-ews crosses ut-it-ot. The "command" step is then judged as if "rdp" were
    // fixed (from ut-ews, over its own link to plc-1, no firewall): one mistake, one warning, at the value of the
    // "rdp" step's target.
    const std::string allow = R"({ "action": "allow", "protocol": "rdp" })";
    REQUIRE(text.find(allow) != std::string::npos);
    text.replace(text.find(allow), allow.size(), R"({ "action": "deny", "protocol": "RDP" })");
    dir.write("tutorial/t.json", text);
    const std::size_t target = text.find("\"node:ut-ews\"", text.find("\"id\": \"rdp\""));
    const std::size_t line_start = text.rfind('\n', target) + 1;
    const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(target), '\n') + 1;
    std::string out;
    const LoadResult edited = load_scenario(path);
    for (const auto& d : edited.diagnostics.items())
      out += d.format().substr(path.size()) + "\n";
    CHECK(out == ":" + std::to_string(line) + ":" + std::to_string(target - line_start + 1) +
                     ": warning: [scenario.unreachable-target] (/adversary/campaigns/1/steps/1/target) firewall rules "
                     "stop 'rdp' traffic on every link path from the step's possible sources (compromised) to "
                     "'node:ut-ews'\n");
  }

  TEST_CASE("includes: cycles, missing files, misplaced sections, errors inside")
  {
    CHECK(diagnose(scenario(R"("include": ["b.json"])"), {{"b.json", R"({"include": ["s.json"]})"}}) ==
          "b.json:1:14: error: [scenario.include-cycle] (/include/0) include cycle: s.json -> b.json -> s.json\n");
    CHECK(diagnose(scenario(R"("include": ["nope.json"])")) ==
          "s.json:2:13: error: [scenario.include] (/include/0) cannot include 'nope.json': cannot open the file: no "
          "such file\n");
    CHECK(diagnose(scenario(R"("include": ["b.json"])"),
                   {{"b.json", "{\"exercise\": {\"title\": \"x\", \"duration\": \"1h\"},\n \"scoring\": {}}"}}) ==
          "b.json:1:2: error: [scenario.misplaced-section] (/exercise) \"exercise\" belongs in the main scenario file, "
          "not in an included file\n"
          "b.json:2:2: error: [scenario.misplaced-section] (/scoring) \"scoring\" belongs in the main scenario file, "
          "not in an included file\n");
    CHECK(diagnose(scenario(R"("include": ["sub/b.json", "sub/b.json"])"),
                   {{"sub/b.json", "{\"sites\": [\n  {\"id\": 7}]"}}) ==
          "sub/b.json:2:13: error: [json.syntax] syntax error while parsing object - unexpected end of input; "
          "expected '}'\n"
          "s.json:2:27: error: [scenario.include] (/include/1) 'sub/b.json' is already included\n");
    CHECK(
        diagnose(scenario(R"("include": ["b.json"])"),
                 {{"b.json", "{\"cyberex\": 3, \"sites\": [\n  {\"id\": 7}]}"}}) ==
        "b.json:1:13: error: [scenario.version] (/cyberex) unsupported format version 3; this cyberex reads version 1\n"
        "b.json:2:10: error: [scenario.type] (/sites/0/id) expected a string; got 7\n");
  }

  TEST_CASE("unreadable GraphML")
  {
    CHECK(diagnose(scenario(R"("topologies": [{"id": "t", "file": "bad.graphml"}])"),
                   {{"bad.graphml", "<graphml>\n<graph><node id=\"a\"></graph>"}}) ==
          "bad.graphml:2:21: error: [graphml.syntax] end tag </graph> does not match the open element <node>\n");
  }

  TEST_CASE("hostile input: huge, deep, binary, truncated")
  {
    TempDir dir;
    // 100 MB (sparse, so the test writes nothing): rejected from its size, never read.
    const std::string huge = (dir.path / "huge.json").string();
    std::ofstream(huge) << "{";
    fs::resize_file(huge, std::uintmax_t{100} << 20);
    LoadResult r = load_scenario(huge);
    REQUIRE(r.diagnostics.items().size() == 1);
    CHECK(r.diagnostics.items()[0].format() ==
          huge + ": error: [file.too-large] the file has 104857600 bytes; the limit is 67108864 bytes");
    LoadOptions small;
    small.max_file_bytes = 10;
    CHECK(diagnose(scenario(""), {}, small) == "s.json: error: [file.too-large] the file has 63 bytes; the limit is 10 "
                                               "bytes\n");

    CHECK(diagnose(std::string(10000, '[') + std::string(10000, ']')) ==
          "s.json:1:65: error: [json.too-deep] nesting deeper than 64 levels\n");
    std::string objects;
    for (int i = 0; i < 10000; ++i)
      objects += "{\"a\":";
    CHECK(diagnose(objects) == "s.json:1:321: error: [json.too-deep] nesting deeper than 64 levels\n");
    LoadOptions shallow;
    shallow.max_depth = 3;
    CHECK(diagnose(scenario(R"("sites": [{"id": "a", "zones": [{"id": "z"}]}])"), {}, shallow) ==
          "s.json:2:32: error: [json.too-deep] nesting deeper than 3 levels\n");
    CHECK(diagnose(std::string("{\"cyberex\": 1,\0}", 16)) ==
          "s.json:1:15: error: [json.encoding] NUL byte in the file; a scenario is UTF-8 JSON text, not binary data\n");
    CHECK(diagnose("{\"x\": \"\xff\"}") ==
          "s.json:1:8: error: [json.encoding] invalid UTF-8 (byte 0xff); a scenario is UTF-8 JSON text\n");
    CHECK(diagnose("{\"x\": \"\xed\xa0\x80\"}") ==
          "s.json:1:8: error: [json.encoding] invalid UTF-8 (byte 0xed); a scenario is UTF-8 JSON text\n");
    CHECK(diagnose("\xef\xbb\xbf{\"cyberex\": 1, \"exercise\": {\"title\": \"\xc3\xa9t\xc3\xa9\", \"duration\": 5}}") ==
          "s.json:1:57: error: [scenario.bad-unit] (/exercise/duration) expected a duration such as \"90s\", \"15m\", "
          "\"2h30m\"; got 5\n");

    // Random bytes (a fixed splitmix64 stream): always a clear error, never a crash.
    std::uint64_t state = 12345;
    const auto next = [&state]() {
      std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
    };
    static const char alphabet[] = " {}[]\",:0123456789truefalsn\\u";
    for (int round = 0; round < 50; ++round) {
      std::string bytes(1 + next() % 2000, '\0');
      for (char& c : bytes) // (the alphabet without its terminating NUL: UBSan caught an index one past it)
        c = static_cast<char>(round % 2 ? next() % 256 : alphabet[next() % (sizeof alphabet - 1)]);
      const std::string text = round % 3 ? bytes : "{\"cyberex\": 1, " + bytes;
      const std::string out = diagnose(text);
      INFO(round);
      CHECK(out.rfind("s.json:1:", 0) == 0);
      CHECK(out.find(": error: [json.") != std::string::npos);
    }

    // Every truncation of the tutorial is a located syntax error.
    std::ifstream in(CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json", std::ios::binary);
    const std::string tutorial((std::istreambuf_iterator<char>(in)), {});
    REQUIRE(tutorial.size() > 1000);
    for (std::size_t cut = 0; cut + 2 < tutorial.size(); cut += 211) {
      const std::string out = diagnose(tutorial.substr(0, cut));
      INFO(cut);
      CHECK(out.find(": error: [json.syntax] syntax error while parsing ") != std::string::npos);
      CHECK(std::count(out.begin(), out.end(), '\n') == 1);
    }
  }

  TEST_CASE("wrong values anywhere in the tutorial: located errors at real pointers, never a crash")
  {
    TempDir dir;
    fs::create_directories(dir.path / "topologies");
    fs::copy_file(CYBEREX_SOURCE_DIR "/scenarios/topologies/Abilene.graphml", dir.path / "topologies/Abilene.graphml");
    std::ifstream in(CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json");
    const auto tutorial = nlohmann::json::parse(in);
    const auto flat = tutorial.flatten(); // every leaf value by pointer
    const std::vector<nlohmann::json> wrong{nullptr, nlohmann::json::array(), -1.5};
    int loads = 0;
    int k = 0;
    for (const auto& [pointer, value] : flat.items()) {
      if (k++ % 8)
        continue;
      for (const auto& w : wrong) {
        auto mutated = tutorial;
        mutated[nlohmann::json::json_pointer(pointer)] = w;
        const std::string path = dir.write("tutorial/t.json", mutated.dump(1));
        const LoadResult r = load_scenario(path);
        ++loads;
        INFO(pointer << " = " << w.dump());
        CHECK(r.ok() == !r.diagnostics.has_errors());
        for (const auto& d : r.diagnostics.items()) {
          INFO(d.format());
          CHECK(d.file == path);
          CHECK(d.line > 0);
          CHECK(d.column > 0);
          CHECK(mutated.contains(nlohmann::json::json_pointer(d.pointer)));
        }
      }
    }
    CHECK(loads > 200);
  }
}
