/* The map folds protocol records into node states and colours exactly; team views hide ground truth; search,
 * selection, zoom and pan. */
#include "map/map_view.hpp"

#include "cyberex/scenario.hpp"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

#include <optional>

using cyberex::gui::MapView;
using cyberex::gui::NodeState;

namespace {

QJsonObject rec(const char* type, const char* subject, QJsonObject details = {}, double time = 0)
{
  return QJsonObject{{"seq", 1},
                     {"time", time},
                     {"kind", "event"},
                     {"type", QString::fromLatin1(type)},
                     {"subject", QString::fromLatin1(subject)},
                     {"details", details}};
}

NodeState state(bool compromised, bool isolated, bool down, bool degraded, bool alerted = false)
{
  NodeState s;
  s.compromised = compromised;
  s.isolated = isolated;
  s.down = down;
  s.degraded = degraded;
  s.alerted = alerted;
  return s;
}

const QColor OK(0x7f, 0xa8, 0x8a), DEGRADED(0xf0, 0xa0, 0x30), COMPROMISED(0xe5, 0x39, 0x35),
    ISOLATED(0x1e, 0x63, 0xd6), DOWN(0x30, 0x30, 0x30);

} // namespace

class MapRecordsTest : public QObject {
  Q_OBJECT
  std::optional<cyberex::Scenario> m_scenario;

private slots:
  void initTestCase()
  {
    auto loaded = cyberex::load_scenario("scenarios/tutorial/tutorial.json");
    QVERIFY(loaded.ok());
    m_scenario = std::move(loaded.scenario);
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
    MapView view;
    view.setScenario(*m_scenario);
    QCOMPARE(view.nodeCount(), 35); // 22 nodes written (gov-ws counts 3) and 11 Abilene routers
    QCOMPARE(view.nodeColor("gov-ws-1"), OK);

    QVERIFY(view.applyRecord(rec("node_compromised", "node:gov-ws-1", {{"campaign", "apt"}})));
    QVERIFY(!view.applyRecord(rec("node_compromised", "node:gov-ws-1", {{"campaign", "apt"}})));
    QCOMPARE(view.nodeState("gov-ws-1"), state(true, false, false, false));
    QCOMPARE(view.nodeColor("gov-ws-1"), COMPROMISED);
    QCOMPARE(view.nodeState("gov-ws-2"), state(false, false, false, false));

    QVERIFY(view.applyRecord(rec("node_isolated", "node:gov-ws-1", {{"team", "cert-gov"}})));
    QCOMPARE(view.nodeState("gov-ws-1"), state(true, true, false, false));
    QCOMPARE(view.nodeColor("gov-ws-1"), ISOLATED);

    // A second campaign keeps the node compromised when the first loses its foothold.
    QVERIFY(!view.applyRecord(rec("node_compromised", "node:gov-ws-1", {{"campaign", "other"}})));
    QVERIFY(!view.applyRecord(rec("foothold_lost", "node:gov-ws-1", {{"campaign", "apt"}})));
    QCOMPARE(view.nodeState("gov-ws-1").compromised, true);
    QVERIFY(view.applyRecord(rec("foothold_lost", "node:gov-ws-1", {{"campaign", "other"}})));
    QCOMPARE(view.nodeState("gov-ws-1"), state(false, true, false, false));
    QVERIFY(view.applyRecord(rec("node_reconnected", "node:gov-ws-1", {{"team", "cert-gov"}})));
    QCOMPARE(view.nodeColor("gov-ws-1"), OK);

    QVERIFY(view.applyRecord(rec("node_compromised", "node:gov-fs", {{"campaign", "apt"}})));
    QVERIFY(view.applyRecord(rec("node_offline", "node:gov-fs", {{"team", "cert-gov"}, {"until", 5000}})));
    QCOMPARE(view.nodeState("gov-fs"), state(true, false, true, false));
    QCOMPARE(view.nodeColor("gov-fs"), DOWN);
    QVERIFY(view.applyRecord(rec("node_restored", "node:gov-fs")));
    QCOMPARE(view.nodeState("gov-fs"), state(false, false, false, false));

    // Services degrade the node that runs them; the worst of its services counts.
    QVERIFY(view.applyRecord(rec("service_status", "service:gov-website", {{"status", "degraded"}})));
    QCOMPARE(view.nodeState("gov-web"), state(false, false, false, true));
    QCOMPARE(view.nodeColor("gov-web"), DEGRADED);
    QVERIFY(!view.applyRecord(rec("service_status", "service:gov-website", {{"status", "down"}})));
    QVERIFY(view.applyRecord(rec("service_status", "service:gov-website", {{"status", "up"}})));
    QCOMPARE(view.nodeColor("gov-web"), OK);

    QVERIFY(view.applyRecord(rec("node_status", "node:sub-city", {{"status", "failed"}, {"reason", "dependency"}})));
    QCOMPARE(view.nodeColor("sub-city"), DOWN);
    QVERIFY(view.applyRecord(rec("node_status", "node:sub-city", {{"status", "ok"}, {"reason", "dependency"}})));
    QCOMPARE(view.nodeColor("sub-city"), OK);
    // An isolated node fails by design: it stays "isolated", not "down".
    QVERIFY(!view.applyRecord(rec("node_status", "node:ut-ws", {{"status", "failed"}, {"reason", "isolated"}})));
    QCOMPARE(view.nodeColor("ut-ws"), OK);

    QVERIFY(view.applyRecord(rec("unit_output", "node:gen-1", {{"mw", 100}, {"capacity", 200}, {"mode", "derated"}})));
    QCOMPARE(view.nodeColor("gen-1"), DEGRADED);
    QVERIFY(view.applyRecord(rec("unit_output", "node:gen-1", {{"mw", 200}, {"capacity", 200}, {"mode", "running"}})));
    QCOMPARE(view.nodeColor("gen-1"), OK);

    QVERIFY(!view.applyRecord(rec("campaign_started", "campaign:apt", {{"name", "x"}})));
    QVERIFY(!view.applyRecord(rec("node_compromised", "node:no-such-node", {{"campaign", "apt"}})));
    QVERIFY(!view.applyRecord(QByteArray("{not json")));
    QVERIFY(view.applyRecord(
        QByteArray(R"({"seq":3,"time":5,"kind":"event","type":"node_down","subject":"node:plc-1","details":{}})")));
    QCOMPARE(view.nodeColor("plc-1"), DOWN);

    view.resetStates();
    QCOMPARE(view.nodeState("plc-1"), state(false, false, false, false));
  }

