/* The drill client on its own: parsing and formatting helpers, the tokens file, a refused token, a failed server
 * start, commands without a connection, and a reconnection after a server restart that catches up with `since`. */
#include "console_support.hpp"

#include "console/dialogs.hpp"

#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

class ConsoleClientTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase() { useBuiltBinary(); }
  void durations_data();
  void durations();
  void formats();
  void newInjectDialog();
  void tokensFile();
  void serverThatCannotStart();
  void notConnected();
  void refusedToken();
  void reconnectCatchesUp();
};

void ConsoleClientTest::durations_data()
{
  QTest::addColumn<QString>("text");
  QTest::addColumn<double>("seconds");
  QTest::newRow("seconds") << "90" << 90.0;
  QTest::newRow("unit s") << "90s" << 90.0;
  QTest::newRow("minutes") << "15m" << 900.0;
  QTest::newRow("h and m") << "2h30m" << 9000.0;
  QTest::newRow("spaces and case") << " 1H 30M " << 5400.0;
  QTest::newRow("days") << "1d2h" << 93600.0;
  QTest::newRow("clock hh:mm") << "01:30" << 5400.0;
  QTest::newRow("clock h:mm:ss") << "1:02:03" << 3723.0;
  QTest::newRow("empty") << "" << -1.0;
  QTest::newRow("word") << "soon" << -1.0;
  QTest::newRow("bad unit") << "5x" << -1.0;
  QTest::newRow("trailing junk") << "5m later" << -1.0;
}

void ConsoleClientTest::durations()
{
  QFETCH(QString, text);
  QFETCH(double, seconds);
  QCOMPARE(parseDuration(text), seconds);
}

void ConsoleClientTest::formats()
{
  QCOMPARE(formatSimTime(0), QString("00:00:00"));
  QCOMPARE(formatSimTime(2555.981), QString("00:42:35"));
  QCOMPARE(formatSimTime(28800), QString("08:00:00"));
  QCOMPARE(formatSimTime(90000), QString("1d 01:00:00"));
  QCOMPARE(formatSimTime(-1), QString());
  QCOMPARE(formatJson(QJsonValue(3.0)), QString("3"));
  QCOMPARE(formatJson(QJsonValue(1.5)), QString("1.5"));
  QCOMPARE(formatJson(QJsonValue(0.1234)), QString("0.123"));
  QCOMPARE(formatJson(QJsonArray{"ioc-mail", "ioc-hash"}), QString("ioc-mail, ioc-hash"));
  QCOMPARE(formatJson(QJsonValue(QJsonValue::Null)), QString());
  QCOMPARE(formatJson(QJsonObject{{"team", "cert-gov"}, {"mw", 12.5}}), QString("mw: 12.5; team: cert-gov"));
  const ScenarioCatalog none;
  QCOMPARE(none.situationTime(3600, "2011-11-03T09:00:00"), QString("2011-11-03 10:00:00"));
  QCOMPARE(none.situationTime(3600), QString());
}

