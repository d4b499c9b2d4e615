/* The attack graph of a campaign and its most likely path.
 *
 * Vertices: 2N+1 for N scenario nodes: "foothold i" (vertex i: the adversary holds node i and may launch steps from
 * it), "reached i" (vertex N+i: a step acted on node i without giving a foothold), and the adversary outside
 * (vertex 2N). Edges: launch position → state of a target node, weight -ln(probability), the best step for that pair
 * only. The rules that decide which edges exist are documented on AttackPathResult in cyberex/analysis.hpp. */
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

// Lets a step's protocol through links whose source end is the launch node or infrastructure.
struct RouteFilter {
  const NetworkGraph* g = nullptr;
  const Scenario* s = nullptr;
  std::size_t start = 0;
  const std::string* protocol = nullptr;
  bool operator()(NetworkGraph::edge_descriptor e) const
  {
    std::size_t from = boost::source(e, *g);
    if (from != start && !is_transit(s->nodes[from].kind))
      return false;
    const Link& link = s->links[boost::get(boost::edge_index, *g, e)];
    return firewall_allows(link, static_cast<Index>(from), *protocol);
  }
};

// Predecessors of a breadth-first search from the launch node: pred[v] = NO_INDEX when v is not reached.
std::vector<Index> routes_from(const Scenario& s, const NetworkGraph& g, std::size_t start, const std::string& protocol)
{
  const std::size_t n = boost::num_vertices(g);
  std::vector<Index> pred(n, NO_INDEX);
  pred[start] = static_cast<Index>(start);
  boost::filtered_graph<NetworkGraph, RouteFilter> fg(g, RouteFilter{&g, &s, start, &protocol});
  struct Visitor : boost::default_bfs_visitor {
    std::vector<Index>* pred;
    void tree_edge(NetworkGraph::edge_descriptor e, const decltype(fg)& graph) const
    {
      (*pred)[boost::target(e, graph)] = static_cast<Index>(boost::source(e, graph));
    }
  } vis;
  vis.pred = &pred;
  std::vector<boost::default_color_type> color(n);
  boost::breadth_first_search(fg, start,
                              boost::visitor(vis).color_map(boost::make_iterator_property_map(
                                  color.begin(), boost::get(boost::vertex_index, g))));
  return pred;
}

std::vector<Index> route_to(const std::vector<Index>& pred, Index target)
{
  std::vector<Index> route{target};
  while (pred[static_cast<std::size_t>(route.back())] != route.back())
    route.push_back(pred[static_cast<std::size_t>(route.back())]);
  std::reverse(route.begin(), route.end());
  return route;
}

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

struct Move {
  std::size_t from;
  std::size_t to;
  double weight;
  std::size_t step;
  std::vector<Index> route; ///< launch node ... target node
};

using AttackGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                          boost::property<boost::edge_index_t, std::size_t>>;

} // namespace

