/* Text and JSON renderings of an Analysis. */
#include "cyberex/analysis.hpp"

#include "graph/text_table.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace cyberex {

namespace {

using Json = nlohmann::ordered_json;
using text::Table;

// Fixed precision in JSON: the shortest representation of the value rounded to 6 decimals.
double fixed6(double x)
{
  return std::round(x * 1e6) / 1e6;
}

std::string fixed(double x, int decimals)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string join(const std::vector<std::string>& items, std::size_t limit = 12)
{
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i)
    out += (i ? ", " : "") + items[i];
  if (items.size() > limit)
    out += ", ... (" + std::to_string(items.size() - limit) + " more)";
  return out.empty() ? "-" : out;
}

std::string losses_text(const CascadeImpact& c, std::size_t limit = 6)
{
  std::vector<std::string> items;
  for (const auto& l : c.losses)
    items.push_back(l.after > 0 ? l.what + " after " + format_duration(l.after) : l.what);
  return join(items, limit);
}

Json cascade_json(const CascadeImpact& c)
{
  Json j;
  j["subject"] = c.subject;
  j["dependents"] = c.dependents;
  j["consumers_immediate"] = c.consumers_immediate;
  j["consumers_total"] = c.consumers_total;
  j["customers_immediate"] = c.customers_immediate;
  j["customers_total"] = c.customers_total;
  j["load_lost_mw"] = fixed6(c.load_lost_mw);
  Json losses = Json::array();
  for (const auto& l : c.losses)
    losses.push_back(Json{{"what", l.what}, {"after", fixed6(l.after)}, {"people", l.people}});
  j["losses"] = losses;
  j["unreachable"] = c.unreachable;
  return j;
}

} // namespace

std::string format_duration(double seconds)
{
  if (!std::isfinite(seconds))
    return "never";
  double rounded = std::round(seconds);
  if (std::fabs(seconds - rounded) > 1e-6 || rounded < 0)
    return fixed(seconds, 3) + "s";
  auto total = static_cast<long long>(rounded);
  if (total == 0)
    return "0s";
  std::string out;
  if (total >= 3600)
    out += std::to_string(total / 3600) + "h";
  if (total % 3600 >= 60)
    out += std::to_string(total % 3600 / 60) + "m";
  if (total % 60 != 0)
    out += std::to_string(total % 60) + "s";
  return out;
}

