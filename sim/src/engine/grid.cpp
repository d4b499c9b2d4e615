/* Networked grids in the engine (docs/engine.md, "Networked grids"): a DC power flow per grid with buses, re-solved
 * after every change, inverse-time branch protection on the calendar, cascading trips, islands and under-frequency
 * load shedding. A grid without buses stays a copper plate (world.cpp). */
#include "engine/impl.hpp"

#include <algorithm>
#include <cmath>

namespace cyberex {

namespace {

constexpr double EPS = 1e-9;

bool same_state(const power::State& a, const power::State& b)
{
  return a.branch_closed == b.branch_closed && a.gen_online == b.gen_online && a.gen_setpoint == b.gen_setpoint &&
         a.gen_capacity == b.gen_capacity && a.load_connected == b.load_connected;
}

/// L = loading / pickup of a closed, rated branch (0 when open or unrated).
double overload_ratio(const power::Network& net, const power::Solution& sol, const BranchProtection& p, std::size_t b)
{
  const double rating = net.branches[b].rating_mw;
  if (!(rating > 0) || !(p.pickup > 0) || b >= sol.flow_mw.size())
    return 0;
  return std::abs(sol.flow_mw[b]) / (rating * p.pickup);
}

} // namespace

void Simulation::Impl::init_networks()
{
  networks_ = grid_networks(sc_);
  grid_net_.assign(sc_.grids.size(), -1);
  nets_.clear();
  nets_.reserve(networks_.size());
  for (std::size_t k = 0; k < networks_.size(); ++k) {
    const GridNetwork& gn = networks_[k];
    grid_net_[static_cast<std::size_t>(gn.grid)] = static_cast<int>(k);
    NetGrid ng;
    ng.network = k;
    ng.solver = std::make_unique<power::Solver>(gn.network);
    ng.state = power::initial_state(gn.network);
    for (const auto& gen : gn.network.generators)
      ng.setpoint.push_back(gen.pg_mw);
    const std::size_t nb = gn.network.branches.size();
    ng.tripped.assign(nb, 0);
    ng.timer_gen.assign(nb, 0);
    ng.timer_due.assign(nb, NEVER);
    ng.overload_since.assign(nb, NEVER);
    ng.overload_after.assign(nb, "");
    ng.reported_shed.assign(gn.network.loads.size(), 0);
    for (std::size_t b = 0; b < gn.network.buses.size(); ++b)
      bus_refs_.emplace_back(k, b);
    for (std::size_t g = 0; g < gn.generator_node.size(); ++g)
      if (gn.generator_node[g] >= 0)
        unit_gen_[gn.generator_node[g]] = {k, g};
    nets_.push_back(std::move(ng));
  }
}

bool Simulation::Impl::balance_network(std::size_t g)
{
  NetGrid& ng = nets_[static_cast<std::size_t>(grid_net_[g])];
  const GridNetwork& gn = networks_[ng.network];
  const power::Network& net = gn.network;
  const double t = now();
  // the units' and substations' parts of the state follow their nodes
  for (std::size_t k = 0; k < net.generators.size(); ++k) {
    const Index u = gn.generator_node[k];
    if (u < 0) {
      ng.state.gen_setpoint[k] = std::min(ng.setpoint[k], ng.state.gen_capacity[k]);
      continue;
    }
    const NodeState& ns = nodes_[u];
    const bool online = !ns.stopped && !(t < ns.online_at);
    const double capacity = online ? unit_output(u) : 0;
    ng.state.gen_online[k] = online ? 1 : 0;
    ng.state.gen_capacity[k] = capacity;
    ng.state.gen_setpoint[k] = std::min(ng.setpoint[k], capacity);
  }
  for (std::size_t k = 0; k < net.loads.size(); ++k) {
    const Index n = gn.load_node[k];
    if (n < 0)
      continue;
    const NodeState& ns = nodes_[n];
    ng.state.load_connected[k] = ns.down || ns.dep_failed || ns.tripped ? 0 : 1;
  }
  if (!ng.solved || !same_state(ng.state, ng.solved_for)) {
    ng.sol = ng.solver->solve(ng.state, power::Balance::governor);
    ng.solved_for = ng.state;
    ng.solved = true;
  }
  const power::Solution& sol = ng.sol;

  bool changed = false;
  auto& gs = grids_[g];
  double available = 0, demand = 0, lost = 0;
  std::int64_t customers = 0;
  for (std::size_t k = 0; k < net.generators.size(); ++k)
    if (ng.state.gen_online[k])
      available += ng.state.gen_capacity[k];
  for (std::size_t k = 0; k < net.loads.size(); ++k) {
    const power::Load& load = net.loads[k];
    const bool connected = ng.state.load_connected[k] != 0;
    const bool served = k < sol.load_served.size() && sol.load_served[k] != 0;
    if (connected)
      demand += load.mw;
    if (!served && load.mw > 0) { // a shed or disconnected load counts as lost
      lost += load.mw;
      customers += static_cast<std::int64_t>(std::llround(load.customers));
    }
    const Index n = gn.load_node[k];
    if (n >= 0) {
      const bool shed = connected && !served;
      if (nodes_[n].shed != shed) {
        nodes_[n].shed = shed;
        changed = true;
      }
    }
  }
  changed = changed || lost != gs.lost_mw;
  gs.available = available;
  gs.demand = demand;
  gs.lost_mw = lost;
  gs.customers_lost = customers;
  gs.shedding = sol.shed_mw > EPS;
  return changed;
}

bool Simulation::Impl::bus_failed(Index ref) const
{
  if (ref < 0 || static_cast<std::size_t>(ref) >= bus_refs_.size())
    return false;
  const auto [k, b] = bus_refs_[static_cast<std::size_t>(ref)];
  const NetGrid& ng = nets_[k];
  if (!ng.solved)
    return false;
  const power::Network& net = networks_[ng.network].network;
  const std::size_t island = ng.sol.island[b];
  if (island >= ng.sol.islands.size() || !ng.sol.islands[island].energised)
    return true; // de-energised: its island has no generation
  for (std::size_t l = 0; l < net.loads.size(); ++l)
    if (net.loads[l].bus == b && ng.state.load_connected[l] && !ng.sol.load_served[l])
      return true; // its load is shed
  return false;
}

std::optional<double> Simulation::Impl::network_output(Index unit) const
{
  auto it = unit_gen_.find(unit);
  if (it == unit_gen_.end())
    return std::nullopt;
  const NetGrid& ng = nets_[it->second.first];
  if (!ng.solved || it->second.second >= ng.sol.gen_mw.size())
    return 0.0;
  return ng.sol.gen_mw[it->second.second];
}

void Simulation::Impl::report_networks()
{
  const double t = now();
  for (std::size_t k = 0; k < nets_.size(); ++k) {
    NetGrid& ng = nets_[k];
    if (!ng.solved)
      continue;
    const GridNetwork& gn = networks_[ng.network];
    const power::Network& net = gn.network;
    const power::Solution& sol = ng.sol;
    const std::string grid = sc_.grids[static_cast<std::size_t>(gn.grid)].id;
    auto bus_ids = [&](const std::vector<std::size_t>& buses) {
      std::vector<std::string> ids;
      for (std::size_t b : buses)
        ids.push_back(net.buses[b].id);
      return ids;
    };

    // islands: a new island that takes buses of several old ones is a merge, any other new island formed
    std::vector<std::vector<std::size_t>> islands;
    for (const auto& isl : sol.islands)
      islands.push_back(isl.buses);
    if (ng.reported && islands != ng.reported_islands) {
      std::vector<std::size_t> old_of(net.buses.size(), 0);
      for (std::size_t i = 0; i < ng.reported_islands.size(); ++i)
        for (std::size_t b : ng.reported_islands[i])
          old_of[b] = i;
      for (std::size_t i = 0; i < islands.size(); ++i) {
        if (std::find(ng.reported_islands.begin(), ng.reported_islands.end(), islands[i]) != ng.reported_islands.end())
          continue;
        std::vector<std::size_t> olds;
        for (std::size_t b : islands[i])
          olds.push_back(old_of[b]);
        std::sort(olds.begin(), olds.end());
        olds.erase(std::unique(olds.begin(), olds.end()), olds.end());
        const power::Island& isl = sol.islands[i];
        emit(olds.size() > 1 ? RecordType::island_merged : RecordType::island_formed, "grid:" + grid,
             Details()
                 .str("grid", grid)
                 .strings("buses", bus_ids(isl.buses))
                 .num("generation_mw", isl.generation_mw)
                 .num("load_mw", isl.load_mw)
                 .num("shed_mw", isl.shed_mw)
                 .str("cause", power_cause_)
                 .done());
      }
    }
    ng.reported_islands = std::move(islands);

    // loads shed (under-frequency relays, or no generation in the island) and restored
    for (std::size_t l = 0; l < net.loads.size(); ++l) {
      const bool shed = ng.state.load_connected[l] && l < sol.load_served.size() && !sol.load_served[l];
      if (shed == static_cast<bool>(ng.reported_shed[l]))
        continue;
      ng.reported_shed[l] = shed;
      const power::Load& load = net.loads[l];
      const std::size_t island = sol.island[load.bus];
      const bool dead = island >= sol.islands.size() || !sol.islands[island].energised;
      Details d;
      d.str("grid", grid).str("bus", net.buses[load.bus].id).num("mw", load.mw);
      d.integer("customers", std::llround(load.customers)).integer("priority", load.priority);
      if (shed)
        d.str("cause", dead ? "no generation" : "under-frequency").str("after", power_cause_);
      emit(shed ? RecordType::load_shed : RecordType::load_restored, "load:" + grid + "/" + load.id, d.done());
    }

    // protection: an overload above the pickup starts (or shortens) the inverse-time timer, its end cancels it
    int overloaded = 0;
    for (std::size_t b = 0; b < net.branches.size(); ++b) {
      const BranchProtection& p = gn.protection[b];
      const double ratio = ng.state.branch_closed[b] ? overload_ratio(net, sol, p, b) : 0;
      if (ratio > 1 + EPS) {
        ++overloaded;
        const double due = t + p.time_dial_s / (ratio - 1);
        if (ng.timer_due[b] == NEVER) {
          ng.overload_since[b] = t;
          ng.overload_after[b] = power_cause_;
        }
        if (due < ng.timer_due[b]) {
          ng.timer_due[b] = due;
          const std::uint64_t gen = ++ng.timer_gen[b];
          schedule(
              due,
              [](Simulation& sim, std::uint64_t x, std::uint64_t g2) {
                sim.impl_->protection_fire(static_cast<std::size_t>(x >> 32), static_cast<std::size_t>(x & 0xffffffffu),
                                           g2);
              },
              (static_cast<std::uint64_t>(k) << 32) | static_cast<std::uint64_t>(b), gen);
        }
      } else if (ng.timer_due[b] != NEVER) {
        ng.timer_due[b] = NEVER; // the overload cleared: the relay resets
        ++ng.timer_gen[b];
      }
    }
    ng.overloaded = overloaded;
    ng.reported = true;
  }
}

void Simulation::Impl::protection_fire(std::size_t k, std::size_t b, std::uint64_t gen)
{
  NetGrid& ng = nets_[k];
  if (ng.timer_gen[b] != gen || !ng.state.branch_closed[b])
    return;
  const GridNetwork& gn = networks_[ng.network];
  const power::Network& net = gn.network;
  const double ratio = overload_ratio(net, ng.sol, gn.protection[b], b);
  ng.timer_due[b] = NEVER;
  if (!(ratio > 1 + EPS))
    return;
  const std::string grid = sc_.grids[static_cast<std::size_t>(gn.grid)].id;
  const std::string subject = "branch:" + grid + "/" + net.branches[b].id;
  ng.state.branch_closed[b] = 0;
  ng.tripped[b] = 1;
  emit(RecordType::branch_tripped, subject,
       Details()
           .str("grid", grid)
           .num("flow_mw", ng.sol.flow_mw[b])
           .num("loading_pct", ng.sol.loading_pct[b])
           .num("pickup", gn.protection[b].pickup)
           .num("delay", now() - ng.overload_since[b])
           .num("overloaded_at", ng.overload_since[b])
           .str("cause", "protection")
           .str("after", ng.overload_after[b])
           .done());
  power_cause_ = subject + " tripped";
  refresh();
}

void Simulation::Impl::open_controlled_branches(Index controller, const std::string& campaign)
{
  for (NetGrid& ng : nets_) {
    const GridNetwork& gn = networks_[ng.network];
    const std::string grid = sc_.grids[static_cast<std::size_t>(gn.grid)].id;
    for (const GridController& c : gn.controllers) {
      if (c.node != controller)
        continue;
      for (std::size_t b : c.branches) {
        if (!ng.state.branch_closed[b])
          continue;
        ng.state.branch_closed[b] = 0;
        ng.tripped[b] = 0;
        const std::string subject = "branch:" + grid + "/" + gn.network.branches[b].id;
        emit(RecordType::breaker_opened, subject,
             Details().str("grid", grid).str("campaign", campaign).str("by", sc_.nodes[controller].id).done());
        power_cause_ = subject + " opened";
      }
    }
  }
}

std::vector<Index> Simulation::Impl::set_controlled_setpoints(Index controller, double mw, const std::string& campaign)
{
  std::vector<std::pair<std::size_t, std::size_t>> gens;
  for (NetGrid& ng : nets_) {
    const GridNetwork& gn = networks_[ng.network];
    for (const GridController& c : gn.controllers)
      if (c.node == controller)
        for (std::size_t g : c.generators)
          gens.emplace_back(ng.network, g);
  }
  if (auto it = unit_gen_.find(controller); it != unit_gen_.end())
    gens.push_back(it->second);
  std::sort(gens.begin(), gens.end());
  gens.erase(std::unique(gens.begin(), gens.end()), gens.end());
  std::vector<Index> moved;
  for (const auto& [k, g] : gens) {
    NetGrid& ng = nets_[k];
    const GridNetwork& gn = networks_[ng.network];
    const power::Generator& gen = gn.network.generators[g];
    const double to = std::clamp(mw, 0.0, gen.pmax_mw);
    const Index u = gn.generator_node[g];
    if (u >= 0)
      moved.push_back(u);
    if (u >= 0 && nodes_[u].manual)
      continue; // the caller reports the manual override
    ng.setpoint[g] = to;
    const std::string grid = sc_.grids[static_cast<std::size_t>(gn.grid)].id;
    emit(RecordType::setpoint_changed, u >= 0 ? "node:" + sc_.nodes[u].id : "generator:" + grid + "/" + gen.id,
         Details()
             .str("grid", grid)
             .num("setpoint_mw", to)
             .str("campaign", campaign)
             .str("by", sc_.nodes[controller].id)
             .done());
    power_cause_ = (u >= 0 ? "node:" + sc_.nodes[u].id : "generator:" + grid + "/" + gen.id) + " setpoint changed";
  }
  return moved;
}

bool Simulation::Impl::close_branch(const std::string& ref, const std::string& team)
{
  auto found = find_branch(networks_, sc_, ref);
  if (!found)
    return false;
  NetGrid& ng = nets_[found->first];
  const std::size_t b = found->second;
  if (ng.state.branch_closed[b])
    return false;
  const GridNetwork& gn = networks_[ng.network];
  const std::string grid = sc_.grids[static_cast<std::size_t>(gn.grid)].id;
  const std::string subject = "branch:" + grid + "/" + gn.network.branches[b].id;
  ng.state.branch_closed[b] = 1;
  ng.tripped[b] = 0;
  emit(RecordType::breaker_closed, subject, Details().str("team", team).str("grid", grid).done());
  power_cause_ = subject + " closed";
  return true;
}

std::string Simulation::Impl::grid_details(std::size_t g) const
{
  const GridState& gs = grids_[g];
  const NetGrid& ng = nets_[static_cast<std::size_t>(grid_net_[g])];
  return Details()
      .num("available", gs.available)
      .num("demand", gs.demand)
      .num("lost_mw", gs.lost_mw)
      .integer("customers_lost", gs.customers_lost)
      .num("shed_mw", ng.sol.shed_mw)
      .integer("overloaded", ng.overloaded)
      .integer("islands", static_cast<long long>(ng.sol.islands.size()))
      .done();
}

} // namespace cyberex
