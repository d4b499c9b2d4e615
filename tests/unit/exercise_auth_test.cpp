/* Authorization: every command type with every role, every team against every other team's data, malformed input;
 * and no outgoing record reaches a principal it must not (visible_to on every record). The session runs in a child
 * process; the parent checks what it reported. */
#include "exercise_child.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <vector>

using nlohmann::json;
using namespace cyberex;

namespace {

const Principal controller{Role::controller, ""};
const Principal evaluator{Role::evaluator, ""};
const Principal gov{Role::player, "cert-gov"};
const Principal energy{Role::player, "cert-energy"};
const Principal observer{Role::observer, ""};

const json levels = {{"functional_impact", "low"},
                     {"information_impact", "none"},
                     {"recoverability", "regular"},
                     {"cross_sector", "none"},
                     {"potential_impact", "low"}};

/// One row of the matrix: a command type, its payload, and which roles may send it (c, e, p, o).
struct Row {
  std::string type;
  json payload;
  std::string allowed;                ///< letters of the roles that may send it
  std::map<char, json> per_role = {}; ///< payload overrides for one role (so that each allowed role can succeed)
};

std::vector<Row> matrix()
{
  const json gov_team = {{"team", "cert-gov"}};
  return {
      {"clock", json::object(), "cepo"},
      {"snapshot", json::object(), "cepo"},
      {"leaderboard", json::object(), "cepo"},
      {"start", json::object(), "c"},
      {"speed", {{"speed", 60}}, "c"},
      {"step", {{"to", "time"}, {"time", "16m"}}, "c"}, // delivers inj-01 (15m) to both teams
      {"inbox", gov_team, "cep"},
      {"alerts", gov_team, "cep"},
      {"assets", gov_team, "cep"},
      {"scores", gov_team, "cep"},
      {"truth", json::object(), "ce"},
      {"msel", json::object(), "ce"},
      {"pause", json::object(), "c"},
      {"resume", json::object(), "c"},
      {"inject_create",
       json::object(),
       "c",
       {{'c', {{"inject", {{"id", "auth-1"}, {"title", "t"}, {"to", {"cert-gov"}}}}}},
        {'e', {{"inject", {{"id", "auth-2"}, {"title", "t"}, {"to", {"cert-gov"}}}}}},
        {'p', {{"inject", {{"id", "auth-3"}, {"title", "t"}, {"to", {"cert-gov"}}}}}},
        {'o', {{"inject", {{"id", "auth-4"}, {"title", "t"}, {"to", {"cert-gov"}}}}}}}},
      {"inject_delay", {{"inject", "inj-05"}, {"by", "1m"}}, "c"},
      {"inject_release", {{"inject", "inj-05"}}, "c"}, // activates exp-manual (cert-energy)
      {"inject_cancel", {{"inject", "inj-04"}}, "c"},
      {"official_assessment", {{"incident", "i1"}, {"levels", levels}}, "c"},
      {"observe", {{"team", "cert-gov"}, {"text", "calm"}}, "ce"},
      {"rate", {{"team", "cert-gov"}, {"objective", "obj-share"}, {"rating", "S"}}, "ce"},
      {"confirm",
       json::object(),
       "ce",
       {{'c', {{"expectation", "exp-manual"}}},
        {'e', {{"expectation", "exp-share"}}},
        {'p', {{"expectation", "exp-share"}}},
        {'o', {{"expectation", "exp-share"}}}}},
      {"action",
       {{"team", "cert-gov"}, {"action", "patch"}, {"target", "node:gov-ws-1"}, {"vulnerability", "CVE-2011-0611"}},
       "cp"},
      {"message", {{"team", "cert-gov"}, {"to", {"cert-energy"}}, {"text", "hello"}}, "cp"},
      {"sitrep", {{"team", "cert-gov"}, {"text", "quiet"}}, "cp"},
      {"assess", {{"team", "cert-gov"}, {"incident", "i1"}, {"levels", levels}}, "cp"},
      {"read", {{"team", "cert-gov"}, {"item", "inj-01"}}, "cp"},
      {"end", json::object(), "c"},
  };
}

struct Run {
  json replies = json::array(); ///< {row, role, reply} of the matrix
  json probes = json::object(); ///< named replies of the cross-team and malformed probes
  json outgoing = json::array();
  json snapshots = json::object();
};

std::string run_matrix()
{
  Run run;
  ExerciseSession::RecordSink sink = [&](const Record& o) {
    run.outgoing.push_back({{"seq", o.seq}, {"audience", test::audience_json(o.audience)}, {"json", o.json}});
  };
  ExerciseSession session(test::load_tutorial(), test::tutorial_options(), sink);
  auto send = [&](const Principal& who, const json& cmd) { return json::parse(session.handle(who, cmd.dump()).json); };
  auto probe = [&](const std::string& name, const Principal& who, const json& cmd) {
    run.probes[name] = send(who, cmd);
  };
  const std::vector<std::pair<char, Principal>> roles{{'o', observer}, {'p', gov}, {'e', evaluator}, {'c', controller}};
  int id = 0;
  for (const Row& row : matrix()) {
    if (row.type == "end") {
      // cross-team probes while the exercise runs (before the end row)
      probe("gov-reads-energy-inbox", gov, {{"id", "x1"}, {"type", "inbox"}, {"team", "cert-energy"}});
      probe("gov-reads-energy-alerts", gov, {{"id", "x2"}, {"type", "alerts"}, {"team", "cert-energy"}});
      probe("gov-reads-energy-assets", gov, {{"id", "x3"}, {"type", "assets"}, {"team", "cert-energy"}});
      probe("gov-reads-energy-scores", gov, {{"id", "x4"}, {"type", "scores"}, {"team", "cert-energy"}});
      probe(
          "gov-acts-as-energy", gov,
          {{"id", "x5"}, {"type", "action"}, {"team", "cert-energy"}, {"action", "isolate"}, {"target", "node:ut-ws"}});
      probe("gov-isolates-energy-node", gov,
            {{"id", "x6"}, {"type", "action"}, {"action", "isolate"}, {"target", "node:ut-ws"}});
      probe("gov-isolates-mixed", gov,
            {{"id", "x7"}, {"type", "action"}, {"action", "isolate"}, {"target", "kind:workstation"}});
      probe("gov-stops-energy-service", gov,
            {{"id", "x8"}, {"type", "action"}, {"action", "shutdown_service"}, {"service", "power-city"}});
      probe("energy-messages-gov", energy,
            {{"id", "x9"}, {"type", "message"}, {"to", "cert-gov"}, {"text", "private"}});
      probe("gov-reads-energy-message", gov, {{"id", "x10"}, {"type", "read"}, {"item", "msg-1"}});
      probe("energy-reads-own-message", energy, {{"id", "x11"}, {"type", "read"}, {"item", "msg-1"}});
      probe("energy-blocks-unknown", energy,
            {{"id", "x12"}, {"type", "action"}, {"action", "block"}, {"indicator", "ioc-c2"}});
      probe("energy-blocks-known", energy,
            {{"id", "x13"}, {"type", "action"}, {"action", "block"}, {"indicator", "ioc-mail"}});
      probe("energy-shares-unknown", energy,
            {{"id", "x14"}, {"type", "message"}, {"to", "cert-gov"}, {"indicators", {"ioc-hash"}}});
      probe("gov-blocks-nonexistent", gov,
            {{"id", "x15"}, {"type", "action"}, {"action", "block"}, {"indicator", "ioc-x"}});
      probe("gov-unknown-node", gov,
            {{"id", "x16"}, {"type", "action"}, {"action", "isolate"}, {"target", "node:nope"}});
      probe("controller-acts-for-white-cell", controller,
            {{"id", "x17"},
             {"type", "action"},
             {"team", "white-cell"},
             {"action", "isolate"},
             {"target", "node:gov-fs"}});
      probe("impostor-team", Principal{Role::player, "white-cell"}, {{"id", "x18"}, {"type", "clock"}});
      probe("bad-json", gov, json("{not json"));
      probe("no-type", gov, {{"id", "x20"}});
      probe("unknown-type", gov, {{"id", "x21"}, {"type", "sudo"}});
      probe("id-not-string", gov, {{"id", 7}, {"type", "clock"}});
      probe("too-large", gov, {{"id", "x23"}, {"type", "sitrep"}, {"text", std::string(70000, 'a')}});
      probe("share-action", gov, {{"id", "x24"}, {"type", "action"}, {"action", "share"}, {"to", {"cert-energy"}}});
      probe("message-self", gov, {{"id", "x25"}, {"type", "message"}, {"to", "cert-gov"}, {"text", "me"}});
      probe("rate-wrong-objective", evaluator,
            {{"id", "x26"}, {"type", "rate"}, {"team", "cert-gov"}, {"objective", "obj-recover"}, {"rating", "P"}});
      probe("rate-bad-letter", evaluator,
            {{"id", "x27"}, {"type", "rate"}, {"team", "cert-gov"}, {"objective", "obj-share"}, {"rating", "A"}});
      probe("observe-bad-kind", evaluator, {{"id", "x28"}, {"type", "observe"}, {"kind", "x"}, {"text", "Fast."}});
      probe("observe-empty-kind", evaluator, {{"id", "x29"}, {"type", "observe"}, {"kind", ""}, {"text", "Fast."}});
      probe("observe-kind-number", evaluator, {{"id", "x30"}, {"type", "observe"}, {"kind", 1}, {"text", "Fast."}});
      // an unknown field whose name is quoted cut to 64 bytes, in the middle of a UTF-8 sequence (found by the
      // session fuzz target: the reply could not be serialized and the exception left handle())
      probe("unknown-field-cut-utf8", gov, {{"id", "x31"}, {"type", "sitrep"}, {std::string(63, 'a') + "\u00e9", 1}});
      run.snapshots["gov"] = json::parse(session.snapshot_for(gov));
      run.snapshots["energy"] = json::parse(session.snapshot_for(energy));
      run.snapshots["observer"] = json::parse(session.snapshot_for(observer));
      session.handle(controller, json{{"id", "adv"}, {"type", "step"}, {"to", "time"}, {"time", "3h"}}.dump());
    }
    for (const auto& [letter, who] : roles) {
      json cmd = row.per_role.count(letter) ? row.per_role.at(letter) : row.payload;
      if (who.role == Role::player)
        cmd.erase("team"); // a player names no team (its own is implied); cross-team probes are above
      cmd["id"] = "m" + std::to_string(++id);
      cmd["type"] = row.type;
      run.replies.push_back({{"row", row.type}, {"role", std::string(1, letter)}, {"reply", send(who, cmd)}});
    }
  }
  probe("after-end-action", gov, {{"id", "y1"}, {"type", "action"}, {"action", "isolate"}, {"target", "node:gov-fs"}});
  probe("after-end-snapshot", observer, {{"id", "y2"}, {"type", "snapshot"}});
  return json{
      {"replies", run.replies}, {"probes", run.probes}, {"outgoing", run.outgoing}, {"snapshots", run.snapshots}}
      .dump();
}

const json& result()
{
  static const json r = [] {
    const std::string out = test::in_child(run_matrix);
    json j = json::parse(out, nullptr, false);
    return j.is_discarded() ? json{{"error", out.substr(0, 500)}} : j;
  }();
  return r;
}

std::string code(const std::string& probe)
{
  const json& p = result()["probes"][probe];
  return p["ok"] == true ? "ok" : p["error"]["code"].get<std::string>();
}

/// Types of world events that are ground truth (control only).
const std::set<std::string> ground_truth{
    "node_compromised",   "step_started",        "step_attempt",          "step_succeeded",        "step_failed",
    "campaign_started",   "campaign_finished",   "campaign_stopped",      "campaign_waiting",      "campaign_detected",
    "campaign_contained", "c2_channel",          "exfiltration_started",  "exfiltration_progress", "exfiltration_ended",
    "foothold_lost",      "privilege_escalated", "credentials_harvested", "botnet_wave_started",   "botnet_wave_ended",
    "data_published"};
/// Exercise records for control only.
const std::set<std::string> control_only{"inject_released",  "inject_triggered",   "inject_delayed",
                                         "inject_cancelled", "inject_created",     "expectation_active",
                                         "expectation_met",  "expectation_missed", "observation",
                                         "rating",           "assessment",         "official_assessment"};

} // namespace

