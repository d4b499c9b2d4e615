/* Headless play of a whole exercise with scripted commands, journaled (cyberex play; the what-if reuses it). */
#include "cyberex/attack_catalog.hpp"
#include "cyberex/journal.hpp"
#include "scenario/units.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

namespace cyberex {

namespace {

using Json = nlohmann::ordered_json;

std::optional<double> parse_at(const Json& v)
{
  if (v.is_number()) {
    const double x = v.get<double>();
    if (std::isfinite(x) && x >= 0)
      return x;
    return std::nullopt;
  }
  if (v.is_string())
    return units::parse(units::Quantity::inject_time, v.get<std::string>());
  return std::nullopt;
}

/// 1h10m00s: a response's time as messages name it
std::string format_delay(double seconds)
{
  const long t = std::lround(seconds);
  char at[48];
  std::snprintf(at, sizeof at, "%ldh%02ldm%02lds", t / 3600, (t / 60) % 60, t % 60);
  return at;
}

} // namespace

ExerciseOptions cli_exercise_options(std::string* warning)
{
  ExerciseOptions eo;
  try {
    const AttackCatalog* catalog = &AttackCatalog::shipped();
    eo.simulation.technique_tactics = [catalog](const std::string& id) { return catalog->tactics_of(id); };
  } catch (const std::exception& e) {
    if (warning)
      *warning = std::string("no ATT&CK catalog (") + e.what() + "); sensors match technique ids only";
  }
  return eo;
}

std::optional<std::vector<ScriptedCommand>> read_script(const std::string& path, std::string* error)
{
  auto fail = [&](const std::string& m) -> std::optional<std::vector<ScriptedCommand>> {
    if (error)
      *error = m;
    return std::nullopt;
  };
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(path + ": cannot read the script");
  std::vector<ScriptedCommand> out;
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos)
      continue;
    const std::string where = path + ":" + std::to_string(line_no);
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return fail(where + ": expected one JSON object per line: {\"at\":\"1h10m\",\"as\":\"player:TEAM\","
                          "\"command\":{...}}");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it.key() != "at" && it.key() != "as" && it.key() != "command")
        return fail(where + ": (/" + it.key() + ") unknown key; expected \"at\", \"as\" and \"command\"");
    ScriptedCommand c;
    c.where = where;
    if (!j.contains("at"))
      return fail(where + ": (/at) missing: the simulated time of the command, e.g. \"1h10m\" or 4200");
    auto at = parse_at(j["at"]);
    if (!at)
      return fail(where + ": (/at) expected seconds >= 0 or " + units::expected(units::Quantity::inject_time) +
                  "; got " + j["at"].dump());
    c.at = *at;
    if (!j.contains("as") || !j["as"].is_string())
      return fail(where + ": (/as) expected \"controller\", \"evaluator\", \"observer\" or \"player:TEAM\"");
    const std::string as = j["as"].get<std::string>();
    if (auto who = principal_from_label(as)) {
      c.who = *who;
    } else {
      return fail(where + ": (/as) expected \"controller\", \"evaluator\", \"observer\" or \"player:TEAM\"; got \"" +
                  as + "\"");
    }
    if (!j.contains("command") || !j["command"].is_object())
      return fail(where + ": (/command) expected a protocol command object such as {\"type\":\"action\",...}");
    c.command = j["command"].dump();
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<ScriptedCommand> responses_to_commands(const std::vector<Command>& responses, const Scenario& scenario,
                                                   const std::string& file)
{
  std::set<std::string> players;
  for (const auto& t : scenario.teams)
    if (t.role == TeamRole::player)
      players.insert(t.id);
  std::vector<ScriptedCommand> out;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    const Command& r = responses[i];
    Json cmd;
    cmd["id"] = "play-" + std::to_string(i + 1);
    std::vector<std::string> to;
    for (const auto& t : r.to)
      if (players.count(t) && t != r.team)
        to.push_back(t);
    if ((r.action == "share" || r.action == "communicate") && !to.empty()) {
      cmd["type"] = "message";
      cmd["to"] = to;
      if (!r.text.empty())
        cmd["text"] = r.text;
      if (!r.indicators.empty())
        cmd["indicators"] = r.indicators;
    } else if (r.action == "report" || r.action == "share" || r.action == "communicate") {
      cmd["type"] = "sitrep";
      cmd["text"] = r.text.empty() ? std::string("situation report") : r.text;
    } else {
      cmd["type"] = "action";
      cmd["action"] = r.action;
      for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"target", &r.target},
                                       {"indicator", &r.indicator},
                                       {"vulnerability", &r.vulnerability},
                                       {"service", &r.service},
                                       {"text", &r.text},
                                       {"kind", &r.kind},
                                       {"mode", &r.mode}})
        if (!value->empty())
          cmd[key] = *value;
    }
    ScriptedCommand c;
    c.at = r.time;
    c.who = {Role::player, r.team};
    if (r.when) {
      // a conditional response: its own id prefix, named by its place in the file (it has no time there)
      cmd["id"] = "when-" + std::to_string(i + 1);
      c.when = r.when;
      c.after = r.after;
      std::string ptr = r.when->pointer;
      if (ptr.size() > 5 && ptr.compare(ptr.size() - 5, 5, "/when") == 0)
        ptr.resize(ptr.size() - 5);
      c.where = file + ": response " + ptr + " (" + r.team + " " + r.action + ", " + format_delay(r.after) +
                " after its trigger)";
    } else {
      // responses are sorted by time: name the one at fault by its time, which is what the file shows
      c.where = file + ": response at " + format_delay(r.time) + " (" + r.team + " " + r.action + ")";
    }
    c.command = cmd.dump();
    out.push_back(std::move(c));
  }
  return out;
}

