/* The exercise session: the clock, the dynamic MSEL, team play and scoring on top of one Simulation, driven by JSON
 * commands from principals (controller, evaluator, player teams, observers). One schema for the CLI's scripted
 * play, the GUI and the network server: see docs/protocol.md.
 *
 * Threading: like the Simulation it owns, a session is created, driven (handle, clock_tick, replay) and destroyed on
 * one thread. One session per process (one Simulation per process). Sinks are called synchronously on that thread.
 *
 * Determinism: the session's own timers (inject releases, expectation deadlines, expiries, leaderboard ticks) run in
 * the engine's calendar, so the outcome depends only on the scenario, the seed and the accepted commands with their
 * simulated times (which the journal records), never on how the wall clock sliced the run. */
#pragma once

#include "cyberex/engine.hpp"
#include "cyberex/model.hpp"
#include "cyberex/record.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cyberex {

/// The answer to one command: JSON {"id":..., "ok":true, "result":{...}} or {"id":..., "ok":false,
/// "error":{"code":"forbidden", "message":"..."}}. `id` echoes the command's "id" (empty if it had none).
struct Reply {
  bool ok = false;
  std::string id;
  std::string code; ///< error code when !ok: bad-json, bad-command, unknown-command, forbidden, unknown-target,
                    ///< not-owner, unknown-indicator, bad-state, not-found, too-large (see docs/protocol.md)
  std::string json;
};

/// An accepted command that changed the exercise, as the journal keeps it. Read-only commands (queries) are answered
/// but not journaled: they change nothing.
struct JournalCommand {
  std::uint64_t index = 0; ///< 1, 2, 3... accepted state-changing commands
  double time = 0;         ///< simulated time at which the command was applied
  Principal who;
  std::string command; ///< the command JSON as received (one object, no newline)

  /// One JSON Lines record: {"index":N,"time":T,"role":"player","team":"x","command":{...}}
  std::string to_json() const;
  /// Parse a to_json() line; on failure returns nullopt and sets *error (if given) to what is wrong.
  static std::optional<JournalCommand> from_json(const std::string& line, std::string* error = nullptr);
};

enum class ClockState { ready, running, paused, ended };
const char* to_string(ClockState s);

struct ExerciseOptions {
  SimulationOptions simulation; ///< seed (default: the scenario's), technique→tactics, engine tuning
  double speed = 1;             ///< simulated seconds per wall second while running
  double leaderboard_interval =
      3600; ///< a leaderboard record at least this often (simulated seconds; 0: only on change)
  std::size_t max_command_bytes = 64u << 10; ///< larger commands are rejected with "too-large"
  /// Also called with every world event as the engine emits it, before the session records it (what
  /// `cyberex run --events` writes); may be empty.
  Simulation::EventSink world_events;
};

/// A live exercise over one Simulation.
class ExerciseSession {
public:
  using RecordSink = std::function<void(const Record&)>;
  /// Called with every accepted state-changing command BEFORE handle() returns its reply, so a server can make it
  /// durable (write + fsync) before acknowledging. Not called for commands re-applied by replay().
  using CommandSink = std::function<void(const JournalCommand&)>;

  /// Builds the Simulation (aborts if one already existed in this process). State ready, time 0.
  ExerciseSession(const Scenario& scenario, ExerciseOptions options = {}, RecordSink records = {},
                  CommandSink journal = {});
  ~ExerciseSession();
  ExerciseSession(const ExerciseSession&) = delete;
  ExerciseSession& operator=(const ExerciseSession&) = delete;

  /// Check, apply and answer one command (JSON text) from `who`. Never throws on bad input: errors are replies.
  Reply handle(const Principal& who, const std::string& command_json);

  /// Wall-clock driver: while running, advance simulated time by speed × (wall_now - previous tick), stopping at the
  /// exercise duration (state ended). The first tick after start/resume/replay only sets the reference. Call it from
  /// the thread that owns the session, as often as you like (e.g. every 50 ms).
  void clock_tick(double wall_now_seconds);

  /// Re-apply journaled commands in order, each at its recorded simulated time (advancing the world there first),
  /// without calling the CommandSink. Records already applied (index <= journal_index()) are skipped. Returns the
  /// number applied; a record that is rejected now (a different scenario or seed) stops the replay and is reported
  /// in *error.
  std::size_t replay(const std::vector<JournalCommand>& records, std::string* error = nullptr);

  /// Headless driver (cyberex play, replay, recovery): advance simulated time to min(t, duration) whatever the clock
  /// state, as replay() does between journaled commands (t == now() processes what is due now); the exercise ends at
  /// its duration. No effect if t < now() or the exercise has ended.
  void advance_to(double t);

  ClockState state() const;
  double now() const; ///< simulated seconds since the exercise start
  double speed() const;
  std::uint64_t last_seq() const;      ///< seq of the last Record record emitted (0: none yet)
  std::uint64_t journal_index() const; ///< index of the last journaled (or replayed) command

  /// Everything `who` may see now, as one JSON object: clock, its inbox/alerts/assets (player), all teams and ground
  /// truth (control), leaderboard, and "seq" (last_seq()) so a client can follow the stream from there.
  std::string snapshot_for(const Principal& who) const;

  /// The principals a scenario offers: one controller, one evaluator, one observer, one per player team (in the
  /// scenario's team order). A server issues one credential per entry.
  static std::vector<Principal> principals(const Scenario& scenario);

  const Simulation& simulation() const;

  /// Watch a trigger (the MSEL's grammar, checked by the caller) without any effect on the exercise: it emits nothing
  /// and journals nothing, so an exercise played with watches writes the journal it writes without them. The trigger
  /// is active from now: a condition that already holds fires at once (docs/scenario-format.md, "Triggers"). Returns
  /// its id for watch_fired(). cyberex's conditional responses (play_exercise) are built on it.
  int watch(const Trigger& trigger);
  /// When watch `id` fired (simulated seconds), NEVER while it has not.
  double watch_fired(int id) const;

  class Impl;

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace cyberex
