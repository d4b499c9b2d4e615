/* Adversary campaigns: steps in order, targets reachable over the current network, durations and outcomes,
 * effects; C2 beacons and exfiltration as real SimGrid communications; sensors and alerts. */
#include "engine/impl.hpp"

#include <algorithm>
#include <deque>

namespace cyberex {

namespace {

bool local_effect(StepEffect e)
{
  return e == StepEffect::escalate || e == StepEffect::credential || e == StepEffect::persist ||
         e == StepEffect::exfiltrate;
}

/// A vulnerability enables a technique when it lists it, a parent of it ("T1566" enables "T1566.001"), or nothing.
bool enables(const Vulnerability& v, const std::string& technique)
{
  if (v.techniques.empty())
    return true;
  for (const auto& t : v.techniques)
    if (t == technique ||
        (technique.size() > t.size() && technique.compare(0, t.size(), t) == 0 && technique[t.size()] == '.'))
      return true;
  return false;
}

std::string node_subject(const Scenario& sc, Index n)
{
  return "node:" + sc.nodes[n].id;
}

} // namespace

bool Simulation::Impl::is_attacker(Index n) const
{
  const NodeKind k = sc_.nodes[n].kind;
  return k == NodeKind::attacker || k == NodeKind::internet;
}

bool Simulation::Impl::indicator_blocked_for(Index indicator, Index node) const
{
  if (indicator < 0 || static_cast<std::size_t>(indicator) >= blocked_.size())
    return false;
  const auto& by_team = blocked_[indicator];
  for (std::size_t t = 0; t < by_team.size(); ++t) {
    if (!by_team[t])
      continue;
    if (sc_.teams[t].asset_nodes.empty()) // a team without assets (e.g. the White Cell) blocks everywhere
      return true;
    const auto& owners = node_teams_[node];
    if (std::find(owners.begin(), owners.end(), static_cast<int>(t)) != owners.end())
      return true;
  }
  return false;
}

bool Simulation::Impl::channel_blocked(int c, Index n) const
{
  for (Index ind : sc_.campaigns[c].c2.indicators_index)
    if (indicator_blocked_for(ind, n))
      return true;
  return false;
}

double Simulation::Impl::exploitability(const Step& step, Index target) const
{
  if (!step.requires_.vulnerability)
    return 1;
  double best = -1;
  for (const auto& v : sc_.nodes[target].vulnerabilities)
    if (enables(v, step.technique) && !nodes_[target].patched.count(v.id))
      best = std::max(best, v.exploitability);
  return best;
}

bool Simulation::Impl::eligible(int c, const Step& step, Index t) const
{
  const auto& cs = campaigns_[c];
  if (nodes_[t].down)
    return false;
  auto fh = cs.footholds.find(t);
  const bool held = fh != cs.footholds.end() || is_attacker(t);
  switch (step.effect) {
  case StepEffect::compromise:
    if (fh != cs.footholds.end() && fh->second.privilege >= step.privilege)
      return false;
    break;
  case StepEffect::escalate:
    if (fh == cs.footholds.end() || fh->second.privilege >= step.privilege)
      return false;
    break;
  case StepEffect::credential:
  case StepEffect::persist:
  case StepEffect::exfiltrate:
    if (!held)
      return false;
    break;
  default:
    break;
  }
  if (step.effect == StepEffect::exfiltrate && channel_blocked(c, t))
    return false;
  if (step.requires_.vulnerability && exploitability(step, t) < 0)
    return false;
  for (Index ind : step.indicators_index)
    if (indicator_blocked_for(ind, t))
      return false;
  return true;
}

bool Simulation::Impl::node_reachable_state(Index n) const
{
  return node_carries_traffic(n);
}

// Breadth-first search over the current network: failed nodes (offline, isolated, encrypted, tripped, shed, failed
// through a dependency) are cut out, and so are their links,
// firewall rules apply in the direction of travel (first match wins, no match allows).
bool Simulation::Impl::reachable(const std::vector<Index>& sources, Index target, const std::string& protocol) const
{
  if (!node_reachable_state(target))
    return false;
  std::vector<char> seen(sc_.nodes.size(), 0);
  std::deque<Index> queue;
  for (Index s : sources) {
    if (s == target)
      return true;
    if (blackholed_from(target, s))
      continue; // the operator drops every packet toward the target that comes from outside its site
    if (node_reachable_state(s) && !seen[s]) {
      seen[s] = 1;
      queue.push_back(s);
    }
  }
  while (!queue.empty()) {
    const Index u = queue.front();
    queue.pop_front();
    for (Index l : adjacency_[u]) {
      const Link& link = sc_.links[l];
      const bool forward = link.a_index == u;
      const Index v = forward ? link.b_index : link.a_index;
      if (seen[v] || !node_reachable_state(v))
        continue;
      bool allowed = true;
      for (const auto& rule : link.firewall) {
        if (rule.protocol != "any" && rule.protocol != protocol)
          continue;
        if (rule.direction == FirewallRule::Direction::a_to_b && !forward)
          continue;
        if (rule.direction == FirewallRule::Direction::b_to_a && forward)
          continue;
        allowed = rule.action == FirewallAction::allow;
        break;
      }
      if (!allowed)
        continue;
      if (v == target)
        return true;
      seen[v] = 1;
      queue.push_back(v);
    }
  }
  return false;
}

// Sources that may act on `target` for step s: the target itself for local effects, else the step's source set
// filtered by the access and credentials it requires; an isolated or offline node acts on nothing, itself included
// (the rule containment follows: docs/engine.md). Returns the sources in index order.
std::vector<Index> Simulation::Impl::path_sources(int c, int s, Index target) const
{
  const auto& cs = campaigns_[c];
  const Step& st = sc_.campaigns[c].steps[s];
  std::vector<Index> out;
  if (!st.requires_.credentials.empty()) {
    bool holds = false;
    for (const auto& cred : st.requires_.credentials)
      holds = holds || cs.credentials.count(cred);
    if (!holds)
      return out;
  }
  auto qualifies = [&](Index n) {
    if (!node_reachable_state(n))
      return false;
    if (is_attacker(n))
      return true;
    auto it = cs.footholds.find(n);
    return it != cs.footholds.end() && it->second.privilege >= st.requires_.access;
  };
  if (local_effect(st.effect)) {
    if (qualifies(target))
      out.push_back(target);
    return out;
  }
  if (st.source == "external") {
    out = attacker_nodes_;
  } else if (st.source == "compromised" || st.source.empty()) {
    for (const auto& [n, fh] : cs.footholds)
      if (fh.privilege >= st.requires_.access && node_reachable_state(n))
        out.push_back(n);
  } else {
    for (Index n : cs.sources[s])
      if (qualifies(n))
        out.push_back(n);
  }
  return out;
}

// Containment (docs/engine.md, "Containment"): whether the campaign's current step still has a source it can be
// launched from (path_sources: footholds with the access and credentials it needs, online and connected, or outside
// nodes), and, for an exfiltration, a foothold whose C2 channel is open. Where the targets are and whether a path
// reaches them are left out on purpose: those change without the adversary (a node comes back from a restore), its
// sources do not.
bool Simulation::Impl::can_launch_step(int c) const
{
  const auto& cs = campaigns_[c];
  if (cs.status != CampaignStatus::running && cs.status != CampaignStatus::waiting)
    return false; // finished, stopped or failed: no step left to run
  const int s = cs.step;
  const Step& st = sc_.campaigns[c].steps[s];
  if (local_effect(st.effect)) // acting from the target itself
    return std::any_of(cs.targets[s].begin(), cs.targets[s].end(), [&](Index t) {
      return !path_sources(c, s, t).empty() && !(st.effect == StepEffect::exfiltrate && channel_blocked(c, t));
    });
  const auto sources = path_sources(c, s, NO_INDEX); // the target only matters for local effects
  return std::any_of(sources.begin(), sources.end(), [&](Index n) { return node_reachable_state(n); });
}

// A campaign can still act while one of its footholds is online, connected and has its C2 channel open (the
// adversary works on it hands-on-keyboard), or while its current step can be launched (can_launch_step).
bool Simulation::Impl::campaign_can_act(int c) const
{
  for (const auto& [n, fh] : campaigns_[c].footholds)
    if (!is_attacker(n) && node_reachable_state(n) && !channel_blocked(c, n))
      return true;
  return can_launch_step(c);
}

void Simulation::Impl::campaign_start(int c)
{
  auto& cs = campaigns_[c];
  cs.status = CampaignStatus::running;
  cs.step = 0;
  emit(RecordType::campaign_started, "campaign:" + sc_.campaigns[c].id,
       Details()
           .str("name", sc_.campaigns[c].name)
           .integer("steps", static_cast<long long>(sc_.campaigns[c].steps.size()))
           .done());
  step_begin(c);
}

void Simulation::Impl::step_begin(int c)
{
  auto& cs = campaigns_[c];
  const Campaign& camp = sc_.campaigns[c];
  const std::string subject = "campaign:" + camp.id;
  if (cs.step >= static_cast<int>(camp.steps.size())) {
    cs.status = CampaignStatus::finished;
    emit(RecordType::campaign_finished, subject, Details().integer("steps_succeeded", cs.steps_succeeded).done());
    return;
  }
  const int s = cs.step;
  const Step& st = camp.steps[s];
  for (Index r : st.requires_.steps_index) {
    if (r >= 0 && cs.step_status[r] != 2) {
      cs.status = CampaignStatus::stopped;
      emit(RecordType::campaign_stopped, subject,
           Details()
               .str("step", st.id)
               .str("reason", "required step '" + camp.steps[r].id + "' did not succeed")
               .done());
      return;
    }
  }
  // (target, source) pairs the adversary can act on now
  std::vector<std::pair<Index, Index>> candidates;
  for (Index t : cs.targets[s]) {
    if (!eligible(c, st, t))
      continue;
    auto sources = path_sources(c, s, t);
    if (sources.empty())
      continue;
    Index chosen = NO_INDEX;
    if (std::find(sources.begin(), sources.end(), t) != sources.end()) {
      chosen = t; // acting locally
    } else {
      for (Index src : sources) // the first source (index order) with a permitted path
        if (reachable({src}, t, st.protocol)) {
          chosen = src;
          break;
        }
    }
    if (chosen == NO_INDEX)
      continue;
    if (st.effect == StepEffect::exfiltrate &&
        (camp.c2.node_index < 0 || !reachable({t}, camp.c2.node_index, st.protocol)))
      continue;
    candidates.emplace_back(t, chosen);
  }
  if (candidates.empty()) {
    if (cs.status != CampaignStatus::waiting) {
      cs.status = CampaignStatus::waiting;
      emit(RecordType::campaign_waiting, subject,
           Details()
               .str("step", st.id)
               .str("reason", "no reachable target")
               .num("recheck", opt_.recheck_interval)
               .done());
    }
    const std::uint64_t gen = ++cs.recheck_gen;
    schedule(
        now() + opt_.recheck_interval,
        [](Simulation& sim, std::uint64_t a, std::uint64_t g) {
          auto& im = *sim.impl_;
          auto& st2 = im.campaigns_[a];
          if (st2.status == CampaignStatus::waiting && st2.recheck_gen == g)
            im.step_begin(static_cast<int>(a));
        },
        static_cast<std::uint64_t>(c), gen);
    return;
  }
  cs.status = CampaignStatus::running;
  cs.step_status[s] = 1;
  cs.step_success = false;
  cs.interrupted = false;
  const std::size_t k = std::min<std::size_t>(candidates.size(), static_cast<std::size_t>(std::max(1, st.max_targets)));
  // choose k of the candidates uniformly (partial Fisher-Yates), then act on them in index order; a scripted campaign
  // takes the first k in index order and draws nothing
  if (camp.mode == CampaignMode::random)
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t j = i + cs.rng.below(candidates.size() - i);
      std::swap(candidates[i], candidates[j]);
    }
  candidates.resize(k);
  std::sort(candidates.begin(), candidates.end());
  cs.pending_attempts = static_cast<int>(k);
  for (const auto& [t, src] : candidates) {
    attempts_.push_back(Attempt{c, s, t, src, 0});
    attempt_start(static_cast<int>(attempts_.size() - 1));
  }
}

