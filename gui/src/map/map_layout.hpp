/* Where the map draws each site and node (docs/gui.md, "The map's geography"): geographic coordinates where the
 * scenario (or an imported GraphML backbone) has them, else the site's or topology's `location`, else a representative
 * point of its declared country (Natural Earth), all in a Lambert azimuthal equal-area projection centred on the
 * scenario (geo.hpp); backbone routers without coordinates along their links between located neighbours, or in a
 * compact cluster at their topology's country; a force-directed layout (Boost.Graph Fruchterman-Reingold, seeded, so
 * the same scenario always gives the same picture) only for sites with no coordinates and no country at all. Each
 * site's other nodes sit on a sunflower spiral around it. */
#pragma once

#include <QPointF>
#include <QRectF>

#include "map/geo.hpp"

#include <algorithm>
#include <memory>
#include <vector>

namespace cyberex {
struct Scenario;
}

namespace cyberex::gui {

struct BasemapCache;

struct MapLayout {
  std::vector<QPointF> sites;     ///< one per scenario site, in scenario order (layout units; y grows down)
  std::vector<QPointF> nodes;     ///< one per scenario node, in scenario order
  std::vector<double> siteRadius; ///< radius of the disc a site's spiral of nodes occupies
  QRectF bounds;                  ///< every site and node (not the basemap's world): what Fit shows
  int geographicSites = 0;        ///< sites placed from coordinates (their own or their nodes' centroid)
  int countrySites = 0;           ///< sites placed at a `location` override or at their declared country
  int linkedSites = 0;            ///< sites without country placed between the nodes their nodes link to
  int forceDirectedSites = 0;     ///< sites placed by the force-directed layout (drawn beside the geographic area)
  int interpolatedNodes = 0;      ///< backbone nodes without coordinates placed between located neighbours
  int clusteredNodes = 0;         ///< backbone nodes without coordinates in a cluster at their country or location
  int spurNodes = 0;              ///< backbone nodes without coordinates hanging off one placed node: beside it
  /// The projection of every geographic position: layout = projection.forward(lat/lon), and back by inverse().
  Projection projection;
  /// Whether anything is placed geographically (else the map has no basemap: the layout is schematic only).
  bool hasGeography() const { return geographicSites + countrySites > 0; }
  /// The basemap's projected outlines and raster, built on first paint (basemap.cpp); shared by copies.
  std::shared_ptr<BasemapCache> basemap;
};

/// The layout of a scenario. Deterministic: a pure function of the scenario's sites, nodes and links.
MapLayout computeMapLayout(const cyberex::Scenario& scenario);

/// A spatial index of a layout's nodes: a uniform grid of node indices over its bounds (about 4 nodes per cell), so
/// that a view visits only the cells in sight.
class NodeGrid {
public:
  void build(const MapLayout& layout);

  /// F(node index) for every node in the cells that R (layout units) touches: a superset of the nodes inside R.
  template <typename F>
  void forNodesIn(const QRectF& r, F&& f) const
  {
    if (m_cells.empty() || !r.intersects(m_bounds.adjusted(-m_cell, -m_cell, m_cell, m_cell)))
      return;
    const int x0 = cellX(r.left()), x1 = cellX(r.right()), y0 = cellY(r.top()), y1 = cellY(r.bottom());
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x)
        for (int i : m_cells[static_cast<std::size_t>(y * m_gx + x)])
          f(i);
  }

private:
  int cellX(double x) const { return std::clamp(static_cast<int>((x - m_bounds.left()) / m_cell), 0, m_gx - 1); }
  int cellY(double y) const { return std::clamp(static_cast<int>((y - m_bounds.top()) / m_cell), 0, m_gy - 1); }

  QRectF m_bounds;
  double m_cell = 1;
  int m_gx = 1, m_gy = 1;
  std::vector<std::vector<int>> m_cells;
};

} // namespace cyberex::gui
