/* Flood benchmark: what a botnet costs, aggregated against per-flow (docs/engine.md, "Botnets").
 *
 *   bench_flood [--scenario FILE] [--until SECONDS] [--bots N] [--flood-until SECONDS]
 *
 * Each case runs in a child process of its own (SimGrid allows one engine per process) and reports the CPU time of
 * the simulation (the Simulation constructor and advance_to, CLOCK_PROCESS_CPUTIME_ID) and its events, one line
 * each: the exact time (%.9f) and the event's JSON. Cases:
 *
 *   1. the scenario (default Cyber Europe 2012, its 8 hours): aggregated floods, per-flow floods, and without its
 *      botnets (the same scenario with the botnet list emptied);
 *   2. N bots (default 20,000) entering at one router and flooding a web server behind a 1 Gb/s uplink, probed every
 *      minute from behind the router (the world of tests/unit/engine_flood_test.cpp) for 1 hour, in ten 3-minute
 *      waves of intensity 10 %, 20 %, ..., 100 % with 3-minute pauses between them: each wave's probes are degraded
 *      (above 50 ms) and each pause's are up, so every wave's probe latency is an event.
 *
 * Printed: per case the CPU and wall seconds and the events; whether the per-flow run gave the same events as the
 * aggregated one (same JSON lines, exact times within 1e-9 s); the ratios per-flow / aggregated (target: 20x or
 * more on case 2) and aggregated / without botnets (target: 3x or less), also counting the scenario's load (CPU,
 * measured once in the parent) in both. Exit status 1 if the events differ. */
#include "cyberex/engine.hpp"
#include "cyberex/scenario.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace cyberex;

double cpu_seconds()
{
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Outcome {
  double cpu = -1;
  double wall = -1;
  std::vector<std::string> events; // "%.9f JSON"
};

/// Simulates `sc` until `until` in a child process with `model` floods.
Outcome run_case(const Scenario& sc, double until, FloodModel model)
{
  std::fflush(stdout);
  int fd[2];
  if (pipe(fd) != 0)
    return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    std::string out;
    {
      SimulationOptions options;
      options.flood = model;
      std::string lines;
      const double c0 = cpu_seconds();
      const auto w0 = std::chrono::steady_clock::now();
      Simulation sim(sc, options, [&](const Event& e) {
        char t[64];
        std::snprintf(t, sizeof t, "%.9f ", e.time);
        lines += t + e.to_json() + "\n";
      });
      sim.advance_to(until);
      const double cpu = cpu_seconds() - c0;
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
      char head[96];
      std::snprintf(head, sizeof head, "%.6f %.6f\n", cpu, wall);
      out = head + lines;
    }
    std::size_t off = 0;
    while (off < out.size()) {
      const ssize_t w = write(fd[1], out.data() + off, out.size() - off);
      if (w <= 0)
        break;
      off += static_cast<std::size_t>(w);
    }
    close(fd[1]);
    _exit(0);
  }
  close(fd[1]);
  std::string text;
  char buf[65536];
  ssize_t r;
  while ((r = read(fd[0], buf, sizeof buf)) > 0)
    text.append(buf, static_cast<std::size_t>(r));
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome o;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return o;
  std::istringstream in(text);
  in >> o.cpu >> o.wall;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line))
    o.events.push_back(line);
  return o;
}

/// Same JSON lines (times at 3 decimals included) and exact times within 1e-9 s; says why not in `why`.
bool same_events(const Outcome& a, const Outcome& b, std::string& why)
{
  if (a.events.size() != b.events.size()) {
    why = std::to_string(a.events.size()) + " events against " + std::to_string(b.events.size());
    return false;
  }
  double worst = 0;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    const std::string& x = a.events[i];
    const std::string& y = b.events[i];
    if (x.substr(x.find(' ')) != y.substr(y.find(' '))) {
      why = "event " + std::to_string(i) + " differs:\n  " + x + "\n  " + y;
      return false;
    }
    worst = std::max(worst, std::fabs(std::stod(x) - std::stod(y)));
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, "%zu events, exact times within %.1e s", a.events.size(), worst);
  why = buf;
  return worst <= 1e-9;
}

void print_case(const char* label, const Outcome& o)
{
  std::printf("  %-22s %8.3f s CPU %8.3f s wall %6zu events\n", label, o.cpu, o.wall, o.events.size());
  std::fflush(stdout);
}

