/* cyberex analyze FILE: attack paths, single points of failure, cascade impacts and connectivity of a scenario. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/analysis.hpp"
#include "cyberex/scenario.hpp"

#include <cstdio>
#include <string>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out, "usage: cyberex analyze FILE [--json] [--top N]\n\n"
           "Loads and checks FILE like 'cyberex validate', then prints:\n"
           "  - for each campaign, the most likely attack path from its entry points to its goals (shortest path on\n"
           "    -ln p over the links and firewall rules the steps' protocols pass; routers, switches, firewalls,\n"
           "    VPN gateways and the internet are transit) and the nodes it can reach;\n"
           "  - single points of failure: articulation points and bridges of the network, and nodes, services and\n"
           "    grids whose loss takes down others through dependencies (honouring backups) or load shedding;\n"
           "  - for every node, the cascade impact of losing it: services and people lost at once and once the\n"
           "    backups run out, and services whose probe no longer reaches them;\n"
           "  - connectivity warnings.\n\n"
           "options:\n"
           "  --json     one JSON document on stdout (stable key order, probabilities rounded to 6 decimals,\n"
           "             times in seconds)\n"
           "  --top N    rows of the cascade and dependency tables (default 10)\n"
           "  --help     show this help\n\n"
           "exit status: 0 analysed, 2 the scenario has errors (printed on stderr), 1 usage error\n");
}

} // namespace

int cmd_analyze(const Args& args)
{
  bool json = false;
  std::size_t top = 10;
  std::string file;
  Options opt("analyze", args);
  while (opt.next()) {
    int n = 0;
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--json")) {
      json = true;
    } else if (opt.is("--top")) {
      if (!opt.int_value(n, 1, 1000000))
        return 1;
      top = static_cast<std::size_t>(n);
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(file, "scenario file")) {
      return 1;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "cyberex analyze: no scenario file given\n");
    usage(stderr);
    return 1;
  }
  const LoadResult r = load_scenario(file);
  print_diagnostics(r.diagnostics);
  std::fflush(stderr);
  if (!r.ok()) {
    std::fprintf(stderr, "cyberex analyze: %s has errors; nothing analysed\n", file.c_str());
    return 2;
  }
  const Analysis analysis = analyze(*r.scenario);
  const std::string text = json ? format_analysis_json(analysis) : format_analysis_text(analysis, top);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

} // namespace cyberex::cli
