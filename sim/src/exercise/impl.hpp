/* Internals of the exercise session: state of the clock, the MSEL, the teams and the scores. Only exercise sources
 * include this (it pulls nlohmann/json in). */
#pragma once

#include "cyberex/exercise.hpp"
#include "cyberex/exercise_state.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cyberex {

using Json = nlohmann::ordered_json;

/// A rejected command: the error code and message of the reply.
struct CommandError {
  std::string code;
  std::string message;
};

/// Something that happened, matched against trigger leaves.
struct Fact {
  Trigger::Kind kind = Trigger::Kind::always;
  std::string subject; ///< node id, service id, campaign id, expectation id, inject id, grid id, technique
  std::string team;    ///< acting / receiving team
  std::vector<std::string> to;
  std::string action;
  std::string indicator;       ///< action block: the indicator blocked
  std::vector<Index> nodes;    ///< action targets / compromised, derated, tripped, encrypted node
  std::string step, technique; ///< step_succeeded
};

/// One live trigger tree (an inject's trigger or skip_if, an expectation's met_by or premise), with its latched leaves
/// in DFS order.
struct TriggerRun {
  const Trigger* root = nullptr;
  std::vector<const Trigger*> leaves;
  std::vector<std::vector<Index>> leaf_nodes; ///< node_compromised / action subjects, resolved
  std::vector<char> latched;
  bool active = false;
  bool fired = false; ///< the tree held at some time (a premise that held)
  /// inject: its trigger; expectation: its met_by; premise: an expectation's premise (index: the inject, watched
  /// from the start); skip: a timed inject's skip_if (watched from the start, evaluated when due, never fires);
  /// watch: a conditional response's trigger (ExerciseSession::watch())
  enum class Owner { inject, expectation, premise, skip, watch } owner = Owner::inject;
  int index = -1;          ///< inject or expectation index; watch: its id
  double fired_at = NEVER; ///< watch: when it fired
};

struct InjectRun {
  Inject spec;
  enum class Status { waiting, scheduled, delivered, expired, cancelled, skipped } status = Status::waiting;
  double due = NEVER;
  double delivered = NEVER;
  double extra_delay = 0;              ///< controller delays applied before the trigger fired
  std::uint64_t gen = 0;               ///< bumped on every reschedule: stale timers are ignored
  int trigger = -1;                    ///< TriggerRun index
  int skip = -1;                       ///< TriggerRun index of its skip_if
  std::vector<int> premises;           ///< per expectation of the spec: TriggerRun index of its premise, or -1
  std::vector<std::string> indicators; ///< indicator ids revealed to its recipients
  bool created = false;                ///< written by the controller during the exercise
};

struct ExpectationRun {
  int inject = -1;
  int index = -1; ///< in the inject's expectations
  std::string id;
  std::string team;
  double activated = NEVER;
  double deadline = NEVER;
  enum class Status { inactive, pending, met, missed, not_applicable } status = Status::inactive;
  double decided = NEVER;
  std::string by; ///< "trigger", "state", "evaluator", "deadline"; not applicable: "premise", "skipped"
  int trigger = -1;
};

/// A player team: what the session needs to address records and check commands. What the team sees and its score
/// inputs live in the ExerciseState.
struct TeamRun {
  int team = -1; ///< scenario team index
  std::string id;
  std::set<std::string> grids; ///< grids where it owns generation or load (it sees their grid_balance)
};

class ExerciseSession::Impl {
public:
  Impl(const Scenario& scenario, ExerciseOptions options, RecordSink outgoing, CommandSink journal);

  Reply handle(const Principal& who, const std::string& text);
  void clock_tick(double wall);
  std::size_t replay(const std::vector<JournalCommand>& records, std::string* error);
  std::string snapshot_for(const Principal& who) const;

  // clock
  double now_() const;
  void advance(double t); ///< to min(t, duration), ending the exercise there
  void set_state(ClockState s, const char* reason);
  Json clock_json(bool control) const; ///< control: with next_event and next_inject (ground truth, the MSEL)
  std::string current_move() const;

  // outgoing
  void emit(RecordKind kind, RecordType type, const std::string& subject, Json details, Audience audience);
  void emit_raw(double time, RecordKind kind, RecordType type, std::string json, Audience audience);
  void flush();
  Audience control() const { return Audience{}; }
  Audience all() const { return Audience{Audience::Kind::all, {}}; }
  Audience teams(std::vector<std::string> ids) const;

  // engine events
  void on_engine_event(const Event& e);
  Audience event_audience(const Event& e, const Json& d) const;
  std::vector<std::string> node_owner_ids(Index n) const;

