/* Target "scenario": the scenario loader on a main file's bytes, then the static analysis of what it accepts (what
 * `cyberex validate` and `cyberex analyze` do with a planner's file).
 *
 * The input is read as if it were a file of scenarios/cyber-atlantic-2011/, so its includes ("agencies.json",
 * "../topologies/Geant2012.graphml") reach the shipped files. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/analysis.hpp"
#include "cyberex/attack_catalog.hpp"
#include "cyberex/scenario.hpp"

namespace cyberex::fuzz {
namespace {

std::string input_path()
{
  return source_dir() + "/scenarios/cyber-atlantic-2011/fuzz-input.json";
}

} // namespace

void scenario_initialize()
{
  // the shipped catalog is read once per process; fail here rather than blame the first input
  (void)AttackCatalog::shipped();
}

int scenario_run(const std::uint8_t* data, std::size_t size)
{
  static const std::string path = input_path();
  LoadResult r = load_scenario_text(path, std::string(reinterpret_cast<const char*>(data), size));
  check(r.ok() != r.diagnostics.has_errors(), "load_scenario: ok() must be the absence of errors");
  for (const Diagnostic& d : r.diagnostics.items()) {
    check(!d.code.empty() && !d.message.empty(), "a diagnostic without code or message: " + d.format());
    check(d.line >= 0 && d.column >= 0, "a diagnostic with a negative position: " + d.format());
  }
  if (!r.ok())
    return 0;
  const Scenario& s = *r.scenario;
  check(select_nodes(s, "*").size() == s.nodes.size(), "select_nodes(\"*\") must select every node");
  const Analysis a = analyze(s);
  check(is_json_object(format_analysis_json(a)), "format_analysis_json: not one JSON object");
  (void)format_analysis_text(a, 10);
  return 0;
}

} // namespace cyberex::fuzz
