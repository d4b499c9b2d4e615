/* Timeline: a journal folded into the exercise state at any time, with snapshots (docs/journal.md, "Replay and seek").
 * The fold reads records only (never the scenario, never a simulation), so it runs in any process, the GUI's included.
 */
#include "cyberex/journal.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cyberex {

namespace {

using Json = nlohmann::ordered_json;

std::string str(const Json& d, const char* key)
{
  auto it = d.find(key);
  return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number(const Json& d, const char* key)
{
  auto it = d.find(key);
  return it != d.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string after_colon(const std::string& subject)
{
  const auto c = subject.find(':');
  return c == std::string::npos ? subject : subject.substr(c + 1);
}

double round3(double x)
{
  return std::round(x * 1000.0) / 1000.0;
}

/// Ground truth about one node, from world events.
struct NodeState {
  std::set<std::string> campaigns; ///< campaigns holding a foothold
  std::string privilege;
  bool isolated = false, offline = false, encrypted = false, defaced = false, down = false;
  std::string status = "ok", reason;
  std::set<std::string> patched;
  std::optional<double> mw, capacity, load_lost_mw;
  std::string mode;
};

/// A quantity integrated over simulated time (rate × seconds).
struct Integral {
  double value = 0, rate = 0, since = 0;
  double at(double t) const { return value + rate * std::max(0.0, t - since); }
  void set(double t, double r)
  {
    value = at(t);
    since = t;
    rate = r;
  }
};

struct TeamState {
  Json inbox = Json::array();
  Json alerts = Json::array();
  std::set<std::string> known;
  Json sitreps = Json::array();
  Json actions = Json::array();
  std::set<std::string> assets; ///< node and service subjects the team saw events about
};

struct State {
  std::uint64_t seq = 0, index = 0;
  Json clock = Json::object();
  Json leaderboard = Json::object();
  std::map<std::string, NodeState> nodes;
  std::size_t compromised_max = 0;
  std::map<std::string, Json> services;       ///< id -> {"status","reason","probe"}
  std::map<std::string, Integral> up;         ///< service id -> up-time (degraded counts half)
  std::map<std::string, Json> campaigns;      ///< id -> {"status","steps_succeeded","bytes_exfiltrated"}
  std::map<std::string, Json> grids;          ///< id -> last grid_balance details
  std::map<std::string, Integral> mw_lost;    ///< grid id -> MW·s lost
  std::map<std::string, std::string> blocked; ///< indicator -> "team,team"
  std::uint64_t alerts_true = 0, alerts_false = 0, events = 0;
  std::map<std::string, TeamState> teams;
  std::map<std::string, Json> injects;      ///< id -> what the records say about it
  std::map<std::string, Json> expectations; ///< "expectation/team" -> last expectation record
  Json observations = Json::array(), ratings = Json::array();
  std::map<std::string, Json> assessments; ///< "team/incident" -> latest
  std::map<std::string, Json> official;    ///< incident -> official assessment
};

std::vector<std::string> audience_teams(const Outgoing& r)
{
  return r.audience.kind == Audience::Kind::teams ? r.audience.teams : std::vector<std::string>{};
}

void learn(TeamState& t, const Json& indicators)
{
  if (indicators.is_array())
    for (const auto& i : indicators)
      if (i.is_string())
        t.known.insert(i.get<std::string>());
}

void fold_world(State& s, const Outgoing& r, const std::string& type, const std::string& subject, const Json& d)
{
  ++s.events;
  const double t = r.time;
  const std::string id = after_colon(subject);
  for (const auto& team : audience_teams(r))
    if (subject.rfind("node:", 0) == 0 || subject.rfind("service:", 0) == 0)
      s.teams[team].assets.insert(subject);
  auto node = [&]() -> NodeState& { return s.nodes[id]; };
  if (type == "node_compromised") {
    node().campaigns.insert(str(d, "campaign"));
    node().privilege = str(d, "privilege");
    std::size_t n = 0;
    for (const auto& [k, v] : s.nodes)
      n += v.campaigns.empty() ? 0 : 1;
    s.compromised_max = std::max(s.compromised_max, n);
  } else if (type == "privilege_escalated") {
    node().privilege = str(d, "privilege");
  } else if (type == "foothold_lost") {
    node().campaigns.erase(str(d, "campaign"));
    if (node().campaigns.empty())
      node().privilege.clear();
  } else if (type == "node_isolated" || type == "node_reconnected") {
    node().isolated = type == "node_isolated";
  } else if (type == "node_offline") {
    node().offline = true;
  } else if (type == "node_restored") {
    NodeState& n = node();
    n.offline = n.encrypted = n.defaced = n.down = false;
  } else if (type == "node_down") {
    node().down = true;
  } else if (type == "node_encrypted") {
    node().encrypted = true;
  } else if (type == "node_defaced") {
    node().defaced = true;
  } else if (type == "node_status") {
    node().status = str(d, "status");
    node().reason = str(d, "status") == "ok" ? std::string() : str(d, "reason");
  } else if (type == "node_patched") {
    node().patched.insert(str(d, "vulnerability"));
  } else if (type == "unit_output") {
    node().mw = number(d, "mw");
    node().capacity = number(d, "capacity");
    node().mode = str(d, "mode");
  } else if (type == "load_lost") {
    node().load_lost_mw = number(d, "mw");
  } else if (type == "load_restored") {
    node().load_lost_mw.reset();
  } else if (type == "grid_balance") {
    s.grids[id] = d;
    s.mw_lost[id].set(t, number(d, "lost_mw"));
  } else if (type == "service_status") {
    Json& v = s.services[id];
    v["status"] = str(d, "status");
    v["reason"] = str(d, "reason");
    const std::string st = str(d, "status");
    if (!s.up.count(id))
      s.up[id] = Integral{0, 1, 0};
    s.up[id].set(t, st == "up" ? 1.0 : st == "degraded" ? 0.5 : 0.0);
  } else if (type == "probe_status") {
    s.services[id]["probe"] = str(d, "status");
  } else if (type == "campaign_started" || type == "campaign_finished" || type == "campaign_stopped" ||
             type == "campaign_waiting") {
    Json& c = s.campaigns[id];
    c["status"] = type == "campaign_started"    ? "running"
                  : type == "campaign_finished" ? "finished"
                  : type == "campaign_stopped"  ? "stopped"
                                                : "waiting";
  } else if (type == "step_started") {
    Json& c = s.campaigns[id];
    if (str(c, "status") == "waiting")
      c["status"] = "running";
  } else if (type == "step_succeeded") {
    Json& c = s.campaigns[id];
    c["steps_succeeded"] = static_cast<std::int64_t>(number(c, "steps_succeeded")) + 1;
  } else if (type == "campaign_detected") {
    s.campaigns[id]["detected"] = round3(t);
  } else if (type == "campaign_contained") {
    s.campaigns[id]["contained"] = round3(t);
  } else if (type == "exfiltration_progress" || type == "exfiltration_ended") {
    s.campaigns[str(d, "campaign")]["bytes_exfiltrated"] = number(d, "campaign_total");
  } else if (type == "alert") {
    TeamState& ts = s.teams[id];
    Json a;
    a["sensor"] = str(d, "sensor");
    a["kind"] = str(d, "kind");
    a["technique"] = str(d, "technique");
    a["node"] = str(d, "node");
    a["indicators"] = d.contains("indicators") ? d["indicators"] : Json::array();
    a["time"] = round3(t);
    learn(ts, a["indicators"]);
    if (a["indicators"].empty())
      ++s.alerts_false;
    else
      ++s.alerts_true;
    ts.alerts.push_back(std::move(a));
  } else if (type == "indicator_blocked") {
    std::string& who = s.blocked[id];
    who += (who.empty() ? "" : ",") + str(d, "team");
  } else if (type == "action_started") {
    Json a = d;
    a["time"] = round3(t);
    s.teams[id].actions.push_back(std::move(a));
  }
}

Json inbox_item(const std::string& item, const char* kind, double t, const Json& d, const char* title_key,
                const char* content_key)
{
  Json i;
  i["item"] = item;
  i["kind"] = kind;
  i["time"] = round3(t);
  i["from"] = str(d, "from");
  i["channel"] = str(d, "channel");
  i["title"] = str(d, title_key);
  i["content"] = str(d, content_key);
  i["indicators"] = d.contains("indicators") ? d["indicators"] : Json::array();
  i["read"] = false;
  i["read_at"] = nullptr;
  return i;
}

void fold(State& s, const Outgoing& r)
{
  s.seq = r.seq;
  Json j = Json::parse(r.json, nullptr, false);
  if (!j.is_object())
    return;
  const std::string kind = str(j, "kind"), type = str(j, "type"), subject = str(j, "subject");
  // a record without details, or with details that are not an object, folds as one with empty details
  const Json d = j.contains("details") && j["details"].is_object() ? j["details"] : Json::object();
  const double t = r.time;
  if (kind == "event") {
    fold_world(s, r, type, subject, d);
    return;
  }
  if (kind == "delivery") {
    if (type == "inject") {
      const std::string id = str(d, "inject");
      for (const auto& team : audience_teams(r)) {
        TeamState& ts = s.teams[team];
        learn(ts, d.value("indicators", Json()));
        ts.inbox.push_back(inbox_item(id, "inject", t, d, "title", "content"));
      }
      Json& in = s.injects[id];
      in["inject"] = id;
      in["status"] = "delivered";
      in["delivered"] = round3(t);
      in["title"] = str(d, "title");
      in["to"] = d.contains("to") ? d["to"] : Json::array();
      in["hidden"] = r.audience.kind == Audience::Kind::control;
    } else if (type == "inject_expired") {
      const std::string id = str(d, "inject");
      s.injects[id]["status"] = "expired";
      s.injects[id]["expired"] = round3(t);
      for (const auto& team : audience_teams(r))
        for (auto& item : s.teams[team].inbox)
          if (item["item"] == id)
            item["expired"] = true;
    } else if (type == "message") {
      const Json& to = d.contains("to") ? d["to"] : Json::array();
      for (const auto& rcv : to) {
        if (!rcv.is_string())
          continue;
        TeamState& ts = s.teams[rcv.get<std::string>()];
        learn(ts, d.value("indicators", Json()));
        ts.inbox.push_back(inbox_item(str(d, "item"), "message", t, d, "subject", "text"));
      }
    }
    return;
  }
  // exercise records
  if (type == "clock") {
    s.clock = d;
  } else if (type == "leaderboard") {
    s.leaderboard = d;
  } else if (type == "read") {
    const std::string item = str(d, "item");
    for (auto& i : s.teams[after_colon(subject)].inbox)
      if (i["item"] == item && !i["read"].get<bool>()) {
        i["read"] = true;
        i["read_at"] = d.contains("read_at") ? d["read_at"] : Json(round3(t));
      }
  } else if (type == "sitrep") {
    s.teams[str(d, "team")].sitreps.push_back(d);
  } else if (type == "inject_released") {
    Json& in = s.injects[str(d, "inject")];
    in["inject"] = str(d, "inject");
    in["status"] = "released";
    in["released"] = round3(t);
    in["reason"] = str(d, "reason");
  } else if (type == "inject_triggered") {
    Json& in = s.injects[str(d, "inject")];
    in["inject"] = str(d, "inject");
    in["status"] = "scheduled";
    in["due"] = d.contains("due") ? d["due"] : Json(round3(t));
  } else if (type == "inject_delayed") {
    Json& in = s.injects[str(d, "inject")];
    in["inject"] = str(d, "inject");
    in["delayed_by"] = number(in, "delayed_by") + number(d, "by");
  } else if (type == "inject_cancelled") {
    Json& in = s.injects[str(d, "inject")];
    in["inject"] = str(d, "inject");
    in["status"] = "cancelled";
  } else if (type == "inject_created") {
    Json& in = s.injects[str(d, "inject")];
    in = d;
    in["created_at"] = round3(t);
  } else if (type.rfind("expectation_", 0) == 0) {
    s.expectations[str(d, "expectation") + "/" + str(d, "team")] = d;
  } else if (type == "observation") {
    s.observations.push_back(d);
  } else if (type == "rating") {
    s.ratings.push_back(d);
  } else if (type == "assessment") {
    s.assessments[str(d, "team") + "/" + str(d, "incident")] = d;
  } else if (type == "official_assessment") {
    s.official[str(d, "incident")] = d;
  }
}

Json team_json(const State& s, const std::string& id, const TeamState& t)
{
  Json j;
  j["team"] = id;
  j["inbox"] = t.inbox;
  j["alerts"] = t.alerts;
  j["known_indicators"] = Json(std::vector<std::string>(t.known.begin(), t.known.end()));
  j["sitreps"] = t.sitreps;
  j["actions"] = t.actions;
  Json assets = Json::array();
  for (const auto& subject : t.assets) {
    Json a;
    const std::string id2 = after_colon(subject);
    if (subject.rfind("node:", 0) == 0) {
      a["node"] = id2;
      auto it = s.nodes.find(id2);
      const NodeState n = it == s.nodes.end() ? NodeState{} : it->second;
      a["isolated"] = n.isolated;
      a["offline"] = n.offline;
      a["status"] = n.status;
      if (n.mw)
        a["output_mw"] = *n.mw;
      if (!n.mode.empty())
        a["mode"] = n.mode;
    } else {
      a["service"] = id2;
      auto it = s.services.find(id2);
      a["status"] = it == s.services.end() ? "up" : str(it->second, "status");
    }
    assets.push_back(std::move(a));
  }
  j["assets"] = std::move(assets);
  return j;
}

Json truth_json(const State& s, double t)
{
  Json nodes = Json::array(), compromised = Json::array();
  for (const auto& [id, n] : s.nodes) {
    Json j;
    j["node"] = id;
    j["compromised"] = !n.campaigns.empty();
    j["campaigns"] = Json(std::vector<std::string>(n.campaigns.begin(), n.campaigns.end()));
    if (!n.privilege.empty())
      j["privilege"] = n.privilege;
    j["isolated"] = n.isolated;
    j["offline"] = n.offline;
    j["status"] = n.status;
    if (!n.reason.empty())
      j["reason"] = n.reason;
    if (n.encrypted)
      j["encrypted"] = true;
    if (n.defaced)
      j["defaced"] = true;
    if (!n.patched.empty())
      j["patched"] = Json(std::vector<std::string>(n.patched.begin(), n.patched.end()));
    if (n.mw)
      j["output_mw"] = *n.mw;
    if (!n.mode.empty())
      j["mode"] = n.mode;
    if (n.load_lost_mw)
      j["load_lost_mw"] = *n.load_lost_mw;
    if (!n.campaigns.empty())
      compromised.push_back(id);
    nodes.push_back(std::move(j));
  }
  Json campaigns = Json::array();
  double exfiltrated = 0;
  for (const auto& [id, c] : s.campaigns) {
    Json j;
    j["id"] = id;
    j["status"] = c.contains("status") ? c["status"] : Json("pending");
    j["steps_succeeded"] = static_cast<std::int64_t>(number(c, "steps_succeeded"));
    j["bytes_exfiltrated"] = number(c, "bytes_exfiltrated");
    if (c.contains("detected"))
      j["detected"] = c["detected"];
    if (c.contains("contained"))
      j["contained"] = c["contained"];
    exfiltrated += number(c, "bytes_exfiltrated");
    campaigns.push_back(std::move(j));
  }
  Json services = Json::array();
  for (const auto& [id, v] : s.services) {
    Json j;
    j["id"] = id;
    j["status"] = v.contains("status") ? v["status"] : Json("up");
    if (v.contains("probe"))
      j["probe"] = v["probe"];
    auto it = s.up.find(id);
    j["time_up_fraction"] = t > 0 && it != s.up.end() ? round3(it->second.at(t) / t) : 1.0;
    services.push_back(std::move(j));
  }
  double lost_mw = 0, mwh = 0;
  Json grids = Json::array();
  for (const auto& [id, g] : s.grids) {
    Json j = g;
    j["grid"] = id;
    grids.push_back(std::move(j));
    lost_mw += number(g, "lost_mw");
  }
  for (const auto& [id, i] : s.mw_lost)
    mwh += i.at(t) / 3600.0;
  Json blocked = Json::array();
  for (const auto& [ind, who] : s.blocked)
    blocked.push_back({{"indicator", ind}, {"teams", who}});
  Json k;
  k["nodes_compromised"] = {{"now", compromised.size()}, {"max", s.compromised_max}};
  k["bytes_exfiltrated"] = exfiltrated;
  k["power"] = {{"lost_mw", round3(lost_mw)}, {"mwh_lost", round3(mwh)}};
  k["alerts"] = {{"true", s.alerts_true}, {"false", s.alerts_false}};
  k["events"] = s.events;
  Json j;
  j["kpis"] = std::move(k);
  j["compromised"] = std::move(compromised);
  j["nodes"] = std::move(nodes);
  j["campaigns"] = std::move(campaigns);
  j["services"] = std::move(services);
  j["grids"] = std::move(grids);
  j["blocked"] = std::move(blocked);
  return j;
}

} // namespace

class Timeline::Impl {
public:
  JournalContents contents;
  std::vector<std::size_t> snapshot_at; ///< records folded into each snapshot
  std::vector<State> snapshots;

  /// The state with every record of time <= t folded.
  State fold_to(double t) const
  {
    const auto& recs = contents.records;
    // records are in time order: the first record after t
    const std::size_t n = static_cast<std::size_t>(
        std::upper_bound(recs.begin(), recs.end(), t, [](double x, const Outgoing& r) { return x < r.time; }) -
        recs.begin());
    std::size_t k =
        static_cast<std::size_t>(std::upper_bound(snapshot_at.begin(), snapshot_at.end(), n) - snapshot_at.begin());
    State s = k == 0 ? State{} : snapshots[k - 1];
    for (std::size_t i = k == 0 ? 0 : snapshot_at[k - 1]; i < n; ++i)
      fold(s, recs[i]);
    const auto& cmds = contents.commands;
    s.index = static_cast<std::uint64_t>(
        std::upper_bound(cmds.begin(), cmds.end(), t, [](double x, const JournalRecord& c) { return x < c.time; }) -
        cmds.begin());
    return s;
  }

  Json render(const State& s, double t, const Principal* who) const
  {
    Json j;
    j["time"] = round3(t);
    j["seq"] = s.seq;
    j["index"] = s.index;
    Json clock = s.clock;
    clock["time"] = round3(t);
    j["clock"] = std::move(clock);
    const bool control = !who || who->role == Role::controller || who->role == Role::evaluator;
    if (control) {
      j["truth"] = truth_json(s, t);
      Json teams = Json::array();
      for (const auto& [id, ts] : s.teams)
        teams.push_back(team_json(s, id, ts));
      j["teams"] = std::move(teams);
    } else if (who->role == Role::player) {
      auto it = s.teams.find(who->team);
      j["team"] = team_json(s, who->team, it == s.teams.end() ? TeamState{} : it->second);
    }
    j["leaderboard"] = s.leaderboard;
    if (control) {
      Json injects = Json::array(), expectations = Json::array();
      for (const auto& [id, in] : s.injects)
        injects.push_back(in);
      for (const auto& [id, e] : s.expectations)
        expectations.push_back(e);
      j["msel"] = {{"injects", std::move(injects)}, {"expectations", std::move(expectations)}};
      Json assessments = Json::array(), official = Json::array();
      for (const auto& [k, a] : s.assessments)
        assessments.push_back(a);
      for (const auto& [k, a] : s.official)
        official.push_back(a);
      j["evaluation"] = {{"observations", s.observations},
                         {"ratings", s.ratings},
                         {"assessments", std::move(assessments)},
                         {"official_assessments", std::move(official)}};
    }
    return j;
  }
};

Timeline::Timeline() : impl_(std::make_unique<Impl>()) {}
Timeline::~Timeline() = default;

bool Timeline::open(const std::string& path, std::string* error, std::size_t snapshot_every)
{
  auto c = read_journal(path, error);
  if (!c)
    return false;
  impl_ = std::make_unique<Impl>();
  impl_->contents = std::move(*c);
  if (snapshot_every == 0)
    snapshot_every = 1000;
  State s;
  const auto& recs = impl_->contents.records;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    fold(s, recs[i]);
    if ((i + 1) % snapshot_every == 0) {
      impl_->snapshot_at.push_back(i + 1);
      impl_->snapshots.push_back(s);
    }
  }
  return true;
}

const JournalHeader& Timeline::header() const
{
  return impl_->contents.header;
}
const std::vector<JournalRecord>& Timeline::commands() const
{
  return impl_->contents.commands;
}
const std::vector<Outgoing>& Timeline::records() const
{
  return impl_->contents.records;
}
const std::optional<JournalEnd>& Timeline::end() const
{
  return impl_->contents.end;
}
const std::vector<std::string>& Timeline::warnings() const
{
  return impl_->contents.warnings;
}

double Timeline::duration() const
{
  return journal_time_reached(impl_->contents);
}

std::string Timeline::state_at(double t) const
{
  return impl_->render(impl_->fold_to(t), t, nullptr).dump();
}

std::string Timeline::state_at(double t, const Principal& who) const
{
  return impl_->render(impl_->fold_to(t), t, &who).dump();
}

} // namespace cyberex
