/* The attack graph of a campaign and its most likely path.
 *
 * The rules deciding what the adversary can do are documented on AttackPathResult (cyberex/analysis.hpp). The graph
 * that implements them stays linear in the size of the network:
 *  - state vertices: "foothold v" (the adversary holds node v and may launch steps from it), "reached v" (a step
 *    acted on v without a foothold), and the adversary outside;
 *  - one traffic layer per (protocol, source) pair of the campaign's steps: in a layer, every non-infrastructure
 *    node x has a vertex out(x), traffic leaving x, and a vertex in(x), traffic arriving at x, which forwards
 *    nothing; an infrastructure node has one vertex for both. Each link gives the zero-cost edges out(a) → in(b) and
 *    out(b) → in(a) that its firewall rules let the layer's protocol through;
 *  - launch edges (cost 0): outside → out(e) for the entry nodes e in external layers (and out(e) → in(e), so an
 *    external step may act on the entry node itself); outside → out(a) for attacker nodes a matching a selector
 *    source; foothold u → out(u) in the "compromised" layers and in the selector layers whose selector matches u;
 *  - step edges: in(v) → foothold v (effect compromise) or reached v (any other effect), weight -ln(p × e), the best
 *    step of the layer for that pair.
 * Dijkstra from outside gives the most likely way to every state; ties are broken by the fewest edges, then by the
 * earliest node in scenario order (a breadth-first search over the tight edges counts the edges). */
#include "cyberex/scenario.hpp"
#include "graph/analysis_impl.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace cyberex::graph_impl {

namespace {

constexpr double INF = std::numeric_limits<double>::infinity();
constexpr double TIE = 1e-9; // costs closer than this are equal: -ln p sums differ in the last bits only
constexpr std::size_t NO_STEP = static_cast<std::size_t>(-1);

// Best exploitability of `node` for `technique`; 0 when no vulnerability enables it.
double exploitability(const Node& node, const std::string& technique)
{
  const std::string parent = technique.substr(0, technique.find('.'));
  double best = 0;
  for (const auto& v : node.vulnerabilities) {
    bool enables = v.techniques.empty() ||
                   std::find(v.techniques.begin(), v.techniques.end(), technique) != v.techniques.end() ||
                   std::find(v.techniques.begin(), v.techniques.end(), parent) != v.techniques.end();
    if (enables)
      best = std::max(best, v.exploitability);
  }
  return best;
}

// Steps whose prerequisites can be met at all (fixpoint, see AttackPathResult).
std::vector<bool> usable_steps(const Campaign& c)
{
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < c.steps.size(); ++i)
    by_id.emplace(c.steps[i].id, i);
  std::vector<bool> usable(c.steps.size(), true);
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < c.steps.size(); ++i) {
      if (!usable[i])
        continue;
      const Step& st = c.steps[i];
      bool ok = true;
      for (const auto& r : st.requires_.steps) {
        auto it = by_id.find(r);
        ok = ok && it != by_id.end() && usable[it->second] && it->second != i;
      }
      if (ok && !st.requires_.credentials.empty()) {
        bool harvested = false;
        for (std::size_t h = 0; h < c.steps.size() && !harvested; ++h) {
          if (h == i || !usable[h] || c.steps[h].effect != StepEffect::credential)
            continue;
          for (const auto& cred : c.steps[h].credentials)
            harvested = harvested || std::find(st.requires_.credentials.begin(), st.requires_.credentials.end(),
                                               cred) != st.requires_.credentials.end();
        }
        ok = harvested;
      }
      if (!ok) {
        usable[i] = false;
        changed = true;
      }
    }
  }
  return usable;
}

struct Edge {
  std::size_t from;
  std::size_t to;
  double weight;
  std::size_t step; ///< NO_STEP for traffic and launch edges
};

using AttackGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                          boost::property<boost::edge_index_t, std::size_t>>;

/// Vertex numbering of the attack graph.
struct Layout {
  std::size_t n;      ///< scenario nodes
  std::size_t layers; ///< traffic layers
  const Scenario* s;

  std::size_t foothold(std::size_t v) const { return v; }
  std::size_t reached(std::size_t v) const { return n + v; }
  std::size_t outside() const { return 2 * n; }
  std::size_t size() const { return 2 * n + 1 + layers * 2 * n; }
  std::size_t out(std::size_t layer, std::size_t x) const { return 2 * n + 1 + layer * 2 * n + 2 * x; }
  std::size_t in(std::size_t layer, std::size_t x) const
  {
    return out(layer, x) + (is_transit(s->nodes[x].kind) ? 0 : 1);
  }
  /// The scenario node of a vertex (n for outside).
  std::size_t node(std::size_t vertex) const
  {
    if (vertex < 2 * n)
      return vertex % n;
    if (vertex == 2 * n)
      return n;
    return (vertex - 2 * n - 1) % (2 * n) / 2;
  }
  bool is_layer(std::size_t vertex) const { return vertex > 2 * n; }
  bool is_in_slot(std::size_t vertex) const { return is_layer(vertex) && (vertex - 2 * n - 1) % 2 == 1; }
};

} // namespace

