/* Worm-spread benchmark with an exact answer key.
 *
 * A random graph (fixed seed, average degree about 8): an infected node infects each neighbour after a deterministic
 * per-edge delay (a multiple of 1/1024 s derived from a hash of the edge, so every sum is exact in double). Each
 * node's infection time must equal its shortest-path distance from node 0, which Boost.Graph's Dijkstra computes as
 * the answer key; any mismatch is reported and the run exits non-zero.
 *
 * Two implementations do the same work (one event per infection attempt that reaches a not yet infected node):
 *   plain   a binary-heap event loop, the practical limit;
 *   engine  cyberex's engine: the world's own calendar inside SimGrid (Simulation::schedule);
 *   s4u     (optional) the same calendar written directly on SimGrid S4U, to show the engine's own overhead.
 * Each runs in a worker process of its own (only one SimGrid engine may exist per process, and the peak resident
 * memory of a process is only meaningful when nothing else ran in it): the driver re-executes this program with
 * --worker IMPL, reads the figures and the infection times back through a pipe, checks them and prints the table.
 *
 *   bench_worm_spread [--nodes N[,N...]] [--impl plain,engine,s4u] [--degree D] [--seed S]
 */
#include "worm_graph.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <vector>

namespace {

using bench::WormGraph;

struct WorkerFigures {
  std::uint64_t events = 0;    ///< infection attempts executed
  double setup_seconds = 0;    ///< engine or queue creation, excluded from the rate
  double run_seconds = 0;      ///< the event loop
  std::uint64_t graph_rss = 0; ///< bytes resident once the graph is built (before the implementation starts)
  std::uint64_t peak_rss = 0;  ///< bytes, peak resident set of the worker process
  std::uint64_t infected = 0;
};

double seconds_since(std::chrono::steady_clock::time_point t0)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::uint64_t current_rss()
{
  long pages = 0;
  long resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
      resident = 0;
    std::fclose(f);
  }
  return static_cast<std::uint64_t>(resident) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::uint64_t peak_rss()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u; // Linux reports kilobytes
}

// ---------------------------------------------------------------------------------------------------------------
// (a) plain binary-heap event loop

std::uint64_t run_plain(const WormGraph& g, std::vector<double>& infected_at)
{
  struct Event {
    double time;
    std::uint64_t seq; // ties at equal time: first scheduled, first executed
    std::uint32_t node;
  };
  struct Later {
    bool operator()(const Event& x, const Event& y) const
    {
      return x.time > y.time || (x.time == y.time && x.seq > y.seq);
    }
  };
  std::priority_queue<Event, std::vector<Event>, Later> queue;
  std::uint64_t seq = 0;
  std::uint64_t events = 0;
  queue.push({0.0, seq++, 0});
  while (!queue.empty()) {
    const Event ev = queue.top();
    queue.pop();
    ++events;
    if (infected_at[ev.node] != WormGraph::NOT_INFECTED)
      continue;
    infected_at[ev.node] = ev.time;
    for (std::uint32_t e = g.offsets[ev.node]; e < g.offsets[ev.node + 1]; ++e) {
      const std::uint32_t v = g.targets[e];
      if (infected_at[v] == WormGraph::NOT_INFECTED)
        queue.push({ev.time + g.delay(e), seq++, v});
    }
  }
  return events;
}

} // namespace

// (b) the cyberex engine: in worm_engine.cpp (it owns the process's only SimGrid engine)
namespace bench {
void run_engine(const WormGraph& g, std::vector<double>& infected_at, const Finish& finish);
void run_s4u(const WormGraph& g, std::vector<double>& infected_at, const Finish& finish);
} // namespace bench

namespace {

// ---------------------------------------------------------------------------------------------------------------
// worker: one implementation, one size, one process

bool write_all(int fd, const void* data, std::size_t size)
{
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n <= 0)
      return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t size)
{
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n <= 0)
      return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

int worker(const std::string& impl, std::uint32_t nodes, unsigned degree, std::uint64_t seed)
{
  const WormGraph g = WormGraph::random(nodes, degree, seed);
  WorkerFigures fig;
  fig.graph_rss = current_rss();
  std::vector<double> infected_at(nodes, WormGraph::NOT_INFECTED);
  bool reported = false;
  const auto t0 = std::chrono::steady_clock::now();
  // called at the end of the event loop, while the implementation (and its engine) is still alive
  const bench::Finish finish = [&](std::uint64_t events, double setup_seconds) {
    fig.run_seconds = seconds_since(t0) - setup_seconds;
    fig.setup_seconds = setup_seconds;
    fig.events = events;
    fig.peak_rss = peak_rss();
    for (double t : infected_at)
      fig.infected += t != WormGraph::NOT_INFECTED;
    std::fflush(stdout);
    reported = write_all(STDOUT_FILENO, &fig, sizeof fig) &&
               write_all(STDOUT_FILENO, infected_at.data(), infected_at.size() * sizeof(double));
  };
  if (impl == "plain") {
    finish(run_plain(g, infected_at), 0.0);
  } else if (impl == "engine") {
    bench::run_engine(g, infected_at, finish);
  } else {
    bench::run_s4u(g, infected_at, finish);
  }
  return reported ? 0 : 3;
}

