/* Text and JSON renderings of the grid section of `cyberex analyze` (grid_analysis.hpp). */
#include "cyberex/grid_analysis.hpp"

#include "graph/text_table.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace cyberex {

namespace {

using Json = nlohmann::ordered_json;
using text::Table;

double fixed6(double x)
{
  const double r = std::round(x * 1e6) / 1e6;
  return r == 0 ? 0.0 : r; // no "-0.0"
}

std::string fixed(double x, int decimals)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(x) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : x);
  return buf;
}

std::string plural(std::size_t n, const char* one, const char* many)
{
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

const char* kind_name(power::Contingency::Kind k)
{
  return k == power::Contingency::Kind::branch ? "branch" : "generator";
}

std::string element_id(const power::Network& net, power::Contingency::Kind k, std::size_t i)
{
  return k == power::Contingency::Kind::branch ? net.branches[i].id : net.generators[i].id;
}

/// "7 - 8" for a branch, "bus 8" for a generator (MATPOWER bus numbers).
std::string where(const power::Network& net, power::Contingency::Kind k, std::size_t i)
{
  if (k == power::Contingency::Kind::branch)
    return std::to_string(net.buses[net.branches[i].from].number) + " - " +
           std::to_string(net.buses[net.branches[i].to].number);
  return "bus " + std::to_string(net.buses[net.generators[i].bus].number);
}

std::vector<std::string> branch_ids(const power::Network& net, const std::vector<std::size_t>& idx)
{
  std::vector<std::string> out;
  for (std::size_t b : idx)
    out.push_back(net.branches[b].id);
  return out;
}

std::string join(const std::vector<std::string>& items, std::size_t limit = 6)
{
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i)
    out += (i ? ", " : "") + items[i];
  if (items.size() > limit)
    out += ", ... (" + std::to_string(items.size() - limit) + " more)";
  return out.empty() ? "-" : out;
}

std::string equipment(const power::Network& net, const ControllerImpact& c)
{
  std::vector<std::string> items;
  for (std::size_t b : c.branches_opened)
    items.push_back("open " + net.branches[b].id);
  for (std::size_t g : c.generators_tripped)
    items.push_back("trip " + net.generators[g].id);
  for (std::size_t l : c.loads_tripped)
    items.push_back("trip " + net.loads[l].id);
  return join(items, 4);
}

std::string controller_name(const ControllerImpact& c)
{
  return c.controller.empty() ? "node-" + std::to_string(c.node) : c.controller;
}

void grid_text(const GridSection& g, std::size_t top, std::string& out)
{
  const power::Network& net = g.network;
  out += "\nGrid " + g.grid + " (" + plural(net.buses.size(), "bus", "buses") + ", " +
         plural(net.branches.size(), "branch", "branches") + ", " +
         plural(net.generators.size(), "generator", "generators") + ", " + plural(net.loads.size(), "load", "loads") +
         "; load " + fixed(g.load_mw, 1) + " MW, generation " + fixed(g.generation_mw, 1) + " MW";
  out += g.base_shed_mw > 0 ? ", " + fixed(g.base_shed_mw, 1) + " MW shed before any outage)\n" : ")\n";

  const N1Report& n1 = g.n1;
  out += "  N-1 contingencies (each branch and generator out on its own; governor balance; worst first)\n  " +
         std::to_string(n1.screened) + " screened: " + std::to_string(n1.with_overloads) + " with overloads, " +
         std::to_string(n1.islanding) + " islanding, " + std::to_string(n1.with_load_at_risk) + " with load at risk, " +
         std::to_string(n1.secure) + " secure; worst loading before any outage " + fixed(n1.base_max_loading_pct, 1) +
         " %\n";
  if (!n1.contingencies.empty()) {
    Table t({"outage", "kind", "between", "islands", "load at risk", "max loading", "overloaded"});
    for (std::size_t i = 0; i < n1.contingencies.size() && i < top; ++i) {
      const power::Contingency& c = n1.contingencies[i];
      t.add({element_id(net, c.kind, c.index), kind_name(c.kind), where(net, c.kind, c.index), c.islands ? "yes" : "no",
             fixed(c.load_at_risk_mw, 1) + " MW", fixed(c.max_loading_pct, 1) + " %",
             join(branch_ids(net, c.overloaded))});
    }
    out += t.render("  ");
    if (n1.contingencies.size() > top)
      out += "  ... " + std::to_string(n1.contingencies.size() - top) + " more (--top N)\n";
  }

  if (g.controllers.empty())
    return;
  out += "  Controllers if compromised (their breakers opened, generators and loads tripped, then protection to "
         "stability; worst first)\n";
  Table t({"controller", "equipment", "load at risk", "customers", "cascade trips", "islands formed"});
  for (std::size_t i = 0; i < g.controllers.size() && i < top; ++i) {
    const ControllerImpact& c = g.controllers[i];
    t.add({controller_name(c), equipment(net, c), fixed(c.load_at_risk_mw, 1) + " MW", fixed(c.customers_at_risk, 0),
           c.cascade_tripped.empty()
               ? "0"
               : std::to_string(c.cascade_tripped.size()) + " (" + join(branch_ids(net, c.cascade_tripped), 4) + ")",
           std::to_string(c.islands_formed)});
  }
  out += t.render("  ");
  if (g.controllers.size() > top)
    out += "  ... " + std::to_string(g.controllers.size() - top) + " more (--top N)\n";
}

