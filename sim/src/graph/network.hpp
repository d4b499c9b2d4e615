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

/// Component number of each vertex, numbered in order of their first vertex; `lost` vertices (when given) are left
/// out and get -1.
std::vector<int> components(const NetworkGraph& g, const std::vector<bool>* lost = nullptr);

/// Articulation points and bridges with the depth-first data that sizes what each one cuts off, all in O(V + E):
/// Boost's biconnected_components gives discovery times, low points and the DFS tree; subtree sizes follow, and the
/// vertices of a subtree are those whose discovery time lies in [disc[c], disc[c] + size[c]).
struct CutStructure {
  std::vector<std::size_t> disc; ///< discovery time (from 1)
  std::vector<std::size_t> pred; ///< DFS tree parent (itself for roots)
  std::vector<std::size_t> size; ///< DFS subtree size
  std::vector<int> comp;         ///< connected component
  std::vector<std::size_t> comp_size;
  std::vector<bool> articulation;
  std::vector<std::vector<std::size_t>> separated; ///< per vertex: children cut off by its removal, by disc
  std::vector<std::size_t> bridges;                ///< link indices, ascending

  /// Vertices of x's component separated from the largest remaining piece when x is removed.
  std::size_t cut_off(std::size_t x) const;
  /// Smaller side of a bridge (link index `link` between a and b).
  std::size_t bridge_cut_off(std::size_t a, std::size_t b) const;
  /// The piece v falls in when x is removed: a separated child of x, or SIZE_MAX for the rest of the component.
  std::size_t piece(std::size_t x, std::size_t v) const;
};

CutStructure cut_structure(const NetworkGraph& g);

} // namespace cyberex::graph_impl
