/* The SimGrid platform built from the scenario, in C++ (no XML).
 *
 * One Dijkstra zone with route cache holds every node as a host (routers, switches and firewalls included) and every
 * scenario link as a split-duplex link between its two ends; SimGrid computes multi-hop routes on demand (fewest
 * hops) and caches them per source. Botnet flows are capped through access links (SimGrid 3.32 ignores
 * Comm::set_rate on host-to-host communications: checked), see below. */
#include "engine/impl.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

namespace cyberex {

namespace {
void route(sg4::NetZone* zone, sg4::Host* a, sg4::Host* b, sg4::Link* link)
{
  zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr,
                  {sg4::LinkInRoute(link, sg4::LinkInRoute::Direction::UP)}, true);
}
} // namespace

void Simulation::Impl::build_platform()
{
  auto* zone = sg4::create_dijkstra_zone("world", true);
  const auto n = sc_.nodes.size();
  hosts_.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    hosts_[i] = zone->create_host(sc_.nodes[i].id, sc_.nodes[i].speed > 0 ? sc_.nodes[i].speed : 1e9);
  control_ = zone->create_host("#control", 1e9);

  sg_links_.assign(sc_.links.size(), nullptr);
  node_links_.assign(n, {});
  adjacency_.assign(n, {});
  link_off_.assign(sc_.links.size(), 0);
  // SimGrid accepts one route per pair of netpoints (a second one crashes it): a parallel link shares the first
  // link's SimGrid resource for routing and isolation, and stays a separate edge for reachability.
  std::map<std::pair<Index, Index>, Index> pair_link;
  for (std::size_t l = 0; l < sc_.links.size(); ++l) {
    const Link& link = sc_.links[l];
    const Index a = link.a_index;
    const Index b = link.b_index;
    if (a < 0 || b < 0 || a == b)
      continue;
    adjacency_[a].push_back(static_cast<Index>(l));
    adjacency_[b].push_back(static_cast<Index>(l));
    node_links_[a].push_back(static_cast<Index>(l));
    node_links_[b].push_back(static_cast<Index>(l));
    const auto key = std::minmax(a, b);
    auto it = pair_link.find(key);
    if (it != pair_link.end()) {
      sg_links_[l] = sg_links_[it->second];
      continue;
    }
    pair_link.emplace(key, static_cast<Index>(l));
    auto* sl = zone->create_split_duplex_link("link:" + link.id, link.bandwidth > 0 ? link.bandwidth : 1.25e8)
                   ->set_latency(std::max(0.0, link.latency))
                   ->seal();
    sg_links_[l] = sl;
    route(zone, hosts_[a], hosts_[b], sl);
  }

  // Botnets: one host per (wave, attach node) whose access link carries that wave's flows there, with bandwidth
  // flows x flow cap. The flows are identical (same source, destination and route), so max-min sharing gives each
  // at most the flow cap, exactly as if every flow had its own capped link, and SimGrid computes one route per
  // entry instead of one per bot.
  bot_entries_.assign(sc_.botnets.size(), {});
  bot_flow_bandwidth_.assign(sc_.botnets.size(), 0);
  for (std::size_t b = 0; b < sc_.botnets.size(); ++b) {
    const Botnet& bn = sc_.botnets[b];
    bot_entries_[b].resize(bn.schedule.size());
    if (bn.size <= 0 || bn.attach_index.empty())
      continue;
    const std::int64_t flows = std::min<std::int64_t>(bn.size, std::max(1, opt_.max_bot_flows));
    const double bots_per_flow = static_cast<double>(bn.size) / static_cast<double>(flows);
    bot_flow_bandwidth_[b] = bn.bot_bandwidth * bots_per_flow;
    for (std::size_t w = 0; w < bn.schedule.size(); ++w) {
      const double intensity = std::clamp(bn.schedule[w].intensity, 0.0, 1.0);
      std::int64_t active = std::llround(static_cast<double>(flows) * intensity);
      if (active == 0 && intensity > 0)
        active = 1;
      const std::int64_t attach = static_cast<std::int64_t>(bn.attach_index.size());
      for (std::int64_t k = 0; k < attach && k < active; ++k) {
        BotEntry e;
        e.flows = active / attach + (k < active % attach ? 1 : 0);
        const std::string name = "#bot:" + bn.id + ":" + std::to_string(w) + ":" + std::to_string(k);
        e.host = zone->create_host(name, 1e9);
        auto* l = zone->create_split_duplex_link(name, bot_flow_bandwidth_[b] * static_cast<double>(e.flows))
                      ->set_latency(0.01)
                      ->seal();
        route(zone, e.host, hosts_[bn.attach_index[k]], l);
        bot_entries_[b][w].push_back(e);
      }
    }
  }
  zone->seal();
}

void Simulation::Impl::set_node_links(Index node, bool on)
{
  sync_clock();
  snapshot_exfils();
  // A SimGrid link is off while at least one of its ends is isolated.
  std::set<sg4::Link*> touched;
  for (Index l : node_links_[node]) {
    link_off_[l] += on ? -1 : 1;
    if (sg_links_[l] == nullptr || !touched.insert(sg_links_[l]).second)
      continue;
  }
  for (sg4::Link* sl : touched) {
    int off = 0;
    for (std::size_t l = 0; l < sc_.links.size(); ++l) // parallel links share a SimGrid link: count them all
      if (sg_links_[l] == sl)
        off += link_off_[l];
    if (off > 0 && sl->is_on())
      sl->turn_off();
    else if (off == 0 && !sl->is_on())
      sl->turn_on();
  }
}

} // namespace cyberex
