/* Roles, audiences and journal records: the parts of the protocol that do not need a session. */
#include "exercise/impl.hpp"

#include <algorithm>
#include <cmath>

namespace cyberex {

const char* to_string(ClockState s)
{
  switch (s) {
  case ClockState::ready:
    return "ready";
  case ClockState::running:
    return "running";
  case ClockState::paused:
    return "paused";
  case ClockState::ended:
    return "ended";
  }
  return "ready";
}

std::string JournalCommand::to_json() const
{
  Json j;
  j["index"] = index;
  j["time"] = time; // shortest round-trip form: replay lands on exactly this time
  j["role"] = cyberex::to_string(who.role);
  if (!who.team.empty())
    j["team"] = who.team;
  Json cmd = Json::parse(command, nullptr, false);
  if (cmd.is_discarded())
    j["command"] = command;
  else
    j["command"] = std::move(cmd);
  return j.dump();
}

std::optional<JournalCommand> JournalCommand::from_json(const std::string& line, std::string* error)
{
  auto fail = [&](const std::string& m) -> std::optional<JournalCommand> {
    if (error)
      *error = m;
    return std::nullopt;
  };
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail("a journal record is one JSON object per line");
  JournalCommand r;
  if (!j.contains("index") || !j["index"].is_number_unsigned())
    return fail("(/index) expected an unsigned integer");
  r.index = j["index"].get<std::uint64_t>();
  if (!j.contains("time") || !j["time"].is_number() || !std::isfinite(j["time"].get<double>()) ||
      j["time"].get<double>() < 0)
    return fail("(/time) expected a finite number of seconds >= 0");
  r.time = j["time"].get<double>();
  if (!j.contains("role") || !j["role"].is_string() || !role_from_string(j["role"].get<std::string>()))
    return fail("(/role) expected one of controller, evaluator, player, observer");
  r.who.role = *role_from_string(j["role"].get<std::string>());
  if (j.contains("team")) {
    if (!j["team"].is_string())
      return fail("(/team) expected a team id");
    r.who.team = j["team"].get<std::string>();
  }
  if (!j.contains("command") || !j["command"].is_object())
    return fail("(/command) expected the command object");
  r.command = j["command"].dump();
  return r;
}

std::vector<Principal> ExerciseSession::principals(const Scenario& scenario)
{
  std::vector<Principal> p{{Role::controller, ""}, {Role::evaluator, ""}, {Role::observer, ""}};
  for (const auto& t : scenario.teams)
    if (t.role == TeamRole::player)
      p.push_back({Role::player, t.id});
  return p;
}

double round3(double x)
{
  if (!std::isfinite(x))
    return x;
  return std::round(x * 1000.0) / 1000.0;
}

} // namespace cyberex
