/* The SimGrid platform built from the scenario, in C++ (no XML).
 *
 * A routed hierarchy whose routes are exactly the scenario's links (fewest hops):
 *
 * - A site whose links to other sites all leave from one node (its border node: the site's firewall or router)
 *   becomes one Dijkstra zone (route cache on) holding its nodes, with that node as its gateway. Every other node
 *   (backbone routers, internet nodes, nodes of sites with several border nodes, nodes without a site) becomes a
 *   zone of its own, with itself as gateway.
 * - The root is a Dijkstra zone (route cache on) over those zones: each scenario link between two zones is a zone
 *   route between their gateways.
 *
 * This changes no route: a shortest path from a node of a single-border site to anywhere outside it goes through
 * the border node, and a path between two nodes outside it never enters it (it would enter and leave through the
 * same node). So a route is (source -> its gateway, inside its zone) + (zone to zone in the root) + (gateway ->
 * destination), which is a fewest-hop path of the flat graph; SimGrid searches at most one site (about 100 nodes)
 * and the root (one node per zone) instead of every host, and caches both per source. Equal-hop alternatives may
 * be broken differently than in one flat zone.
 *
 * Parallel links between the same two nodes are one SimGrid link (SimGrid crashes on a second route for the same
 * pair) whose bandwidth is the sum of theirs and whose latency is the first one's (scenario order). Botnet hosts and
 * their access links are added to the zones by flood.cpp. */
#include "engine/impl.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

namespace cyberex {

namespace {

using simgrid::kernel::routing::NetPoint;

void add_link_route(sg4::NetZone* zone, NetPoint* a, NetPoint* b, NetPoint* gw_a, NetPoint* gw_b, sg4::Link* link)
{
  zone->add_route(a, b, gw_a, gw_b, {sg4::LinkInRoute(link, sg4::LinkInRoute::Direction::UP)}, true);
}

} // namespace

std::vector<Index> Simulation::Impl::platform_groups(std::vector<Index>& gateway) const
{
  const auto n = static_cast<Index>(sc_.nodes.size());
  const auto sites = static_cast<Index>(sc_.sites.size());
  auto site_of = [&](Index i) {
    const Index s = sc_.nodes[static_cast<std::size_t>(i)].site_index;
    return s >= 0 && s < sites ? s : NO_INDEX;
  };
  std::vector<std::pair<Index, Index>> edges; // links between two distinct nodes
  edges.reserve(sc_.links.size());
  for (const Link& link : sc_.links)
    if (link.a_index >= 0 && link.b_index >= 0 && link.a_index < n && link.b_index < n && link.a_index != link.b_index)
      edges.emplace_back(link.a_index, link.b_index);

  // 1. A site whose links to other sites all touch one of its nodes is a group; any other node is a group alone.
  //    border[s]: that node (NO_INDEX: none yet), SEVERAL when there are more.
  constexpr Index SEVERAL = -2;
  std::vector<Index> border(static_cast<std::size_t>(sites), NO_INDEX);
  auto mark = [&](Index node) {
    const Index s = site_of(node);
    if (s < 0)
      return;
    Index& b = border[static_cast<std::size_t>(s)];
    b = b == NO_INDEX || b == node ? node : SEVERAL;
  };
  for (const auto& [a, b] : edges)
    if (site_of(a) < 0 || site_of(a) != site_of(b)) {
      mark(a);
      mark(b);
    }
  std::vector<Index> parent(static_cast<std::size_t>(n)); // union-find over nodes; a group is named by its root
  std::vector<Index> size(static_cast<std::size_t>(n), 1);
  std::vector<Index> site_root(static_cast<std::size_t>(sites), NO_INDEX);
  for (Index i = 0; i < n; ++i) {
    parent[static_cast<std::size_t>(i)] = i;
    const Index s = site_of(i);
    if (s >= 0 && border[static_cast<std::size_t>(s)] != SEVERAL) {
      Index& r = site_root[static_cast<std::size_t>(s)];
      if (r == NO_INDEX) {
        r = i;
      } else {
        parent[static_cast<std::size_t>(i)] = r;
        ++size[static_cast<std::size_t>(r)];
      }
    }
  }
  auto find = [&](Index i) {
    while (parent[static_cast<std::size_t>(i)] != i)
      i = parent[static_cast<std::size_t>(i)] = parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(i)])];
    return i;
  };

  // 2. A group whose every outside link leads into one other group joins it (a site hanging off a backbone router
  //    joins the router; an attacker behind an internet node joins it), as long as that group is not joining another
  //    one in the same pass and stays under the size cap. Every group keeps at most one border node: the links of
  //    the joining group all end inside the joined one.
  constexpr Index MAX_GROUP = 4096;
  for (int pass = 0; pass < 8; ++pass) {
    std::vector<Index> target(static_cast<std::size_t>(n), NO_INDEX); // per group root: the single outside group
    for (const auto& [a, b] : edges) {
      const Index ra = find(a);
      const Index rb = find(b);
      if (ra == rb)
        continue;
      for (const auto& [x, y] : {std::pair{ra, rb}, std::pair{rb, ra}}) {
        Index& t = target[static_cast<std::size_t>(x)];
        t = t == NO_INDEX || t == y ? y : SEVERAL;
      }
    }
    bool changed = false;
    for (Index r = 0; r < n; ++r) {
      if (parent[static_cast<std::size_t>(r)] != r)
        continue;
      const Index g = target[static_cast<std::size_t>(r)];
      if (g < 0 || find(g) != g)
        continue;
      const Index gt = target[static_cast<std::size_t>(g)];
      if (gt >= 0 && !(gt == r && g < r)) // g joins another group this pass (a pair joining each other: the later)
        continue;
      if (size[static_cast<std::size_t>(r)] + size[static_cast<std::size_t>(g)] > MAX_GROUP)
        continue;
      parent[static_cast<std::size_t>(r)] = g;
      size[static_cast<std::size_t>(g)] += size[static_cast<std::size_t>(r)];
      changed = true;
    }
    if (!changed)
      break;
  }

  // 3. Groups numbered in order of their first node; the gateway is the node with outside links (any if none).
  std::vector<Index> group(static_cast<std::size_t>(n), NO_INDEX);
  std::vector<Index> number(static_cast<std::size_t>(n), NO_INDEX);
  gateway.clear();
  for (Index i = 0; i < n; ++i) {
    Index& g = number[static_cast<std::size_t>(find(i))];
    if (g == NO_INDEX) {
      g = static_cast<Index>(gateway.size());
      gateway.push_back(i);
    }
    group[static_cast<std::size_t>(i)] = g;
  }
  std::vector<char> bordered(gateway.size(), 0);
  for (const auto& [a, b] : edges) {
    const Index ga = group[static_cast<std::size_t>(a)];
    const Index gb = group[static_cast<std::size_t>(b)];
    if (ga == gb)
      continue;
    for (const auto& [g, x] : {std::pair{ga, a}, std::pair{gb, b}}) {
      if (bordered[static_cast<std::size_t>(g)] && gateway[static_cast<std::size_t>(g)] != x) {
        std::fprintf(stderr, "cyberex: internal error: platform zone of node '%s' has two border nodes\n",
                     sc_.nodes[static_cast<std::size_t>(x)].id.c_str());
        std::abort();
      }
      bordered[static_cast<std::size_t>(g)] = 1;
      gateway[static_cast<std::size_t>(g)] = x;
    }
  }
  return group;
}

