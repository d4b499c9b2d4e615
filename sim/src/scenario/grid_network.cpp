/* A scenario's networked grids as power::Network objects (docs/scenario-format.md, "Networked grids"): the imported
 * MATPOWER case first, then the scenario's buses and branches, its generation units as generators and its
 * substations as loads, and the controllers that can open breakers or move setpoints. The loader builds each once
 * with its reports on (resolve.cpp); the engine, `analyze` and `powerflow` build them again from the valid scenario. */
#include "cyberex/grid_network.hpp"

#include "cyberex/diagnostic.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cyberex {

namespace {

bool all_digits(const std::string& s)
{
  return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string quoted(const std::string& s)
{
  return "'" + s + "'";
}

std::string bus_suggestion(const power::Network& net, const std::string& text)
{
  std::vector<std::string> ids;
  for (const auto& b : net.buses)
    ids.push_back(b.id);
  const std::string near = did_you_mean(text, ids);
  return near.empty() ? "" : "; did you mean " + quoted(near) + "?";
}

} // namespace

std::size_t find_bus(const power::Network& net, const std::string& text)
{
  for (std::size_t b = 0; b < net.buses.size(); ++b)
    if (net.buses[b].id == text)
      return b;
  if (all_digits(text))
    return net.bus_index(std::stoi(text));
  return power::NONE;
}

GridNetwork build_grid_network(const Scenario& s, Index g, const GridReport& report)
{
  const Grid& grid = s.grids[static_cast<std::size_t>(g)];
  GridNetwork out;
  out.grid = g;
  power::Network& net = out.network;
  if (grid.imported)
    net = *grid.imported;
  net.name = grid.id;
  out.protection.assign(net.branches.size(), BranchProtection{});

  // buses: explicit numbers first, then the others take the smallest free numbers in order
  const bool scenario_reference =
      std::any_of(grid.buses.begin(), grid.buses.end(), [](auto& b) { return b.reference; });
  if (scenario_reference)
    for (auto& b : net.buses)
      if (b.type == power::BusType::reference)
        b.type = power::BusType::pv; // the scenario names the reference bus
  std::set<int> used;
  for (const auto& b : net.buses)
    used.insert(b.number);
  std::set<std::string> ids;
  for (const auto& b : net.buses)
    ids.insert(b.id);
  for (const auto& b : grid.buses)
    if (b.number && !used.insert(*b.number).second)
      report(b.origin, "/number", "scenario.duplicate-id",
             "grid " + quoted(grid.id) + " has two buses numbered " + std::to_string(*b.number));
  int next = 1;
  bool have_reference = false;
  for (std::size_t i = 0; i < grid.buses.size(); ++i) {
    const GridBus& gb = grid.buses[i];
    if (gb.id.empty())
      continue;
    if (!ids.insert(gb.id).second) {
      report(gb.origin, "/id", "scenario.duplicate-id", "grid " + quoted(grid.id) + " has two buses " + quoted(gb.id));
      continue;
    }
    power::Bus b;
    b.id = gb.id;
    if (gb.number) {
      b.number = *gb.number;
    } else {
      while (used.count(next))
        ++next;
      b.number = next;
      used.insert(next);
    }
    if (gb.reference) {
      if (have_reference)
        report(gb.origin, "/type", "scenario.bad-value",
               "grid " + quoted(grid.id) + " has a second reference bus " + quoted(gb.id) + "; a grid has one");
      have_reference = true;
      b.type = power::BusType::reference;
    } else {
      b.type = power::BusType::pq;
    }
    if (gb.x && gb.y) {
      b.x = *gb.x;
      b.y = *gb.y;
      b.has_xy = true;
    }
    net.buses.push_back(std::move(b));
  }

  auto bus_of = [&](const Origin& o, const std::string& suffix, const std::string& text) {
    const std::size_t b = find_bus(net, text);
    if (b == power::NONE)
      report(o, suffix, "scenario.unknown-bus",
             "grid " + quoted(grid.id) + " has no bus " + quoted(text) + bus_suggestion(net, text));
    return b;
  };

  // branches
  std::set<std::string> branch_ids;
  for (const auto& b : net.branches)
    branch_ids.insert(b.id);
  for (const GridBranch& gb : grid.branches) {
    if (gb.id.empty())
      continue;
    if (!branch_ids.insert(gb.id).second) {
      report(gb.origin, "/id", "scenario.duplicate-id",
             "grid " + quoted(grid.id) + " has two branches " + quoted(gb.id));
      continue;
    }
    power::Branch b;
    b.id = gb.id;
    b.from = gb.from.empty() ? power::NONE : bus_of(gb.origin, "/from", gb.from);
    b.to = gb.to.empty() ? power::NONE : bus_of(gb.origin, "/to", gb.to);
    if (b.from == power::NONE || b.to == power::NONE || gb.x_pu == 0)
      continue;
    if (b.from == b.to) {
      report(gb.origin, "/to", "scenario.bad-value",
             "branch " + quoted(gb.id) + " connects bus " + quoted(net.buses[b.from].id) + " to itself");
      continue;
    }
    b.x_pu = gb.x_pu;
    b.tap = gb.tap;
    b.shift_deg = gb.shift_deg;
    b.rating_mw = gb.rating_mw;
    net.branches.push_back(std::move(b));
    out.protection.push_back(gb.protection);
  }

  // generation units and substations of the grid, in node order
  out.generator_node.assign(net.generators.size(), NO_INDEX);
  out.load_node.assign(net.loads.size(), NO_INDEX);
  std::vector<std::size_t> unit_generators;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const Node& n = s.nodes[i];
    if (n.grid_index != g || (n.kind != NodeKind::generation_unit && n.kind != NodeKind::substation))
      continue;
    if (n.bus.empty()) {
      report(n.origin, "", "scenario.missing-bus",
             std::string(n.kind == NodeKind::generation_unit ? "generation unit " : "substation ") + quoted(n.id) +
                 " is in networked grid " + quoted(grid.id) + " but has no \"bus\"; give it the bus it connects to");
      continue;
    }
    const std::size_t bus = bus_of(n.origin, "/bus", n.bus);
    if (bus == power::NONE)
      continue;
    if (n.kind == NodeKind::generation_unit) {
      power::Generator gen;
      gen.id = n.id;
      gen.bus = bus;
      gen.pmax_mw = n.capacity_mw;
      gen.pg_mw = n.setpoint_mw ? std::min(*n.setpoint_mw, n.capacity_mw) : -1; // -1: load-following, below
      if (n.setpoint_mw && *n.setpoint_mw > n.capacity_mw)
        report(n.origin, "/setpoint", "scenario.out-of-range",
               "setpoint of " + quoted(n.id) + " is above its capacity; it runs at its capacity");
      unit_generators.push_back(net.generators.size());
      net.generators.push_back(std::move(gen));
      out.generator_node.push_back(static_cast<Index>(i));
    } else {
      power::Load load;
      load.id = n.id;
      load.bus = bus;
      load.mw = n.load_mw;
      load.priority = n.shed_priority;
      load.customers = static_cast<double>(n.customers);
      net.loads.push_back(std::move(load));
      out.load_node.push_back(static_cast<Index>(i));
    }
  }
  // load-following dispatch: every unit without a setpoint runs at the grid's load / capacity share
  double load = 0, capacity = 0;
  for (const auto& l : net.loads)
    load += l.mw;
  for (const auto& b : net.buses)
    load += b.gs_mw;
  for (const auto& gen : net.generators)
    capacity += gen.in_service ? gen.pmax_mw : 0;
  const double share = capacity > 0 ? std::clamp(load / capacity, 0.0, 1.0) : 0.0;
  for (std::size_t k : unit_generators)
    if (net.generators[k].pg_mw < 0)
      net.generators[k].pg_mw = net.generators[k].pmax_mw * share;