void Simulation::Impl::attempt_start(int a)
{
  Attempt& at = attempts_[a];
  const Step& st = sc_.campaigns[at.campaign].steps[at.step];
  ++at.tries;
  // not_before holds the attempt's end (its effect) back to that time; the adversary starts working at once
  const double sampled = step_duration(at.campaign, st.duration);
  const bool held = now() + sampled < st.not_before;
  const double d = held ? st.not_before - now() : sampled;
  Details details;
  details.str("step", st.id)
      .str("technique", st.technique)
      .str("source", sc_.nodes[at.source].id)
      .str("target", sc_.nodes[at.target].id)
      .integer("attempt", at.tries)
      .num("duration", d);
  if (held)
    details.num("not_before", st.not_before);
  emit(RecordType::step_started, "campaign:" + sc_.campaigns[at.campaign].id, details.done());
  schedule(
      now() + d, [](Simulation& sim, std::uint64_t x, std::uint64_t) { sim.impl_->attempt_end(static_cast<int>(x)); },
      static_cast<std::uint64_t>(a), 0);
}

double Simulation::Impl::step_duration(int c, const Distribution& d)
{
  if (sc_.campaigns[c].mode == CampaignMode::random)
    return campaigns_[c].rng.sample(d);
  // scripted: the distribution's central value (docs/engine.md, "Storyline control"), clamped to >= 0 as samples are
  double v = d.a; // fixed: a; exponential: the mean; lognormal: the median; normal: the mean (= the median)
  if (d.kind == Distribution::Kind::uniform)
    v = (d.a + d.b) / 2;
  else if (d.kind == Distribution::Kind::triangular)
    v = d.c;
  return v < 0 ? 0 : v;
}

