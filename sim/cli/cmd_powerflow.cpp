/* cyberex powerflow FILE [--grid ID] [--outage BRANCH...] [--json]: the DC power flow of a grid as it stands or after
 * branch outages (docs/cli.md). A MATPOWER case file is solved here; scenario grids are not networked yet. All the
 * printing is in print_powerflow, which takes a power::Network, so a scenario's grid can be printed the same way. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/powerflow.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out, "usage: cyberex powerflow FILE [--grid ID] [--outage BRANCH]... [--json]\n\n"
           "Solves the DC power flow (docs/engine.md, \"The grid as a network\") of a MATPOWER case file (.m) as\n"
           "it stands, or after the listed branch outages, and prints bus angles, branch flows and loadings,\n"
           "generator outputs and the load shed. While the grid stays in one piece the reference bus's\n"
           "generator takes the whole mismatch, as MATPOWER's rundcpf; when outages split it into islands each\n"
           "island is balanced by governor response and under-frequency load shedding. The output says which.\n\n"
           "options:\n"
           "  --outage BRANCH  open this branch first: for a case file, its 1-based row in mpc.branch; repeat\n"
           "                   the option for several outages\n"
           "  --grid ID        the grid of a scenario file (scenario grids are not networked yet)\n"
           "  --json           one JSON document: {\"buses\": [{\"id\", \"angle_deg\", \"island\"}], \"branches\":\n"
           "                   [{\"index\", \"from\", \"to\", \"flow_mw\", \"loading_pct\", \"status\"}],\n"
           "                   \"generators\": [{\"index\", \"bus\", \"mw\"}], \"shed_mw\"}; islands numbered from 1\n"
           "  --help           show this help\n\n"
           "exit status: 0 solved, 2 usage error or a file that cannot be read (message on stderr)\n");
}

bool ends_with(const std::string& s, const std::string& suffix)
{
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Fixed precision, and never "-0.0000000000".
std::string fixed(double v, int decimals)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos)
    s.erase(0, 1);
  return s;
}

} // namespace

/// Solves `net` with the branches `outages` (indices) opened and prints the solution on `out`: a table, or the JSON
/// document of `cyberex powerflow --json`. Reference balance while the grid stays in one piece, governor otherwise.
void print_powerflow(const power::Network& net, const std::vector<std::size_t>& outages, bool json, std::FILE* out)
{
  power::State state = power::initial_state(net);
  for (std::size_t k : outages)
    state.branch_closed[k] = 0;
  power::Solver solver(net);
  power::Solution s = solver.solve(state, power::Balance::reference);
  std::size_t pieces = 0; // islands, not counting isolated buses (type 4)
  for (const power::Island& island : s.islands)
    if (!(island.buses.size() == 1 && net.buses[island.buses[0]].type == power::BusType::isolated))
      ++pieces;
  const bool governor = pieces > 1;
  if (governor)
    s = solver.solve(state, power::Balance::governor);

  auto status = [&](std::size_t k) { return state.branch_closed[k] ? "closed" : "open"; };
  if (json) {
    std::fprintf(out, "{\"buses\": [");
    for (std::size_t b = 0; b < net.buses.size(); ++b)
      std::fprintf(out, "%s\n  {\"id\": %d, \"angle_deg\": %s, \"island\": %zu}", b ? "," : "", net.buses[b].number,
                   fixed(s.angle_deg[b], 10).c_str(), s.island[b] + 1);
    std::fprintf(out, "\n], \"branches\": [");
    for (std::size_t k = 0; k < net.branches.size(); ++k) {
      const power::Branch& br = net.branches[k];
      std::fprintf(out,
                   "%s\n  {\"index\": %zu, \"from\": %d, \"to\": %d, \"flow_mw\": %s, \"loading_pct\": %s, "
                   "\"status\": \"%s\"}",
                   k ? "," : "", k + 1, net.buses[br.from].number, net.buses[br.to].number,
                   fixed(s.flow_mw[k], 10).c_str(), fixed(s.loading_pct[k], 10).c_str(), status(k));
    }
    std::fprintf(out, "\n], \"generators\": [");
    for (std::size_t g = 0; g < net.generators.size(); ++g)
      std::fprintf(out, "%s\n  {\"index\": %zu, \"bus\": %d, \"mw\": %s}", g ? "," : "", g + 1,
                   net.buses[net.generators[g].bus].number, fixed(s.gen_mw[g], 10).c_str());
    std::fprintf(out, "\n], \"shed_mw\": %s}\n", fixed(s.shed_mw, 10).c_str());
    return;
  }

  std::fprintf(out, "%s: %zu buses, %zu branches, %zu generators, base %s MVA\n", net.name.c_str(), net.buses.size(),
               net.branches.size(), net.generators.size(), fixed(net.base_mva, 0).c_str());
  if (!outages.empty()) {
    std::fprintf(out, "outages:");
    for (std::size_t k : outages)
      std::fprintf(out, " %zu (%d-%d)", k + 1, net.buses[net.branches[k].from].number,
                   net.buses[net.branches[k].to].number);
    std::fprintf(out, "\n");
  }
  std::fprintf(out, "%zu island%s; balance: %s\n", s.islands.size(), s.islands.size() == 1 ? "" : "s",
               governor ? "governor (islands: units pick up pro rata to capacity, under-frequency shedding)"
                        : "reference (the reference bus's generator takes the mismatch, as rundcpf)");
  for (std::size_t i = 0; i < s.islands.size(); ++i) {
    const power::Island& island = s.islands[i];
    std::fprintf(out, "  island %zu: %zu bus%s, reference bus %d, generation %s MW, load %s MW, shed %s MW%s\n", i + 1,
                 island.buses.size(), island.buses.size() == 1 ? "" : "es", net.buses[island.reference].number,
                 fixed(island.generation_mw, 2).c_str(), fixed(island.load_mw, 2).c_str(),
                 fixed(island.shed_mw, 2).c_str(), island.energised ? "" : " (dead: no generation)");
  }
  std::fprintf(out, "\n%6s %6s %12s\n", "bus", "island", "angle_deg");
  for (std::size_t b = 0; b < net.buses.size(); ++b)
    std::fprintf(out, "%6d %6zu %12s\n", net.buses[b].number, s.island[b] + 1, fixed(s.angle_deg[b], 4).c_str());
  std::fprintf(out, "\n%6s %6s %6s %12s %10s %9s  %s\n", "branch", "from", "to", "flow_mw", "rating_mw", "loading",
               "status");
  for (std::size_t k = 0; k < net.branches.size(); ++k) {
    const power::Branch& br = net.branches[k];
    const std::string rating = br.rating_mw > 0 ? fixed(br.rating_mw, 1) : "-";
    const std::string loading = br.rating_mw > 0 ? fixed(s.loading_pct[k], 1) + " %" : "-";
    std::fprintf(out, "%6zu %6d %6d %12s %10s %9s  %s%s\n", k + 1, net.buses[br.from].number, net.buses[br.to].number,
                 fixed(s.flow_mw[k], 2).c_str(), rating.c_str(), loading.c_str(), status(k),
                 s.loading_pct[k] > 100 ? "  OVERLOADED" : "");
  }
  std::fprintf(out, "\n%6s %6s %10s %10s\n", "gen", "bus", "mw", "pmax_mw");
  for (std::size_t g = 0; g < net.generators.size(); ++g)
    std::fprintf(out, "%6zu %6d %10s %10s%s\n", g + 1, net.buses[net.generators[g].bus].number,
                 fixed(s.gen_mw[g], 2).c_str(), fixed(net.generators[g].pmax_mw, 1).c_str(),
                 state.gen_online[g] ? "" : "  offline");
  std::fprintf(out, "\nshed: %s MW\n", fixed(s.shed_mw, 2).c_str());
}

int cmd_powerflow(const Args& args)
{
  std::string file, grid;
  std::vector<std::string> outage_args;
  bool json = false;
  Options opt("powerflow", args);
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--json")) {
      json = true;
    } else if (opt.is("--grid")) {
      if (!opt.value(grid))
        return 2;
    } else if (opt.is("--outage")) {
      std::string v;
      if (!opt.value(v))
        return 2;
      outage_args.push_back(v);
    } else if (opt.is_option()) {
      opt.unknown(usage);
      return 2;
    } else if (!opt.positional(file, "case or scenario file")) {
      return 2;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "cyberex powerflow: no case or scenario file given\n");
    usage(stderr);
    return 2;
  }
  if (ends_with(file, ".json")) {
    std::fprintf(stderr, "cyberex powerflow: scenario grids are not networked yet\n");
    return 2;
  }
  if (!ends_with(file, ".m")) {
    std::fprintf(stderr, "cyberex powerflow: %s: expected a MATPOWER case file (.m) or a scenario (.json)\n",
                 file.c_str());
    return 2;
  }
  if (!grid.empty()) {
    std::fprintf(stderr, "cyberex powerflow: --grid applies to scenario files; a case file is one grid\n");
    return 2;
  }
  power::Network net;
  try {
    net = power::read_matpower(file);
  } catch (const power::CaseError& e) {
    std::fprintf(stderr, "%s: error: %s\n", e.where().c_str(), e.what() + e.where().size() + 2);
    return 2;
  }
  std::vector<std::size_t> outages;
  for (const std::string& v : outage_args) {
    char* end = nullptr;
    const unsigned long long row = v.empty() || v[0] < '0' || v[0] > '9' ? 0 : std::strtoull(v.c_str(), &end, 10);
    if (row == 0 || end == nullptr || *end != '\0') {
      std::fprintf(stderr, "cyberex powerflow: --outage expects a branch row (1 to %zu), got '%s'\n",
                   net.branches.size(), v.c_str());
      return 2;
    }
    if (row > net.branches.size()) {
      std::fprintf(stderr, "cyberex powerflow: --outage %s: %s has no branch row %s (it has %zu branches)\n", v.c_str(),
                   file.c_str(), v.c_str(), net.branches.size());
      return 2;
    }
    outages.push_back(static_cast<std::size_t>(row - 1));
  }
  print_powerflow(net, outages, json, stdout);
  return 0;
}

} // namespace cyberex::cli
