/* The after-action player: a journal opened as a core Timeline on a worker thread; at time t the map shows the
 * Timeline's state at t (forwards the records since the last seek folded into it: the same state), the event list its
 * records up to t and the charts the whole journal's series with their cursor at t; the CLI runs in a QProcess. */
#include "aar/aar_player.hpp"
#include "aar/event_list_model.hpp"
#include "charts/dashboard.hpp"
#include "map/map_view.hpp"
#include "state/exercise_state_model.hpp"
#include "state/step_series_model.hpp"

#include "cyberex/journal.hpp"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QProcess>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace cyberex::gui;
using Points = QList<QPointF>;

namespace {

const QString JOURNAL = QStringLiteral("tests/gui/data/tutorial-journal.jsonl");
const QColor OK(0xbf, 0xcc, 0xd9), DEGRADED(0xe6, 0x9f, 0x00), COMPROMISED(0xd5, 0x5e, 0x00),
    ISOLATED(0x56, 0xb4, 0xe9); // Okabe-Ito (docs/gui.md, "Map")

QByteArray readAll(const QString& path)
{
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

/// Open PATH in a new player: true when journalOpened came, false on openFailed (*error = its message).
bool open(AarPlayer& player, const QString& path, QString* error = nullptr)
{
  QSignalSpy opened(&player, &AarPlayer::journalOpened);
  QSignalSpy failed(&player, &AarPlayer::openFailed);
  if (!player.openJournal(path))
    return false;
  if (!QTest::qWaitFor([&] { return opened.count() + failed.count() > 0; }, 20000))
    return false;
  if (error && failed.count() > 0)
    *error = failed.at(0).at(0).toString();
  return opened.count() > 0;
}

} // namespace

class AarPlayerTest : public QObject {
  Q_OBJECT

private slots:
  void opensJournalsAsATimeline()
  {
    AarPlayer player;
    QVERIFY(open(player, JOURNAL));
    QCOMPARE(player.journalPath(), JOURNAL);
    QCOMPARE(player.duration(), 7200.0); // the end line
    const QString status = player.statusBar()->currentMessage();
    QVERIFY2(status.startsWith("tutorial-journal.jsonl: 12 records, 1 commands, H+02:00:00 — " + JOURNAL +
                               ": cannot check integrity: journal format 2 has no MACs"),
             qPrintable(status));

    QTemporaryDir dir;
    const QByteArray bytes = readAll(JOURNAL);
    // Cut inside the last record: it is dropped with a warning, nothing before it; the journal then reaches its
    // last record's time (the duration is the core's journal_time_reached, not the end line's any more).
    const QString torn = dir.filePath("torn.jsonl");
    QVERIFY(writeFile(torn, bytes.left(bytes.lastIndexOf("{\"seq\":12") + 20)));
    AarPlayer tornPlayer;
    QVERIFY(open(tornPlayer, torn));
    QCOMPARE(tornPlayer.duration(), 4200.0);
    QVERIFY2(tornPlayer.statusBar()->currentMessage().contains(
                 torn + ":14: dropped a torn last line (no newline: the writer stopped while writing it)"),
             qPrintable(tornPlayer.statusBar()->currentMessage()));
    tornPlayer.seek(1e9);
    QCOMPARE(tornPlayer.eventModel()->rowCount(), 11);
    QCOMPARE(tornPlayer.mapView()->nodeState("gov-ws-1").compromised, false); // its foothold_lost is in

    // A bad line before the last is an error that names it.
    const QString bad = dir.filePath("bad.jsonl");
    QByteArray broken = bytes;
    broken.replace("{\"seq\":3,", "{\"seq\":33,");
    QVERIFY(writeFile(bad, broken));
    AarPlayer badPlayer;
    QString error;
    QVERIFY(!open(badPlayer, bad, &error));
    QCOMPARE(error, bad + ":4: (/seq) expected record 3, got 33");
    QVERIFY(!badPlayer.isLoaded());

    // The scenario path of the header, not found from here, is looked for next to the journal.
    QVERIFY(QFile::link(QStringLiteral(CYBEREX_SOURCE_DIR "/scenarios"), dir.filePath("elsewhere")));
    QByteArray moved = bytes;
    moved.replace("\"scenario\":\"scenarios/tutorial/tutorial.json\"",
                  "\"scenario\":\"elsewhere/tutorial/tutorial.json\"");
    const QString beside = dir.filePath("beside.jsonl");
    QVERIFY(writeFile(beside, moved));
    AarPlayer besidePlayer;
    QVERIFY2(open(besidePlayer, beside, &error), qPrintable(error));
    QCOMPARE(besidePlayer.mapView()->nodeCount(), 35);
    // ... and a scenario found nowhere is said so.
    moved.replace("elsewhere/tutorial/tutorial.json", "nowhere/tutorial.json");
    QVERIFY(writeFile(beside, moved));
    AarPlayer nowherePlayer;
    QVERIFY(!open(nowherePlayer, beside, &error));
    QCOMPARE(error, "nowhere/tutorial.json: cannot read the scenario of " + beside +
                        " (the path in its header; give the file with --scenario FILE)");
  }

