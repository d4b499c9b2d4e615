/* ExerciseState: folding records. Every record type is handled here (or said to change nothing), in one switch per
 * kind, so that a new type gets a compiler warning until it is folded. */
#include "state/state.hpp"

#include <algorithm>

namespace cyberex {

namespace state {

std::string str(const Json& object, const char* key)
{
  if (!object.is_object())
    return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double num(const Json& object, const char* key)
{
  if (!object.is_object())
    return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string id_of(const std::string& subject)
{
  const auto c = subject.find(':');
  return c == std::string::npos ? subject : subject.substr(c + 1);
}

void Series::add(double t, double v)
{
  t = round3(t);
  v = round3(v);
  if (!points.empty()) {
    auto& last = points.back();
    if (last.second == v)
      return;
    if (last.first == t) {
      last.second = v;
      if (points.size() >= 2 && points[points.size() - 2].second == v)
        points.pop_back();
      return;
    }
  }
  points.emplace_back(t, v);
}

namespace {

int status_code(const std::string& s)
{
  return s == "down" ? 2 : s == "degraded" ? 1 : 0;
}

double status_value(int code)
{
  return code == 0 ? 1.0 : code == 1 ? 0.5 : 0.0;
}

/// A step whose success harms the world (docs/after-action.md, "ATT&CK coverage"); an exfiltration counts from its
/// first byte that arrives instead (exfiltration_progress, exfiltration_ended).
bool impact_effect(StepEffect e)
{
  switch (e) {
  case StepEffect::manipulate:
  case StepEffect::trip:
  case StepEffect::shutdown:
  case StepEffect::encrypt:
  case StepEffect::deface:
  case StepEffect::publish:
  case StepEffect::destroy_backup:
    return true;
  default:
    return false;
  }
}

std::vector<std::string> strings_of(const Json& d, const char* key)
{
  std::vector<std::string> out;
  if (!d.is_object())
    return out;
  auto it = d.find(key);
  if (it != d.end() && it->is_array())
    for (const auto& v : *it)
      if (v.is_string())
        out.push_back(v.get<std::string>());
  return out;
}

} // namespace
} // namespace state

using namespace state;

ExerciseState::Impl::Impl(const Scenario& scenario) : sc(&scenario)
{
  nodes.resize(sc->nodes.size());
  ever.assign(sc->nodes.size(), 0);
  node_teams.resize(sc->nodes.size());
  for (std::size_t t = 0; t < sc->teams.size(); ++t) {
    const Team& spec = sc->teams[t];
    if (spec.role != TeamRole::player)
      continue;
    TeamState team;
    team.id = spec.id;
    team.team = static_cast<Index>(t);
    for (Index n : spec.asset_nodes) {
      node_teams[n].push_back(static_cast<int>(teams.size()));
      const Node& node = sc->nodes[n];
      if (!node.grid.empty() && (node.kind == NodeKind::substation || node.kind == NodeKind::generation_unit))
        team.grids.insert(node.grid);
      if (node.kind == NodeKind::substation)
        team.load_mw += node.load_mw;
    }
    for (std::size_t s = 0; s < sc->services.size(); ++s)
      if (std::binary_search(spec.asset_nodes.begin(), spec.asset_nodes.end(), sc->services[s].node_index))
        team.services.push_back(static_cast<Index>(s));
    // the bytes the scenario's exfiltration steps could take from its nodes: the reference of data_exfiltrated
    for (const auto& camp : sc->campaigns)
      for (const auto& st : camp.steps) {
        if (st.effect != StepEffect::exfiltrate)
          continue;
        int owned = 0;
        for (Index n : st.target_nodes)
          owned += std::binary_search(spec.asset_nodes.begin(), spec.asset_nodes.end(), n) ? 1 : 0;
        team.exfil_reference += st.exfiltrate_bytes * std::min(owned, std::max(1, st.max_targets));
      }
    teams.push_back(std::move(team));
  }
  for (const auto& c : sc->campaigns) {
    CampaignKpis k;
    k.id = c.id;
    for (const auto& st : c.steps)
      k.steps.push_back(StepKpis{st.id, NEVER});
    campaigns.push_back(std::move(k));
  }
  services.resize(sc->services.size());
  for (std::size_t s = 0; s < services.size(); ++s) {
    services[s].measured = Integral{0, 1, 0};
    services[s].measured_from = sc->services[s].probe ? NEVER : 0; // a probed service: from its first probe
  }
  for (const auto& g : sc->grids)
    grids[g.id];
  init_grids();
  for (const auto& in : sc->msel) {
    InjectState s;
    s.id = in.id;
    s.type = to_string(in.type);
    s.channel = in.channel;
    s.from = in.from;
    s.title = in.title;
    s.content = in.content;
    s.move = in.move;
    s.to = in.to;
    s.hidden = in.hidden;
    s.triggered = in.trigger.has_value();
    s.expires = in.expires;
    for (const auto& e : in.expectations)
      s.expectations.push_back(e.id);
    if (in.time) {
      s.status = InjectState::Status::scheduled;
      s.due = *in.time;
    }
    inject_by_id[s.id] = injects.size();
    injects.push_back(std::move(s));
  }
  availability_pct.add(0, 100);
  compromised_series.add(0, 0);
  exfil_mb.add(0, 0);
  mw_series.add(0, 0);
}

Index ExerciseState::Impl::node_index(const std::string& id) const
{
  auto it = sc->node_by_id.find(id);
  return it == sc->node_by_id.end() ? NO_INDEX : it->second;
}

Index ExerciseState::Impl::service_index(const std::string& id) const
{
  auto it = sc->service_by_id.find(id);
  return it == sc->service_by_id.end() ? NO_INDEX : it->second;
}

TeamState* ExerciseState::Impl::team(const std::string& id)
{
  for (auto& t : teams)
    if (t.id == id)
      return &t;
  return nullptr;
}

const TeamState* ExerciseState::Impl::team(const std::string& id) const
{
  for (const auto& t : teams)
    if (t.id == id)
      return &t;
  return nullptr;
}

InjectState& ExerciseState::Impl::inject(const std::string& id)
{
  auto it = inject_by_id.find(id);
  if (it != inject_by_id.end())
    return injects[it->second];
  InjectState s; // an inject the scenario does not have (a journal of another version): kept as the records say
  s.id = id;
  inject_by_id[id] = injects.size();
  injects.push_back(std::move(s));
  return injects.back();
}

void ExerciseState::Impl::learn(TeamState& t, const Json& indicators)
{
  if (!indicators.is_array())
    return;
  for (const auto& i : indicators)
    if (i.is_string() && sc->indicator_by_id.count(i.get<std::string>()))
      t.known.insert(i.get<std::string>());
}

void ExerciseState::Impl::node_changed(Index n, double t, const NodeState& before)
{
  const NodeState& now = nodes[n];
  if (before.compromised() != now.compromised()) {
    compromised += now.compromised() ? 1 : -1;
    compromised_max = std::max(compromised_max, compromised);
    compromised_series.add(t, compromised);
  }
}

void ExerciseState::Impl::service_changed(double t)
{
  // time_to_recover: from the first time a team service is down to the first time none is
  for (auto& team : teams) {
    bool down = false;
    for (Index s : team.services)
      down = down || services[s].status == 2;
    if (down && !(team.first_loss < NEVER))
      team.first_loss = t;
    if (!down && team.first_loss < NEVER && !(team.recovered < NEVER))
      team.recovered = t;
  }
  double sum = 0;
  for (std::size_t s = 0; s < services.size(); ++s)
    sum += status_value(sc->services[s].probe ? services[s].probe : services[s].status);
  availability_pct.add(t, services.empty() ? 100 : 100 * sum / static_cast<double>(services.size()));
}

void ExerciseState::Impl::fold(double t, RecordKind kind, RecordType type, const std::string& subject, const Json& d,
                               const Audience& audience)
{
  time = std::max(time, t);
  ++records;
  switch (kind) {
  case RecordKind::event:
    fold_world(t, type, subject, d, audience);
    return;
  case RecordKind::delivery:
    fold_delivery(t, type, d, audience);
    return;
  case RecordKind::exercise:
    fold_exercise(t, type, subject, d);
    return;
  }
}

void ExerciseState::Impl::fold_world(double t, RecordType type, const std::string& subject, const Json& d,
                                     const Audience&)
{
  ++events;
  if (!nets.empty())
    fold_grid(type, subject, d);
  const std::string id = id_of(subject);
  const Index n = subject.rfind("node:", 0) == 0 ? node_index(id) : NO_INDEX;
  auto campaign = [&](const std::string& cid) -> CampaignKpis* {
    for (auto& c : campaigns)
      if (c.id == cid)
        return &c;
    return nullptr;
  };
  switch (type) {
  case RecordType::node_compromised:
    if (n >= 0 && sc->nodes[n].kind != NodeKind::attacker) {
      const NodeState before = nodes[n];
      auto& camps = nodes[n].campaigns;
      const std::string c = str(d, "campaign");
      if (std::find(camps.begin(), camps.end(), c) == camps.end()) {
        camps.push_back(c);
        std::sort(camps.begin(), camps.end());
      }
      nodes[n].privilege = str(d, "privilege");
      if (!ever[n]) {
        ever[n] = 1;
        ++compromised_ever;
      }
      for (int k : node_teams[n]) {
        teams[k].first_compromise = std::min(teams[k].first_compromise, t);
        teams[k].ever_compromised.insert(n);
        teams[k].campaigns.insert(c);
      }
      if (CampaignKpis* ck = campaign(c))
        ck->first_compromise = std::min(ck->first_compromise, t);
      node_changed(n, t, before);
    }
    break;
  case RecordType::privilege_escalated:
    if (n >= 0)
      nodes[n].privilege = str(d, "privilege");
    break;
  case RecordType::foothold_lost:
    if (n >= 0) {
      const NodeState before = nodes[n];
      auto& camps = nodes[n].campaigns;
      camps.erase(std::remove(camps.begin(), camps.end(), str(d, "campaign")), camps.end());
      if (camps.empty())
        nodes[n].privilege.clear();
      node_changed(n, t, before);
    }
    break;
  case RecordType::node_isolated:
  case RecordType::node_reconnected:
    if (n >= 0) {
      const NodeState before = nodes[n];
      nodes[n].isolated = type == RecordType::node_isolated;
      nodes[n].isolated_by = nodes[n].isolated ? str(d, "team") : std::string();
      node_changed(n, t, before);
    }
    break;
  case RecordType::node_offline:
    if (n >= 0) {
      const NodeState before = nodes[n];
      nodes[n].offline = true;
      node_changed(n, t, before);
    }
    break;
  case RecordType::node_restored:
    if (n >= 0) {
      const NodeState before = nodes[n];
      NodeState& ns = nodes[n];
      ns.offline = ns.encrypted = ns.defaced = ns.down = false;
      node_changed(n, t, before);
    }
    break;
  case RecordType::node_down:
    if (n >= 0)
      nodes[n].down = true;
    break;
  case RecordType::node_encrypted:
    if (n >= 0)
      nodes[n].encrypted = true;
    break;
  case RecordType::node_defaced:
    if (n >= 0)
      nodes[n].defaced = true;
    break;
  case RecordType::backup_destroyed:
    if (n >= 0)
      nodes[n].backup_destroyed = true;
    break;
  case RecordType::public_statement:
    statements.push_back({round3(t), id, str(d, "kind"), str(d, "text")});
    break;
  case RecordType::node_status:
    if (n >= 0) {
      nodes[n].failed = str(d, "status") == "failed";
      nodes[n].reason = nodes[n].failed ? str(d, "reason") : std::string();
    }
    break;
  case RecordType::node_patched:
    if (n >= 0) {
      auto& p = nodes[n].patched;
      const std::string v = str(d, "vulnerability");
      if (std::find(p.begin(), p.end(), v) == p.end()) {
        p.push_back(v);
        std::sort(p.begin(), p.end());
      }
      auto& by = nodes[n].patched_by;
      const std::string who = str(d, "team");
      if (!who.empty() && std::find(by.begin(), by.end(), who) == by.end()) {
        by.push_back(who);
        std::sort(by.begin(), by.end());
      }
    }
    break;
  case RecordType::unit_output:
    if (n >= 0) {
      nodes[n].output_mw = num(d, "mw");
      nodes[n].capacity_mw = num(d, "capacity");
      nodes[n].mode = str(d, "mode");
    }
    break;
  case RecordType::load_lost:
    if (n >= 0)
      nodes[n].load_lost_mw = num(d, "mw");
    break;
  case RecordType::load_restored:
    if (n >= 0)
      nodes[n].load_lost_mw.reset();
    break;
  case RecordType::grid_balance: {
    GridState& g = grids[id];
    g.last = d.is_object() ? d : Json::object();
    g.lost_mw = num(d, "lost_mw");
    g.mwh.set(t, g.lost_mw);
    g.customer_hours.set(t, num(d, "customers_lost"));
    double lost = 0;
    for (const auto& [gid, grid] : grids)
      lost += grid.lost_mw;
    mw_lost = lost;
    mw_lost_max = std::max(mw_lost_max, lost);
    mw_series.add(t, lost);
    if (d.is_object() && d.contains("shed_mw")) { // a networked grid
      g.shed_mw = num(d, "shed_mw");
      g.overloaded = static_cast<int>(num(d, "overloaded"));
      double shed = 0, overloaded = 0;
      for (const auto& [gid, grid] : grids) {
        shed += grid.shed_mw;
        overloaded += grid.overloaded;
      }
      shed_series.add(t, shed);
      overloaded_series.add(t, overloaded);
    }
    break;
  }
  case RecordType::service_status: {
    const Index s = service_index(id);
    if (s >= 0) {
      ServiceState& v = services[s];
      v.status = status_code(str(d, "status"));
      v.reason = str(d, "reason");
      v.downtime.set(t, v.status == 2 ? 1 : 0);
      if (!sc->services[s].probe)
        v.measured.set(t, status_value(v.status));
      service_changed(t);
    }
    break;
  }
  case RecordType::probe_status: {
    const Index s = service_index(id);
    if (s >= 0) {
      ServiceState& v = services[s];
      v.probe = status_code(str(d, "status"));
      v.probe_reason = str(d, "reason");
      if (sc->services[s].probe) {
        if (!v.probe_seen) {
          v.measured_from = t;
          v.measured = Integral{0, status_value(v.probe), t};
        }
        v.measured.set(t, status_value(v.probe));
        v.degraded.set(t, v.probe == 1 ? 1 : 0);
        v.unavailable.set(t, v.probe == 2 ? 1 : 0);
      }
      v.probe_seen = true;
      service_changed(t);
    }
    break;
  }
  case RecordType::campaign_started:
  case RecordType::campaign_finished:
  case RecordType::campaign_stopped:
  case RecordType::campaign_waiting:
    if (CampaignKpis* c = campaign(id))
      c->status = type == RecordType::campaign_started    ? "running"
                  : type == RecordType::campaign_finished ? "finished"
                  : type == RecordType::campaign_stopped  ? (str(d, "reason") == "step failed" ? "failed" : "stopped")
                                                          : "waiting";
    break;
  case RecordType::step_started:
    if (CampaignKpis* c = campaign(id); c && c->status == "waiting")
      c->status = "running";
    break;
  case RecordType::step_succeeded:
    if (CampaignKpis* c = campaign(id)) {
      ++c->steps_succeeded;
      const std::string step = str(d, "step");
      for (auto& st : c->steps)
        if (st.id == step && !(st.succeeded < NEVER)) // a step succeeds once; keep the first time all the same
          st.succeeded = t;
    }
    steps_succeeded.push_back({id, str(d, "step"), str(d, "technique")});
    break;
  case RecordType::data_published:
    published.insert(id);
    break;
  case RecordType::dependency_lost:
    dependencies[id] = "lost";
    dependency_losses[id] = DependencyLoss{t, t + num(d, "backup")};
    break;
  case RecordType::backup_exhausted:
    dependencies[id] = "exhausted";
    break;
  case RecordType::dependency_restored:
    dependencies.erase(id);
    dependency_losses.erase(id);
    break;
  case RecordType::backup_refuelled:
    if (auto it = dependency_losses.find(id); it != dependency_losses.end() && d.is_object() && d.contains("until"))
      it->second.backup_until = num(d, "until");
    break;
  case RecordType::campaign_detected:
    if (CampaignKpis* c = campaign(id))
      c->time_to_detect = num(d, "time_to_detect");
    break;
  case RecordType::campaign_contained:
    if (CampaignKpis* c = campaign(id)) {
      c->time_to_contain = num(d, "time_to_contain");
      c->contained = std::min(c->contained, t);
    }
    // time_to_contain of a team: the first time every campaign that held one of its nodes is contained (one rule,
    // the engine's: docs/engine.md "Containment")
    for (auto& team : teams) {
      if (!(team.first_compromise < NEVER) || team.contained < NEVER || !team.campaigns.count(id))
        continue;
      bool all = true;
      for (const auto& cid : team.campaigns) {
        const CampaignKpis* c = campaign(cid);
        all = all && c && c->contained < NEVER;
      }
      if (all)
        team.contained = t;
    }
    break;
  case RecordType::exfiltration_progress:
  case RecordType::exfiltration_ended:
    if (CampaignKpis* c = campaign(str(d, "campaign"))) {
      const double total = num(d, "campaign_total");
      const double delta = total - c->bytes_exfiltrated;
      if (total > 0) // data that left is an impact, from its first byte
        c->first_impact = std::min(c->first_impact, t);
      c->bytes_exfiltrated = std::max(c->bytes_exfiltrated, total);
      if (n >= 0 && delta > 0)
        for (int k : node_teams[n])
          teams[k].exfiltrated += delta;
      double all = 0;
      for (const auto& x : campaigns)
        all += x.bytes_exfiltrated;
      exfil_mb.add(t, all / 1e6);
    }
    break;
  case RecordType::step_attempt:
    attempts.insert({str(d, "technique"), str(d, "target")});
    if (str(d, "outcome") == "success")
      for (std::size_t i = 0; i < campaigns.size() && i < sc->campaigns.size(); ++i)
        if (campaigns[i].id == id)
          for (const auto& st : sc->campaigns[i].steps)
            if (st.id == str(d, "step") && impact_effect(st.effect))
              campaigns[i].first_impact = std::min(campaigns[i].first_impact, t);
    break;
  case RecordType::alert: {
    // a true alert follows an adversary step attempt with its technique on its node (sensors observe attempts);
    // false positives carry a random covered node and technique, and no such attempt
    const bool true_alert = attempts.count({str(d, "technique"), str(d, "node")}) > 0;
    (true_alert ? alerts_true : alerts_false) += 1;
    if (TeamState* team_state = team(id)) {
      Json a;
      a["sensor"] = str(d, "sensor");
      a["kind"] = str(d, "kind");
      a["technique"] = str(d, "technique");
      a["node"] = str(d, "node");
      a["indicators"] = strings_of(d, "indicators");
      a["time"] = round3(t);
      learn(*team_state, a["indicators"]);
      team_state->alerts.push_back(std::move(a));
      if (true_alert)
        team_state->first_true_alert = std::min(team_state->first_true_alert, t);
    }
    break;
  }
  case RecordType::indicator_blocked:
    blocked[id].push_back(str(d, "team"));
    break;
  case RecordType::action_started:
    if (TeamState* team_state = team(id)) {
      Json a = d.is_object() ? d : Json::object();
      a["time"] = round3(t);
      team_state->actions.push_back(std::move(a));
    }
    break;
  case RecordType::message: // a share or report through the engine (cyberex run --play): its first share
    if (TeamState* team_state = team(id); team_state && !strings_of(d, "indicators").empty())
      team_state->first_share = std::min(team_state->first_share, t);
    break;
  case RecordType::step_failed:
  case RecordType::credentials_harvested:
  case RecordType::discovery:
  case RecordType::persistence:
  case RecordType::c2_channel:
  case RecordType::exfiltration_started:
  case RecordType::unit_derated:
  case RecordType::unit_tripped:
  case RecordType::manual_override:
  case RecordType::botnet_wave_started:
  case RecordType::botnet_wave_ended:
  case RecordType::botnet_wave_blocked:
    break;
  case RecordType::unit_manual:
    if (n >= 0)
      nodes[n].manual_by = str(d, "team"); // the mode itself comes with the unit_output that follows
    break;
  case RecordType::credentials_reset:
  case RecordType::service_shutdown:
  case RecordType::service_restored:
  case RecordType::breaker_closed:
  case RecordType::branch_tripped:
  case RecordType::breaker_opened:
  case RecordType::island_formed:
  case RecordType::island_merged:
  case RecordType::load_shed:
  case RecordType::setpoint_changed:
  case RecordType::action_refused:
  case RecordType::filtering_started:
  case RecordType::filtering_ended:
    break; // their effects come as the state events above (node_status, unit_output, service_status, ...)
  case RecordType::inject:
  case RecordType::inject_expired:
  case RecordType::clock:
  case RecordType::leaderboard:
  case RecordType::standings:
  case RecordType::read:
  case RecordType::sitrep:
  case RecordType::inject_released:
  case RecordType::inject_triggered:
  case RecordType::inject_delayed:
  case RecordType::inject_cancelled:
  case RecordType::inject_created:
  case RecordType::inject_skipped:
  case RecordType::expectation_active:
  case RecordType::expectation_met:
  case RecordType::expectation_missed:
  case RecordType::expectation_not_applicable:
  case RecordType::assessment:
  case RecordType::official_assessment:
  case RecordType::observation:
  case RecordType::rating:
    break; // not world events
  }
}

void ExerciseState::Impl::fold_delivery(double t, RecordType type, const Json& d, const Audience& audience)
{
  auto item = [&](const std::string& id, const char* kind, const char* title_key, const char* content_key) {
    Json i;
    i["item"] = id;
    i["kind"] = kind;
    i["time"] = round3(t);
    i["from"] = str(d, "from");
    i["channel"] = str(d, "channel");
    i["title"] = str(d, title_key);
    i["content"] = str(d, content_key);
    i["indicators"] = strings_of(d, "indicators");
    i["read"] = false;
    return i;
  };
  const std::vector<std::string> audience_teams =
      audience.kind == Audience::Kind::teams ? audience.teams : std::vector<std::string>{};
  switch (type) {
  case RecordType::inject: {
    InjectState& in = inject(str(d, "inject"));
    in.status = InjectState::Status::delivered;
    in.delivered = t;
    in.indicators = strings_of(d, "indicators");
    // the delivery says when it expires; an inject_created record does not (the session knows it once delivered)
    if (d.contains("expires_at") && d["expires_at"].is_number())
      in.expires = d["expires_at"].get<double>() - t;
    for (const auto& id : audience_teams)
      if (TeamState* team_state = team(id)) {
        team_state->inbox.push_back(item(in.id, "inject", "title", "content"));
        learn(*team_state, team_state->inbox.back()["indicators"]);
      }
    break;
  }
  case RecordType::inject_expired: {
    InjectState& in = inject(str(d, "inject"));
    if (in.status == InjectState::Status::delivered)
      in.status = InjectState::Status::expired;
    for (const auto& id : audience_teams)
      if (TeamState* team_state = team(id))
        for (auto& i : team_state->inbox)
          if (i["item"] == in.id)
            i["expired"] = true;
    break;
  }
  case RecordType::message: {
    for (const auto& to : strings_of(d, "to"))
      if (TeamState* team_state = team(to)) {
        team_state->inbox.push_back(item(str(d, "item"), "message", "subject", "text"));
        learn(*team_state, team_state->inbox.back()["indicators"]);
      }
    if (TeamState* sender = team(str(d, "from")); sender && !strings_of(d, "indicators").empty())
      sender->first_share = std::min(sender->first_share, t);
    break;
  }
  default:
    break; // no other type is a delivery
  }
}

void ExerciseState::Impl::fold_exercise(double t, RecordType type, const std::string& subject, const Json& d)
{
  switch (type) {
  case RecordType::clock:
    clock = d.is_object() ? d : Json::object();
    break;
  case RecordType::leaderboard:
    board = d.is_object() ? d : Json::object();
    if (board.contains("teams") && board["teams"].is_array())
      for (const auto& e : board["teams"])
        score_series[str(e, "team")].add(t, num(e, "total"));
    break;
  case RecordType::standings:
    standings = d.is_object() ? d : Json::object();
    break;
  case RecordType::read:
    if (TeamState* team_state = team(id_of(subject)))
      for (auto& i : team_state->inbox)
        if (i["item"] == str(d, "item") && i["read"] == false) {
          i["read"] = true;
          i["read_at"] = d.contains("read_at") ? d["read_at"] : Json(round3(t));
        }
    break;
  case RecordType::sitrep:
    if (TeamState* team_state = team(str(d, "team")))
      team_state->sitreps.push_back(d);
    break;
  case RecordType::inject_triggered: {
    InjectState& in = inject(str(d, "inject"));
    in.status = InjectState::Status::scheduled;
    in.due = d.contains("due") && d["due"].is_number() ? d["due"].get<double>() : t;
    break;
  }
  case RecordType::inject_delayed: {
    InjectState& in = inject(str(d, "inject"));
    if (in.status == InjectState::Status::scheduled)
      in.due += num(d, "by");
    break;
  }
  case RecordType::inject_cancelled:
    inject(str(d, "inject")).status = InjectState::Status::cancelled;
    break;
  case RecordType::inject_skipped: {
    InjectState& in = inject(str(d, "inject"));
    if (in.status == InjectState::Status::waiting || in.status == InjectState::Status::scheduled)
      in.status = InjectState::Status::skipped;
    break;
  }
  case RecordType::inject_created: {
    InjectState& in = inject(str(d, "inject"));
    in.type = str(d, "type");
    in.channel = str(d, "channel");
    in.from = str(d, "from");
    in.title = str(d, "title");
    in.content = str(d, "content");
    in.move = str(d, "move");
    in.to = strings_of(d, "to");
    in.indicators = strings_of(d, "indicators");
    in.hidden = d.contains("hidden") && d["hidden"] == true;
    in.created = true;
    if (d.contains("expires_in") && d["expires_in"].is_number())
      in.expires = d["expires_in"].get<double>();
    if (d.contains("due") && d["due"].is_number()) {
      in.status = InjectState::Status::scheduled;
      in.due = d["due"].get<double>();
    }
    break;
  }
  case RecordType::expectation_active:
  case RecordType::expectation_met:
  case RecordType::expectation_missed:
  case RecordType::expectation_not_applicable: {
    const std::string key = str(d, "expectation") + "/" + str(d, "team");
    auto it = expectation_by_key.find(key);
    if (it == expectation_by_key.end()) {
      expectation_by_key[key] = expectations.size();
      expectations.push_back(d);
    } else {
      expectations[it->second] = d;
    }
    break;
  }
  case RecordType::observation:
    observations.push_back(d);
    break;
  case RecordType::rating:
    ratings.push_back(d);
    rating_list.push_back({str(d, "team"), str(d, "objective"), str(d, "critical_task"), str(d, "rating")});
    break;
  case RecordType::assessment: {
    const std::string key = str(d, "team") + "/" + str(d, "incident");
    auto it = std::find_if(assessments.begin(), assessments.end(), [&](const auto& a) { return a.first == key; });
    if (it == assessments.end())
      assessments.emplace_back(key, d);
    else
      it->second = d;
    if (TeamState* team_state = team(str(d, "team"))) {
      // the team's own view: its assessment, not the White Cell's official score
      Json mine = d;
      mine.erase("official");
      mine.erase("difference");
      team_state->assessments[str(d, "incident")] = std::move(mine);
    }
    break;
  }
  case RecordType::official_assessment:
    official[str(d, "incident")] = d;
    break;
  case RecordType::inject_released:
    break; // the delivery record that follows says what changed
  default:
    break; // world events and deliveries are folded elsewhere
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public face

ExerciseState::ExerciseState(const Scenario& scenario) : impl_(std::make_unique<Impl>(scenario)) {}
ExerciseState::ExerciseState(const ExerciseState& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
ExerciseState& ExerciseState::operator=(const ExerciseState& other)
{
  if (this != &other)
    impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
ExerciseState::ExerciseState(ExerciseState&&) noexcept = default;
ExerciseState& ExerciseState::operator=(ExerciseState&&) noexcept = default;
ExerciseState::~ExerciseState() = default;

void ExerciseState::apply(const Record& record)
{
  Json j = Json::parse(record.json, nullptr, false);
  if (!j.is_object())
    return;
  impl_->seq = std::max(impl_->seq, record.seq);
  const Json d = j.contains("details") && j["details"].is_object() ? j["details"] : Json::object();
  impl_->fold(round3(record.time), record.kind, record.type, str(j, "subject"), d, record.audience);
}

void ExerciseState::apply_event(double time, RecordType type, const std::string& subject, const std::string& details)
{
  Json d = Json::parse(details, nullptr, false);
  if (!d.is_object())
    d = Json::object();
  impl_->fold(round3(time), RecordKind::event, type, subject, d, Audience{});
}

const Scenario& ExerciseState::scenario() const
{
  return *impl_->sc;
}
double ExerciseState::time() const
{
  return impl_->time;
}
std::uint64_t ExerciseState::seq() const
{
  return impl_->seq;
}
std::uint64_t ExerciseState::records() const
{
  return impl_->records;
}
const NodeState& ExerciseState::node(Index n) const
{
  return impl_->nodes.at(static_cast<std::size_t>(n));
}

namespace {
const char* status_name(int code)
{
  return code == 2 ? "down" : code == 1 ? "degraded" : "up";
}
} // namespace

std::string ExerciseState::service_status(Index s) const
{
  return status_name(impl_->services.at(static_cast<std::size_t>(s)).status);
}
std::string ExerciseState::probe_status(Index s) const
{
  return status_name(impl_->services.at(static_cast<std::size_t>(s)).probe);
}
double ExerciseState::availability(Index s, double t) const
{
  return impl_->availability(s, t);
}
bool ExerciseState::team_knows(const std::string& team, const std::string& indicator) const
{
  const TeamState* t = impl_->team(team);
  return t && t->known.count(indicator) > 0;
}
bool ExerciseState::action_holds(const std::string& team, ActionType type, const std::vector<Index>& nodes,
                                 const std::string& indicator) const
{
  if (type == ActionType::block) {
    for (const auto& [id, teams] : impl_->blocked)
      if ((indicator.empty() || id == indicator) && std::find(teams.begin(), teams.end(), team) != teams.end())
        return true;
    return false;
  }
  auto holds = [&](const NodeState& n) {
    switch (type) {
    case ActionType::isolate:
      return n.isolated && n.isolated_by == team;
    case ActionType::patch:
      return std::binary_search(n.patched_by.begin(), n.patched_by.end(), team);
    case ActionType::manual_operations:
      return n.mode == "manual" && n.manual_by == team;
    default:
      return false; // no lasting state to hold
    }
  };
  if (nodes.empty()) {
    for (const auto& n : impl_->nodes)
      if (holds(n))
        return true;
    return false;
  }
  for (Index i : nodes)
    if (i >= 0 && static_cast<std::size_t>(i) < impl_->nodes.size() && holds(impl_->nodes[i]))
      return true;
  return false;
}
bool ExerciseState::inbox_item(const std::string& team, const std::string& item, double* read_at) const
{
  const TeamState* t = impl_->team(team);
  if (!t)
    return false;
  for (const auto& i : t->inbox)
    if (i["item"] == item) {
      *read_at = i.contains("read_at") && i["read_at"].is_number() ? i["read_at"].get<double>() : NEVER;
      return true;
    }
  return false;
}
std::size_t ExerciseState::assessed_incidents(const std::string& team) const
{
  const TeamState* t = impl_->team(team);
  return t ? t->assessments.size() : 0;
}
const std::vector<PublicStatement>& ExerciseState::public_statements() const
{
  return impl_->statements;
}

std::size_t ExerciseState::sitrep_count(const std::string& team) const
{
  const TeamState* t = impl_->team(team);
  return t ? t->sitreps.size() : 0;
}
std::optional<double> ExerciseState::assessment_score(const std::string& team, const std::string& incident) const
{
  const TeamState* t = impl_->team(team);
  if (!t)
    return std::nullopt;
  auto it = t->assessments.find(incident);
  if (it == t->assessments.end())
    return std::nullopt;
  return num(it->second, "score");
}
std::optional<double> ExerciseState::official_score(const std::string& incident) const
{
  auto it = impl_->official.find(incident);
  if (it == impl_->official.end())
    return std::nullopt;
  return num(it->second, "score");
}
std::size_t ExerciseState::official_assessments() const
{
  return impl_->official.size();
}
double ExerciseState::exfiltrated(const std::string& campaign) const
{
  double sum = 0;
  for (const auto& c : impl_->campaigns)
    if (campaign.empty() || c.id == campaign)
      sum += c.bytes_exfiltrated;
  return sum;
}
double ExerciseState::lost_mw(const std::string& grid) const
{
  if (grid.empty())
    return impl_->mw_lost;
  auto it = impl_->grids.find(grid);
  return it == impl_->grids.end() ? 0 : it->second.lost_mw;
}
double ExerciseState::shed_mw(const std::string& grid) const
{
  double shed = 0;
  for (const auto& [id, g] : impl_->grids)
    if (grid.empty() || id == grid)
      shed += g.shed_mw;
  return shed;
}
int ExerciseState::overloaded_branches(const std::string& grid) const
{
  int n = 0;
  for (const auto& [id, g] : impl_->grids)
    if (grid.empty() || id == grid)
      n += g.overloaded;
  return n;
}
bool ExerciseState::data_published(const std::string& campaign) const
{
  return impl_->published.count(campaign) > 0;
}
std::string ExerciseState::dependency_status(const std::string& dependency) const
{
  auto it = impl_->dependencies.find(dependency);
  return it == impl_->dependencies.end() ? "ok" : it->second;
}
std::optional<DependencyLoss> ExerciseState::dependency_loss(const std::string& dependency) const
{
  auto it = impl_->dependency_losses.find(dependency);
  if (it == impl_->dependency_losses.end())
    return std::nullopt;
  return it->second;
}
bool ExerciseState::step_succeeded(const std::string& campaign, const std::string& step,
                                   const std::string& technique) const
{
  for (const auto& [c, s, tech] : impl_->steps_succeeded)
    if ((campaign.empty() || c == campaign) && (step.empty() || s == step) &&
        (technique.empty() || tech == technique ||
         (tech.size() > technique.size() && tech.compare(0, technique.size(), technique) == 0 &&
          tech[technique.size()] == '.')))
      return true;
  return false;
}
TeamFacts ExerciseState::team_facts(const std::string& team) const
{
  TeamFacts f;
  if (const TeamState* t = impl_->team(team)) {
    f.first_compromise = t->first_compromise;
    f.first_true_alert = t->first_true_alert;
    f.contained = t->contained;
    f.first_loss = t->first_loss;
    f.recovered = t->recovered;
    f.first_share = t->first_share;
    f.exfiltrated = t->exfiltrated;
    f.nodes_compromised = static_cast<int>(t->ever_compromised.size());
  }
  return f;
}

std::vector<std::string> ExerciseState::compromised_nodes() const
{
  std::vector<std::string> out;
  for (std::size_t n = 0; n < impl_->nodes.size(); ++n)
    if (impl_->nodes[n].compromised())
      out.push_back(impl_->sc->nodes[n].id);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace cyberex