// ---------------------------------------------------------------------------------------------------------------
// driver

struct WorkerResult {
  WorkerFigures fig;
  std::vector<double> infected_at;
  bool clean_exit = true; ///< false: the figures came, then the process failed (counted as a failure)
};

std::optional<WorkerResult> spawn_worker(const std::string& impl, std::uint32_t nodes, unsigned degree,
                                         std::uint64_t seed)
{
  int fds[2];
  if (pipe(fds) != 0)
    return std::nullopt;
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0)
    return std::nullopt;
  if (pid == 0) {
    ::close(fds[0]);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[1]);
    const std::string n = std::to_string(nodes);
    const std::string d = std::to_string(degree);
    const std::string s = std::to_string(seed);
    // exec a fresh image so that the worker's peak memory is its own, not the driver's
    execl("/proc/self/exe", "bench_worm_spread", "--worker", impl.c_str(), "--nodes", n.c_str(), "--degree", d.c_str(),
          "--seed", s.c_str(), static_cast<char*>(nullptr));
    std::perror("exec /proc/self/exe");
    std::_Exit(127);
  }
  ::close(fds[1]);
  WorkerResult r;
  r.infected_at.resize(nodes);
  const bool ok = read_all(fds[0], &r.fig, sizeof r.fig) &&
                  read_all(fds[0], r.infected_at.data(), r.infected_at.size() * sizeof(double));
  ::close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!ok) {
    std::fprintf(stderr, "bench_worm_spread: worker '%s' with %u nodes failed before reporting (status %d)\n",
                 impl.c_str(), nodes, status);
    return std::nullopt;
  }
  r.clean_exit = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!r.clean_exit)
    std::fprintf(stderr, "bench_worm_spread: worker '%s' with %u nodes reported, then failed at teardown (status %d)\n",
                 impl.c_str(), nodes, status);
  return r;
}

/// The answer key: shortest-path distances from node 0 with Boost.Graph's Dijkstra on a CSR graph.
std::vector<double> dijkstra_answer_key(const WormGraph& g)
{
  struct Arc {
    double weight;
  };
  using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, Arc>;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> arcs;
  std::vector<Arc> weights;
  arcs.reserve(g.targets.size());
  weights.reserve(g.targets.size());
  for (std::uint32_t u = 0; u < g.node_count(); ++u)
    for (std::uint32_t e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
      arcs.emplace_back(u, g.targets[e]);
      weights.push_back({g.delay(e)});
    }
  const Csr csr(boost::edges_are_sorted, arcs.begin(), arcs.end(), weights.begin(), g.node_count());
  std::vector<double> dist(g.node_count());
  boost::dijkstra_shortest_paths(
      csr, Csr::vertex_descriptor{0},
      boost::weight_map(boost::get(&Arc::weight, csr))
          .distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, csr)))
          .distance_inf(WormGraph::NOT_INFECTED));
  return dist;
}

std::size_t count_mismatches(const std::vector<double>& got, const std::vector<double>& key, const char* impl)
{
  std::size_t bad = 0;
  for (std::size_t i = 0; i < key.size(); ++i)
    if (got[i] != key[i]) {
      if (bad < 5)
        std::fprintf(stderr, "  mismatch (%s): node %zu infected at %.10f, shortest path %.10f\n", impl, i, got[i],
                     key[i]);
      ++bad;
    }
  return bad;
}

void print_row(const char* impl, std::uint32_t n, const WorkerFigures& f, std::size_t mismatches)
{
  std::printf("%-7s %9u %11" PRIu64 " %9.3f %8.3f %12.0f %9.1f %9.0f %10zu\n", impl, n, f.events, f.setup_seconds,
              f.run_seconds, static_cast<double>(f.events) / f.run_seconds, static_cast<double>(f.peak_rss) / 1048576.0,
              static_cast<double>(f.peak_rss) / n, mismatches);
}

std::vector<std::uint32_t> parse_sizes(const std::string& text)
{
  std::vector<std::uint32_t> sizes;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end); // accepts 1e6
    if (item.empty() || *end != '\0' || v < 2 || v > 5e7)
      return {};
    sizes.push_back(static_cast<std::uint32_t>(v));
    pos = comma + 1;
  }
  return sizes;
}

