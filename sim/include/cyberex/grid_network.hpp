#pragma once
// A scenario's networked grids (issue 15): a grid with `buses` (or a `matpower` import) is solved as a DC network
// instead of a copper plate. This maps the scenario's nodes onto the network's generators, loads and branches, for
// the engine, `analyze` and `powerflow`. Built once from a validated scenario.

#include "cyberex/model.hpp"
#include "cyberex/powerflow.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cyberex {

struct GridController {
  Index node = NO_INDEX;               ///< the controller (PLC/RTU/HMI/SCADA) node
  std::vector<std::size_t> branches;   ///< branch breakers it can open (network branch indices)
  std::vector<std::size_t> generators; ///< generators it controls (trip, setpoint)
  std::vector<std::size_t> loads;      ///< loads (substations) it controls (trip)
};

struct GridNetwork {
  Index grid = NO_INDEX;                    ///< scenario grid index
  power::Network network;                   ///< buses, branches, generators, loads (imported case + scenario additions)
  std::vector<Index> generator_node;        ///< per network generator: its generation-unit node, or NO_INDEX
  std::vector<Index> load_node;             ///< per network load: its substation node, or NO_INDEX
  std::vector<GridController> controllers;  ///< every controller with equipment in this grid, by node index
  std::vector<BranchProtection> protection; ///< per network branch (imported branches: the defaults)
};

/// The networked grids of a validated scenario, in grid index order (grids without buses are left out).
std::vector<GridNetwork> grid_networks(const Scenario& scenario);

/// What the loader reports while building a grid's network: at `origin.pointer + suffix`.
using GridReport = std::function<void(const Origin& origin, const std::string& suffix, const std::string& code,
                                      const std::string& message)>;
/// The network of scenario grid `grid` (networked), reporting every problem it meets and leaving the faulty part
/// out. grid_networks() is this with the reports ignored.
GridNetwork build_grid_network(const Scenario& scenario, Index grid, const GridReport& report);

/// A bus of `net` named by its id, else by its number when `text` is all digits; NONE when absent.
std::size_t find_bus(const power::Network& net, const std::string& text);

/// A branch named "branch:ID" or "branch:GRID/ID" (a team's close_breaker target, a controller's `controls`):
/// (index into `grids`, branch index), or nothing.
std::optional<std::pair<std::size_t, std::size_t>> find_branch(const std::vector<GridNetwork>& grids,
                                                               const Scenario& scenario, const std::string& ref);
/// A bus named "bus:GRID/BUS" (a dependency's `on`): (index into `grids`, bus index), or nothing.
std::optional<std::pair<std::size_t, std::size_t>> find_bus_ref(const std::vector<GridNetwork>& grids,
                                                                const Scenario& scenario, const std::string& ref);

} // namespace cyberex