void Simulation::Impl::attempt_end(int a)
{
  Attempt& at = attempts_[a];
  const int c = at.campaign;
  auto& cs = campaigns_[c];
  const Campaign& camp = sc_.campaigns[c];
  const Step& st = camp.steps[at.step];
  const std::string subject = "campaign:" + camp.id;
  // the world may have changed during the attempt: the path, the source's access, the target's state
  bool valid = eligible(c, st, at.target);
  if (valid) {
    auto sources = path_sources(c, at.step, at.target);
    const bool has_source = std::find(sources.begin(), sources.end(), at.source) != sources.end();
    valid = has_source && (at.source == at.target || reachable({at.source}, at.target, st.protocol));
  }
  observe_step(c, at.step, at.target);
  auto attempt_event = [&](const char* outcome) {
    emit(RecordType::step_attempt, subject,
         Details()
             .str("step", st.id)
             .str("technique", st.technique)
             .str("target", sc_.nodes[at.target].id)
             .integer("attempt", at.tries)
             .str("outcome", outcome)
             .done());
  };
  if (!valid) {
    attempt_event("interrupted");
    cs.interrupted = true;
    attempt_resolved(a, false);
    return;
  }
  const double p = std::min(1.0, st.probability * exploitability(st, at.target));
  // a scripted campaign rolls nothing: a step whose requirements hold succeeds unless its probability is 0
  const bool success = camp.mode == CampaignMode::scripted ? p > 0 : cs.rng.chance(p);
  if (success) {
    attempt_event("success");
    apply_effect(a);
    return;
  }
  attempt_event("failure");
  if (at.tries <= st.retries) {
    attempt_start(a); // the `retries` count: at once
  } else if (st.retry_until >= 0 && !cs.step_success && now() + st.retry_interval <= st.retry_until) {
    // retry with a deadline: one more attempt an interval later, as long as it starts by `until` and the step has
    // not succeeded on another of its targets by then (it retries until the step succeeds)
    schedule(
        now() + st.retry_interval,
        [](Simulation& sim, std::uint64_t x, std::uint64_t) {
          auto& im = *sim.impl_;
          const int attempt = static_cast<int>(x);
          if (im.campaigns_[im.attempts_[attempt].campaign].step_success)
            im.attempt_resolved(attempt, false);
          else
            im.attempt_start(attempt);
        },
        static_cast<std::uint64_t>(a), 0);
  } else {
    attempt_resolved(a, false);
  }
}