// Conditional responses ("when" + "after"): each trigger is watched from the start (a watch changes nothing in the
// exercise); once it has fired at f, the response is issued at f + after exactly as a timed one at that time would be:
// the world advanced to that instant, then the command handled. Its journal line is an ordinary command, so verify
// and replay reproduce the exercise without knowing it was conditional. To stop at f + after before the world passes
// it, the world advances in steps no longer than the shortest `after` of the responses still waiting (at least 1 s):
// a trigger that fires within a step is due no earlier than the step's end. Steps do not change the world.
ConditionalPlay::ConditionalPlay(ExerciseSession& session, const std::vector<ScriptedCommand>& commands,
                                 std::function<void(double)> advance)
    : session_(session), advance_(std::move(advance))
{
  if (!advance_)
    advance_ = [this](double t) { session_.advance_to(t); };
  for (const ScriptedCommand& c : commands)
    if (c.when) {
      Waiting w;
      w.command = c;
      w.watch = session_.watch(*c.when);
      waiting_.push_back(std::move(w));
    }
}

void ConditionalPlay::collect()
{
  std::vector<std::size_t> fired;
  for (std::size_t k = 0; k < waiting_.size(); ++k)
    if (!(waiting_[k].fired < NEVER)) {
      const double f = session_.watch_fired(waiting_[k].watch);
      if (f < NEVER) {
        waiting_[k].fired = f;
        waiting_[k].due = f + waiting_[k].command.after;
        fired.push_back(k);
      }
    }
  std::stable_sort(fired.begin(), fired.end(),
                   [&](std::size_t a, std::size_t b) { return waiting_[a].fired < waiting_[b].fired; });
  for (std::size_t k : fired)
    waiting_[k].order = fired_++;
}

void ConditionalPlay::run_to(double t, bool inclusive, std::vector<std::string>& rejected)
{
  for (;;) {
    collect();
    Waiting* next = nullptr;
    for (Waiting& w : waiting_)
      if (w.fired < NEVER && !w.issued && (w.due < t || (inclusive && w.due == t)) &&
          (!next || w.due < next->due || (w.due == next->due && w.order < next->order)))
        next = &w;
    const double goal = next ? next->due : t;
    if (session_.now() < goal && session_.state() != ClockState::ended) {
      double stop = goal;
      for (const Waiting& w : waiting_)
        if (!(w.fired < NEVER))
          stop = std::min(stop, session_.now() + w.command.after);
      advance_(stop);
      continue; // a trigger may have fired on the way, due before the goal
    }
    if (!next)
      return;
    next->issued = true;
    const Reply r = session_.handle(next->command.who, next->command.command);
    if (!r.ok)
      rejected.push_back(next->command.where + ": rejected: " + r.json);
  }
}

