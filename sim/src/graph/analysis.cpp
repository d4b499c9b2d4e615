#include "cyberex/analysis.hpp"

#include "graph/analysis_impl.hpp"

#include <algorithm>
#include <iterator>
#include <map>

namespace cyberex {

using graph_impl::NetworkGraph;

namespace {

void network_spofs(const Scenario& s, const graph_impl::CutStructure& cs, Analysis& out)
{
  for (std::size_t v = 0; v < s.nodes.size(); ++v)
    if (cs.articulation[v])
      out.articulation_points.push_back(ArticulationPoint{s.nodes[v].id, cs.cut_off(v)});
  std::stable_sort(out.articulation_points.begin(), out.articulation_points.end(),
                   [](const ArticulationPoint& a, const ArticulationPoint& b) { return a.cut_off > b.cut_off; });
  for (std::size_t li : cs.bridges) {
    const Link& l = s.links[li];
    out.bridges.push_back(Bridge{
        l.id, l.a, l.b, cs.bridge_cut_off(static_cast<std::size_t>(l.a_index), static_cast<std::size_t>(l.b_index))});
  }
  std::stable_sort(out.bridges.begin(), out.bridges.end(),
                   [](const Bridge& a, const Bridge& b) { return a.cut_off > b.cut_off; });
}

void connectivity(const Scenario& s, const NetworkGraph& g, Analysis& out)
{
  const std::vector<int> comp = graph_impl::components(g);
  std::map<int, std::vector<std::string>> by_comp; // component numbers follow the first vertex: scenario order
  for (std::size_t v = 0; v < comp.size(); ++v)
    by_comp[comp[v]].push_back(s.nodes[v].id);
  for (auto& [c, members] : by_comp)
    out.connectivity.components.push_back(std::move(members));
  std::stable_sort(out.connectivity.components.begin(), out.connectivity.components.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (std::size_t v = 0; v < comp.size(); ++v)
    if (boost::degree(v, g) == 0)
      out.connectivity.isolated.push_back(s.nodes[v].id);

  const auto& comps = out.connectivity.components;
  if (comps.size() > 1) {
    std::string msg = "the network has " + std::to_string(comps.size()) + " separate parts:";
    for (std::size_t i = 0; i < comps.size(); ++i) {
      msg += (i == 0 ? " " : ", ") + std::to_string(comps[i].size()) + (comps[i].size() == 1 ? " node (" : " nodes (") +
             comps[i].front() + (comps[i].size() > 1 ? ", ...)" : ")");
      if (i == 9 && comps.size() > 10) {
        msg += ", and " + std::to_string(comps.size() - 10) + " more";
        break;
      }
    }
    out.warnings.push_back(msg);
  }
  if (!out.connectivity.isolated.empty()) {
    std::string msg = std::to_string(out.connectivity.isolated.size()) +
                      (out.connectivity.isolated.size() == 1 ? " node has no link: " : " nodes have no link: ");
    for (std::size_t i = 0; i < out.connectivity.isolated.size() && i < 10; ++i)
      msg += (i ? ", " : "") + out.connectivity.isolated[i];
    if (out.connectivity.isolated.size() > 10)
      msg += ", ...";
    out.warnings.push_back(msg);
  }
  // Probes that cannot reach their service even when nothing is lost.
  for (const auto& sv : s.services) {
    if (!sv.probe || sv.probe->from_index < 0 || sv.node_index < 0)
      continue;
    if (comp[static_cast<std::size_t>(sv.probe->from_index)] != comp[static_cast<std::size_t>(sv.node_index)])
      out.warnings.push_back("service '" + sv.id + "': its probe node '" + sv.probe->from + "' has no route to '" +
                             sv.node + "'");
  }
}

bool worse(const CascadeImpact& a, const CascadeImpact& b)
{
  if (a.consumers_total != b.consumers_total)
    return a.consumers_total > b.consumers_total;
  if (a.customers_total != b.customers_total)
    return a.customers_total > b.customers_total;
  return a.dependents > b.dependents;
}

} // namespace

Analysis analyze(const Scenario& s)
{
  Analysis out;
  const NetworkGraph g = graph_impl::build_network(s);

  for (const auto& c : s.campaigns) {
    out.attack_paths.push_back(graph_impl::attack_path(s, c));
    const auto& r = out.attack_paths.back();
    if (r.entry.empty())
      out.warnings.push_back("campaign '" + c.id + "' has no entry point and no C2 node to start from");
    else if (!r.goals.empty() && r.goal.empty())
      out.warnings.push_back("campaign '" + c.id + "' cannot reach any of its goals");
  }

  const graph_impl::CutStructure cuts = graph_impl::cut_structure(g);
  network_spofs(s, cuts, out);
  connectivity(s, g, out);

  graph_impl::CascadeModel model(s, g, cuts);
  for (std::size_t e = 0; e < model.entity_count(); ++e) {
    CascadeImpact impact = model.run(static_cast<Index>(e));
    if (impact.dependents > 0)
      out.dependency_spofs.push_back(impact);
    if (e < s.nodes.size())
      out.cascades.push_back(std::move(impact));
  }
  std::stable_sort(out.dependency_spofs.begin(), out.dependency_spofs.end(), worse);
  return out;
}

CascadeImpact cascade_impact(const Scenario& s, const std::string& subject)
{
  const NetworkGraph g = graph_impl::build_network(s);
  const graph_impl::CutStructure cuts = graph_impl::cut_structure(g);
  graph_impl::CascadeModel model(s, g, cuts);
  return model.run(model.entity(subject));
}

} // namespace cyberex
