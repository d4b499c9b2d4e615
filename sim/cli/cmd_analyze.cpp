/* cyberex analyze FILE: attack paths, single points of failure, cascade impacts and connectivity of a scenario, and
 * the grid section (N-1 contingencies, controllers ranked by load at risk) of its networked grids or of a MATPOWER
 * case file. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/analysis.hpp"
#include "cyberex/grid_analysis.hpp"
#include "cyberex/powerflow.hpp"
#include "cyberex/report.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out,
      "usage: cyberex analyze FILE [--json] [--top N]\n"
      "       cyberex analyze FILE [--format text|json|navigator] [-o FILE|DIR]\n\n"
      "Loads and checks FILE like 'cyberex validate', then prints:\n"
      "  - for each campaign, the most likely attack path from its entry points to its goals (shortest path on\n"
      "    -ln p over the links and firewall rules the steps' protocols pass; routers, switches, firewalls,\n"
      "    VPN gateways and the internet are transit) and the nodes it can reach;\n"
      "  - single points of failure: articulation points and bridges of the network, and nodes, services and\n"
      "    grids whose loss takes down others through dependencies (honouring backups) or load shedding;\n"
      "  - for every node, the cascade impact of losing it: services and people lost at once and once the\n"
      "    backups run out, and services whose probe no longer reaches them;\n"
      "  - connectivity warnings;\n"
      "  - for each networked grid (a grid with buses or a MATPOWER import), its N-1 contingencies (every branch\n"
      "    and generator outage on its own, the governor balance: islands, load at risk, worst loading,\n"
      "    overloaded branches; worst first) and its controllers ranked by the load an adversary who owns one\n"
      "    puts at risk (its breakers opened, its generators and loads tripped, then protection trips the most\n"
      "    overloaded branch and the flows are solved again until no branch is above its rating).\n"
      "A FILE whose name ends in .m is read as a MATPOWER case file: only its N-1 contingencies are printed.\n\n"
      "options:\n"
      "  --json     one JSON document on stdout (stable key order, probabilities rounded to 6 decimals,\n"
      "             times in seconds)\n"
      "  --top N    rows of the cascade, dependency, contingency and controller tables (default 10)\n"
      "  --format F text (default), json (as --json) or navigator: the planned ATT&CK coverage before play as\n"
      "             ATT&CK Navigator 4.5 layers, one per ATT&CK domain the campaigns' steps use; score = the\n"
      "             number of steps that use the technique, comment = the campaigns and the steps' targets\n"
      "  -o, --output FILE|DIR\n"
      "             navigator: a directory (an existing one, or a name ending in '/') receives one file per\n"
      "             domain, planned-DOMAIN.json; a FILE (or standard output, the default) receives the one layer,\n"
      "             or a JSON array of the layers when the campaigns use several domains (the format's\n"
      "             multi-layer file); text and json: the file to write instead of standard output\n"
      "  --help     show this help\n\n"
      "exit status: 0 analysed, 2 the scenario or case file has errors (printed on stderr), 1 usage error,\n"
      "3 the output cannot be written\n");
}

bool is_case_file(const std::string& file)
{
  return file.size() > 2 && file.compare(file.size() - 2, 2, ".m") == 0;
}

/// The grid section alone, of a MATPOWER case file.

int analyze_case(const std::string& file, bool json, std::size_t top, const std::string& output)
{
  power::Network net;
  try {
    net = power::read_matpower(file);
  } catch (const power::CaseError& e) {
    // what() is "where: message"; printed GCC style like the scenario diagnostics
    std::string message = e.what();
    if (message.compare(0, e.where().size() + 2, e.where() + ": ") == 0)
      message.erase(0, e.where().size() + 2);
    std::fprintf(stderr, "%s: error: %s\ncyberex analyze: %s has errors; nothing analysed\n", e.where().c_str(),
                 message.c_str(), file.c_str());
    return 2;
  }
  std::string name = net.name;
  if (name.empty()) {
    const std::size_t slash = file.find_last_of('/');
    name = file.substr(slash == std::string::npos ? 0 : slash + 1);
    name.resize(name.size() - 2);
  }
  std::vector<GridSection> grids;
  try {
    grids.push_back(grid_section(net, name));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cyberex analyze: %s: %s\n", file.c_str(), e.what());
    return 2;
  }
  std::string text;
  if (json) {
    nlohmann::ordered_json root;
    root["grid"] = nlohmann::ordered_json::parse(format_grid_json(grids));
    text = root.dump(2) + "\n";
  } else {
    text = format_grid_text(grids, top);
    if (!text.empty() && text[0] == '\n')
      text.erase(0, 1);
  }
  return write_output("analyze", output, text, "output");
}

/// The planned coverage's layers into `output`: a directory (existing, or ending in '/'), a file or standard output.
int write_planned_layers(const Scenario& scenario, const std::string& file, const std::string& output)
{
  std::vector<std::pair<std::string, std::string>> layers;
  try {
    layers = planned_navigator_layers(scenario, std::filesystem::path(file).filename().string());
  } catch (const ReportError& e) {
    std::fprintf(stderr, "cyberex analyze: %s\n", e.message.c_str());
    return 2;
  }
  if (layers.empty()) {
    std::fprintf(stderr, "cyberex analyze: %s: the scenario has no campaign step: no ATT&CK layer to write\n",
                 file.c_str());
    return 2;
  }
  std::error_code ec;
  const bool to_dir =
      !output.empty() && output != "-" && (output.back() == '/' || std::filesystem::is_directory(output, ec));
  if (!to_dir) {
    if (layers.size() == 1)
      return write_output("analyze", output, layers.front().second, "output");
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& l : layers)
      all.push_back(nlohmann::ordered_json::parse(l.second));
    return write_output("analyze", output, all.dump(2) + "\n", "output");
  }
  std::filesystem::create_directories(output, ec);
  if (ec) {
    std::fprintf(stderr, "cyberex analyze: %s: cannot create the directory: %s\n", output.c_str(),
                 ec.message().c_str());
    return 3;
  }
  for (const auto& [name, contents] : layers) {
    const std::string path = (std::filesystem::path(output) / name).string();
    if (const int status = write_output("analyze", path, contents, "output"); status != 0)
      return status;
    std::printf("%s\n", path.c_str());
  }
  return 0;
}

} // namespace

int cmd_analyze(const Args& args)
{
  bool json = false, navigator = false;
  std::size_t top = 10;
  std::string file, output, format;
  Options opt("analyze", args);
  while (opt.next()) {
    int n = 0;
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--json")) {
      json = true;
    } else if (opt.is("--format")) {
      if (!opt.value(format))
        return 1;
      if (format != "text" && format != "json" && format != "navigator")
        return opt.fail("--format expects text, json or navigator, got '" + format + "'");
      json = json || format == "json";
      navigator = format == "navigator";
    } else if (opt.is("--output", "-o")) {
      if (!opt.value(output))
        return 1;
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
  if (navigator && json)
    return opt.fail("--format navigator and --json exclude each other");
  if (is_case_file(file)) {
    if (navigator)
      return opt.fail("--format navigator needs a scenario: a MATPOWER case file has no campaign");
    return analyze_case(file, json, top, output);
  }
  const LoadResult r = load_scenario(file);
  print_diagnostics(r.diagnostics);
  std::fflush(stderr);
  if (!r.ok()) {
    std::fprintf(stderr, "cyberex analyze: %s has errors; nothing analysed\n", file.c_str());
    return 2;
  }
  if (navigator)
    return write_planned_layers(*r.scenario, file, output);
  const Analysis analysis = analyze(*r.scenario);
  std::vector<GridSection> grids;
  try {
    grids = grid_sections(*r.scenario);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cyberex analyze: %s: grid analysis failed: %s\n", file.c_str(), e.what());
    return 2;
  }
  std::string text;
  if (json) {
    // the analysis's own document, with the grid section appended as "grid" (an array, empty without networked
    // grids); re-parsing keeps its key order and numbers (ordered_json prints doubles in their shortest form)
    nlohmann::ordered_json root = nlohmann::ordered_json::parse(format_analysis_json(analysis));
    root["grid"] = nlohmann::ordered_json::parse(format_grid_json(grids));
    text = root.dump(2) + "\n";
  } else {
    text = format_analysis_text(analysis, top) + format_grid_text(grids, top);
  }
  return write_output("analyze", output, text, "output");
}

} // namespace cyberex::cli
