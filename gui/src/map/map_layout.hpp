/* Where the map draws each site and node: geographic coordinates where the scenario (or an imported GraphML backbone)
 * has them, otherwise a force-directed layout of the sites (Boost.Graph Fruchterman-Reingold, seeded, so the same
 * scenario always gives the same picture), with each site's nodes on a sunflower spiral around it. */
#pragma once

#include <QPointF>
#include <QRectF>

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

} // namespace cyberex::gui