std::string format_analysis_text(const Analysis& a, std::size_t top)
{
  std::string out;
  out += "Attack paths (most likely path from the entry points to a goal; probability of its moves)\n";
  if (a.attack_paths.empty()) {
    out += "  no campaign\n";
  } else {
    Table t({"campaign", "goal", "probability", "moves", "reachable", "footholds"});
    for (const auto& p : a.attack_paths) {
      std::size_t moves =
          std::count_if(p.path.begin(), p.path.end(), [](const AttackHop& h) { return !h.step.empty(); });
      t.add({p.campaign,
             !p.goal.empty()   ? p.goal
             : p.goals.empty() ? "(no goal)"
                               : "unreachable",
             p.goal.empty() ? "-" : fixed(p.probability, 6), std::to_string(moves), std::to_string(p.reachable.size()),
             std::to_string(p.footholds.size())});
    }
    out += t.render("  ");
    for (const auto& p : a.attack_paths) {
      out += "\n  " + p.campaign + "\n";
      out += "    entry:     " + join(p.entry) + "\n";
      if (!p.path.empty()) {
        std::string path;
        for (const auto& h : p.path) {
          path += (path.empty() ? "" : " > ") + h.node;
          if (!h.step.empty())
            path += " [" + h.step + " " + fixed(h.probability, 3) + (h.foothold ? "" : ", no foothold") + "]";
        }
        out += "    path:      " + path + "\n";
      }
      std::vector<std::string> goals;
      for (const auto& g : p.goals)
        goals.push_back(g.node + " " + fixed(g.probability, 6));
      out += "    goals:     " + join(goals) + "\n";
      out += "    reachable: " + join(p.reachable) + "\n";
    }
  }

  out += "\nNetwork single points of failure (cut off: nodes separated from the largest remaining part)\n";
  if (a.articulation_points.empty() && a.bridges.empty()) {
    out += "  none: the network is biconnected\n";
  } else {
    Table t({"kind", "element", "between", "cut off"});
    for (std::size_t i = 0; i < a.articulation_points.size() && i < top; ++i)
      t.add({"node", a.articulation_points[i].node, "", std::to_string(a.articulation_points[i].cut_off)});
    for (std::size_t i = 0; i < a.bridges.size() && i < top; ++i) {
      const auto& b = a.bridges[i];
      t.add({"link", b.link, b.a + " - " + b.b, std::to_string(b.cut_off)});
    }
    out += t.render("  ");
    out += "  " + std::to_string(a.articulation_points.size()) + " articulation points, " +
           std::to_string(a.bridges.size()) + " bridges";
    out += a.articulation_points.size() > top || a.bridges.size() > top
               ? " (the first " + std::to_string(top) + " of each shown; --top N)\n"
               : "\n";
  }

  out += "\nDependency single points of failure (losses through dependencies and grids, worst first)\n";
  if (a.dependency_spofs.empty()) {
    out += "  none\n";
  } else {
    Table t({"subject", "dependents", "consumers now", "consumers later", "customers", "losses"});
    for (std::size_t i = 0; i < a.dependency_spofs.size() && i < top; ++i) {
      const auto& c = a.dependency_spofs[i];
      t.add({c.subject, std::to_string(c.dependents), std::to_string(c.consumers_immediate),
             std::to_string(c.consumers_total), std::to_string(c.customers_total), losses_text(c)});
    }
    out += t.render("  ");
    if (a.dependency_spofs.size() > top)
      out += "  ... " + std::to_string(a.dependency_spofs.size() - top) + " more (--top N)\n";
  }

  std::vector<const CascadeImpact*> ranked;
  for (const auto& c : a.cascades)
    if (!c.losses.empty() || c.customers_total > 0 || !c.unreachable.empty())
      ranked.push_back(&c);
  std::stable_sort(ranked.begin(), ranked.end(), [](const CascadeImpact* x, const CascadeImpact* y) {
    if (x->consumers_total != y->consumers_total)
      return x->consumers_total > y->consumers_total;
    if (x->customers_total != y->customers_total)
      return x->customers_total > y->customers_total;
    return x->losses.size() > y->losses.size();
  });
  out += "\nCascade impact of losing one node (" + std::to_string(std::min(top, ranked.size())) + " worst of " +
         std::to_string(ranked.size()) + " nodes with an impact)\n";
  if (ranked.empty()) {
    out += "  no node loss affects a service, a substation or a probe\n";
  } else {
    Table t({"node", "consumers now", "consumers later", "customers", "load lost", "losses", "unreachable"});
    for (std::size_t i = 0; i < ranked.size() && i < top; ++i) {
      const auto& c = *ranked[i];
      t.add({c.subject.substr(5), std::to_string(c.consumers_immediate), std::to_string(c.consumers_total),
             std::to_string(c.customers_total), fixed(c.load_lost_mw, 1) + " MW", losses_text(c), join(c.unreachable)});
    }
    out += t.render("  ");
  }

  const auto& comps = a.connectivity.components;
  out += "\nConnectivity\n  " + std::to_string(comps.size()) + (comps.size() == 1 ? " part, " : " parts, ") +
         std::to_string(a.connectivity.isolated.size()) +
         (a.connectivity.isolated.size() == 1 ? " node without links\n" : " nodes without links\n");
  if (!a.warnings.empty()) {
    out += "\nWarnings\n";
    for (const auto& w : a.warnings)
      out += "  warning: " + w + "\n";
  }
  return out;
}

std::string format_analysis_json(const Analysis& a)
{
  Json root;
  Json paths = Json::array();
  for (const auto& p : a.attack_paths) {
    Json j;
    j["campaign"] = p.campaign;
    j["entry"] = p.entry;
    j["goal"] = p.goal;
    j["probability"] = fixed6(p.probability);
    Json hops = Json::array();
    for (const auto& h : p.path)
      hops.push_back(
          Json{{"node", h.node}, {"step", h.step}, {"probability", fixed6(h.probability)}, {"foothold", h.foothold}});
    j["path"] = hops;
    Json goals = Json::array();
    for (const auto& g : p.goals)
      goals.push_back(Json{{"node", g.node}, {"probability", fixed6(g.probability)}});
    j["goals"] = goals;
    j["reachable"] = p.reachable;
    j["footholds"] = p.footholds;
    paths.push_back(j);
  }
  root["attack_paths"] = paths;
  Json points = Json::array();
  for (const auto& p : a.articulation_points)
    points.push_back(Json{{"node", p.node}, {"cut_off", p.cut_off}});
  Json bridges = Json::array();
  for (const auto& b : a.bridges)
    bridges.push_back(Json{{"link", b.link}, {"a", b.a}, {"b", b.b}, {"cut_off", b.cut_off}});
  root["network"] = Json{{"articulation_points", points}, {"bridges", bridges}};
  Json spofs = Json::array();
  for (const auto& c : a.dependency_spofs)
    spofs.push_back(cascade_json(c));
  root["dependency_spofs"] = spofs;
  Json cascades = Json::array();
  for (const auto& c : a.cascades)
    cascades.push_back(cascade_json(c));
  root["cascades"] = cascades;
  Json comps = Json::array();
  for (const auto& c : a.connectivity.components)
    comps.push_back(c);
  root["connectivity"] = Json{{"components", comps}, {"isolated", a.connectivity.isolated}};
  root["warnings"] = a.warnings;
  return root.dump(2) + "\n";
}

} // namespace cyberex