  // controllers: equipment of this grid they control, in node order
  std::map<Index, std::size_t> gen_of_node, load_of_node;
  for (std::size_t k = 0; k < out.generator_node.size(); ++k)
    if (out.generator_node[k] >= 0)
      gen_of_node[out.generator_node[k]] = k;
  for (std::size_t k = 0; k < out.load_node.size(); ++k)
    if (out.load_node[k] >= 0)
      load_of_node[out.load_node[k]] = k;
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const Node& n = s.nodes[i];
    GridController c;
    c.node = static_cast<Index>(i);
    for (Index e : n.controls_index) {
      if (auto it = gen_of_node.find(e); it != gen_of_node.end())
        c.generators.push_back(it->second);
      if (auto it = load_of_node.find(e); it != load_of_node.end())
        c.loads.push_back(it->second);
    }
    for (const std::string& ref : n.controls) {
      if (ref.rfind("branch:", 0) != 0)
        continue;
      std::string id = ref.substr(7);
      const auto slash = id.find('/');
      if (slash != std::string::npos) {
        if (id.substr(0, slash) != grid.id)
          continue;
        id = id.substr(slash + 1);
      }
      for (std::size_t b = 0; b < net.branches.size(); ++b)
        if (net.branches[b].id == id)
          c.branches.push_back(b);
    }
    if (!c.branches.empty() || !c.generators.empty() || !c.loads.empty())
      out.controllers.push_back(std::move(c));
  }
  return out;
}

