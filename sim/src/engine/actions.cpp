/* Team actions: validated when applied, issued at their time, effective after the action's duration. */
#include "cyberex/scenario.hpp"
#include "engine/impl.hpp"

#include <algorithm>

namespace cyberex {

namespace {

const ActionSpec* find_spec(const Scenario& sc, ActionType type)
{
  for (const auto& a : sc.actions)
    if (a.type == type)
      return &a;
  return nullptr;
}

bool needs_target(ActionType t)
{
  return t == ActionType::isolate || t == ActionType::reconnect || t == ActionType::patch ||
         t == ActionType::reset_credentials || t == ActionType::restore || t == ActionType::manual_operations ||
         t == ActionType::close_breaker;
}

bool branch_target(const Command& c)
{
  return c.target.rfind("branch:", 0) == 0;
}

bool breaker_equipment(const Node& n)
{
  return n.kind == NodeKind::substation || n.kind == NodeKind::generation_unit;
}

std::string service_of(const Command& c)
{
  if (!c.service.empty())
    return c.service.rfind("service:", 0) == 0 ? c.service.substr(8) : c.service;
  if (c.target.rfind("service:", 0) == 0)
    return c.target.substr(8);
  return "";
}

} // namespace

std::vector<Index> refuel_dependencies(const Scenario& sc, const std::string& target)
{
  std::vector<Index> out;
  const bool by_id = target.rfind("dependency:", 0) == 0;
  for (std::size_t d = 0; d < sc.dependencies.size(); ++d) {
    const Dependency& dep = sc.dependencies[d];
    if (by_id ? dep.id == target.substr(11) : (dep.dependent == target && dep.backup && dep.backup->duration > 0))
      out.push_back(static_cast<Index>(d));
  }
  return out;
}

std::string validate_command(const Command& c, const Scenario& sc)
{
  if (c.team.empty())
    return "missing 'team'";
  if (!sc.team_by_id.count(c.team))
    return "no team '" + c.team + "'";
  auto type = action_type_from_string(c.action);
  if (!type)
    return "unknown action '" + c.action +
           "'; expected one of isolate, reconnect, block, patch, reset_credentials, restore, manual_operations, "
           "shutdown_service, restore_service, share, report, communicate, public_statement, close_breaker, refuel";
  if (*type == ActionType::close_breaker && branch_target(c)) {
    // a branch of a networked grid: "branch:ID" or "branch:GRID/ID"
    if (!find_branch(grid_networks(sc), sc, c.target))
      return "no branch '" + c.target.substr(7) + "' in a grid with buses";
    return "";
  }
  if (needs_target(*type)) {
    if (c.target.empty())
      return "action '" + c.action + "' needs a 'target' selector such as \"node:ID\"";
    if (select_nodes(sc, c.target).empty())
      return "target '" + c.target + "' matches no node";
  }
  switch (*type) {
  case ActionType::block:
    if (c.indicator.empty())
      return "action 'block' needs an 'indicator'";
    if (!sc.indicator_by_id.count(c.indicator))
      return "no indicator '" + c.indicator + "'";
    break;
  case ActionType::patch: {
    if (c.vulnerability.empty())
      return "action 'patch' needs a 'vulnerability'";
    bool found = false;
    for (Index n : select_nodes(sc, c.target))
      for (const auto& v : sc.nodes[n].vulnerabilities)
        found = found || v.id == c.vulnerability;
    if (!found)
      return "no node of '" + c.target + "' has vulnerability '" + c.vulnerability + "'";
    break;
  }
  case ActionType::shutdown_service:
  case ActionType::restore_service: {
    const std::string s = service_of(c);
    if (s.empty())
      return "action '" + c.action + "' needs a 'service'";
    if (!sc.service_by_id.count(s))
      return "no service '" + s + "'";
    break;
  }
  case ActionType::share:
    if (c.to.empty())
      return "action 'share' needs 'to' (team ids)";
    for (const auto& i : c.indicators)
      if (!sc.indicator_by_id.count(i))
        return "no indicator '" + i + "'";
    [[fallthrough]];
  case ActionType::report:
  case ActionType::communicate:
    for (const auto& t : c.to)
      if (!sc.team_by_id.count(t))
        return "no team '" + t + "' in 'to'";
    break;
  case ActionType::public_statement: {
    bool known = false;
    for (const char* k : PUBLIC_STATEMENT_KINDS)
      known = known || c.kind == k;
    if (!known)
      return "action 'public_statement' needs a 'kind': press_statement or public_advisory" +
             (c.kind.empty() ? std::string() : "; got '" + c.kind + "'");
    if (c.text.empty())
      return "action 'public_statement' needs a 'text': what the public is told";
    break;
  }
  case ActionType::close_breaker: {
    const auto nodes = select_nodes(sc, c.target);
    if (std::none_of(nodes.begin(), nodes.end(), [&](Index n) { return breaker_equipment(sc.nodes[n]); }))
      return "target '" + c.target + "' selects no substation or generation unit: a field crew closes breakers there";
    break;
  }
  case ActionType::refuel: {
    if (c.target.empty())
      return "action 'refuel' needs a 'target': \"dependency:ID\", or the dependent (\"service:x\", \"node:x\")";
    const auto deps = refuel_dependencies(sc, c.target);
    if (deps.empty() && c.target.rfind("dependency:", 0) == 0)
      return "no dependency '" + c.target.substr(11) + "'";
    if (deps.empty())
      return "target '" + c.target + "' is the dependent of no dependency with a backup";
    for (Index d : deps)
      if (!sc.dependencies[d].backup || !(sc.dependencies[d].backup->duration > 0))
        return "dependency '" + sc.dependencies[d].id + "' has no backup to refuel";
    break;
  }
  default:
    break;
  }
  return "";
}

CommandResult Simulation::Impl::apply(const Command& command)
{
  CommandResult r;
  r.error = validate_command(command, sc_);
  if (!r.error.empty())
    return r;
  r.ok = true;
  r.effective_time = std::max(command.time, now());
  commands_.push_back(command);
  commands_.back().time = r.effective_time;
  command_nodes_.push_back(command.target.empty() || branch_target(command) ? std::vector<Index>{}
                                                                            : select_nodes(sc_, command.target));
  schedule(
      r.effective_time,
      [](Simulation& sim, std::uint64_t i, std::uint64_t) { sim.impl_->command_issue(static_cast<int>(i)); },
      commands_.size() - 1, 0);
  return r;
}

void Simulation::Impl::command_issue(int i)
{
  const Command& c = commands_[i];
  const ActionType type = *action_type_from_string(c.action);
  const ActionSpec* spec = find_spec(sc_, type);
  const double duration = spec ? spec->duration : 0;
  Details d;
  d.str("action", c.action);
  if (!c.target.empty())
    d.str("target", c.target);
  if (!c.indicator.empty())
    d.str("indicator", c.indicator);
  if (!c.vulnerability.empty())
    d.str("vulnerability", c.vulnerability);
  if (!service_of(c).empty() && (type == ActionType::shutdown_service || type == ActionType::restore_service))
    d.str("service", service_of(c));
  if (type == ActionType::public_statement)
    d.str("kind", c.kind);
  d.num("effective_at", now() + duration);
  emit(RecordType::action_started, "team:" + c.team, d.done());
  schedule(
      now() + duration,
      [](Simulation& sim, std::uint64_t x, std::uint64_t) { sim.impl_->command_effect(static_cast<int>(x)); },
      static_cast<std::uint64_t>(i), 0);
}

void Simulation::Impl::command_effect(int i)
{
  const Command& c = commands_[i];
  const ActionType type = *action_type_from_string(c.action);
  const ActionSpec* spec = find_spec(sc_, type);
  const auto& targets = command_nodes_[i];
  const int team = sc_.team_by_id.at(c.team);
  auto subject = [&](Index n) { return "node:" + sc_.nodes[n].id; };
  switch (type) {
  case ActionType::isolate:
    for (Index n : targets)
      if (!nodes_[n].isolated) {
        nodes_[n].isolated = true;
        emit(RecordType::node_isolated, subject(n), Details().str("team", c.team).done());
      }
    break;
  case ActionType::reconnect:
    for (Index n : targets)
      if (nodes_[n].isolated) {
        nodes_[n].isolated = false;
        emit(RecordType::node_reconnected, subject(n), Details().str("team", c.team).done());
      }
    break;
  case ActionType::block: {
    const Index ind = sc_.indicator_by_id.at(c.indicator);
    blocked_[ind][team] = 1;
    emit(RecordType::indicator_blocked, "indicator:" + c.indicator,
         Details().str("team", c.team).str("value", sc_.indicators[ind].value).done());
    // C2 and exfiltration that use it stop now
    for (auto& x : exfils_) {
      if (!x.active || x.cancelled)
        continue;
      const int camp = attempts_[x.attempt].campaign;
      if (!channel_blocked(camp, x.node))
        continue;
      x.cancelled = true;
      if (x.comm) {
        sync_clock();
        x.remaining_snapshot = x.comm->get_remaining();
        x.comm->cancel();
      }
    }
    for (std::size_t camp = 0; camp < campaigns_.size(); ++camp) {
      std::vector<Index> held;
      for (const auto& [n, fh] : campaigns_[camp].footholds)
        held.push_back(n);
      for (Index n : held)
        if (!is_attacker(n) && channel_blocked(static_cast<int>(camp), n))
          set_c2(static_cast<int>(camp), n, false, "indicator blocked");
    }
    for (std::size_t b = 0; b < sc_.botnets.size(); ++b) {
      const auto& inds = sc_.botnets[b].indicators_index;
      if (std::find(inds.begin(), inds.end(), ind) == inds.end() || botnets_[b].wave < 0)
        continue;
      // the flood is filtered upstream when the blocking team owns its target
      Index target = NO_INDEX;
      const std::string& tg = sc_.botnets[b].target;
      if (tg.rfind("service:", 0) == 0 && sc_.service_by_id.count(tg.substr(8)))
        target = sc_.services[sc_.service_by_id.at(tg.substr(8))].node_index;
      else if (tg.rfind("node:", 0) == 0 && sc_.node_by_id.count(tg.substr(5)))
        target = sc_.node_by_id.at(tg.substr(5));
      if (target >= 0 && indicator_blocked_for(ind, target))
        stop_botnet(static_cast<int>(b), "indicator blocked");
    }
    break;
  }
  case ActionType::patch:
    for (Index n : targets)
      for (const auto& v : sc_.nodes[n].vulnerabilities)
        if (v.id == c.vulnerability && nodes_[n].patched.insert(v.id).second)
          emit(RecordType::node_patched, subject(n), Details().str("team", c.team).str("vulnerability", v.id).done());
    break;
  case ActionType::reset_credentials:
    for (Index n : targets) {
      const auto& creds = sc_.nodes[n].credentials;
      emit(RecordType::credentials_reset, subject(n),
           Details().str("team", c.team).strings("credentials", creds).done());
      for (std::size_t camp = 0; camp < campaigns_.size(); ++camp) {
        auto& cs = campaigns_[camp];
        for (const auto& cred : creds)
          cs.credentials.erase(cred);
        auto it = cs.footholds.find(n);
        if (it != cs.footholds.end() && !it->second.persistent)
          remove_foothold(static_cast<int>(camp), n, "credentials reset");
      }
    }
    break;
  case ActionType::restore:
    for (Index n : targets) {
      // the offline time: the node kind's, else the action's; a destroyed backup store multiplies it or refuses
      double offline = spec ? spec->effect_duration : 0;
      if (spec) {
        auto by_kind = spec->effect_duration_by_kind.find(sc_.nodes[n].kind);
        if (by_kind != spec->effect_duration_by_kind.end())
          offline = by_kind->second;
      }
      const Index store = sc_.nodes[n].backup_index;
      if (store >= 0 && nodes_[store].backup_destroyed) {
        const double factor = spec ? spec->backup_destroyed_factor : 0;
        if (!(factor > 0)) {
          emit(RecordType::action_refused, subject(n),
               Details()
                   .str("team", c.team)
                   .str("action", c.action)
                   .str("reason", "no backup to restore from: its backup on " + sc_.nodes[store].id + " was destroyed")
                   .done());
          continue;
        }
        offline *= factor;
      }
      auto& ns = nodes_[n];
      ns.down = true;
      ns.encrypted = false;
      ns.defaced = false;
      const std::uint64_t gen = ++ns.restore_gen;
      for (std::size_t camp = 0; camp < campaigns_.size(); ++camp) {
        for (const auto& cred : sc_.nodes[n].credentials)
          campaigns_[camp].credentials.erase(cred);
        remove_foothold(static_cast<int>(camp), n, "restored from backup");
      }
      emit(RecordType::node_offline, subject(n), Details().str("team", c.team).num("until", now() + offline).done());
      schedule(
          now() + offline,
          [](Simulation& sim, std::uint64_t x, std::uint64_t g) {
            if (sim.impl_->nodes_[x].restore_gen == g)
              sim.impl_->restore_done(static_cast<Index>(x));
          },
          static_cast<std::uint64_t>(n), gen);
    }
    break;
  case ActionType::manual_operations: {
    std::vector<Index> units;
    for (Index n : targets) {
      if (sc_.nodes[n].kind == NodeKind::generation_unit)
        units.push_back(n);
      for (Index u : sc_.nodes[n].controls_index)
        if (sc_.nodes[u].kind == NodeKind::generation_unit)
          units.push_back(u);
    }
    std::sort(units.begin(), units.end());
    units.erase(std::unique(units.begin(), units.end()), units.end());
    const double capacity = spec ? std::clamp(spec->capacity, 0.0, 1.0) : 1.0;
    for (Index u : units) {
      nodes_[u].manual = true;
      nodes_[u].manual_capacity = capacity;
      emit(RecordType::unit_manual, subject(u), Details().str("team", c.team).num("capacity", capacity).done());
    }
    break;
  }
  case ActionType::shutdown_service:
  case ActionType::restore_service: {
    const Index s = sc_.service_by_id.at(service_of(c));
    services_[s].shutdown = type == ActionType::shutdown_service;
    emit(type == ActionType::shutdown_service ? RecordType::service_shutdown : RecordType::service_restored,
         "service:" + sc_.services[s].id, Details().str("team", c.team).done());
    break;
  }
  case ActionType::public_statement:
    emit(RecordType::public_statement, "team:" + c.team, Details().str("kind", c.kind).str("text", c.text).done());
    break;
  case ActionType::close_breaker:
    if (branch_target(c))
      close_branch(c.target, c.team);
    for (Index n : targets)
      if (breaker_equipment(sc_.nodes[n]) && nodes_[n].tripped) {
        nodes_[n].tripped = false;
        emit(RecordType::breaker_closed, subject(n), Details().str("team", c.team).done());
      }
    break;
  case ActionType::refuel: {
    const double extends = spec ? spec->extends : 0;
    for (Index d : refuel_dependencies(sc_, c.target)) {
      if (static_cast<std::size_t>(d) >= deps_.size())
        continue; // not simulated (a reference the loader would have refused)
      auto& ds = deps_[d];
      const std::string dep = "dependency:" + sc_.dependencies[d].id;
      if (!ds.has_backup)
        continue;
      if (!ds.lost) {
        emit(RecordType::action_refused, dep,
             Details()
                 .str("team", c.team)
                 .str("action", c.action)
                 .str("reason", "its backup is not running: " + sc_.dependencies[d].on + " is up")
                 .done());
        continue;
      }
      // a running backup runs `extends` longer; one that ran dry starts again for `extends`
      ds.exhaust_at = ds.exhausted ? now() + extends : ds.exhaust_at + extends;
      ds.exhausted = false;
      const std::uint64_t gen = ++ds.gen;
      emit(RecordType::backup_refuelled, dep,
           Details().str("team", c.team).num("extends", extends).num("until", ds.exhaust_at).done());
      schedule(
          ds.exhaust_at,
          [](Simulation& sim, std::uint64_t x, std::uint64_t g) {
            sim.impl_->backup_exhausted(static_cast<int>(x), g);
          },
          static_cast<std::uint64_t>(d), gen);
    }
    break;
  }
  case ActionType::share:
  case ActionType::report:
  case ActionType::communicate:
    emit(RecordType::message, "team:" + c.team,
         Details()
             .str("action", c.action)
             .strings("to", c.to)
             .strings("indicators", c.indicators)
             .str("text", c.text)
             .done());
    break;
  }
  refresh();
}

void Simulation::Impl::restore_done(Index n)
{
  auto& ns = nodes_[n];
  ns.down = false;
  std::vector<Index> equipment = sc_.nodes[n].controls_index;
  equipment.push_back(n);
  for (Index u : equipment) {
    nodes_[u].tripped = false;
    nodes_[u].derate = 0;
  }
  emit(RecordType::node_restored, "node:" + sc_.nodes[n].id, Details().done());
  refresh();
}

} // namespace cyberex