void ConsoleClientTest::newInjectDialog()
{
  QString error;
  const ScenarioCatalog catalog = ScenarioCatalog::load(CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json", &error);
  QVERIFY2(catalog.loaded, qPrintable(error));
  QCOMPARE(catalog.playerTeams(), QStringList({"cert-gov", "cert-energy"}));
  QCOMPARE(catalog.situationTime(4 * 3600 + 600), QString("2011-11-03 13:10:00")); // move 2 starts at 13:00
  NewInjectDialog dialog(catalog, catalog.playerTeams());
  QVERIFY(dialog.command(&error).isEmpty());
  QCOMPARE(error, QString("Id: give the new inject an id"));
  dialog.idEdit()->setText("intel-01");
  dialog.titleEdit()->setText("C2 domain of Grey Heron");
  QVERIFY(dialog.command(&error).isEmpty());
  QCOMPARE(error, QString("To: choose at least one team"));
  QCOMPARE(dialog.recipients()->count(), 2);
  dialog.recipients()->item(0)->setCheckState(Qt::Checked);
  QCOMPARE(dialog.indicators()->item(0)->text(), QString("ioc-bots  (198.51.100.0/24)"));
  dialog.indicators()->item(1)->setCheckState(Qt::Checked); // ioc-c2
  dialog.timeEdit()->setText("in a while");
  QVERIFY(dialog.command(&error).isEmpty());
  QCOMPARE(error, QString("Time: expected a time from the start such as 2h30m or 14:30, got \"in a while\""));
  dialog.timeEdit()->setText("2h");
  QCOMPARE(dialog.command(&error), QJsonObject({{"type", "inject_create"},
                                                {"inject", QJsonObject{{"id", "intel-01"},
                                                                       {"title", "C2 domain of Grey Heron"},
                                                                       {"to", QJsonArray{"cert-gov"}},
                                                                       {"from", "White Cell"},
                                                                       {"type", "inject"},
                                                                       {"time", 7200.0},
                                                                       {"indicators", QJsonArray{"ioc-c2"}}}}}));
}

void ConsoleClientTest::tokensFile()
{
  QTemporaryDir dir;
  QString error;
  QVERIFY(LocalServer::readTokens(dir.filePath("none"), &error).isEmpty());
  QCOMPARE(error, QString("cannot read the tokens file %1: No such file or directory").arg(dir.filePath("none")));
  QFile good(dir.filePath("good"));
  QVERIFY(good.open(QIODevice::WriteOnly));
  good.write("# comment\ncontroller abc\nplayer:cert-gov def\n\n");
  good.close();
  const auto tokens = LocalServer::readTokens(good.fileName(), &error);
  QCOMPARE(tokens.value("controller"), QString("abc"));
  QCOMPARE(tokens.value("player:cert-gov"), QString("def"));
  QCOMPARE(tokens.size(), 2);
  QFile bad(dir.filePath("bad"));
  QVERIFY(bad.open(QIODevice::WriteOnly));
  bad.write("controller abc\nobserver\n");
  bad.close();
  QVERIFY(LocalServer::readTokens(bad.fileName(), &error).isEmpty());
  QCOMPARE(error, QString("%1:2: expected \"role[:team] token\", got \"observer\"").arg(bad.fileName()));
}

void ConsoleClientTest::serverThatCannotStart()
{
  LocalServer server;
  QSignalSpy failed(&server, &LocalServer::failed);
  server.start(CYBEREX_SOURCE_DIR "/no-such-scenario.json", testJournal());
  QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, start_timeout_ms);
  const QString message = failed.at(0).at(0).toString();
  QVERIFY2(message.startsWith("cyberex serve exited with status 2 while starting: "), qPrintable(message));
  QVERIFY2(message.contains("no-such-scenario.json"), qPrintable(message));
}

void ConsoleClientTest::notConnected()
{
  DrillConnection c;
  QSignalSpy rejected(&c, &DrillConnection::commandRejected);
  DrillReply got;
  const QString id = c.send({{"type", "clock"}}, this, [&](const DrillReply& r) { got = r; });
  // "g", a prefix of this connection object (random), "-", the command's number: a new console never reuses the ids of
  // an earlier one (the server applies an id once per principal)
  QVERIFY2(QRegularExpression("^g[0-9a-f]+-1$").match(id).hasMatch(), qPrintable(id));
  DrillConnection other;
  QVERIFY(other.send({{"type", "clock"}}, this, [](const DrillReply&) {}) != id);
  QCOMPARE(got.id, QString()); // delivered from the event loop, not from inside send()
  QTRY_COMPARE(rejected.size(), 1);
  QCOMPARE(got.id, id);
  QCOMPARE(got.type, QString("clock"));
  QCOMPARE(got.errorCode, QString("disconnected"));
  QCOMPARE(got.errorMessage,
           QString("not connected to the drill server (no server): the command \"clock\" was not sent"));
}

