/* N-1 screening report, protection cascade and the cyber-physical ranking of controllers (grid_analysis.hpp). */
#include "cyberex/grid_analysis.hpp"

#include <algorithm>

namespace cyberex {

namespace {

// A branch is overloaded above 100 % of its rating; the margin keeps a branch loaded at exactly its rating (a
// figure that rounding may put a hair above) from tripping.
constexpr double OVERLOAD_PCT = 100.0 + 1e-9;

bool worse_contingency(const power::Contingency& a, const power::Contingency& b)
{
  if (a.load_at_risk_mw != b.load_at_risk_mw)
    return a.load_at_risk_mw > b.load_at_risk_mw;
  if (a.max_loading_pct != b.max_loading_pct)
    return a.max_loading_pct > b.max_loading_pct;
  if (a.kind != b.kind)
    return a.kind == power::Contingency::Kind::branch;
  return a.index < b.index;
}

double max_loading(const power::Network& net, const power::Solution& sol)
{
  double worst = 0;
  for (std::size_t b = 0; b < net.branches.size(); ++b)
    worst = std::max(worst, sol.loading_pct[b]);
  return worst;
}

} // namespace

CascadeOutcome cascade_to_stability(power::Solver& solver, power::State& state)
{
  CascadeOutcome out;
  const power::Network& net = solver.network();
  for (;;) {
    out.solution = solver.solve(state, power::Balance::governor);
    ++out.solves;
    std::size_t worst = power::NONE;
    for (std::size_t b = 0; b < net.branches.size(); ++b) {
      if (!state.branch_closed[b] || net.branches[b].rating_mw <= 0)
        continue;
      const double loading = out.solution.loading_pct[b];
      if (loading > OVERLOAD_PCT && (worst == power::NONE || loading > out.solution.loading_pct[worst]))
        worst = b;
    }
    if (worst == power::NONE)
      return out;
    state.branch_closed[worst] = 0;
    out.tripped.push_back(worst);
  }
}

N1Report n1_report(const power::Network& net, bool keep_flows, power::Balance balance)
{
  N1Report r;
  power::Solver solver(net);
  const power::State base = power::initial_state(net);
  r.base_max_loading_pct = max_loading(net, solver.solve(base, balance));
  power::ScreenOptions options;
  options.balance = balance;
  options.keep_flows = keep_flows;
  r.contingencies = solver.screen(base, options);
  std::stable_sort(r.contingencies.begin(), r.contingencies.end(), worse_contingency);
  r.screened = r.contingencies.size();
  for (const auto& c : r.contingencies) {
    const bool overloads = !c.overloaded.empty();
    const bool sheds = c.load_at_risk_mw > 0;
    r.with_overloads += overloads ? 1 : 0;
    r.islanding += c.islands ? 1 : 0;
    r.with_load_at_risk += sheds ? 1 : 0;
    r.secure += !overloads && !c.islands && !sheds ? 1 : 0;
  }
  return r;
}

std::vector<ControllerImpact> rank_controllers(const GridNetwork& grid)
{
  const power::Network& net = grid.network;
  power::Solver solver(net);
  const power::State base = power::initial_state(net);
  const std::size_t base_islands = solver.solve(base, power::Balance::governor).islands.size();

  std::vector<ControllerImpact> out;
  for (const GridController& c : grid.controllers) {
    ControllerImpact impact;
    impact.node = c.node;
    impact.branches_opened = c.branches;
    impact.generators_tripped = c.generators;
    impact.loads_tripped = c.loads;
    power::State state = base;
    for (std::size_t b : c.branches)
      state.branch_closed[b] = 0;
    for (std::size_t g : c.generators)
      state.gen_online[g] = 0;
    for (std::size_t l : c.loads) {
      if (state.load_connected[l])
        impact.tripped_load_mw += net.loads[l].mw;
      state.load_connected[l] = 0;
    }
    CascadeOutcome cascade = cascade_to_stability(solver, state);
    impact.shed_mw = cascade.solution.shed_mw;
    impact.load_at_risk_mw = impact.shed_mw + impact.tripped_load_mw;
    for (std::size_t l = 0; l < net.loads.size(); ++l)
      if (!cascade.solution.load_served[l])
        impact.customers_at_risk += net.loads[l].customers;
    impact.cascade_tripped = std::move(cascade.tripped);
    const std::size_t islands = cascade.solution.islands.size();
    impact.islands_formed = islands > base_islands ? islands - base_islands : 0;
    out.push_back(std::move(impact));
  }
  std::stable_sort(out.begin(), out.end(), [](const ControllerImpact& a, const ControllerImpact& b) {
    if (a.load_at_risk_mw != b.load_at_risk_mw)
      return a.load_at_risk_mw > b.load_at_risk_mw;
    if (a.customers_at_risk != b.customers_at_risk)
      return a.customers_at_risk > b.customers_at_risk;
    if (a.cascade_tripped.size() != b.cascade_tripped.size())
      return a.cascade_tripped.size() > b.cascade_tripped.size();
    return a.node < b.node;
  });
  return out;
}

GridSection grid_section(const power::Network& net, const std::string& name)
{
  GridSection r;
  r.grid = name;
  r.network = net;
  {
    power::Solver solver(net);
    const power::Solution base = solver.solve(power::initial_state(net), power::Balance::governor);
    for (const auto& island : base.islands) {
      r.load_mw += island.load_mw + island.shed_mw;
      r.generation_mw += island.generation_mw;
    }
    r.base_shed_mw = base.shed_mw;
  }
  r.n1 = n1_report(net);
  return r;
}

GridSection grid_section(const Scenario& scenario, const GridNetwork& grid)
{
  const std::string id = grid.grid >= 0 && static_cast<std::size_t>(grid.grid) < scenario.grids.size()
                             ? scenario.grids[static_cast<std::size_t>(grid.grid)].id
                             : grid.network.name;
  GridSection r = grid_section(grid.network, id);
  r.controllers = rank_controllers(grid);
  for (auto& c : r.controllers)
    if (c.node >= 0 && static_cast<std::size_t>(c.node) < scenario.nodes.size())
      c.controller = scenario.nodes[static_cast<std::size_t>(c.node)].id;
  return r;
}

} // namespace cyberex