void Simulation::Impl::build_platform()
{
  auto* root = sg4::create_dijkstra_zone("#world", true);
  const auto n = sc_.nodes.size();
  std::vector<Index> gateway;
  const std::vector<Index> group = platform_groups(gateway);
  zone_gateways_ = gateway.size();

  sg_links_.assign(sc_.links.size(), nullptr);
  node_links_.assign(n, {});
  adjacency_.assign(n, {});
  // SimGrid accepts one route per pair of netpoints (a second one crashes it): parallel links between two nodes are
  // one SimGrid resource carrying their summed bandwidth (created for the first of them), and stay separate edges for
  // reachability. Two zones are joined only through their gateways, so a pair of zones is a pair of nodes.
  std::map<std::pair<Index, Index>, Index> pair_link;
  std::vector<Index> first_of(sc_.links.size(), NO_INDEX); // the link whose SimGrid resource each link uses
  std::vector<std::vector<Index>> zone_nodes(gateway.size());
  std::vector<std::vector<Index>> zone_links(gateway.size());
  std::vector<Index> root_links;
  for (std::size_t i = 0; i < n; ++i)
    zone_nodes[static_cast<std::size_t>(group[i])].push_back(static_cast<Index>(i));
  for (std::size_t l = 0; l < sc_.links.size(); ++l) {
    const Index a = sc_.links[l].a_index;
    const Index b = sc_.links[l].b_index;
    if (a < 0 || b < 0 || a == b)
      continue;
    adjacency_[a].push_back(static_cast<Index>(l));
    adjacency_[b].push_back(static_cast<Index>(l));
    node_links_[a].push_back(static_cast<Index>(l));
    node_links_[b].push_back(static_cast<Index>(l));
    const auto [it, fresh] = pair_link.emplace(std::minmax(a, b), static_cast<Index>(l));
    first_of[l] = it->second;
    if (!fresh)
      continue;
    const Index ga = group[static_cast<std::size_t>(a)];
    (ga == group[static_cast<std::size_t>(b)] ? zone_links[static_cast<std::size_t>(ga)] : root_links)
        .push_back(static_cast<Index>(l));
  }
  std::vector<double> pair_bandwidth(sc_.links.size(), 0); // per first link of a pair: the pair's summed bandwidth
  for (std::size_t l = 0; l < sc_.links.size(); ++l)
    if (first_of[l] >= 0)
      pair_bandwidth[static_cast<std::size_t>(first_of[l])] +=
          sc_.links[l].bandwidth > 0 ? sc_.links[l].bandwidth : 1.25e8;
  auto create_link = [&](sg4::NetZone* owner, Index l) {
    const Link& link = sc_.links[static_cast<std::size_t>(l)];
    auto* sl = owner->create_split_duplex_link("link:" + link.id, pair_bandwidth[static_cast<std::size_t>(l)])
                   ->set_latency(std::max(0.0, link.latency))
                   ->seal();
    sg_links_[static_cast<std::size_t>(l)] = sl;
    return sl;
  };

  // One zone per group, named after its gateway, filled right after it is created: SimGrid checks every new host
  // and link name against each zone created so far.
  std::vector<sg4::NetZone*> zones(gateway.size(), nullptr);
  hosts_.resize(n);
  for (std::size_t g = 0; g < gateway.size(); ++g) {
    const std::string name = "#zone:" + sc_.nodes[static_cast<std::size_t>(gateway[g])].id;
    zones[g] = sg4::create_dijkstra_zone(name, true)->set_parent(root);
    for (Index i : zone_nodes[g])
      hosts_[static_cast<std::size_t>(i)] = zones[g]->create_host(
          sc_.nodes[static_cast<std::size_t>(i)].id,
          sc_.nodes[static_cast<std::size_t>(i)].speed > 0 ? sc_.nodes[static_cast<std::size_t>(i)].speed : 1e9);
    for (Index l : zone_links[g]) {
      const Link& link = sc_.links[static_cast<std::size_t>(l)];
      add_link_route(zones[g], hosts_[static_cast<std::size_t>(link.a_index)]->get_netpoint(),
                     hosts_[static_cast<std::size_t>(link.b_index)]->get_netpoint(), nullptr, nullptr,
                     create_link(zones[g], l));
    }
  }
  auto* control_zone = sg4::create_dijkstra_zone("#zone:#control", true)->set_parent(root);
  control_ = control_zone->create_host("#control", 1e9);
  for (Index l : root_links) {
    const Link& link = sc_.links[static_cast<std::size_t>(l)];
    const Index a = link.a_index;
    const Index b = link.b_index;
    add_link_route(root, zones[static_cast<std::size_t>(group[static_cast<std::size_t>(a)])]->get_netpoint(),
                   zones[static_cast<std::size_t>(group[static_cast<std::size_t>(b)])]->get_netpoint(),
                   hosts_[static_cast<std::size_t>(a)]->get_netpoint(),
                   hosts_[static_cast<std::size_t>(b)]->get_netpoint(), create_link(root, l));
  }
  for (std::size_t l = 0; l < sc_.links.size(); ++l)
    if (first_of[l] >= 0)
      sg_links_[l] = sg_links_[static_cast<std::size_t>(first_of[l])];

  build_bot_entries(zones, group); // flood.cpp
  for (auto* zone : zones)
    zone->seal();
  control_zone->seal();
  root->seal();
}

void Simulation::Impl::sync_node_links(Index node)
{
  sync_clock();
  snapshot_exfils();
  // A SimGrid link is off while at least one of its two ends is cut (parallel links share the ends).
  for (Index l : node_links_[node]) {
    sg4::Link* sl = sg_links_[static_cast<std::size_t>(l)];
    const Link& link = sc_.links[static_cast<std::size_t>(l)];
    const bool off = nodes_[link.a_index].cut || nodes_[link.b_index].cut;
    if (off && sl->is_on())
      sl->turn_off();
    else if (!off && !sl->is_on())
      sl->turn_on();
  }
}

} // namespace cyberex
