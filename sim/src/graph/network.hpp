/* The network graph of a scenario as a Boost.Graph (internal to sim/src/graph). */
#pragma once

#include "cyberex/model.hpp"

#include <boost/graph/adjacency_list.hpp>

#include <cstddef>
#include <vector>

namespace cyberex::graph_impl {

/// Undirected, vertex i = scenario node i, edge index = link index; links with unresolved ends and self-loops are
/// left out. Parallel links are kept.
using NetworkGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                           boost::property<boost::edge_index_t, std::size_t>>;

NetworkGraph build_network(const Scenario& scenario);

/// Nodes the adversary's traffic passes through without compromising them.
bool is_transit(NodeKind kind);

/// Whether `link` lets a step's `protocol` through from node `from` to its other end (first matching rule).
bool firewall_allows(const Link& link, Index from, const std::string& protocol);

/// Component number of each vertex; `removed_vertex` / `removed_edge` (link index) are left out when not -1 / SIZE_MAX
/// (a removed vertex gets component -1).
std::vector<int> components(const NetworkGraph& g, Index removed_vertex = NO_INDEX,
                            std::size_t removed_edge = static_cast<std::size_t>(-1));

/// Vertices reachable from `start` without passing through `lost` vertices (start must not be lost).
std::vector<bool> reachable_avoiding(const NetworkGraph& g, Index start, const std::vector<bool>& lost);

} // namespace cyberex::graph_impl
