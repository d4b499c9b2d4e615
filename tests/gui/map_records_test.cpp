/* The map draws the states an ExerciseStateModel folds from protocol records, in exact colours; team views hide
 * ground truth; search, selection, zoom and pan. */
#include "map/map_view.hpp"
#include "record_support.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/scenario.hpp"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using cyberex::gui::ExerciseStateModel;
using cyberex::gui::MapView;
using cyberex::gui::NodeCondition;

namespace {

using cyberex::gui::test::rec;

NodeCondition state(bool compromised, bool isolated, bool down, bool degraded, bool alerted = false)
{
  NodeCondition s;
  s.compromised = compromised;
  s.isolated = isolated;
  s.down = down;
  s.degraded = degraded;
  s.alerted = alerted;
  return s;
}

const QColor OK(0xbf, 0xcc, 0xd9), DEGRADED(0xe6, 0x9f, 0x00), COMPROMISED(0xd5, 0x5e, 0x00),
    ISOLATED(0x56, 0xb4, 0xe9), DOWN(0x00, 0x00, 0x00); // Okabe-Ito (docs/gui.md, "Map")

} // namespace

class MapRecordsTest : public QObject {
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
    QCOMPARE(MapView::colorFor(state(false, false, false, false)), OK);
    QCOMPARE(MapView::colorFor(state(false, false, false, true)), DEGRADED);
    QCOMPARE(MapView::colorFor(state(true, false, false, true)), COMPROMISED);
    QCOMPARE(MapView::colorFor(state(true, true, false, true)), ISOLATED);
    QCOMPARE(MapView::colorFor(state(true, true, true, true)), DOWN);
  }

  void recordsToStates()
  {
    ExerciseStateModel model;
    MapView view;
    QCOMPARE(view.nodeCount(), 0);
    view.setModel(&model);
    QCOMPARE(view.nodeCount(), 0); // no scenario yet
    model.setScenario(m_scenario);
    QCOMPARE(view.nodeCount(), 35); // 22 nodes written (gov-ws counts 3) and 11 Abilene routers
    QCOMPARE(view.nodeColor("gov-ws-1"), OK);
    QSignalSpy changed(&model, &ExerciseStateModel::stateChanged);

    QVERIFY(model.applyRecord(rec("node_compromised", "node:gov-ws-1", {{"campaign", "apt-docs"}})));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(view.nodeState("gov-ws-1"), state(true, false, false, false));
    QCOMPARE(view.nodeColor("gov-ws-1"), COMPROMISED);
    QCOMPARE(view.nodeState("gov-ws-2"), state(false, false, false, false));

    QVERIFY(model.applyRecord(rec("node_isolated", "node:gov-ws-1", {{"team", "cert-gov"}})));
    QCOMPARE(view.nodeState("gov-ws-1"), state(true, true, false, false));
    QCOMPARE(view.nodeColor("gov-ws-1"), ISOLATED);

    // A second campaign keeps the node compromised when the first loses its foothold.
    model.applyRecord(rec("node_compromised", "node:gov-ws-1", {{"campaign", "grid-attack"}}));
    model.applyRecord(rec("foothold_lost", "node:gov-ws-1", {{"campaign", "apt-docs"}}));
    QCOMPARE(view.nodeState("gov-ws-1").compromised, true);
    model.applyRecord(rec("foothold_lost", "node:gov-ws-1", {{"campaign", "grid-attack"}}));
    QCOMPARE(view.nodeState("gov-ws-1"), state(false, true, false, false));
    model.applyRecord(rec("node_reconnected", "node:gov-ws-1", {{"team", "cert-gov"}}));
    QCOMPARE(view.nodeColor("gov-ws-1"), OK);

    // A restore from backup: the foothold goes when it starts, the node is down until it ends.
    model.applyRecord(rec("node_compromised", "node:gov-fs", {{"campaign", "apt-docs"}}));
    model.applyRecord(rec("foothold_lost", "node:gov-fs", {{"campaign", "apt-docs"}, {"reason", "restored"}}));
    model.applyRecord(rec("node_offline", "node:gov-fs", {{"team", "cert-gov"}, {"until", 5000}}));
    QCOMPARE(view.nodeState("gov-fs"), state(false, false, true, false));
    QCOMPARE(view.nodeColor("gov-fs"), DOWN);
    model.applyRecord(rec("node_restored", "node:gov-fs"));
    QCOMPARE(view.nodeState("gov-fs"), state(false, false, false, false));

    // Services degrade the node that runs them, whether degraded or down.
    model.applyRecord(rec("service_status", "service:gov-website", {{"status", "degraded"}}));
    QCOMPARE(view.nodeState("gov-web"), state(false, false, false, true));
    QCOMPARE(view.nodeColor("gov-web"), DEGRADED);
    model.applyRecord(rec("service_status", "service:gov-website", {{"status", "down"}}));
    QCOMPARE(view.nodeColor("gov-web"), DEGRADED);
    model.applyRecord(rec("service_status", "service:gov-website", {{"status", "up"}}));
    QCOMPARE(view.nodeColor("gov-web"), OK);

    model.applyRecord(rec("node_status", "node:sub-city", {{"status", "failed"}, {"reason", "dependency"}}));
    QCOMPARE(view.nodeColor("sub-city"), DOWN);
    model.applyRecord(rec("node_status", "node:sub-city", {{"status", "ok"}, {"reason", ""}}));
    QCOMPARE(view.nodeColor("sub-city"), OK);
    // An isolated node fails by design: it stays "isolated", not "down".
    model.applyRecord(rec("node_status", "node:ut-ws", {{"status", "failed"}, {"reason", "isolated"}}));
    QCOMPARE(view.nodeColor("ut-ws"), OK);

    model.applyRecord(rec("unit_output", "node:gen-1", {{"mw", 100}, {"capacity", 200}, {"mode", "derated"}}));
    QCOMPARE(view.nodeColor("gen-1"), DEGRADED);
    model.applyRecord(rec("unit_output", "node:gen-1", {{"mw", 200}, {"capacity", 200}, {"mode", "running"}}));
    QCOMPARE(view.nodeColor("gen-1"), OK);
    model.applyRecord(rec("node_defaced", "node:gov-web", {{"campaign", "apt-docs"}}));
    QCOMPARE(view.nodeColor("gov-web"), DEGRADED);

    // Records of other types change no node; records the vocabulary does not know are refused.
    QVERIFY(model.applyRecord(rec("campaign_started", "campaign:apt-docs", {{"name", "x"}})));
    QVERIFY(model.applyRecord(rec("node_compromised", "node:no-such-node", {{"campaign", "apt-docs"}})));
    QCOMPARE(model.compromisedNodes(), QStringList());
    QVERIFY(!model.applyRecord(rec("node_hacked", "node:gov-fs")));
    QVERIFY(!model.applyRecord(QByteArray("{not json")));
    QVERIFY(model.applyRecord(
        QByteArray(R"({"seq":300,"time":500,"kind":"event","type":"node_down","subject":"node:plc-1","details":{}})")));
    QCOMPARE(view.nodeColor("plc-1"), DOWN);

    model.clear();
    QCOMPARE(view.nodeState("plc-1"), state(false, false, false, false));
    QCOMPARE(view.nodeCount(), 35);
  }

  void teamViewShowsAssetsAndAlertsOnly()
  {
    ExerciseStateModel model;
    model.setScenario(m_scenario);
    MapView view;
    view.setModel(&model);
    model.applyRecord(rec("node_compromised", "node:gov-fs", {{"campaign", "apt-docs"}}));
    model.applyRecord(rec("node_isolated", "node:ut-ws", {{"team", "cert-energy"}}));
    model.applyRecord(
        rec("alert", "team:cert-gov", {{"sensor", "s"}, {"node", "gov-fs"}, {"indicators", QJsonArray()}}));
    model.applyRecord(rec("alert", "team:cert-energy", {{"sensor", "s"}, {"node", "gov-dc"}}));

    view.setTeamView("cert-gov");
    QCOMPARE(view.teamView(), QString("cert-gov"));
    QVERIFY(view.isNodeShown("gov-fs"));
    QVERIFY(!view.isNodeShown("ut-ws"));
    QCOMPARE(view.nodeState("gov-fs"), state(false, false, false, false, true)); // no ground truth, its alert
    QCOMPARE(view.nodeColor("gov-fs"), OK);
    QCOMPARE(view.nodeState("gov-dc"), state(false, false, false, false, false)); // the other team's alert
    QCOMPARE(view.nodeState("ut-ws"), NodeCondition{});                           // not its asset

    view.setTeamView("cert-energy");
    QCOMPARE(view.nodeState("ut-ws"), state(false, true, false, false));
    QVERIFY(!view.isNodeShown("gov-fs"));
    // an alert that arrives while the view is shown
    model.applyRecord(rec("alert", "team:cert-energy", {{"sensor", "s"}, {"node", "ut-ws"}}));
    QCOMPARE(view.nodeState("ut-ws"), state(false, true, false, false, true));

    view.setTeamView({});
    QCOMPARE(view.nodeState("gov-fs"), state(true, false, false, false));
    QCOMPARE(view.nodeColor("gov-fs"), COMPROMISED);
  }

  void searchCentresAndSelects()
  {
    ExerciseStateModel model;
    model.setScenario(m_scenario);
    MapView view;
    view.resize(800, 600);
    view.setModel(&model);
    QSignalSpy selected(&view, &MapView::nodeSelected);
    QCOMPARE(view.search("gov-f"), QString("gov-fw")); // prefix: first in node order
    QCOMPARE(view.viewCenter(), view.nodePosition("gov-fw"));
    QCOMPARE(view.search("GOV-FS"), QString("gov-fs")); // case-insensitive
    QCOMPARE(view.selectedNode(), QString("gov-fs"));
    QCOMPARE(view.search("ws-3"), QString("gov-ws-3")); // substring
    QCOMPARE(view.search("no such thing"), QString());
    QCOMPARE(selected.count(), 3);
    QCOMPARE(selected.at(1).at(0).toString(), QString("gov-fs"));

    view.setTeamView("cert-energy"); // the selection is not an asset of that team: cleared
    QCOMPARE(view.selectedNode(), QString());
    QCOMPARE(view.search("gov-fs"), QString());
  }

  void clickSelectsDragPansWheelZooms()
  {
    ExerciseStateModel model;
    model.setScenario(m_scenario);
    MapView view;
    view.resize(800, 600);
    view.setModel(&model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setZoom(40);
    view.centerOn(view.nodePosition("gov-dc"));
    QSignalSpy selected(&view, &MapView::nodeSelected);
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(400, 300));
    QCOMPARE(view.selectedNode(), QString("gov-dc"));
    QCOMPARE(selected.count(), 1);

    const QPointF before = view.viewCenter();
    QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(400, 300));
    QMouseEvent move(QEvent::MouseMove, QPointF(480, 300), view.mapToGlobal(QPointF(480, 300)), Qt::NoButton,
                     Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&view, &move);
    QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(480, 300));
    QCOMPARE(view.viewCenter(), before - QPointF(80.0 / 40, 0));
    QCOMPARE(view.selectedNode(), QString("gov-dc")); // a drag is not a click

    QWheelEvent wheel(QPointF(400, 300), view.mapToGlobal(QPointF(400, 300)), {}, QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &wheel);
    QCOMPARE(view.zoom(), 40 * std::pow(1.0015, 120));
    view.grab(); // paints without crashing at this zoom
    QVERIFY(view.lastPaintMs() > 0);
  }
};

QTEST_MAIN(MapRecordsTest)
#include "map_records_test.moc"