std::vector<GridNetwork> grid_networks(const Scenario& scenario)
{
  std::vector<GridNetwork> out;
  const GridReport ignore = [](const Origin&, const std::string&, const std::string&, const std::string&) {};
  for (std::size_t g = 0; g < scenario.grids.size(); ++g)
    if (scenario.grids[g].networked())
      out.push_back(build_grid_network(scenario, static_cast<Index>(g), ignore));
  return out;
}

namespace {

/// "GRID/ID" or "ID" (then the first networked grid that has it).
template <typename Match>
std::optional<std::pair<std::size_t, std::size_t>> find_in(const std::vector<GridNetwork>& grids,
                                                           const Scenario& scenario, const std::string& text,
                                                           bool need_grid, Match match)
{
  const auto slash = text.find('/');
  if (slash == std::string::npos && need_grid)
    return std::nullopt;
  const std::string grid = slash == std::string::npos ? "" : text.substr(0, slash);
  const std::string id = slash == std::string::npos ? text : text.substr(slash + 1);
  for (std::size_t k = 0; k < grids.size(); ++k) {
    if (!grid.empty() && scenario.grids[static_cast<std::size_t>(grids[k].grid)].id != grid)
      continue;
    const std::size_t i = match(grids[k].network, id);
    if (i != power::NONE)
      return std::make_pair(k, i);
  }
  return std::nullopt;
}

} // namespace

std::optional<std::pair<std::size_t, std::size_t>> find_branch(const std::vector<GridNetwork>& grids,
                                                               const Scenario& scenario, const std::string& ref)
{
  if (ref.rfind("branch:", 0) != 0)
    return std::nullopt;
  return find_in(grids, scenario, ref.substr(7), false, [](const power::Network& net, const std::string& id) {
    for (std::size_t b = 0; b < net.branches.size(); ++b)
      if (net.branches[b].id == id)
        return b;
    return power::NONE;
  });
}

std::optional<std::pair<std::size_t, std::size_t>> find_bus_ref(const std::vector<GridNetwork>& grids,
                                                                const Scenario& scenario, const std::string& ref)
{
  if (ref.rfind("bus:", 0) != 0)
    return std::nullopt;
  return find_in(grids, scenario, ref.substr(4), true,
                 [](const power::Network& net, const std::string& id) { return find_bus(net, id); });
}

} // namespace cyberex