TEST_SUITE("exercise-auth")
{
  TEST_CASE("every command type with every role: allowed ones succeed, the others are forbidden")
  {
    const json& r = result();
    REQUIRE_MESSAGE(!r.contains("error"), r.dump().substr(0, 500));
    std::map<std::string, std::string> allowed;
    for (const Row& row : matrix())
      allowed[row.type] = row.allowed;
    REQUIRE(r["replies"].size() == matrix().size() * 4);
    for (const auto& x : r["replies"]) {
      const std::string type = x["row"], role = x["role"];
      const json& reply = x["reply"];
      INFO(type, " as ", role, ": ", reply.dump());
      if (allowed[type].find(role[0]) != std::string::npos) {
        CHECK(reply["ok"] == true);
      } else {
        CHECK(reply["ok"] == false);
        CHECK(reply["error"]["code"] == "forbidden");
      }
    }
  }

  TEST_CASE("a team never reads or acts on another team's data")
  {
    CHECK(code("gov-reads-energy-inbox") == "forbidden");
    CHECK(code("gov-reads-energy-alerts") == "forbidden");
    CHECK(code("gov-reads-energy-assets") == "forbidden");
    CHECK(code("gov-reads-energy-scores") == "forbidden");
    CHECK(code("gov-acts-as-energy") == "forbidden");
    CHECK(code("gov-isolates-energy-node") == "not-owner");
    // a player gets the same answer for another team's node and for a node that does not exist: errors do not let
    // it enumerate what is not its own
    CHECK(result()["probes"]["gov-isolates-energy-node"]["error"]["message"] ==
          "(/target) \"node:ut-ws\" is not an asset of team \"cert-gov\": a player team acts on its own nodes");
    CHECK(code("gov-isolates-mixed") == "not-owner"); // kind:workstation also matches ut-ws
    CHECK(code("gov-stops-energy-service") == "not-owner");
    CHECK(code("energy-messages-gov") == "ok");
    // msg-1: cert-gov's message to cert-energy in the matrix
    CHECK(code("gov-reads-energy-message") == "not-found");
    CHECK(result()["probes"]["gov-reads-energy-message"]["error"]["message"] ==
          "(/item) no item \"msg-1\" in the inbox of team \"cert-gov\"");
    CHECK(code("energy-reads-own-message") == "ok");
    CHECK(code("energy-blocks-unknown") == "unknown-indicator");
    CHECK(code("energy-blocks-known") == "ok"); // ioc-mail is in inj-01's text
    CHECK(code("energy-shares-unknown") == "unknown-indicator");
    CHECK(code("gov-blocks-nonexistent") == "unknown-indicator");
    CHECK(code("gov-unknown-node") == "not-owner");
    CHECK(code("controller-acts-for-white-cell") == "unknown-target");
    CHECK(code("impostor-team") == "forbidden");
    CHECK(code("after-end-action") == "bad-state");
    CHECK(code("after-end-snapshot") == "ok");
  }

  TEST_CASE("malformed commands get an error reply with a code")
  {
    CHECK(code("bad-json") == "bad-json");
    CHECK(code("no-type") == "bad-command");
    CHECK(result()["probes"]["no-type"]["error"]["message"] == "(/type) missing: this command needs \"type\"");
    CHECK(code("unknown-type") == "unknown-command");
    CHECK(code("id-not-string") == "bad-command");
    CHECK(code("too-large") == "too-large");
    CHECK(code("share-action") == "bad-command");
    CHECK(code("message-self") == "bad-command");
    CHECK(code("rate-wrong-objective") == "bad-command");
    CHECK(code("rate-bad-letter") == "bad-command");
    CHECK(result()["probes"]["unknown-type"]["id"] == "x21");
    CHECK(code("observe-bad-kind") == "bad-command");
    CHECK(result()["probes"]["observe-bad-kind"]["error"]["message"] ==
          "(/kind) expected strength, improvement or note; got \"x\"");
    CHECK(result()["probes"]["observe-empty-kind"]["error"]["message"] ==
          "(/kind) expected strength, improvement or note; got \"\"");
    CHECK(code("observe-kind-number") == "bad-command");
    CHECK(result()["probes"]["observe-kind-number"]["error"]["message"] ==
          "(/kind) expected a non-empty string; got 1");
    CHECK(code("unknown-field-cut-utf8") == "bad-command");
    const std::string cut = std::string(63, 'a') + "\ufffd"; // the half of the sequence, replaced
    CHECK(result()["probes"]["unknown-field-cut-utf8"]["error"]["message"] ==
          "(/" + cut + ") unknown field \"" + cut +
              "\" for \"sitrep\"; it takes \"team\", \"text\", \"status\" (and \"id\", \"type\")");
  }

  TEST_CASE("snapshots show a team only its own data, observers only the public part")
  {
    const json& s = result()["snapshots"];
    CHECK(s["gov"]["team"]["team"] == "cert-gov");
    CHECK(!s["gov"].contains("teams"));
    CHECK(!s["gov"].contains("truth"));
    CHECK(!s["gov"].contains("msel"));
    const std::string gov_text = s["gov"].dump();
    CHECK(gov_text.find("cert-energy\",\"inbox") == std::string::npos);
    for (const auto& item : s["energy"]["team"]["inbox"])
      CHECK(item["item"] != "auth-1"); // controller's inject to cert-gov only
    for (const auto& n : s["gov"]["team"]["assets"]["nodes"])
      CHECK(!n.contains("compromised"));
    std::vector<std::string> keys;
    for (const auto& [k, v] : s["observer"].items())
      keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"clock", "exercise", "index", "leaderboard", "role", "seq",
                                           "time"}); // sorted by the parser
  }

  TEST_CASE("visible_to: no outgoing record reaches a principal it must not")
  {
    const json& out = result()["outgoing"];
    REQUIRE(out.size() > 50);
    const std::vector<Principal> players{gov, energy};
    int seen_by_gov = 0, seen_by_observer = 0;
    for (const auto& o : out) {
      Record rec;
      rec.seq = o["seq"];
      rec.audience = test::audience_from(o["audience"]);
      rec.json = o["json"];
      const json j = json::parse(rec.json);
      const std::string type = j["type"], kind = j["kind"];
      INFO(rec.json);
      CHECK(visible_to(controller, rec));
      CHECK(visible_to(evaluator, rec));
      if (visible_to(observer, rec)) {
        ++seen_by_observer;
        CHECK(kind == "exercise");
        CHECK((type == "clock" || type == "standings"));
        // the standings hold back the metrics (ground truth) until the end
        if (type == "standings")
          for (const auto& t : j["details"]["teams"])
            CHECK(t["metrics"].is_null() == (j["details"]["reason"] == "hour"));
      }
      for (const Principal& p : players) {
        if (!visible_to(p, rec))
          continue;
        seen_by_gov += p.team == "cert-gov" ? 1 : 0;
        CHECK(ground_truth.count(type) == 0);
        CHECK(control_only.count(type) == 0);
        if (rec.audience.kind == Audience::Kind::teams)
          CHECK(std::find(rec.audience.teams.begin(), rec.audience.teams.end(), p.team) != rec.audience.teams.end());
        if (type == "inject") {
          const auto to = j["details"]["to"].get<std::vector<std::string>>();
          CHECK(std::find(to.begin(), to.end(), p.team) != to.end());
          CHECK(j["subject"] != "inject:inj-04"); // hidden
        }
        if (type == "message") {
          const auto to = j["details"]["to"].get<std::vector<std::string>>();
          CHECK((j["details"]["from"] == p.team || std::find(to.begin(), to.end(), p.team) != to.end()));
        }
        if (type == "alert" || type == "action_started" || type == "sitrep" || type == "read")
          CHECK(j["subject"] == "team:" + p.team);
      }
      // a player without a team sees nothing team-addressed
      CHECK(!visible_to(Principal{Role::player, ""}, rec) == (rec.audience.kind != Audience::Kind::all));
    }
    CHECK(seen_by_gov > 5);
    CHECK(seen_by_observer > 3);
  }
}
