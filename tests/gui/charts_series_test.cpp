/* The dashboard's series after given records hold exact, hand-checked points. */
#include "charts/dashboard.hpp"

#include <QJsonArray>
#include <QtTest>

using cyberex::gui::Dashboard;
using cyberex::gui::Kpi;
using cyberex::gui::KpiSeries;
using Points = QList<QPointF>;

namespace {

QJsonObject rec(double time, const char* type, const char* subject, QJsonObject details = {})
{
  return QJsonObject{{"seq", 1},
                     {"time", time},
                     {"kind", QString::fromLatin1(QByteArray(type) == "leaderboard" ? "exercise" : "event")},
                     {"type", QString::fromLatin1(type)},
                     {"subject", QString::fromLatin1(subject)},
                     {"details", details}};
}

QJsonObject board(double time, QList<QPair<const char*, double>> totals)
{
  QJsonArray teams;
  for (const auto& [team, total] : totals)
    teams.append(QJsonObject{{"team", QString::fromLatin1(team)}, {"total", total}});
  return rec(time, "leaderboard", "exercise", {{"teams", teams}, {"reason", "hour"}});
}

QList<QJsonObject> script()
{
  return {
      rec(100, "node_compromised", "node:n1", {{"campaign", "c1"}}),
      rec(200, "node_compromised", "node:n2", {{"campaign", "c1"}}),
      rec(300, "node_compromised", "node:n1", {{"campaign", "c2"}}), // same node: still 2
      rec(400, "foothold_lost", "node:n1", {{"campaign", "c1"}}),    // c2 remains on n1: still 2
      rec(500, "node_restored", "node:n2"),
      rec(600, "service_status", "service:a", {{"status", "down"}}),
      rec(600, "service_status", "service:b", {{"status", "degraded"}}), // same time: replaces the point
      rec(700, "service_status", "service:zz", {{"status", "down"}}),    // not a scenario service
      rec(60, "exfiltration_progress", "node:n1", {{"campaign", "A"}, {"bytes", 2000000}, {"campaign_total", 2000000}}),
      rec(120, "exfiltration_ended", "node:n3",
          {{"campaign", "B"}, {"bytes", 500000}, {"complete", false}, {"campaign_total", 500000}}),
      rec(180, "exfiltration_progress", "node:n1",
          {{"campaign", "A"}, {"bytes", 1000000}, {"campaign_total", 3000000}}),
      rec(900, "grid_balance", "grid:g1", {{"available", 500}, {"demand", 520}, {"lost_mw", 120}}),
      rec(900, "grid_balance", "grid:g2", {{"available", 90}, {"demand", 100}, {"lost_mw", 30}}),
      rec(1200, "service_status", "service:a", {{"status", "up"}}),
      rec(1800, "grid_balance", "grid:g1", {{"available", 520}, {"demand", 520}, {"lost_mw", 0}}),
      board(3600, {{"cert-x", 50}, {"cert-y", 70.5}}),
      board(7200, {{"cert-x", 60}, {"cert-y", 70.5}}),
  };
}

} // namespace

class ChartsSeriesTest : public QObject {
  Q_OBJECT

private slots:
  void seriesHoldExactPoints()
  {
    KpiSeries s;
    s.setServices({"d", "c", "b", "a"});
    QCOMPARE(s.points(Kpi::availability), Points{QPointF(0, 100)});
    bool changedAny = false;
    for (const QJsonObject& r : script())
      changedAny = s.apply(r) || changedAny;
    QVERIFY(changedAny);
    QCOMPARE(s.points(Kpi::compromised), (Points{{0, 0}, {100, 0}, {100, 1}, {200, 1}, {200, 2}, {500, 2}, {500, 1}}));
    // 4 services: a down and b degraded at 600 = (0 + 0.5 + 1 + 1) / 4; a up again at 1200 = 3.5 / 4.
    QCOMPARE(s.points(Kpi::availability), (Points{{0, 100}, {600, 100}, {600, 62.5}, {1200, 62.5}, {1200, 87.5}}));
    QCOMPARE(s.points(Kpi::exfiltrated),
             (Points{{0, 0}, {60, 0}, {60, 2}, {120, 2}, {120, 2.5}, {180, 2.5}, {180, 3.5}}));
    QCOMPARE(s.points(Kpi::mwLost), (Points{{0, 0}, {900, 0}, {900, 150}, {1800, 150}, {1800, 30}}));
    QCOMPARE(s.teams(), (QStringList{"cert-x", "cert-y"}));
    QCOMPARE(s.teamPoints("cert-x"), (Points{{3600, 50}, {7200, 60}}));
    QCOMPARE(s.teamPoints("cert-y"), (Points{{3600, 70.5}, {7200, 70.5}}));
    QCOMPARE(s.value(Kpi::availability), 87.5);
    QCOMPARE(s.lastTime(), 7200.0);

    QVERIFY(!s.apply(rec(7300, "service_status", "service:zz", {{"status", "up"}})));
    QVERIFY(!s.apply(rec(7300, "campaign_started", "campaign:c1", {{"name", "x"}})));
    s.clear();
    QCOMPARE(s.points(Kpi::mwLost), Points{QPointF(0, 0)});
    QCOMPARE(s.teams(), QStringList());
  }

  void dashboardWholeSeriesLiveAndCursor()
  {
    Dashboard whole;
    whole.resize(1000, 600);
    whole.setRecords(script());
    // Without scenario services, availability counts the services seen: a down (0), then b degraded at the same
    // time ((0 + 0.5) / 2 replaces it), zz down ((0 + 0.5 + 0) / 3), a up ((1 + 0.5 + 0) / 3).
    QCOMPARE(whole.series().points(Kpi::availability),
             (Points{{0, 100}, {600, 100}, {600, 25}, {700, 25}, {700, 50.0 / 3}, {1200, 50.0 / 3}, {1200, 50}}));
    // The drawn series extends the last step to the end of the x range (the last record's time by default).
    QCOMPARE(whole.drawnPoints(Kpi::mwLost),
             (Points{{0, 0}, {900, 0}, {900, 150}, {1800, 150}, {1800, 30}, {7200, 30}}));
    whole.setTimeRange(10800);
    QCOMPARE(whole.drawnPoints(Kpi::mwLost).back(), QPointF(10800, 30));
    whole.setCursorTime(1000);
    QCOMPARE(whole.cursorTime(), 1000.0);

    Dashboard live;
    for (const QJsonObject& r : script())
      live.applyRecord(r);
    live.flush();
    for (Kpi k : {Kpi::availability, Kpi::compromised, Kpi::exfiltrated, Kpi::mwLost})
      QCOMPARE(live.series().points(k), whole.series().points(k));
    QCOMPARE(live.series().teamPoints("cert-x"), whole.series().teamPoints("cert-x"));
    live.reset();
    QCOMPARE(live.series().points(Kpi::compromised), Points{QPointF(0, 0)});
    whole.grab(); // renders
  }
};

QTEST_MAIN(ChartsSeriesTest)
#include "charts_series_test.moc"
