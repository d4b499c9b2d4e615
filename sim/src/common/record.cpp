/* The names of the record vocabulary (the one file that spells them), roles and principals, and who sees what. */
#include "cyberex/record.hpp"

#include <algorithm>
#include <array>

namespace cyberex {

namespace {

constexpr std::array<const char*, record_type_count> type_names{
    "campaign_started",
    "step_started",
    "step_attempt",
    "step_succeeded",
    "step_failed",
    "campaign_waiting",
    "campaign_finished",
    "campaign_stopped",
    "campaign_detected",
    "campaign_contained",
    "node_compromised",
    "privilege_escalated",
    "credentials_harvested",
    "discovery",
    "persistence",
    "foothold_lost",
    "c2_channel",
    "exfiltration_started",
    "exfiltration_progress",
    "exfiltration_ended",
    "data_published",
    "node_down",
    "node_encrypted",
    "node_defaced",
    "unit_derated",
    "unit_tripped",
    "manual_override",
    "botnet_wave_started",
    "botnet_wave_ended",
    "botnet_wave_blocked",
    "alert",
    "node_status",
    "unit_output",
    "load_lost",
    "load_restored",
    "grid_balance",
    "dependency_lost",
    "backup_exhausted",
    "dependency_restored",
    "service_status",
    "probe_status",
    "action_started",
    "node_isolated",
    "node_reconnected",
    "indicator_blocked",
    "node_patched",
    "credentials_reset",
    "node_offline",
    "node_restored",
    "unit_manual",
    "service_shutdown",
    "service_restored",
    "breaker_closed",
    "backup_refuelled",
    "action_refused",
    "public_statement",
    "backup_destroyed",
    "branch_tripped",
    "breaker_opened",
    "island_formed",
    "island_merged",
    "load_shed",
    "setpoint_changed",
    "message",
    "inject",
    "inject_expired",
    "clock",
    "leaderboard",
    "standings",
    "read",
    "sitrep",
    "inject_released",
    "inject_triggered",
    "inject_delayed",
    "inject_cancelled",
    "inject_created",
    "inject_skipped",
    "expectation_active",
    "expectation_met",
    "expectation_missed",
    "expectation_not_applicable",
    "assessment",
    "official_assessment",
    "observation",
    "rating",
};

} // namespace

const char* to_string(RecordType t)
{
  return type_names[static_cast<std::size_t>(t)];
}

std::optional<RecordType> record_type_from_string(std::string_view s)
{
  for (std::size_t i = 0; i < type_names.size(); ++i)
    if (s == type_names[i])
      return static_cast<RecordType>(i);
  return std::nullopt;
}

const char* to_string(RecordKind k)
{
  switch (k) {
  case RecordKind::event:
    return "event";
  case RecordKind::delivery:
    return "delivery";
  case RecordKind::exercise:
    return "exercise";
  }
  return "event";
}

std::optional<RecordKind> record_kind_from_string(std::string_view s)
{
  for (RecordKind k : {RecordKind::event, RecordKind::delivery, RecordKind::exercise})
    if (s == to_string(k))
      return k;
  return std::nullopt;
}

const char* to_string(Role r)
{
  switch (r) {
  case Role::controller:
    return "controller";
  case Role::evaluator:
    return "evaluator";
  case Role::player:
    return "player";
  case Role::observer:
    return "observer";
  }
  return "observer";
}

std::optional<Role> role_from_string(const std::string& s)
{
  for (Role r : {Role::controller, Role::evaluator, Role::player, Role::observer})
    if (s == to_string(r))
      return r;
  return std::nullopt;
}

std::string principal_label(const Principal& who)
{
  if (who.role == Role::player)
    return "player:" + who.team;
  return to_string(who.role);
}

std::optional<Principal> principal_from_label(const std::string& label)
{
  if (label.rfind("player:", 0) == 0)
    return label.size() > 7 ? std::optional<Principal>(Principal{Role::player, label.substr(7)}) : std::nullopt;
  if (auto r = role_from_string(label); r && *r != Role::player)
    return Principal{*r, ""};
  return std::nullopt;
}

namespace {
/// The string value of a top-level key of a record's JSON (records are written by cyberex: no white space).
std::string_view field(std::string_view json, std::string_view key)
{
  const std::string pattern = "\"" + std::string(key) + "\":\"";
  const auto at = json.find(pattern);
  if (at == std::string_view::npos)
    return {};
  const auto begin = at + pattern.size();
  const auto end = json.find('"', begin);
  return end == std::string_view::npos ? std::string_view() : json.substr(begin, end - begin);
}
} // namespace

Record::Record(std::uint64_t seq_, double time_, Audience audience_, std::string json_)
    : seq(seq_), time(time_), audience(std::move(audience_)), json(std::move(json_))
{
  if (auto k = record_kind_from_string(field(json, "kind")))
    kind = *k;
  if (auto t = record_type_from_string(field(json, "type")))
    type = *t;
}

bool visible_to(const Principal& who, const Audience& audience)
{
  switch (who.role) {
  case Role::controller:
  case Role::evaluator:
    return true;
  case Role::observer:
    return audience.kind == Audience::Kind::all;
  case Role::player:
    if (audience.kind == Audience::Kind::all)
      return true;
    if (audience.kind == Audience::Kind::control || who.team.empty())
      return false;
    return std::find(audience.teams.begin(), audience.teams.end(), who.team) != audience.teams.end();
  }
  return false;
}

bool visible_to(const Principal& who, const Record& record)
{
  return visible_to(who, record.audience);
}

} // namespace cyberex
