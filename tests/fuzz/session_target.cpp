/* Target "session": ExerciseSession::handle for every role, on the tutorial, as the drill server drives it.
 *
 * Input: lines; the first byte of a line picks who sends the rest of the line as one command:
 *   'c' controller, 'e' evaluator, 'o' observer, '1'..'9' the N-th player team, 'x' a player principal whose team is
 *   not a player team of the scenario, 't' not a command but a wall-clock tick: the rest is a number of wall seconds
 *   (clamped to [0, 3600]) added to the wall clock before ExerciseSession::clock_tick; any other byte picks a
 *   principal by its value.
 *
 * One SimGrid engine per process, never restarted: the session is built once (session_initialize) and every input
 * runs in a child process forked from it, so each input starts from the same fresh session (time 0, clock ready) and
 * a crash reproduces from its input alone. The child hands its coverage counters back to the parent through shared
 * memory, so libFuzzer sees what the child covered.
 *
 * Oracles, in the child: every reply is one JSON object whose "ok" is Reply::ok and never the "internal" error (a
 * defect); every record is a JSON object with its seq; the journal the child writes as the server does (header,
 * commands, records, end line) is read back by read_journal with as many commands and records; snapshot_for gives
 * a JSON object for every principal. Then a second child replays that journal on the fresh session (replay(), then
 * replay_tail(), as `cyberex replay --verify` and the server's recovery do) and every record it emits must equal the
 * journal's, byte for byte: the same commands at the same simulated times give the same exercise. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/exercise.hpp"
#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>

namespace cyberex::fuzz {
namespace {

/// What one input produced, in the child.
struct Run {
  JournalWriter writer;
  std::uint64_t commands = 0;
  std::uint64_t records = 0;
};

struct World {
  Scenario scenario;
  std::vector<Principal> principals; ///< controller, evaluator, observer, player teams, an outsider
  std::string journal_path;
  std::unique_ptr<ExerciseSession> session;
  std::vector<Record> initial_records;             ///< what the session emitted while it was built (before any input)
  Run* run = nullptr;                              ///< the child's, while it runs an input
  std::function<void(const Record&)> replay_check; ///< the replaying child's check of each record
};

World* world = nullptr;

const Principal* principal_for(char selector)
{
  const auto& p = world->principals;
  const std::size_t players = p.size() - 4; // controller, evaluator, observer ... outsider
  switch (selector) {
  case 'c':
    return &p[0];
  case 'e':
    return &p[1];
  case 'o':
    return &p[2];
  case 'x':
    return &p.back();
  default:
    break;
  }
  if (selector >= '1' && selector <= '9' && static_cast<std::size_t>(selector - '1') < players)
    return &p[3 + static_cast<std::size_t>(selector - '1')];
  return &p[static_cast<unsigned char>(selector) % p.size()];
}

void check_reply(const Principal& who, const std::string& command, const Reply& r)
{
  const auto j = nlohmann::json::parse(r.json, nullptr, false);
  const std::string context = std::string(" (") + to_string(who.role) + (who.team.empty() ? "" : ":" + who.team) +
                              " sent " + command.substr(0, 300) + ")";
  check(!j.is_discarded() && j.is_object(), "a reply that is not one JSON object: " + r.json + context);
  check(j.contains("ok") && j["ok"].is_boolean() && j["ok"].get<bool>() == r.ok,
        "a reply whose \"ok\" is not Reply::ok: " + r.json + context);
  check(r.code != "internal", "an internal error (a defect): " + r.json + context);
  check(r.ok == r.code.empty(), "a reply with ok and an error code, or an error without code: " + r.json + context);
}

/// Runs one input against the session (in the child).
void run_input(const std::uint8_t* data, std::size_t size)
{
  ExerciseSession& session = *world->session;
  Run run;
  world->run = &run;
  JournalHeader header;
  header.scenario = "scenarios/tutorial/tutorial.json";
  header.scenario_hash = "fnv1a64:0000000000000000";
  header.seed = world->scenario.exercise.seed;
  header.version = "fuzz";
  header.origin = "serve";
  if (!run.writer.create(world->journal_path, header))
    fail("cannot write the journal: " + run.writer.error());
  for (const Record& o : world->initial_records)
    if (!run.writer.record(o))
      fail("cannot write the journal: " + run.writer.error());
  run.records = world->initial_records.size();

  const std::string text(reinterpret_cast<const char*>(data), size);
  double wall = 1000;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty())
      continue;
    if (line[0] == 't') {
      const double dt = std::strtod(line.c_str() + 1, nullptr);
      wall += std::isfinite(dt) ? std::clamp(dt, 0.0, 3600.0) : 0.0;
      session.clock_tick(wall);
      continue;
    }
    const Principal& who = *principal_for(line[0]);
    const std::string command = line.substr(1);
    check_reply(who, command, session.handle(who, command));
  }
  for (const Principal& p : world->principals)
    check(is_json_object(session.snapshot_for(p)),
          std::string("snapshot_for a ") + to_string(p.role) + ": not one JSON object");

  JournalEnd end;
  end.time = session.now();
  end.seq = session.last_seq();
  end.index = session.journal_index();
  end.state = to_string(session.state());
  if (!run.writer.end(end))
    fail("cannot write the journal: " + run.writer.error());
  run.writer.close();
  world->run = nullptr;
  check(end.seq == run.records && end.index == run.commands,
        "last_seq()/journal_index() differ from the records and commands the sinks received");
  std::string error;
  auto journal = read_journal(world->journal_path, &error);
  check(journal.has_value(), "read_journal rejects the journal the session produced: " + error);
  check(journal->commands.size() == run.commands && journal->records.size() == run.records && journal->end,
        "read_journal reads back a different number of commands or records, or no end line");
}

/// Replays the journal the previous child wrote on a fresh session (in a second child) and compares every record it
/// emits with the journal's, byte for byte: what `cyberex replay --verify` and the server's recovery rely on.
void replay_journal()
{
  std::string error;
  auto journal = read_journal(world->journal_path, &error);
  check(journal.has_value(), "read_journal: " + error);
  // what the first child wrote, on stderr for whoever triages a failure below
  if (std::getenv("CYBEREX_FUZZ_SHOW_JOURNAL")) {
    std::ifstream in(world->journal_path);
    std::ostringstream text;
    text << in.rdbuf();
    std::fprintf(stderr, "--- journal of the input:\n%s---\n", text.str().c_str());
  }
  ExerciseSession& session = *world->session;
  const std::size_t initial = world->initial_records.size();
  std::size_t compared = initial;
  Run run;
  world->run = &run;
  world->replay_check = [&](const Record& r) {
    check(r.seq <= journal->records.size(),
          "the replay produces record " + std::to_string(r.seq) + " after the journal's last: " + r.json);
    check(journal_record_line(r) == journal_record_line(journal->records[r.seq - 1]),
          "replayed record " + std::to_string(r.seq) + " differs:\n  journal: " +
              journal_record_line(journal->records[r.seq - 1]) + "  replay:  " + journal_record_line(r));
    compared = r.seq;
  };
  for (std::size_t i = 0; i < journal->commands.size(); ++i) {
    error.clear();
    check(session.replay({journal->commands[i]}, &error) == 1, "command " + std::to_string(i + 1) +
                                                                   " of the journal is rejected on replay: " + error +
                                                                   " (" + journal->commands[i].to_json() + ")");
  }
  replay_tail(session, *journal);
  check(compared == journal->records.size(), "the replay stops (at " + std::to_string(session.now()) +
                                                 " s) before record " + std::to_string(compared + 1) + " of " +
                                                 std::to_string(journal->records.size()));
  world->run = nullptr;
}

} // namespace

void session_initialize()
{
  if (world)
    return;
  static World w;
  LoadResult r = load_scenario(tutorial_path());
  if (!r.ok())
    fail("the tutorial scenario does not load");
  w.scenario = std::move(*r.scenario);
  w.principals = ExerciseSession::principals(w.scenario);
  w.principals.push_back({Role::player, "white-cell"});
  world = &w; // the sinks below run during the construction already
  static ScratchFile journal(".jsonl");
  w.journal_path = journal.path();
  auto on_record = [](const Record& o) {
    if (!world->run) {
      world->initial_records.push_back(o);
      return;
    }
    if (world->replay_check) {
      world->replay_check(o);
      return;
    }
    ++world->run->records;
    check(o.seq == world->run->records, "records must be numbered 1, 2, 3...");
    check(is_json_object(o.json), "a record that is not one JSON object: " + o.json);
    check(std::is_sorted(o.audience.teams.begin(), o.audience.teams.end()), "a record audience not sorted");
    if (!world->run->writer.record(o))
      fail("cannot write the journal: " + world->run->writer.error());
  };
  auto on_command = [](const JournalCommand& c) {
    if (!world->run)
      return;
    ++world->run->commands;
    check(c.index == world->run->commands, "journaled commands must be numbered 1, 2, 3...");
    if (!world->run->writer.command(c))
      fail("cannot write the journal: " + world->run->writer.error());
  };
  w.session = std::make_unique<ExerciseSession>(w.scenario, cli_exercise_options(), on_record, on_command);
  // Every transfer is an actor, and each actor's stack (8 MiB by default) is calloc'ed: under ASan, in a child forked
  // per input, those pages cost most of an input's time. The actors' call depth is small.
  simgrid::s4u::Engine::set_config("contexts/stack-size:256");
}

int session_run(const std::uint8_t* data, std::size_t size)
{
  if (!world)
    session_initialize();
  in_child([&] { run_input(data, size); }, "session: running the input");
  in_child(replay_journal, "session: replaying its journal");
  return 0;
}

} // namespace cyberex::fuzz
