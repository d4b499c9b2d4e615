#include "graph/network.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/filtered_graph.hpp>

namespace cyberex::graph_impl {

NetworkGraph build_network(const Scenario& scenario)
{
  NetworkGraph g(scenario.nodes.size());
  const auto n = static_cast<Index>(scenario.nodes.size());
  for (std::size_t i = 0; i < scenario.links.size(); ++i) {
    const Link& l = scenario.links[i];
    if (l.a_index < 0 || l.b_index < 0 || l.a_index >= n || l.b_index >= n || l.a_index == l.b_index)
      continue;
    boost::add_edge(static_cast<std::size_t>(l.a_index), static_cast<std::size_t>(l.b_index), i, g);
  }
  return g;
}

bool is_transit(NodeKind kind)
{
  switch (kind) {
  case NodeKind::router:
  case NodeKind::switch_:
  case NodeKind::firewall:
  case NodeKind::vpn_gateway:
  case NodeKind::internet:
    return true;
  default:
    return false;
  }
}

bool firewall_allows(const Link& link, Index from, const std::string& protocol)
{
  for (const auto& rule : link.firewall) {
    if (rule.protocol != "any" && rule.protocol != protocol)
      continue;
    bool direction = rule.direction == FirewallRule::Direction::both ||
                     (rule.direction == FirewallRule::Direction::a_to_b && from == link.a_index) ||
                     (rule.direction == FirewallRule::Direction::b_to_a && from == link.b_index);
    if (direction)
      return rule.action == FirewallAction::allow;
  }
  return true;
}

namespace {

struct KeepEdge {
  const NetworkGraph* g = nullptr;
  std::size_t removed = static_cast<std::size_t>(-1);
  bool operator()(NetworkGraph::edge_descriptor e) const { return boost::get(boost::edge_index, *g, e) != removed; }
};

struct KeepVertex {
  Index removed = NO_INDEX;
  const std::vector<bool>* lost = nullptr;
  bool operator()(std::size_t v) const { return static_cast<Index>(v) != removed && (lost == nullptr || !(*lost)[v]); }
};

} // namespace

std::vector<int> components(const NetworkGraph& g, Index removed_vertex, std::size_t removed_edge)
{
  const std::size_t n = boost::num_vertices(g);
  boost::filtered_graph<NetworkGraph, KeepEdge, KeepVertex> fg(g, KeepEdge{&g, removed_edge},
                                                               KeepVertex{removed_vertex, nullptr});
  // connected_components needs a component for every vertex of the underlying graph's index space.
  std::vector<int> comp(n, -1);
  boost::connected_components(fg, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
  if (removed_vertex != NO_INDEX)
    comp[static_cast<std::size_t>(removed_vertex)] = -1;
  return comp;
}

std::vector<bool> reachable_avoiding(const NetworkGraph& g, Index start, const std::vector<bool>& lost)
{
  const std::size_t n = boost::num_vertices(g);
  std::vector<bool> seen(n, false);
  boost::filtered_graph<NetworkGraph, boost::keep_all, KeepVertex> fg(g, boost::keep_all(),
                                                                      KeepVertex{NO_INDEX, &lost});
  struct Visitor : boost::default_bfs_visitor {
    std::vector<bool>* seen;
    void discover_vertex(std::size_t v, const decltype(fg)&) const { (*seen)[v] = true; }
  } vis;
  vis.seen = &seen;
  std::vector<boost::default_color_type> color(n);
  boost::breadth_first_search(fg, static_cast<std::size_t>(start),
                              boost::visitor(vis).color_map(boost::make_iterator_property_map(
                                  color.begin(), boost::get(boost::vertex_index, g))));
  return seen;
}

} // namespace cyberex::graph_impl