AttackPathResult attack_path(const Scenario& s, const NetworkGraph& network, const Campaign& c)
{
  AttackPathResult out;
  out.campaign = c.id;
  const std::size_t n = s.nodes.size();
  const std::size_t outside = 2 * n;

  std::set<Index> entry;
  for (const auto& sel : c.entry)
    for (Index i : select_nodes(s, sel))
      entry.insert(i);
  if (entry.empty() && c.c2.node_index >= 0 && static_cast<std::size_t>(c.c2.node_index) < n)
    entry.insert(c.c2.node_index);
  for (Index i : entry)
    out.entry.push_back(s.nodes[static_cast<std::size_t>(i)].id);

  const std::vector<bool> usable = usable_steps(c);
  std::vector<std::vector<bool>> targets(c.steps.size());
  std::vector<std::vector<bool>> sources(c.steps.size()); // selector sources only
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    targets[k].assign(n, false);
    if (!usable[k] || !(c.steps[k].probability > 0))
      continue;
    for (Index i : select_nodes(s, c.steps[k].target))
      targets[k][static_cast<std::size_t>(i)] = true;
    const std::string& src = c.steps[k].source;
    if (src != "external" && src != "compromised") {
      sources[k].assign(n, false);
      for (Index i : select_nodes(s, src))
        sources[k][static_cast<std::size_t>(i)] = true;
    }
  }
  auto step_cost = [&](std::size_t k, std::size_t v) {
    const Step& st = c.steps[k];
    double p = st.probability;
    if (st.requires_.vulnerability)
      p *= exploitability(s.nodes[v], st.technique);
    return p > 0 ? -std::log(std::min(p, 1.0)) : INF;
  };

  std::map<std::pair<std::size_t, std::string>, std::vector<Index>> route_cache;
  auto routes = [&](std::size_t start, const std::string& protocol) -> const std::vector<Index>& {
    auto key = std::make_pair(start, protocol);
    auto it = route_cache.find(key);
    if (it == route_cache.end())
      it = route_cache.emplace(key, routes_from(s, network, start, protocol)).first;
    return it->second;
  };

  std::map<std::pair<std::size_t, std::size_t>, Move> best; // (from vertex, to vertex) → best move
  auto launch = [&](std::size_t from_vertex, std::size_t start, std::size_t k) {
    const Step& st = c.steps[k];
    const auto& pred = routes(start, st.protocol);
    for (std::size_t v = 0; v < n; ++v) {
      if (!targets[k][v] || pred[v] == NO_INDEX || (v == start && st.source != "external"))
        continue;
      double w = step_cost(k, v);
      if (w == INF)
        continue;
      std::size_t to = st.effect == StepEffect::compromise ? v : n + v;
      auto key = std::make_pair(from_vertex, to);
      auto it = best.find(key);
      if (it == best.end() || w < it->second.weight - TIE)
        best[key] = Move{from_vertex, to, w, k, route_to(pred, static_cast<Index>(v))};
    }
  };
  // Only nodes some step can compromise are launch positions (besides the entry and attacker nodes).
  std::vector<bool> can_hold(n, false);
  for (std::size_t k = 0; k < c.steps.size(); ++k)
    if (c.steps[k].effect == StepEffect::compromise)
      for (std::size_t v = 0; v < n; ++v)
        can_hold[v] = can_hold[v] || targets[k][v];
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    if (!usable[k] || !(c.steps[k].probability > 0))
      continue;
    const std::string& src = c.steps[k].source;
    if (src == "external") {
      for (Index e : entry)
        launch(outside, static_cast<std::size_t>(e), k);
      continue;
    }
    for (std::size_t u = 0; u < n; ++u) {
      if (src != "compromised" && !sources[k][u])
        continue;
      if (s.nodes[u].kind == NodeKind::attacker && src != "compromised")
        launch(outside, u, k); // the adversary owns its attacker nodes
      else if (can_hold[u])
        launch(u, u, k);
    }
  }

  // A launch position that is never reached as a foothold is harmless: Dijkstra never reaches its vertex.
  std::vector<Move> moves;
  for (auto& [key, m] : best)
    moves.push_back(std::move(m));
  AttackGraph ag(2 * n + 1);
  std::vector<double> weights;
  for (std::size_t i = 0; i < moves.size(); ++i) {
    boost::add_edge(moves[i].from, moves[i].to, i, ag);
    weights.push_back(moves[i].weight);
  }
  std::vector<double> dist(2 * n + 1, INF);
  auto index = boost::get(boost::vertex_index, ag);
  boost::dijkstra_shortest_paths(
      ag, outside,
      boost::weight_map(boost::make_iterator_property_map(weights.begin(), boost::get(boost::edge_index, ag)))
          .distance_map(boost::make_iterator_property_map(dist.begin(), index))
          .distance_inf(INF));

  // Tie-break: fewest steps over the tight edges, then the earliest predecessor in scenario order.
  auto tight = [&](std::size_t i) {
    const Move& m = moves[i];
    return dist[m.from] < INF && dist[m.to] < INF && dist[m.from] + m.weight <= dist[m.to] + TIE;
  };
  struct TightEdge {
    const std::vector<Move>* moves;
    const AttackGraph* g;
    decltype(tight)* is_tight;
    bool operator()(AttackGraph::edge_descriptor e) const { return (*is_tight)(boost::get(boost::edge_index, *g, e)); }
  };
  boost::filtered_graph<AttackGraph, TightEdge> tg(ag, TightEdge{&moves, &ag, &tight});
  std::vector<std::size_t> hops(2 * n + 1, std::numeric_limits<std::size_t>::max());
  hops[outside] = 0;
  struct HopVisitor : boost::default_bfs_visitor {
    std::vector<std::size_t>* hops;
    void tree_edge(AttackGraph::edge_descriptor e, const decltype(tg)& g) const
    {
      (*hops)[boost::target(e, g)] = (*hops)[boost::source(e, g)] + 1;
    }
  } hop_vis;
  hop_vis.hops = &hops;
  std::vector<boost::default_color_type> color(2 * n + 1);
  boost::breadth_first_search(
      tg, outside, boost::visitor(hop_vis).color_map(boost::make_iterator_property_map(color.begin(), index)));
  auto order = [&](std::size_t v) {
    return v == outside ? -1 : v < n ? static_cast<long>(2 * v) : static_cast<long>(2 * (v - n) + 1);
  };
  std::vector<std::size_t> pred_move(2 * n + 1, moves.size());
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const Move& m = moves[i];
    if (!tight(i) || hops[m.to] == std::numeric_limits<std::size_t>::max() || hops[m.from] + 1 != hops[m.to])
      continue;
    std::size_t& cur = pred_move[m.to];
    if (cur == moves.size() || order(m.from) < order(moves[cur].from))
      cur = i;
  }

  for (std::size_t v = 0; v < n; ++v) {
    if (dist[v] < INF || dist[n + v] < INF)
      out.reachable.push_back(s.nodes[v].id);
    if (dist[v] < INF)
      out.footholds.push_back(s.nodes[v].id);
  }
  std::set<Index> goal_set;
  for (const auto& sel : c.goals)
    for (Index i : select_nodes(s, sel))
      goal_set.insert(i);
  std::size_t best_state = outside;
  for (Index gi : goal_set) {
    auto g = static_cast<std::size_t>(gi);
    std::size_t state = dist[g] <= dist[n + g] + TIE ? g : n + g;
    out.goals.push_back(GoalReach{s.nodes[g].id, dist[state] < INF ? std::exp(-dist[state]) : 0.0});
    if (dist[state] < INF && (best_state == outside || dist[state] < dist[best_state] - TIE))
      best_state = state;
  }
  if (best_state == outside)
    return out;
  out.goal = s.nodes[best_state % n].id;
  out.probability = std::exp(-dist[best_state]);
  std::vector<std::size_t> chain;
  for (std::size_t v = best_state; v != outside; v = moves[pred_move[v]].from) {
    if (pred_move[v] == moves.size() || chain.size() > moves.size())
      return out; // cannot happen: every reached vertex has a tight predecessor with one hop less
    chain.push_back(pred_move[v]);
  }
  std::reverse(chain.begin(), chain.end());
  for (std::size_t j = 0; j < chain.size(); ++j) {
    const Move& m = moves[chain[j]];
    for (std::size_t r = 0; r + 1 < m.route.size(); ++r) {
      if (j > 0 && r == 0)
        continue; // the launch node ends the previous move
      out.path.push_back(AttackHop{s.nodes[static_cast<std::size_t>(m.route[r])].id, "", 1.0, false});
    }
    auto target = static_cast<std::size_t>(m.route.back());
    out.path.push_back(AttackHop{s.nodes[target].id, c.steps[m.step].id, std::exp(-m.weight), m.to < n});
  }
  return out;
}

} // namespace cyberex::graph_impl