/// The uplink world of tests/unit/engine_flood_test.cpp with `bots` bots at gw, in ten waves.
Scenario uplink_world(std::int64_t bots)
{
  Scenario s;
  s.exercise.id = "flood-bench";
  s.exercise.duration = 3600;
  auto node = [&](const char* id, NodeKind kind) {
    Node n;
    n.id = id;
    n.kind = kind;
    s.node_by_id[id] = static_cast<Index>(s.nodes.size());
    s.nodes.push_back(n);
  };
  node("P", NodeKind::server);
  node("gw", NodeKind::router);
  node("S", NodeKind::web_server);
  auto link = [&](const char* a, const char* b, double bandwidth, double latency) {
    Link l;
    l.id = std::string(a) + "-" + b;
    l.a = a;
    l.b = b;
    l.a_index = s.node_by_id.at(a);
    l.b_index = s.node_by_id.at(b);
    l.bandwidth = bandwidth;
    l.latency = latency;
    s.links.push_back(l);
  };
  link("P", "gw", 1.25e9, 0.010);
  link("gw", "S", 125e6, 0.002);
  Service svc;
  svc.id = "web";
  svc.node = "S";
  svc.node_index = s.node_by_id.at("S");
  Probe p;
  p.from = "P";
  p.from_index = s.node_by_id.at("P");
  p.interval = 60;
  p.timeout = 5;
  p.degraded_latency = 0.05;
  p.request_bytes = 200;
  p.response_bytes = 2000;
  svc.probe = p;
  s.service_by_id["web"] = 0;
  s.services.push_back(svc);
  Botnet bn;
  bn.id = "flood";
  bn.size = bots;
  bn.bot_bandwidth = 125e3;
  bn.attach = {"gw"};
  bn.attach_index = {s.node_by_id.at("gw")};
  bn.target = "service:web";
  for (int w = 0; w < 10; ++w)
    bn.schedule.push_back(BotnetWave{w * 360.0, w * 360.0 + 180, (w + 1) / 10.0});
  s.botnets.push_back(bn);
  return s;
}

} // namespace

int main(int argc, char** argv)
{
  std::string file = "scenarios/cyber-europe-2012/cyber-europe-2012.json";
  double until = -1;
  double flood_until = 3600;
  std::int64_t bots = 20000;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--help") == 0) {
      std::printf("usage: bench_flood [--scenario FILE] [--until SECONDS] [--bots N] [--flood-until SECONDS]\n"
                  "Aggregated against per-flow floods: the scenario (default Cyber Europe 2012) with both models and\n"
                  "without its botnets, then N bots (default 20,000) against a 1 Gb/s uplink; see bench/README.md.\n");
      return 0;
    } else if (std::strcmp(argv[i], "--scenario") == 0 && has_value) {
      file = argv[++i];
    } else if (std::strcmp(argv[i], "--until") == 0 && has_value) {
      until = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--bots") == 0 && has_value) {
      bots = std::atoll(argv[++i]);
    } else if (std::strcmp(argv[i], "--flood-until") == 0 && has_value) {
      flood_until = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "bench_flood: unknown option or missing value: '%s'\n", argv[i]);
      return 2;
    }
  }
  int status = 0;
  std::string why;

  const double l0 = cpu_seconds();
  LoadResult loaded = load_scenario(file);
  const double load = cpu_seconds() - l0;
  if (!loaded.ok()) {
    std::fprintf(stderr, "bench_flood: cannot load '%s'\n", file.c_str());
    return 2;
  }
  const Scenario& sc = *loaded.scenario;
  if (until < 0)
    until = sc.exercise.duration > 0 ? sc.exercise.duration : 8 * 3600.0;
  std::printf("== 1. %s, %.0f s simulated, %zu botnets\n", file.c_str(), until, sc.botnets.size());
  const Outcome aggregated = run_case(sc, until, FloodModel::aggregated);
  print_case("aggregated", aggregated);
  const Outcome per_flow = run_case(sc, until, FloodModel::per_flow);
  print_case("per-flow", per_flow);
  Scenario quiet = sc;
  quiet.botnets.clear();
  const Outcome without = run_case(quiet, until, FloodModel::aggregated);
  print_case("without botnets", without);
  const bool same1 = same_events(aggregated, per_flow, why);
  std::printf("  per-flow events %s aggregated: %s\n", same1 ? "==" : "!=", why.c_str());
  std::printf("  loading the scenario (once, in the parent): %.3f s CPU\n", load);
  std::printf("  per-flow / aggregated: %.1fx CPU; aggregated / without botnets: %.2fx CPU, with the load %.2fx "
              "(target <= 3x)\n",
              per_flow.cpu / aggregated.cpu, aggregated.cpu / without.cpu,
              (load + aggregated.cpu) / (load + without.cpu));
  status |= same1 ? 0 : 1;

  std::printf("== 2. %lld bots against a 1 Gb/s uplink, ten waves, probed every minute, %.0f s simulated\n",
              static_cast<long long>(bots), flood_until);
  const Scenario flood = uplink_world(bots);
  const Outcome agg2 = run_case(flood, flood_until, FloodModel::aggregated);
  print_case("aggregated", agg2);
  const Outcome per2 = run_case(flood, flood_until, FloodModel::per_flow);
  print_case("per-flow", per2);
  const bool same2 = same_events(agg2, per2, why);
  std::printf("  per-flow events %s aggregated: %s\n", same2 ? "==" : "!=", why.c_str());
  std::printf("  per-flow / aggregated: %.1fx CPU (target >= 20x)\n", per2.cpu / agg2.cpu);
  status |= same2 ? 0 : 1;
  return status;
}