  void endsWithItsLastRecords()
  {
    // a drill ended with the clock running: the end line has the command's exact time, its records the time rounded
    // to 3 decimals, a little later; the player's end must include them (it did not: the end clock was never shown)
    QTemporaryDir dir;
    const QString path = dir.filePath("ended-running.journal");
    QVERIFY(writeFile(
        path,
        R"({"cyberex_journal":2,"scenario":"scenarios/tutorial/tutorial.json","scenario_hash":"fnv1a64:0000000000000000","seed":42,"version":"0.1.0","origin":"serve","speed":1.0}
{"index":1,"time":0.0,"role":"controller","command":{"type":"start","id":"c1"}}
{"seq":1,"time":0.0,"kind":"exercise","type":"clock","subject":"exercise:tutorial","details":{"state":"running","time":0.0,"from":"ready","reason":"start"},"audience":"all"}
{"mark":{"time":1.099932763,"seq":1,"index":1}}
{"index":2,"time":1.649962694,"role":"controller","command":{"type":"end","id":"c1"}}
{"seq":2,"time":1.65,"kind":"exercise","type":"clock","subject":"exercise:tutorial","details":{"state":"ended","time":1.65,"from":"running","reason":"ended by the controller"},"audience":"all"}
{"end":{"time":1.649962694,"seq":2,"index":2,"state":"ended"}}
)"));
    AarPlayer player;
    QVERIFY(open(player, path));
    QCOMPARE(player.duration(), 1.65);
    player.seek(player.duration());
    QCOMPARE(player.eventModel()->rowCount(), 2);
  }

  void eventModelPassesTheTester()
  {
    auto timeline = std::make_shared<cyberex::Timeline>();
    std::string error;
    QVERIFY2(timeline->open(JOURNAL.toStdString(), &error), error.c_str());
    EventListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRecords(std::shared_ptr<const std::vector<cyberex::Record>>(timeline, &timeline->records()));
    QCOMPARE(model.rowCount(), 1); // time limit 0: the clock record
    model.setTimeLimit(1800);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.index(5, EventListModel::TypeColumn).data().toString(), QString("node_isolated"));
    QCOMPARE(model.index(5, EventListModel::TimeColumn).data().toString(), QString("H+00:30:00"));
    QCOMPARE(model.index(5, EventListModel::KindColumn).data().toString(), QString("event"));
    QCOMPARE(model.index(5, EventListModel::SubjectColumn).data().toString(), QString("node:gov-ws-1"));
    QCOMPARE(model.index(5, EventListModel::DetailsColumn).data().toString(), QString(R"({"team":"cert-gov"})"));
    QCOMPARE(model.index(5, 0).data(EventListModel::TimeRole).toDouble(), 1800.0);
    const QJsonObject record = model.index(5, 0).data(EventListModel::RecordRole).toJsonObject();
    QCOMPARE(record.value("seq").toInt(), 6);
    QCOMPARE(record.value("audience").toArray(), QJsonArray({"cert-gov"}));
    model.setTimeLimit(1799);
    QCOMPARE(model.rowCount(), 5);
    model.setTeamFilter("cert-gov");
    QCOMPARE(model.rowCount(), 4); // clock, inject, alert, action_started
    model.setTimeLimit(1e9);
    QCOMPARE(model.rowCount(), 6); // and node_isolated, leaderboard
    model.setTeamFilter({});
    QCOMPARE(model.rowCount(), 12);
    QCOMPARE(EventListModel::formatTime(3723.9), QString("H+01:02:03"));
  }

