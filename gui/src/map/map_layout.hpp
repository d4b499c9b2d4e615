/* Where the map draws each site and node: geographic coordinates where the scenario (or an imported GraphML backbone)
 * has them, otherwise a force-directed layout of the sites (Boost.Graph Fruchterman-Reingold, seeded, so the same
 * scenario always gives the same picture), with each site's nodes on a sunflower spiral around it. */
#pragma once

#include <QPointF>
#include <QRectF>

#include <algorithm>
#include <vector>

namespace cyberex {
struct Scenario;
}

namespace cyberex::gui {

struct MapLayout {
  std::vector<QPointF> sites;     ///< one per scenario site, in scenario order (layout units; y grows down)
  std::vector<QPointF> nodes;     ///< one per scenario node, in scenario order
  std::vector<double> siteRadius; ///< radius of the disc a site's spiral of nodes occupies
  QRectF bounds;                  ///< every site and node
  int geographicSites = 0;        ///< sites placed from coordinates (their own or their nodes' centroid)
  int forceDirectedSites = 0;     ///< sites placed by the force-directed layout (drawn beside the geographic area)
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
