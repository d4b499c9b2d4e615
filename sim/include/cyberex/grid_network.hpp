#pragma once
// A scenario's networked grids (issue 15): a grid with `buses` (or a `matpower` import) is solved as a DC network
// instead of a copper plate. This maps the scenario's nodes onto the network's generators, loads and branches, for
// the engine, `analyze` and `powerflow`. Built once from a validated scenario.

#include "cyberex/model.hpp"
#include "cyberex/powerflow.hpp"

#include <cstddef>
#include <vector>

namespace cyberex {

struct GridController {
  Index node = NO_INDEX;                ///< the controller (PLC/RTU/HMI/SCADA) node
  std::vector<std::size_t> branches;    ///< branch breakers it can open (network branch indices)
  std::vector<std::size_t> generators;  ///< generators it controls (trip, setpoint)
  std::vector<std::size_t> loads;       ///< loads (substations) it controls (trip)
};

struct GridNetwork {
  Index grid = NO_INDEX;                 ///< scenario grid index
  power::Network network;                ///< buses, branches, generators, loads (imported case + scenario additions)
  std::vector<Index> generator_node;     ///< per network generator: its generation-unit node, or NO_INDEX
  std::vector<Index> load_node;          ///< per network load: its substation node, or NO_INDEX
  std::vector<GridController> controllers; ///< every controller with equipment in this grid, by node index
};

/// The networked grids of a validated scenario, in grid index order (grids without buses are left out).
std::vector<GridNetwork> grid_networks(const Scenario& scenario);

} // namespace cyberex