  void scrubbingShowsTheJournalAtT()
  {
    AarPlayer player;
    player.resize(1200, 800);
    QAbstractItemModelTester tester(player.eventModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy opened(&player, &AarPlayer::journalOpened);
    QVERIFY(player.openJournal(JOURNAL));
    QVERIFY(!player.openJournal(JOURNAL)); // one load at a time
    QVERIFY(opened.wait(20000));
    QVERIFY(player.isLoaded());
    QCOMPARE(player.duration(), 7200.0);
    QCOMPARE(player.currentTime(), 0.0);

    MapView* map = player.mapView();
    QCOMPARE(map->model(), player.stateModel());
    player.seek(1000);
    QCOMPARE(map->nodeColor("gov-ws-1"), COMPROMISED);
    QCOMPARE(player.eventModel()->rowCount(), 3);
    QCOMPARE(player.dashboard()->cursorTime(), 1000.0);
    player.seek(2000);
    QCOMPARE(map->nodeColor("gov-ws-1"), ISOLATED);
    QCOMPARE(map->nodeState("gov-ws-1").compromised, true);
    QCOMPARE(player.eventModel()->rowCount(), 6);
    player.seek(500); // backwards
    QCOMPARE(map->nodeColor("gov-ws-1"), OK);
    QCOMPARE(player.eventModel()->rowCount(), 1);
    player.seek(5000);
    QCOMPARE(map->nodeState("gov-ws-1").compromised, false); // its foothold lost when restored
    QCOMPARE(map->nodeColor("gov-ws-1"), ISOLATED);          // restoring does not reconnect
    QCOMPARE(map->nodeColor("gov-web"), DEGRADED);           // gov-website down since 2400
    QCOMPARE(player.eventModel()->rowCount(), 12);

    // Forwards, the records since the last seek were folded into the state at the cursor: the same state as the
    // Timeline's at that time.
    cyberex::Timeline timeline;
    std::string error;
    QVERIFY2(timeline.open(JOURNAL.toStdString(), &error), error.c_str());
    player.seek(500);
    player.seek(1300);
    player.seek(3700);
    const cyberex::ExerciseState expected = timeline.fold_to(3700);
    const cyberex::ExerciseState& atCursor = player.stateModel()->state();
    QCOMPARE(atCursor.seq(), std::uint64_t(10));
    QCOMPARE(atCursor.to_json(3700, {cyberex::Role::controller, {}}),
             expected.to_json(3700, {cyberex::Role::controller, {}}));
    player.seek(99999);
    QCOMPARE(player.currentTime(), 7200.0);

    // The charts hold the whole journal, whatever the cursor.
    const ExerciseStateModel* charts = player.chartModel();
    QCOMPARE(player.dashboard()->model(), charts);
    QCOMPARE(charts->series(Kpi::exfiltrated)->points(), (Points{{0, 0}, {3000, 0}, {3000, 4}, {7200, 4}}));
    // 4 services; gov-website is probed: its availability falls with its probe (2460), not its status (2400)
    QCOMPARE(charts->series(Kpi::availability)->points(), (Points{{0, 100}, {2460, 100}, {2460, 75}, {7200, 75}}));
    QCOMPARE(charts->teamScores("cert-gov")->points(), (Points{{3600, 55.5}, {7200, 55.5}}));
    QCOMPARE(player.dashboard()->drawnPoints(Kpi::exfiltrated), (Points{{0, 0}, {5.0 / 6, 0}, {5.0 / 6, 4}, {2, 4}}));

    player.setTeamView("cert-gov");
    player.seek(1300);
    QCOMPARE(map->nodeState("gov-ws-1").alerted, true);
    QCOMPARE(map->nodeColor("gov-ws-1"), OK); // the team does not see the compromise
    QCOMPARE(player.eventModel()->rowCount(), 3);
    QVERIFY(!map->isNodeShown("ut-ws"));
    // The team's charts come from what it received: no exfiltration, no service down (ground truth), the leaderboard
    // (public).
    QCOMPARE(charts->series(Kpi::exfiltrated)->points(), (Points{{0, 0}, {7200, 0}}));
    QCOMPARE(charts->series(Kpi::availability)->points(), (Points{{0, 100}, {7200, 100}}));
    QCOMPARE(charts->teamScores("cert-gov")->points(), (Points{{3600, 55.5}, {7200, 55.5}}));
    player.setTeamView({});
    QCOMPARE(charts->series(Kpi::exfiltrated)->points().back(), QPointF(7200, 4));

    QSignalSpy time(&player, &AarPlayer::timeChanged);
    player.setPlaybackSpeed(3600);
    player.seek(7000);
    player.play();
    QVERIFY(player.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!player.isPlaying(), 5000); // pauses itself at the end
    QCOMPARE(player.currentTime(), 7200.0);
    QVERIFY(time.count() >= 2);
  }

  void whatIfAndReportRunTheCli()
  {
    AarPlayer player;
    QSignalSpy opened(&player, &AarPlayer::journalOpened);
    QVERIFY(player.openJournal(JOURNAL));
    QVERIFY(opened.wait(20000));
    player.setCyberexProgram(QStringLiteral(CYBEREX_SOURCE_DIR "/tests/gui/data/fake-cyberex.sh"));
    player.seek(1800.7);
    QSignalSpy whatIf(&player, &AarPlayer::whatIfFinished);
    player.startWhatIf({R"({"type":"action","team":"cert-gov","action":"isolate","target":"node:gov-fs"})"});
    QVERIFY(whatIf.wait(10000));
    QCOMPARE(whatIf.at(0).at(0).toInt(), 0);
    const QString command = R"({"type":"action","team":"cert-gov","action":"isolate","target":"node:gov-fs"})";
    QCOMPARE(whatIf.at(0).at(1).toString(), "whatif\n" + JOURNAL + "\n--at\n1800s\n--command\n" + command +
                                                "\n--save\ntests/gui/data/tutorial-journal-whatif.jsonl\n--progress\n");

    QSignalSpy report(&player, &AarPlayer::reportExported);
    player.exportReport("out/aar.md");
    QVERIFY(report.wait(10000));
    QCOMPARE(report.at(0).at(1).toBool(), true);
    QCOMPARE(report.at(0).at(2).toString(), "report\n" + JOURNAL + "\n-o\nout/aar.md\n--format\nmd");

    player.setCyberexProgram("/nonexistent/cyberex");
    player.exportReport("aar.html");
    QVERIFY(report.wait(10000));
    QCOMPARE(report.at(1).at(1).toBool(), false);
    QVERIFY(report.at(1).at(2).toString().startsWith("cannot start /nonexistent/cyberex"));
  }

  void goToReadsTimesAsReplayDoes()
  {
    // the test journal reaches 2 h (its end line): typed times as cyberex replay --at reads them, clamped to the end
    AarPlayer player;
    QVERIFY(open(player, JOURNAL));
    QVERIFY(player.goTo("1h30m"));
    QCOMPARE(player.currentTime(), 5400.0);
    QVERIFY(player.goTo("90"));
    QCOMPARE(player.currentTime(), 90.0);
    QVERIFY(player.goTo("1:00"));
    QCOMPARE(player.currentTime(), 3600.0);
    QVERIFY(player.goTo("5h20m"));
    QCOMPARE(player.currentTime(), 7200.0);
    QCOMPARE(player.statusBar()->currentMessage(),
             QString("5h20m00s is past the end of the journal (2h00m00s): showing 2h00m00s"));
    QVERIFY(player.goTo("30m"));
    QVERIFY(!player.goTo("5h20")); // refused: the time stays
    QCOMPARE(player.currentTime(), 1800.0);
    QCOMPARE(
        player.statusBar()->currentMessage(),
        QString("Go to: expected a time from the start such as \"5h20m\", \"90m\", \"3600\" (seconds) or \"5:20\", "
                "got \"5h20\""));
  }

  void guiShotReadsTimesAsReplayDoes()
  {
    QTemporaryDir dir, runtime; // QTemporaryDir: mode 0700, as Qt wants of XDG_RUNTIME_DIR
    const auto shot = [&](const QString& time, const QString& name, QString* err = nullptr) {
      QProcess p;
      // a runtime directory, so that Qt says nothing of its own on the tool's stderr
      QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
      env.insert("XDG_RUNTIME_DIR", runtime.path());
      p.setProcessEnvironment(env);
      p.start(CYBEREX_GUI_SHOT, {"map", JOURNAL, dir.filePath(name), "--time", time, "--size", "400x300"});
      if (!p.waitForFinished(60000))
        return -1;
      if (err)
        *err = QString::fromLocal8Bit(p.readAllStandardError());
      return p.exitCode();
    };
    QString err;
    // not a time: refused, nothing written (it used to render t = 0)
    QCOMPARE(shot("5h20", "bad.png", &err), 1);
    QCOMPARE(err, QString("cyberex-gui-shot: --time expects a time from the start such as \"5h20m\", \"90m\", \"3600\" "
                          "(seconds) or \"5:20\", got '5h20'\n"));
    QVERIFY(!QFile::exists(dir.filePath("bad.png")));
    // one hour written three ways is one picture; it is not t = 0's (gov-ws-1 compromised and isolated, the web
    // server down by then)
    QCOMPARE(shot("1h", "1h.png", &err), 0);
    QCOMPARE(err, QString());
    QCOMPARE(shot("3600", "3600.png"), 0);
    QCOMPARE(shot("1:00", "1-00.png"), 0);
    QCOMPARE(shot("0", "0.png"), 0);
    const QImage hour(dir.filePath("1h.png"));
    QVERIFY(!hour.isNull());
    QCOMPARE(QImage(dir.filePath("3600.png")), hour);
    QCOMPARE(QImage(dir.filePath("1-00.png")), hour);
    QVERIFY(QImage(dir.filePath("0.png")) != hour);
    // past the end: the end (2 h), with cyberex replay --at's note
    QCOMPARE(shot("5h20m", "late.png", &err), 0);
    QCOMPARE(err, QString("cyberex-gui-shot: note: 5h20m00s is past the end of the journal (2h00m00s): showing "
                          "2h00m00s\n"));
    QCOMPARE(shot("2h", "end.png"), 0);
    QCOMPARE(QImage(dir.filePath("late.png")), QImage(dir.filePath("end.png")));
  }
};

QTEST_MAIN(AarPlayerTest)
#include "aar_player_test.moc"
