/* The map's geography (issue 19): the projection and its inverse, TopoJSON decoding, where sites and imported
 * routers without coordinates are placed, the loader's topology `location`, and the basemap's paint. */
#include "map/basemap.hpp"
#include "map/geo.hpp"
#include "map/map_layout.hpp"

#include "cyberex/scenario.hpp"

#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <set>

using cyberex::GeoPoint;
using cyberex::Index;
using cyberex::gui::computeMapLayout;
using cyberex::gui::MapLayout;
using cyberex::gui::Projection;

namespace {

struct Box {
  double south, west, north, east;
  bool contains(const GeoPoint& g) const { return g.lat >= south && g.lat <= north && g.lon >= west && g.lon <= east; }
};
// Hand-read from an atlas: the contiguous USA, Finland, Sweden.
constexpr Box USA{24.5, -125.0, 49.5, -66.9};
constexpr Box FINLAND{59.8, 20.5, 70.1, 31.6};
constexpr Box SWEDEN{55.3, 11.1, 69.1, 24.2};

GeoPoint back(const MapLayout& layout, QPointF p)
{
  const auto g = layout.projection.inverse(p);
  return g ? *g : GeoPoint{-999, -999};
}

QString where(const GeoPoint& g)
{
  return QStringLiteral("(%1, %2)").arg(g.lat, 0, 'f', 3).arg(g.lon, 0, 'f', 3);
}

/// Convex hull (Andrew's monotone chain), counter-clockwise in a y-up sense.
std::vector<QPointF> hull(std::vector<QPointF> p)
{
  std::sort(p.begin(), p.end(),
            [](QPointF a, QPointF b) { return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y()); });
  p.erase(std::unique(p.begin(), p.end()), p.end());
  if (p.size() < 3)
    return p;
  auto cross = [](QPointF o, QPointF a, QPointF b) {
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
  };
  std::vector<QPointF> h(2 * p.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0)
      --k;
    h[k++] = p[i];
  }
  for (std::size_t i = p.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(h[k - 2], h[k - 1], p[i - 1]) <= 0)
      --k;
    h[k++] = p[i - 1];
  }
  h.resize(k - 1);
  return h;
}

/// Distance from Q to the convex polygon (or segment, or point) H; 0 inside.
double distanceToHull(const std::vector<QPointF>& h, QPointF q)
{
  auto segment = [](QPointF a, QPointF b, QPointF x) {
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(x - a, ab) / len2, 0.0, 1.0) : 0.0;
    const QPointF d = x - (a + t * ab);
    return std::hypot(d.x(), d.y());
  };
  if (h.size() == 1)
    return segment(h[0], h[0], q);
  if (h.size() == 2)
    return segment(h[0], h[1], q);
  bool inside = true;
  double best = 1e300;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const QPointF a = h[i], b = h[(i + 1) % h.size()];
    if ((b.x() - a.x()) * (q.y() - a.y()) - (b.y() - a.y()) * (q.x() - a.x()) < 0)
      inside = false;
    best = std::min(best, segment(a, b, q));
  }
  return inside ? 0 : best;
}

/// Imported routers without coordinates of topology TOPO in connected groups (links among them), each with the
/// distinct positions of the placed nodes the group links to.
struct Group {
  std::vector<Index> members;
  std::vector<QPointF> boundary;
};
std::vector<Group> unlocatedGroups(const cyberex::Scenario& s, const MapLayout& layout, const std::string& topo)
{
  std::vector<std::vector<Index>> adj(s.nodes.size());
  for (const auto& l : s.links)
    if (l.a_index >= 0 && l.b_index >= 0) {
      adj[static_cast<std::size_t>(l.a_index)].push_back(l.b_index);
      adj[static_cast<std::size_t>(l.b_index)].push_back(l.a_index);
    }
  auto unlocated = [&](Index n) {
    const auto& node = s.nodes[static_cast<std::size_t>(n)];
    return node.imported_from == topo && !node.location;
  };
  std::vector<char> seen(s.nodes.size(), 0);
  std::vector<Group> out;
  for (Index start = 0; start < static_cast<Index>(s.nodes.size()); ++start) {
    if (!unlocated(start) || seen[static_cast<std::size_t>(start)])
      continue;
    Group g;
    std::vector<Index> stack{start};
    seen[static_cast<std::size_t>(start)] = 1;
    while (!stack.empty()) {
      const Index n = stack.back();
      stack.pop_back();
      g.members.push_back(n);
      for (Index m : adj[static_cast<std::size_t>(n)]) {
        if (unlocated(m)) {
          if (!seen[static_cast<std::size_t>(m)]) {
            seen[static_cast<std::size_t>(m)] = 1;
            stack.push_back(m);
          }
        } else {
          g.boundary.push_back(layout.nodes[static_cast<std::size_t>(m)]);
        }
      }
    }
    out.push_back(std::move(g));
  }
  return out;
}

