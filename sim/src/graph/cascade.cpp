/* Cascades through the dependency closure: earliest loss time of every node, service and grid after losing one
 * subject at time 0, with the rules documented on CascadeImpact (cyberex/analysis.hpp).
 *
 * Loss times are found in increasing order, as in Dijkstra's algorithm: every rule delays a loss by zero or more
 * (a backup's duration), so when an entity is taken from the queue its time is final. A grid is re-balanced whenever
 * one of its generation units or substations is lost, at that time, with everything lost by then; each evaluation
 * is linear in the grid's size. The work per subject is proportional to what it reaches. */
#include "graph/analysis_impl.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <queue>

namespace cyberex::graph_impl {

namespace {

constexpr double INF = std::numeric_limits<double>::infinity();

} // namespace

CascadeModel::CascadeModel(const Scenario& s, const NetworkGraph& network, const CutStructure& cuts)
    : s_(s), network_(network), cuts_(cuts)
{
  for (const auto& n : s.nodes)
    names_.push_back("node:" + n.id);
  for (const auto& sv : s.services)
    names_.push_back("service:" + sv.id);
  for (const auto& g : s.grids)
    names_.push_back("grid:" + g.id);

  dependents_of_.resize(names_.size());
  for (const auto& d : s.dependencies) {
    Index dep = entity(d.dependent);
    Index on = entity(d.on);
    if (dep == NO_INDEX || on == NO_INDEX || dep == on)
      continue; // the loader reports bad references
    dependents_of_[static_cast<std::size_t>(on)].push_back(Dependency{dep, d.backup ? d.backup->duration : 0.0});
  }
  services_on_.resize(s.nodes.size());
  for (std::size_t j = 0; j < s.services.size(); ++j) {
    Index node = s.services[j].node_index;
    if (node >= 0 && static_cast<std::size_t>(node) < s.nodes.size())
      services_on_[static_cast<std::size_t>(node)].push_back(static_cast<Index>(j));
  }

  grids_.resize(s.grids.size());
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const Node& n = s.nodes[i];
    if (n.grid_index < 0 || static_cast<std::size_t>(n.grid_index) >= grids_.size())
      continue;
    auto& parts = grids_[static_cast<std::size_t>(n.grid_index)];
    if (n.kind == NodeKind::generation_unit)
      parts.units.push_back(static_cast<Index>(i));
    else if (n.kind == NodeKind::substation)
      parts.substations.push_back(static_cast<Index>(i));
  }
  for (auto& parts : grids_)
    std::stable_sort(parts.substations.begin(), parts.substations.end(), [&](Index a, Index b) {
      return s.nodes[static_cast<std::size_t>(a)].shed_priority < s.nodes[static_cast<std::size_t>(b)].shed_priority;
    });

  // Probes that work when nothing is lost: only those can be broken by a loss.
  services_by_probe_.resize(s.nodes.size());
  for (std::size_t j = 0; j < s.services.size(); ++j) {
    const Service& sv = s.services[j];
    if (!sv.probe || sv.probe->from_index < 0 || sv.node_index < 0)
      continue;
    auto p = static_cast<std::size_t>(sv.probe->from_index);
    if (cuts_.comp[p] == cuts_.comp[static_cast<std::size_t>(sv.node_index)])
      services_by_probe_[p].push_back(static_cast<Index>(j));
  }
}

Index CascadeModel::entity(const std::string& subject) const
{
  auto colon = subject.find(':');
  if (colon == std::string::npos)
    return NO_INDEX;
  std::string kind = subject.substr(0, colon);
  std::string id = subject.substr(colon + 1);
  const std::size_t n = s_.nodes.size();
  const std::size_t ns = s_.services.size();
  auto find = [&](const std::map<std::string, Index>& m, std::size_t base) -> Index {
    auto it = m.find(id);
    return it == m.end() ? NO_INDEX : static_cast<Index>(base + static_cast<std::size_t>(it->second));
  };
  if (kind == "node")
    return find(s_.node_by_id, 0);
  if (kind == "service")
    return find(s_.service_by_id, n);
  if (kind == "grid")
    return find(s_.grid_by_id, n + ns);
  return NO_INDEX;
}

