/* The dashboard draws the series of an ExerciseStateModel: a hand-made record stream gives exact, hand-checked points
 * in every series model, the charts' lines are those rows (bound with QVXYModelMapper), live feeding draws the same
 * lines as a whole journal, and the titles give the values at the cursor. */
#include "charts/dashboard.hpp"
#include "state/exercise_state_model.hpp"
#include "state/step_series_model.hpp"

#include "cyberex/scenario.hpp"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QtTest>

#include <memory>

using cyberex::gui::Dashboard;
using cyberex::gui::ExerciseStateModel;
using cyberex::gui::Kpi;
using cyberex::gui::StepSeriesModel;
using Points = QList<QPointF>;

namespace {

QJsonObject rec(int seq, double time, const char* type, const char* subject, QJsonObject details = {})
{
  return QJsonObject{{"seq", seq},
                     {"time", time},
                     {"kind", QString::fromLatin1(QByteArray(type) == "leaderboard" ? "exercise" : "event")},
                     {"type", QString::fromLatin1(type)},
                     {"subject", QString::fromLatin1(subject)},
                     {"details", details}};
}

QJsonObject board(int seq, double time, QList<QPair<const char*, double>> totals)
{
  QJsonArray teams;
  for (const auto& [team, total] : totals)
    teams.append(QJsonObject{{"team", QString::fromLatin1(team)}, {"total", total}});
  return rec(seq, time, "leaderboard", "exercise", {{"teams", teams}, {"reason", "hour"}});
}

/// Records about the tutorial scenario: 4 services (gov-website probed), campaigns apt-docs and grid-attack, one grid.
QList<QJsonObject> script()
{
  return {
      rec(1, 60, "exfiltration_progress", "node:gov-fs",
          {{"campaign", "apt-docs"}, {"bytes", 2000000}, {"campaign_total", 2000000}}),
      rec(2, 100, "node_compromised", "node:gov-ws-1", {{"campaign", "apt-docs"}}),
      rec(3, 120, "exfiltration_ended", "node:ut-hist",
          {{"campaign", "grid-attack"}, {"bytes", 500000}, {"complete", false}, {"campaign_total", 500000}}),
      rec(4, 180, "exfiltration_progress", "node:gov-fs",
          {{"campaign", "apt-docs"}, {"bytes", 1000000}, {"campaign_total", 3000000}}),
      rec(5, 200, "node_compromised", "node:gov-ws-2", {{"campaign", "apt-docs"}}),
      rec(6, 300, "node_compromised", "node:gov-ws-1", {{"campaign", "grid-attack"}}), // same node: still 2
      rec(7, 400, "foothold_lost", "node:gov-ws-1", {{"campaign", "apt-docs"}}),       // grid-attack remains: still 2
      rec(8, 500, "foothold_lost", "node:gov-ws-2", {{"campaign", "apt-docs"}}),
      rec(9, 600, "service_status", "service:gov-email", {{"status", "down"}}),
      rec(10, 600, "service_status", "service:power-city", {{"status", "degraded"}}), // same time: replaces
      rec(11, 700, "service_status", "service:zz", {{"status", "down"}}),             // not a scenario service
      rec(12, 900, "grid_balance", "grid:grid-north", {{"available", 500}, {"demand", 520}, {"lost_mw", 120}}),
      rec(13, 1200, "service_status", "service:gov-email", {{"status", "up"}}),
      // gov-website is probed: its availability is what the probes measure, not its ground truth
      rec(14, 1500, "service_status", "service:gov-website", {{"status", "down"}}),
      rec(15, 1560, "probe_status", "service:gov-website", {{"status", "down"}, {"reason", "service down"}}),
      rec(16, 1800, "grid_balance", "grid:grid-north", {{"available", 520}, {"demand", 550}, {"lost_mw", 30}}),
      board(17, 3600, {{"cert-gov", 50}, {"cert-energy", 70.5}}),
      board(18, 7200, {{"cert-gov", 60}, {"cert-energy", 70.5}}),
  };
}

Points hours(const Points& seconds)
{
  Points out;
  for (const QPointF& p : seconds)
    out.append(QPointF(p.x() / 3600.0, p.y()));
  return out;
}

} // namespace

class ChartsSeriesTest : public QObject {
  Q_OBJECT
  std::shared_ptr<const cyberex::Scenario> m_scenario;

private slots:
  void initTestCase()
  {
    auto loaded = cyberex::load_scenario("scenarios/tutorial/tutorial.json");
    QVERIFY(loaded.ok());
    m_scenario = std::make_shared<const cyberex::Scenario>(std::move(*loaded.scenario));
  }

