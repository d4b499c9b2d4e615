/* Team play (actions, messages with indicators, situation reports, severity assessments, read tracking), MSEL edits
 * by the controller and the evaluators' commands. Validation first, then the change: a rejected command changes
 * nothing. */
#include "exercise/impl.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace cyberex {

namespace {

[[noreturn]] void fail(const std::string& code, const std::string& message)
{
  throw CommandError{code, message};
}

std::string get_string(const Json& cmd, const char* key, bool required)
{
  if (!cmd.contains(key) || cmd[key].is_null()) {
    if (required)
      fail("bad-command", std::string("(/") + key + ") missing: this command needs \"" + key + "\"");
    return {};
  }
  if (!cmd[key].is_string() || (required && cmd[key].get<std::string>().empty()))
    fail("bad-command", std::string("(/") + key + ") expected a non-empty string; got " + cmd[key].dump());
  return cmd[key].get<std::string>();
}

/// A string or an array of strings.
std::vector<std::string> get_strings(const Json& cmd, const char* key)
{
  std::vector<std::string> out;
  if (!cmd.contains(key) || cmd[key].is_null())
    return out;
  const Json& v = cmd[key];
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (!v.is_array())
    fail("bad-command", std::string("(/") + key + ") expected a string or an array of strings; got " + v.dump());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      fail("bad-command",
           std::string("(/") + key + "/" + std::to_string(i) + ") expected a string; got " + v[i].dump());
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

std::string qt(const std::string& s)
{
  return "\"" + s + "\"";
}

double rating_value(const std::string& r)
{
  return r == "P" ? 100 : r == "S" ? 70 : r == "M" ? 40 : 0;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------------
// Team actions

Json ExerciseSession::Impl::cmd_action(const std::string& team, const Json& cmd)
{
  const TeamRun& run = *team_run(team);
  const Team& spec = sc_.teams[run.team];
  const std::string action = get_string(cmd, "action", true);
  const auto type = action_type_from_string(action);
  if (!type)
    fail("bad-command", "(/action) unknown action " + qt(action) +
                            "; expected isolate, reconnect, block, patch, reset_credentials, restore, "
                            "manual_operations, shutdown_service, restore_service, public_statement, "
                            "close_breaker, refuel, filter_ddos or stop_filtering");
  if (*type == ActionType::share || *type == ActionType::communicate || *type == ActionType::report)
    fail("bad-command", "(/action) " + qt(action) +
                            " is played with the \"message\" (share, communicate) or "
                            "\"sitrep\" (report) command");
  Command c;
  c.time = now_();
  c.team = team;
  c.action = action;
  c.target = get_string(cmd, "target", false);
  c.indicator = get_string(cmd, "indicator", false);
  c.vulnerability = get_string(cmd, "vulnerability", false);
  c.service = get_string(cmd, "service", false);
  c.text = get_string(cmd, "text", false);
  c.kind = get_string(cmd, "kind", false);
  c.mode = get_string(cmd, "mode", false);

  auto owned = [&](Index n) { return std::binary_search(spec.asset_nodes.begin(), spec.asset_nodes.end(), n); };
  std::vector<Index> nodes;
  const bool service_action = *type == ActionType::shutdown_service || *type == ActionType::restore_service;
  if (service_action) {
    std::string svc = c.service;
    if (svc.empty() && c.target.rfind("service:", 0) == 0)
      svc = c.target.substr(8);
    if (svc.empty())
      fail("bad-command", "(/service) " + action + " needs \"service\": a service id");
    auto it = sc_.service_by_id.find(svc);
    // a player learns nothing about what is not its own: the same answer for "no such service" and "not yours"
    if (player_view_ && (it == sc_.service_by_id.end() || !owned(sc_.services[it->second].node_index)))
      fail("not-owner", "(/service) " + qt(svc) + " is not a service of team " + qt(team));
    if (it == sc_.service_by_id.end())
      fail("unknown-target", "(/service) no service " + qt(svc));
    if (!owned(sc_.services[it->second].node_index))
      fail("not-owner", "(/service) service " + qt(svc) + " is not an asset of team " + qt(team));
    nodes = {sc_.services[it->second].node_index};
  } else if (*type == ActionType::block) {
    if (c.indicator.empty())
      fail("bad-command", "(/indicator) block needs \"indicator\": an indicator id");
    if (player_view_ && !fold_.team_knows(team, c.indicator))
      fail("unknown-indicator", "(/indicator) indicator " + qt(c.indicator.substr(0, 64)) +
                                    " is unknown to your team: it was in none of your alerts, injects or messages");
    if (!sc_.indicator_by_id.count(c.indicator))
      fail("unknown-indicator", "(/indicator) no indicator " + qt(c.indicator) + " in this exercise");
    if (!fold_.team_knows(team, c.indicator))
      fail("unknown-indicator", "(/indicator) indicator " + qt(c.indicator) +
                                    " is unknown to your team: it was in none of your alerts, injects or messages");
  } else if (*type == ActionType::public_statement) {
    if (c.kind != "press_statement" && c.kind != "public_advisory")
      fail("bad-command", "(/kind) public_statement needs \"kind\": \"press_statement\" or \"public_advisory\"" +
                              (c.kind.empty() ? std::string() : "; got " + qt(c.kind.substr(0, 64))));
    if (c.text.empty())
      fail("bad-command", "(/text) public_statement needs \"text\": what the public is told");
  } else if (*type == ActionType::refuel) {
    if (c.target.empty())
      fail("bad-command", "(/target) refuel needs \"target\": \"dependency:ID\" or the dependent (\"service:x\")");
    // a team refuels the backups of what it owns: the dependent's node
    const auto deps = refuel_dependencies(sc_, c.target);
    for (Index d : deps) {
      const std::string& dependent = sc_.dependencies[d].dependent;
      Index node = NO_INDEX;
      if (dependent.rfind("node:", 0) == 0 && sc_.node_by_id.count(dependent.substr(5)))
        node = sc_.node_by_id.at(dependent.substr(5));
      else if (dependent.rfind("service:", 0) == 0 && sc_.service_by_id.count(dependent.substr(8)))
        node = sc_.services[sc_.service_by_id.at(dependent.substr(8))].node_index;
      if (node < 0 || !owned(node))
        fail("not-owner", "(/target) " + qt(c.target.substr(0, 128)) + " is not a backup of team " + qt(team) +
                              ": a team refuels the backups of its own assets");
      nodes.push_back(node);
    }
    if (deps.empty() && player_view_)
      fail("not-owner", "(/target) " + qt(c.target.substr(0, 128)) + " is not a backup of team " + qt(team) +
                            ": a team refuels the backups of its own assets");
  } else if (*type == ActionType::filter_ddos || *type == ActionType::stop_filtering) {
    if (c.target.empty())
      fail("bad-command", "(/target) " + action + " needs \"target\": the node or service under attack");
    // A telecom operator filters the traffic toward its customers: a team may filter toward its own nodes and toward
    // the nodes of any site one of its nodes outside that site links to (the operator's edge toward the customer).
    auto carries_for = [&](Index n) {
      if (owned(n))
        return true;
      const Index site = sc_.nodes[n].site_index;
      for (const Link& l : sc_.links)
        for (auto [mine, theirs] : {std::pair{l.a_index, l.b_index}, std::pair{l.b_index, l.a_index}})
          if (mine >= 0 && theirs >= 0 && owned(mine) && sc_.nodes[mine].site_index != site &&
              sc_.nodes[theirs].site_index == site)
            return true;
      return false;
    };
    nodes = select_nodes(sc_, c.target);
    if (nodes.empty() || !std::all_of(nodes.begin(), nodes.end(), carries_for))
      fail("not-owner", "(/target) " + qt(c.target.substr(0, 128)) + " is not carried by team " + qt(team) +
                            ": an operator filters traffic toward its own nodes and the sites its nodes link to");
    if (!c.indicator.empty() && !fold_.team_knows(team, c.indicator))
      fail("unknown-indicator", "(/indicator) indicator " + qt(c.indicator.substr(0, 64)) +
                                    " is unknown to your team: it was in none of your alerts, injects or messages");
  } else if (c.target.empty()) {
    fail("bad-command", "(/target) " + action + " needs \"target\": a selector such as \"node:x\"");
  }
  if (!c.target.empty() && !service_action && *type != ActionType::refuel && *type != ActionType::filter_ddos &&
      *type != ActionType::stop_filtering) {
    nodes = select_nodes(sc_, c.target);
    if (player_view_ && (nodes.empty() || !std::all_of(nodes.begin(), nodes.end(), owned)))
      fail("not-owner", "(/target) " + qt(c.target.substr(0, 128)) + " is not an asset of team " + qt(team) +
                            ": a player team acts on its own nodes");
    if (nodes.empty())
      fail("unknown-target", "(/target) no node matches " + qt(c.target));
    for (Index n : nodes)
      if (!owned(n))
        fail("not-owner", "(/target) node " + qt(sc_.nodes[n].id) + " is not an asset of team " + qt(team));
  }
  const std::string problem = validate_command(c, sc_);
  if (!problem.empty())
    fail("bad-command", problem);
  const CommandResult res = sim_->apply(c);
  if (!res.ok)
    fail("bad-command", res.error);

  double duration = 0;
  for (const auto& a : sc_.actions)
    if (a.type == *type)
      duration = a.duration;

  Fact f;
  f.kind = Trigger::Kind::action;
  f.team = team;
  f.action = action;
  f.subject = !c.target.empty() ? c.target : service_action ? "service:" + c.service : c.indicator;
  f.indicator = c.indicator;
  f.nodes = nodes;
  std::sort(f.nodes.begin(), f.nodes.end());
  orders_.emplace_back(res.effective_time + duration, f); // res.effective_time: when it was issued
  post(std::move(f));
  Json r;
  r["action"] = action;
  r["team"] = team;
  r["issued"] = round3(res.effective_time);
  r["effective_at"] = round3(res.effective_time + duration);
  return r;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages, situation reports, assessments, read tracking

Json ExerciseSession::Impl::cmd_message(const std::string& team, const Json& cmd)
{
  const std::vector<std::string> to = get_strings(cmd, "to");
  if (to.empty())
    fail("bad-command", "(/to) a message needs \"to\": one or more team ids");
  for (std::size_t k = 0; k < to.size(); ++k) {
    const std::string& t = to[k];
    const std::string where = "(/to/" + std::to_string(k) + ") ";
    if (!team_run(t))
      fail("unknown-target", where + "no player team " + qt(t.substr(0, 64)));
    if (t == team)
      fail("bad-command", where + "a team does not send messages to itself");
    if (std::find(to.begin(), to.begin() + static_cast<std::ptrdiff_t>(k), t) !=
        to.begin() + static_cast<std::ptrdiff_t>(k))
      fail("bad-command", where + "team " + qt(t) + " is listed twice: name each recipient once");
  }
  const std::string text = get_string(cmd, "text", false);
  const std::string subject = get_string(cmd, "subject", false);
  const std::vector<std::string> inds = get_strings(cmd, "indicators");
  for (std::size_t k = 0; k < inds.size(); ++k) {
    const std::string& i = inds[k];
    const std::string where = "(/indicators/" + std::to_string(k) + ") ";
    if (!fold_.team_knows(team, i) && (player_view_ || sc_.indicator_by_id.count(i)))
      fail("unknown-indicator", where + "indicator " + qt(i.substr(0, 64)) +
                                    " is unknown to your team: a team shares only what it has received or detected");
    if (!sc_.indicator_by_id.count(i))
      fail("unknown-indicator", where + "no indicator " + qt(i) + " in this exercise");
    if (std::find(inds.begin(), inds.begin() + static_cast<std::ptrdiff_t>(k), i) !=
        inds.begin() + static_cast<std::ptrdiff_t>(k))
      fail("bad-command", where + "indicator " + qt(i) + " is listed twice");
  }
  const std::string id = "msg-" + std::to_string(++messages_);
  Json d;
  d["item"] = id;
  d["from"] = team;
  d["to"] = to;
  d["subject"] = subject;
  d["text"] = text;
  d["indicators"] = inds;
  std::vector<std::string> audience = to;
  audience.push_back(team);
  emit(RecordKind::delivery, RecordType::message, "team:" + team, d, teams(audience));

  Fact f;
  f.kind = Trigger::Kind::message;
  f.team = team;
  f.to = to;
  post(f);
  Fact a;
  a.kind = Trigger::Kind::action;
  a.team = team;
  a.action = inds.empty() ? "communicate" : "share";
  post(std::move(a));
  return {{"item", id}, {"to", to}, {"indicators", inds}};
}

Json ExerciseSession::Impl::cmd_sitrep(const std::string& team, const Json& cmd)
{
  Json s;
  s["time"] = round3(now_());
  s["team"] = team;
  s["text"] = get_string(cmd, "text", true);
  s["status"] = get_string(cmd, "status", false);
  emit(RecordKind::exercise, RecordType::sitrep, "team:" + team, s, teams({team}));
  Fact a;
  a.kind = Trigger::Kind::action;
  a.team = team;
  a.action = "report";
  post(std::move(a));
  return {{"sitrep", fold_.sitrep_count(team)}};
}

double ExerciseSession::Impl::severity_score(const Json& levels) const
{
  if (sc_.scoring.severity.empty())
    fail("bad-state", "the scenario defines no severity model (scoring.severity)");
  if (!levels.is_object())
    fail("bad-command", "(/levels) expected an object: severity category -> level");
  for (const auto& [k, v] : levels.items()) {
    bool known = false;
    for (const auto& c : sc_.scoring.severity)
      known = known || c.id == k;
    if (!known)
      fail("bad-command", "(/levels/" + k + ") no severity category " + qt(k) + " in this exercise");
  }
  double sum = 0, weights = 0;
  for (const auto& c : sc_.scoring.severity) {
    if (!levels.contains(c.id) || !levels[c.id].is_string())
      fail("bad-command", "(/levels/" + c.id + ") missing: give a level for every category");
    const std::string level = levels[c.id].get<std::string>();
    auto it = c.levels.find(level);
    if (it == c.levels.end()) {
      std::string names;
      for (const auto& [name, score] : c.levels)
        names += (names.empty() ? "" : ", ") + name;
      fail("bad-command", "(/levels/" + c.id + ") unknown level " + qt(level) + "; expected one of " + names);
    }
    sum += c.weight * it->second;
    weights += c.weight;
  }
  return weights > 0 ? std::round(sum / weights * 100) / 100 : 0;
}

Json ExerciseSession::Impl::cmd_assess(const std::string& team, const Json& cmd, bool official)
{
  const std::string incident = get_string(cmd, "incident", true);
  // incidents are named by the teams and the White Cell ("inc-euroleaks"): a short id, and a bounded number per team,
  // so that assessments cannot be used to fill the journal and every snapshot
  const bool id_ok =
      incident.size() <= 64 && std::isalnum(static_cast<unsigned char>(incident[0])) &&
      std::all_of(incident.begin(), incident.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' || ch == ':';
      });
  if (!id_ok)
    fail("bad-command", "(/incident) expected an incident id: a letter or digit, then letters, digits, '-', '_', '.' "
                        "or ':', at most 64 characters (e.g. \"inc-euroleaks\")");
  if (!official) {
    if (!fold_.assessment_score(team, incident) && fold_.assessed_incidents(team) >= max_incidents)
      fail("bad-state", "(/incident) team " + qt(team) + " has assessed " + std::to_string(max_incidents) +
                            " incidents already, the most one team may; assess one of them again");
  } else if (!fold_.official_score(incident) &&
             fold_.official_assessments() >= max_incidents * std::max<std::size_t>(1, teams_.size())) {
    fail("bad-state", "(/incident) too many incidents assessed");
  }
  if (!cmd.contains("levels"))
    fail("bad-command", "(/levels) missing: an assessment gives a level for every severity category");
  const double score = severity_score(cmd["levels"]);
  Json a;
  a["time"] = round3(now_());
  a["incident"] = incident;
  a["levels"] = cmd["levels"];
  a["score"] = score;
  if (official) {
    Json diffs = Json::array();
    for (const auto& t : teams_)
      if (auto theirs = fold_.assessment_score(t.id, incident))
        diffs.push_back(
            {{"team", t.id}, {"score", *theirs}, {"difference", std::round((*theirs - score) * 100) / 100}});
    a["teams"] = diffs;
    emit(RecordKind::exercise, RecordType::official_assessment, "incident:" + incident, a, control());
    return a;
  }
  a["team"] = team;
  Json record = a;
  if (auto official_score = fold_.official_score(incident)) {
    record["official"] = *official_score;
    record["difference"] = std::round((score - *official_score) * 100) / 100;
  }
  emit(RecordKind::exercise, RecordType::assessment, "team:" + team, record, control());
  return {{"incident", incident}, {"score", score}};
}

Json ExerciseSession::Impl::cmd_read(const std::string& team, const Json& cmd)
{
  const std::string item = get_string(cmd, "item", true);
  double read_at = NEVER;
  if (!fold_.inbox_item(team, item, &read_at))
    fail("not-found", "(/item) no item " + qt(item) + " in the inbox of team " + qt(team));
  if (!(read_at < NEVER)) {
    read_at = round3(now_());
    emit(RecordKind::exercise, RecordType::read, "team:" + team, {{"item", item}, {"read_at", read_at}}, teams({team}));
  }
  return {{"item", item}, {"read_at", round3(read_at)}};
}

// ---------------------------------------------------------------------------------------------------------------
// MSEL edits

Json ExerciseSession::Impl::cmd_inject(const std::string& type, const Json& cmd)
{
  const std::string id = get_string(cmd, "inject", true);
  auto it = inject_by_id_.find(id);
  if (it == inject_by_id_.end())
    fail("unknown-target", "(/inject) no inject " + qt(id));
  const int i = it->second;
  InjectRun& in = injects_[i];
  const bool open = in.status == InjectRun::Status::waiting || in.status == InjectRun::Status::scheduled;
  if (type != "inject_release" && type != "inject_delay" && type != "inject_cancel")
    fail("unknown-command", "(/type) unknown command " + qt(type));
  if (in.status == InjectRun::Status::skipped)
    fail("bad-state", "inject " + qt(id) + " was skipped: its skip_if held when it was due");
  if (!open)
    fail("bad-state", "inject " + qt(id) + " was already delivered or cancelled");
  if (type == "inject_release") {
    deliver(i, "controller");
  } else if (type == "inject_delay") {
    if (!cmd.contains("by"))
      fail("bad-command", "(/by) missing: how long to delay, e.g. \"10m\"");
    const double by = parse_time_field(cmd["by"], "by");
    if (in.status == InjectRun::Status::scheduled)
      schedule_inject(i, in.due + by);
    else
      in.extra_delay += by;
    emit(RecordKind::exercise, RecordType::inject_delayed, "inject:" + id, {{"inject", id}, {"by", round3(by)}},
         control());
  } else {
    in.status = InjectRun::Status::cancelled;
    ++in.gen;
    if (in.trigger >= 0)
      triggers_[in.trigger].active = false;
    emit(RecordKind::exercise, RecordType::inject_cancelled, "inject:" + id, {{"inject", id}}, control());
  }
  return inject_json(i, true);
}

Json ExerciseSession::Impl::cmd_inject_create(const Json& cmd)
{
  if (!cmd.contains("inject") || !cmd["inject"].is_object())
    fail("bad-command", "(/inject) expected the new inject as an object with id, title, content, to");
  const Json& j = cmd["inject"];
  InjectRun in;
  in.created = true;
  in.spec.id = get_string(j, "id", true);
  if (inject_by_id_.count(in.spec.id))
    fail("bad-command", "(/inject/id) an inject " + qt(in.spec.id) + " already exists");
  in.spec.title = get_string(j, "title", true);
  in.spec.content = get_string(j, "content", false);
  in.spec.channel = get_string(j, "channel", false);
  in.spec.from = get_string(j, "from", false);
  in.spec.move = current_move();
  in.spec.to = get_strings(j, "to");
  if (in.spec.to.empty())
    fail("bad-command", "(/inject/to) an inject needs \"to\": one or more team ids");
  for (const auto& t : in.spec.to)
    if (!sc_.team_by_id.count(t))
      fail("unknown-target", "(/inject/to) no team " + qt(t));
  const std::string type = get_string(j, "type", false);
  if (!type.empty()) {
    auto t = inject_type_from_string(type);
    if (!t)
      fail("bad-command", "(/inject/type) expected inject, information, facilitation or contingency; got " + qt(type));
    in.spec.type = *t;
  }
  if (j.contains("hidden")) {
    if (!j["hidden"].is_boolean())
      fail("bad-command", "(/inject/hidden) expected true or false");
    in.spec.hidden = j["hidden"].get<bool>();
  }
  if (j.contains("expires"))
    in.spec.expires = parse_time_field(j["expires"], "inject/expires");
  for (const auto& ind : get_strings(j, "indicators")) {
    if (!sc_.indicator_by_id.count(ind))
      fail("unknown-indicator", "(/inject/indicators) no indicator " + qt(ind) + " in this exercise");
    in.indicators.push_back(ind);
  }
  double at = now_();
  if (j.contains("time")) {
    at = parse_time_field(j["time"], "inject/time");
    if (at < now_())
      fail("bad-command", "(/inject/time) the time has passed (now " + std::to_string(round3(now_())) + " s)");
    in.spec.time = at;
  }
  const int i = static_cast<int>(injects_.size());
  injects_.push_back(std::move(in));
  inject_by_id_[injects_.back().spec.id] = i;
  // the record says what the reply says: a later inject is scheduled (with its due time) before it is announced
  if (at > now_()) {
    schedule_inject(i, at);
    emit(RecordKind::exercise, RecordType::inject_created, "inject:" + injects_[i].spec.id, inject_json(i, true),
         control());
  } else {
    emit(RecordKind::exercise, RecordType::inject_created, "inject:" + injects_[i].spec.id, inject_json(i, true),
         control());
    deliver(i, "controller");
  }
  return inject_json(i, true);
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

Json ExerciseSession::Impl::cmd_observe(const Principal& who, const Json& cmd)
{
  Json o;
  o["time"] = round3(now_());
  o["by"] = to_string(who.role);
  const std::string team = get_string(cmd, "team", false);
  if (!team.empty() && !team_run(team))
    fail("unknown-target", "(/team) no player team " + qt(team));
  const std::string objective = get_string(cmd, "objective", false);
  if (!objective.empty() &&
      std::none_of(sc_.objectives.begin(), sc_.objectives.end(), [&](const Objective& x) { return x.id == objective; }))
    fail("unknown-target", "(/objective) no objective " + qt(objective));
  o["team"] = team;
  o["objective"] = objective;
  o["critical_task"] = get_string(cmd, "critical_task", false);
  o["text"] = get_string(cmd, "text", true);
  // the kind is recorded only when sent: without it the report reads the text's "Strength:"... prefix, as before
  const std::string kind = get_string(cmd, "kind", false);
  if (cmd.contains("kind") && !cmd["kind"].is_null()) {
    if (kind != "strength" && kind != "improvement" && kind != "note")
      fail("bad-command", "(/kind) expected strength, improvement or note; got " + qt(kind));
    o["kind"] = kind;
  }
  emit(RecordKind::exercise, RecordType::observation, team.empty() ? "exercise:" + sc_.exercise.id : "team:" + team, o,
       control());
  return {{"observation", ++observations_}};
}

Json ExerciseSession::Impl::cmd_rate(const Principal& who, const Json& cmd)
{
  struct {
    std::string team, objective, critical_task, rating, text, by;
  } r;
  r.by = to_string(who.role);
  r.team = get_string(cmd, "team", true);
  if (!team_run(r.team))
    fail("unknown-target", "(/team) no player team " + qt(r.team));
  r.objective = get_string(cmd, "objective", true);
  const Objective* obj = nullptr;
  for (const auto& o : sc_.objectives)
    if (o.id == r.objective)
      obj = &o;
  if (!obj)
    fail("unknown-target", "(/objective) no objective " + qt(r.objective));
  if (!obj->teams.empty() && std::find(obj->teams.begin(), obj->teams.end(), r.team) == obj->teams.end())
    fail("bad-command", "(/objective) objective " + qt(r.objective) + " does not apply to team " + qt(r.team));
  r.critical_task = get_string(cmd, "critical_task", false);
  if (!r.critical_task.empty() &&
      std::find(obj->critical_tasks.begin(), obj->critical_tasks.end(), r.critical_task) == obj->critical_tasks.end())
    fail("unknown-target",
         "(/critical_task) objective " + qt(r.objective) + " has no critical task " + qt(r.critical_task));
  r.rating = get_string(cmd, "rating", true);
  if (r.rating != "P" && r.rating != "S" && r.rating != "M" && r.rating != "U")
    fail("bad-command", "(/rating) expected P, S, M or U (HSEEP); got " + qt(r.rating));
  r.text = get_string(cmd, "text", false);
  Json d{{"team", r.team},     {"objective", r.objective},        {"critical_task", r.critical_task},
         {"rating", r.rating}, {"value", rating_value(r.rating)}, {"text", r.text},
         {"by", r.by}};
  emit(RecordKind::exercise, RecordType::rating, "team:" + r.team, d, control());
  return d;
}

Json ExerciseSession::Impl::cmd_confirm(const Json& cmd)
{
  const std::string id = get_string(cmd, "expectation", true);
  const std::string team = get_string(cmd, "team", false);
  auto it = expectation_by_id_.find(id);
  bool exists = false;
  for (const auto& inj : injects_)
    for (const auto& e : inj.spec.expectations)
      exists = exists || e.id == id;
  if (!exists)
    fail("unknown-target", "(/expectation) no expectation " + qt(id));
  if (it != expectation_by_id_.end())
    for (int e : it->second)
      if (expectations_[e].status == ExpectationRun::Status::pending &&
          (team.empty() || expectations_[e].team == team)) {
        expectation_decided(e, true, "evaluator");
        return expectation_json(e);
      }
  fail("bad-state", "expectation " + qt(id) + " is not pending (its inject was not delivered, or it was decided)");
}

} // namespace cyberex