cyberex::LoadResult loadText(const QTemporaryDir& dir, const QString& name, const std::string& text)
{
  const std::string path = dir.filePath(name).toStdString();
  std::ofstream(path) << text;
  return cyberex::load_scenario(path);
}

} // namespace

class GeoTest : public QObject {
  Q_OBJECT

private slots:
  void initTestCase()
  {
    // The shipped outlines of this source tree, whatever data directory the build was configured with.
    qputenv("CYBEREX_DATA", QByteArray(CYBEREX_SOURCE_DIR "/data"));
  }

  void projectionKnownValues()
  {
    // Centred on (0, 0): the equator 90 degrees east is R sqrt(2) to the right; the north pole R sqrt(2) up.
    const Projection p(0, 0);
    const double r2 = 6371.0088 * std::sqrt(2.0);
    QPointF e = p.forward({0, 90});
    QVERIFY2(std::abs(e.x() - r2) < 1e-6 && std::abs(e.y()) < 1e-6, qPrintable(QString::number(e.x())));
    QPointF n = p.forward({90, 0});
    QVERIFY2(std::abs(n.x()) < 1e-6 && std::abs(n.y() + r2) < 1e-6, qPrintable(QString::number(n.y())));
    // The centre is the origin; one degree of latitude near it is 111.195 km (2 pi R / 360), y down.
    const Projection eu(50, 10);
    QCOMPARE(eu.forward({50, 10}), QPointF(0, 0));
    const QPointF north = eu.forward({50.001, 10});
    QVERIFY2(std::abs(-north.y() / 0.001 - 2 * M_PI * 6371.0088 / 360) < 1e-3, qPrintable(QString::number(north.y())));
    // Beyond the disc of radius 2 R there is nothing to invert.
    QVERIFY(!eu.inverse(QPointF(2 * 6371.0088 + 1, 0)));
  }

  void projectionRoundTrip_data()
  {
    QTest::addColumn<double>("lat0");
    QTest::addColumn<double>("lon0");
    QTest::newRow("Atlantic (Cyber Atlantic)") << 45.0 << -36.0;
    QTest::newRow("Europe") << 50.0 << 10.0;
    QTest::newRow("Australia") << -33.0 << 151.0;
    QTest::newRow("Pacific across the antimeridian") << 10.0 << 179.5;
  }

  void projectionRoundTrip()
  {
    QFETCH(double, lat0);
    QFETCH(double, lon0);
    const Projection p(lat0, lon0);
    const GeoPoint points[] = {{0, 0},          {69.65, 18.96}, {78.22, 15.65},   {-54.8, -68.3},   {40.71, -74.0},
                               {-33.87, 151.2}, {1.29, 103.85}, {64.84, -147.72}, {-77.85, 166.67}, {-0.5, -179.9}};
    int checked = 0;
    for (const GeoPoint& g : points) {
      if (p.cosDistance(g) < -0.94) // near the antipode the projection is not usable (and not used)
        continue;
      const auto b = p.inverse(p.forward(g));
      QVERIFY(b);
      double dlon = std::abs(b->lon - g.lon);
      dlon = std::min(dlon, 360 - dlon);
      QVERIFY2(std::abs(b->lat - g.lat) < 1e-9 && dlon < 1e-9, qPrintable(where(g) + " -> " + where(*b)));
      ++checked;
    }
    QVERIFY(checked >= 8);
  }

