/* The record vocabulary: every change of an exercise is a Record of one RecordType, with an Audience saying which
 * Principal may see it. The engine emits world events, the session exercise records and deliveries; the journal
 * keeps them, ExerciseState folds them, transports filter them with visible_to(). docs/events.md and
 * docs/protocol.md describe each type; sim/src/common/record.cpp is the one place that spells their names.
 *
 * Adding a record type: add it to RecordType (here) and to the name table in record.cpp, emit it, and fold it in
 * ExerciseState::apply (sim/src/state/apply.cpp); the compiler's switch warnings point at the rest. */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex {

/// What a connected client may do; a transport maps its credential (token) to a Principal.
enum class Role { controller, evaluator, player, observer };

struct Principal {
  Role role = Role::observer;
  std::string team; ///< player: the team id (a scenario team with role player); empty otherwise
};

const char* to_string(Role r);
std::optional<Role> role_from_string(const std::string& s);

/// "controller", "evaluator", "observer" or "player:TEAM".
std::string principal_label(const Principal& who);
/// The inverse of principal_label (nullopt for anything else, "player:" without a team and "player" included).
std::optional<Principal> principal_from_label(const std::string& label);

/// True for the White Cell's roles (controller, evaluator): they see everything.
inline bool is_control(const Principal& who)
{
  return who.role == Role::controller || who.role == Role::evaluator;
}

/// Who may see a record. Controllers and evaluators see everything. Players see `all` records and `teams` records
/// that list their team. Observers see `all` records only (clock, standings).
struct Audience {
  enum class Kind { control, all, teams } kind = Kind::control;
  std::vector<std::string> teams; ///< kind == teams: sorted team ids
};

/// event: the simulated world; delivery: something arriving in inboxes; exercise: clock, MSEL, evaluation, scores.
enum class RecordKind : std::uint8_t { event, delivery, exercise };

enum class RecordType : std::uint8_t {
  // world: the adversary
  campaign_started,
  step_started,
  step_attempt,
  step_succeeded,
  step_failed,
  campaign_waiting,
  campaign_finished,
  campaign_stopped,
  campaign_detected,
  campaign_contained,
  node_compromised,
  privilege_escalated,
  credentials_harvested,
  discovery,
  persistence,
  foothold_lost,
  c2_channel,
  exfiltration_started,
  exfiltration_progress,
  exfiltration_ended,
  data_published,
  node_down,
  node_encrypted,
  node_defaced,
  unit_derated,
  unit_tripped,
  manual_override,
  botnet_wave_started,
  botnet_wave_ended,
  botnet_wave_blocked,
  // world: sensors
  alert,
  // world: physical and service state
  node_status,
  unit_output,
  load_lost,
  load_restored,
  grid_balance,
  dependency_lost,
  backup_exhausted,
  dependency_restored,
  service_status,
  probe_status,
  // world: team actions
  action_started,
  node_isolated,
  node_reconnected,
  indicator_blocked,
  node_patched,
  credentials_reset,
  node_offline,
  node_restored,
  unit_manual,
  service_shutdown,
  service_restored,
  breaker_closed,   ///< a field crew closed a tripped substation's or unit's breakers
  backup_refuelled, ///< a field crew refuelled a dependency's backup: it runs longer
  action_refused,   ///< an action that could not be carried out (a restore without its destroyed backup)
  public_statement, ///< a team's press statement or public advisory (the public: every principal sees it)
  backup_destroyed, ///< world: the adversary destroyed the backups held on a node (T1490)
  // world: networked grids (docs/engine.md, "Networked grids")
  branch_tripped,   ///< a branch's inverse-time protection opened it: its overload held for the delay
  breaker_opened,   ///< a branch's breaker opened by a campaign step on its controller
  island_formed,    ///< a group of buses lost its connection to the rest of the grid
  island_merged,    ///< islands joined again (a breaker closed)
  load_shed,        ///< a network load was cut: under-frequency relays, or its island has no generation
  setpoint_changed, ///< a generator's dispatch setpoint moved (a manipulate step with a setpoint)
  message,          ///< kind event (an engine Command share/report/communicate) or delivery (a team's message)
  // deliveries
  inject,
  inject_expired,
  // exercise
  clock,
  leaderboard,
  standings,
  read,
  sitrep,
  inject_released,
  inject_triggered,
  inject_delayed,
  inject_cancelled,
  inject_created,
  inject_skipped, ///< a timed inject not delivered: its skip_if held when it was due
  expectation_active,
  expectation_met,
  expectation_missed,
  expectation_not_applicable, ///< its premise never held by its deadline, or its inject was skipped
  assessment,
  official_assessment,
  observation,
  rating,
};
inline constexpr std::size_t record_type_count = static_cast<std::size_t>(RecordType::rating) + 1;

const char* to_string(RecordType t);
std::optional<RecordType> record_type_from_string(std::string_view s);
const char* to_string(RecordKind k);
std::optional<RecordKind> record_kind_from_string(std::string_view s);

/// One record of an exercise. `json` is one JSON object (no newline):
/// {"seq":N,"time":T,"kind":"event"|"delivery"|"exercise","type":...,"subject":...,"details":{...}}; `kind` and
/// `type` repeat its fields for dispatch without parsing.
struct Record {
  Record() = default;
  Record(std::uint64_t seq_, double time_, RecordKind kind_, RecordType type_, Audience audience_, std::string json_)
      : seq(seq_), time(time_), kind(kind_), type(type_), audience(std::move(audience_)), json(std::move(json_))
  {
  }
  /// `kind` and `type` read from the JSON's "kind" and "type" (tests and tools; unknown names leave the defaults).
  Record(std::uint64_t seq_, double time_, Audience audience_, std::string json_);

  std::uint64_t seq = 0; ///< 1, 2, 3... over all records of the session, in emission order
  double time = 0;       ///< simulated seconds since the exercise start (exact; the JSON has 3 decimals)
  RecordKind kind = RecordKind::event;
  RecordType type = RecordType::clock;
  Audience audience;
  std::string json;
};

/// True if `who` may receive `record` (every transport and every view filters records through this).
bool visible_to(const Principal& who, const Record& record);
/// True if `who` may receive a record with this audience.
bool visible_to(const Principal& who, const Audience& audience);

} // namespace cyberex
