/* Cascades through the dependency closure: earliest loss time of every node, service and grid after losing one
 * subject at time 0, as a fixpoint of the rules documented on CascadeImpact (cyberex/analysis.hpp). Loss times only
 * decrease while iterating, and every time is the subject's 0 plus a sum of backup durations along a dependency
 * chain, so the iteration ends (it is also bounded, as a guard). */
#include "graph/analysis_impl.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace cyberex::graph_impl {

namespace {

constexpr double INF = std::numeric_limits<double>::infinity();

} // namespace

CascadeModel::CascadeModel(const Scenario& s, const NetworkGraph& network) : s_(s), network_(network)
{
  for (const auto& n : s.nodes)
    names_.push_back("node:" + n.id);
  for (const auto& sv : s.services)
    names_.push_back("service:" + sv.id);
  for (const auto& g : s.grids)
    names_.push_back("grid:" + g.id);

  for (const auto& d : s.dependencies) {
    Index dep = entity(d.dependent);
    Index on = entity(d.on);
    if (dep == NO_INDEX || on == NO_INDEX || dep == on)
      continue; // the loader reports bad references
    deps_.push_back(Dependency{dep, on, d.backup ? d.backup->duration : 0.0});
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
  std::vector<bool> none(s.nodes.size(), false);
  std::map<Index, std::vector<bool>> reach;
  for (std::size_t j = 0; j < s.services.size(); ++j) {
    const Service& sv = s.services[j];
    if (!sv.probe || sv.probe->from_index < 0 || sv.node_index < 0)
      continue;
    auto it = reach.find(sv.probe->from_index);
    if (it == reach.end())
      it = reach.emplace(sv.probe->from_index, reachable_avoiding(network_, sv.probe->from_index, none)).first;
    if (it->second[static_cast<std::size_t>(sv.node_index)])
      services_by_probe_[static_cast<std::size_t>(sv.probe->from_index)].push_back(static_cast<Index>(j));
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

void CascadeModel::fixpoint(std::vector<double>& lost) const
{
  const std::size_t n = s_.nodes.size();
  const std::size_t ns = s_.services.size();
  auto lower = [&](std::size_t e, double t, bool& changed) {
    if (t < lost[e]) {
      lost[e] = t;
      changed = true;
    }
  };
  const std::size_t guard = 4 * (lost.size() + 1);
  bool changed = true;
  for (std::size_t iteration = 0; changed && iteration < guard; ++iteration) {
    changed = false;
    for (std::size_t j = 0; j < ns; ++j) {
      Index node = s_.services[j].node_index;
      if (node >= 0)
        lower(n + j, lost[static_cast<std::size_t>(node)], changed);
    }
    for (const auto& d : deps_)
      lower(static_cast<std::size_t>(d.dependent), lost[static_cast<std::size_t>(d.on)] + d.backup, changed);
    for (std::size_t g = 0; g < grids_.size(); ++g) {
      const GridParts& parts = grids_[g];
      auto at = [&](Index node) { return lost[static_cast<std::size_t>(node)]; };
      std::set<double> times;
      for (Index u : parts.units)
        if (at(u) < INF)
          times.insert(at(u));
      for (Index sub : parts.substations)
        if (at(sub) < INF)
          times.insert(at(sub));
      for (double t : times) {
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
            lower(static_cast<std::size_t>(sub), t, changed);
          }
        }
      }
      const std::vector<Index>& parts_lost = parts.substations.empty() ? parts.units : parts.substations;
      if (!parts_lost.empty()) {
        double blackout = 0;
        for (Index x : parts_lost)
          blackout = std::max(blackout, at(x));
        lower(n + ns + g, blackout, changed);
      }
    }
  }
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

  std::vector<double> lost(names_.size(), INF);
  lost[subj] = 0;
  if (subj >= n + ns) // losing a grid is a blackout of its substations
    for (Index sub : grids_[subj - n - ns].substations)
      lost[static_cast<std::size_t>(sub)] = 0;
  fixpoint(lost);

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
  for (std::size_t i = 0; i < n; ++i) {
    if (lost[i] == INF || s_.nodes[i].kind != NodeKind::substation)
      continue;
    out.customers_total += s_.nodes[i].customers;
    out.load_lost_mw += s_.nodes[i].load_mw;
    if (lost[i] == 0)
      out.customers_immediate += s_.nodes[i].customers;
  }

  // Services still up whose probe loses its way to them once every loss has happened (firewalls ignored).
  std::vector<bool> lost_node(n, false);
  bool any_lost_node = false;
  for (std::size_t i = 0; i < n; ++i) {
    lost_node[i] = lost[i] < INF;
    any_lost_node = any_lost_node || lost_node[i];
  }
  if (any_lost_node) {
    std::vector<bool> unreachable(ns, false);
    for (std::size_t p = 0; p < n; ++p) {
      if (services_by_probe_[p].empty() || lost_node[p])
        continue;
      std::vector<bool> reach = reachable_avoiding(network_, static_cast<Index>(p), lost_node);
      for (Index j : services_by_probe_[p]) {
        auto sj = static_cast<std::size_t>(j);
        if (lost[n + sj] == INF && !reach[static_cast<std::size_t>(s_.services[sj].node_index)])
          unreachable[sj] = true;
      }
    }
    for (std::size_t j = 0; j < ns; ++j)
      if (unreachable[j])
        out.unreachable.push_back(s_.services[j].id);
  }
  return out;
}

} // namespace cyberex::graph_impl