void usage(std::FILE* out)
{
  std::fprintf(out, "usage: bench_worm_spread [--nodes N[,N...]] [--impl IMPL[,IMPL...]] [--degree D] [--seed S]\n"
                    "  --nodes   graph sizes (default 1e3,1e4,1e5,1e6)\n"
                    "  --impl    plain (binary-heap loop), engine (cyberex Simulation calendar), s4u (a calendar\n"
                    "            written directly on SimGrid S4U); default plain,engine. Ratios are against plain.\n"
                    "  --degree  average degree of the random graph (default 8)\n"
                    "  --seed    graph seed (default 1)\n"
                    "Exits 1 when an infection time differs from Boost.Graph's Dijkstra distance.\n");
}

} // namespace

int main(int argc, char** argv)
{
  std::vector<std::uint32_t> sizes = {1000, 10000, 100000, 1000000};
  std::vector<std::string> impls = {"plain", "engine"};
  std::string worker_impl;
  unsigned degree = 8;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else if (a == "--nodes" && has_value) {
      sizes = parse_sizes(argv[++i]);
      if (sizes.empty()) {
        std::fprintf(stderr, "bench_worm_spread: --nodes expects sizes between 2 and 5e7 separated by commas\n");
        return 2;
      }
    } else if (a == "--impl" && has_value) {
      impls.clear();
      const std::string list = argv[++i];
      for (std::size_t pos = 0; pos <= list.size();) {
        const std::size_t comma = std::min(list.find(',', pos), list.size());
        const std::string name = list.substr(pos, comma - pos);
        if (name != "plain" && name != "engine" && name != "s4u") {
          std::fprintf(stderr, "bench_worm_spread: --impl expects plain, engine or s4u (comma-separated), not '%s'\n",
                       name.c_str());
          return 2;
        }
        impls.push_back(name);
        pos = comma + 1;
      }
    } else if (a == "--worker" && has_value) {
      worker_impl = argv[++i];
    } else if (a == "--degree" && has_value) {
      degree = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
      if (degree < 1 || degree > 100) {
        std::fprintf(stderr, "bench_worm_spread: --degree expects 1 to 100\n");
        return 2;
      }
    } else if (a == "--seed" && has_value) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "bench_worm_spread: unknown or incomplete option '%s'\n", a.c_str());
      usage(stderr);
      return 2;
    }
  }
  if (!worker_impl.empty())
    return worker(worker_impl, sizes.front(), degree, seed);

  std::printf("worm spread, average degree %u, seed %u; rate = events/s of the event loop; memory = peak RSS of the "
              "worker process (graph included)\n",
              degree, static_cast<unsigned>(seed));
  std::printf("%-7s %9s %11s %9s %8s %12s %9s %9s %10s\n", "impl", "nodes", "events", "setup_s", "run_s", "events/s",
              "peak_MiB", "B/node", "mismatch");
  bool all_ok = true;
  for (std::uint32_t n : sizes) {
    std::vector<std::optional<WorkerResult>> results;
    for (const auto& name : impls)
      results.push_back(spawn_worker(name, n, degree, seed));
    const std::vector<double> key = dijkstra_answer_key(WormGraph::random(n, degree, seed));
    for (std::size_t k = 0; k < impls.size(); ++k) {
      if (!results[k]) {
        all_ok = false;
        continue;
      }
      const std::size_t bad = count_mismatches(results[k]->infected_at, key, impls[k].c_str());
      all_ok = all_ok && bad == 0 && results[k]->clean_exit;
      print_row(impls[k].c_str(), n, results[k]->fig, bad);
    }
    // ratios against the plain loop, when it ran
    for (std::size_t k = 1; k < impls.size(); ++k) {
      if (impls[0] != "plain" || !results[0] || !results[k])
        continue;
      const WorkerFigures& p = results[0]->fig;
      const WorkerFigures& e = results[k]->fig;
      std::printf("ratio   %9u  %s/plain: run time %.2fx, events/s %.2fx, peak memory %.2fx\n", n, impls[k].c_str(),
                  e.run_seconds / p.run_seconds,
                  (static_cast<double>(e.events) / e.run_seconds) / (static_cast<double>(p.events) / p.run_seconds),
                  static_cast<double>(e.peak_rss) / static_cast<double>(p.peak_rss));
    }
    std::fflush(stdout);
  }
  if (!all_ok) {
    std::printf("FAILED: some infection times differ from the Dijkstra answer key (or a worker failed)\n");
    return 1;
  }
  std::printf("OK: every infection time equals its Dijkstra distance\n");
  return 0;
}