void Simulation::Impl::attempt_resolved(int a, bool success)
{
  auto& cs = campaigns_[attempts_[a].campaign];
  cs.step_success = cs.step_success || success;
  if (--cs.pending_attempts == 0)
    step_done(attempts_[a].campaign);
}

void Simulation::Impl::step_done(int c)
{
  auto& cs = campaigns_[c];
  const Campaign& camp = sc_.campaigns[c];
  const Step& st = camp.steps[cs.step];
  const std::string subject = "campaign:" + camp.id;
  if (cs.step_success) {
    cs.step_status[cs.step] = 2;
    ++cs.steps_succeeded;
    emit(RecordType::step_succeeded, subject, Details().str("step", st.id).str("technique", st.technique).done());
    ++cs.step;
    step_begin(c);
  } else if (cs.interrupted) { // the path or channel was cut: wait for another chance
    cs.step_status[cs.step] = 0;
    step_begin(c);
  } else {
    cs.step_status[cs.step] = 3;
    cs.status = CampaignStatus::failed;
    emit(RecordType::step_failed, subject, Details().str("step", st.id).str("technique", st.technique).done());
    emit(RecordType::campaign_stopped, subject, Details().str("step", st.id).str("reason", "step failed").done());
  }
  // the campaign moved on, finished or stopped: that may leave it nothing to act with, from this instant
  check_containment();
}

