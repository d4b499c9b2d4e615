/* Target "scenario": the scenario loader on a main file's bytes, then the static analysis of what it accepts (what
 * `cyberex validate` and `cyberex analyze` do with a planner's file).
 *
 * Oracles: ok() is the absence of errors, every diagnostic has a code and a message, every resolved index of an
 * accepted scenario is in range (check_model), and its analysis is one JSON object.
 *
 * The input is read as if it were a file of scenarios/cyber-atlantic-2011/, so its includes ("agencies.json",
 * "../topologies/Geant2012.graphml") reach the shipped files. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/analysis.hpp"
#include "cyberex/attack_catalog.hpp"
#include "cyberex/scenario.hpp"

#include <map>
#include <string>

namespace cyberex::fuzz {
namespace {

std::string input_path()
{
  return source_dir() + "/scenarios/cyber-atlantic-2011/fuzz-input.json";
}

/// `i` names an element of a container of `n` (or nothing, when `optional`).
bool in_range(Index i, std::size_t n, bool optional = true)
{
  return (optional && i == NO_INDEX) || (i >= 0 && static_cast<std::size_t>(i) < n);
}

template <class Items>
void check_lookup(const std::map<std::string, Index>& by_id, const Items& items, const char* what)
{
  check(by_id.size() == items.size(), std::string(what) + ": the lookup does not have one entry per element");
  for (const auto& [id, i] : by_id)
    check(in_range(i, items.size(), false) && items[static_cast<std::size_t>(i)].id == id,
          std::string(what) + " '" + id + "': the lookup names another element");
}

/// What the engine, the exercise and the analysis index without checking: every resolved index of an accepted
/// scenario names an element of its container.
void check_model(const Scenario& s)
{
  const std::size_t nodes = s.nodes.size();
  check_lookup(s.node_by_id, s.nodes, "node");
  check_lookup(s.site_by_id, s.sites, "site");
  check_lookup(s.team_by_id, s.teams, "team");
  check_lookup(s.service_by_id, s.services, "service");
  check_lookup(s.grid_by_id, s.grids, "grid");
  check_lookup(s.indicator_by_id, s.indicators, "indicator");
  check_lookup(s.inject_by_id, s.msel, "inject");
  for (const Team& t : s.teams) {
    check(in_range(t.organisation_index, s.organisations.size()), "team '" + t.id + "': organisation index");
    for (Index i : t.asset_nodes)
      check(in_range(i, nodes, false), "team '" + t.id + "': asset node index");
  }
  for (const Site& x : s.sites)
    check(in_range(x.organisation_index, s.organisations.size()), "site '" + x.id + "': organisation index");
  for (const Node& n : s.nodes) {
    check(in_range(n.site_index, s.sites.size()), "node '" + n.id + "': site index");
    check(in_range(n.grid_index, s.grids.size()), "node '" + n.id + "': grid index");
    for (Index i : n.controls_index)
      check(in_range(i, nodes, false), "node '" + n.id + "': controlled node index");
  }
  for (const Link& l : s.links)
    check(in_range(l.a_index, nodes, false) && in_range(l.b_index, nodes, false),
          "link '" + l.id + "': end node index");
  for (const Service& v : s.services)
    check(in_range(v.node_index, nodes, false), "service '" + v.id + "': node index");
  for (const Campaign& c : s.campaigns) {
    check(in_range(c.c2.node_index, nodes), "campaign '" + c.id + "': C2 node index");
    for (Index i : c.c2.indicators_index)
      check(in_range(i, s.indicators.size(), false), "campaign '" + c.id + "': C2 indicator index");
    for (const Step& st : c.steps) {
      for (Index i : st.requires_.steps_index)
        check(in_range(i, c.steps.size(), false), "step '" + st.id + "': required step index");
      for (Index i : st.indicators_index)
        check(in_range(i, s.indicators.size(), false), "step '" + st.id + "': indicator index");
    }
  }
  for (const Botnet& b : s.botnets) {
    for (Index i : b.attach_index)
      check(in_range(i, nodes, false), "botnet '" + b.id + "': attach node index");
    for (Index i : b.indicators_index)
      check(in_range(i, s.indicators.size(), false), "botnet '" + b.id + "': indicator index");
  }
  for (const Sensor& x : s.sensors) {
    check(in_range(x.team_index, s.teams.size()), "sensor '" + x.id + "': team index");
    for (Index i : x.covers_nodes)
      check(in_range(i, nodes, false), "sensor '" + x.id + "': covered node index");
  }
  for (const Inject& in : s.msel)
    for (Index i : in.to_index)
      check(in_range(i, s.teams.size(), false), "inject '" + in.id + "': recipient team index");
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
  check_model(s);
  check(select_nodes(s, "*").size() == s.nodes.size(), "select_nodes(\"*\") must select every node");
  const Analysis a = analyze(s);
  check(is_json_object(format_analysis_json(a)), "format_analysis_json: not one JSON object");
  (void)format_analysis_text(a, 10);
  return 0;
}

} // namespace cyberex::fuzz
