/* Botnet floods: the bots' hosts and access links, and each wave as SimGrid flows.
 *
 * A wave's active bots are spread over the botnet's attach nodes. The bots entering at one attach node (an "entry")
 * leave from one host whose private access link (10 ms) has bandwidth bots x bot_bandwidth, so max-min sharing gives
 * each of them at most bot_bandwidth, as a private capped link per bot would (SimGrid 3.32 ignores Comm::set_rate on
 * host-to-host communications: checked). Each bot is a flow pair, requests bot -> target and responses target ->
 * bot (an application-layer flood loads both directions).
 *
 * Aggregation (FloodModel::aggregated, the default). The k bots of an entry are k identical flows: same route, same
 * bound, same weight (CM02 weighs a flow by the inverse of its route latency L). In a weighted max-min allocation
 * identical flows get equal rates x, and they are interchangeable with one flow of weight k/L at rate k x: it puts
 * k x on every link of the route as they do, and its rate per unit of weight, k x / (k/L) = x L, is each bot's, so it
 * is held by the same bottleneck at the same level and every other flow's rate is unchanged. SimGrid takes a flow's
 * weight from its route latency alone, so an aggregated entry's access link gets the latency L/k - (L - 10 ms)
 * (negative once the route goes beyond the attach node): its route latency, hence its weight's inverse, is L/k.
 * SimGrid's latency factor (a callback that scales the time a transfer waits before it flows, not its weight) is k for
 * the entry's transfers, so they still start flowing L after the wave starts, as each bot's do. The cost is one flow
 * pair per entry whatever the number of bots. FloodModel::per_flow keeps one flow pair per bot: the reference the tests
 * compare it with. */
#include "engine/impl.hpp"

#include <simgrid/kernel/resource/NetworkModelIntf.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace cyberex {

namespace {

constexpr double BOT_ACCESS_LATENCY = 0.010; ///< a bot's access link (residential line to its attach router)

/// The node a botnet floods: `node:ID`, or the node of `service:ID`; NO_INDEX if neither resolves.
Index flood_target(const Scenario& sc, const std::string& ref)
{
  if (ref.rfind("node:", 0) == 0) {
    auto it = sc.node_by_id.find(ref.substr(5));
    return it == sc.node_by_id.end() ? NO_INDEX : it->second;
  }
  if (ref.rfind("service:", 0) == 0) {
    auto it = sc.service_by_id.find(ref.substr(8));
    return it == sc.service_by_id.end() ? NO_INDEX : sc.services[static_cast<std::size_t>(it->second)].node_index;
  }
  return NO_INDEX;
}

} // namespace

void Simulation::Impl::build_bot_entries(const std::vector<sg4::NetZone*>& zones, const std::vector<Index>& group)
{
  bot_entries_.assign(sc_.botnets.size(), {});
  botnet_target_.assign(sc_.botnets.size(), NO_INDEX);
  for (std::size_t b = 0; b < sc_.botnets.size(); ++b) {
    const Botnet& bn = sc_.botnets[b];
    botnet_target_[b] = flood_target(sc_, bn.target);
    bot_entries_[b].resize(bn.schedule.size());
    if (bn.size <= 0 || bn.attach_index.empty())
      continue;
    const auto attach = static_cast<std::int64_t>(bn.attach_index.size());
    for (std::size_t w = 0; w < bn.schedule.size(); ++w) {
      const double intensity = std::clamp(bn.schedule[w].intensity, 0.0, 1.0);
      std::int64_t active = std::llround(static_cast<double>(bn.size) * intensity);
      if (active == 0 && intensity > 0)
        active = 1;
      for (std::int64_t k = 0; k < attach && k < active; ++k) {
        BotEntry e;
        e.bots = active / attach + (k < active % attach ? 1 : 0);
        const std::string name = "#bot:" + bn.id + ":" + std::to_string(w) + ":" + std::to_string(k);
        const Index at = bn.attach_index[static_cast<std::size_t>(k)];
        sg4::NetZone* zone = zones[static_cast<std::size_t>(group[static_cast<std::size_t>(at)])];
        e.host = zone->create_host(name, 1e9);
        e.access = zone->create_split_duplex_link(name, bn.bot_bandwidth * static_cast<double>(e.bots));
        e.access->set_latency(BOT_ACCESS_LATENCY)->seal();
        zone->add_route(e.host->get_netpoint(), hosts_[static_cast<std::size_t>(at)]->get_netpoint(), nullptr, nullptr,
                        {sg4::LinkInRoute(e.access, sg4::LinkInRoute::Direction::UP)}, true);
        if (e.bots > 1 && opt_.flood == FloodModel::aggregated)
          bot_latency_factor_[e.host] = static_cast<double>(e.bots);
        bot_entries_[b][w].push_back(e);
      }
    }
  }
  if (!bot_latency_factor_.empty())
    engine_->get_netzone_root()->get_network_model()->set_lat_factor_cb(
        [this](double, const sg4::Host* src, const sg4::Host* dst, const std::vector<sg4::Link*>&,
               const std::unordered_set<sg4::NetZone*>&) {
          auto it = bot_latency_factor_.find(src);
          if (it == bot_latency_factor_.end())
            it = bot_latency_factor_.find(dst);
          return it == bot_latency_factor_.end() ? 1.0 : it->second;
        });
}