void Simulation::Impl::apply_effect(int a)
{
  Attempt at = attempts_[a];
  const int c = at.campaign;
  auto& cs = campaigns_[c];
  const Campaign& camp = sc_.campaigns[c];
  const Step& st = camp.steps[at.step];
  const Index t = at.target;
  const std::string subject = node_subject(sc_, t);
  auto controlled = [&]() {
    std::vector<Index> out = sc_.nodes[t].controls_index;
    const NodeKind k = sc_.nodes[t].kind;
    if (k == NodeKind::generation_unit || k == NodeKind::substation)
      out.push_back(t);
    return out;
  };
  switch (st.effect) {
  case StepEffect::compromise:
    add_foothold(c, t, st.privilege, st.technique);
    break;
  case StepEffect::escalate: {
    auto& fh = cs.footholds[t];
    fh.privilege = std::max(fh.privilege, st.privilege);
    emit(RecordType::privilege_escalated, subject,
         Details()
             .str("campaign", camp.id)
             .str("privilege", to_string(fh.privilege))
             .str("technique", st.technique)
             .done());
    break;
  }
  case StepEffect::credential: {
    std::vector<std::string> got;
    for (const auto& cred : st.credentials)
      if (cs.credentials.insert(cred).second)
        got.push_back(cred);
    emit(RecordType::credentials_harvested, subject,
         Details().str("campaign", camp.id).strings("credentials", st.credentials).done());
    break;
  }
  case StepEffect::discover:
    emit(RecordType::discovery, subject, Details().str("campaign", camp.id).str("technique", st.technique).done());
    break;
  case StepEffect::persist:
    if (cs.footholds.count(t))
      cs.footholds[t].persistent = true;
    emit(RecordType::persistence, subject, Details().str("campaign", camp.id).str("technique", st.technique).done());
    break;
  case StepEffect::exfiltrate:
    start_exfiltration(a);
    return; // resolved when the transfer ends
  case StepEffect::manipulate: {
    power_cause_ = "step " + st.id + " of campaign " + camp.id + " on node:" + sc_.nodes[t].id;
    // a setpoint moves the networked generators it controls instead of derating them (docs/engine.md)
    const std::vector<Index> moved =
        st.setpoint_mw ? set_controlled_setpoints(t, *st.setpoint_mw, camp.id) : std::vector<Index>{};
    for (Index u : controlled()) {
      if (sc_.nodes[u].kind != NodeKind::generation_unit)
        continue;
      if (std::find(moved.begin(), moved.end(), u) != moved.end() && !nodes_[u].manual)
        continue;
      auto& ns = nodes_[u];
      if (ns.manual) {
        emit(RecordType::manual_override, node_subject(sc_, u),
             Details().str("campaign", camp.id).str("technique", st.technique).done());
        continue;
      }
      ns.derate = std::max(ns.derate, std::clamp(st.derate, 0.0, 1.0));
      emit(RecordType::unit_derated, node_subject(sc_, u),
           Details().str("campaign", camp.id).num("derate", ns.derate).str("by", sc_.nodes[t].id).done());
    }
    refresh();
    break;
  }
  case StepEffect::shutdown:
    nodes_[t].down = true;
    emit(RecordType::node_down, subject, Details().str("campaign", camp.id).str("technique", st.technique).done());
    [[fallthrough]];
  case StepEffect::trip:
    power_cause_ = "step " + st.id + " of campaign " + camp.id + " on node:" + sc_.nodes[t].id;
    open_controlled_branches(t, camp.id);
    for (Index u : controlled()) {
      const NodeKind k = sc_.nodes[u].kind;
      if (k != NodeKind::generation_unit && k != NodeKind::substation)
        continue;
      auto& ns = nodes_[u];
      if (ns.manual) {
        emit(RecordType::manual_override, node_subject(sc_, u),
             Details().str("campaign", camp.id).str("technique", st.technique).done());
        continue;
      }
      if (!ns.tripped) {
        ns.tripped = true;
        emit(RecordType::unit_tripped, node_subject(sc_, u),
             Details().str("campaign", camp.id).str("by", sc_.nodes[t].id).done());
      }
    }
    refresh();
    break;
  case StepEffect::encrypt:
    nodes_[t].encrypted = true;
    emit(RecordType::node_encrypted, subject, Details().str("campaign", camp.id).done());
    refresh();
    break;
  case StepEffect::deface:
    nodes_[t].defaced = true;
    emit(RecordType::node_defaced, subject, Details().str("campaign", camp.id).done());
    refresh();
    break;
  case StepEffect::publish:
    emit(RecordType::data_published, "campaign:" + camp.id, Details().num("bytes", cs.exfiltrated, 0).done());
    break;
  case StepEffect::destroy_backup: {
    // the backups held on the target, or on the target's backup store: every node they back up loses them
    std::vector<Index> stores;
    for (const Node& n : sc_.nodes)
      if (n.backup_index == t) {
        stores.push_back(t);
        break;
      }
    if (sc_.nodes[t].backup_index >= 0)
      stores.push_back(sc_.nodes[t].backup_index);
    for (Index store : stores) {
      if (nodes_[store].backup_destroyed)
        continue;
      nodes_[store].backup_destroyed = true;
      std::vector<std::string> backs_up;
      for (const Node& n : sc_.nodes)
        if (n.backup_index == store)
          backs_up.push_back(n.id);
      emit(RecordType::backup_destroyed, node_subject(sc_, store),
           Details().str("campaign", camp.id).str("technique", st.technique).strings("backs_up", backs_up).done());
    }
    break;
  }
  case StepEffect::none:
    break;
  }
  attempt_resolved(a, true);
}

