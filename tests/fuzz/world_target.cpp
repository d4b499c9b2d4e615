/* Target "world": a planner's scenario file, loaded and then played headless (what `cyberex play` does): the loader
 * must turn away whatever the engine, the exercise and SimGrid cannot run, as diagnostics; an accepted scenario must
 * never crash them. Each input runs in a child process (one SimGrid engine per process).
 *
 * Accepted scenarios that are only large (more than 300 nodes, 1,000 links, 5,000 bots or a 2-day exercise) are
 * skipped: size is the benchmarks' business, not the fuzzer's, and would only report timeouts. The play stops after
 * at most 4 simulated hours. Oracles: the play succeeds and its KPIs and leaderboard are JSON objects. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <algorithm>
#include <cstdint>

namespace cyberex::fuzz {
namespace {

bool small_enough(const Scenario& s)
{
  std::int64_t bots = 0;
  for (const Botnet& b : s.botnets)
    bots += b.size;
  return s.nodes.size() <= 300 && s.links.size() <= 1000 && bots <= 5000 && s.exercise.duration <= 2 * 86400.0;
}

void play(const std::uint8_t* data, std::size_t size)
{
  static const std::string path = source_dir() + "/scenarios/cyber-atlantic-2011/fuzz-input.json";
  LoadResult r = load_scenario_text(path, std::string(reinterpret_cast<const char*>(data), size));
  if (!r.ok() || !small_enough(*r.scenario))
    return;
  PlayOptions options;
  options.scenario_path = path;
  options.until = std::min(r.scenario->exercise.duration, 4 * 3600.0);
  options.exercise = cli_exercise_options();
  const PlayOutcome out = play_exercise(*r.scenario, options, {});
  check(out.ok, "play_exercise failed on an accepted scenario: " + out.error);
  check(is_json_object(out.kpis), "the KPIs are not one JSON object: " + out.kpis);
  check(is_json_object(out.leaderboard), "the leaderboard is not one JSON object: " + out.leaderboard);
}

} // namespace

int world_run(const std::uint8_t* data, std::size_t size)
{
  in_child([&] { play(data, size); }, "world: loading and playing the scenario");
  return 0;
}

} // namespace cyberex::fuzz
