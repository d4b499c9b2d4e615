/* The exercise session: construction, the clock, command dispatch with role checks, journal and replay. */
#include "exercise/impl.hpp"
#include "scenario/units.hpp"

#include <algorithm>
#include <cmath>

namespace cyberex {

namespace {

void timer_handler(Simulation&, std::uint64_t self, std::uint64_t id)
{
  reinterpret_cast<ExerciseSession::Impl*>(self)->on_timer(id);
}

[[noreturn]] void fail(const std::string& code, const std::string& message)
{
  throw CommandError{code, message};
}

/// How each command type may be used. `team_scoped`: acts for a team (players: their own; the controller names it).
struct CommandSpec {
  const char* type;
  bool controller, evaluator, player, observer;
  bool changes;                    ///< journaled
  bool after_end;                  ///< accepted once the exercise has ended
  std::vector<const char*> fields; ///< the fields it takes besides "id" and "type": any other is refused
};

const std::vector<CommandSpec>& command_specs()
{
  static const std::vector<CommandSpec> specs{
      // type              ctrl   eval   player obs    changes after_end fields
      {"clock", true, true, true, true, false, true, {}},
      {"snapshot", true, true, true, true, false, true, {}},
      {"leaderboard", true, true, true, true, false, true, {}},
      {"inbox", true, true, true, false, false, true, {"team"}},
      {"alerts", true, true, true, false, false, true, {"team"}},
      {"assets", true, true, true, false, false, true, {"team"}},
      {"scores", true, true, true, false, false, true, {"team"}},
      {"truth", true, true, false, false, false, true, {}},
      {"msel", true, true, false, false, false, true, {}},
      {"start", true, false, false, false, true, false, {}},
      {"pause", true, false, false, false, true, false, {}},
      {"resume", true, false, false, false, true, false, {}},
      {"speed", true, false, false, false, true, false, {"speed"}},
      {"step", true, false, false, false, true, false, {"to", "time", "by"}},
      {"end", true, false, false, false, true, false, {}},
      {"inject_release", true, false, false, false, true, false, {"inject"}},
      {"inject_delay", true, false, false, false, true, false, {"inject", "by"}},
      {"inject_cancel", true, false, false, false, true, false, {"inject"}},
      {"inject_create", true, false, false, false, true, false, {"inject"}},
      {"official_assessment", true, false, false, false, true, true, {"incident", "levels"}},
      {"observe", true, true, false, false, true, true, {"team", "objective", "critical_task", "text", "kind"}},
      {"rate", true, true, false, false, true, true, {"team", "objective", "critical_task", "rating", "text"}},
      {"confirm", true, true, false, false, true, false, {"expectation", "team"}},
      {"action",
       true,
       false,
       true,
       false,
       true,
       false,
       {"team", "action", "target", "indicator", "vulnerability", "service", "kind", "text", "mode"}},
      {"message", true, false, true, false, true, false, {"team", "to", "subject", "text", "indicators"}},
      {"sitrep", true, false, true, false, true, false, {"team", "text", "status"}},
      {"assess", true, false, true, false, true, false, {"team", "incident", "levels"}},
      {"read", true, false, true, false, true, true, {"team", "item"}},
  };
  return specs;
}

/// A JSON object key as a JSON pointer token (RFC 6901), cut to a readable length.
std::string pointer_token(const std::string& key)
{
  std::string out;
  for (char c : key.substr(0, 64))
    out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  return out;
}

/// Refuse a field the command does not take: it would be journaled and kept for nothing (or be a typo).
void check_fields(const Json& cmd, const CommandSpec& spec)
{
  for (const auto& item : cmd.items()) {
    const std::string& key = item.key(); // not a structured binding: Clang 14 cannot capture those in a lambda
    if (key == "id" || key == "type")
      continue;
    if (std::any_of(spec.fields.begin(), spec.fields.end(), [&](const char* f) { return key == f; }))
      continue;
    std::string expected;
    std::vector<std::string> names;
    for (const char* f : spec.fields) {
      expected += std::string(expected.empty() ? "" : ", ") + "\"" + f + "\"";
      names.push_back(f);
    }
    const std::string hint = did_you_mean(key, names);
    fail("bad-command", "(/" + pointer_token(key) + ") unknown field \"" + key.substr(0, 64) + "\" for \"" + spec.type +
                            "\"" + (hint.empty() ? std::string() : "; did you mean \"" + hint + "\"?") +
                            (expected.empty() ? "; it takes no fields besides \"id\" and \"type\""
                                              : "; it takes " + expected + " (and \"id\", \"type\")"));
  }
}

bool allowed(const CommandSpec& s, Role r)
{
  switch (r) {
  case Role::controller:
    return s.controller;
  case Role::evaluator:
    return s.evaluator;
  case Role::player:
    return s.player;
  case Role::observer:
    return s.observer;
  }
  return false;
}

} // namespace

double parse_time_field(const Json& v, const char* key)
{
  if (v.is_number()) {
    const double x = v.get<double>();
    if (std::isfinite(x) && x >= 0)
      return x;
  } else if (v.is_string()) {
    if (auto x = units::parse(units::Quantity::inject_time, v.get<std::string>()))
      return *x;
  }
  fail("bad-command", std::string("(/") + key + ") expected seconds >= 0 or a duration such as \"90s\", \"15m\", " +
                          "\"2h30m\"; got " + v.dump());
}

// ---------------------------------------------------------------------------------------------------------------
// Construction

ExerciseSession::Impl::Impl(const Scenario& scenario, ExerciseOptions options, RecordSink outgoing, CommandSink journal)
    : sc_(scenario), opt_(std::move(options)), outgoing_(std::move(outgoing)), journal_(std::move(journal))
{
  speed_ = opt_.speed > 0 && std::isfinite(opt_.speed) ? opt_.speed : 1;
  node_teams_.resize(sc_.nodes.size());
  for (std::size_t t = 0; t < sc_.teams.size(); ++t) {
    const Team& team = sc_.teams[t];
    if (team.role != TeamRole::player)
      continue;
    TeamRun run;
    run.team = static_cast<int>(t);
    run.id = team.id;
    for (Index n : team.asset_nodes) {
      node_teams_[n].push_back(static_cast<int>(teams_.size()));
      const Node& node = sc_.nodes[n];
      if (!node.grid.empty() && (node.kind == NodeKind::substation || node.kind == NodeKind::generation_unit))
        run.grids.insert(node.grid);
    }
    teams_.push_back(std::move(run));
  }

  // records emitted while the session is built (the world's initial events, injects due at 0) are held and pushed in
  // seq order at the end
  ++in_handle_;
  sim_ = std::make_unique<Simulation>(sc_, opt_.simulation, [this](const Event& e) {
    if (opt_.world_events)
      opt_.world_events(e);
    on_engine_event(e);
  });

  for (const auto& inject : sc_.msel) {
    const int i = static_cast<int>(injects_.size());
    injects_.push_back(InjectRun{});
    injects_.back().spec = inject;
    inject_by_id_[inject.id] = i;
  }
  // skip_if and premises are watched from the start (what happened before the inject counts), before anything is
  // delivered
  for (std::size_t i = 0; i < injects_.size(); ++i) {
    InjectRun& in = injects_[i];
    if (in.spec.time && in.spec.skip_if) {
      in.skip = make_trigger(*in.spec.skip_if, TriggerRun::Owner::skip, static_cast<int>(i));
      activate(in.skip);
    }
    for (const auto& ex : in.spec.expectations) {
      in.premises.push_back(ex.premise ? make_trigger(*ex.premise, TriggerRun::Owner::premise, static_cast<int>(i))
                                       : -1);
      if (in.premises.back() >= 0)
        activate(in.premises.back());
    }
  }
  for (std::size_t i = 0; i < injects_.size(); ++i) {
    InjectRun& in = injects_[i];
    if (in.spec.time) {
      schedule_inject(static_cast<int>(i), *in.spec.time);
    } else if (in.spec.trigger) {
      in.trigger = make_trigger(*in.spec.trigger, TriggerRun::Owner::inject, static_cast<int>(i));
    }
  }
  for (std::size_t i = 0; i < injects_.size(); ++i)
    if (injects_[i].trigger >= 0)
      activate(injects_[i].trigger);
  if (opt_.leaderboard_interval > 0 && opt_.leaderboard_interval < sc_.exercise.duration)
    add_timer(opt_.leaderboard_interval, 3, 1, 0);
  drain();
  --in_handle_;
  flush();
}

std::uint64_t ExerciseSession::Impl::add_timer(double t, int kind, int ref, std::uint64_t gen)
{
  timers_.push_back(Timer{kind, ref, gen});
  const std::uint64_t id = timers_.size() - 1;
  sim_->schedule(t, &timer_handler, reinterpret_cast<std::uint64_t>(this), id);
  return id;
}

// ---------------------------------------------------------------------------------------------------------------
// Record records

Audience ExerciseSession::Impl::teams(std::vector<std::string> ids) const
{
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty())
    return control();
  return Audience{Audience::Kind::teams, std::move(ids)};
}

