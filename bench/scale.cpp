/* National-scale benchmark: load, build and simulate a (generated) scenario, with the wall time and the peak
 * resident memory of each phase.
 *
 *   bench_scale FILE [--until SECONDS] [--seed N] [--progress]
 *
 * Phases: load (read, check, resolve: load_scenario), build (the SimGrid platform and the world: the Simulation
 * constructor), simulate (advance_to the end). The peak of each phase is measured alone: the kernel's high-water
 * mark is reset between phases (/proc/self/clear_refs), so "peak" is the most memory resident during that phase,
 * everything allocated before it included. */
#include "cyberex/engine.hpp"
#include "cyberex/scenario.hpp"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// A field of /proc/self/status in bytes ("VmHWM", "VmRSS").
std::uint64_t status_bytes(const char* field)
{
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, len, field) == 0 && line.size() > len && line[len] == ':')
      return std::strtoull(line.c_str() + len + 1, nullptr, 10) * 1024u;
  return 0;
}

void reset_peak()
{
  std::ofstream out("/proc/self/clear_refs");
  out << "5"; // resets VmHWM to the current RSS (Linux >= 4.0)
}

struct Phase {
  const char* name;
  double seconds;
  std::uint64_t peak;
  std::uint64_t rss_after;
};

void print(const Phase& p)
{
  std::printf("%-9s %9.3f s   peak %8.1f MiB   resident after %8.1f MiB\n", p.name, p.seconds,
              static_cast<double>(p.peak) / 1048576.0, static_cast<double>(p.rss_after) / 1048576.0);
  std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0) {
    std::fprintf(argc < 2 ? stderr : stdout,
                 "usage: bench_scale FILE [--until SECONDS] [--seed N] [--progress]\n"
                 "Loads, builds and simulates FILE (default: until the exercise's duration); prints wall time and\n"
                 "peak resident memory of each phase (--progress: a line on stderr per simulated hour).\n");
    return argc < 2 ? 2 : 0;
  }
  const std::string file = argv[1];
  double until = -1;
  bool progress = false;
  cyberex::SimulationOptions options;
  for (int i = 2; i < argc; i += 2) {
    if (std::strcmp(argv[i], "--progress") == 0) {
      progress = true;
      --i;
    } else if (i + 1 >= argc) {
      std::fprintf(stderr, "bench_scale: option '%s' expects a value\n", argv[i]);
      return 2;
    } else if (std::strcmp(argv[i], "--until") == 0)
      until = std::strtod(argv[i + 1], nullptr);
    else if (std::strcmp(argv[i], "--seed") == 0)
      options.seed = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "bench_scale: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }

  reset_peak();
  auto t0 = std::chrono::steady_clock::now();
  cyberex::LoadResult loaded = cyberex::load_scenario(file);
  const Phase load{"load", seconds_since(t0), status_bytes("VmHWM"), status_bytes("VmRSS")};
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics.items())
      std::fprintf(stderr, "%s\n", d.format().c_str());
    return 1;
  }
  const cyberex::Scenario& scenario = *loaded.scenario;
  std::printf("%s: %zu nodes, %zu sites, %zu links, %zu services, %zu dependencies\n", file.c_str(),
              scenario.nodes.size(), scenario.sites.size(), scenario.links.size(), scenario.services.size(),
              scenario.dependencies.size());
  print(load);

  reset_peak();
  t0 = std::chrono::steady_clock::now();
  std::uint64_t events = 0;
  cyberex::Simulation sim(scenario, options, [&events](const cyberex::Event&) { ++events; });
  const Phase build{"build", seconds_since(t0), status_bytes("VmHWM"), status_bytes("VmRSS")};
  print(build);
  std::printf("          (of which SimGrid platform: %.3f s)\n", sim.platform_build_seconds());

  if (until < 0)
    until = scenario.exercise.duration;
  reset_peak();
  t0 = std::chrono::steady_clock::now();
  // one simulated hour at a time, so that a long run shows where it spends its time
  for (double t = std::min(until, 3600.0);; t = std::min(until, t + 3600.0)) {
    sim.advance_to(t);
    if (progress)
      std::fprintf(stderr, "  simulated %6.0f s: %9.3f s wall, resident %8.1f MiB, %" PRIu64 " calendar events\n", t,
                   seconds_since(t0), static_cast<double>(status_bytes("VmRSS")) / 1048576.0, sim.events_processed());
    if (t >= until)
      break;
  }
  const Phase run{"simulate", seconds_since(t0), status_bytes("VmHWM"), status_bytes("VmRSS")};
  print(run);
  const cyberex::Kpis k = sim.kpis();
  std::printf("simulated %.0f s in %.3f s wall (%.0fx real time): %" PRIu64 " calendar events, %" PRIu64
              " world events, %d nodes compromised at most, %.1f MWh lost, %d true and %d false alerts\n",
              until, run.seconds, until / run.seconds, sim.events_processed(), events, k.compromised_max, k.mwh_lost,
              k.alerts_true, k.alerts_false);
  std::printf("bytes per node at the end: %.0f\n",
              static_cast<double>(status_bytes("VmRSS")) / static_cast<double>(scenario.nodes.size()));
  std::fflush(stdout); // before the Simulation's teardown
  return 0;
}