  void teamViewShowsAssetsAndAlertsOnly()
  {
    MapView view;
    view.setScenario(*m_scenario);
    view.applyRecord(rec("node_compromised", "node:gov-fs", {{"campaign", "apt"}}));
    view.applyRecord(rec("node_isolated", "node:ut-ws", {{"team", "cert-energy"}}));
    view.applyRecord(
        rec("alert", "team:cert-gov", {{"sensor", "s"}, {"node", "gov-fs"}, {"indicators", QJsonArray()}}));
    view.applyRecord(rec("alert", "team:cert-energy", {{"sensor", "s"}, {"node", "gov-dc"}}));

    view.setTeamView("cert-gov");
    QCOMPARE(view.teamView(), QString("cert-gov"));
    QVERIFY(view.isNodeShown("gov-fs"));
    QVERIFY(!view.isNodeShown("ut-ws"));
    QCOMPARE(view.nodeState("gov-fs"), state(false, false, false, false, true)); // no ground truth, its alert
    QCOMPARE(view.nodeColor("gov-fs"), OK);
    QCOMPARE(view.nodeState("gov-dc"), state(false, false, false, false, false)); // the other team's alert
    QCOMPARE(view.nodeState("ut-ws"), NodeState{});                               // not its asset

    view.setTeamView("cert-energy");
    QCOMPARE(view.nodeState("ut-ws"), state(false, true, false, false));
    QVERIFY(!view.isNodeShown("gov-fs"));

    view.setTeamView({});
    QCOMPARE(view.nodeState("gov-fs"), state(true, false, false, false));
    QCOMPARE(view.nodeColor("gov-fs"), COMPROMISED);
  }

  void searchCentresAndSelects()
  {
    MapView view;
    view.resize(800, 600);
    view.setScenario(*m_scenario);
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
    MapView view;
    view.resize(800, 600);
    view.setScenario(*m_scenario);
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