void ExerciseSession::Impl::emit(RecordKind kind, RecordType type, const std::string& subject, Json details,
                                 Audience audience)
{
  Json j;
  j["seq"] = seq_ + 1;
  j["time"] = round3(now_());
  j["kind"] = to_string(kind);
  j["type"] = to_string(type);
  j["subject"] = subject;
  j["details"] = std::move(details);
  emit_raw(now_(), kind, type, j.dump(), std::move(audience));
}

void ExerciseSession::Impl::emit_raw(double time, RecordKind kind, RecordType type, std::string json, Audience audience)
{
  Record rec;
  rec.seq = ++seq_;
  rec.time = time;
  rec.kind = kind;
  rec.type = type;
  rec.audience = std::move(audience);
  rec.json = std::move(json);
  fold_.apply(rec);
  if (in_handle_ > 0 || !sim_)
    pending_.push_back(std::move(rec));
  else if (outgoing_)
    outgoing_(rec);
}

void ExerciseSession::Impl::flush()
{
  if (in_handle_ > 0)
    return;
  std::vector<Record> out;
  out.swap(pending_);
  if (outgoing_)
    for (const auto& r : out)
      outgoing_(r);
}

// ---------------------------------------------------------------------------------------------------------------
// Clock

double ExerciseSession::Impl::now_() const
{
  return sim_ ? sim_->now() : 0;
}