void ConditionalPlay::skip_due_before(double t)
{
  collect();
  for (Waiting& w : waiting_)
    if (w.fired < NEVER && w.due < t)
      w.issued = true;
}

std::vector<std::string> ConditionalPlay::not_issued(double end) const
{
  std::vector<std::string> out;
  for (const Waiting& w : waiting_)
    if (!(w.fired < NEVER))
      out.push_back(w.command.where + ": not triggered");
    else if (!w.issued)
      out.push_back(w.command.where + ": triggered at " + format_delay(w.fired) + ", due at " + format_delay(w.due) +
                    ", after the end (" + format_delay(end) + ")");
  return out;
}

PlayOutcome play_exercise(const Scenario& scenario, const PlayOptions& options, std::vector<ScriptedCommand> script)
{
  PlayOutcome out;
  std::stable_sort(script.begin(), script.end(),
                   [](const ScriptedCommand& a, const ScriptedCommand& b) { return a.at < b.at; });
  JournalWriter writer;
  const bool journaled = !options.journal.empty();
  if (journaled) {
    JournalHeader h;
    h.scenario = options.scenario_path;
    h.scenario_hash = file_hash(options.scenario_path).value_or("");
    h.files = scenario_fingerprint(scenario);
    h.seed = options.exercise.simulation.seed.value_or(scenario.exercise.seed);
    h.version = CYBEREX_VERSION;
    h.origin = "play";
    h.speed = options.exercise.speed;
    if (h.scenario_hash.empty()) {
      out.error = options.scenario_path + ": cannot read the scenario file to hash it";
      return out;
    }
    if (!options.key.empty())
      writer.use_key_from(options.key);
    if (!writer.create(options.journal, h, true)) {
      out.error = writer.error();
      return out;
    }
  }
  bool write_failed = false;
  auto on_record = [&](const Record& r) {
    ++out.records;
    if (options.on_record)
      options.on_record(r);
    if (journaled && !writer.record(r))
      write_failed = true;
  };
  auto on_command = [&](const JournalCommand& c) {
    ++out.commands;
    if (journaled && !writer.command(c))
      write_failed = true;
  };
  ExerciseSession session(scenario, options.exercise, on_record, on_command);
  const Principal controller{Role::controller, ""};

  const double duration = scenario.exercise.duration;
  const double end = std::min(options.until.value_or(duration), duration);
  double next_progress = 3600;
  auto run_to = [&](double t) {
    while (options.progress && next_progress < t) {
      session.advance_to(next_progress);
      options.progress(session.now());
      next_progress += 3600;
    }
    session.advance_to(t);
  };

  session.handle(controller, "{\"id\":\"play-start\",\"type\":\"start\"}");

  // timed commands at their times; conditional ones (ScriptedCommand::when) at their trigger's time + after, issued
  // by ConditionalPlay on the way
  ConditionalPlay conditional(session, script, run_to);
  for (const ScriptedCommand& c : script) {
    if (c.when)
      continue;
    // a command after --until is not reached; one at or after the exercise's end reaches a session that has ended,
    // which refuses it (it is reported, as any refused command: never silently dropped)
    if (c.at > end && end < duration)
      break;
    conditional.run_to(std::min(c.at, duration), false, out.rejected);
    const Reply r = session.handle(c.who, c.command);
    if (!r.ok)
      out.rejected.push_back(c.where + ": rejected: " + r.json);
  }
  conditional.run_to(end, true, out.rejected);
  out.not_issued = conditional.not_issued(end);
  out.time = session.now();
  out.state = session.state();
  out.final_kpis = session.simulation().kpis();
  out.kpis = kpis_to_json(out.final_kpis);
  std::vector<Principal> everyone{{Role::controller, ""}, {Role::evaluator, ""}, {Role::observer, ""}};
  for (const auto& t : scenario.teams)
    if (t.role == TeamRole::player)
      everyone.push_back({Role::player, t.id});
  for (const Principal& p : everyone)
    out.snapshots.emplace_back(principal_label(p), session.snapshot_for(p));
  const Reply board = session.handle(controller, "{\"type\":\"leaderboard\"}");
  Json b = Json::parse(board.json, nullptr, false);
  out.leaderboard = b.is_object() && b.contains("result") ? b["result"].dump() : "{}";
  if (journaled) {
    JournalEnd e;
    e.time = session.now();
    e.seq = session.last_seq();
    e.index = session.journal_index();
    e.state = to_string(session.state());
    if (!writer.end(e) || !writer.flush())
      write_failed = true;
    writer.close();
  }
  if (write_failed) {
    out.error = writer.error();
    return out;
  }
  out.ok = true;
  return out;
}

} // namespace cyberex