Json grid_json(const GridSection& g)
{
  const power::Network& net = g.network;
  Json j;
  j["grid"] = g.grid;
  j["buses"] = net.buses.size();
  j["branches"] = net.branches.size();
  j["generators"] = net.generators.size();
  j["loads"] = net.loads.size();
  j["load_mw"] = fixed6(g.load_mw);
  j["generation_mw"] = fixed6(g.generation_mw);
  j["shed_mw"] = fixed6(g.base_shed_mw);
  const N1Report& n1 = g.n1;
  Json contingencies = Json::array();
  for (const power::Contingency& c : n1.contingencies) {
    Json row;
    row["kind"] = kind_name(c.kind);
    row["id"] = element_id(net, c.kind, c.index);
    const std::size_t file_row =
        c.kind == power::Contingency::Kind::branch ? net.branches[c.index].row : net.generators[c.index].row;
    row["index"] = file_row != 0 ? file_row : c.index + 1;
    if (c.kind == power::Contingency::Kind::branch) {
      row["from"] = net.buses[net.branches[c.index].from].number;
      row["to"] = net.buses[net.branches[c.index].to].number;
    } else {
      row["bus"] = net.buses[net.generators[c.index].bus].number;
    }
    row["islands"] = c.islands;
    row["load_at_risk_mw"] = fixed6(c.load_at_risk_mw);
    row["max_loading_pct"] = fixed6(c.max_loading_pct);
    row["overloaded"] = branch_ids(net, c.overloaded);
    contingencies.push_back(row);
  }
  j["n1"] = Json{{"screened", n1.screened},       {"with_overloads", n1.with_overloads},
                 {"islanding", n1.islanding},     {"with_load_at_risk", n1.with_load_at_risk},
                 {"secure", n1.secure},           {"base_max_loading_pct", fixed6(n1.base_max_loading_pct)},
                 {"contingencies", contingencies}};
  Json controllers = Json::array();
  for (const ControllerImpact& c : g.controllers) {
    std::vector<std::string> gens, loads;
    for (std::size_t i : c.generators_tripped)
      gens.push_back(net.generators[i].id);
    for (std::size_t i : c.loads_tripped)
      loads.push_back(net.loads[i].id);
    Json row;
    row["controller"] = controller_name(c);
    row["branches_opened"] = branch_ids(net, c.branches_opened);
    row["generators_tripped"] = gens;
    row["loads_tripped"] = loads;
    row["load_at_risk_mw"] = fixed6(c.load_at_risk_mw);
    row["shed_mw"] = fixed6(c.shed_mw);
    row["tripped_load_mw"] = fixed6(c.tripped_load_mw);
    row["customers_at_risk"] = fixed6(c.customers_at_risk);
    row["cascade_tripped"] = branch_ids(net, c.cascade_tripped);
    row["islands_formed"] = c.islands_formed;
    controllers.push_back(row);
  }
  j["controllers"] = controllers;
  return j;
}

} // namespace

std::string format_grid_text(const std::vector<GridSection>& grids, std::size_t top)
{
  std::string out;
  for (const GridSection& g : grids)
    grid_text(g, top, out);
  return out;
}

std::string format_grid_json(const std::vector<GridSection>& grids)
{
  Json all = Json::array();
  for (const GridSection& g : grids)
    all.push_back(grid_json(g));
  return all.dump(2);
}

} // namespace cyberex
