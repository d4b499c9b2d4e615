/* ExerciseState: what each principal sees of the state, as JSON (snapshots, queries, replay --at, the report). */
#include "state/state.hpp"

#include <algorithm>
#include <cstdio>

namespace cyberex {

using namespace state;

namespace {

std::string fixed(double value, int precision)
{
  if (value == NEVER)
    return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, value);
  std::string s = buf;
  if (s.rfind("-0", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos)
    s.erase(0, 1); // no negative zero
  return s;
}

std::string quoted(const std::string& s)
{
  return Json(s).dump();
}

const char* inject_status(InjectState::Status s)
{
  static const char* names[] = {"waiting", "scheduled", "delivered", "expired", "cancelled", "skipped"};
  return names[static_cast<int>(s)];
}

/// A networked grid's buses and branches (docs/engine.md, "The grid in the state view"); islands are numbered 1..n.
void add_flows(Json& j, const GridFlows& f)
{
  Json buses = Json::array();
  for (const BusFlow& b : f.buses) {
    Json v;
    v["id"] = b.id;
    v["island"] = b.island + 1;
    v["energised"] = b.energised;
    v["angle_deg"] = b.angle_deg;
    v["load_mw"] = b.load_mw;
    v["shed_mw"] = b.shed_mw;
    v["generation_mw"] = b.generation_mw;
    v["x"] = round3(b.x);
    v["y"] = round3(b.y);
    buses.push_back(std::move(v));
  }
  Json branches = Json::array();
  for (const BranchFlow& b : f.branches) {
    Json v;
    v["id"] = b.id;
    v["from"] = f.buses[b.from].id;
    v["to"] = f.buses[b.to].id;
    v["status"] = b.status;
    v["flow_mw"] = b.flow_mw;
    v["loading_pct"] = b.loading_pct;
    v["rating_mw"] = b.rating_mw;
    branches.push_back(std::move(v));
  }
  j["buses"] = std::move(buses);
  j["branches"] = std::move(branches);
}

} // namespace

std::string kpis_to_json(const Kpis& k)
{
  std::string s = "{";
  s += "\"time\":" + fixed(k.time, 3);
  s += ",\"nodes_compromised\":{\"max\":" + std::to_string(k.compromised_max) +
       ",\"end\":" + std::to_string(k.compromised_end) + "}";
  s += ",\"campaigns\":[";
  for (std::size_t i = 0; i < k.campaigns.size(); ++i) {
    const auto& c = k.campaigns[i];
    s += (i ? "," : "") + std::string("{\"id\":") + quoted(c.id) + ",\"status\":" + quoted(c.status) +
         ",\"bytes_exfiltrated\":" + fixed(c.bytes_exfiltrated, 0) +
         ",\"first_compromise\":" + fixed(c.first_compromise, 3) + ",\"time_to_detect\":" + fixed(c.time_to_detect, 3) +
         ",\"time_to_contain\":" + fixed(c.time_to_contain, 3) + ",\"first_impact\":" + fixed(c.first_impact, 3) +
         ",\"containment\":" + quoted(containment_outcome(c)) +
         ",\"steps_succeeded\":" + std::to_string(c.steps_succeeded) + ",\"steps\":[";
    for (std::size_t j = 0; j < c.steps.size(); ++j)
      s += (j ? "," : "") + std::string("{\"id\":") + quoted(c.steps[j].id) +
           ",\"succeeded\":" + fixed(c.steps[j].succeeded, 3) + "}";
    s += "]}";
  }
  s += "],\"power\":{\"mwh_lost\":" + fixed(k.mwh_lost, 3) +
       ",\"customer_hours_lost\":" + fixed(k.customer_hours_lost, 1) + ",\"mw_lost_max\":" + fixed(k.mw_lost_max, 3) +
       "}";
  s += ",\"services\":[";
  for (std::size_t i = 0; i < k.services.size(); ++i) {
    const auto& v = k.services[i];
    s += (i ? "," : "") + std::string("{\"id\":") + quoted(v.id) + ",\"probed\":" + (v.probed ? "true" : "false") +
         ",\"availability\":" + fixed(v.availability, 6) + ",\"degraded\":" + fixed(v.degraded, 3) +
         ",\"unavailable\":" + fixed(v.unavailable, 3) + ",\"downtime\":" + fixed(v.downtime, 3) + "}";
  }
  s += "],\"alerts\":{\"true\":" + std::to_string(k.alerts_true) + ",\"false\":" + std::to_string(k.alerts_false) + "}";
  s += ",\"events\":" + std::to_string(k.events) + "}";
  return s;
}

Json ExerciseState::Impl::clock_at(double t, bool control) const
{
  // the last clock record says the state and the speed; the time and the move are those at t
  Json c;
  c["state"] = clock.contains("state") ? clock["state"] : Json("ready");
  c["time"] = round3(t);
  c["speed"] = clock.contains("speed") ? clock["speed"] : Json(1.0);
  c["duration"] = round3(sc->exercise.duration);
  std::string move;
  double best = -1;
  for (const auto& m : sc->exercise.moves)
    if (m.offset <= t && m.offset >= best) {
      best = m.offset;
      move = m.id;
    }
  c["move"] = move;
  // the next inject due after the records folded so far, as the live clock says it to the White Cell, until the
  // exercise has ended (the next change of the world, next_event, is the engine's calendar: a journal does not know it)
  if (control && c["state"] != "ended") {
    double next = NEVER;
    for (const auto& in : injects)
      if (in.status == InjectState::Status::scheduled)
        next = std::min(next, in.due);
    if (next < NEVER)
      c["next_inject"] = round3(next);
  }
  return c;
}

Json ExerciseState::Impl::inject_view(const InjectState& in, bool control) const
{
  Json j;
  j["inject"] = in.id;
  j["type"] = in.type;
  j["channel"] = in.channel;
  j["from"] = in.from;
  j["to"] = in.to;
  j["title"] = in.title;
  j["content"] = in.content;
  j["indicators"] = in.indicators;
  if (in.expires < NEVER && in.delivered < NEVER)
    j["expires_at"] = round3(in.delivered + in.expires);
  if (control) {
    j["status"] = inject_status(in.status);
    j["hidden"] = in.hidden;
    j["move"] = in.move;
    if (in.due < NEVER)
      j["due"] = round3(in.due);
    if (in.delivered < NEVER)
      j["delivered"] = round3(in.delivered);
    j["triggered"] = in.triggered;
    j["created"] = in.created;
    j["expectations"] = in.expectations;
  }
  return j;
}

Json ExerciseState::Impl::msel() const
{
  Json inj = Json::array();
  for (const auto& in : injects)
    inj.push_back(inject_view(in, true));
  Json exps = Json::array();
  for (const auto& e : expectations)
    exps.push_back(e);
  return {{"injects", std::move(inj)}, {"expectations", std::move(exps)}};
}

Json ExerciseState::Impl::assets(const TeamState& team) const
{
  Json node_list = Json::array();
  for (Index n : sc->teams[team.team].asset_nodes) {
    const Node& node = sc->nodes[n];
    const NodeState& v = nodes[n];
    Json j{{"node", node.id},
           {"kind", to_string(node.kind)},
           {"isolated", v.isolated},
           {"down", v.offline || v.down},
           {"failed", v.failed}};
    if (node.kind == NodeKind::generation_unit)
      j["output_mw"] = round3(v.output_mw.value_or(node.capacity_mw));
    if (node.kind == NodeKind::substation)
      j["energised"] = !v.load_lost_mw.has_value();
    node_list.push_back(std::move(j));
  }
  Json service_list = Json::array();
  for (Index s : team.services) {
    const int st = services[s].status;
    service_list.push_back({{"service", sc->services[s].id},
                            {"status", st == 0   ? "up"
                                       : st == 1 ? "degraded"
                                                 : "down"}});
  }
  return {{"nodes", std::move(node_list)}, {"services", std::move(service_list)}};
}

Json ExerciseState::Impl::team_view(const TeamState& team) const
{
  Json v;
  v["team"] = team.id;
  v["inbox"] = team.inbox;
  v["alerts"] = team.alerts;
  v["known_indicators"] = team.known;
  v["sitreps"] = team.sitreps;
  Json a = Json::object();
  for (const auto& [k, x] : team.assessments)
    a[k] = x;
  v["assessments"] = std::move(a);
  v["actions"] = team.actions;
  v["assets"] = assets(team);
  return v;
}

Json ExerciseState::Impl::truth(double t) const
{
  Json node_list = Json::array(), compromised_list = Json::array();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeState& n = nodes[i];
    const bool touched = n.compromised() || n.isolated || n.offline || n.down || n.encrypted || n.defaced ||
                         n.backup_destroyed || n.failed || !n.patched.empty() || n.output_mw || n.load_lost_mw ||
                         !n.privilege.empty();
    if (!touched)
      continue; // nodes no event changed are as the scenario describes them
    Json j;
    j["node"] = sc->nodes[i].id;
    j["compromised"] = n.compromised();
    j["campaigns"] = n.campaigns;
    if (!n.privilege.empty())
      j["privilege"] = n.privilege;
    j["isolated"] = n.isolated;
    j["offline"] = n.offline;
    j["status"] = n.failed ? "failed" : "ok";
    if (!n.reason.empty())
      j["reason"] = n.reason;
    if (n.down)
      j["down"] = true;
    if (n.encrypted)
      j["encrypted"] = true;
    if (n.defaced)
      j["defaced"] = true;
    if (n.backup_destroyed)
      j["backup_destroyed"] = true;
    if (!n.patched.empty())
      j["patched"] = n.patched;
    if (n.output_mw)
      j["output_mw"] = *n.output_mw;
    if (!n.mode.empty())
      j["mode"] = n.mode;
    if (n.load_lost_mw)
      j["load_lost_mw"] = *n.load_lost_mw;
    if (n.compromised())
      compromised_list.push_back(sc->nodes[i].id);
    node_list.push_back(std::move(j));
  }
  Json campaign_list = Json::array();
  for (const auto& c : campaigns) {
    Json j;
    j["id"] = c.id;
    j["status"] = c.status;
    j["steps_succeeded"] = c.steps_succeeded;
    j["bytes_exfiltrated"] = c.bytes_exfiltrated;
    if (c.time_to_detect < NEVER)
      j["time_to_detect"] = round3(c.time_to_detect);
    if (c.time_to_contain < NEVER)
      j["time_to_contain"] = round3(c.time_to_contain);
    campaign_list.push_back(std::move(j));
  }
  Json service_list = Json::array();
  for (std::size_t s = 0; s < services.size(); ++s) {
    const ServiceState& v = services[s];
    Json j;
    j["id"] = sc->services[s].id;
    j["status"] = v.status == 0 ? "up" : v.status == 1 ? "degraded" : "down";
    if (sc->services[s].probe)
      j["probe"] = v.probe == 0 ? "up" : v.probe == 1 ? "degraded" : "down";
    j["availability"] = std::round(availability(static_cast<Index>(s), t) * 1e6) / 1e6;
    service_list.push_back(std::move(j));
  }
  Json grid_list = Json::array();
  std::map<std::string, GridFlows> solved;
  if (grid_model)
    for (GridFlows& f : flows())
      solved[f.grid] = std::move(f);
  for (const auto& [id, g] : grids) {
    Json j = g.last;
    j["grid"] = id;
    if (auto it = solved.find(id); it != solved.end())
      add_flows(j, it->second);
    grid_list.push_back(std::move(j));
  }
  Json blocked_list = Json::array();
  for (const auto& [ind, who] : blocked)
    blocked_list.push_back({{"indicator", ind}, {"teams", who}});
  Json j;
  j["kpis"] = Json::parse(kpis_to_json(kpis(t)));
  j["compromised"] = std::move(compromised_list);
  j["nodes"] = std::move(node_list);
  j["campaigns"] = std::move(campaign_list);
  j["services"] = std::move(service_list);
  j["grids"] = std::move(grid_list);
  j["blocked"] = std::move(blocked_list);
  return j;
}

