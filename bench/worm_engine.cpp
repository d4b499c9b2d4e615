/* The engine halves of the worm benchmark.
 *
 * engine  cyberex's Simulation: every infection attempt is an event in the world's own calendar
 *         (Simulation::schedule), processed by the engine's scheduler inside SimGrid, exactly as campaign steps,
 *         detections and action completions are.
 * s4u     for reference, the same calendar written directly against SimGrid S4U: a binary heap whose dates are
 *         reached with Engine::run_until, all events at one date processed together. */
#include "worm_graph.hpp"

#include "cyberex/engine.hpp"
#include "cyberex/model.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/NetZone.hpp>
#include <xbt/log.h>

#include <chrono>
#include <cstdint>
#include <queue>
#include <vector>

namespace bench {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// The smallest world the Simulation accepts: one site with one server; the worm lives in the calendar only.
cyberex::Scenario empty_world()
{
  cyberex::Scenario s;
  s.file = "<worm benchmark>";
  s.exercise.id = "worm";
  s.exercise.title = "worm spread benchmark";
  s.exercise.duration = 1e9;
  cyberex::Organisation org;
  org.id = "lab";
  org.sector = "government";
  s.organisations.push_back(org);
  cyberex::Site site;
  site.id = "lab";
  site.organisation = "lab";
  site.organisation_index = 0;
  site.sector = "government";
  s.sites.push_back(site);
  s.site_by_id["lab"] = 0;
  cyberex::Node node;
  node.id = "h0";
  node.site = "lab";
  node.site_index = 0;
  node.kind = cyberex::NodeKind::server;
  s.nodes.push_back(node);
  s.node_by_id["h0"] = 0;
  return s;
}

// The handler is a plain function (no captures: the calendar stores two words per event), so the worm's state is
// reached through this pointer, set for the duration of run_engine().
struct Worm {
  const WormGraph* graph;
  std::vector<double>* infected_at;
};
Worm* current_worm = nullptr;

void infect(cyberex::Simulation& sim, std::uint64_t node, std::uint64_t)
{
  std::vector<double>& infected_at = *current_worm->infected_at;
  if (infected_at[node] != WormGraph::NOT_INFECTED)
    return;
  const double now = sim.now();
  infected_at[node] = now;
  const WormGraph& g = *current_worm->graph;
  for (std::uint32_t e = g.offsets[node]; e < g.offsets[node + 1]; ++e) {
    const std::uint32_t v = g.targets[e];
    if (infected_at[v] == WormGraph::NOT_INFECTED)
      sim.schedule(now + g.delay(e), &infect, v);
  }
}

} // namespace

void run_engine(const WormGraph& g, std::vector<double>& infected_at, const Finish& finish)
{
  const auto t0 = std::chrono::steady_clock::now();
  const cyberex::Scenario world = empty_world();
  cyberex::Simulation sim(world);
  const double setup_seconds = seconds_since(t0);
  Worm worm{&g, &infected_at};
  current_worm = &worm;
  const std::uint64_t before = sim.events_processed();
  sim.schedule(0.0, &infect, 0);
  while (sim.step()) {
  }
  current_worm = nullptr;
  finish(sim.events_processed() - before, setup_seconds);
}

void run_s4u(const WormGraph& g, std::vector<double>& infected_at, const Finish& finish)
{
  const auto t0 = std::chrono::steady_clock::now();
  int argc = 1;
  char name[] = "bench_worm_spread";
  char* argv[] = {name, nullptr};
  simgrid::s4u::Engine engine(&argc, argv);
  xbt_log_control_set("root.thresh:critical");
  auto* zone = simgrid::s4u::create_star_zone("world");
  zone->create_host("h0", 1e9);
  zone->seal();
  const double setup_seconds = seconds_since(t0);

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
  finish(events, setup_seconds);
}

} // namespace bench
