/* The worm benchmark's graph: an undirected random multigraph in compressed sparse row form, with a delay on every
 * edge that is a multiple of 1/1024 s (exact in double, so sums along paths are exact and comparable with ==). */
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace bench {

/// splitmix64: the seeding and hashing function of the benchmark (no std::*_distribution anywhere).
inline std::uint64_t splitmix64(std::uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Called by an implementation when its event loop ends, before it tears down: (events executed, setup seconds).
using Finish = std::function<void(std::uint64_t events, double setup_seconds)>;

struct WormGraph {
  static constexpr double NOT_INFECTED = std::numeric_limits<double>::infinity();
  static constexpr double DELAY_UNIT = 1.0 / 1024.0;     ///< seconds
  static constexpr std::uint32_t MAX_DELAY_UNITS = 8192; ///< delays are 1..8192 units: about 1 ms to 8 s

  std::vector<std::uint32_t> offsets;     ///< node u's arcs are [offsets[u], offsets[u+1])
  std::vector<std::uint32_t> targets;     ///< arc -> neighbour
  std::vector<std::uint16_t> delay_units; ///< arc -> delay in DELAY_UNIT (both directions of an edge agree)

  std::uint32_t node_count() const { return static_cast<std::uint32_t>(offsets.size() - 1); }
  double delay(std::uint32_t arc) const { return delay_units[arc] * DELAY_UNIT; }

  /// n nodes, n*degree/2 edges with uniformly random ends (no self loops); delay from a hash of (seed, edge number).
  static WormGraph random(std::uint32_t n, unsigned degree, std::uint64_t seed)
  {
    const std::uint64_t m = static_cast<std::uint64_t>(n) * degree / 2;
    std::vector<std::uint32_t> ends(2 * m);
    std::vector<std::uint16_t> units(m);
    std::uint64_t state = splitmix64(seed ^ 0x776f726d73707264ULL);
    auto below = [&state](std::uint32_t bound) {
      state = splitmix64(state);
      return static_cast<std::uint32_t>(((state >> 32) * bound) >> 32); // multiply-shift: no modulo bias worth noting
    };
    for (std::uint64_t e = 0; e < m; ++e) {
      std::uint32_t a = below(n);
      std::uint32_t b = below(n - 1);
      if (b >= a)
        ++b;
      ends[2 * e] = a;
      ends[2 * e + 1] = b;
      units[e] = static_cast<std::uint16_t>(1 + splitmix64(seed * 0x100000001b3ULL + e) % MAX_DELAY_UNITS);
    }
    WormGraph g;
    g.offsets.assign(static_cast<std::size_t>(n) + 1, 0);
    for (std::uint32_t v : ends)
      ++g.offsets[v + 1];
    for (std::uint32_t u = 0; u < n; ++u)
      g.offsets[u + 1] += g.offsets[u];
    g.targets.resize(2 * m);
    g.delay_units.resize(2 * m);
    std::vector<std::uint32_t> fill(g.offsets.begin(), g.offsets.end() - 1);
    for (std::uint64_t e = 0; e < m; ++e) { // edges in order: each node's arcs stay sorted by edge number
      const std::uint32_t a = ends[2 * e];
      const std::uint32_t b = ends[2 * e + 1];
      g.targets[fill[a]] = b;
      g.delay_units[fill[a]++] = units[e];
      g.targets[fill[b]] = a;
      g.delay_units[fill[b]++] = units[e];
    }
    return g;
  }
};

} // namespace bench