  // MSEL
  void on_timer(std::uint64_t id);
  std::uint64_t add_timer(double t, int kind, int ref, std::uint64_t gen);
  int make_trigger(const Trigger& t, TriggerRun::Owner owner, int index);
  void activate(int run);
  bool holds(int run); ///< latch the leaves the state satisfies now, then evaluate the tree
  void post(Fact f);
  void drain();
  bool leaf_matches(const TriggerRun& r, std::size_t leaf, const Fact* f) const;
  bool evaluate(const TriggerRun& r, const Trigger& t, std::size_t& leaf) const;
  void trigger_fired(int run, const char* by);
  void schedule_inject(int i, double due);
  void deliver(int i, const char* reason);
  void skip(int i);
  void expire(int i);
  void expectation_decided(int e, bool met, const char* by);
  void expectation_not_applicable(int e, const char* by);
  int add_expectation(int inject, std::size_t k); ///< its run, activated now (not yet announced)
  void deadline(int e);
  Json inject_json(int i, bool control) const;
  Json expectation_json(int e) const;

  // teams
  TeamRun* team_run(const std::string& id);
  const TeamRun* team_run(const std::string& id) const;

  // scoring: the state's scores, published as leaderboard and standings records
  void leaderboard(const char* reason, bool always);

  // commands (session.cpp / team.cpp)
  Json dispatch(const Principal& who, const Json& cmd, bool& changes);
  Json cmd_clock_change(const std::string& type, const Json& cmd);
  Json cmd_step(const Json& cmd);
  Json cmd_inject(const std::string& type, const Json& cmd);
  Json cmd_inject_create(const Json& cmd);
  Json cmd_action(const std::string& team, const Json& cmd);
  Json cmd_message(const std::string& team, const Json& cmd);
  Json cmd_sitrep(const std::string& team, const Json& cmd);
  Json cmd_assess(const std::string& team, const Json& cmd, bool official);
  Json cmd_read(const std::string& team, const Json& cmd);
  Json cmd_observe(const Principal& who, const Json& cmd);
  Json cmd_rate(const Principal& who, const Json& cmd);
  Json cmd_confirm(const Json& cmd);
  double severity_score(const Json& levels) const;

  Scenario sc_;
  ExerciseOptions opt_;
  RecordSink outgoing_;
  CommandSink journal_;
  std::unique_ptr<Simulation> sim_;
  ExerciseState fold_{sc_}; ///< every record the session emits, folded as it is emitted: what teams see, scores
  ClockState state_ = ClockState::ready;
  double speed_ = 1;
  std::optional<double> last_wall_;
  std::uint64_t seq_ = 0;
  std::uint64_t journal_index_ = 0;
  bool replaying_ = false;
  int in_handle_ = 0;
  std::vector<Record> pending_; ///< records emitted while a command is handled: flushed after the journal write

  std::deque<InjectRun> injects_;
  std::map<std::string, int> inject_by_id_;
  std::deque<ExpectationRun> expectations_;
  std::map<std::string, std::vector<int>> expectation_by_id_;
  std::deque<TriggerRun> triggers_;
  std::deque<Trigger> watched_; ///< triggers watched for the caller (ExerciseSession::watch)
  std::vector<int> watches_;    ///< watch id -> TriggerRun index
  std::deque<Fact> facts_;
  /// Team actions ordered, with the time they take effect: an expectation activated while one is under way is met
  /// by it (msel.cpp, leaf_matches).
  std::vector<std::pair<double, Fact>> orders_;
  bool draining_ = false;
  struct Timer {
    int kind; ///< 0 inject due, 1 expectation deadline, 2 inject expiry, 3 leaderboard tick, 4 end
    int ref;
    std::uint64_t gen;
  };
  std::vector<Timer> timers_;
  int deliveries_ = 0; ///< inject deliveries so far (for "step to next inject")

  std::vector<TeamRun> teams_;               ///< player teams, in scenario order
  std::vector<std::vector<int>> node_teams_; ///< node -> indices in teams_
  int messages_ = 0, observations_ = 0;
  std::string last_board_;
  bool player_view_ = false; ///< the command being handled comes from a player: errors say nothing of others' assets
  static constexpr std::size_t max_incidents = 100;  ///< distinct incidents one team may assess
  std::map<std::string, std::uint64_t> applied_ids_; ///< id_key(principal, command id) -> journal index
};

/// The key under which a principal's command id is remembered (ids are chosen by clients, per principal).
inline std::string id_key(const Principal& who, const std::string& id)
{
  return std::string(to_string(who.role)) + ":" + who.team + "\n" + id;
}

/// Parse a time field: a number of seconds or a duration string ("15m", "1h30m"); throws CommandError.
double parse_time_field(const Json& v, const char* key);
/// Fixed precision (3 decimals) for simulated times in output.
double round3(double x);

} // namespace cyberex
