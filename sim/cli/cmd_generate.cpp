/* cyberex generate: write a synthetic national-scale scenario; cyberex generate grid: a synthetic transmission grid
 * as a MATPOWER case file. */
#include "commands.hpp"

#include "cyberex/generate.hpp"
#include "cyberex/matpower_write.hpp"
#include "cyberex/powerflow.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out, "usage: cyberex generate [--nodes N] [--sites N] [--seed N] [--duration D] -o FILE\n"
           "       cyberex generate grid --buses N [--seed N] -o FILE.m\n"
           "\n"
           "Writes a synthetic scenario (format v1) with exactly N nodes: a telecom backbone, government, finance,\n"
           "health, telecom, water and energy sites with regional grids, one service per site (a few hundred\n"
           "with availability probes), cross-sector dependencies with backups, three campaigns, a botnet,\n"
           "sensors, injects and teams. The same options always give the same file.\n"
           "\n"
           "  --nodes N      nodes in total (default 100000)\n"
           "  --sites N      organisation sites (default 1000)\n"
           "  --seed N       seed of the generator and of the scenario (default 1)\n"
           "  --duration D   exercise duration, e.g. 24h, 90m, 1d12h (default 24h)\n"
           "  -o FILE        output file ('-' for standard output)\n"
           "\n"
           "'generate grid' writes a synthetic transmission grid of exactly N buses as a MATPOWER case file (format\n"
           "version 2: mpc.baseMVA, mpc.bus, mpc.gen, mpc.branch), for 'cyberex analyze', 'cyberex powerflow', a\n"
           "scenario's \"matpower\" import or MATPOWER itself: a meshed grid of about 1.4 branches per bus,\n"
           "generators on about 10 % of the buses with 1.3 times the load in capacity, branch ratings that load the\n"
           "base case at 30-80 %. The same N and seed always give the same file.\n"
           "\n"
           "  --buses N      buses (at least 2)\n"
           "  --seed N       seed of the generator (default 1)\n"
           "  -o FILE        output file ('-' for standard output)\n");
}

std::optional<std::int64_t> parse_count(const std::string& s)
{
  if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(s);
}

std::optional<std::uint64_t> parse_seed(const std::string& s)
{
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(s);
}

/// "24h", "90m", "1d12h", "3600s": whole numbers, each followed by one of d, h, m, s, in that order.
std::optional<double> parse_duration(const std::string& s)
{
  static const std::string units = "dhms";
  static const double seconds[] = {86400, 3600, 60, 1};
  double total = 0;
  std::size_t pos = 0;
  std::size_t next_unit = 0;
  while (pos < s.size()) {
    const std::size_t digits_end = s.find_first_not_of("0123456789", pos);
    if (digits_end == pos || digits_end == std::string::npos || digits_end - pos > 9)
      return std::nullopt;
    const std::size_t unit = units.find(s[digits_end], next_unit);
    if (unit == std::string::npos)
      return std::nullopt;
    total += std::stod(s.substr(pos, digits_end - pos)) * seconds[unit];
    next_unit = unit + 1;
    pos = digits_end + 1;
  }
  if (s.empty())
    return std::nullopt;
  return total;
}

/// The case's function name: the output file's base name without ".m" (MATPOWER calls the case by its file name).
std::string case_name(const std::string& output)
{
  if (output == "-")
    return "synthetic_grid";
  std::string name = output.substr(output.find_last_of('/') == std::string::npos ? 0 : output.find_last_of('/') + 1);
  if (name.size() > 2 && name.compare(name.size() - 2, 2, ".m") == 0)
    name.resize(name.size() - 2);
  return name;
}