void Simulation::Impl::add_foothold(int c, Index n, Access privilege, const std::string& technique)
{
  auto& cs = campaigns_[c];
  auto [it, inserted] = cs.footholds.emplace(n, Foothold{privilege, false});
  if (!inserted)
    it->second.privilege = std::max(it->second.privilege, privilege);
  if (!is_attacker(n) && cs.first_compromise == NEVER)
    cs.first_compromise = now();
  emit(RecordType::node_compromised, node_subject(sc_, n),
       Details()
           .str("campaign", sc_.campaigns[c].id)
           .str("privilege", to_string(it->second.privilege))
           .str("technique", technique)
           .done());
  if (!cs.beaconing && sc_.campaigns[c].c2.node_index >= 0 && !is_attacker(n)) {
    cs.beaconing = true;
    schedule(
        now(), [](Simulation& sim, std::uint64_t x, std::uint64_t) { sim.impl_->beacon_tick(static_cast<int>(x)); },
        static_cast<std::uint64_t>(c), 0);
  }
}

void Simulation::Impl::remove_foothold(int c, Index n, const char* reason)
{
  auto& cs = campaigns_[c];
  if (!cs.footholds.erase(n))
    return;
  cs.c2.erase(n);
  emit(RecordType::foothold_lost, node_subject(sc_, n),
       Details().str("campaign", sc_.campaigns[c].id).str("reason", reason).done());
}

void Simulation::Impl::set_c2(int c, Index n, bool up, const char* reason)
{
  auto& cs = campaigns_[c];
  if (!cs.footholds.count(n))
    return;
  auto it = cs.c2.find(n);
  const int v = up ? 1 : 0;
  if (it != cs.c2.end() && it->second == v)
    return;
  cs.c2[n] = v;
  emit(RecordType::c2_channel, node_subject(sc_, n),
       Details().str("campaign", sc_.campaigns[c].id).str("state", up ? "up" : "lost").str("reason", reason).done());
}

