/* The simulation engine: the scenario's world on SimGrid, driven from outside.
 *
 * One Simulation per process, ever (SimGrid allows one engine per process and cannot restart it): a second run, a
 * rewind or a what-if is a new process (fork after advance_to(), or a re-run from recorded commands). The
 * Simulation must be created, advanced and destroyed on one thread. SimGrid types never appear here (pimpl). */
#pragma once

#include "cyberex/diagnostic.hpp"
#include "cyberex/exercise_state.hpp"
#include "cyberex/model.hpp"
#include "cyberex/record.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cyberex {

/// One change of the world. `details` is a JSON object text with keys in a fixed order (see docs/events.md).
struct Event {
  double time = 0;                           ///< simulated seconds since the exercise start
  std::uint64_t seq = 0;                     ///< 1, 2, 3... in emission order: breaks ties at equal time
  RecordType type = RecordType::node_status; ///< a world event type (docs/events.md)
  std::string subject;                       ///< "node:ID", "campaign:ID", "service:ID", "grid:ID", "team:ID", ...
  std::string details = "{}";

  /// One JSON Lines record: {"time":12.000,"seq":3,"type":"...","subject":"...","details":{...}}
  std::string to_json() const;
};

/// A team's action (or a White Cell command) as written in --play files and sent by clients.
struct Command {
  double time = 0;             ///< when it is issued; earlier than now() means now
  std::string team;            ///< team id
  std::string action;          ///< an ActionType name: isolate, reconnect, block, patch, reset_credentials, restore,
                               ///< manual_operations, shutdown_service, restore_service, share, report, communicate,
                               ///< public_statement, close_breaker, refuel, filter_ddos, stop_filtering
  std::string target;          ///< selector ("node:x", "site:y", "kind:plc site:y", ...); refuel: "dependency:ID"
                               ///< or the dependent ("service:x", "node:x"); filter_ddos: also "service:x"
  std::string indicator;       ///< block: indicator id; filter_ddos: only the botnets carrying it (optional)
  std::string vulnerability;   ///< patch: vulnerability id
  std::string service;         ///< shutdown_service / restore_service: service id ("service:x" in target also works)
  std::vector<std::string> to; ///< share / communicate / report: receiving team ids
  std::vector<std::string> indicators; ///< share: indicator ids
  std::string text;
  std::string kind; ///< public_statement: press_statement or public_advisory
  std::string mode; ///< filter_ddos: scrubbing or blackhole; empty: the action's mode in the scenario
  /// A conditional response (a --play file's "when"): issued `after` seconds after this trigger fires, once, instead of
  /// at `time`; only the exercise session's play (play_exercise) watches triggers, Simulation::apply ignores it.
  std::optional<Trigger> when;
  double after = 0;
};

/// What apply() says about a command: accepted (it takes effect at `effective_time` + the action's duration) or
/// rejected with a message that says what was wrong.
struct CommandResult {
  bool ok = false;
  std::string error;
  double effective_time = 0;
};

/// Ground truth about one node, for tests, the White Cell and the GUI.
struct NodeView {
  bool compromised = false;
  Access privilege = Access::none;
  bool isolated = false;
  bool down = false;     ///< offline (shutdown, restore in progress)
  bool failed = false;   ///< down, isolated, tripped, shed or failed through a dependency
  double output_mw = 0;  ///< generation unit: MW it delivers now
  bool energised = true; ///< substation: serving its load
};

/// How a botnet's flood is given to SimGrid's max-min sharing (docs/engine.md, "Botnets"). Both give the same shares.
enum class FloodModel {
  aggregated, ///< one flow pair per wave and attach node, weighted as its bots: cost independent of the bot count
  per_flow,   ///< one flow pair per bot: the reference the aggregated model is tested against
};

struct SimulationOptions {
  std::optional<std::uint64_t> seed; ///< default: the scenario's exercise.seed
  /// ATT&CK tactics (shortnames) of a technique id, for sensors that detect tactics. Empty function: sensors match
  /// technique ids and the step's own `tactic` only. The CLI passes the shipped catalog.
  std::function<std::vector<std::string>(const std::string&)> technique_tactics;
  FloodModel flood = FloodModel::aggregated;
  double recheck_interval = 600; ///< a campaign waiting for a reachable target re-checks this often (seconds)
  double progress_interval = 60; ///< exfiltration progress events this often (seconds)
  /// Every probe as two SimGrid transfers. Default: a probe whose path carries no other engine flow is timed in
  /// closed form (what SimGrid gives a lone flow: latency + bytes / narrowest bandwidth, each way); see docs/engine.md.
  bool exact_probes = false;
};

/// The world of a scenario on one SimGrid engine.
class Simulation {
public:
  using EventSink = std::function<void(const Event&)>;
  /// A calendar handler: called by the scheduler at its time with the two words given to schedule().
  using Handler = void (*)(Simulation&, std::uint64_t a, std::uint64_t b);

  /// Builds the platform and the world; aborts with a clear message if a Simulation already existed in this process.
  Simulation(const Scenario& scenario, SimulationOptions options = {}, EventSink sink = {});
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// Current simulated time (seconds).
  double now() const;
  /// Process everything up to and including time t (finite, >= now()); the clock then reads t.
  void advance_to(double t);
  /// Advance to the next calendar time and process its events; false when the calendar is empty.
  bool step();
  /// Time of the next calendar event, NEVER if none.
  double next_event_time() const;
  /// Validate a command and schedule it at max(command.time, now()); its effects come after the action's duration.
  CommandResult apply(const Command& command);

  /// Benchmark/extension calendar: run `handler(*this, a, b)` at time t through the same scheduler and calendar as
  /// the world's own events (ties broken by insertion order). No allocation beyond the calendar's vector.
  void schedule(double t, Handler handler, std::uint64_t a = 0, std::uint64_t b = 0);
  /// Calendar events processed so far.
  std::uint64_t events_processed() const;
  /// Entries in the calendar now.
  std::size_t calendar_size() const;

  Kpis kpis() const;
  /// Availability probes of service `s` measured so far (a statistic of the probe model; the KPI is kpis()).
  int probes_measured(Index s) const;
  NodeView node(Index node) const;
  const Scenario& scenario() const;
  /// Wall seconds spent building the SimGrid platform.
  double platform_build_seconds() const;

  class Impl;

private:
  std::unique_ptr<Impl> impl_;
};

/// Scripted team actions: {"responses": [{"at": "1h10m", "team": "...", "action": "...", ...}]}. Checks every
/// entry against the scenario (teams, actions, targets, indicators, vulnerabilities, services) and reports all
/// problems as diagnostics; commands are sorted by time (stable).
struct PlayResult {
  std::vector<Command> commands;
  Diagnostics diagnostics;
  bool ok() const { return !diagnostics.has_errors(); }
};
PlayResult load_play(const std::string& path, const Scenario& scenario);
/// Same, from text (`file` names it in diagnostics).
PlayResult parse_play(const std::string& text, const std::string& file, const Scenario& scenario);

/// Check one command against the scenario: empty string if valid, else what is wrong.
std::string validate_command(const Command& command, const Scenario& scenario);

/// The dependencies (indices, ascending) a refuel's target names: "dependency:ID", or every dependency with a backup
/// whose dependent is the target ("service:x", "node:x"). Empty when it names none.
std::vector<Index> refuel_dependencies(const Scenario& scenario, const std::string& target);

} // namespace cyberex