AttackPathResult attack_path(const Scenario& s, const Campaign& c)
{
  AttackPathResult out;
  out.campaign = c.id;
  const std::size_t n = s.nodes.size();

  std::set<Index> entry;
  for (const auto& sel : c.entry)
    for (Index i : select_nodes(s, sel))
      entry.insert(i);
  if (entry.empty() && c.c2.node_index >= 0 && static_cast<std::size_t>(c.c2.node_index) < n)
    entry.insert(c.c2.node_index);
  for (Index i : entry)
    out.entry.push_back(s.nodes[static_cast<std::size_t>(i)].id);

  // Steps that can act, their targets, their layers.
  const std::vector<bool> usable = usable_steps(c);
  std::vector<std::vector<Index>> targets(c.steps.size());
  std::map<std::pair<std::string, std::string>, std::size_t> layer_of; // (protocol, source) → layer
  std::vector<std::size_t> step_layer(c.steps.size(), NO_STEP);
  std::vector<const Step*> layer_step; // one step of each layer, for its protocol and source
  std::vector<bool> can_hold(n, false);
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    const Step& st = c.steps[k];
    if (!usable[k] || !(st.probability > 0))
      continue;
    targets[k] = select_nodes(s, st.target);
    auto [it, added] = layer_of.emplace(std::make_pair(st.protocol, st.source), layer_step.size());
    if (added)
      layer_step.push_back(&st);
    step_layer[k] = it->second;
    if (st.effect == StepEffect::compromise)
      for (Index v : targets[k])
        can_hold[static_cast<std::size_t>(v)] = true;
  }
  const Layout at{n, layer_step.size(), &s};

  std::vector<Edge> edges;
  for (std::size_t layer = 0; layer < layer_step.size(); ++layer) {
    const Step& st = *layer_step[layer];
    for (const Link& l : s.links) {
      if (l.a_index < 0 || l.b_index < 0 || l.a_index == l.b_index || static_cast<std::size_t>(l.a_index) >= n ||
          static_cast<std::size_t>(l.b_index) >= n)
        continue;
      auto a = static_cast<std::size_t>(l.a_index);
      auto b = static_cast<std::size_t>(l.b_index);
      if (firewall_allows(l, l.a_index, st.protocol))
        edges.push_back(Edge{at.out(layer, a), at.in(layer, b), 0, NO_STEP});
      if (firewall_allows(l, l.b_index, st.protocol))
        edges.push_back(Edge{at.out(layer, b), at.in(layer, a), 0, NO_STEP});
    }
    if (st.source == "external") {
      for (Index e : entry) {
        auto x = static_cast<std::size_t>(e);
        edges.push_back(Edge{at.outside(), at.out(layer, x), 0, NO_STEP});
        if (at.in(layer, x) != at.out(layer, x))
          edges.push_back(Edge{at.out(layer, x), at.in(layer, x), 0, NO_STEP});
      }
    } else if (st.source == "compromised") {
      for (std::size_t u = 0; u < n; ++u)
        if (can_hold[u])
          edges.push_back(Edge{at.foothold(u), at.out(layer, u), 0, NO_STEP});
    } else {
      for (Index i : select_nodes(s, st.source)) {
        auto u = static_cast<std::size_t>(i);
        if (s.nodes[u].kind == NodeKind::attacker)
          edges.push_back(Edge{at.outside(), at.out(layer, u), 0, NO_STEP}); // the adversary owns its attacker nodes
        else if (can_hold[u])
          edges.push_back(Edge{at.foothold(u), at.out(layer, u), 0, NO_STEP});
      }
    }
  }
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> best; // (from, to) → step edge
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    if (step_layer[k] == NO_STEP)
      continue;
    const Step& st = c.steps[k];
    for (Index vi : targets[k]) {
      auto v = static_cast<std::size_t>(vi);
      if (s.nodes[v].kind == NodeKind::attacker)
        continue; // the adversary's own nodes: a step there (publishing, say) is no move
      double p = st.probability;
      if (st.requires_.vulnerability)
        p *= exploitability(s.nodes[v], st.technique);
      if (!(p > 0))
        continue;
      Edge e{at.in(step_layer[k], v), st.effect == StepEffect::compromise ? at.foothold(v) : at.reached(v),
             -std::log(std::min(p, 1.0)), k};
      auto [it, added] = best.emplace(std::make_pair(e.from, e.to), edges.size());
      if (added)
        edges.push_back(e);
      else if (e.weight < edges[it->second].weight - TIE)
        edges[it->second] = e;
    }
  }

  const std::size_t nv = at.size();
  AttackGraph ag(nv);
  std::vector<double> weights;
  weights.reserve(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    boost::add_edge(edges[i].from, edges[i].to, i, ag);
    weights.push_back(edges[i].weight);
  }
  std::vector<double> dist(nv, INF);
  auto index = boost::get(boost::vertex_index, ag);
  boost::dijkstra_shortest_paths(
      ag, at.outside(),
      boost::weight_map(boost::make_iterator_property_map(weights.begin(), boost::get(boost::edge_index, ag)))
          .distance_map(boost::make_iterator_property_map(dist.begin(), index))
          .distance_inf(INF));

  // Tie-break: fewest edges over the tight edges, then the earliest node in scenario order.
  auto tight = [&](std::size_t i) {
    const Edge& e = edges[i];
    return dist[e.from] < INF && dist[e.to] < INF && dist[e.from] + e.weight <= dist[e.to] + TIE;
  };
  struct TightEdge {
    const AttackGraph* g;
    decltype(tight)* is_tight;
    bool operator()(AttackGraph::edge_descriptor e) const { return (*is_tight)(boost::get(boost::edge_index, *g, e)); }
  };
  boost::filtered_graph<AttackGraph, TightEdge> tg(ag, TightEdge{&ag, &tight});
  const std::size_t unreached = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> hops(nv, unreached);
  hops[at.outside()] = 0;
  struct HopVisitor : boost::default_bfs_visitor {
    std::vector<std::size_t>* hops;
    void tree_edge(AttackGraph::edge_descriptor e, const decltype(tg)& g) const
    {
      (*hops)[boost::target(e, g)] = (*hops)[boost::source(e, g)] + 1;
    }
  } hop_vis;
  hop_vis.hops = &hops;
  std::vector<boost::default_color_type> color(nv);
  boost::breadth_first_search(
      tg, at.outside(), boost::visitor(hop_vis).color_map(boost::make_iterator_property_map(color.begin(), index)));
  std::vector<std::size_t> pred_edge(nv, edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (!tight(i) || hops[e.to] == unreached || hops[e.from] + 1 != hops[e.to])
      continue;
    std::size_t& cur = pred_edge[e.to];
    if (cur == edges.size() || at.node(e.from) < at.node(edges[cur].from) ||
        (at.node(e.from) == at.node(edges[cur].from) && e.from < edges[cur].from))
      cur = i;
  }

  for (std::size_t v = 0; v < n; ++v) {
    if (dist[at.foothold(v)] < INF || dist[at.reached(v)] < INF)
      out.reachable.push_back(s.nodes[v].id);
    if (dist[at.foothold(v)] < INF)
      out.footholds.push_back(s.nodes[v].id);
  }
  std::set<Index> goal_set;
  for (const auto& sel : c.goals)
    for (Index i : select_nodes(s, sel))
      goal_set.insert(i);
  std::size_t best_state = at.outside();
  for (Index gi : goal_set) {
    auto g = static_cast<std::size_t>(gi);
    std::size_t state = dist[at.foothold(g)] <= dist[at.reached(g)] + TIE ? at.foothold(g) : at.reached(g);
    out.goals.push_back(GoalReach{s.nodes[g].id, dist[state] < INF ? std::exp(-dist[state]) : 0.0});
    if (dist[state] < INF && (best_state == at.outside() || dist[state] < dist[best_state] - TIE))
      best_state = state;
  }
  if (best_state == at.outside())
    return out;
  out.goal = s.nodes[at.node(best_state)].id;
  out.probability = std::exp(-dist[best_state]);

  std::vector<std::size_t> chain; // edges from outside to the goal state
  for (std::size_t v = best_state; v != at.outside(); v = edges[pred_edge[v]].from) {
    if (pred_edge[v] == edges.size() || chain.size() > nv)
      return out; // cannot happen: every reached vertex has a tight predecessor one edge closer
    chain.push_back(pred_edge[v]);
  }
  std::reverse(chain.begin(), chain.end());
  for (std::size_t i : chain) {
    const Edge& e = edges[i];
    const std::string& id = s.nodes[at.node(e.to)].id;
    if (e.step != NO_STEP) {
      // The node was listed as the start or a transit node on the way in: the step's hop replaces it.
      if (!out.path.empty() && out.path.back().node == id && out.path.back().step.empty())
        out.path.pop_back();
      out.path.push_back(AttackHop{id, c.steps[e.step].id, std::exp(-e.weight), e.to < n});
    } else if (!at.is_in_slot(e.to) && (out.path.empty() || out.path.back().node != id)) {
      out.path.push_back(AttackHop{id, "", 1.0, false}); // a start or a transit node
    }
  }
  return out;
}

} // namespace cyberex::graph_impl
