/* Static analysis of a loaded scenario (Boost.Graph underneath; nothing of it shows here): the adversary's most
 * likely attack paths, single points of failure of the network and of the dependency graph, cascade impacts and
 * connectivity. The definitions are documented with each result below and in docs (cyberex analyze --help). */
#pragma once

#include "cyberex/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cyberex {

/// One node on an attack path.
struct AttackHop {
  std::string node;
  std::string step;       ///< step acting on the node; empty for the start (entry or attacker node) and transit nodes
  double probability = 1; ///< step probability × the target's exploitability (1 for the start and transit nodes)
  bool foothold = false;  ///< the step compromises the node: later steps may start from it
};

/// How likely a campaign is to act on one of its goals.
struct GoalReach {
  std::string node;
  double probability = 0; ///< of the most likely path; 0 when the goal cannot be reached
};

/// The attack graph of a campaign (see attack_graph in analysis.cpp for the exact definition):
///  - the adversary starts outside; steps whose source is "external" are launched from the campaign's entry nodes
///    (the C2 node when the campaign names none), steps whose source is a selector from the matching nodes it holds
///    (footholds, or attacker nodes, which it owns), steps whose source is "compromised" from any foothold;
///  - a step launched from node u reaches node v when a route u → t1 → ... → v exists whose intermediate nodes are
///    infrastructure (router, switch, firewall, vpn_gateway, internet) and whose every link lets the step's protocol
///    through in that direction: the first firewall rule matching (rule protocol "any" or equal to the step's,
///    direction both or the travelled one) decides, no matching rule allows; a rule for a named protocol does not
///    match a step whose protocol is "any";
///  - acting on v with step s costs -ln(p(s) × e), e = 1, or when s requires a vulnerability the best
///    exploitability among v's vulnerabilities enabling s's technique (or its parent technique; an empty technique
///    list enables all); no such vulnerability: s cannot act on v; attacker nodes are never targets;
///  - a step with effect "compromise" makes v a foothold; any other effect only acts on v (v is reached);
///  - steps whose prerequisites cannot be met at all are dropped: a required step that is dropped or missing, a
///    required credential that no remaining "credential" step harvests (fixpoint). Otherwise prerequisites
///    (access, credentials, earlier steps) are assumed met: the probability is that of the moves, an upper bound;
///  - the most likely path minimises the summed cost (Dijkstra); among equally likely paths the one with the fewest
///    hops (transit nodes included), then through the earliest nodes in scenario order. A foothold acting again on
///    itself through a round trip is allowed and harmless (it is held already).
struct AttackPathResult {
  std::string campaign;
  std::vector<std::string> entry;     ///< launch nodes of external steps
  std::string goal;                   ///< the most likely goal reached; empty when none is
  double probability = 0;             ///< of the path to `goal`
  std::vector<AttackHop> path;        ///< from the start to `goal`, transit nodes included
  std::vector<GoalReach> goals;       ///< every goal node, in scenario order
  std::vector<std::string> reachable; ///< nodes the campaign can act on, in scenario order
  std::vector<std::string> footholds; ///< nodes it can compromise, in scenario order
};

/// A node whose loss splits the network graph (nodes, links; undirected; firewall rules ignored).
struct ArticulationPoint {
  std::string node;
  std::size_t cut_off = 0; ///< nodes no longer connected to the largest remaining part
};

/// A link whose loss splits the network graph (parallel links are never bridges).
struct Bridge {
  std::string link;
  std::string a;
  std::string b;
  std::size_t cut_off = 0; ///< nodes on the smaller side
};

/// Something lost in a cascade.
struct Loss {
  std::string what;        ///< "service:ID" or "node:ID"
  double after = 0;        ///< seconds after the initial loss (0: immediately; >0: when a backup runs out)
  std::int64_t people = 0; ///< service: consumers; substation: customers; other nodes: 0
};

/// Consequences of losing one node, service or grid, through the dependency closure:
///  - a service is lost when its node is; a dependent is lost `backup.duration` seconds (0 without backup) after
///    what it depends on;
///  - a grid keeps its substations energised while the load of the substations still up is at most the capacity of
///    its generation units still up plus its reserve; otherwise substations are shed by ascending shed_priority (then
///    id, as the engine does) until it is; a shed substation counts as a lost node; a grid is lost (for "grid:ID"
///    dependencies) from the first time it sheds a substation, as in the engine (losing substations for other
///    reasons relieves the grid; a grid without substations is never lost);
///  - times are the earliest at which each rule applies (fixpoint).
struct CascadeImpact {
  std::string subject;                  ///< "node:ID", "service:ID" or "grid:ID"
  std::vector<Loss> losses;             ///< everything lost except the subject, by time then scenario order
  std::int64_t consumers_immediate = 0; ///< consumers of services lost at once (the subject's own included)
  std::int64_t consumers_total = 0;     ///< ... once every backup has run out
  std::int64_t customers_immediate = 0; ///< customers of substations without power at once (subject included)
  std::int64_t customers_total = 0;
  double load_lost_mw = 0;    ///< load of the substations without power in the end (subject included)
  std::size_t dependents = 0; ///< losses caused through dependencies or the grid (not the subject's services)
  /// services not lost whose probe node is lost or no longer reaches them over nodes not lost (firewalls ignored):
  /// what the engine's probes report down ("source down", "unreachable") once every loss has happened
  std::vector<std::string> unreachable;
};

struct Connectivity {
  std::vector<std::vector<std::string>> components; ///< node ids by component, largest first (ties: scenario order)
  std::vector<std::string> isolated;                ///< nodes without any link
};

struct Analysis {
  std::vector<AttackPathResult> attack_paths;         ///< one per campaign, in scenario order
  std::vector<ArticulationPoint> articulation_points; ///< by cut_off descending, then scenario order
  std::vector<Bridge> bridges;                        ///< by cut_off descending, then scenario order
  std::vector<CascadeImpact> dependency_spofs;        ///< nodes, services and grids with dependents > 0, worst first
  std::vector<CascadeImpact> cascades;                ///< one per node, in scenario order
  Connectivity connectivity;
  std::vector<std::string> warnings; ///< connectivity and reachability warnings, plain sentences
};

/// Analyse a scenario as filled by load_scenario() (indices resolved).
Analysis analyze(const Scenario& scenario);

/// The cascade of losing `subject` ("node:ID", "service:ID" or "grid:ID"); an unknown subject gives an empty impact.
CascadeImpact cascade_impact(const Scenario& scenario, const std::string& subject);

/// Aligned, human-readable tables; `top` limits the cascade and dependency tables.
std::string format_analysis_text(const Analysis& analysis, std::size_t top = 10);

/// JSON (stable key order, probabilities with 6 decimals, times in seconds), ending with a newline.
std::string format_analysis_json(const Analysis& analysis);

/// "2h", "1h30m", "45s", "0s": the units of the scenario format.
std::string format_duration(double seconds);

} // namespace cyberex
