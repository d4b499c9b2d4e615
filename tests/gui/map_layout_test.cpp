/* The map's layout: geographic where the scenario has coordinates or countries, force-directed (Boost.Graph)
 * otherwise, deterministic. */
#include "map/map_layout.hpp"

#include "cyberex/generate.hpp"
#include "cyberex/scenario.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using cyberex::gui::computeMapLayout;
using cyberex::gui::MapLayout;

namespace {

bool sameLayout(const MapLayout& a, const MapLayout& b)
{
  return a.nodes == b.nodes && a.sites == b.sites && a.siteRadius == b.siteRadius && a.bounds == b.bounds;
}

} // namespace

class MapLayoutTest : public QObject {
  Q_OBJECT

private slots:
  void tutorialGeographicAndForceDirected()
  {
    auto loaded = cyberex::load_scenario("scenarios/tutorial/tutorial.json");
    QVERIFY(loaded.ok());
    const cyberex::Scenario& s = *loaded.scenario;
    const MapLayout a = computeMapLayout(s);
    QCOMPARE(a.nodes.size(), s.nodes.size());
    QCOMPARE(a.geographicSites, 2); // agency (50.85 N, 4.35 E) and backbone (its 11 Abilene routers' centroid)
    // The four other sites have no coordinates but their organisations are in Belgium ("country": "BE"): placed
    // there (docs/gui.md, "The map's geography"); nothing is left to the force-directed layout.
    QCOMPARE(a.countrySites, 4);
    QCOMPARE(a.forceDirectedSites, 0);

    // The layout's projection takes the agency back to its coordinates.
    const auto agency = static_cast<std::size_t>(s.site_by_id.at("agency"));
    const auto where = a.projection.inverse(a.sites[agency]);
    QVERIFY(where);
    QVERIFY(std::abs(where->lat - 50.85) < 1e-9 && std::abs(where->lon - 4.35) < 1e-9);
    // The agency's first node (gov-fw) on the sunflower spiral: radius 1, golden angle.
    const QPointF fw = a.nodes[static_cast<std::size_t>(s.node_by_id.at("gov-fw"))] - a.sites[agency];
    QVERIFY(std::abs(fw.x() - std::cos(2.399963229728653)) < 1e-9);
    QVERIFY(std::abs(fw.y() - std::sin(2.399963229728653)) < 1e-9);
    // 9 nodes around the agency (gov-ws counts 3): radius sqrt(10) + 1.
    QCOMPARE(a.siteRadius[agency], std::sqrt(10.0) + 1.0);
    // The sites placed by country are in Belgium (49.5 to 51.5 N, 2.5 to 6.4 E), apart from one another.
    for (const char* id : {"internet", "utility-it", "utility-ot", "water"}) {
      const auto g = a.projection.inverse(a.sites[static_cast<std::size_t>(s.site_by_id.at(id))]);
      QVERIFY2(g && g->lat > 49.5 && g->lat < 51.5 && g->lon > 2.5 && g->lon < 6.4, id);
    }
    for (const QPointF& p : a.nodes)
      QVERIFY(a.bounds.contains(p));

    QVERIFY(sameLayout(a, computeMapLayout(s)));
  }

  void generatedScenarioIsDeterministic()
  {
    QTemporaryDir dir;
    const std::string path = dir.filePath("generated.json").toStdString();
    {
      std::ofstream out(path);
      cyberex::GenerateOptions options;
      options.nodes = 3000;
      options.sites = 40;
      cyberex::generate_scenario(options, out);
    }
    auto loaded = cyberex::load_scenario(path);
    QVERIFY(loaded.ok());
    const MapLayout a = computeMapLayout(*loaded.scenario);
    const MapLayout b = computeMapLayout(*loaded.scenario);
    QVERIFY(sameLayout(a, b));
    QCOMPARE(a.geographicSites + a.forceDirectedSites, static_cast<int>(loaded.scenario->sites.size()));
    // No two sites on the same spot.
    for (std::size_t i = 0; i < a.sites.size(); ++i)
      for (std::size_t j = i + 1; j < a.sites.size(); ++j)
        QVERIFY(a.sites[i] != a.sites[j]);
  }
};

QTEST_MAIN(MapLayoutTest)
#include "map_layout_test.moc"