std::string ExerciseState::to_json(double t, const Principal& who) const
{
  const Impl& s = *impl_;
  Json j;
  j["seq"] = s.seq;
  j["time"] = round3(t);
  j["role"] = to_string(who.role);
  j["exercise"] = {{"id", s.sc->exercise.id}, {"title", s.sc->exercise.title}, {"start", s.sc->exercise.start}};
  const bool control = is_control(who);
  j["clock"] = s.clock_at(t, control);
  j["leaderboard"] = control ? s.leaderboard(t, false) : Json::parse(last_standings_json());
  if (who.role == Role::player) {
    if (const TeamState* team = s.team(who.team))
      j["team"] = s.team_view(*team);
  } else if (control) {
    Json team_list = Json::array();
    for (const auto& team : s.teams)
      team_list.push_back(s.team_view(team));
    j["teams"] = std::move(team_list);
    j["msel"] = s.msel();
    j["truth"] = s.truth(t);
    j["scores"] = s.scores_view(t, "", true);
    j["observations"] = s.observations;
    j["ratings"] = s.ratings;
    Json official = Json::object();
    for (const auto& [k, a] : s.official)
      official[k] = a;
    j["official_assessments"] = std::move(official);
  }
  return j.dump();
}

std::string ExerciseState::kpis_json(double t) const
{
  return kpis_to_json(impl_->kpis(t));
}

std::string ExerciseState::msel_json() const
{
  return impl_->msel().dump();
}

std::string ExerciseState::inject_json(const std::string& inject, bool control) const
{
  auto it = impl_->inject_by_id.find(inject);
  return it == impl_->inject_by_id.end() ? "{}" : impl_->inject_view(impl_->injects[it->second], control).dump();
}

std::string ExerciseState::team_json(const std::string& team) const
{
  const TeamState* t = impl_->team(team);
  return t ? impl_->team_view(*t).dump() : "{}";
}

std::string ExerciseState::assets_json(const std::string& team) const
{
  const TeamState* t = impl_->team(team);
  return t ? impl_->assets(*t).dump() : "{}";
}

std::string ExerciseState::inbox_json(const std::string& team) const
{
  const TeamState* t = impl_->team(team);
  return t ? t->inbox.dump() : "[]";
}

std::string ExerciseState::alerts_json(const std::string& team) const
{
  const TeamState* t = impl_->team(team);
  return t ? t->alerts.dump() : "[]";
}

std::string ExerciseState::truth_json(double t) const
{
  return impl_->truth(t).dump();
}

} // namespace cyberex