void Simulation::Impl::weigh_bot_entry(int b, int w, std::size_t k)
{
  BotEntry& e = bot_entries_[static_cast<std::size_t>(b)][static_cast<std::size_t>(w)][k];
  if (e.weighed || e.bots <= 1)
    return;
  e.weighed = true;
  // Each direction on its own: the route back from the target may be another path of as many hops, with another
  // latency. L: the access link plus the route between the attach node and the target.
  sg4::Host* target = hosts_[static_cast<std::size_t>(botnet_target_[static_cast<std::size_t>(b)])];
  for (auto [from, to] : {std::pair{e.host, target}, std::pair{target, e.host}}) {
    std::vector<sg4::Link*> links;
    double latency = 0;
    from->route_to(to, links, &latency);
    for (sg4::Link* access : {e.access->get_link_up(), e.access->get_link_down()})
      if (std::find(links.begin(), links.end(), access) != links.end())
        access->set_latency(latency / static_cast<double>(e.bots) - (latency - BOT_ACCESS_LATENCY));
  }
}

void Simulation::Impl::wave_start(int b, int w)
{
  const Botnet& bn = sc_.botnets[b];
  auto& bs = botnets_[b];
  const auto& wave = bn.schedule[w];
  const Index target = botnet_target_[b];
  const std::string subject = "botnet:" + bn.id;
  auto& entries = bot_entries_[b][w];
  if (target < 0 || entries.empty())
    return;
  bool blocked = false;
  for (Index ind : bn.indicators_index)
    blocked = blocked || indicator_blocked_for(ind, target);
  if (blocked) {
    emit(RecordType::botnet_wave_blocked, subject, Details().integer("wave", w).done());
    return;
  }
  stop_botnet(b, "next wave");
  std::int64_t bots = 0;
  for (const BotEntry& e : entries)
    bots += e.bots;
  bs.wave = w;
  bs.target = target;
  bs.offered = bn.bot_bandwidth * static_cast<double>(bots);
  const TrafficFilter& filter = filters_[static_cast<std::size_t>(target)];
  if (filter.active)
    apply_filtering(target); // the new wave adds to the load the scrubbing centre sees, for every flood in its scope
  else
    start_flood_flows(b);
  Details d;
  d.integer("wave", w)
      .str("target", sc_.nodes[target].id)
      .integer("bots", std::llround(static_cast<double>(bn.size) * std::clamp(wave.intensity, 0.0, 1.0)))
      .integer("flows", static_cast<long long>(bots))
      .num("flow_bandwidth", bn.bot_bandwidth, 0);
  const double pass = flood_pass_factor(b);
  if (pass < 1) // filtered upstream: what passes of this wave (scrubbing: its share of max(0, O - C))
    d.str("filtered", filter.blackhole ? "blackhole" : "scrubbing").num("passed", bs.offered * pass, 0);
  emit(RecordType::botnet_wave_started, subject, d.done());
}

void Simulation::Impl::start_flood_flows(int b)
{
  const Botnet& bn = sc_.botnets[b];
  auto& bs = botnets_[b];
  const int w = bs.wave;
  const auto& wave = bn.schedule[w];
  auto& entries = bot_entries_[b][w];
  // per bot and direction: more than the bot can send during the wave, so no flow ends before the wave does
  const double bytes = bn.bot_bandwidth * std::max(1.0, wave.end - wave.start) * 2 + 1e6;
  sync_clock();
  sg4::Host* to = hosts_[bs.target];
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const BotEntry& e = entries[k];
    if (opt_.flood == FloodModel::per_flow) {
      for (std::int64_t f = 0; f < e.bots; ++f) {
        bs.comms.push_back(sg4::Comm::sendto_async(e.host, to, static_cast<std::uint64_t>(bytes)));
        bs.comms.push_back(sg4::Comm::sendto_async(to, e.host, static_cast<std::uint64_t>(bytes)));
      }
    } else {
      weigh_bot_entry(b, w, static_cast<std::size_t>(k));
      // capped where a uint64 still holds it: 9e18 B would keep even a 1 Tb/s link busy for over two years
      const auto all = static_cast<std::uint64_t>(std::min(bytes * static_cast<double>(e.bots), 9e18));
      bs.comms.push_back(sg4::Comm::sendto_async(e.host, to, all));
      bs.comms.push_back(sg4::Comm::sendto_async(to, e.host, all));
    }
    load_route(e.host, to, +1);
    load_route(to, e.host, +1);
  }
  bs.flowing = true;
  ++busy_;
}