int generate_grid(const Args& args)
{
  std::int64_t buses = 0;
  std::uint64_t seed = 1;
  std::string output;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    }
    if (a != "--buses" && a != "--seed" && a != "-o") {
      std::fprintf(stderr, "cyberex generate grid: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 2;
    }
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "cyberex generate grid: option '%s' expects a value\n", a.c_str());
      return 2;
    }
    const std::string& v = args[++i];
    if (a == "-o") {
      output = v;
      continue;
    }
    bool ok = false;
    if (a == "--buses") {
      const auto n = parse_count(v);
      ok = n && *n >= 2 && *n <= 10000000;
      if (ok)
        buses = *n;
    } else {
      const auto n = parse_seed(v);
      ok = n.has_value();
      if (ok)
        seed = *n;
    }
    if (!ok) {
      std::fprintf(stderr, "cyberex generate grid: option '%s' expects %s; got '%s'\n", a.c_str(),
                   a == "--buses" ? "a whole number from 2 to 10000000" : "a whole number", v.c_str());
      return 2;
    }
  }
  if (buses == 0) {
    std::fprintf(stderr, "cyberex generate grid: missing --buses N\n");
    usage(stderr);
    return 2;
  }
  if (output.empty()) {
    std::fprintf(stderr, "cyberex generate grid: missing -o FILE\n");
    usage(stderr);
    return 2;
  }
  const power::Network net = power::synthetic_grid(static_cast<std::size_t>(buses), seed);
  const std::string text = power::matpower_text(net, case_name(output));
  if (output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else {
    std::ofstream file(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::fprintf(stderr, "cyberex generate grid: cannot write '%s'\n", output.c_str());
      return 1;
    }
    file << text;
    file.close();
    if (!file) {
      std::fprintf(stderr, "cyberex generate grid: error while writing '%s'\n", output.c_str());
      return 1;
    }
  }
  double load = 0, capacity = 0;
  for (const auto& l : net.loads)
    load += l.mw;
  for (const auto& g : net.generators)
    capacity += g.pmax_mw;
  std::fprintf(stderr,
               "cyberex generate grid: wrote %s: %zu buses, %zu branches, %zu generators (%.1f MW), %zu loads "
               "(%.1f MW), %zu bytes\n",
               output == "-" ? "standard output" : output.c_str(), net.buses.size(), net.branches.size(),
               net.generators.size(), capacity, net.loads.size(), load, text.size());
  return 0;
}

} // namespace

int cmd_generate(const Args& args)
{
  if (!args.empty() && args[0] == "grid")
    return generate_grid(Args(args.begin() + 1, args.end()));
  GenerateOptions options;
  std::string output;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    }
    const bool takes_value = a == "--nodes" || a == "--sites" || a == "--seed" || a == "--duration" || a == "-o";
    if (!takes_value) {
      std::fprintf(stderr, "cyberex generate: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 2;
    }
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "cyberex generate: option '%s' expects a value\n", a.c_str());
      return 2;
    }
    const std::string& v = args[++i];
    bool ok = true;
    if (a == "--nodes" || a == "--sites") {
      const auto n = parse_count(v);
      ok = n.has_value();
      if (ok)
        (a == "--nodes" ? options.nodes : options.sites) = *n;
    } else if (a == "--seed") {
      const auto n = parse_seed(v);
      ok = n.has_value();
      if (ok)
        options.seed = *n;
    } else if (a == "--duration") {
      const auto d = parse_duration(v);
      ok = d.has_value();
      if (ok)
        options.duration = *d;
    } else {
      output = v;
    }
    if (!ok) {
      std::fprintf(stderr, "cyberex generate: option '%s' expects %s; got '%s'\n", a.c_str(),
                   a == "--duration" ? "a duration such as \"24h\", \"90m\" or \"1d12h\"" : "a whole number",
                   v.c_str());
      return 2;
    }
  }
  if (output.empty()) {
    std::fprintf(stderr, "cyberex generate: missing -o FILE\n");
    usage(stderr);
    return 2;
  }
  if (const std::string problem = check_generate_options(options); !problem.empty()) {
    std::fprintf(stderr, "cyberex generate: %s\n", problem.c_str());
    return 2;
  }
  GenerateSummary summary;
  if (output == "-") {
    summary = generate_scenario(options, std::cout);
    std::cout.flush();
  } else {
    std::ofstream file(output, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::fprintf(stderr, "cyberex generate: cannot write '%s'\n", output.c_str());
      return 1;
    }
    summary = generate_scenario(options, file);
    file.close();
    if (!file) {
      std::fprintf(stderr, "cyberex generate: error while writing '%s'\n", output.c_str());
      return 1;
    }
  }
  std::fprintf(stderr,
               "cyberex generate: wrote %s: %lld nodes, %lld sites, %lld services (%lld probed), %lld dependencies, "
               "%lld campaigns, %lld sensors, %lld injects, %lld teams, %lld bytes\n",
               output == "-" ? "standard output" : output.c_str(), static_cast<long long>(summary.nodes),
               static_cast<long long>(summary.sites), static_cast<long long>(summary.services),
               static_cast<long long>(summary.probes), static_cast<long long>(summary.dependencies),
               static_cast<long long>(summary.campaigns), static_cast<long long>(summary.sensors),
               static_cast<long long>(summary.injects), static_cast<long long>(summary.teams),
               static_cast<long long>(summary.bytes));
  return 0;
}

} // namespace cyberex::cli
