#include "map/map_layout.hpp"

#include "cyberex/model.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/topology.hpp>
#include <boost/random/linear_congruential.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <utility>

namespace cyberex::gui {

namespace {

constexpr double NODE_SPACING = 1.0; // layout units between neighbouring nodes of a spiral (1 unit = 1 km on geo)
constexpr double GOLDEN_ANGLE = 2.399963229728653;
constexpr double KM_PER_DEGREE = 111.32;

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

} // namespace

MapLayout computeMapLayout(const Scenario& scenario)
{
  MapLayout out;
  const std::size_t nSites = scenario.sites.size();
  const std::size_t nNodes = scenario.nodes.size();
  out.sites.assign(nSites, QPointF());
  out.nodes.assign(nNodes, QPointF());
  out.siteRadius.assign(nSites, NODE_SPACING);

  // Equirectangular projection around the mean latitude of every known coordinate, in km; y grows southwards.
  double latSum = 0;
  int latCount = 0;
  for (const auto& s : scenario.sites)
    if (s.location) {
      latSum += s.location->lat;
      ++latCount;
    }
  for (const auto& n : scenario.nodes)
    if (n.location) {
      latSum += n.location->lat;
      ++latCount;
    }
  const double cosLat = latCount > 0 ? std::cos(latSum / latCount * M_PI / 180.0) : 1.0;
  auto project = [&](const GeoPoint& g) { return QPointF(g.lon * cosLat * KM_PER_DEGREE, -g.lat * KM_PER_DEGREE); };

  std::vector<std::vector<Index>> siteNodes(nSites);
  std::vector<Index> homeless; // nodes whose site index is unknown (not expected from the loader)
  for (std::size_t i = 0; i < nNodes; ++i) {
    const Index s = scenario.nodes[i].site_index;
    if (s >= 0 && static_cast<std::size_t>(s) < nSites)
      siteNodes[static_cast<std::size_t>(s)].push_back(static_cast<Index>(i));
    else
      homeless.push_back(static_cast<Index>(i));
  }

  // 1. Geographic sites: their own location, else the centroid of their located nodes.
  std::vector<char> placed(nSites, 0);
  QRectF geo;
  bool haveGeo = false;
  auto growGeo = [&](QPointF p, double r) {
    QRectF box(p.x() - r, p.y() - r, 2 * r, 2 * r);
    geo = haveGeo ? geo.united(box) : box;
    haveGeo = true;
  };
  for (std::size_t s = 0; s < nSites; ++s) {
    const Site& site = scenario.sites[s];
    std::size_t unlocated = 0;
    QPointF sum;
    int located = 0;
    for (Index n : siteNodes[s]) {
      if (scenario.nodes[static_cast<std::size_t>(n)].location) {
        sum += project(*scenario.nodes[static_cast<std::size_t>(n)].location);
        ++located;
      } else {
        ++unlocated;
      }
    }
    out.siteRadius[s] = spiralRadius(unlocated);
    if (site.location) {
      out.sites[s] = project(*site.location);
    } else if (located > 0) {
      out.sites[s] = sum / located;
    } else {
      continue;
    }
    placed[s] = 1;
    ++out.geographicSites;
    growGeo(out.sites[s], out.siteRadius[s]);
  }

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
    const bool split = siteNodes[s].size() >= 2 && std::all_of(siteNodes[s].begin(), siteNodes[s].end(), [&](Index n) {
                         return isBackboneKind(scenario.nodes[static_cast<std::size_t>(n)].kind);
                       });
    if (split) {
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

  // 3. Nodes: their own coordinates, their split vertex, or a spiral around their site.
  for (std::size_t s = 0; s < nSites; ++s) {
    std::size_t slot = 0;
    QPointF splitSum;
    int splitCount = 0;
    for (Index n : siteNodes[s]) {
      const auto ni = static_cast<std::size_t>(n);
      const Node& node = scenario.nodes[ni];
      if (node.location) {
        out.nodes[ni] = project(*node.location);
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
