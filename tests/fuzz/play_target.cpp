/* Targets "script" and "play": the two readers of `cyberex play`'s scripted input.
 *  - script: read_script(), a --script file of JSON Lines {"at":..., "as":..., "command":{...}};
 *  - play: parse_play(), a --play responses file {"responses":[...]} checked against the tutorial scenario, then
 *    responses_to_commands(), which turns the responses into protocol commands.
 * Oracles: every command read is a JSON object sent by a well-formed principal at a finite time >= 0, and every
 * diagnostic names its place. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/engine.hpp"
#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <cmath>
#include <optional>

namespace cyberex::fuzz {
namespace {

std::optional<Scenario> tutorial;

void check_scripted(const ScriptedCommand& c)
{
  check(std::isfinite(c.at) && c.at >= 0, c.where + ": a scripted command at a time that is not >= 0");
  check(is_json_object(c.command), c.where + ": a scripted command that is not one JSON object: " + c.command);
  check((c.who.role == Role::player) != c.who.team.empty(), c.where + ": a player without team, or a team without "
                                                                      "player");
  check(!c.where.empty(), "a scripted command that does not say where it comes from");
}

} // namespace

int script_run(const std::uint8_t* data, std::size_t size)
{
  static ScratchFile scratch(".jsonl");
  const std::string& path = scratch.write(data, size);
  std::string error;
  auto script = read_script(path, &error);
  if (!script) {
    check(error.rfind(path + ":", 0) == 0, "read_script's error does not start with FILE:LINE: " + error);
    return 0;
  }
  for (const ScriptedCommand& c : *script)
    check_scripted(c);
  return 0;
}

void play_initialize()
{
  LoadResult r = load_scenario(tutorial_path());
  if (!r.ok())
    fail("the tutorial scenario does not load");
  tutorial = std::move(*r.scenario);
}

int play_run(const std::uint8_t* data, std::size_t size)
{
  if (!tutorial)
    play_initialize();
  const std::string file = "responses.json";
  PlayResult r = parse_play(std::string(reinterpret_cast<const char*>(data), size), file, *tutorial);
  for (const Diagnostic& d : r.diagnostics.items())
    check(!d.code.empty() && !d.message.empty() && d.file == file && d.line >= 0 && d.column >= 0,
          "a diagnostic without code, message or place: " + d.format());
  for (std::size_t i = 0; i < r.commands.size(); ++i) {
    check(std::isfinite(r.commands[i].time) && r.commands[i].time >= 0, "parse_play: a response at a time < 0");
    check(validate_command(r.commands[i], *tutorial).empty(), "parse_play kept a response that does not validate");
    check(i == 0 || r.commands[i - 1].time <= r.commands[i].time, "parse_play: responses not sorted by time");
  }
  if (!r.ok())
    return 0;
  for (const ScriptedCommand& c : responses_to_commands(r.commands, *tutorial, file))
    check_scripted(c);
  return 0;
}

} // namespace cyberex::fuzz
