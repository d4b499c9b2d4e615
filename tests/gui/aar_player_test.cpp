/* The after-action player: a journal opened on a worker thread; at time t the map shows the states of the journal at
 * t, the event list its records up to t and the charts their cursor at t; the CLI runs in a QProcess. */
#include "aar/aar_player.hpp"
#include "aar/event_list_model.hpp"
#include "aar/journal_file.hpp"
#include "charts/dashboard.hpp"
#include "map/map_view.hpp"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace cyberex::gui;
using Points = QList<QPointF>;

namespace {

const QString JOURNAL = QStringLiteral("tests/gui/data/tutorial-journal.jsonl");
const QColor OK(0x7f, 0xa8, 0x8a), DEGRADED(0xf0, 0xa0, 0x30), COMPROMISED(0xe5, 0x39, 0x35),
    ISOLATED(0x1e, 0x63, 0xd6);

QByteArray readAll(const QString& path)
{
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class AarPlayerTest : public QObject {
  Q_OBJECT

private slots:
  void readsJournalAndDropsATornLastLine()
  {
    QString error;
    auto j = readJournalFile(JOURNAL, &error);
    QVERIFY2(j, qPrintable(error));
    QCOMPARE(j->records.size(), 10);
    QCOMPARE(j->commands.size(), 1);
    QCOMPARE(j->endTime, std::optional<double>(7200));
    QCOMPARE(j->lastTime(), 7200.0);
    QCOMPARE(j->scenarioPath, QString("scenarios/tutorial/tutorial.json"));
    QVERIFY(visibleToTeam(j->records[0], "cert-gov"));  // "all"
    QVERIFY(!visibleToTeam(j->records[1], "cert-gov")); // "control"
    QVERIFY(visibleToTeam(j->records[2], "cert-energy"));

    QTemporaryDir dir;
    const QByteArray bytes = readAll(JOURNAL);
    const qsizetype endLine = bytes.lastIndexOf("{\"end\"");
    const qsizetype lastRecord = bytes.lastIndexOf("{\"seq\":10");
    // Cut inside the last record: it is dropped with a warning, nothing before it.
    const QString torn = dir.filePath("torn.jsonl");
    QFile out(torn);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes.left(lastRecord + 20));
    out.close();
    j = readJournalFile(torn, &error);
    QVERIFY2(j, qPrintable(error));
    QCOMPARE(j->records.size(), 9);
    // the fixture is a format 2 journal (no MACs): read, with the warning that says so
    QCOMPARE(
        j->warnings,
        QStringList({torn + ": cannot check integrity: journal format 2 has no MACs (written by an older cyberex): "
                            "an edited, inserted, removed or reordered line, or a cut at a line boundary, cannot "
                            "be detected",
                     torn + ":12: dropped a torn last line (no newline: the writer stopped while writing it)"}));
    QCOMPARE(j->endTime, std::nullopt);
    QCOMPARE(j->lastTime(), 3600.0);
    QVERIFY(endLine > lastRecord);

    // A bad line before the last is an error that names it.
    const QString bad = dir.filePath("bad.jsonl");
    QFile out2(bad);
    QVERIFY(out2.open(QIODevice::WriteOnly));
    QByteArray broken = bytes;
    broken.replace("{\"seq\":3,", "{\"seq\":33,");
    out2.write(broken);
    out2.close();
    QVERIFY(!readJournalFile(bad, &error));
    QCOMPARE(error, bad + ":4: (/seq) expected record 3, got 33");
  }

  void endsWithItsLastRecords()
  {
    // a drill ended with the clock running: the end line has the command's exact time, its records the time rounded
    // to 3 decimals, a little later; the player's end must include them (it did not: the end clock was never shown)
    QTemporaryDir dir;
    const QString path = dir.filePath("ended-running.journal");
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(
        R"({"cyberex_journal":2,"scenario":"scenarios/tutorial/tutorial.json","scenario_hash":"fnv1a64:0000000000000000","seed":42,"version":"0.1.0","origin":"serve","speed":1.0}
{"index":1,"time":0.0,"role":"controller","command":{"type":"start","id":"c1"}}
{"seq":1,"time":0.0,"kind":"exercise","type":"clock","subject":"exercise:tutorial","details":{"state":"running","time":0.0,"from":"ready","reason":"start"},"audience":"all"}
{"mark":{"time":1.099932763,"seq":1,"index":1}}
{"index":2,"time":1.649962694,"role":"controller","command":{"type":"end","id":"c1"}}
{"seq":2,"time":1.65,"kind":"exercise","type":"clock","subject":"exercise:tutorial","details":{"state":"ended","time":1.65,"from":"running","reason":"ended by the controller"},"audience":"all"}
{"end":{"time":1.649962694,"seq":2,"index":2,"state":"ended"}}
)");
    out.close();
    QString error;
    auto j = readJournalFile(path, &error);
    QVERIFY2(j, qPrintable(error));
    QCOMPARE(j->endTime, std::optional<double>(1.649962694));
    QCOMPARE(j->lastTime(), 1.65);
    EventListModel model;
    model.setRecords(j->records);
    model.setTimeLimit(j->lastTime());
    QCOMPARE(model.rowCount(), 2);
  }

  void eventModelPassesTheTester()
  {
    QString error;
    auto j = readJournalFile(JOURNAL, &error);
    QVERIFY(j);
    EventListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRecords(j->records);
    QCOMPARE(model.rowCount(), 1); // time limit 0: the clock record
    model.setTimeLimit(1800);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.index(5, EventListModel::TypeColumn).data().toString(), QString("node_isolated"));
    QCOMPARE(model.index(5, EventListModel::TimeColumn).data().toString(), QString("H+00:30:00"));
    QCOMPARE(model.index(5, 0).data(EventListModel::TimeRole).toDouble(), 1800.0);
    model.setTimeLimit(1799);
    QCOMPARE(model.rowCount(), 5);
    model.setTeamFilter("cert-gov");
    QCOMPARE(model.rowCount(), 4); // clock, inject, alert, action_started
    model.setTimeLimit(1e9);
    QCOMPARE(model.rowCount(), 6); // and node_isolated, leaderboard
    model.setTeamFilter({});
    QCOMPARE(model.rowCount(), 10);
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
    QCOMPARE(map->nodeState("gov-ws-1").compromised, false); // restored
    QCOMPARE(map->nodeColor("gov-ws-1"), ISOLATED);          // restoring does not reconnect
    QCOMPARE(map->nodeColor("gov-web"), DEGRADED);           // gov-website down since 2400
    QCOMPARE(player.eventModel()->rowCount(), 10);
    player.seek(99999);
    QCOMPARE(player.currentTime(), 7200.0);

    // The charts hold the whole journal, whatever the cursor.
    const Dashboard* dash = player.dashboard();
    QCOMPARE(dash->series().points(Kpi::exfiltrated), (Points{{0, 0}, {3000, 0}, {3000, 4}}));
    QCOMPARE(dash->series().points(Kpi::availability), (Points{{0, 100}, {2400, 100}, {2400, 75}})); // 4 services
    QCOMPARE(dash->series().teamPoints("cert-gov"), Points{QPointF(3600, 55.5)});

    player.setTeamView("cert-gov");
    player.seek(1300);
    QCOMPARE(map->nodeState("gov-ws-1").alerted, true);
    QCOMPARE(map->nodeColor("gov-ws-1"), OK); // the team does not see the compromise
    QCOMPARE(player.eventModel()->rowCount(), 3);
    QVERIFY(!map->isNodeShown("ut-ws"));
    // The team's charts come from what it saw: no exfiltration (ground truth), the leaderboard (public).
    QCOMPARE(dash->series().points(Kpi::exfiltrated), Points{QPointF(0, 0)});
    QCOMPARE(dash->series().teamPoints("cert-gov"), Points{QPointF(3600, 55.5)});

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
    QCOMPARE(whatIf.at(0).at(1).toString(), "whatif\n" + JOURNAL + "\n--at\n1800s\n--command\n" + command + "\n");

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
};

QTEST_MAIN(AarPlayerTest)
#include "aar_player_test.moc"
