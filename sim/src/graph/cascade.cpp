/* Cascades through the dependency closure: earliest loss time of every node, service and grid after losing one
 * subject at time 0, with the rules documented on CascadeImpact (cyberex/analysis.hpp).
 *
 * Loss times are found in increasing order, as in Dijkstra's algorithm: every rule delays a loss by zero or more
 * (a backup's duration), so when an entity is taken from the queue its time is final. A grid is re-balanced whenever
 * one of its generation units or substations is lost, at that time, with everything lost by then; each evaluation
 * is linear in the grid's size. The work per subject is proportional to what it reaches. */
#include "graph/analysis_impl.hpp"

#include "cyberex/grid_network.hpp"

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
  std::vector<GridNetwork> networks; // built only when a dependency is on a bus
  for (const auto& d : s.dependencies) {
    Index dep = entity(d.dependent);
    if (dep == NO_INDEX)
      continue; // the loader reports bad references
    const double backup = d.backup ? d.backup->duration : 0.0;
    if (d.on.rfind("bus:", 0) == 0) {
      // A bus is de-energised when a load at it is shed, or when its grid is lost (blacked out or shedding):
      // the dependency hangs on the substations at that bus, or on the grid when no substation is there. The
      // cascade does not solve the network (branch trips and islands are the grid section's N-1 screening).
      if (networks.empty())
        networks = grid_networks(s);
      const auto ref = find_bus_ref(networks, s, d.on);
      if (!ref)
        continue;
      const GridNetwork& gn = networks[ref->first];
      bool at_a_substation = false;
      for (std::size_t l = 0; l < gn.network.loads.size(); ++l)
        if (gn.network.loads[l].bus == ref->second && gn.load_node[l] != NO_INDEX && gn.load_node[l] != dep) {
          dependents_of_[static_cast<std::size_t>(gn.load_node[l])].push_back(Dependency{dep, backup});
          at_a_substation = true;
        }
      if (!at_a_substation && gn.grid != NO_INDEX)
        dependents_of_[s.nodes.size() + s.services.size() + static_cast<std::size_t>(gn.grid)].push_back(
            Dependency{dep, backup});
      continue;
    }
    Index on = entity(d.on);
    if (on == NO_INDEX || dep == on)
      continue; // the loader reports bad references
    dependents_of_[static_cast<std::size_t>(on)].push_back(Dependency{dep, backup});
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
  for (auto& parts : grids_) // the engine's shedding order: ascending shed_priority, then id
    std::sort(parts.substations.begin(), parts.substations.end(), [&](Index a, Index b) {
      const Node& x = s.nodes[static_cast<std::size_t>(a)];
      const Node& y = s.nodes[static_cast<std::size_t>(b)];
      return x.shed_priority != y.shed_priority ? x.shed_priority < y.shed_priority : x.id < y.id;
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
  for (std::size_t p = 0; p < s.nodes.size(); ++p)
    if (!services_by_probe_[p].empty())
      probe_nodes_.push_back(p);
  lost_.assign(names_.size(), INF);
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

std::vector<std::size_t> CascadeModel::propagate(std::size_t subject) const
{
  const std::size_t n = s_.nodes.size();
  const std::size_t ns = s_.services.size();
  std::vector<double>& lost = lost_;
  std::vector<std::size_t> touched;
  using Item = std::pair<double, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue; // ties: lower entity first
  auto lose = [&](std::size_t e, double t) {
    if (t < lost[e]) {
      if (lost[e] == INF)
        touched.push_back(e);
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
      if (at(sub) > t) { // shed: the grid fails, for what depends on it, while it sheds load (the engine's rule)
        load -= s_.nodes[static_cast<std::size_t>(sub)].load_mw;
        lose(static_cast<std::size_t>(sub), t);
        lose(n + ns + g, t);
      }
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
  return touched;
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
  std::vector<std::size_t> touched = propagate(subj);
  const std::vector<double>& lost = lost_;

  std::sort(touched.begin(), touched.end(),
            [&](std::size_t a, std::size_t b) { return lost[a] != lost[b] ? lost[a] < lost[b] : a < b; });
  std::vector<std::size_t> lost_nodes;
  for (std::size_t e : touched) {
    if (e < n)
      lost_nodes.push_back(e);
    if (e >= n && e < n + ns) {
      out.consumers_total += s_.services[e - n].consumers;
      if (lost[e] == 0)
        out.consumers_immediate += s_.services[e - n].consumers;
    } else if (e < n && s_.nodes[e].kind == NodeKind::substation) {
      out.customers_total += s_.nodes[e].customers;
      out.load_lost_mw += s_.nodes[e].load_mw;
      if (lost[e] == 0)
        out.customers_immediate += s_.nodes[e].customers;
    }
    if (e == subj)
      continue;
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

  // Services still up whose probe loses its way to them once every loss has happened (firewalls ignored), or whose
  // probe node is lost (a dead prober reaches nothing). One lost node: the cut structure answers, and only an
  // articulation point or a probe node can cut anything. More: components without them.
  std::size_t single = lost_nodes.size() == 1 ? lost_nodes[0] : n;
  if (!lost_nodes.empty() && !probe_nodes_.empty() &&
      (single == n || cuts_.articulation[single] || !services_by_probe_[single].empty())) {
    std::vector<int> comp;
    std::vector<bool> lost_node;
    if (single == n) {
      lost_node.assign(n, false);
      for (std::size_t v : lost_nodes)
        lost_node[v] = true;
      comp = components(network_, &lost_node);
    }
    std::vector<std::size_t> cut_services;
    for (std::size_t p : probe_nodes_) {
      for (Index j : services_by_probe_[p]) {
        auto sj = static_cast<std::size_t>(j);
        auto target = static_cast<std::size_t>(s_.services[sj].node_index);
        if (lost[n + sj] < INF)
          continue;
        if (lost[p] < INF)
          cut_services.push_back(sj);
        else if (target == p)
          continue;
        else if (single < n ? cuts_.piece(single, p) != cuts_.piece(single, target) : comp[p] != comp[target])
          cut_services.push_back(sj);
      }
    }
    std::sort(cut_services.begin(), cut_services.end());
    cut_services.erase(std::unique(cut_services.begin(), cut_services.end()), cut_services.end());
    for (std::size_t j : cut_services)
      out.unreachable.push_back(s_.services[j].id);
  }
  for (std::size_t e : touched)
    lost_[e] = INF;
  return out;
}

} // namespace cyberex::graph_impl