std::string ExerciseSession::Impl::current_move() const
{
  std::string id;
  double best = -1;
  for (const auto& m : sc_.exercise.moves)
    if (m.offset <= now_() && m.offset >= best) {
      best = m.offset;
      id = m.id;
    }
  return id;
}

Json ExerciseSession::Impl::clock_json(bool control) const
{
  Json j;
  j["state"] = to_string(state_);
  j["time"] = round3(now_());
  j["speed"] = speed_;
  j["duration"] = round3(sc_.exercise.duration);
  j["move"] = current_move();
  // when the world next changes and when the next inject is due are ground truth and the MSEL: the White Cell's
  if (!control)
    return j;
  const double next = sim_->next_event_time();
  if (next < NEVER)
    j["next_event"] = round3(next);
  double next_inject = NEVER;
  for (const auto& in : injects_)
    if (in.status == InjectRun::Status::scheduled)
      next_inject = std::min(next_inject, in.due);
  if (next_inject < NEVER)
    j["next_inject"] = round3(next_inject);
  return j;
}

void ExerciseSession::Impl::set_state(ClockState s, const char* reason)
{
  if (state_ == s)
    return;
  const ClockState before = state_;
  state_ = s;
  last_wall_.reset();
  Json d = clock_json(false);
  d["from"] = to_string(before);
  d["reason"] = reason;
  emit(RecordKind::exercise, RecordType::clock, "exercise:" + sc_.exercise.id, std::move(d), all());
}