std::vector<double> CascadeModel::propagate(std::size_t subject) const
{
  const std::size_t n = s_.nodes.size();
  const std::size_t ns = s_.services.size();
  std::vector<double> lost(names_.size(), INF);
  using Item = std::pair<double, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue; // ties: lower entity first
  auto lose = [&](std::size_t e, double t) {
    if (t < lost[e]) {
      lost[e] = t;
      queue.emplace(t, e);
    }
  };
  auto at = [&](Index node) { return lost[static_cast<std::size_t>(node)]; };
  auto rebalance = [&](std::size_t g, double t) {
    const GridParts& parts = grids_[g];
    double available = s_.grids[g].reserve_mw;
    for (Index u : parts.units)
      available += at(u) > t ? s_.nodes[static_cast<std::size_t>(u)].capacity_mw : 0;
    double load = 0;
    for (Index sub : parts.substations)
      load += at(sub) > t ? s_.nodes[static_cast<std::size_t>(sub)].load_mw : 0;
    for (Index sub : parts.substations) {
      if (load <= available + 1e-9)
        break;
      if (at(sub) > t) {
        load -= s_.nodes[static_cast<std::size_t>(sub)].load_mw;
        lose(static_cast<std::size_t>(sub), t);
      }
    }
    const std::vector<Index>& all = parts.substations.empty() ? parts.units : parts.substations;
    if (!all.empty()) {
      double blackout = 0;
      for (Index x : all)
        blackout = std::max(blackout, at(x));
      lose(n + ns + g, blackout);
    }
  };

  lose(subject, 0);
  if (subject >= n + ns) // losing a grid is a blackout of its substations
    for (Index sub : grids_[subject - n - ns].substations)
      lose(static_cast<std::size_t>(sub), 0);
  while (!queue.empty()) {
    auto [t, e] = queue.top();
    queue.pop();
    if (t > lost[e])
      continue; // superseded by an earlier loss
    if (e < n) {
      for (Index j : services_on_[e])
        lose(n + static_cast<std::size_t>(j), t);
      Index g = s_.nodes[e].grid_index;
      NodeKind kind = s_.nodes[e].kind;
      if (g >= 0 && static_cast<std::size_t>(g) < grids_.size() &&
          (kind == NodeKind::generation_unit || kind == NodeKind::substation))
        rebalance(static_cast<std::size_t>(g), t);
    }
    for (const Dependency& d : dependents_of_[e])
      lose(static_cast<std::size_t>(d.dependent), t + d.backup);
  }
  return lost;
}

CascadeImpact CascadeModel::run(Index subject) const
{
  CascadeImpact out;
  if (subject < 0 || static_cast<std::size_t>(subject) >= names_.size())
    return out;
  const std::size_t n = s_.nodes.size();
  const std::size_t ns = s_.services.size();
  const auto subj = static_cast<std::size_t>(subject);
  out.subject = names_[subj];
  const std::vector<double> lost = propagate(subj);

  std::vector<std::size_t> order;
  for (std::size_t e = 0; e < names_.size(); ++e)
    if (lost[e] < INF && e != subj)
      order.push_back(e);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lost[a] < lost[b]; });
  for (std::size_t e : order) {
    Loss l;
    l.what = names_[e];
    l.after = lost[e];
    if (e >= n && e < n + ns)
      l.people = s_.services[e - n].consumers;
    else if (e < n && s_.nodes[e].kind == NodeKind::substation)
      l.people = s_.nodes[e].customers;
    bool direct = subj < n && e >= n && e < n + ns && s_.services[e - n].node_index == subject && lost[e] == 0;
    if (subj >= n + ns && e < n && s_.nodes[e].grid_index == static_cast<Index>(subj - n - ns) &&
        s_.nodes[e].kind == NodeKind::substation)
      direct = true;
    if (!direct)
      ++out.dependents;
    out.losses.push_back(std::move(l));
  }
  for (std::size_t j = 0; j < ns; ++j) {
    if (lost[n + j] == INF)
      continue;
    out.consumers_total += s_.services[j].consumers;
    if (lost[n + j] == 0)
      out.consumers_immediate += s_.services[j].consumers;
  }
  std::vector<bool> lost_node(n, false);
  std::size_t lost_nodes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    lost_node[i] = lost[i] < INF;
    lost_nodes += lost_node[i] ? 1 : 0;
    if (!lost_node[i] || s_.nodes[i].kind != NodeKind::substation)
      continue;
    out.customers_total += s_.nodes[i].customers;
    out.load_lost_mw += s_.nodes[i].load_mw;
    if (lost[i] == 0)
      out.customers_immediate += s_.nodes[i].customers;
  }

  // Services still up whose probe loses its way to them once every loss has happened (firewalls ignored). One lost
  // node: the cut structure answers; only an articulation point can cut anything. More: components without them.
  if (lost_nodes == 0)
    return out;
  std::vector<bool> unreachable(ns, false);
  std::size_t single = n;
  if (lost_nodes == 1)
    single = static_cast<std::size_t>(std::find(lost_node.begin(), lost_node.end(), true) - lost_node.begin());
  if (single < n && !cuts_.articulation[single])
    return out;
  std::vector<int> comp;
  if (single == n)
    comp = components(network_, &lost_node);
  for (std::size_t p = 0; p < n; ++p) {
    if (services_by_probe_[p].empty() || lost_node[p])
      continue;
    for (Index j : services_by_probe_[p]) {
      auto sj = static_cast<std::size_t>(j);
      auto target = static_cast<std::size_t>(s_.services[sj].node_index);
      if (lost[n + sj] < INF || target == p)
        continue;
      bool cut = single < n ? cuts_.piece(single, p) != cuts_.piece(single, target) : comp[p] != comp[target];
      unreachable[sj] = unreachable[sj] || cut;
    }
  }
  for (std::size_t j = 0; j < ns; ++j)
    if (unreachable[j])
      out.unreachable.push_back(s_.services[j].id);
  return out;
}

} // namespace cyberex::graph_impl