void Simulation::Impl::beacon_tick(int c)
{
  auto& cs = campaigns_[c];
  const C2& c2 = sc_.campaigns[c].c2;
  std::vector<Index> nodes;
  for (const auto& [n, fh] : cs.footholds)
    if (!is_attacker(n))
      nodes.push_back(n);
  if (nodes.empty()) {
    cs.beaconing = false;
    return;
  }
  for (Index n : nodes) {
    if (nodes_[n].down) {
      set_c2(c, n, false, "node offline");
    } else if (channel_blocked(c, n)) {
      set_c2(c, n, false, "indicator blocked");
    } else {
      spawn_comm(hosts_[n], hosts_[c2.node_index], std::max(1.0, c2.beacon_bytes), std::max(1.0, c2.beacon_interval),
                 [this, c, n](bool ok, double) { set_c2(c, n, ok, ok ? "beacon" : "beacon failed"); });
    }
  }
  schedule(
      now() + std::max(1.0, c2.beacon_interval),
      [](Simulation& sim, std::uint64_t x, std::uint64_t) { sim.impl_->beacon_tick(static_cast<int>(x)); },
      static_cast<std::uint64_t>(c), 0);
}

void Simulation::Impl::start_exfiltration(int a)
{
  const Attempt& at = attempts_[a];
  const Campaign& camp = sc_.campaigns[at.campaign];
  const Step& st = camp.steps[at.step];
  const int x = static_cast<int>(exfils_.size());
  Exfil fresh;
  fresh.attempt = a;
  fresh.node = at.target;
  fresh.bytes = std::max(1.0, st.exfiltrate_bytes);
  exfils_.push_back(fresh);
  exfils_[x].active = true;
  emit(RecordType::exfiltration_started, node_subject(sc_, at.target),
       Details()
           .str("campaign", camp.id)
           .str("to", sc_.nodes[camp.c2.node_index].id)
           .num("bytes", exfils_[x].bytes, 0)
           .done());
  spawn_comm(
      hosts_[at.target], hosts_[camp.c2.node_index], exfils_[x].bytes, -1,
      [this, x](bool ok, double) { exfil_done(x, ok); }, x);
  schedule(
      now() + opt_.progress_interval,
      [](Simulation& sim, std::uint64_t i, std::uint64_t) { sim.impl_->exfil_progress(static_cast<int>(i)); },
      static_cast<std::uint64_t>(x), 0);
}

void Simulation::Impl::snapshot_exfils()
{
  for (auto& x : exfils_)
    if (x.active && x.comm)
      x.remaining_snapshot = x.comm->get_remaining();
}

void Simulation::Impl::exfil_progress(int xi)
{
  auto& x = exfils_[xi];
  if (!x.active || x.cancelled)
    return;
  // A cut comm (C2 indicator blocked: cancelled; an end isolated: failed) reads 0 remaining until its actor reports
  // the end: exfil_done() counts what arrived from the snapshot taken just before the cut, never the whole size.
  if (x.comm &&
      (x.comm->get_state() == sg4::Activity::State::CANCELED || x.comm->get_state() == sg4::Activity::State::FAILED))
    return;
  const double remaining = x.comm ? x.comm->get_remaining() : x.bytes;
  const double arrived = std::clamp(x.bytes - remaining, 0.0, x.bytes);
  const int c = attempts_[x.attempt].campaign;
  auto& cs = campaigns_[c];
  if (arrived > x.reported) {
    cs.exfiltrated += arrived - x.reported;
    x.reported = arrived;
    emit(RecordType::exfiltration_progress, node_subject(sc_, x.node),
         Details()
             .str("campaign", sc_.campaigns[c].id)
             .num("bytes", arrived, 0)
             .num("campaign_total", cs.exfiltrated, 0)
             .done());
  }
  schedule(
      now() + opt_.progress_interval,
      [](Simulation& sim, std::uint64_t i, std::uint64_t) { sim.impl_->exfil_progress(static_cast<int>(i)); },
      static_cast<std::uint64_t>(xi), 0);
}

void Simulation::Impl::exfil_done(int xi, bool ok)
{
  auto& x = exfils_[xi];
  x.active = false;
  double arrived = x.bytes;
  if (!ok)
    arrived = x.remaining_snapshot >= 0 ? std::clamp(x.bytes - x.remaining_snapshot, 0.0, x.bytes) : x.reported;
  arrived = std::max(arrived, x.reported);
  const int c = attempts_[x.attempt].campaign;
  auto& cs = campaigns_[c];
  cs.exfiltrated += arrived - x.reported;
  x.reported = arrived;
  x.comm = nullptr;
  emit(RecordType::exfiltration_ended, node_subject(sc_, x.node),
       Details()
           .str("campaign", sc_.campaigns[c].id)
           .num("bytes", arrived, 0)
           .boolean("complete", ok)
           .num("campaign_total", cs.exfiltrated, 0)
           .done());
  if (!ok)
    cs.interrupted = true;
  attempt_resolved(x.attempt, ok);
}