void ExerciseSession::Impl::advance(double t)
{
  const double end = sc_.exercise.duration;
  t = std::min(t, end);
  if (t >= now_()) {
    // also when t == now: commands applied at this instant are in the calendar at this instant
    sim_->advance_to(t);
    drain();
  }
  if (now_() >= end && state_ != ClockState::ended) {
    leaderboard("end", true);
    set_state(ClockState::ended, "duration reached");
  }
}

void ExerciseSession::Impl::clock_tick(double wall)
{
  if (state_ != ClockState::running || !std::isfinite(wall)) {
    last_wall_.reset();
    flush();
    return;
  }
  if (!last_wall_ || wall < *last_wall_) {
    last_wall_ = wall;
    return;
  }
  const double dt = wall - *last_wall_;
  last_wall_ = wall;
  advance(now_() + speed_ * dt);
  flush();
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

Reply ExerciseSession::Impl::handle(const Principal& who, const std::string& text)
{
  Reply reply;
  Json out;
  // what is due at this instant (e.g. the start of an action applied by the previous command) happens before this
  // command, exactly as in replay(), which advances to a command's time before applying it
  if (sim_ && state_ != ClockState::ended)
    advance(now_());
  ++in_handle_;
  const double accepted_at = now_();
  try {
    if (text.size() > opt_.max_command_bytes)
      fail("too-large", "a command is at most " + std::to_string(opt_.max_command_bytes) + " bytes; got " +
                            std::to_string(text.size()));
    Json cmd = Json::parse(text, nullptr, false);
    if (cmd.is_discarded() || !cmd.is_object())
      fail("bad-json", "a command is one JSON object such as {\"id\":\"1\",\"type\":\"clock\"}");
    if (cmd.contains("id")) {
      if (!cmd["id"].is_string() || cmd["id"].get<std::string>().size() > 128)
        fail("bad-command", "(/id) expected a string of at most 128 characters chosen by the client");
      reply.id = cmd["id"].get<std::string>();
    }
    bool changes = false;
    Json result = dispatch(who, cmd, changes);
    if (changes) {
      leaderboard("command", false);
      ++journal_index_;
      if (!reply.id.empty())
        applied_ids_.emplace(id_key(who, reply.id), journal_index_);
      if (!replaying_ && journal_)
        journal_(JournalCommand{journal_index_, accepted_at, who, cmd.dump()});
    }
    reply.ok = true;
    out["id"] = reply.id;
    out["ok"] = true;
    out["result"] = std::move(result);
  } catch (const CommandError& e) {
    reply.ok = false;
    reply.code = e.code;
    out = Json();
    out["id"] = reply.id;
    out["ok"] = false;
    out["error"] = {{"code", e.code}, {"message", e.message}};
  } catch (const std::exception& e) {
    // a defect, not bad input: answer rather than take the server down
    reply.ok = false;
    reply.code = "internal";
    out = Json();
    out["id"] = reply.id;
    out["ok"] = false;
    out["error"] = {{"code", "internal"}, {"message", e.what()}};
  }
  --in_handle_;
  flush();
  // never throws: a message may quote the command cut to a length, which can split a UTF-8 sequence (the drill
  // server calls this on its simulation thread; an exception there would stop the server)
  reply.json = out.dump(-1, ' ', false, Json::error_handler_t::replace);
  return reply;
}

namespace {

std::string string_field(const Json& cmd, const char* key, bool required)
{
  if (!cmd.contains(key)) {
    if (required)
      fail("bad-command", std::string("(/") + key + ") missing: this command needs \"" + key + "\"");
    return {};
  }
  if (!cmd[key].is_string() || (required && cmd[key].get<std::string>().empty()))
    fail("bad-command", std::string("(/") + key + ") expected a non-empty string; got " + cmd[key].dump());
  return cmd[key].get<std::string>();
}

} // namespace

Json ExerciseSession::Impl::dispatch(const Principal& who, const Json& cmd, bool& changes)
{
  const std::string type = string_field(cmd, "type", true);
  const CommandSpec* spec = nullptr;
  for (const auto& s : command_specs())
    if (type == s.type)
      spec = &s;
  if (!spec) {
    std::vector<std::string> names;
    for (const auto& s : command_specs())
      names.push_back(s.type);
    const std::string hint = did_you_mean(type, names);
    fail("unknown-command", "(/type) unknown command \"" + type + "\"" +
                                (hint.empty() ? std::string() : "; did you mean \"" + hint + "\"?"));
  }
  if (who.role == Role::player && !team_run(who.team))
    fail("forbidden", "principal is not a player team of this exercise");
  if (!allowed(*spec, who.role))
    fail("forbidden", std::string("a ") + to_string(who.role) + " may not send \"" + type + "\"");
  if (state_ == ClockState::ended && !spec->after_end)
    fail("bad-state", "the exercise has ended");
  if (who.role == Role::player && cmd.contains("team") && !(cmd["team"].is_string() && cmd["team"] == who.team))
    fail("forbidden", "(/team) a player team acts and reads only as itself");
  check_fields(cmd, *spec);
  player_view_ = who.role == Role::player;
  // a command id names one command: a client that sends it again (a resend after a lost reply) must not apply it
  // twice; ids are per principal, so teams cannot block each other's ids
  if (spec->changes && cmd.contains("id")) {
    auto it = applied_ids_.find(id_key(who, cmd["id"].get<std::string>()));
    if (it != applied_ids_.end())
      fail("duplicate", "(/id) command \"" + cmd["id"].get<std::string>().substr(0, 64) +
                            "\" was already applied (journal index " + std::to_string(it->second) +
                            "): it is not applied twice; give each new command a new id");
  }

  // the team a command acts for or reads: players their own, control names it
  auto team_of = [&](bool required) -> std::string {
    std::string t = string_field(cmd, "team", false);
    if (who.role == Role::player) {
      if (!t.empty() && t != who.team)
        fail("forbidden", "(/team) a player team acts and reads only as itself");
      return who.team;
    }
    if (t.empty()) {
      if (required)
        fail("bad-command", "(/team) missing: name the team this command is for");
      return {};
    }
    if (!team_run(t))
      fail("unknown-target", "(/team) no player team \"" + t + "\"");
    return t;
  };

  changes = spec->changes;
  const bool control = who.role == Role::controller || who.role == Role::evaluator;
  if (type == "clock")
    return clock_json(control);
  if (type == "snapshot")
    return Json::parse(snapshot_for(who));
  if (type == "leaderboard")
    return Json::parse(control ? fold_.leaderboard_json(now_(), false) : fold_.last_standings_json());
  if (type == "inbox")
    return Json::parse(fold_.inbox_json(team_of(true)));
  if (type == "alerts")
    return Json::parse(fold_.alerts_json(team_of(true)));
  if (type == "assets")
    return Json::parse(fold_.assets_json(team_of(true)));
  if (type == "scores")
    return Json::parse(fold_.scores_json(now_(), team_of(false), control));
  if (type == "truth")
    return Json::parse(fold_.truth_json(now_()));
  if (type == "msel")
    return Json::parse(fold_.msel_json());
  if (type == "start" || type == "pause" || type == "resume" || type == "speed" || type == "end")
    return cmd_clock_change(type, cmd);
  if (type == "step")
    return cmd_step(cmd);
  if (type == "inject_create")
    return cmd_inject_create(cmd);
  if (type.rfind("inject_", 0) == 0)
    return cmd_inject(type, cmd);
  if (type == "official_assessment")
    return cmd_assess("", cmd, true);
  if (type == "observe")
    return cmd_observe(who, cmd);
  if (type == "rate")
    return cmd_rate(who, cmd);
  if (type == "confirm")
    return cmd_confirm(cmd);
  const std::string team = team_of(true);
  if (type == "action")
    return cmd_action(team, cmd);
  if (type == "message")
    return cmd_message(team, cmd);
  if (type == "sitrep")
    return cmd_sitrep(team, cmd);
  if (type == "assess")
    return cmd_assess(team, cmd, false);
  return cmd_read(team, cmd);
}

Json ExerciseSession::Impl::cmd_clock_change(const std::string& type, const Json& cmd)
{
  if (type == "start") {
    if (state_ != ClockState::ready)
      fail("bad-state", std::string("start needs state ready; the exercise is ") + to_string(state_));
    set_state(ClockState::running, "start");
  } else if (type == "pause") {
    if (state_ != ClockState::running)
      fail("bad-state", std::string("pause needs state running; the exercise is ") + to_string(state_));
    set_state(ClockState::paused, "pause");
  } else if (type == "resume") {
    if (state_ != ClockState::paused)
      fail("bad-state", std::string("resume needs state paused; the exercise is ") + to_string(state_));
    set_state(ClockState::running, "resume");
  } else if (type == "speed") {
    if (!cmd.contains("speed") || !cmd["speed"].is_number() || !(cmd["speed"].get<double>() > 0) ||
        cmd["speed"].get<double>() > 1e6)
      fail("bad-command", "(/speed) expected a number of simulated seconds per wall second, > 0 and <= 1000000");
    speed_ = cmd["speed"].get<double>();
    last_wall_.reset();
    Json d = clock_json(false);
    d["reason"] = "speed";
    emit(RecordKind::exercise, RecordType::clock, "exercise:" + sc_.exercise.id, std::move(d), all());
  } else { // end
    leaderboard("end", true);
    set_state(ClockState::ended, "ended by the controller");
  }
  return clock_json(true);
}

Json ExerciseSession::Impl::cmd_step(const Json& cmd)
{
  const std::string to = string_field(cmd, "to", true);
  const double end = sc_.exercise.duration;
  if (to == "event") {
    const double t = sim_->next_event_time();
    advance(t < NEVER ? t : end);
  } else if (to == "inject") {
    const int before = deliveries_;
    while (deliveries_ == before && now_() < end) {
      const double t = sim_->next_event_time();
      const std::uint64_t processed = sim_->events_processed();
      advance(t < NEVER ? std::max(t, now_()) : end);
      if (sim_->events_processed() == processed && now_() < end && sim_->next_event_time() <= now_())
        fail("internal", "the engine does not process its events at " + std::to_string(now_()) + " s");
    }
  } else if (to == "move") {
    double next = NEVER;
    for (const auto& m : sc_.exercise.moves)
      if (m.offset > now_())
        next = std::min(next, m.offset);
    if (!(next < NEVER))
      fail("bad-state", "there is no move after the current time");
    advance(next);
  } else if (to == "time") {
    double t = NEVER;
    if (cmd.contains("time"))
      t = parse_time_field(cmd["time"], "time");
    else if (cmd.contains("by"))
      t = now_() + parse_time_field(cmd["by"], "by");
    else
      fail("bad-command", "(/time) step to a time needs \"time\" (from the exercise start) or \"by\" (from now)");
    if (t < now_())
      fail("bad-command",
           "(/time) the clock does not run backwards: the time is already " + std::to_string(round3(now_())) + " s");
    advance(t);
  } else {
    fail("bad-command", "(/to) expected \"event\", \"inject\", \"move\" or \"time\"; got \"" + to + "\"");
  }
  // every console's clock follows a step (a paused drill has no other clock record to move it)
  Json d = clock_json(false);
  d["reason"] = "step";
  emit(RecordKind::exercise, RecordType::clock, "exercise:" + sc_.exercise.id, std::move(d), all());
  return clock_json(true);
}

// ---------------------------------------------------------------------------------------------------------------
// Replay and snapshot

std::size_t ExerciseSession::Impl::replay(const std::vector<JournalCommand>& records, std::string* error)
{
  std::size_t applied = 0;
  for (const auto& r : records) {
    if (r.index <= journal_index_)
      continue;
    advance(r.time);
    replaying_ = true;
    Reply rep = handle(r.who, r.command);
    replaying_ = false;
    if (!rep.ok) {
      if (error)
        *error = "journal record " + std::to_string(r.index) + " was rejected on replay: " + rep.json;
      break;
    }
    journal_index_ = r.index;
    ++applied;
  }
  last_wall_.reset();
  flush();
  return applied;
}

std::string ExerciseSession::Impl::snapshot_for(const Principal& who) const
{
  // the state as the principal sees it, folded from the records (what a journal's Timeline shows at this time); the
  // White Cell's clock also says when the world next changes and the next inject is due
  Json j = Json::parse(fold_.to_json(now_(), who));
  j["seq"] = seq_;
  j["index"] = journal_index_;
  Json clock = clock_json(is_control(who));
  for (auto& [k, v] : clock.items())
    j["clock"][k] = v;
  return j.dump();
}

// ---------------------------------------------------------------------------------------------------------------
// Public face

ExerciseSession::ExerciseSession(const Scenario& scenario, ExerciseOptions options, RecordSink outgoing,
                                 CommandSink journal)
    : impl_(std::make_unique<Impl>(scenario, std::move(options), std::move(outgoing), std::move(journal)))
{
}
ExerciseSession::~ExerciseSession() = default;

Reply ExerciseSession::handle(const Principal& who, const std::string& command_json)
{
  return impl_->handle(who, command_json);
}
void ExerciseSession::clock_tick(double wall_now_seconds)
{
  impl_->clock_tick(wall_now_seconds);
}
std::size_t ExerciseSession::replay(const std::vector<JournalCommand>& records, std::string* error)
{
  return impl_->replay(records, error);
}
void ExerciseSession::advance_to(double t)
{
  if (impl_->state_ == ClockState::ended || !(t >= impl_->now_()))
    return;
  impl_->advance(t);
  impl_->last_wall_.reset();
  impl_->flush();
}
ClockState ExerciseSession::state() const
{
  return impl_->state_;
}
double ExerciseSession::now() const
{
  return impl_->now_();
}
double ExerciseSession::speed() const
{
  return impl_->speed_;
}
std::uint64_t ExerciseSession::last_seq() const
{
  return impl_->seq_;
}
std::uint64_t ExerciseSession::journal_index() const
{
  return impl_->journal_index_;
}
std::string ExerciseSession::snapshot_for(const Principal& who) const
{
  return impl_->snapshot_for(who);
}
const Simulation& ExerciseSession::simulation() const
{
  return *impl_->sim_;
}
int ExerciseSession::watch(const Trigger& trigger)
{
  Impl& m = *impl_;
  m.watched_.push_back(trigger); // a TriggerRun points into its trigger: the deque keeps it in place
  const int id = static_cast<int>(m.watched_.size() - 1);
  const int run = m.make_trigger(m.watched_.back(), TriggerRun::Owner::watch, id);
  m.watches_.push_back(run);
  m.activate(run);
  return id;
}
double ExerciseSession::watch_fired(int id) const
{
  if (id < 0 || static_cast<std::size_t>(id) >= impl_->watches_.size())
    return NEVER;
  return impl_->triggers_[static_cast<std::size_t>(impl_->watches_[static_cast<std::size_t>(id)])].fired_at;
}

} // namespace cyberex
