/* The engine half of the worm benchmark, written directly against SimGrid S4U: a calendar of logical events
 * interleaved with the SimGrid clock (Engine::run_until to the next event's date, then its handlers run). */
#include "worm_graph.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/log.h>

#include <chrono>
#include <cstdint>
#include <queue>
#include <vector>

namespace bench {

std::uint64_t run_engine(const WormGraph& g, std::vector<double>& infected_at, double& setup_seconds)
{
  const auto t0 = std::chrono::steady_clock::now();
  int argc = 1;
  char name[] = "bench_worm_spread";
  char* argv[] = {name, nullptr};
  xbt_log_control_set("root.thresh:critical");
  simgrid::s4u::Engine engine(&argc, argv);
  auto* zone = simgrid::s4u::create_star_zone("world");
  zone->create_host("h0", 1e9);
  zone->seal();
  setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  struct Event {
    double time;
    std::uint64_t seq;
    std::uint32_t node;
  };
  struct Later {
    bool operator()(const Event& x, const Event& y) const
    {
      return x.time > y.time || (x.time == y.time && x.seq > y.seq);
    }
  };
  std::priority_queue<Event, std::vector<Event>, Later> calendar;
  std::uint64_t seq = 0;
  std::uint64_t events = 0;
  calendar.push({0.0, seq++, 0});
  while (!calendar.empty()) {
    const double t = calendar.top().time;
    if (t > simgrid::s4u::Engine::get_clock())
      engine.run_until(t);
    const double now = simgrid::s4u::Engine::get_clock();
    while (!calendar.empty() && calendar.top().time == t) {
      const Event ev = calendar.top();
      calendar.pop();
      ++events;
      if (infected_at[ev.node] != WormGraph::NOT_INFECTED)
        continue;
      infected_at[ev.node] = now;
      for (std::uint32_t e = g.offsets[ev.node]; e < g.offsets[ev.node + 1]; ++e) {
        const std::uint32_t v = g.targets[e];
        if (infected_at[v] == WormGraph::NOT_INFECTED)
          calendar.push({now + g.delay(e), seq++, v});
      }
    }
  }
  return events;
}

} // namespace bench
