#include "graph/network.hpp"
#include "graph/reach.hpp"

#include <boost/graph/biconnected_components.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/filtered_graph.hpp>

#include <algorithm>
#include <iterator>
#include <map>

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

struct Reach::Impl {
  const Scenario& s;
  NetworkGraph g;
};

Reach::Reach(const Scenario& scenario) : impl_(new Impl{scenario, build_network(scenario)}) {}
Reach::~Reach() = default;

namespace {

/// An out-edge of an undirected adjacency_list has the vertex it leaves as its source: the direction of travel.
struct FirewallLets {
  const NetworkGraph* g = nullptr;
  const Scenario* s = nullptr;
  const std::string* protocol = nullptr;
  bool operator()(NetworkGraph::edge_descriptor e) const
  {
    const Link& l = s->links[boost::get(boost::edge_index, *g, e)];
    return firewall_allows(l, static_cast<Index>(boost::source(e, *g)), *protocol);
  }
};

} // namespace

std::vector<char> Reach::from(const std::vector<Index>& sources, const std::string& protocol, bool firewalls) const
{
  const NetworkGraph& g = impl_->g;
  const std::size_t n = boost::num_vertices(g);
  std::vector<boost::default_color_type> color(n, boost::white_color);
  auto colors = boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g));
  const auto search = [&](const auto& graph) {
    for (Index src : sources)
      if (src >= 0 && static_cast<std::size_t>(src) < n && color[static_cast<std::size_t>(src)] == boost::white_color)
        boost::breadth_first_visit(graph, static_cast<std::size_t>(src), boost::color_map(colors));
  };
  if (firewalls)
    search(boost::filtered_graph<NetworkGraph, FirewallLets>(g, FirewallLets{&g, &impl_->s, &protocol}));
  else
    search(g);
  std::vector<char> out(n, 0);
  for (std::size_t v = 0; v < n; ++v)
    out[v] = color[v] != boost::white_color;
  return out;
}

namespace {

struct KeepVertex {
  const std::vector<bool>* lost = nullptr;
  bool operator()(std::size_t v) const { return lost == nullptr || !(*lost)[v]; }
};

} // namespace

std::vector<int> components(const NetworkGraph& g, const std::vector<bool>* lost)
{
  const std::size_t n = boost::num_vertices(g);
  boost::filtered_graph<NetworkGraph, boost::keep_all, KeepVertex> fg(g, boost::keep_all(), KeepVertex{lost});
  std::vector<int> comp(n, -1);
  boost::connected_components(fg, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
  return comp;
}

CutStructure cut_structure(const NetworkGraph& g)
{
  const std::size_t n = boost::num_vertices(g);
  CutStructure cs;
  cs.disc.assign(n, 0);
  cs.pred.assign(n, 0);
  cs.size.assign(n, 1);
  cs.articulation.assign(n, false);
  cs.separated.resize(n);
  std::vector<std::size_t> low(n, 0);
  const std::size_t unassigned = static_cast<std::size_t>(-1);
  std::vector<std::size_t> edge_comp;
  std::size_t max_link = 0;
  for (auto [e, end] = boost::edges(g); e != end; ++e)
    max_link = std::max(max_link, boost::get(boost::edge_index, g, *e) + 1);
  edge_comp.assign(max_link, unassigned);
  auto index = boost::get(boost::vertex_index, g);
  std::vector<std::size_t> points;
  auto [count, out] = boost::biconnected_components(
      g, boost::make_iterator_property_map(edge_comp.begin(), boost::get(boost::edge_index, g)),
      std::back_inserter(points),
      boost::discover_time_map(boost::make_iterator_property_map(cs.disc.begin(), index))
          .lowpoint_map(boost::make_iterator_property_map(low.begin(), index))
          .predecessor_map(boost::make_iterator_property_map(cs.pred.begin(), index)));
  (void)out;
  for (std::size_t v : points)
    cs.articulation[v] = true;

  cs.comp = components(g);
  int ncomp = 0;
  for (int c : cs.comp)
    ncomp = std::max(ncomp, c + 1);
  cs.comp_size.assign(static_cast<std::size_t>(ncomp), 0);
  for (int c : cs.comp)
    ++cs.comp_size[static_cast<std::size_t>(c)];

  std::vector<std::size_t> by_disc(n);
  for (std::size_t v = 0; v < n; ++v)
    by_disc[v] = v;
  std::sort(by_disc.begin(), by_disc.end(), [&](std::size_t a, std::size_t b) { return cs.disc[a] > cs.disc[b]; });
  for (std::size_t v : by_disc)
    if (cs.pred[v] != v)
      cs.size[cs.pred[v]] += cs.size[v];
  std::reverse(by_disc.begin(), by_disc.end()); // ascending discovery: children listed in order
  for (std::size_t c : by_disc) {
    std::size_t x = cs.pred[c];
    if (x != c && (cs.pred[x] == x || low[c] >= cs.disc[x]))
      cs.separated[x].push_back(c);
  }

  // A bridge is the only edge of its biconnected component, unless a parallel link doubles it (Boost's DFS leaves
  // an edge parallel to a tree edge out of every component).
  std::vector<std::size_t> edges_in(count, 0);
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> multiplicity;
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    std::size_t c = edge_comp[boost::get(boost::edge_index, g, *e)];
    if (c != unassigned)
      ++edges_in[c];
    std::size_t a = boost::source(*e, g);
    std::size_t b = boost::target(*e, g);
    ++multiplicity[{std::min(a, b), std::max(a, b)}];
  }
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    std::size_t li = boost::get(boost::edge_index, g, *e);
    std::size_t a = boost::source(*e, g);
    std::size_t b = boost::target(*e, g);
    if (edge_comp[li] != unassigned && edges_in[edge_comp[li]] == 1 &&
        multiplicity[{std::min(a, b), std::max(a, b)}] == 1)
      cs.bridges.push_back(li);
  }
  std::sort(cs.bridges.begin(), cs.bridges.end());
  return cs;
}

std::size_t CutStructure::cut_off(std::size_t x) const
{
  if (!articulation[x])
    return 0;
  const std::size_t others = comp_size[static_cast<std::size_t>(comp[x])] - 1;
  std::size_t in_pieces = 0;
  std::size_t largest = 0;
  for (std::size_t c : separated[x]) {
    in_pieces += size[c];
    largest = std::max(largest, size[c]);
  }
  largest = std::max(largest, others - in_pieces);
  return others - largest;
}

std::size_t CutStructure::bridge_cut_off(std::size_t a, std::size_t b) const
{
  std::size_t child = pred[b] == a ? b : a;
  std::size_t total = comp_size[static_cast<std::size_t>(comp[child])];
  return std::min(size[child], total - size[child]);
}

std::size_t CutStructure::piece(std::size_t x, std::size_t v) const
{
  const auto& kids = separated[x];
  auto it =
      std::upper_bound(kids.begin(), kids.end(), disc[v], [&](std::size_t d, std::size_t c) { return d < disc[c]; });
  if (it != kids.begin()) {
    std::size_t c = *(it - 1);
    if (disc[v] < disc[c] + size[c])
      return c;
  }
  return static_cast<std::size_t>(-1);
}

} // namespace cyberex::graph_impl
