/* Static analysis of a networked grid (docs/grid-analysis.md): N-1 contingency screening and the cyber-physical
 * ranking of controllers (what an adversary who owns a PLC/RTU/HMI/SCADA node can do to the grid), with the
 * protection cascade that both the ranking and the engine need. Works on a power::Network alone (a MATPOWER case)
 * or on a scenario's GridNetwork; `cyberex analyze` prints it. */
#pragma once

#include "cyberex/grid_network.hpp"
#include "cyberex/powerflow.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace cyberex {

/// What protection leaves once it has acted.
struct CascadeOutcome {
  power::Solution solution;         ///< the stable solution at the end (no closed branch above its rating)
  std::vector<std::size_t> tripped; ///< branches opened by protection, in trip order
  std::size_t solves = 0;           ///< DC solves done (1 + tripped.size())
};

/// Protection to stability, the steady-state approximation of the engine's inverse-time protection: solve `state`
/// with the governor balance; while a closed branch with a rating carries more than 100 % of it, open the most
/// loaded one (inverse time: it trips first; ties: lowest branch index) in `state` and solve again. Ends after at
/// most one solve per branch. `state` is left with the tripped breakers open.
CascadeOutcome cascade_to_stability(power::Solver& solver, power::State& state);

/// The N-1 screening of a network from its base state (Solver::screen, governor balance), worst first.
struct N1Report {
  /// every closed branch and every online generator; sorted by load at risk (descending), then worst loading
  /// (descending), then branches before generators, then index
  std::vector<power::Contingency> contingencies;
  std::size_t screened = 0;          ///< contingencies.size()
  std::size_t with_overloads = 0;    ///< with at least one branch above 100 % of its rating
  std::size_t islanding = 0;         ///< that split the network or isolate a bus
  std::size_t with_load_at_risk = 0; ///< that shed load
  std::size_t secure = 0;            ///< none of the three
  double base_max_loading_pct = 0;   ///< worst branch loading before any outage
};
/// `keep_flows`: each contingency's post-outage flows too (Contingency::flow_mw); `balance`: the balancing rule
/// (Balance::reference reproduces MATPOWER's rundcpf, e.g. to compare with its answer keys).
N1Report n1_report(const power::Network& net, bool keep_flows = false,
                   power::Balance balance = power::Balance::governor);

/// The consequence of an adversary owning one controller: every branch breaker it controls opened, every generator
/// and load it controls tripped, then protection to stability (cascade_to_stability).
struct ControllerImpact {
  Index node = NO_INDEX;  ///< the controller's scenario node
  std::string controller; ///< its node id (empty when ranked without a scenario)
  std::vector<std::size_t> branches_opened, generators_tripped, loads_tripped; ///< network indices
  double shed_mw = 0;           ///< load shed at the end (under-frequency shedding, islands without generation)
  double tripped_load_mw = 0;   ///< demand of the loads it tripped
  double load_at_risk_mw = 0;   ///< shed_mw + tripped_load_mw
  double customers_at_risk = 0; ///< customers of every load not served at the end (tripped or shed)
  std::vector<std::size_t> cascade_tripped; ///< branches tripped by protection, in trip order
  std::size_t islands_formed = 0;           ///< islands at the end minus islands of the base state
};

/// Every controller of `grid` (GridNetwork::controllers), worst first: load at risk, then customers at risk, then
/// cascade trips (all descending), then node index.
std::vector<ControllerImpact> rank_controllers(const GridNetwork& grid);

/// One grid's section of `cyberex analyze`.
struct GridSection {
  std::string grid; ///< scenario grid id, or the case name of a MATPOWER file
  power::Network network;
  double load_mw = 0;       ///< demand of the loads (and bus shunt conductance) in the base state
  double generation_mw = 0; ///< generation in the base state after balancing
  double base_shed_mw = 0;  ///< shed in the base state (0 for a grid that balances)
  N1Report n1;
  std::vector<ControllerImpact> controllers; ///< rank_controllers(); empty for a MATPOWER case alone
};

/// The section of a network alone (no controllers): what `cyberex analyze CASE.m` prints.
GridSection grid_section(const power::Network& net, const std::string& name);
/// The section of one networked grid of a scenario, controllers named by their node ids.
GridSection grid_section(const Scenario& scenario, const GridNetwork& grid);
/// One section per networked grid of the scenario (grid_networks()), in grid order.
std::vector<GridSection> grid_sections(const Scenario& scenario);

/// Aligned tables; `top` limits the contingency and controller tables.
std::string format_grid_text(const std::vector<GridSection>& grids, std::size_t top = 10);
/// A JSON array, one object per grid (stable key order, MW and percentages rounded to 6 decimals), no newline.
std::string format_grid_json(const std::vector<GridSection>& grids);

} // namespace cyberex
