/* The world's state on top of the platform: power balance and load shedding, dependencies with backups (cascades),
 * services and availability probes, botnet floods, team actions, KPIs. */
#include "cyberex/scenario.hpp"
#include "engine/impl.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <iterator>
#include <tuple>

namespace cyberex {

namespace {

std::optional<EntityRef> parse_entity(const Scenario& sc, const std::string& ref)
{
  const auto colon = ref.find(':');
  if (colon == std::string::npos)
    return std::nullopt;
  const std::string kind = ref.substr(0, colon);
  const std::string id = ref.substr(colon + 1);
  if (kind == "node") {
    auto it = sc.node_by_id.find(id);
    if (it != sc.node_by_id.end())
      return EntityRef{EntityKind::node, it->second};
  } else if (kind == "service") {
    auto it = sc.service_by_id.find(id);
    if (it != sc.service_by_id.end())
      return EntityRef{EntityKind::service, it->second};
  } else if (kind == "grid") {
    auto it = sc.grid_by_id.find(id);
    if (it != sc.grid_by_id.end())
      return EntityRef{EntityKind::grid, it->second};
  }
  return std::nullopt;
}

const char* status_name(int s)
{
  return s == 0 ? "up" : s == 1 ? "degraded" : "down";
}

} // namespace

void Simulation::Impl::init_world()
{
  const std::size_t n = sc_.nodes.size();
  nodes_.assign(n, NodeState{});
  node_teams_.assign(n, {});
  node_sensors_.assign(n, {});
  node_services_.assign(n, {});
  for (std::size_t t = 0; t < sc_.teams.size(); ++t)
    for (Index a : sc_.teams[t].asset_nodes)
      if (a >= 0 && static_cast<std::size_t>(a) < n)
        node_teams_[a].push_back(static_cast<int>(t));
  for (std::size_t k = 0; k < sc_.sensors.size(); ++k)
    for (Index a : sc_.sensors[k].covers_nodes)
      if (a >= 0 && static_cast<std::size_t>(a) < n)
        node_sensors_[a].push_back(static_cast<int>(k));
  for (std::size_t s = 0; s < sc_.services.size(); ++s)
    if (sc_.services[s].node_index >= 0)
      node_services_[sc_.services[s].node_index].push_back(static_cast<int>(s));
  for (std::size_t i = 0; i < n; ++i)
    if (is_attacker(static_cast<Index>(i)))
      attacker_nodes_.push_back(static_cast<Index>(i));
  blocked_.assign(sc_.indicators.size(), std::vector<char>(sc_.teams.size(), 0));

  // power
  grids_.assign(sc_.grids.size(), GridState{});
  grid_units_.assign(sc_.grids.size(), {});
  grid_substations_.assign(sc_.grids.size(), {});
  for (std::size_t i = 0; i < n; ++i) {
    const Node& node = sc_.nodes[i];
    if (node.kind == NodeKind::generation_unit)
      units_.push_back(static_cast<Index>(i));
    if (node.grid_index < 0)
      continue;
    if (node.kind == NodeKind::generation_unit)
      grid_units_[node.grid_index].push_back(static_cast<Index>(i));
    else if (node.kind == NodeKind::substation)
      grid_substations_[node.grid_index].push_back(static_cast<Index>(i));
  }
  for (auto& subs : grid_substations_)
    std::sort(subs.begin(), subs.end(), [&](Index x, Index y) {
      const Node& a = sc_.nodes[x];
      const Node& b = sc_.nodes[y];
      return a.shed_priority != b.shed_priority ? a.shed_priority < b.shed_priority : a.id < b.id;
    });
  for (std::size_t i = 0; i < n; ++i)
    nodes_[i].reported_output = sc_.nodes[i].kind == NodeKind::generation_unit ? sc_.nodes[i].capacity_mw : 0;
  init_networks();

  // dependencies, evaluated in topological order of the dependency graph (edge: `on` -> `dependent`) when it is
  // acyclic, in declaration order otherwise (the fixpoint in refresh() converges either way)
  const std::size_t nv = n + sc_.services.size() + sc_.grids.size() + bus_refs_.size();
  auto vertex = [&](const EntityRef& e) {
    return static_cast<std::size_t>(e.index) + (e.kind == EntityKind::node      ? 0
                                                : e.kind == EntityKind::service ? n
                                                : e.kind == EntityKind::grid
                                                    ? n + sc_.services.size()
                                                    : n + sc_.services.size() + sc_.grids.size());
  };
  // "bus:GRID/BUS": a bus of a networked grid, numbered in the order of networks_ and their buses
  auto entity = [&](const std::string& ref) -> std::optional<EntityRef> {
    if (auto bus = find_bus_ref(networks_, sc_, ref)) {
      std::size_t flat = 0;
      for (std::size_t k = 0; k < bus->first; ++k)
        flat += networks_[k].network.buses.size();
      return EntityRef{EntityKind::bus, static_cast<Index>(flat + bus->second)};
    }
    return parse_entity(sc_, ref);
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  Graph g(nv);
  for (const auto& d : sc_.dependencies) {
    auto dep = parse_entity(sc_, d.dependent);
    auto on = entity(d.on);
    if (!dep || !on || dep->kind == EntityKind::grid)
      continue;
    DependencyState ds;
    ds.dependent = *dep;
    ds.on = *on;
    ds.has_backup = d.backup.has_value() && d.backup->duration > 0;
    ds.backup = d.backup ? d.backup->duration : 0;
    deps_.push_back(ds);
    boost::add_edge(vertex(*on), vertex(*dep), g);
  }
  std::vector<std::size_t> order;
  try {
    boost::topological_sort(g, std::back_inserter(order)); // reverse topological order
    std::reverse(order.begin(), order.end());
    std::vector<std::size_t> rank(nv);
    for (std::size_t i = 0; i < order.size(); ++i)
      rank[order[i]] = i;
    for (std::size_t i = 0; i < deps_.size(); ++i)
      dep_order_.push_back(static_cast<int>(i));
    std::stable_sort(dep_order_.begin(), dep_order_.end(),
                     [&](int x, int y) { return rank[vertex(deps_[x].on)] < rank[vertex(deps_[y].on)]; });
  } catch (const boost::not_a_dag&) {
    dep_order_.clear();
    for (std::size_t i = 0; i < deps_.size(); ++i)
      dep_order_.push_back(static_cast<int>(i));
  }

  services_.assign(sc_.services.size(), ServiceState{});

  // campaigns
  campaigns_.assign(sc_.campaigns.size(), CampaignState{});
  for (std::size_t c = 0; c < sc_.campaigns.size(); ++c) {
    const Campaign& camp = sc_.campaigns[c];
    auto& cs = campaigns_[c];
    cs.rng = Rng(seed_, "campaign:" + camp.id);
    cs.step_status.assign(camp.steps.size(), 0);
    for (const auto& st : camp.steps) {
      cs.targets.push_back(select_nodes(sc_, st.target));
      if (st.source != "external" && st.source != "compromised" && !st.source.empty())
        cs.sources.push_back(select_nodes(sc_, st.source));
      else
        cs.sources.emplace_back();
    }
    schedule(
        camp.start,
        [](Simulation& sim, std::uint64_t x, std::uint64_t) { sim.impl_->campaign_start(static_cast<int>(x)); }, c, 0);
  }

  // sensors: detection streams and false positives (a Poisson process per sensor)
  for (std::size_t k = 0; k < sc_.sensors.size(); ++k) {
    sensor_rng_.emplace_back(seed_, "sensor:" + sc_.sensors[k].id);
    fp_rng_.emplace_back(seed_, "false-positives:" + sc_.sensors[k].id);
    if (sc_.sensors[k].false_positives_per_day > 0)
      schedule(
          fp_rng_[k].exponential(86400.0 / sc_.sensors[k].false_positives_per_day),
          [](Simulation& sim, std::uint64_t i, std::uint64_t) { sim.impl_->false_positive(static_cast<int>(i)); }, k,
          0);
  }

  // botnets
  botnets_.assign(sc_.botnets.size(), BotnetState{});
  for (std::size_t b = 0; b < sc_.botnets.size(); ++b)
    for (std::size_t w = 0; w < sc_.botnets[b].schedule.size(); ++w) {
      const auto& wave = sc_.botnets[b].schedule[w];
      schedule(
          wave.start,
          [](Simulation& sim, std::uint64_t x, std::uint64_t y) {
            sim.impl_->wave_start(static_cast<int>(x), static_cast<int>(y));
          },
          b, w);
      schedule(
          wave.end,
          [](Simulation& sim, std::uint64_t x, std::uint64_t y) {
            sim.impl_->wave_end(static_cast<int>(x), static_cast<int>(y));
          },
          b, w);
    }

  init_probes();

  refresh();
}

// ---------------------------------------------------------------------------------------------------------------
// SimGrid helpers

const std::vector<int>& Simulation::Impl::route_link_ids(sg4::Host* from, sg4::Host* to)
{
  auto [it, fresh] = routes_.try_emplace({from, to});
  if (fresh) {
    std::vector<sg4::Link*> links;
    from->route_to(to, links, nullptr);
    for (sg4::Link* l : links) {
      auto [id, added] = link_id_.try_emplace(l, static_cast<int>(route_links_.size()));
      if (added) {
        route_links_.push_back(l);
        link_flows_.push_back(0);
      }
      it->second.push_back(id->second);
    }
  }
  return it->second;
}

void Simulation::Impl::load_route(sg4::Host* from, sg4::Host* to, int delta)
{
  for (int id : route_link_ids(from, to))
    link_flows_[static_cast<std::size_t>(id)] += delta;
}

void Simulation::Impl::spawn_comm(sg4::Host* from, sg4::Host* to, double bytes, double timeout,
                                  std::function<void(bool ok, double elapsed)> done, int exfil_slot)
{
  sync_clock();
  ++busy_;
  load_route(from, to, +1);
  sg4::Actor::create("comm", control_, [this, from, to, bytes, timeout, done = std::move(done), exfil_slot]() {
    struct Busy { // released however the actor ends (a ForcefulKillException must propagate)
      Impl& sim;
      sg4::Host* from;
      sg4::Host* to;
      ~Busy()
      {
        --sim.busy_;
        sim.load_route(from, to, -1);
      }
    } busy{*this, from, to};
    const double t0 = sg4::Engine::get_clock();
    bool ok = false;
    try {
      auto comm = sg4::Comm::sendto_async(from, to, static_cast<std::uint64_t>(bytes));
      if (exfil_slot >= 0) {
        exfils_[exfil_slot].comm = comm;
        if (exfils_[exfil_slot].cancelled) {
          exfils_[exfil_slot].remaining_snapshot = bytes;
          comm->cancel();
        }
      }
      if (timeout > 0)
        comm->wait_for(timeout);
      else
        comm->wait();
      ok = true;
    } catch (const simgrid::Exception&) { // network failure (isolation), timeout, cancellation (block)
      ok = false;
    }
    done(ok, sg4::Engine::get_clock() - t0);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Probes (Locked Shields style availability checks): every interval, request bytes from the prober to the service's
// node and response bytes back. Probes are calendar events (background: not "the next event" a controller steps
// to). A probe whose two routes carry no engine flow (exfiltration, beacon, lateral transfer, flood) and whose links
// are all up takes the closed-form time SimGrid's CM02 model gives a lone flow: route latency + bytes / narrowest
// bandwidth, each way (tested equal to the transfers). Any other probe is two SimGrid transfers, which share
// bandwidth with the flows on their path. Probes do not count as load for one another (a probe is a few kB).

void Simulation::Impl::init_probes()
{
  probes_.assign(sc_.services.size(), ProbeState{});
  for (std::size_t s = 0; s < sc_.services.size(); ++s) {
    const Service& svc = sc_.services[s];
    if (!svc.probe || svc.probe->from_index < 0 || svc.node_index < 0)
      continue;
    const Probe& p = *svc.probe;
    sg4::Host* from = hosts_[p.from_index];
    sg4::Host* to = hosts_[svc.node_index];
    auto& ps = probes_[s];
    double lone = 0;
    for (auto [a, b, bytes] : {std::tuple{from, to, p.request_bytes}, std::tuple{to, from, p.response_bytes}}) {
      std::vector<sg4::Link*> links;
      double latency = 0;
      a->route_to(b, links, &latency);
      double bandwidth = 0;
      for (sg4::Link* l : links)
        bandwidth = bandwidth > 0 ? std::min(bandwidth, l->get_bandwidth()) : l->get_bandwidth();
      if (links.empty() || !(bandwidth > 0))
        lone = -1; // no route (same host) or no bandwidth: leave it to SimGrid
      else if (lone >= 0)
        lone += latency + std::max(1.0, bytes) / bandwidth;
      for (int id : route_link_ids(a, b))
        ps.links.push_back(id);
    }
    ps.lone = opt_.exact_probes ? -1 : lone;
    schedule(
        std::max(1.0, p.interval),
        [](Simulation& sim, std::uint64_t x, std::uint64_t k) {
          sim.impl_->probe_tick(static_cast<int>(x), static_cast<long>(k));
        },
        s, 1, true);
  }
}

void Simulation::Impl::probe_tick(int s, long k)
{
  const double interval = std::max(1.0, sc_.services[s].probe->interval);
  schedule(
      static_cast<double>(k + 1) * interval,
      [](Simulation& sim, std::uint64_t x, std::uint64_t n) {
        sim.impl_->probe_tick(static_cast<int>(x), static_cast<long>(n));
      },
      static_cast<std::uint64_t>(s), static_cast<std::uint64_t>(k + 1), true);
  if (probes_[s].in_flight)
    ++probes_[s].pending;
  else
    probe_start(s);
}

bool Simulation::Impl::probe_path_quiet(int s) const
{
  const auto& ps = probes_[s];
  if (ps.lone < 0)
    return false;
  for (int id : ps.links)
    if (link_flows_[static_cast<std::size_t>(id)] != 0)
      return false;
  return true;
}

bool Simulation::Impl::probe_route_cut(int s) const
{
  for (int id : probes_[s].links)
    if (!route_links_[static_cast<std::size_t>(id)]->is_on())
      return true;
  return false;
}

// SimGrid's routes are fixed when the platform is built. When a failed node cuts a probe's route, the probe takes
// the fewest-hop path over the nodes that still carry traffic (firewalls ignored, as on SimGrid's routes; equal-hop
// paths: the first found in link order), at the lone-flow time of that path: route latency + bytes / narrowest
// bandwidth each way. -1: no such path.
double Simulation::Impl::probe_detour(int s) const
{
  const Service& svc = sc_.services[s];
  const Probe& p = *svc.probe;
  const Index from = p.from_index;
  const Index to = svc.node_index;
  std::vector<Index> via(sc_.nodes.size(), NO_INDEX); // link that reached each node
  std::vector<char> seen(sc_.nodes.size(), 0);
  std::deque<Index> queue{from};
  seen[from] = 1;
  while (!queue.empty() && !seen[to]) {
    const Index u = queue.front();
    queue.pop_front();
    for (Index l : adjacency_[u]) {
      const Link& link = sc_.links[l];
      const Index v = link.a_index == u ? link.b_index : link.a_index;
      if (seen[v] || !node_carries_traffic(v))
        continue;
      seen[v] = 1;
      via[v] = l;
      queue.push_back(v);
    }
  }
  if (!seen[to])
    return -1;
  double latency = 0;
  double bandwidth = 0;
  for (Index v = to; v != from;) {
    const Index l = via[v];
    const sg4::Link* sl = sg_links_[l];
    latency += sl->get_latency();
    bandwidth = bandwidth > 0 ? std::min(bandwidth, sl->get_bandwidth()) : sl->get_bandwidth();
    v = sc_.links[l].a_index == v ? sc_.links[l].b_index : sc_.links[l].a_index;
  }
  return 2 * latency + (std::max(1.0, p.request_bytes) + std::max(1.0, p.response_bytes)) / bandwidth;
}

void Simulation::Impl::probe_start(int s)
{
  const Service& svc = sc_.services[s];
  const Probe& p = *svc.probe;
  auto& ps = probes_[s];
  if (services_[s].status == 2) {
    record_probe(s, 2, p.timeout, "service down");
    return;
  }
  if (!node_carries_traffic(p.from_index)) { // a dead prober measures nothing: unreachable from there
    record_probe(s, 2, 0, "source down");
    return;
  }
  ps.in_flight = true;
  if (probe_route_cut(s)) {
    if (ps.detour_gen != cut_gen_) { // one search per probe and change of the network, not per probe round
      ps.detour_gen = cut_gen_;
      ps.detour = probe_detour(s);
    }
    const double took = ps.detour;
    if (took < 0) {
      ps.in_flight = false;
      record_probe(s, 2, 0, "unreachable");
      return;
    }
    probe_answer_at(s, std::min(took, p.timeout));
    return;
  }
  if (!probe_path_quiet(s)) {
    probe_transfers(s);
    return;
  }
  probe_answer_at(s, std::min(ps.lone, p.timeout));
}

void Simulation::Impl::probe_answer_at(int s, double took)
{
  std::uint64_t bits = 0;
  static_assert(sizeof bits == sizeof took);
  std::memcpy(&bits, &took, sizeof bits);
  schedule(
      now() + took,
      [](Simulation& sim, std::uint64_t x, std::uint64_t latency_bits) {
        double latency = 0;
        std::memcpy(&latency, &latency_bits, sizeof latency);
        const auto& probe = *sim.impl_->sc_.services[x].probe;
        if (latency >= probe.timeout)
          sim.impl_->probe_finished(static_cast<int>(x), 2, latency, "timeout");
        else if (latency > probe.degraded_latency)
          sim.impl_->probe_finished(static_cast<int>(x), 1, latency, "slow");
        else
          sim.impl_->probe_finished(static_cast<int>(x), 0, latency, "ok");
      },
      static_cast<std::uint64_t>(s), bits, true);
}

void Simulation::Impl::probe_transfers(int s)
{
  sync_clock();
  ++busy_; // released by the prober when this probe ends
  auto& ps = probes_[s];
  if (!ps.go) {
    ps.go = sg4::Semaphore::create(0);
    sg4::Actor::create("probe:" + sc_.services[s].id, control_, [this, s]() { prober_main(s); });
  }
  ps.go->release();
}

void Simulation::Impl::prober_main(int s)
{
  const Service& svc = sc_.services[s];
  const Probe& p = *svc.probe;
  sg4::Host* from = hosts_[p.from_index];
  sg4::Host* to = hosts_[svc.node_index];
  while (true) {
    probes_[s].go->acquire();
    struct Busy {
      int& n;
      ~Busy() { --n; }
    } busy{busy_};
    const double t0 = sg4::Engine::get_clock();
    try {
      auto req = sg4::Comm::sendto_async(from, to, static_cast<std::uint64_t>(std::max(1.0, p.request_bytes)));
      req->wait_for(p.timeout);
      const double left = p.timeout - (sg4::Engine::get_clock() - t0);
      if (left <= 0)
        throw simgrid::TimeoutException(XBT_THROW_POINT, "probe");
      auto resp = sg4::Comm::sendto_async(to, from, static_cast<std::uint64_t>(std::max(1.0, p.response_bytes)));
      resp->wait_for(left);
      const double latency = sg4::Engine::get_clock() - t0;
      probe_finished(s, latency > p.degraded_latency ? 1 : 0, latency, latency > p.degraded_latency ? "slow" : "ok");
    } catch (const simgrid::TimeoutException&) {
      probe_finished(s, 2, sg4::Engine::get_clock() - t0, "timeout");
    } catch (const simgrid::Exception&) {
      probe_finished(s, 2, sg4::Engine::get_clock() - t0, "unreachable");
    }
  }
}

void Simulation::Impl::probe_finished(int s, int status, double latency, const char* reason)
{
  auto& ps = probes_[s];
  ps.in_flight = false;
  record_probe(s, status, latency, reason);
  if (ps.pending > 0) {
    --ps.pending;
    probe_start(s);
  }
}

void Simulation::Impl::record_probe(int s, int status, double latency, const char* reason)
{
  auto& ss = services_[s];
  ++ss.probes;
  if (status != ss.probe_status) {
    ss.probe_status = status;
    emit(RecordType::probe_status, "service:" + sc_.services[s].id,
         Details().str("status", status_name(status)).num("latency", latency).str("reason", reason).done());
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Derived state

bool Simulation::Impl::node_out_of_service(Index n) const
{
  const NodeState& ns = nodes_[n];
  return ns.down || ns.dep_failed || ns.tripped || ns.shed;
}

bool Simulation::Impl::node_carries_traffic(Index n) const
{
  return !entity_failed(EntityRef{EntityKind::node, n});
}

double Simulation::Impl::unit_output(Index u) const
{
  const NodeState& ns = nodes_[u];
  const double cap = sc_.nodes[u].capacity_mw;
  if (ns.stopped || now() < ns.online_at)
    return 0;
  return ns.manual ? cap * ns.manual_capacity : cap * (1 - ns.derate);
}

const char* Simulation::Impl::unit_mode(Index u) const
{
  const NodeState& ns = nodes_[u];
  if (ns.stopped)
    return ns.manual ? "manual" : "tripped"; // a unit offline or dependency-failed in manual operations says manual
  if (now() < ns.online_at)
    return "starting";
  return ns.manual ? "manual" : ns.derate > 0 ? "derated" : "running";
}

bool Simulation::Impl::entity_failed(const EntityRef& e) const
{
  switch (e.kind) {
  case EntityKind::node: {
    const NodeState& ns = nodes_[e.index];
    return node_out_of_service(e.index) || ns.isolated || ns.encrypted;
  }
  case EntityKind::service:
    return services_[e.index].status == 2;
  case EntityKind::grid:
    return grids_[e.index].shedding; // cannot meet its demand (a substation out for another reason is local)
  case EntityKind::bus:
    return bus_failed(e.index);
  }
  return false;
}

void Simulation::Impl::backup_exhausted(int d, std::uint64_t gen)
{
  auto& ds = deps_[d];
  if (!ds.lost || ds.gen != gen || ds.exhausted)
    return;
  ds.exhausted = true;
  emit(RecordType::backup_exhausted, "dependency:" + sc_.dependencies[d].id,
       Details().str("kind", sc_.dependencies[d].backup ? sc_.dependencies[d].backup->kind : "").done());
  refresh();
}

void Simulation::Impl::refresh()
{
  const double t = now();
  // Fixpoint: power balance -> dependencies -> dependents, until nothing changes.
  for (int iter = 0; iter < 64; ++iter) {
    bool changed = false;
    // services first (dependencies may point at them)
    for (std::size_t s = 0; s < sc_.services.size(); ++s) {
      const Service& svc = sc_.services[s];
      auto& ss = services_[s];
      int st = 0;
      if (ss.shutdown || ss.dep_failed)
        st = 2;
      else if (svc.node_index >= 0 && entity_failed(EntityRef{EntityKind::node, svc.node_index}))
        st = 2;
      else if (svc.node_index >= 0 && nodes_[svc.node_index].defaced)
        st = 1;
      if (st != ss.status) {
        ss.status = st;
        changed = true;
      }
    }
    // A unit that stopped (tripped, offline, dependency-failed) does not deliver the moment the cause goes (a
    // restore clears the trip, manual operations take it over, the node or the dependency is back): it restarts, hot
    // or cold, and delivers after its restart time (docs/engine.md, "Power and SCADA").
    for (Index u : units_) {
      NodeState& ns = nodes_[u];
      const bool stopped = ns.down || ns.dep_failed || (ns.tripped && !ns.manual);
      if (ns.stopped && !stopped) {
        ns.online_at = t + sc_.nodes[u].restart_time;
        schedule(
            ns.online_at, [](Simulation& sim, std::uint64_t, std::uint64_t) { sim.impl_->refresh(); },
            static_cast<std::uint64_t>(u), 0);
      }
      if (ns.stopped != stopped) {
        ns.stopped = stopped;
        changed = true;
      }
    }
    // power balance per grid: shed substations in ascending (shed_priority, id) until demand <= available
    for (std::size_t g = 0; g < grids_.size(); ++g) {
      if (grid_net_[g] >= 0) { // a networked grid: the DC power flow decides (grid.cpp)
        changed = balance_network(g) || changed;
        continue;
      }
      auto& gs = grids_[g];
      double available = sc_.grids[g].reserve_mw;
      for (Index u : grid_units_[g])
        available += unit_output(u);
      double demand = 0;
      for (Index sub : grid_substations_[g]) {
        const NodeState& ns = nodes_[sub];
        if (!(ns.down || ns.dep_failed || ns.tripped))
          demand += sc_.nodes[sub].load_mw;
      }
      double served = demand;
      gs.shedding = false;
      for (Index sub : grid_substations_[g]) {
        NodeState& ns = nodes_[sub];
        const bool eligible = !(ns.down || ns.dep_failed || ns.tripped);
        bool shed = false;
        if (eligible && served > available + 1e-9) {
          shed = true;
          served -= sc_.nodes[sub].load_mw;
        }
        if (shed != ns.shed) {
          ns.shed = shed;
          changed = true;
        }
        gs.shedding = gs.shedding || shed;
      }
      double lost = 0;
      std::int64_t customers = 0;
      for (Index sub : grid_substations_[g])
        if (node_out_of_service(sub)) {
          lost += sc_.nodes[sub].load_mw;
          customers += sc_.nodes[sub].customers;
        }
      if (lost != gs.lost_mw || available != gs.available || demand != gs.demand)
        changed = changed || lost != gs.lost_mw;
      gs.available = available;
      gs.demand = demand;
      gs.lost_mw = lost;
      gs.customers_lost = customers;
    }
    // dependencies: losing what it depends on starts the backup; the backup recharges when the dependency is back
    for (int d : dep_order_) {
      auto& ds = deps_[d];
      const bool failed = entity_failed(ds.on);
      const std::string subject = "dependency:" + sc_.dependencies[d].id;
      if (failed && !ds.lost) {
        ds.lost = true;
        ds.exhausted = !ds.has_backup;
        ++ds.gen;
        changed = true;
        emit(RecordType::dependency_lost, subject,
             Details()
                 .str("dependent", sc_.dependencies[d].dependent)
                 .str("on", sc_.dependencies[d].on)
                 .num("backup", ds.has_backup ? ds.backup : 0)
                 .done());
        ds.exhaust_at = ds.has_backup ? t + ds.backup : t;
        if (ds.has_backup)
          schedule(
              ds.exhaust_at,
              [](Simulation& sim, std::uint64_t x, std::uint64_t g2) {
                sim.impl_->backup_exhausted(static_cast<int>(x), g2);
              },
              static_cast<std::uint64_t>(d), ds.gen);
      } else if (!failed && ds.lost) {
        ds.lost = false;
        ds.exhausted = false;
        ++ds.gen;
        changed = true;
        emit(RecordType::dependency_restored, subject,
             Details().str("dependent", sc_.dependencies[d].dependent).str("on", sc_.dependencies[d].on).done());
      }
    }
    std::vector<char> node_dep(sc_.nodes.size(), 0);
    std::vector<char> service_dep(sc_.services.size(), 0);
    for (const auto& ds : deps_)
      if (ds.lost && ds.exhausted)
        (ds.dependent.kind == EntityKind::node ? node_dep[ds.dependent.index] : service_dep[ds.dependent.index]) = 1;
    for (std::size_t i = 0; i < sc_.nodes.size(); ++i)
      if (nodes_[i].dep_failed != static_cast<bool>(node_dep[i])) {
        nodes_[i].dep_failed = node_dep[i];
        changed = true;
      }
    for (std::size_t s = 0; s < sc_.services.size(); ++s)
      if (services_[s].dep_failed != static_cast<bool>(service_dep[s])) {
        services_[s].dep_failed = service_dep[s];
        changed = true;
      }
    if (!changed)
      break;
  }

  // report what changed, in index order
  for (std::size_t i = 0; i < sc_.nodes.size(); ++i) {
    auto& ns = nodes_[i];
    const Index n = static_cast<Index>(i);
    const std::string subject = "node:" + sc_.nodes[i].id;
    const bool failed = entity_failed(EntityRef{EntityKind::node, n});
    if (failed != ns.reported_failed) {
      ns.reported_failed = failed;
      const char* reason = ns.down         ? "offline"
                           : ns.isolated   ? "isolated"
                           : ns.encrypted  ? "encrypted"
                           : ns.tripped    ? "tripped"
                           : ns.shed       ? "load shed"
                           : ns.dep_failed ? "dependency"
                                           : "";
      emit(RecordType::node_status, subject,
           Details().str("status", failed ? "failed" : "ok").str("reason", reason).done());
    }
    if (failed != ns.cut) { // a failed node carries no traffic: its links go off, flows through it fail
      ns.cut = failed;
      ++cut_gen_;
      sync_node_links(n);
    }
    if (sc_.nodes[i].kind == NodeKind::generation_unit) {
      const double out = network_output(n).value_or(unit_output(n));
      const char* mode = unit_mode(n);
      if (out != ns.reported_output || std::strcmp(mode, ns.reported_mode) != 0) {
        ns.reported_output = out;
        ns.reported_mode = mode;
        Details details;
        details.num("mw", out).num("capacity", sc_.nodes[i].capacity_mw).str("mode", mode);
        if (std::strcmp(mode, "starting") == 0)
          details.num("online_at", ns.online_at);
        emit(RecordType::unit_output, subject, details.done());
      }
    }
    if (sc_.nodes[i].kind == NodeKind::substation) {
      const bool energised = !node_out_of_service(n);
      if (energised != ns.reported_energised) {
        ns.reported_energised = energised;
        emit(energised ? RecordType::load_restored : RecordType::load_lost, subject,
             Details()
                 .num("mw", sc_.nodes[i].load_mw)
                 .integer("customers", sc_.nodes[i].customers)
                 .str("reason", energised    ? ""
                                : ns.shed    ? "load shed"
                                : ns.tripped ? "tripped"
                                : ns.down    ? "offline"
                                             : "dependency")
                 .done());
      }
    }
  }
  report_networks();
  for (std::size_t g = 0; g < grids_.size(); ++g) {
    auto& gs = grids_[g];
    if (grid_net_[g] >= 0) { // a networked grid reports its shedding and overloads too
      std::string details = grid_details(g);
      if (details != gs.reported_details) {
        gs.reported = true;
        gs.reported_lost = gs.lost_mw;
        emit(RecordType::grid_balance, "grid:" + sc_.grids[g].id, details);
        gs.reported_details = std::move(details);
      }
      continue;
    }
    if (!gs.reported || gs.reported_lost != gs.lost_mw) {
      gs.reported = true;
      gs.reported_lost = gs.lost_mw;
      emit(RecordType::grid_balance, "grid:" + sc_.grids[g].id,
           Details()
               .num("available", gs.available)
               .num("demand", gs.demand)
               .num("lost_mw", gs.lost_mw)
               .integer("customers_lost", gs.customers_lost)
               .done());
    }
  }
  for (std::size_t s = 0; s < sc_.services.size(); ++s) {
    auto& ss = services_[s];
    if (ss.status == ss.reported_status)
      continue;
    ss.reported_status = ss.status;
    const Service& svc = sc_.services[s];
    std::string reason;
    if (ss.shutdown)
      reason = "shut down";
    else if (ss.dep_failed)
      reason = "dependency";
    else if (svc.node_index >= 0 && ss.status != 0)
      reason = "node " + sc_.nodes[svc.node_index].id;
    emit(RecordType::service_status, "service:" + svc.id,
         Details().str("status", status_name(ss.status)).str("reason", reason).done());
  }
  check_containment();
}

void Simulation::Impl::check_containment()
{
  for (std::size_t c = 0; c < campaigns_.size(); ++c) {
    auto& cs = campaigns_[c];
    if (cs.first_compromise == NEVER || cs.contained != NEVER)
      continue;
    if (!campaign_can_act(static_cast<int>(c))) {
      cs.contained = now();
      emit(RecordType::campaign_contained, "campaign:" + sc_.campaigns[c].id,
           Details().num("time_to_contain", cs.contained - cs.first_compromise).done());
    }
  }
}

NodeView Simulation::Impl::node_view(Index n) const
{
  NodeView v;
  for (const auto& cs : campaigns_) {
    auto it = cs.footholds.find(n);
    if (it != cs.footholds.end() && !is_attacker(n)) {
      v.compromised = true;
      v.privilege = std::max(v.privilege, it->second.privilege);
    }
  }
  const NodeState& ns = nodes_[n];
  v.isolated = ns.isolated;
  v.down = ns.down;
  v.failed = entity_failed(EntityRef{EntityKind::node, n});
  if (sc_.nodes[n].kind == NodeKind::generation_unit)
    v.output_mw = ns.reported_output;
  v.energised = !node_out_of_service(n);
  return v;
}

Kpis Simulation::Impl::kpis() const
{
  return state_.kpis(now());
}

} // namespace cyberex
