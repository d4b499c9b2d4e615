/* The dynamic MSEL: engine events become facts, facts latch trigger leaves, fired triggers release injects, delivered
 * injects activate expectations, deadlines release contingencies. All session timers run in the engine's calendar. */
#include "exercise/impl.hpp"

#include <algorithm>
#include <functional>

namespace cyberex {

namespace {

std::string strip(const std::string& s, const char* prefix)
{
  const std::string p(prefix);
  return s.rfind(p, 0) == 0 ? s.substr(p.size()) : s;
}

bool intersects(const std::vector<Index>& a, const std::vector<Index>& b)
{
  for (Index x : a)
    if (std::binary_search(b.begin(), b.end(), x))
      return true;
  return false;
}

bool technique_matches(const std::string& want, const std::string& got)
{
  return want.empty() || want == got ||
         (got.size() > want.size() && got.compare(0, want.size(), want) == 0 && got[want.size()] == '.');
}

std::string str(const Json& d, const char* key)
{
  return d.contains(key) && d[key].is_string() ? d[key].get<std::string>() : std::string();
}

} // namespace

TeamRun* ExerciseSession::Impl::team_run(const std::string& id)
{
  for (auto& t : teams_)
    if (t.id == id)
      return &t;
  return nullptr;
}

const TeamRun* ExerciseSession::Impl::team_run(const std::string& id) const
{
  for (const auto& t : teams_)
    if (t.id == id)
      return &t;
  return nullptr;
}

std::vector<std::string> ExerciseSession::Impl::node_owner_ids(Index n) const
{
  std::vector<std::string> ids;
  if (n >= 0 && static_cast<std::size_t>(n) < node_teams_.size())
    for (int t : node_teams_[n])
      ids.push_back(teams_[t].id);
  return ids;
}

// ---------------------------------------------------------------------------------------------------------------
// Engine events

Audience ExerciseSession::Impl::event_audience(const Event& e, const Json& d) const
{
  const RecordType type = e.type;
  auto node_owners = [&](const std::string& subject) {
    auto it = sc_.node_by_id.find(strip(subject, "node:"));
    return it == sc_.node_by_id.end() ? control() : teams(node_owner_ids(it->second));
  };
  auto service_owners = [&](const std::string& subject) {
    auto it = sc_.service_by_id.find(strip(subject, "service:"));
    return it == sc_.service_by_id.end() ? control() : teams(node_owner_ids(sc_.services[it->second].node_index));
  };
  switch (type) {
  case RecordType::alert:
  case RecordType::action_started: {
    const std::string team = strip(e.subject, "team:");
    return team_run(team) ? teams({team}) : control();
  }
  case RecordType::indicator_blocked:
  case RecordType::action_refused:
  case RecordType::backup_refuelled: {
    const std::string team = str(d, "team");
    return team_run(team) ? teams({team}) : control();
  }
  case RecordType::public_statement:
    return all(); // said to the public: every team and observer hears it
  case RecordType::node_isolated:
  case RecordType::node_reconnected:
  case RecordType::node_patched:
  case RecordType::credentials_reset:
  case RecordType::node_offline:
  case RecordType::node_restored:
  case RecordType::unit_manual:
  case RecordType::unit_output:
  case RecordType::node_status:
    return node_owners(e.subject);
  case RecordType::service_shutdown:
  case RecordType::service_restored:
  case RecordType::service_status:
  case RecordType::probe_status:
    return service_owners(e.subject);
  case RecordType::breaker_closed: // a substation's or unit's, or a networked grid's branch
    if (e.subject.rfind("branch:", 0) != 0)
      return node_owners(e.subject);
    [[fallthrough]];
  case RecordType::branch_tripped:
  case RecordType::breaker_opened:
  case RecordType::island_formed:
  case RecordType::island_merged:
  case RecordType::load_shed:
  case RecordType::setpoint_changed:
  case RecordType::grid_balance: { // the teams that own generation or load in the grid
    const std::string grid = e.type == RecordType::grid_balance ? strip(e.subject, "grid:") : str(d, "grid");
    std::vector<std::string> ids;
    for (const auto& t : teams_)
      if (t.grids.count(grid))
        ids.push_back(t.id);
    return teams(ids);
  }
  case RecordType::load_restored: // a substation's, or a networked grid's load
    if (e.subject.rfind("load:", 0) == 0) {
      const std::string grid = str(d, "grid");
      std::vector<std::string> ids;
      for (const auto& t : teams_)
        if (t.grids.count(grid))
          ids.push_back(t.id);
      return teams(ids);
    }
    return control();
  default:
    break;
  }
  return control(); // the adversary, cascades and ground truth
}

void ExerciseSession::Impl::on_engine_event(const Event& e)
{
  Json d = Json::parse(e.details, nullptr, false);
  if (d.is_discarded() || !d.is_object())
    d = Json::object();
  const double t = e.time;
  // the record first (folded into the state as it is emitted), so that what it causes comes after it
  {
    std::string json = "{\"seq\":" + std::to_string(seq_ + 1) + ",\"time\":" + Json(round3(t)).dump() +
                       ",\"kind\":\"event\",\"type\":" + Json(to_string(e.type)).dump() +
                       ",\"subject\":" + Json(e.subject).dump() + ",\"details\":" + d.dump() + "}";
    emit_raw(t, RecordKind::event, e.type, std::move(json), event_audience(e, d));
  }
  // then the facts the MSEL's triggers wait for
  Fact f;
  switch (e.type) {
  case RecordType::node_compromised: {
    auto it = sc_.node_by_id.find(strip(e.subject, "node:"));
    if (it == sc_.node_by_id.end() || sc_.nodes[it->second].kind == NodeKind::attacker)
      return;
    f.kind = Trigger::Kind::node_compromised;
    f.subject = sc_.nodes[it->second].id;
    f.nodes = {it->second};
    break;
  }
  case RecordType::alert:
    if (!team_run(strip(e.subject, "team:")))
      return;
    f.kind = Trigger::Kind::alert;
    f.subject = str(d, "technique");
    f.team = strip(e.subject, "team:");
    break;
  case RecordType::exfiltration_progress:
  case RecordType::exfiltration_ended:
    f.kind = Trigger::Kind::exfiltrated_over;
    f.subject = str(d, "campaign");
    break;
  case RecordType::service_status:
  case RecordType::probe_status: {
    // service_down and service_degraded follow what is measured: the probe's verdict for a probed service, ground
    // truth otherwise (docs/scenario-format.md, "Triggers"); a down service is degraded too
    const auto it = sc_.service_by_id.find(strip(e.subject, "service:"));
    const std::string status = str(d, "status");
    if ((status != "down" && status != "degraded") || it == sc_.service_by_id.end() ||
        sc_.services[it->second].probe.has_value() != (e.type == RecordType::probe_status))
      break; // no service_* fact; a probe_* fact may follow
    f.kind = status == "down" ? Trigger::Kind::service_down : Trigger::Kind::service_degraded;
    f.subject = it->first;
    break;
  }
  case RecordType::grid_balance:
    f.kind = Trigger::Kind::power_lost_over;
    f.subject = strip(e.subject, "grid:");
    break;
  default:
    break;
  }
  if (f.kind != Trigger::Kind::always)
    post(std::move(f));
  // the consequences' own triggers (probe_down, unit_tripped, ...): a second fact from the same record
  Fact g;
  switch (e.type) {
  case RecordType::data_published:
    g.kind = Trigger::Kind::data_published;
    g.subject = strip(e.subject, "campaign:");
    break;
  case RecordType::probe_status: {
    const auto it = sc_.service_by_id.find(strip(e.subject, "service:"));
    const std::string status = str(d, "status");
    if ((status != "down" && status != "degraded") || it == sc_.service_by_id.end())
      return;
    g.kind = status == "down" ? Trigger::Kind::probe_down : Trigger::Kind::probe_degraded;
    g.subject = it->first;
    g.to = node_owner_ids(sc_.services[it->second].node_index); // the teams that receive it (event_audience)
    break;
  }
  case RecordType::unit_derated:
  case RecordType::unit_tripped:
  case RecordType::node_encrypted: {
    auto it = sc_.node_by_id.find(strip(e.subject, "node:"));
    if (it == sc_.node_by_id.end())
      return;
    g.kind = e.type == RecordType::unit_derated   ? Trigger::Kind::unit_derated
             : e.type == RecordType::unit_tripped ? Trigger::Kind::unit_tripped
                                                  : Trigger::Kind::node_encrypted;
    g.subject = it->first;
    g.nodes = {it->second};
    break;
  }
  case RecordType::dependency_lost:
  case RecordType::backup_exhausted: {
    const std::string id = strip(e.subject, "dependency:");
    g.kind = e.type == RecordType::dependency_lost ? Trigger::Kind::dependency_lost : Trigger::Kind::backup_exhausted;
    g.subject = id;
    for (const auto& dep : sc_.dependencies)
      if (dep.id == id)
        g.to = {dep.dependent};
    break;
  }
  case RecordType::step_succeeded:
    g.kind = Trigger::Kind::step_succeeded;
    g.subject = strip(e.subject, "campaign:");
    g.step = str(d, "step");
    g.technique = str(d, "technique");
    break;
  default:
    return;
  }
  post(std::move(g));
}

// ---------------------------------------------------------------------------------------------------------------
// Triggers

int ExerciseSession::Impl::make_trigger(const Trigger& t, TriggerRun::Owner owner, int index)
{
  TriggerRun r;
  r.root = &t;
  r.owner = owner;
  r.index = index;
  // DFS in the same order as evaluate(): children left to right
  std::function<void(const Trigger&)> walk = [&](const Trigger& x) {
    if (x.kind == Trigger::Kind::all || x.kind == Trigger::Kind::any || x.kind == Trigger::Kind::not_) {
      for (const auto& c : x.children)
        walk(c);
      return;
    }
    r.leaves.push_back(&x);
    std::vector<Index> nodes;
    using K = Trigger::Kind;
    if ((x.kind == K::node_compromised || x.kind == K::action || x.kind == K::unit_derated ||
         x.kind == K::unit_tripped || x.kind == K::node_encrypted) &&
        !x.subject.empty())
      nodes = select_nodes(sc_, x.subject);
    r.leaf_nodes.push_back(std::move(nodes));
  };
  walk(t);
  r.latched.assign(r.leaves.size(), 0);
  triggers_.push_back(std::move(r));
  return static_cast<int>(triggers_.size() - 1);
}

bool ExerciseSession::Impl::leaf_matches(const TriggerRun& r, std::size_t leaf, const Fact* f) const
{
  using K = Trigger::Kind;
  const Trigger& t = *r.leaves[leaf];
  switch (t.kind) {
  case K::always:
    return true;
  case K::all:
  case K::any:
  case K::not_:
    return false;
  case K::node_compromised:
    if (f)
      return f->kind == K::node_compromised && intersects(f->nodes, r.leaf_nodes[leaf]);
    for (Index n : r.leaf_nodes[leaf])
      if (fold_.node(n).compromised())
        return true;
    return false;
  case K::service_down: {
    const std::string id = strip(t.subject, "service:");
    if (f)
      return f->kind == K::service_down && f->subject == id;
    auto it = sc_.service_by_id.find(id);
    if (it == sc_.service_by_id.end())
      return false;
    return (sc_.services[it->second].probe ? fold_.probe_status(it->second) : fold_.service_status(it->second)) ==
           "down";
  }
  case K::service_degraded: {
    const std::string id = strip(t.subject, "service:");
    if (f)
      return (f->kind == K::service_degraded || f->kind == K::service_down) && f->subject == id;
    auto it = sc_.service_by_id.find(id);
    if (it == sc_.service_by_id.end())
      return false;
    const std::string status =
        sc_.services[it->second].probe ? fold_.probe_status(it->second) : fold_.service_status(it->second);
    return status == "degraded" || status == "down";
  }
  case K::exfiltrated_over:
    if (f && f->kind != K::exfiltrated_over)
      return false;
    return fold_.exfiltrated(t.subject) > t.amount;
  case K::power_lost_over:
    if (f && f->kind != K::power_lost_over)
      return false;
    return fold_.lost_mw(t.subject) > t.amount;
  case K::inject_delivered: {
    const std::string id = strip(t.subject, "inject:");
    if (f)
      return f->kind == K::inject_delivered && f->subject == id;
    auto it = inject_by_id_.find(id);
    return it != inject_by_id_.end() && (injects_[it->second].status == InjectRun::Status::delivered ||
                                         injects_[it->second].status == InjectRun::Status::expired);
  }
  case K::expectation_met:
  case K::expectation_missed: {
    if (f)
      return f->kind == t.kind && f->subject == t.subject;
    auto it = expectation_by_id_.find(t.subject);
    if (it == expectation_by_id_.end())
      return false;
    for (int e : it->second)
      if (expectations_[e].status ==
          (t.kind == K::expectation_met ? ExpectationRun::Status::met : ExpectationRun::Status::missed))
        return true;
    return false;
  }
  case K::action:
    if (!f) {
      // no new action: the effect of one the team took earlier that still holds (the state fold says so)
      const auto type = action_type_from_string(t.action_type);
      if (!type || (!t.subject.empty() && r.leaf_nodes[leaf].empty()))
        return false;
      if (fold_.action_holds(t.team, *type, r.leaf_nodes[leaf], t.indicator))
        return true;
      // or one with a lasting effect that it ordered and that is still under way (it takes effect after the
      // action's duration)
      const bool lasting = *type == ActionType::block || *type == ActionType::isolate || *type == ActionType::patch ||
                           *type == ActionType::manual_operations;
      for (const auto& [effective, order] : orders_)
        if (lasting && effective > now_() && leaf_matches(r, leaf, &order))
          return true;
      return false;
    }
    if (f->kind != K::action || f->team != t.team || f->action != t.action_type)
      return false;
    if (!t.indicator.empty() && f->indicator != t.indicator)
      return false;
    if (t.subject.empty())
      return true;
    return f->subject == t.subject || intersects(f->nodes, r.leaf_nodes[leaf]);
  case K::message:
    if (!f || f->kind != K::message || f->team != t.team)
      return false;
    return t.to.empty() || std::find(f->to.begin(), f->to.end(), t.to) != f->to.end();
  case K::alert:
    return f && f->kind == K::alert && f->team == t.team && technique_matches(t.subject, f->subject);
  case K::data_published:
    if (f)
      return f->kind == K::data_published && f->subject == t.subject;
    return fold_.data_published(t.subject);
  case K::probe_down:
  case K::probe_degraded: {
    // in a team's view: the probe_status records that team receives (it owns the service's node)
    if (f)
      return (f->kind == t.kind || (t.kind == K::probe_degraded && f->kind == K::probe_down)) &&
             f->subject == t.subject &&
             (t.team.empty() || std::find(f->to.begin(), f->to.end(), t.team) != f->to.end());
    auto it = sc_.service_by_id.find(t.subject);
    if (it == sc_.service_by_id.end() || !sc_.services[it->second].probe)
      return false;
    if (!t.team.empty()) {
      const auto owners = node_owner_ids(sc_.services[it->second].node_index);
      if (std::find(owners.begin(), owners.end(), t.team) == owners.end())
        return false;
    }
    const std::string status = fold_.probe_status(it->second);
    return status == "down" || (t.kind == K::probe_degraded && status == "degraded");
  }
  case K::unit_derated:
  case K::unit_tripped:
  case K::node_encrypted:
    if (f)
      return f->kind == t.kind && intersects(f->nodes, r.leaf_nodes[leaf]);
    for (Index n : r.leaf_nodes[leaf]) {
      const NodeState& ns = fold_.node(n);
      if (t.kind == K::node_encrypted ? ns.encrypted
          : t.kind == K::unit_derated ? ns.mode == "derated"
                                      : ns.mode == "tripped" || (ns.failed && ns.reason == "tripped"))
        return true;
    }
    return false;
  case K::dependency_lost:
  case K::backup_exhausted: {
    const bool by_dependent = t.subject.find(':') != std::string::npos;
    if (f)
      return f->kind == t.kind &&
             (by_dependent ? std::find(f->to.begin(), f->to.end(), t.subject) != f->to.end() : f->subject == t.subject);
    for (const auto& dep : sc_.dependencies) {
      if (by_dependent ? dep.dependent != t.subject : dep.id != t.subject)
        continue;
      const std::string status = fold_.dependency_status(dep.id);
      if (status == "exhausted" || (t.kind == K::dependency_lost && status == "lost"))
        return true;
    }
    return false;
  }
  case K::step_succeeded:
    if (f)
      return f->kind == K::step_succeeded && (t.subject.empty() || f->subject == t.subject) &&
             (t.step.empty() || f->step == t.step) && technique_matches(t.technique, f->technique);
    return fold_.step_succeeded(t.subject, t.step, t.technique);
  }
  return false;
}

bool ExerciseSession::Impl::evaluate(const TriggerRun& r, const Trigger& t, std::size_t& leaf) const
{
  if (t.kind == Trigger::Kind::not_) { // its one child; walked whole for the leaf counter
    bool v = false;
    for (const auto& c : t.children)
      v = evaluate(r, c, leaf) || v;
    return !v;
  }
  if (t.kind == Trigger::Kind::all || t.kind == Trigger::Kind::any) {
    bool all = true, any = false;
    for (const auto& c : t.children) { // evaluate every child: the leaf counter must walk the whole tree
      const bool v = evaluate(r, c, leaf);
      all = all && v;
      any = any || v;
    }
    return t.kind == Trigger::Kind::all ? all : any;
  }
  return r.latched[leaf++] != 0;
}

void ExerciseSession::Impl::activate(int run)
{
  TriggerRun& r = triggers_[run];
  r.active = true;
  for (std::size_t l = 0; l < r.leaves.size(); ++l)
    if (!r.latched[l] && leaf_matches(r, l, nullptr))
      r.latched[l] = 1;
  std::size_t leaf = 0;
  if (evaluate(r, *r.root, leaf))
    trigger_fired(run, "state"); // it holds as it starts: what already happened, or what holds now
}

bool ExerciseSession::Impl::holds(int run)
{
  TriggerRun& r = triggers_[run];
  for (std::size_t l = 0; l < r.leaves.size(); ++l)
    if (!r.latched[l] && leaf_matches(r, l, nullptr))
      r.latched[l] = 1;
  std::size_t leaf = 0;
  return evaluate(r, *r.root, leaf);
}

void ExerciseSession::Impl::post(Fact f)
{
  facts_.push_back(std::move(f));
  if (!draining_ && sim_)
    drain();
}

void ExerciseSession::Impl::drain()
{
  if (draining_ || !sim_)
    return;
  draining_ = true;
  while (!facts_.empty()) {
    const Fact f = std::move(facts_.front());
    facts_.pop_front();
    for (std::size_t i = 0; i < triggers_.size(); ++i) {
      TriggerRun& r = triggers_[i];
      if (!r.active)
        continue;
      bool changed = false;
      for (std::size_t l = 0; l < r.leaves.size(); ++l)
        if (!r.latched[l] && leaf_matches(r, l, &f)) {
          r.latched[l] = 1;
          changed = true;
        }
      std::size_t leaf = 0;
      if (changed && evaluate(r, *r.root, leaf))
        trigger_fired(static_cast<int>(i), "trigger");
    }
  }
  draining_ = false;
}

void ExerciseSession::Impl::trigger_fired(int run, const char* by)
{
  TriggerRun& r = triggers_[run];
  if (r.owner == TriggerRun::Owner::skip)
    return; // evaluated when its inject is due: its leaves keep latching until then
  r.active = false;
  r.fired = true;
  if (r.owner == TriggerRun::Owner::premise)
    return; // read at the deadlines of its expectation
  if (r.owner == TriggerRun::Owner::watch) {
    r.fired_at = now_(); // nothing is emitted: a watch leaves the exercise as it would be without it
    return;
  }
  if (r.owner == TriggerRun::Owner::expectation) {
    expectation_decided(r.index, true, by);
    return;
  }
  InjectRun& in = injects_[r.index];
  if (in.status != InjectRun::Status::waiting)
    return;
  // not_before holds a triggered inject back until its move (docs/scenario-format.md, "Triggers")
  const double due = std::max(now_() + in.spec.delay + in.extra_delay, in.spec.not_before.value_or(0));
  emit(RecordKind::exercise, RecordType::inject_triggered, "inject:" + in.spec.id,
       {{"inject", in.spec.id}, {"due", round3(due)}}, control());
  schedule_inject(r.index, due);
}

// ---------------------------------------------------------------------------------------------------------------
// Injects

void ExerciseSession::Impl::schedule_inject(int i, double due)
{
  InjectRun& in = injects_[i];
  in.status = InjectRun::Status::scheduled;
  in.due = due;
  ++in.gen;
  if (due <= now_() && sim_)
    deliver(i, in.spec.trigger ? "trigger" : "time");
  else
    add_timer(due, 0, i, in.gen);
}

Json ExerciseSession::Impl::inject_json(int i, bool control_view) const
{
  const InjectRun& in = injects_[i];
  Json j;
  j["inject"] = in.spec.id;
  j["type"] = to_string(in.spec.type);
  j["channel"] = in.spec.channel;
  j["from"] = in.spec.from;
  j["to"] = in.spec.to;
  j["title"] = in.spec.title;
  j["content"] = in.spec.content;
  j["indicators"] = in.indicators;
  if (in.spec.expires < NEVER && in.delivered < NEVER)
    j["expires_at"] = round3(in.delivered + in.spec.expires);
  if (control_view) {
    static const char* names[] = {"waiting", "scheduled", "delivered", "expired", "cancelled", "skipped"};
    j["status"] = names[static_cast<int>(in.status)];
    j["hidden"] = in.spec.hidden;
    j["move"] = in.spec.move;
    if (in.due < NEVER)
      j["due"] = round3(in.due);
    if (in.delivered < NEVER)
      j["delivered"] = round3(in.delivered);
    j["triggered"] = in.spec.trigger.has_value();
    j["created"] = in.created;
    Json exps = Json::array();
    for (const auto& e : in.spec.expectations)
      exps.push_back(e.id);
    j["expectations"] = std::move(exps);
  }
  return j;
}

void ExerciseSession::Impl::deliver(int i, const char* reason)
{
  InjectRun& in = injects_[i];
  if (in.status == InjectRun::Status::delivered || in.status == InjectRun::Status::expired ||
      in.status == InjectRun::Status::cancelled || in.status == InjectRun::Status::skipped)
    return;
  // a timed inject whose skip_if holds when it is due is not delivered; a controller's release still delivers it
  if (std::string(reason) == "time" && in.skip >= 0 && holds(in.skip)) {
    skip(i);
    return;
  }
  if (in.skip >= 0)
    triggers_[in.skip].active = false;
  in.status = InjectRun::Status::delivered;
  in.delivered = now_();
  ++in.gen;
  ++deliveries_;
  // indicators named in the text (their values) are revealed to the recipients, as are those the controller listed
  const std::string text = in.spec.title + "\n" + in.spec.content;
  for (const auto& ind : sc_.indicators)
    if (!ind.value.empty() && text.find(ind.value) != std::string::npos &&
        std::find(in.indicators.begin(), in.indicators.end(), ind.id) == in.indicators.end())
      in.indicators.push_back(ind.id);
  std::vector<std::string> players;
  for (const auto& to : in.spec.to)
    if (team_run(to))
      players.push_back(to);
  emit(RecordKind::exercise, RecordType::inject_released, "inject:" + in.spec.id,
       {{"inject", in.spec.id}, {"reason", reason}}, control());
  emit(RecordKind::delivery, RecordType::inject, "inject:" + in.spec.id, inject_json(i, false),
       in.spec.hidden ? control() : teams(players));
  if (in.spec.expires < NEVER)
    add_timer(now_() + in.spec.expires, 2, i, in.gen);
  for (std::size_t k = 0; k < in.spec.expectations.size(); ++k) {
    const int e = add_expectation(i, k);
    emit(RecordKind::exercise, RecordType::expectation_active, "expectation:" + expectations_[e].id,
         expectation_json(e), control());
    add_timer(expectations_[e].deadline, 1, e, 0);
    // met at activation when what it asks for already holds (by "state"): a team that acted before the inject
    expectations_[e].trigger = make_trigger(in.spec.expectations[k].met_by, TriggerRun::Owner::expectation, e);
    activate(expectations_[e].trigger);
  }
  Fact f;
  f.kind = Trigger::Kind::inject_delivered;
  f.subject = in.spec.id;
  post(std::move(f));
  leaderboard("inject", false);
}

int ExerciseSession::Impl::add_expectation(int i, std::size_t k)
{
  const Expectation& ex = injects_[i].spec.expectations[k];
  ExpectationRun run;
  run.inject = i;
  run.index = static_cast<int>(k);
  run.id = ex.id;
  run.team = ex.team;
  run.activated = now_();
  run.deadline = now_() + ex.within;
  run.status = ExpectationRun::Status::pending;
  const int e = static_cast<int>(expectations_.size());
  expectations_.push_back(run);
  expectation_by_id_[ex.id].push_back(e);
  return e;
}

void ExerciseSession::Impl::skip(int i)
{
  InjectRun& in = injects_[i];
  in.status = InjectRun::Status::skipped;
  ++in.gen;
  triggers_[in.skip].active = false;
  for (int p : in.premises)
    if (p >= 0)
      triggers_[p].active = false;
  emit(RecordKind::exercise, RecordType::inject_skipped, "inject:" + in.spec.id,
       {{"inject", in.spec.id}, {"due", round3(in.due)}, {"reason", "skip_if"}}, control());
  // what it would have asked of the teams does not apply: neither met nor missed, no contingency
  for (std::size_t k = 0; k < in.spec.expectations.size(); ++k)
    expectation_not_applicable(add_expectation(i, k), "skipped");
}

void ExerciseSession::Impl::expire(int i)
{
  InjectRun& in = injects_[i];
  if (in.status != InjectRun::Status::delivered)
    return;
  in.status = InjectRun::Status::expired;
  std::vector<std::string> players;
  for (const auto& to : in.spec.to)
    if (team_run(to))
      players.push_back(to);
  emit(RecordKind::delivery, RecordType::inject_expired, "inject:" + in.spec.id, {{"inject", in.spec.id}},
       in.spec.hidden ? control() : teams(players));
}

// ---------------------------------------------------------------------------------------------------------------
// Expectations

Json ExerciseSession::Impl::expectation_json(int e) const
{
  const ExpectationRun& r = expectations_[e];
  const Expectation& ex = injects_[r.inject].spec.expectations[r.index];
  static const char* names[] = {"inactive", "pending", "met", "missed", "not_applicable"};
  Json j;
  j["expectation"] = r.id;
  j["team"] = r.team;
  j["inject"] = injects_[r.inject].spec.id;
  j["status"] = names[static_cast<int>(r.status)];
  j["activated"] = round3(r.activated);
  j["deadline"] = round3(r.deadline);
  if (r.decided < NEVER) {
    j["decided"] = round3(r.decided);
    j["by"] = r.by;
  }
  j["points"] = ex.points;
  j["objective"] = ex.objective;
  j["critical_task"] = ex.critical_task;
  j["description"] = ex.description;
  return j;
}

void ExerciseSession::Impl::expectation_decided(int e, bool met, const char* by)
{
  ExpectationRun& r = expectations_[e];
  if (r.status != ExpectationRun::Status::pending)
    return;
  r.status = met ? ExpectationRun::Status::met : ExpectationRun::Status::missed;
  r.decided = now_();
  r.by = by;
  if (r.trigger >= 0)
    triggers_[r.trigger].active = false;
  emit(RecordKind::exercise, met ? RecordType::expectation_met : RecordType::expectation_missed, "expectation:" + r.id,
       expectation_json(e), control());
  Fact f;
  f.kind = met ? Trigger::Kind::expectation_met : Trigger::Kind::expectation_missed;
  f.subject = r.id;
  post(std::move(f));
  if (!met) {
    const std::string& contingency = injects_[r.inject].spec.expectations[r.index].contingency;
    auto it = inject_by_id_.find(contingency);
    if (!contingency.empty() && it != inject_by_id_.end())
      deliver(it->second, "contingency");
  }
  leaderboard("expectation", false);
}

void ExerciseSession::Impl::expectation_not_applicable(int e, const char* by)
{
  ExpectationRun& r = expectations_[e];
  if (r.status != ExpectationRun::Status::pending)
    return;
  r.status = ExpectationRun::Status::not_applicable;
  r.decided = now_();
  r.by = by;
  if (r.trigger >= 0)
    triggers_[r.trigger].active = false;
  emit(RecordKind::exercise, RecordType::expectation_not_applicable, "expectation:" + r.id, expectation_json(e),
       control());
}

void ExerciseSession::Impl::deadline(int e)
{
  const ExpectationRun& r = expectations_[e];
  if (r.status != ExpectationRun::Status::pending)
    return;
  // a premise that never held from the exercise start to the deadline: what was expected had no reason to happen
  const auto& premises = injects_[r.inject].premises;
  const int p = static_cast<std::size_t>(r.index) < premises.size() ? premises[r.index] : -1;
  if (p >= 0 && !triggers_[p].fired && !holds(p)) {
    expectation_not_applicable(e, "premise");
    return;
  }
  expectation_decided(e, false, "deadline");
}

void ExerciseSession::Impl::on_timer(std::uint64_t id)
{
  const Timer tm = timers_[id];
  switch (tm.kind) {
  case 0:
    if (injects_[tm.ref].status == InjectRun::Status::scheduled && injects_[tm.ref].gen == tm.gen)
      deliver(tm.ref, injects_[tm.ref].spec.trigger ? "trigger" : "time");
    break;
  case 1:
    deadline(tm.ref);
    break;
  case 2:
    if (injects_[tm.ref].gen == tm.gen)
      expire(tm.ref);
    break;
  case 3: {
    leaderboard("hour", true);
    const double next = opt_.leaderboard_interval * (tm.ref + 1);
    if (next < sc_.exercise.duration)
      add_timer(next, 3, tm.ref + 1, 0);
    break;
  }
  default:
    break;
  }
  drain();
}

} // namespace cyberex
