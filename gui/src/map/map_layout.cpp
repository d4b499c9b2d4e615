#include "map/map_layout.hpp"

#include "cyberex/model.hpp"
#include "map/basemap.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/topology.hpp>
#include <boost/random/linear_congruential.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

namespace cyberex::gui {

namespace {

constexpr double NODE_SPACING = 1.0; // layout units between neighbouring nodes of a spiral (1 unit = 1 km on geo)
constexpr double GOLDEN_ANGLE = 2.399963229728653;
constexpr double COUNTRY_SITE_SPACING = 20; // km between sites placed at the same country's point
constexpr double CLUSTER_SPACING = 120;     // km between neighbouring routers of a schematic cluster
constexpr double SPUR_DISTANCE = 80;        // km per link from a spur router to the placed router it hangs off

std::uint64_t splitmix64(std::uint64_t& state)
{
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double unit(std::uint64_t& state)
{
  return static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
}

/// Offset of the i-th node of a sunflower spiral; slot 0 is left free for the site's own marker.
QPointF spiral(std::size_t i)
{
  const double r = NODE_SPACING * std::sqrt(static_cast<double>(i) + 1.0);
  const double a = GOLDEN_ANGLE * static_cast<double>(i + 1);
  return {r * std::cos(a), r * std::sin(a)};
}

double spiralRadius(std::size_t count)
{
  return NODE_SPACING * std::sqrt(static_cast<double>(count) + 1.0) + NODE_SPACING;
}

bool isBackboneKind(NodeKind k)
{
  return k == NodeKind::router || k == NodeKind::switch_ || k == NodeKind::firewall || k == NodeKind::internet;
}

/// Positions of MEMBERS (backbone routers without coordinates) in a compact force-directed cluster centred on
/// CENTRE: Fruchterman-Reingold over the links among them, in a square of CLUSTER_SPACING per router a side.
std::vector<QPointF> schematicCluster(const std::vector<Index>& members,
                                      const std::vector<std::vector<Index>>& adjacent, QPointF centre)
{
  const std::size_t n = members.size();
  if (n == 1)
    return {centre};
  std::map<Index, std::size_t> local;
  for (std::size_t k = 0; k < n; ++k)
    local[members[k]] = k;
  using Topology = boost::rectangle_topology<boost::minstd_rand>;
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  Graph g(n);
  for (std::size_t k = 0; k < n; ++k)
    for (Index m : adjacent[static_cast<std::size_t>(members[k])])
      if (auto it = local.find(m); it != local.end() && it->second > k)
        boost::add_edge(k, it->second, g);
  const double side = CLUSTER_SPACING * std::ceil(std::sqrt(static_cast<double>(n)));
  boost::minstd_rand jitter(19);
  Topology topology(jitter, -side / 2, -side / 2, side / 2, side / 2);
  std::vector<Topology::point_type> pos(n);
  std::uint64_t seed = 0x636c757374657221ULL ^ (static_cast<std::uint64_t>(n) << 20);
  for (auto& p : pos) {
    p[0] = (unit(seed) - 0.5) * side;
    p[1] = (unit(seed) - 0.5) * side;
  }
  auto pmap = boost::make_iterator_property_map(pos.begin(), boost::get(boost::vertex_index, g));
  boost::fruchterman_reingold_force_directed_layout(g, pmap, topology,
                                                    boost::cooling(boost::linear_cooling<double>(120)));
  // centred on CENTRE by its bounding box
  double x0 = pos[0][0], x1 = x0, y0 = pos[0][1], y1 = y0;
  for (const auto& p : pos) {
    x0 = std::min(x0, p[0]);
    x1 = std::max(x1, p[0]);
    y0 = std::min(y0, p[1]);
    y1 = std::max(y1, p[1]);
  }
  std::vector<QPointF> out(n);
  for (std::size_t k = 0; k < n; ++k)
    out[k] = centre + QPointF(pos[k][0] - (x0 + x1) / 2, pos[k][1] - (y0 + y1) / 2);
  return out;
}

} // namespace

MapLayout computeMapLayout(const Scenario& scenario)
{
  MapLayout out;
  out.basemap = makeBasemapCache();
  const std::size_t nSites = scenario.sites.size();
  const std::size_t nNodes = scenario.nodes.size();
  out.sites.assign(nSites, QPointF());
  out.nodes.assign(nNodes, QPointF());
  out.siteRadius.assign(nSites, NODE_SPACING);

  std::vector<std::vector<Index>> siteNodes(nSites);
  std::vector<Index> homeless; // nodes whose site index is unknown (not expected from the loader)
  for (std::size_t i = 0; i < nNodes; ++i) {
    const Index s = scenario.nodes[i].site_index;
    if (s >= 0 && static_cast<std::size_t>(s) < nSites)
      siteNodes[static_cast<std::size_t>(s)].push_back(static_cast<Index>(i));
    else
      homeless.push_back(static_cast<Index>(i));
  }
  // The topology whose routers a site holds (its `location` and `country` place them).
  std::vector<const Topology*> siteTopology(nSites, nullptr);
  for (const Topology& t : scenario.topologies)
    if (auto it = scenario.site_by_id.find(t.site);
        it != scenario.site_by_id.end() && it->second >= 0 && static_cast<std::size_t>(it->second) < nSites)
      if (!siteTopology[static_cast<std::size_t>(it->second)])
        siteTopology[static_cast<std::size_t>(it->second)] = &t;
  // A site made only of backbone equipment (routers, switches): its nodes without coordinates are placed one by one
  // (along their links, in a cluster, or as vertices of the force-directed layout), not on a spiral.
  std::vector<char> split(nSites, 0);
  for (std::size_t s = 0; s < nSites; ++s)
    split[s] = siteNodes[s].size() >= 2 && std::all_of(siteNodes[s].begin(), siteNodes[s].end(), [&](Index n) {
                 return isBackboneKind(scenario.nodes[static_cast<std::size_t>(n)].kind);
               });
  auto floating = [&](Index n) {
    const Node& node = scenario.nodes[static_cast<std::size_t>(n)];
    return !node.location && node.site_index >= 0 && split[static_cast<std::size_t>(node.site_index)];
  };

  // 0. Where each site is, in degrees: its own location, else its located nodes' centroid, else its topology's
  // location, else a representative point of the first country of site, topology and organisation that is one.
  enum class Anchor { none, own, nodes, location, country };
  std::vector<Anchor> anchorKind(nSites, Anchor::none);
  std::vector<GeoPoint> anchor(nSites);
  std::vector<int> locatedNodes(nSites, 0);
  for (std::size_t s = 0; s < nSites; ++s) {
    const Site& site = scenario.sites[s];
    std::vector<GeoPoint> located;
    for (Index n : siteNodes[s])
      if (const auto& l = scenario.nodes[static_cast<std::size_t>(n)].location)
        located.push_back(*l);
    locatedNodes[s] = static_cast<int>(located.size());
    const Topology* topo = siteTopology[s];
    if (site.location) {
      anchorKind[s] = Anchor::own;
      anchor[s] = *site.location;
    } else if (!located.empty()) {
      anchorKind[s] = Anchor::nodes;
      anchor[s] = sphericalCentroid(located);
    } else if (topo && topo->location) {
      anchorKind[s] = Anchor::location;
      anchor[s] = *topo->location;
    } else {
      const Index org = site.organisation_index;
      for (const std::string* code : {&site.country, topo ? &topo->country : nullptr,
                                      org >= 0 && static_cast<std::size_t>(org) < scenario.organisations.size()
                                          ? &scenario.organisations[static_cast<std::size_t>(org)].country
                                          : nullptr})
        if (code && !code->empty())
          if (auto p = countryAnchor(*code)) {
            anchorKind[s] = Anchor::country;
            anchor[s] = *p;
            break;
          }
    }
  }

  // The projection's centre: the middle of the scenario's extent (latitude range, and the shortest arc of longitude
  // that holds every point), so that a scenario spanning Europe and the USA is centred on the Atlantic.
  {
    std::vector<GeoPoint> all;
    for (std::size_t s = 0; s < nSites; ++s)
      if (anchorKind[s] != Anchor::none)
        all.push_back(anchor[s]);
    for (const Node& n : scenario.nodes)
      if (n.location)
        all.push_back(*n.location);
    if (!all.empty()) {
      double south = 90, north = -90;
      std::vector<double> lons;
      lons.reserve(all.size());
      for (const GeoPoint& g : all) {
        south = std::min(south, g.lat);
        north = std::max(north, g.lat);
        lons.push_back(g.lon);
      }
      std::sort(lons.begin(), lons.end());
      // the largest gap between consecutive longitudes (around the circle) is outside the extent
      double gap = lons.front() + 360 - lons.back(), east = lons.back(), west = lons.front();
      for (std::size_t i = 0; i + 1 < lons.size(); ++i)
        if (lons[i + 1] - lons[i] > gap) {
          gap = lons[i + 1] - lons[i];
          west = lons[i + 1];
          east = lons[i];
        }
      const double width = east >= west ? east - west : east + 360 - west;
      out.projection = Projection((south + north) / 2, west + width / 2);
    }
  }
  const Projection& projection = out.projection;
  auto project = [&](const GeoPoint& g) { return projection.forward(g); };

  // 1. Sites with an anchor. Sites that share a country's point (not their own coordinates) are spread on a
  // sunflower around it, so that they do not sit on one spot.
  std::vector<char> placed(nSites, 0);
  std::vector<char> nodePlaced(nNodes, 0);
  for (std::size_t s = 0; s < nSites; ++s) {
    std::size_t onSpiral = 0;
    for (Index n : siteNodes[s])
      onSpiral += !scenario.nodes[static_cast<std::size_t>(n)].location && !floating(n) ? 1 : 0;
    out.siteRadius[s] = spiralRadius(onSpiral);
    if (anchorKind[s] == Anchor::none)
      continue;
    out.sites[s] = project(anchor[s]);
    placed[s] = 1;
    if (anchorKind[s] == Anchor::own || anchorKind[s] == Anchor::nodes)
      ++out.geographicSites;
    else
      ++out.countrySites;
  }
  {
    std::map<std::pair<double, double>, std::vector<std::size_t>> shared;
    for (std::size_t s = 0; s < nSites; ++s)
      if (anchorKind[s] == Anchor::country || anchorKind[s] == Anchor::location)
        shared[{anchor[s].lat, anchor[s].lon}].push_back(s);
    for (const auto& [point, group] : shared) {
      if (group.size() < 2)
        continue;
      double maxRadius = 0;
      for (std::size_t s : group)
        maxRadius = std::max(maxRadius, out.siteRadius[s]);
      const double spacing = std::max(COUNTRY_SITE_SPACING, 2.5 * maxRadius);
      const QPointF centre = out.sites[group.front()];
      for (std::size_t k = 0; k < group.size(); ++k) {
        // the first site at the point itself, the others on a sunflower around it
        const double r = k == 0 ? 0.0 : spacing * std::sqrt(static_cast<double>(k));
        const double a = GOLDEN_ANGLE * static_cast<double>(k);
        out.sites[group[k]] = centre + QPointF(r * std::cos(a), r * std::sin(a));
      }
    }
  }
  // Nodes with coordinates, and the spirals of placed sites.
  for (std::size_t s = 0; s < nSites; ++s) {
    std::size_t slot = 0;
    for (Index n : siteNodes[s]) {
      const auto ni = static_cast<std::size_t>(n);
      if (const auto& l = scenario.nodes[ni].location) {
        out.nodes[ni] = project(*l);
        nodePlaced[ni] = 1;
      } else if (!floating(n) && placed[s]) {
        out.nodes[ni] = out.sites[s] + spiral(slot++);
        nodePlaced[ni] = 1;
      }
    }
  }

  // Links as adjacency (sorted, no duplicates: deterministic).
  std::vector<std::vector<Index>> adjacent(nNodes);
  for (const Link& l : scenario.links)
    if (l.a_index >= 0 && l.b_index >= 0 && l.a_index != l.b_index && static_cast<std::size_t>(l.a_index) < nNodes &&
        static_cast<std::size_t>(l.b_index) < nNodes) {
      adjacent[static_cast<std::size_t>(l.a_index)].push_back(l.b_index);
      adjacent[static_cast<std::size_t>(l.b_index)].push_back(l.a_index);
    }
  for (auto& a : adjacent) {
    std::sort(a.begin(), a.end());
    a.erase(std::unique(a.begin(), a.end()), a.end());
  }

  // 1b. Backbone routers without coordinates. In a topology that has located routers: along their links, each at the
  // mean of its neighbours (harmonic interpolation, located and already placed nodes fixed; Gauss-Seidel in index
  // order, deterministic), so a router sits between the located routers it connects. In a topology without any
  // located router but with a country or location: a compact force-directed cluster there.
  std::vector<std::vector<Index>> clusterOf(nSites);
  std::vector<Index> between;
  for (std::size_t s = 0; s < nSites; ++s) {
    if (!split[s] || !placed[s])
      continue;
    for (Index n : siteNodes[s])
      if (floating(n))
        (locatedNodes[s] > 0 ? between : clusterOf[s]).push_back(n);
  }
  if (!between.empty()) {
    std::vector<char> inBetween(nNodes, 0);
    for (Index n : between) {
      inBetween[static_cast<std::size_t>(n)] = 1;
      out.nodes[static_cast<std::size_t>(n)] =
          out.sites[static_cast<std::size_t>(scenario.nodes[static_cast<std::size_t>(n)].site_index)];
    }
    // Components of the routers to interpolate; one whose fixed neighbours are fewer than two distinct points would
    // collapse onto one spot: a spur beside its one neighbour, or (no placed neighbour) a cluster of its site.
    std::vector<int> component(nNodes, -1);
    int components = 0;
    std::vector<char> collapse;
    std::map<std::pair<double, double>, int> spursAt;
    for (Index start : between) {
      if (component[static_cast<std::size_t>(start)] >= 0)
        continue;
      std::vector<Index> stack{start}, members;
      component[static_cast<std::size_t>(start)] = components;
      std::vector<QPointF> boundary;
      while (!stack.empty()) {
        const Index n = stack.back();
        stack.pop_back();
        members.push_back(n);
        for (Index m : adjacent[static_cast<std::size_t>(n)]) {
          const auto mi = static_cast<std::size_t>(m);
          if (inBetween[mi] && component[mi] < 0) {
            component[mi] = components;
            stack.push_back(m);
          } else if (nodePlaced[mi] && std::find(boundary.begin(), boundary.end(), out.nodes[mi]) == boundary.end()) {
            boundary.push_back(out.nodes[mi]);
          }
        }
      }
      collapse.push_back(boundary.size() < 2 ? 1 : 0);
      if (boundary.size() == 1) {
        // A spur off one placed router (GEANT's UA off PL, NORDUnet's New York off Copenhagen): outwards from its
        // topology's centre, SPUR_DISTANCE per link, spurs off one router fanned out.
        const QPointF b = boundary.front();
        const auto site = static_cast<std::size_t>(scenario.nodes[static_cast<std::size_t>(start)].site_index);
        QPointF dir = b - out.sites[site];
        const double len = std::hypot(dir.x(), dir.y());
        dir = len > NODE_SPACING ? dir / len : QPointF(1, 0);
        const int k = spursAt[{b.x(), b.y()}]++;
        const double fan = 0.5 * ((k + 1) / 2) * (k % 2 ? 1 : -1);
        std::map<Index, int> depth;
        std::vector<Index> frontier;
        for (Index n : members)
          for (Index m : adjacent[static_cast<std::size_t>(n)])
            if (!inBetween[static_cast<std::size_t>(m)] && nodePlaced[static_cast<std::size_t>(m)] && !depth.count(n)) {
              depth[n] = 1;
              frontier.push_back(n);
            }
        for (std::size_t f = 0; f < frontier.size(); ++f)
          for (Index m : adjacent[static_cast<std::size_t>(frontier[f])])
            if (inBetween[static_cast<std::size_t>(m)] && !depth.count(m)) {
              depth[m] = depth[frontier[f]] + 1;
              frontier.push_back(m);
            }
        std::map<int, int> atDepth;
        for (Index n : frontier) {
          const int d = depth[n];
          const double a = fan + 0.3 * atDepth[d]++;
          const QPointF u(dir.x() * std::cos(a) - dir.y() * std::sin(a), dir.x() * std::sin(a) + dir.y() * std::cos(a));
          out.nodes[static_cast<std::size_t>(n)] = b + u * (SPUR_DISTANCE * d);
          nodePlaced[static_cast<std::size_t>(n)] = 1;
          ++out.spurNodes;
        }
      } else if (boundary.empty()) {
        for (Index n : members)
          clusterOf[static_cast<std::size_t>(scenario.nodes[static_cast<std::size_t>(n)].site_index)].push_back(n);
      }
      ++components;
    }
    between.erase(std::remove_if(between.begin(), between.end(),
                                 [&](Index n) {
                                   return collapse[static_cast<std::size_t>(component[static_cast<std::size_t>(n)])] !=
                                          0;
                                 }),
                  between.end());
    for (int iteration = 0; iteration < 5000; ++iteration) {
      double moved = 0;
      for (Index n : between) {
        QPointF sum;
        int count = 0;
        for (Index m : adjacent[static_cast<std::size_t>(n)])
          if (nodePlaced[static_cast<std::size_t>(m)] || inBetween[static_cast<std::size_t>(m)]) {
            sum += out.nodes[static_cast<std::size_t>(m)];
            ++count;
          }
        if (count == 0)
          continue;
        const QPointF next = sum / count;
        const QPointF d = next - out.nodes[static_cast<std::size_t>(n)];
        moved = std::max(moved, std::abs(d.x()) + std::abs(d.y()));
        out.nodes[static_cast<std::size_t>(n)] = next;
      }
      if (moved < 1e-7)
        break;
    }
    // Routers that meet on one spot (the same neighbours) are set apart on a small spiral.
    for (std::size_t k = 0; k < between.size(); ++k) {
      const auto ni = static_cast<std::size_t>(between[k]);
      std::size_t same = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const QPointF d = out.nodes[static_cast<std::size_t>(between[j])] - out.nodes[ni];
        same += std::abs(d.x()) + std::abs(d.y()) < 0.5 * NODE_SPACING ? 1 : 0;
      }
      if (same > 0)
        out.nodes[ni] += spiral(same - 1);
    }
    for (Index n : between)
      nodePlaced[static_cast<std::size_t>(n)] = 1;
    out.interpolatedNodes = static_cast<int>(between.size());
  }
  for (std::size_t s = 0; s < nSites; ++s) {
    const std::vector<Index>& members = clusterOf[s];
    if (members.empty())
      continue;
    std::vector<QPointF> pos = schematicCluster(members, adjacent, out.sites[s]);
    for (std::size_t k = 0; k < members.size(); ++k) {
      out.nodes[static_cast<std::size_t>(members[k])] = pos[k];
      nodePlaced[static_cast<std::size_t>(members[k])] = 1;
    }
    out.clusteredNodes += static_cast<int>(members.size());
  }

