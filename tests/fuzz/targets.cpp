#include "targets.hpp"

namespace cyberex::fuzz {

const std::vector<Target>& targets()
{
  static const std::vector<Target> all = {
      {"scenario", scenario_initialize, scenario_run},
      {"graphml", nullptr, graphml_run},
      {"journal", journal_initialize, journal_run},
      {"session", session_initialize, session_run, true},
      {"script", nullptr, script_run},
      {"play", play_initialize, play_run},
      {"world", scenario_initialize, world_run, true},
      {"matpower", nullptr, matpower_run},
  };
  return all;
}

const Target* find_target(const std::string& name)
{
  for (const Target& t : targets())
    if (name == t.name)
      return &t;
  return nullptr;
}

} // namespace cyberex::fuzz
