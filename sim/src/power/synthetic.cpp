/* A synthetic transmission grid for benchmarks and `cyberex generate`: a ring of clusters. Each cluster of about
 * 20 buses is a ring with chords (so no single branch outage splits it), consecutive clusters are tied by one
 * branch around a ring of clusters, and half as many ties again join clusters 2 or 3 steps apart (ties stay local,
 * as in a real grid, which keeps the factorisation sparse): about 1.4 branches per bus, no bridge when there are at
 * least 3 clusters. Deterministic from the seed (splitmix64 streams, no std::*_distribution). */
#include "common/stream_rng.hpp"
#include "cyberex/powerflow.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cyberex::power {
namespace {

/// The library's stream with the index draw the grid uses.
class Rng : public detail::StreamRng {
public:
  using StreamRng::StreamRng;
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

constexpr std::size_t CLUSTER = 20;

} // namespace

Network synthetic_grid(std::size_t buses, std::uint64_t seed)
{
  if (buses < 2)
    throw std::invalid_argument("synthetic_grid: at least 2 buses");
  if (buses > 10'000'000)
    throw std::invalid_argument("synthetic_grid: at most 10,000,000 buses");
  Network net;
  net.name = "synthetic-" + std::to_string(buses) + "-" + std::to_string(seed);
  net.base_mva = 100;

  // clusters: consecutive bus ranges of CLUSTER buses; a short last one joins the previous
  std::vector<std::pair<std::size_t, std::size_t>> clusters; // [first, last)
  for (std::size_t first = 0; first < buses; first += CLUSTER)
    clusters.emplace_back(first, std::min(buses, first + CLUSTER));
  if (clusters.size() > 1 && clusters.back().second - clusters.back().first < 3) {
    clusters[clusters.size() - 2].second = clusters.back().second;
    clusters.pop_back();
  }

  Rng place(seed, "power.synthetic.place");
  const double radius = 10.0 * static_cast<double>(clusters.size());
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    const double angle = 2 * std::numbers::pi * static_cast<double>(c) / static_cast<double>(clusters.size());
    const double cx = radius * std::cos(angle), cy = radius * std::sin(angle);
    for (std::size_t i = clusters[c].first; i < clusters[c].second; ++i) {
      Bus b;
      b.number = static_cast<int>(i + 1);
      b.id = "bus-" + std::to_string(i + 1);
      b.type = i == 0 ? BusType::reference : BusType::pq;
      b.x = cx + place.uniform(-4, 4);
      b.y = cy + place.uniform(-4, 4);
      b.has_xy = true;
      net.buses.push_back(b);
    }
  }

  Rng wire(seed, "power.synthetic.branches");
  auto connect = [&](std::size_t a, std::size_t b) {
    Branch br;
    br.from = a;
    br.to = b;
    br.x_pu = wire.uniform(0.01, 0.2);
    br.row = net.branches.size() + 1;
    br.id = "branch-" + std::to_string(br.row);
    net.branches.push_back(br);
  };
  for (const auto& [first, last] : clusters) {
    const std::size_t size = last - first;
    for (std::size_t i = first; i + 1 < last; ++i) // the cluster's ring
      connect(i, i + 1);
    if (size >= 3)
      connect(last - 1, first);
    for (std::size_t chord = 0; chord < size * 3 / 10; ++chord) {
      const std::size_t a = first + wire.below(size), b = first + wire.below(size);
      if (a != b)
        connect(std::min(a, b), std::max(a, b));
    }
  }
  const std::size_t k = clusters.size();
  if (k >= 2) {
    for (std::size_t c = 0; c < (k == 2 ? 1 : k); ++c) { // the ring of clusters
      const auto& here = clusters[c];
      const auto& next = clusters[(c + 1) % k];
      connect(here.first + wire.below(here.second - here.first), next.first + wire.below(next.second - next.first));
    }
    for (std::size_t extra = 0; extra < k / 2; ++extra) { // ties to a cluster 2 or 3 steps along the ring
      const std::size_t c1 = wire.below(k), c2 = (c1 + 2 + wire.below(2)) % k;
      if (c1 == c2)
        continue;
      connect(clusters[c1].first + wire.below(clusters[c1].second - clusters[c1].first),
              clusters[c2].first + wire.below(clusters[c2].second - clusters[c2].first));
    }
  }

  // loads on about 60 % of the buses, 10-100 MW, shedding priorities 1-3
  Rng demand(seed, "power.synthetic.loads");
  double total_load = 0;
  for (std::size_t i = 0; i < buses; ++i) {
    if (demand.uniform(0, 1) >= 0.6)
      continue;
    Load l;
    l.id = "load-" + std::to_string(i + 1);
    l.bus = i;
    l.mw = std::round(demand.uniform(10, 100) * 10) / 10;
    l.priority = 1 + static_cast<int>(demand.below(3));
    l.customers = std::round(l.mw * 400);
    total_load += l.mw;
    net.loads.push_back(l);
  }

  // generators on bus 1 and about 10 % of the others; capacity 1.3 x load, dispatched to the load
  Rng units(seed, "power.synthetic.generators");
  std::vector<std::size_t> at;
  std::vector<double> weight;
  for (std::size_t i = 0; i < buses; ++i)
    if (i == 0 || units.uniform(0, 1) < 0.1) {
      at.push_back(i);
      weight.push_back(units.uniform(1, 4));
    }
  double total_weight = 0;
  for (double w : weight)
    total_weight += w;
  for (std::size_t u = 0; u < at.size(); ++u) {
    Generator g;
    g.bus = at[u];
    g.row = u + 1;
    g.id = "gen-" + std::to_string(u + 1);
    g.pmax_mw = 1.3 * total_load * weight[u] / total_weight;
    g.pg_mw = g.pmax_mw / 1.3;
    net.generators.push_back(g);
    if (at[u] != 0)
      net.buses[at[u]].type = BusType::pv;
  }

  // ratings: the base case's flow over a loading drawn in [30 %, 80 %]; a branch carrying less than 3 MW gets 10 MW
  Solver solver(net);
  const Solution base = solver.solve(initial_state(net), Balance::governor);
  Rng rate(seed, "power.synthetic.ratings");
  for (std::size_t b = 0; b < net.branches.size(); ++b) {
    const double loading = rate.uniform(0.3, 0.8);
    const double flow = std::abs(base.flow_mw[b]);
    net.branches[b].rating_mw = flow < 3 ? 10.0 : std::ceil(flow / loading);
  }
  return net;
}

} // namespace cyberex::power