namespace cyberex {

void replay_tail(ExerciseSession& session, const JournalContents& journal)
{
  if (journal.end) {
    // Stopped at the last command's instant: what that command made due at once (an action's start) was emitted
    // only if something ran at that instant before the end (a query does): the journal's records say which.
    if (journal.end->time > session.now() || session.last_seq() < journal.records.size())
      session.advance_to(journal.end->time);
    return;
  }
  if (!journal.records.empty()) {
    // records carry their time with 3 decimals: the events the last one rounds are at most 0.5 ms later
    const double limit = journal.records.back().time + 0.0005;
    while (session.last_seq() < journal.records.size() && session.state() != ClockState::ended) {
      const double next = session.simulation().next_event_time();
      if (!(next <= limit))
        break;
      const std::uint64_t before = session.simulation().events_processed();
      session.advance_to(std::max(next, session.now()));
      if (session.simulation().events_processed() == before)
        break;
    }
  }
  // a quiet period after the last record: the server reached the mark's time (exact) with nothing to record
  if (journal.mark && journal.mark->time > session.now())
    session.advance_to(journal.mark->time);
}

std::string mark_difference(const std::string& path, const JournalContents& journal, std::uint64_t last_seq)
{
  const auto& m = journal.mark;
  if (!m || journal.end || m->seq != journal.records.size() || m->index != journal.commands.size() ||
      last_seq <= m->seq)
    return {};
  return path + ":" + std::to_string(journal.mark_line) + ": the replay produces record " + std::to_string(m->seq + 1) +
         " by the mark's time " + Json(m->time).dump() + " s; the mark says the last record then was " +
         std::to_string(m->seq);
}

VerifyOutcome verify_journal(const std::string& path, const JournalContents& journal, const Scenario& scenario,
                             ExerciseOptions options)
{
  VerifyOutcome out;
  options.simulation.seed = journal.header.seed;
  options.speed = journal.header.speed;
  const auto& records = journal.records;
  auto where = [&](std::uint64_t seq) { return path + ":" + std::to_string(journal.record_lines[seq - 1]) + ": "; };
  auto on_record = [&](const Record& r) {
    if (!out.difference.empty())
      return;
    std::string replayed = journal_record_line(r);
    replayed.pop_back();
    if (r.seq > records.size()) {
      if (journal.end)
        out.difference = path + ": the replay produces record " + std::to_string(r.seq) +
                         " after the journal's last (" + std::to_string(records.size()) + "):\n  replay:  " + replayed;
      return;
    }
    std::string recorded = journal_record_line(records[r.seq - 1]);
    recorded.pop_back();
    if (recorded != replayed) {
      out.difference = where(r.seq) + "record " + std::to_string(r.seq) + " differs:\n  journal: " + recorded +
                       "\n  replay:  " + replayed;
      return;
    }
    ++out.compared;
  };
  ExerciseSession session(scenario, options, on_record, {});
  for (std::size_t i = 0; i < journal.commands.size() && out.difference.empty(); ++i) {
    std::string error;
    if (session.replay({journal.commands[i]}, &error) != 1) {
      out.difference = path + ":" + std::to_string(journal.command_lines[i]) + ": " + error;
      break;
    }
    ++out.replayed;
  }
  if (!out.difference.empty())
    return out;
  replay_tail(session, journal);
  if (out.difference.empty())
    out.difference = mark_difference(path, journal, session.last_seq());
  if (out.difference.empty() && out.compared < records.size())
    out.difference = where(out.compared + 1) + "the replay stops (at " + std::to_string(session.now()) +
                     " s) before record " + std::to_string(out.compared + 1);
  return out;
}

} // namespace cyberex