  // 1c. Sites with no coordinates and no country whose nodes link to placed nodes (the Internet, an exchange): at
  // the mean of those nodes, repeated while it places more sites (a site linked only to such a site comes next).
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t s = 0; s < nSites; ++s) {
      if (placed[s] || split[s] || siteNodes[s].empty())
        continue;
      QPointF sum;
      int count = 0;
      for (Index n : siteNodes[s])
        for (Index m : adjacent[static_cast<std::size_t>(n)])
          if (nodePlaced[static_cast<std::size_t>(m)] &&
              scenario.nodes[static_cast<std::size_t>(m)].site_index != static_cast<Index>(s)) {
            sum += out.nodes[static_cast<std::size_t>(m)];
            ++count;
          }
      if (count == 0)
        continue;
      out.sites[s] = sum / count;
      placed[s] = 1;
      progress = true;
      ++out.linkedSites;
      std::size_t slot = 0;
      for (Index n : siteNodes[s])
        if (!scenario.nodes[static_cast<std::size_t>(n)].location) {
          out.nodes[static_cast<std::size_t>(n)] = out.sites[s] + spiral(slot++);
          nodePlaced[static_cast<std::size_t>(n)] = 1;
        }
    }
  }

  QRectF geo;
  bool haveGeo = false;
  auto growGeo = [&](QPointF p, double r) {
    QRectF box(p.x() - r, p.y() - r, 2 * r, 2 * r);
    geo = haveGeo ? geo.united(box) : box;
    haveGeo = true;
  };
  for (std::size_t s = 0; s < nSites; ++s)
    if (placed[s])
      growGeo(out.sites[s], out.siteRadius[s]);
  for (std::size_t i = 0; i < nNodes; ++i)
    if (nodePlaced[i])
      growGeo(out.nodes[i], NODE_SPACING);

  // 2. Force-directed layout of the other sites. A site made only of backbone equipment (routers, switches) is split
  // into one vertex per node, so that the sites hanging off different routers spread around them.
  std::vector<int> vertexOfNode(nNodes, -1);
  std::vector<double> vertexRadius;
  std::vector<int> siteOfVertex; // -1: a split node's vertex
  std::vector<Index> nodeOfVertex;
  for (std::size_t s = 0; s < nSites; ++s) {
    if (placed[s] || siteNodes[s].empty()) {
      if (!placed[s] && siteNodes[s].empty()) { // an empty site: a vertex of its own
        siteOfVertex.push_back(static_cast<int>(s));
        nodeOfVertex.push_back(NO_INDEX);
        vertexRadius.push_back(out.siteRadius[s]);
      }
      continue;
    }
    if (split[s]) {
      for (Index n : siteNodes[s]) {
        vertexOfNode[static_cast<std::size_t>(n)] = static_cast<int>(siteOfVertex.size());
        siteOfVertex.push_back(-1);
        nodeOfVertex.push_back(n);
        vertexRadius.push_back(2 * NODE_SPACING);
      }
    } else {
      const int v = static_cast<int>(siteOfVertex.size());
      for (Index n : siteNodes[s])
        vertexOfNode[static_cast<std::size_t>(n)] = v;
      siteOfVertex.push_back(static_cast<int>(s));
      nodeOfVertex.push_back(NO_INDEX);
      vertexRadius.push_back(out.siteRadius[s]);
    }
  }
  const std::size_t nVertices = siteOfVertex.size();
  std::vector<QPointF> vertexPos(nVertices);
  if (nVertices > 0) {
    std::set<std::pair<int, int>> edges; // sorted: deterministic edge order
    for (const Link& l : scenario.links) {
      if (l.a_index < 0 || l.b_index < 0)
        continue;
      int va = vertexOfNode[static_cast<std::size_t>(l.a_index)];
      int vb = vertexOfNode[static_cast<std::size_t>(l.b_index)];
      if (va < 0 || vb < 0 || va == vb)
        continue;
      edges.insert({std::min(va, vb), std::max(va, vb)});
    }
    double maxRadius = NODE_SPACING;
    for (double r : vertexRadius)
      maxRadius = std::max(maxRadius, r);
    const double cell = 2.5 * maxRadius;
    const double side = std::max(cell, std::ceil(std::sqrt(static_cast<double>(nVertices))) * cell * 1.2);

    if (nVertices == 1) {
      vertexPos[0] = QPointF(side / 2, side / 2);
    } else {
      using Topology = boost::rectangle_topology<boost::minstd_rand>;
      using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
      Graph g(nVertices);
      for (const auto& [a, b] : edges)
        boost::add_edge(static_cast<std::size_t>(a), static_cast<std::size_t>(b), g);
      boost::minstd_rand jitter(42); // used by Boost only when two vertices coincide
      Topology topology(jitter, -side / 2, -side / 2, side / 2, side / 2);
      std::vector<Topology::point_type> pos(nVertices);
      std::uint64_t seed = 0x6379626572657821ULL ^ (static_cast<std::uint64_t>(nVertices) << 20) ^ edges.size();
      for (auto& p : pos) {
        p[0] = (unit(seed) - 0.5) * side;
        p[1] = (unit(seed) - 0.5) * side;
      }
      auto pmap = boost::make_iterator_property_map(pos.begin(), boost::get(boost::vertex_index, g));
      boost::fruchterman_reingold_force_directed_layout(g, pmap, topology,
                                                        boost::cooling(boost::linear_cooling<double>(120)));
      for (std::size_t v = 0; v < nVertices; ++v)
        vertexPos[v] = QPointF(pos[v][0] + side / 2, pos[v][1] + side / 2);
    }
    // Beside the geographic area (to its right), or alone at the origin.
    const QPointF origin = haveGeo ? QPointF(geo.right() + 0.1 * std::max(geo.width(), side), geo.top()) : QPointF();
    for (std::size_t v = 0; v < nVertices; ++v) {
      vertexPos[v] += origin;
      if (siteOfVertex[v] >= 0) {
        out.sites[static_cast<std::size_t>(siteOfVertex[v])] = vertexPos[v];
        ++out.forceDirectedSites;
      }
    }
  }

  // 3. The other nodes: their split vertex, or a spiral around their site.
  for (std::size_t s = 0; s < nSites; ++s) {
    if (placed[s])
      continue;
    std::size_t slot = 0;
    QPointF splitSum;
    int splitCount = 0;
    for (Index n : siteNodes[s]) {
      const auto ni = static_cast<std::size_t>(n);
      if (nodePlaced[ni]) {
        continue;
      } else if (vertexOfNode[ni] >= 0 && siteOfVertex[static_cast<std::size_t>(vertexOfNode[ni])] < 0) {
        out.nodes[ni] = vertexPos[static_cast<std::size_t>(vertexOfNode[ni])];
        splitSum += out.nodes[ni];
        ++splitCount;
      } else {
        out.nodes[ni] = out.sites[s] + spiral(slot++);
      }
    }
    if (splitCount > 0) { // a split backbone site: its marker at the centroid of its routers
      out.sites[s] = splitSum / splitCount;
      ++out.forceDirectedSites;
    }
  }
  for (std::size_t i = 0; i < homeless.size(); ++i)
    out.nodes[static_cast<std::size_t>(homeless[i])] = spiral(i);

  bool first = true;
  for (std::size_t s = 0; s < nSites; ++s) {
    const double r = out.siteRadius[s];
    QRectF box(out.sites[s].x() - r, out.sites[s].y() - r, 2 * r, 2 * r);
    out.bounds = first ? box : out.bounds.united(box);
    first = false;
  }
  for (const QPointF& p : out.nodes) {
    QRectF box(p.x() - NODE_SPACING, p.y() - NODE_SPACING, 2 * NODE_SPACING, 2 * NODE_SPACING);
    out.bounds = first ? box : out.bounds.united(box);
    first = false;
  }
  prepareBasemap(out); // the outlines with the layout, not in the first paint
  return out;
}

void NodeGrid::build(const MapLayout& layout)
{
  const QRectF b = layout.bounds;
  m_bounds = b;
  const double n = std::max<double>(1, static_cast<double>(layout.nodes.size()));
  const int g = std::clamp(static_cast<int>(std::ceil(std::sqrt(n / 4))), 1, 1024);
  m_cell = std::max(b.width(), b.height()) / g;
  if (m_cell <= 0)
    m_cell = 1;
  m_gx = std::max(1, static_cast<int>(std::ceil(b.width() / m_cell)));
  m_gy = std::max(1, static_cast<int>(std::ceil(b.height() / m_cell)));
  m_cells.assign(static_cast<std::size_t>(m_gx) * static_cast<std::size_t>(m_gy), {});
  for (std::size_t i = 0; i < layout.nodes.size(); ++i) {
    const QPointF p = layout.nodes[i];
    m_cells[static_cast<std::size_t>(cellY(p.y()) * m_gx + cellX(p.x()))].push_back(static_cast<int>(i));
  }
}

} // namespace cyberex::gui