  void seriesModelsHoldExactRows()
  {
    ExerciseStateModel model;
    QAbstractItemModelTester tester(model.series(Kpi::availability),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setScenario(m_scenario);
    QCOMPARE(model.series(Kpi::availability)->points(), Points{QPointF(0, 100)});
    for (const QJsonObject& r : script())
      QVERIFY(model.applyRecord(r));
    model.flushSeries();
    QCOMPARE(model.time(), 7200.0);
    QCOMPARE(model.series(Kpi::compromised)->points(),
             (Points{{0, 0}, {100, 0}, {100, 1}, {200, 1}, {200, 2}, {500, 2}, {500, 1}, {7200, 1}}));
    // 4 services: gov-email down and power-city degraded at 600 = (0 + 0.5 + 1 + 1) / 4, the second replacing the
    // first's point; gov-email up at 1200 = 3.5 / 4; gov-website's ground truth at 1500 changes nothing, its probe at
    // 1560 does: 2.5 / 4.
    QCOMPARE(
        model.series(Kpi::availability)->points(),
        (Points{
            {0, 100}, {600, 100}, {600, 62.5}, {1200, 62.5}, {1200, 87.5}, {1560, 87.5}, {1560, 62.5}, {7200, 62.5}}));
    QCOMPARE(model.series(Kpi::exfiltrated)->points(),
             (Points{{0, 0}, {60, 0}, {60, 2}, {120, 2}, {120, 2.5}, {180, 2.5}, {180, 3.5}, {7200, 3.5}}));
    QCOMPARE(model.series(Kpi::mwLost)->points(),
             (Points{{0, 0}, {900, 0}, {900, 120}, {1800, 120}, {1800, 30}, {7200, 30}}));
    QCOMPARE(model.scoredTeams(), (QStringList{"cert-energy", "cert-gov"}));
    QCOMPARE(model.teamScores("cert-gov")->points(), (Points{{3600, 50}, {7200, 50}, {7200, 60}}));
    QCOMPARE(model.teamScores("cert-energy")->points(), (Points{{3600, 70.5}, {7200, 70.5}}));
    QVERIFY(!model.teamScores("white-cell"));
    QCOMPARE(model.kpiValue(Kpi::availability), 62.5);
    QCOMPARE(model.series(Kpi::mwLost)->valueAt(1000), 120.0);
    QCOMPARE(model.series(Kpi::mwLost)->valueAt(899.9), 0.0);

    // The table: seconds, hours, value.
    const StepSeriesModel* mw = model.series(Kpi::mwLost);
    QCOMPARE(mw->columnCount(), 3);
    QCOMPARE(mw->index(2, StepSeriesModel::TimeColumn).data().toDouble(), 900.0);
    QCOMPARE(mw->index(2, StepSeriesModel::HoursColumn).data().toDouble(), 0.25);
    QCOMPARE(mw->index(2, StepSeriesModel::ValueColumn).data().toDouble(), 120.0);

    // The clock moves on without records: every series holds its last value to the new time.
    model.setTime(9000);
    model.flushSeries();
    QCOMPARE(model.series(Kpi::mwLost)->points().back(), QPointF(9000, 30));
    QCOMPARE(model.teamScores("cert-gov")->points().back(), QPointF(9000, 60));
    model.clear();
    QCOMPARE(model.series(Kpi::mwLost)->points(), Points{QPointF(0, 0)});
  }

  void dashboardDrawsTheModelLiveAndWhole()
  {
    // Whole: every record first, then the charts bound.
    ExerciseStateModel whole;
    whole.setScenario(m_scenario);
    for (const QJsonObject& r : script())
      whole.applyRecord(r);
    whole.flushSeries();
    Dashboard wholeView;
    wholeView.resize(1000, 600);
    wholeView.setModel(&whole);
    QCOMPARE(wholeView.drawnPoints(Kpi::mwLost), hours(whole.series(Kpi::mwLost)->points()));
    QCOMPARE(wholeView.drawnPoints(Kpi::mwLost),
             (Points{{0, 0}, {0.25, 0}, {0.25, 120}, {0.5, 120}, {0.5, 30}, {2, 30}}));
    QCOMPARE(wholeView.drawnTeamPoints("cert-gov"), (Points{{1, 50}, {2, 50}, {2, 60}}));
    QCOMPARE(wholeView.title(Kpi::mwLost), QString("Load lost: <b>30 MW</b>"));
    wholeView.setCursorTime(1000);
    QCOMPARE(wholeView.cursorTime(), 1000.0);
    QCOMPARE(wholeView.title(Kpi::mwLost), QString("Load lost: <b>120 MW</b>"));
    QCOMPARE(wholeView.title(Kpi::availability), QString("Availability: <b>62.5 %</b>"));
    // named as the tutorial's exfiltrate step names its bytes ("data": "classified documents"), as the report does
    QCOMPARE(wholeView.title(Kpi::exfiltrated), QString("Classified documents exfiltrated: <b>3.5 MB</b>"));
    QCOMPARE(wholeView.title(Kpi::compromised), QString("Compromised nodes: <b>1</b>"));

    // Live: the charts bound first, the records after; the lines follow the models' rows.
    ExerciseStateModel live;
    Dashboard liveView;
    liveView.resize(1000, 600);
    liveView.setModel(&live);
    live.setScenario(m_scenario);
    for (const QJsonObject& r : script())
      live.applyRecord(r);
    QCOMPARE(liveView.drawnPoints(Kpi::compromised), Points{QPointF(0, 0)}); // coalesced: not redrawn yet
    QTRY_COMPARE(liveView.drawnPoints(Kpi::compromised), wholeView.drawnPoints(Kpi::compromised));
    for (Kpi k : {Kpi::availability, Kpi::exfiltrated, Kpi::mwLost})
      QCOMPARE(liveView.drawnPoints(k), wholeView.drawnPoints(k));
    QCOMPARE(liveView.drawnTeamPoints("cert-energy"), wholeView.drawnTeamPoints("cert-energy"));
    QCOMPARE(liveView.drawnTeamPoints("cert-gov"), wholeView.drawnTeamPoints("cert-gov"));
    QCOMPARE(liveView.title(Kpi::mwLost), QString("Load lost: <b>30 MW</b>"));
    QCOMPARE(liveView.title(Kpi::exfiltrated), QString("Classified documents exfiltrated: <b>3.5 MB</b>"));

    // A new scenario starts the charts again; the team lines go with the teams.
    live.setScenario(m_scenario);
    QCOMPARE(liveView.drawnPoints(Kpi::compromised), Points{QPointF(0, 0)});
    QCOMPARE(liveView.drawnTeamPoints("cert-gov"), Points());
    liveView.setModel(nullptr);
    QCOMPARE(liveView.drawnPoints(Kpi::compromised), Points());
    QVERIFY(liveView.title(Kpi::exfiltrated).startsWith("Data exfiltrated")); // no scenario: the plain name
    wholeView.grab();                                                         // renders
  }

  void networkedGridShedAndOverloads()
  {
    // grid_balance records of a grid with buses carry shed_mw and overloaded (docs/engine.md, "Networked grids"): the
    // MW shed is a dashed line on the load-lost chart, the overloaded branches are counted in its title
    ExerciseStateModel model;
    model.setScenario(m_scenario);
    QVERIFY(model.applyRecord(rec(
        1, 900, "grid_balance", "grid:grid-north",
        {{"available", 150}, {"demand", 300}, {"lost_mw", 300}, {"shed_mw", 300}, {"overloaded", 0}, {"islands", 1}})));
    QVERIFY(model.applyRecord(rec(
        2, 1800, "grid_balance", "grid:grid-north",
        {{"available", 270}, {"demand", 300}, {"lost_mw", 120}, {"shed_mw", 100}, {"overloaded", 1}, {"islands", 2}})));
    model.flushSeries();
    QCOMPARE(model.series(Kpi::mwShed)->points(), (Points{{900, 300}, {1800, 300}, {1800, 100}}));
    QCOMPARE(model.series(Kpi::overloaded)->points(), (Points{{900, 0}, {1800, 0}, {1800, 1}}));
    Dashboard view;
    view.setModel(&model);
    view.flush();
    QCOMPARE(view.title(Kpi::mwLost), QString("Load lost: <b>120 MW</b> (shed 100 MW, 1 branch overloaded)"));
    QCOMPARE(view.title(Kpi::mwShed), view.title(Kpi::mwLost));
    QCOMPARE(view.drawnPoints(Kpi::mwShed), hours(model.series(Kpi::mwShed)->points()));
    view.setCursorTime(1000);
    QCOMPARE(view.title(Kpi::mwLost), QString("Load lost: <b>300 MW</b> (shed 300 MW, 0 branches overloaded)"));
  }
};

QTEST_MAIN(ChartsSeriesTest)
#include "charts_series_test.moc"