void Simulation::Impl::stop_flood_flows(int b)
{
  auto& bs = botnets_[b];
  if (!bs.flowing)
    return;
  sync_clock();
  for (auto& comm : bs.comms)
    if (comm->get_state() == sg4::Activity::State::STARTED || comm->get_state() == sg4::Activity::State::STARTING)
      comm->cancel();
  bs.comms.clear();
  for (const auto& e : bot_entries_[b][bs.wave]) {
    load_route(e.host, hosts_[bs.target], -1);
    load_route(hosts_[bs.target], e.host, -1);
  }
  bs.flowing = false;
  --busy_;
}

void Simulation::Impl::stop_botnet(int b, const char* reason)
{
  auto& bs = botnets_[b];
  if (bs.wave < 0)
    return;
  stop_flood_flows(b);
  emit(RecordType::botnet_wave_ended, "botnet:" + sc_.botnets[b].id,
       Details().integer("wave", bs.wave).str("reason", reason).done());
  const Index target = bs.target;
  bs.wave = -1;
  bs.offered = 0;
  // a wave's access links are its own (never reused by another wave): a scaled one is left as it is
  if (filters_[static_cast<std::size_t>(target)].active && std::strcmp(reason, "next wave") != 0)
    apply_filtering(target); // less load for the scrubbing centre: the other floods in its scope pass more
}

bool Simulation::Impl::blackholed_from(Index target, Index from) const
{
  const TrafficFilter& f = filters_[static_cast<std::size_t>(target)];
  return f.active && f.blackhole && sc_.nodes[from].site_index != sc_.nodes[target].site_index;
}

namespace {

bool in_scope(const Botnet& bn, Index indicator)
{
  return indicator == NO_INDEX ||
         std::find(bn.indicators_index.begin(), bn.indicators_index.end(), indicator) != bn.indicators_index.end();
}

} // namespace

double Simulation::Impl::offered_load(Index target) const
{
  const TrafficFilter& f = filters_[static_cast<std::size_t>(target)];
  double offered = 0;
  for (std::size_t b = 0; b < botnets_.size(); ++b)
    if (botnets_[b].wave >= 0 && botnets_[b].target == target && (f.blackhole || in_scope(sc_.botnets[b], f.indicator)))
      offered += botnets_[b].offered;
  return offered;
}

double Simulation::Impl::flood_pass_factor(int b) const
{
  const auto& bs = botnets_[b];
  if (bs.wave < 0)
    return 1;
  const TrafficFilter& f = filters_[static_cast<std::size_t>(bs.target)];
  if (!f.active)
    return 1;
  if (f.blackhole)
    return 0;
  if (!in_scope(sc_.botnets[b], f.indicator))
    return 1;
  const double offered = offered_load(bs.target);
  return offered > 0 ? std::max(0.0, offered - f.capacity) / offered : 1;
}

void Simulation::Impl::apply_filtering(Index target)
{
  for (std::size_t i = 0; i < botnets_.size(); ++i) {
    const int b = static_cast<int>(i);
    auto& bs = botnets_[i];
    if (bs.wave < 0 || bs.target != target)
      continue;
    const double pass = flood_pass_factor(b);
    if (!(pass > 0)) { // blackholed, or the scrubbing centre takes it all: nothing of it reaches the network
      stop_flood_flows(b);
      continue;
    }
    // Each bot sends pass x bot_bandwidth: its entry's access link (bots x bot_bandwidth unfiltered) is scaled, so
    // the flood carries at most max(0, O - C) on every link of its route, shared as before among its bots.
    sync_clock();
    for (const auto& e : bot_entries_[i][static_cast<std::size_t>(bs.wave)]) {
      const double bandwidth = sc_.botnets[i].bot_bandwidth * static_cast<double>(e.bots) * pass;
      for (sg4::Link* l : {e.access->get_link_up(), e.access->get_link_down()})
        if (l->get_bandwidth() != bandwidth)
          l->set_bandwidth(bandwidth);
    }
    if (!bs.flowing)
      start_flood_flows(b);
  }
}

void Simulation::Impl::wave_end(int b, int w)
{
  if (botnets_[b].wave == w)
    stop_botnet(b, "schedule");
}

} // namespace cyberex