void ConsoleClientTest::refusedToken()
{
  LocalServer server;
  QSignalSpy ready(&server, &LocalServer::ready);
  server.start(CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json", testJournal());
  QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, start_timeout_ms);
  DrillConnection c;
  QSignalSpy errors(&c, &DrillConnection::connectionError);
  QSignalSpy welcomed(&c, &DrillConnection::welcomed);
  c.open(server.url(), "not-a-token");
  QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 1, reply_timeout_ms);
  const QString message = errors.at(0).at(0).toString();
  QVERIFY2(message.startsWith(server.url().toString() + " refused the connection: "), qPrintable(message));
  QVERIFY2(message.endsWith("(unauthorized)"), qPrintable(message));
  QCOMPARE(c.state(), DrillConnection::State::disconnected);
  QTest::qWait(1500); // no reconnection with a refused token
  QCOMPARE(welcomed.size(), 0);
  QCOMPARE(errors.size(), 1);
}

void ConsoleClientTest::reconnectCatchesUp()
{
  // a fixed free port, so that the restarted server is at the same URL
  QTcpServer probe;
  QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
  const quint16 port = probe.serverPort();
  probe.close();
  QTemporaryDir dir;
  const QString journal = dir.filePath("drill.journal");
  const QStringList args{"serve",       CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json",
                         "--listen",    QString("127.0.0.1:%1").arg(port),
                         "--journal",   journal,
                         "--port-file", dir.filePath("port")};
  QProcess first;
  first.start(CYBEREX_BINARY, args);
  QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir.filePath("port")), start_timeout_ms);
  const QString token = LocalServer::readTokens(journal + ".tokens").value("controller");
  QVERIFY(!token.isEmpty());

  Client control;
  control.connection->setReconnectDelay(200);
  QSignalSpy welcomed(control.connection.get(), &DrillConnection::welcomed);
  QSignalSpy snapshots(control.connection.get(), &DrillConnection::snapshotReceived);
  QSignalSpy errors(control.connection.get(), &DrillConnection::connectionError);
  control.testModels();
  control.connection->open(QUrl(QString("ws://127.0.0.1:%1/").arg(port)), token);
  QTRY_VERIFY_WITH_TIMEOUT(control.state->hasSnapshot(), start_timeout_ms);
  call(control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "15m"}});
  const quint64 before = control.connection->lastSeq();
  QCOMPARE(before, quint64(11)); // the two units' dispatch (a networked grid), the grid's balance, probe, campaign
                                 // and step starts, inj-01 released and delivered, expectation, board, the step's clock
  QCOMPARE(control.state->eventLog()->rowCount(), 8);

  first.terminate();
  QVERIFY(first.waitForFinished(10000));
  QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), reply_timeout_ms);
  QVERIFY2(errors.last().at(0).toString().startsWith("lost the connection to ws://127.0.0.1:"),
           qPrintable(errors.last().at(0).toString()));
  QVERIFY(control.connection->state() != DrillConnection::State::ready);
  // the same journal again: the drill is recovered, the client comes back with since = 11
  QFile::remove(dir.filePath("port"));
  QProcess second;
  second.start(CYBEREX_BINARY, args);
  QTRY_COMPARE_WITH_TIMEOUT(welcomed.size(), 2, start_timeout_ms);
  QCOMPARE(snapshots.size(), 1); // caught up with records, not with a new snapshot
  call(control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "45m"}});
  EventLogModel* log = control.state->eventLog();
  QVERIFY(log->rowCount() > 8);
  for (int i = 0; i < log->rowCount(); ++i)
    QCOMPARE(log->rowObject(i).value("seq").toInt(), i + 4); // seq 4, 5, ...: none missed, none twice
  QCOMPARE(control.state->clock().time, 2700.0);
  second.terminate();
  QVERIFY(second.waitForFinished(10000));
}

QTEST_MAIN(ConsoleClientTest)
#include "console_client_test.moc"
