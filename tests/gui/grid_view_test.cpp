/* The grid view draws the tutorial's grid-north from the records an ExerciseStateModel folds: branch colours and
 * styles by loading and status (figures from docs/engine.md, "Networked grids"), islands, de-energised buses hollow,
 * no flows in a player team's view. */
#include "grid/grid_view.hpp"
#include "record_support.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/scenario.hpp"

#include <QAbstractGraphicsShapeItem>
#include <QBrush>
#include <QGraphicsLineItem>
#include <QPen>
#include <QtTest>

#include <memory>

using cyberex::gui::ExerciseStateModel;
using cyberex::gui::GridView;

namespace {

using cyberex::gui::test::rec;

QPen penOf(const GridView& view, const char* branch)
{
  const auto* line = dynamic_cast<const QGraphicsLineItem*>(view.branchItem(QString::fromLatin1(branch)));
  return line ? line->pen() : QPen(Qt::NoPen);
}

const QColor BLUE(0x00, 0x72, 0xB2), ORANGE(0xE6, 0x9F, 0x00), MAGENTA(0xCC, 0x00, 0x77), GREY(0x9E, 0x9E, 0x9E);

} // namespace

class GridViewTest : public QObject {
  Q_OBJECT
  std::shared_ptr<const cyberex::Scenario> m_scenario;

private slots:
  void initTestCase()
  {
    auto loaded = cyberex::load_scenario("scenarios/tutorial/tutorial.json");
    QVERIFY(loaded.ok());
    m_scenario = std::make_shared<const cyberex::Scenario>(std::move(*loaded.scenario));
  }

  void legendColours()
  {
    QCOMPARE(GridView::loadingColor(0), BLUE);
    QCOMPARE(GridView::loadingColor(69.9), BLUE);
    QCOMPARE(GridView::loadingColor(70), ORANGE);
    QCOMPARE(GridView::loadingColor(100), ORANGE);
    QCOMPARE(GridView::loadingColor(100.1), MAGENTA);
    QCOMPARE(GridView::openColor(), GREY);
    QVERIFY(GridView::islandColor(0) != GridView::islandColor(1));
  }

  void tripAndIsland()
  {
    ExerciseStateModel model;
    GridView view;
    view.resize(1000, 700);
    view.setModel(&model);
    QCOMPARE(view.grids(), QStringList());
    QVERIFY(view.branchItem("t1") == nullptr);
    model.setScenario(m_scenario);
    QCOMPARE(view.grids(), QStringList{"grid-north"});
    QCOMPARE(view.grid(), QString("grid-north"));
    view.show();
    view.refresh();

    // the base case: t1 180 MW of 250 (72 %), north-south 120 of 150 (80 %), the city circuits 90 of 100 (90 %):
    // orange; t2 120 of 200 (60 %), north-east 60 of 150 (40 %): blue; all solid, 3 px
    QCOMPARE(view.islandCount(), 1);
    for (const char* b : {"t1", "north-south", "city-1", "city-2", "east-rural"}) {
      QCOMPARE(penOf(view, b).color(), ORANGE);
      QCOMPARE(penOf(view, b).style(), Qt::SolidLine);
      QCOMPARE(penOf(view, b).widthF(), 3.0);
    }
    QCOMPARE(penOf(view, "t2").color(), BLUE);
    QCOMPARE(penOf(view, "north-east").color(), BLUE);
    QVERIFY(view.branchItem("t1")->toolTip().contains("flow 180 MW plant-1 → north"));
    QVERIFY(view.branchItem("t1")->toolTip().contains("loading 72.0 %"));

    // a breaker opens city-1: city-2 carries the city's 180 MW, 180 % of its rating: magenta and thick; city-1 dashed
    QVERIFY(model.applyRecord(rec("breaker_opened", "branch:grid-north/city-1",
                                  {{"grid", "grid-north"}, {"campaign", "x"}, {"by", "plc-1"}})));
    view.refresh();
    QCOMPARE(penOf(view, "city-2").color(), MAGENTA);
    QCOMPARE(penOf(view, "city-2").widthF(), 6.0);
    QCOMPARE(penOf(view, "city-1").color(), GREY);
    QCOMPARE(penOf(view, "city-1").style(), Qt::DashLine);
    QVERIFY(view.branchItem("city-2")->toolTip().contains("loading 180.0 %"));
    QCOMPARE(view.islandCount(), 1);

    // its protection trips city-2: the city is an island without generation, sub-city shed; the units back down to
    // the rural 120 MW (72 + 48), so t1 carries 72 MW of 250 (28.8 %): blue
    QVERIFY(model.applyRecord(rec("branch_tripped", "branch:grid-north/city-2", {{"grid", "grid-north"}})));
    QVERIFY(model.applyRecord(
        rec("load_shed", "load:grid-north/sub-city", {{"grid", "grid-north"}, {"bus", "city"}, {"mw", 180}})));
    QVERIFY(model.applyRecord(rec("unit_output", "node:gen-1", {{"mw", 72}, {"capacity", 200}, {"mode", "running"}})));
    QVERIFY(model.applyRecord(rec("unit_output", "node:gen-2", {{"mw", 48}, {"capacity", 150}, {"mode", "running"}})));
    QTRY_COMPARE(view.islandCount(), 2); // the coalesced redraw after the state changes
    QCOMPARE(penOf(view, "city-2").color(), GREY);
    QCOMPARE(penOf(view, "city-2").style(), Qt::DashLine);
    QCOMPARE(penOf(view, "t1").color(), BLUE);
    QVERIFY(view.branchItem("t1")->toolTip().contains("flow 72 MW plant-1 → north"));
    const auto* city = dynamic_cast<const QAbstractGraphicsShapeItem*>(view.busItem("city"));
    const auto* south = dynamic_cast<const QAbstractGraphicsShapeItem*>(view.busItem("south"));
    QVERIFY(city && south);
    QCOMPARE(city->brush().style(), Qt::NoBrush); // de-energised: hollow
    QCOMPARE(south->brush().color(), GridView::islandColor(0));
    QCOMPARE(city->pen().color(), GridView::islandColor(1));
    QVERIFY(city->toolTip().contains("island 2 (de-energised)"));
    QVERIFY(city->toolTip().contains("shed 180 MW"));
    const QString legend = view.legendText();
    QVERIFY2(legend.contains("2 island(s), 180 MW shed, 0 branch(es) above rating, 2 open or tripped"),
             qPrintable(legend));
    QVERIFY2(legend.contains("island 2 (1 buses, 0.0 MW generated, 0.0 MW served, de-energised)"), qPrintable(legend));

    // a player team's view: no flows
    view.setTeamView("cert-energy");
    QVERIFY(view.branchItem("t1") == nullptr);
    QCOMPARE(view.islandCount(), 0);
    view.setTeamView({});
    QVERIFY(view.branchItem("t1") != nullptr);
  }
};

QTEST_MAIN(GridViewTest)
#include "grid_view_test.moc"