  void topoJsonDecoding()
  {
    // Two squares sharing one border (arc 0, from (12, 40) to (12, 41)), quantized with scale (0.5, 0.25) and
    // translate (10, 40); Alpha uses arc 0 then arc 1, Beta arc 2 reversed then arc 0 reversed; a null geometry.
    const QByteArray text = R"({"type": "Topology",
      "transform": {"scale": [0.5, 0.25], "translate": [10, 40]},
      "arcs": [[[4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4], [4, 0]], [[4, 4], [4, 0], [0, -4], [-4, 0]]],
      "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "100", "properties": {"name": "Alpha"}, "arcs": [[0, 1]]},
        {"type": "Polygon", "id": "200", "properties": {"name": "Beta"}, "arcs": [[-3, -1]]},
        {"type": null, "id": "300", "properties": {"name": "Nowhere"}}]}}})";
    QString error;
    const auto atlas = cyberex::gui::decodeTopoJson(text, QStringLiteral("countries"), &error);
    QVERIFY2(atlas, qPrintable(error));
    QCOMPARE(atlas->countries.size(), std::size_t(2));
    QCOMPARE(atlas->arcUse, (std::vector<int>{2, 1, 1}));
    const auto& alpha = atlas->countries[0];
    QCOMPARE(alpha.id, 100);
    QCOMPARE(alpha.name, QStringLiteral("Alpha"));
    QCOMPARE(alpha.polygons.size(), std::size_t(1));
    const std::vector<GeoPoint> ring = alpha.polygons[0][0];
    const double expected[][2] = {{40, 12}, {41, 12}, {41, 10}, {40, 10}, {40, 12}};
    QCOMPARE(ring.size(), std::size_t(5));
    for (std::size_t i = 0; i < 5; ++i) {
      QCOMPARE(ring[i].lat, expected[i][0]);
      QCOMPARE(ring[i].lon, expected[i][1]);
    }
    QCOMPARE(alpha.west, 10.0);
    QCOMPARE(alpha.east, 12.0);
    QCOMPARE(alpha.south, 40.0);
    QCOMPARE(alpha.north, 41.0);
    QCOMPARE(alpha.anchor.lat, 40.5); // a square's centroid
    QCOMPARE(alpha.anchor.lon, 11.0);
    const auto& beta = atlas->countries[1];
    QCOMPARE(beta.polygons[0][0].size(), std::size_t(5));
    QCOMPARE(beta.polygons[0][0][1].lon, 14.0); // arc 2 reversed: (12, 40) then (14, 40)
    QCOMPARE(beta.anchor.lon, 13.0);
    QCOMPARE(atlas->byNumeric(200), &beta);

    // An arc index out of range, and a document that is not a topology.
    QByteArray broken = text;
    broken.replace("[[-3, -1]]", "[[7]]");
    QVERIFY(!cyberex::gui::decodeTopoJson(broken, QStringLiteral("countries"), &error));
    QCOMPARE(error, QStringLiteral("geometry \"Beta\" uses arc 7 of 3"));
    QVERIFY(!cyberex::gui::decodeTopoJson(R"({"type": "FeatureCollection"})", QStringLiteral("countries"), &error));
    QCOMPARE(error, QStringLiteral("not a TopoJSON topology (\"type\" is not \"Topology\")"));
  }

  void shippedAtlas()
  {
    const auto* atlas = cyberex::gui::naturalEarth(cyberex::gui::AtlasScale::small110m);
    QVERIFY2(atlas, qPrintable(cyberex::gui::naturalEarthDir()));
    QCOMPARE(atlas->countries.size(), std::size_t(177));
    QCOMPARE(cyberex::gui::isoNumeric("US"), 840);
    QCOMPARE(cyberex::gui::isoNumeric("FI"), 246);
    QCOMPARE(cyberex::gui::isoNumeric("EU"), 0);
    const auto* us = atlas->byAlpha2("US");
    QVERIFY(us);
    QCOMPARE(us->name, QStringLiteral("United States of America"));
    QVERIFY2(USA.contains(us->anchor), qPrintable(where(us->anchor))); // the main polygon: not Alaska
    for (const char* code : {"FI", "NO", "HR", "CL", "IT", "FR", "NL", "DE", "ES", "SE"}) {
      const auto* c = atlas->byAlpha2(code);
      QVERIFY2(c, code);
      QVERIFY2(c->anchor.lat >= c->south && c->anchor.lat <= c->north && c->anchor.lon >= c->west &&
                   c->anchor.lon <= c->east,
               code);
    }
    QVERIFY(!atlas->byAlpha2("EU"));
    QVERIFY(!atlas->byAlpha2("INT"));
    const auto anchor = cyberex::gui::countryAnchor("MT"); // only in the 1:50m atlas
    QVERIFY(anchor);
    QVERIFY2(anchor->lat > 35.7 && anchor->lat < 36.1 && anchor->lon > 14.1 && anchor->lon < 14.6,
             qPrintable(where(*anchor)));
  }

  void cyberAtlanticInternet2InTheUsa()
  {
    auto loaded = cyberex::load_scenario("scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json");
    QVERIFY(loaded.ok());
    const cyberex::Scenario& s = *loaded.scenario;
    const MapLayout layout = computeMapLayout(s);
    int internet2 = 0;
    for (std::size_t i = 0; i < s.nodes.size(); ++i)
      if (s.nodes[i].imported_from == "internet2") {
        const GeoPoint g = back(layout, layout.nodes[i]);
        QVERIFY2(USA.contains(g), qPrintable(QString::fromStdString(s.nodes[i].id) + " at " + where(g)));
        ++internet2;
      }
    QCOMPARE(internet2, 20);
    QCOMPARE(layout.clusteredNodes, 20); // Internet2.graphml has no coordinates: a cluster at the USA's point
    const auto site = static_cast<std::size_t>(s.site_by_id.at("internet2"));
    QVERIFY(USA.contains(back(layout, layout.sites[site])));
    // Every site with a location is where it says, to 1e-9 degrees.
    for (std::size_t k = 0; k < s.sites.size(); ++k)
      if (s.sites[k].location) {
        const GeoPoint g = back(layout, layout.sites[k]);
        QVERIFY(std::abs(g.lat - s.sites[k].location->lat) < 1e-9 && std::abs(g.lon - s.sites[k].location->lon) < 1e-9);
      }
    // GEANT's three routers without coordinates (UA and BY off PL, MD off RO) are spurs: 80 km from the one router
    // they link to, outwards from GEANT's centre (so east of it), not on top of it.
    int geant = 0;
    for (const Group& g : unlocatedGroups(s, layout, "geant")) {
      QCOMPARE(g.members.size(), std::size_t(1));
      QCOMPARE(g.boundary.size(), std::size_t(1));
      const QPointF d = layout.nodes[static_cast<std::size_t>(g.members[0])] - g.boundary[0];
      QVERIFY2(std::abs(std::hypot(d.x(), d.y()) - 80) < 1e-6, qPrintable(QString::number(std::hypot(d.x(), d.y()))));
      QVERIFY(back(layout, layout.nodes[static_cast<std::size_t>(g.members[0])]).lon > back(layout, g.boundary[0]).lon);
      ++geant;
    }
    QCOMPARE(geant, 3);
    QCOMPARE(layout.spurNodes, 3);
    QCOMPARE(layout.interpolatedNodes, 0);
    QCOMPARE(layout.forceDirectedSites, 0);
    // Fit covers the scenario, not the world (a disc 25,484 km across): from Internet2 in Kansas to GEANT's router in
    // Israel (10,800 km on a great circle; the projection keeps it within a few per cent).
    QVERIFY2(layout.bounds.width() > 10000 && layout.bounds.width() < 11500,
             qPrintable(QString::number(layout.bounds.width())));
    for (const QPointF& p : layout.nodes)
      QVERIFY(layout.bounds.contains(p));
  }

  void routersBetweenLocatedNeighbours()
  {
    // A(50 N, 0) - X - Y - B(50 N, 10 E), and Z linked to A, B and C(56 N, 5 E): X and Y at a third and two thirds of
    // the way from A to B (in layout units: the mean of their neighbours), Z at the centroid of A, B and C.
    QTemporaryDir dir;
    const std::string graphml =
        "<?xml version='1.0' encoding='utf-8'?>\n"
        "<graphml xmlns='http://graphml.graphdrawing.org/xmlns'>\n"
        "  <key attr.name='label' attr.type='string' for='node' id='d0' />\n"
        "  <key attr.name='Latitude' attr.type='double' for='node' id='d1' />\n"
        "  <key attr.name='Longitude' attr.type='double' for='node' id='d2' />\n"
        "  <graph edgedefault='undirected'>\n"
        "    <node id='0'><data key='d0'>A</data><data key='d1'>50</data><data key='d2'>0</data></node>\n"
        "    <node id='1'><data key='d0'>X</data></node>\n"
        "    <node id='2'><data key='d0'>Y</data></node>\n"
        "    <node id='3'><data key='d0'>B</data><data key='d1'>50</data><data key='d2'>10</data></node>\n"
        "    <node id='4'><data key='d0'>C</data><data key='d1'>56</data><data key='d2'>5</data></node>\n"
        "    <node id='5'><data key='d0'>Z</data></node>\n"
        "    <edge source='0' target='1' /><edge source='1' target='2' /><edge source='2' target='3' />\n"
        "    <edge source='5' target='0' /><edge source='5' target='3' /><edge source='5' target='4' />\n"
        "  </graph>\n"
        "</graphml>\n";
    std::ofstream(dir.filePath(QStringLiteral("t.graphml")).toStdString()) << graphml;
    auto loaded = loadText(dir, QStringLiteral("between.json"),
                           R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1h"},
                               "topologies": [{"id": "t", "file": "t.graphml"}]})");
    QVERIFY(loaded.ok());
    const cyberex::Scenario& s = *loaded.scenario;
    const MapLayout layout = computeMapLayout(s);
    auto at = [&](const char* label) {
      return layout.nodes[static_cast<std::size_t>(s.node_by_id.at(std::string("t:") + label))];
    };
    const QPointF a = at("A"), b = at("B"), c = at("C");
    auto near = [](QPointF p, QPointF q) { return std::hypot(p.x() - q.x(), p.y() - q.y()) < 1e-4; };
    QVERIFY(near(at("X"), a + (b - a) / 3));
    QVERIFY(near(at("Y"), a + 2 * (b - a) / 3));
    QVERIFY(near(at("Z"), (a + b + c) / 3));
    QCOMPARE(layout.interpolatedNodes, 3);
    for (const Group& g : unlocatedGroups(s, layout, "t"))
      for (Index n : g.members)
        QVERIFY(distanceToHull(hull(g.boundary), layout.nodes[static_cast<std::size_t>(n)]) < 1e-6);
  }

  void norduRoutersNextToTheirNeighbours()
  {
    // Nordu2010: 18 routers, 7 located; the 11 others are spurs, each off one located router (GLORIAD off St
    // Petersburg off Espoo: a chain of two).
    QTemporaryDir dir;
    auto loaded = loadText(dir, QStringLiteral("nordu.json"),
                           R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1h"},
                               "topologies": [{"id": "nordu", "file": ")" CYBEREX_SOURCE_DIR
                           R"(/scenarios/topologies/Nordu2010.graphml"}]})");
    QVERIFY(loaded.ok());
    const cyberex::Scenario& s = *loaded.scenario;
    const MapLayout layout = computeMapLayout(s);
    QCOMPARE(layout.spurNodes, 11);
    QCOMPARE(layout.clusteredNodes + layout.interpolatedNodes + layout.forceDirectedSites, 0);
    for (const Group& g : unlocatedGroups(s, layout, "nordu"))
      for (Index n : g.members) {
        const QPointF p = layout.nodes[static_cast<std::size_t>(n)];
        double nearest = 1e300;
        for (const QPointF& q : g.boundary)
          nearest = std::min(nearest, std::hypot(p.x() - q.x(), p.y() - q.y()));
        // 80 km per link from the located router: 80 for a spur, 160 for GLORIAD (behind St Petersburg)
        QVERIFY2(nearest > 79.9 && nearest < 160.1, qPrintable(QString::number(nearest)));
      }
    // No router on top of another.
    std::set<std::pair<double, double>> spots;
    for (const QPointF& p : layout.nodes)
      QVERIFY(spots.insert({p.x(), p.y()}).second);
  }

  void sitesAtTheirCountry()
  {
    QTemporaryDir dir;
    auto loaded = loadText(dir, QStringLiteral("countries.json"),
                           R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1h"},
        "organisations": [{"id": "se-org", "country": "SE"}, {"id": "eu", "country": "EU"}],
        "sites": [{"id": "kotka", "country": "FI"}, {"id": "helsinki", "country": "FI"},
                  {"id": "lund", "organisation": "se-org"}, {"id": "nowhere", "organisation": "eu"}],
        "nodes": [{"id": "a", "site": "kotka", "kind": "server"}, {"id": "b", "site": "helsinki", "kind": "server"},
                  {"id": "c", "site": "lund", "kind": "server"}, {"id": "d", "site": "nowhere", "kind": "server"}]})");
    QVERIFY(loaded.ok());
    const cyberex::Scenario& s = *loaded.scenario;
    const MapLayout layout = computeMapLayout(s);
    auto site = [&](const char* id) { return layout.sites[static_cast<std::size_t>(s.site_by_id.at(id))]; };
    QVERIFY2(FINLAND.contains(back(layout, site("kotka"))), qPrintable(where(back(layout, site("kotka")))));
    QVERIFY2(FINLAND.contains(back(layout, site("helsinki"))), qPrintable(where(back(layout, site("helsinki")))));
    QVERIFY2(SWEDEN.contains(back(layout, site("lund"))), qPrintable(where(back(layout, site("lund")))));
    QVERIFY(site("kotka") != site("helsinki")); // two sites of one country are set apart
    QCOMPARE(layout.countrySites, 3);
    // "EU" is not a country: that site, with no link to anything placed, is force-directed.
    QCOMPARE(layout.forceDirectedSites, 1);
  }

  void topologyLocationOverride()
  {
    QTemporaryDir dir;
    auto loaded = loadText(dir, QStringLiteral("override.json"),
                           R"({"cyberex": 1, "exercise": {"title": "t", "duration": "1h"},
        "topologies": [{"id": "i2", "file": ")" CYBEREX_SOURCE_DIR R"(/scenarios/topologies/Internet2.graphml",
                        "country": "FI", "location": {"lat": 41.0, "lon": -100.0}}]})");
    QVERIFY(loaded.ok());
    const cyberex::Scenario& s = *loaded.scenario;
    QCOMPARE(s.topologies.at(0).country, std::string("FI"));
    QVERIFY(s.topologies.at(0).location.has_value());
    QCOMPARE(s.topologies.at(0).location->lat, 41.0);
    const MapLayout layout = computeMapLayout(s);
    // The location wins over the country: every router in the USA, none in Finland.
    QCOMPARE(layout.clusteredNodes, 20);
    for (std::size_t i = 0; i < s.nodes.size(); ++i)
      QVERIFY2(USA.contains(back(layout, layout.nodes[i])), qPrintable(where(back(layout, layout.nodes[i]))));

    // A location without its longitude: one error, at the location object (line 2), in the loader's style.
    const std::string line2 = "\"topologies\": [{\"id\": \"i2\", \"file\": \"" CYBEREX_SOURCE_DIR
                              "/scenarios/topologies/Internet2.graphml\", \"location\": {\"lat\": 41}}]}";
    auto broken = loadText(dir, QStringLiteral("broken.json"),
                           "{\"cyberex\": 1, \"exercise\": {\"title\": \"t\", \"duration\": \"1h\"},\n" + line2);
    QVERIFY(!broken.ok());
    QCOMPARE(broken.diagnostics.items().size(), std::size_t(1));
    const std::string column = std::to_string(line2.find("{\"lat\"") + 1);
    QCOMPARE(broken.diagnostics.items()[0].format(),
             dir.filePath(QStringLiteral("broken.json")).toStdString() + ":2:" + column +
                 ": error: [scenario.missing-field] (/topologies/0/location) missing field 'lon'");
  }

  void basemapPaintsLandSeaAndNames()
  {
    auto loaded = cyberex::load_scenario("scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json");
    QVERIFY(loaded.ok());
    const MapLayout layout = computeMapLayout(*loaded.scenario);
    QImage image(800, 500, QImage::Format_RGB32);
    image.fill(Qt::black);
    const QRectF view = layout.bounds.adjusted(-1500, -1000, 1500, 1000); // room for the USA's name
    const double ppu = std::min(800 / view.width(), 500 / view.height());
    {
      QPainter p(&image);
      cyberex::gui::paintBasemap(p, layout, QRectF(view.topLeft(), QSizeF(800 / ppu, 500 / ppu)), ppu);
    }
    // Paris is on land, the middle of the Atlantic sea: their pixels differ, and neither is left black.
    auto pixel = [&](GeoPoint g) {
      const QPointF at = (layout.projection.forward(g) - view.topLeft()) * ppu;
      return image.pixel(at.toPoint());
    };
    const QRgb land = pixel({48.85, 2.35}), sea = pixel({45, -35});
    QVERIFY(land != sea);
    QVERIFY(land != qRgb(0, 0, 0) && sea != qRgb(0, 0, 0));
    QVERIFY(qBlue(sea) > qRed(sea)); // a blue-grey sea
    const QStringList names = cyberex::gui::basemapLabels(layout);
    QVERIFY2(names.contains(QStringLiteral("United States of America")), qPrintable(names.join(", ")));
    QVERIFY2(!names.contains(QStringLiteral("Luxembourg")), qPrintable(names.join(", "))); // too small at this zoom
    // A schematic layout (no coordinates, no country) has no basemap: the painter's device is left alone.
    MapLayout schematic = layout;
    schematic.geographicSites = schematic.countrySites = 0;
    image.fill(Qt::black);
    {
      QPainter p(&image);
      cyberex::gui::paintBasemap(p, schematic, view, ppu);
    }
    QCOMPARE(image.pixel(10, 10), qRgb(0, 0, 0));
  }
};

QTEST_MAIN(GeoTest)
#include "geo_test.moc"
