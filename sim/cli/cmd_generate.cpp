/* cyberex generate: write a synthetic national-scale scenario. */
#include "commands.hpp"

#include "cyberex/generate.hpp"

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

} // namespace

int cmd_generate(const Args& args)
{
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