// ---------------------------------------------------------------------------------------------------------------
// Sensors

const std::vector<std::string>& Simulation::Impl::tactics_of(const std::string& technique) const
{
  auto it = tactics_cache_.find(technique);
  if (it != tactics_cache_.end())
    return it->second;
  std::vector<std::string> t;
  if (opt_.technique_tactics)
    t = opt_.technique_tactics(technique);
  return tactics_cache_.emplace(technique, std::move(t)).first->second;
}

bool Simulation::Impl::sensor_detects(int sensor, const Step& step) const
{
  const Sensor& s = sc_.sensors[sensor];
  if (s.detects.empty())
    return true;
  for (const auto& d : s.detects) {
    if (d == step.technique || (step.technique.size() > d.size() && step.technique.compare(0, d.size(), d) == 0 &&
                                step.technique[d.size()] == '.'))
      return true;
    if (!step.tactic.empty() && d == step.tactic)
      return true;
    const auto& tactics = tactics_of(step.technique);
    if (std::find(tactics.begin(), tactics.end(), d) != tactics.end())
      return true;
  }
  return false;
}

void Simulation::Impl::observe_step(int c, int s, Index target)
{
  const Step& st = sc_.campaigns[c].steps[s];
  for (int k : node_sensors_[target]) {
    if (!sensor_detects(k, st))
      continue;
    const Sensor& sensor = sc_.sensors[k];
    const double p = std::min(1.0, sensor.probability * st.detectability);
    if (!sensor_rng_[k].chance(p))
      continue;
    const double delay = sensor_rng_[k].sample(sensor.delay);
    alerts_.push_back(PendingAlert{k, c, st.technique, target, {}});
    for (Index ind : st.indicators_index)
      alerts_.back().indicators.push_back(sc_.indicators[ind].id);
    schedule(
        now() + delay,
        [](Simulation& sim, std::uint64_t i, std::uint64_t) { sim.impl_->deliver_alert(static_cast<int>(i)); },
        alerts_.size() - 1, 0);
  }
}

void Simulation::Impl::deliver_alert(int i)
{
  const PendingAlert& al = alerts_[i];
  const Sensor& sensor = sc_.sensors[al.sensor];
  emit(RecordType::alert, "team:" + sensor.team,
       Details()
           .str("sensor", sensor.id)
           .str("kind", sensor.kind)
           .str("technique", al.technique)
           .str("node", sc_.nodes[al.node].id)
           .strings("indicators", al.indicators)
           .done());
  if (al.campaign >= 0) {
    auto& cs = campaigns_[al.campaign];
    if (cs.first_detect == NEVER) {
      cs.first_detect = now();
      emit(RecordType::campaign_detected, "campaign:" + sc_.campaigns[al.campaign].id,
           Details()
               .str("team", sensor.team)
               .str("sensor", sensor.id)
               .num("time_to_detect", now() - sc_.campaigns[al.campaign].start)
               .done());
    }
  }
}

void Simulation::Impl::false_positive(int k)
{
  const Sensor& sensor = sc_.sensors[k];
  auto& rng = fp_rng_[k];
  if (!sensor.covers_nodes.empty()) {
    const Index n = sensor.covers_nodes[rng.below(sensor.covers_nodes.size())];
    std::string technique = "unknown";
    if (!sensor.detects.empty())
      technique = sensor.detects[rng.below(sensor.detects.size())];
    alerts_.push_back(PendingAlert{k, -1, technique, n, {}});
    deliver_alert(static_cast<int>(alerts_.size() - 1));
  }
  schedule(
      now() + rng.exponential(86400.0 / sensor.false_positives_per_day),
      [](Simulation& sim, std::uint64_t i, std::uint64_t) { sim.impl_->false_positive(static_cast<int>(i)); },
      static_cast<std::uint64_t>(k), 0);
}

} // namespace cyberex
