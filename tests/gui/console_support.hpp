/* Shared by the console tests: a real local drill server (cyberex serve on loopback) and helpers. */
#pragma once

#include "console/console_state.hpp"
#include "console/local_server.hpp"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <source_location>
#include <vector>

namespace cyberex::gui::test {

constexpr int start_timeout_ms = 60000;
constexpr int reply_timeout_ms = 30000;

constexpr const char* tutorial_scenario = CYBEREX_SOURCE_DIR "/scenarios/tutorial/tutorial.json";

/// Point LocalServer at the cyberex binary this test was built with.
inline void useBuiltBinary()
{
  qputenv("CYBEREX_BINARY", CYBEREX_BINARY);
}

/// A new journal path in a folder of the test process (removed when it exits).
inline QString testJournal()
{
  static QTemporaryDir dir;
  static int n = 0;
  return dir.filePath(QStringLiteral("drill-%1.journal").arg(++n));
}

/// The records (the objects with a seq and a type) of the journal `cyberex play SCENARIO --play RESPONSES --journal
/// JOURNAL` writes; empty, with the reason in *ERROR, when the play fails. $CYBEREX_BINARY first, as cyberex-gui does
/// (a build of the GUI alone can play with another tree's cyberex).
inline QList<QJsonObject> playJournal(const QString& scenario, const QString& responses, const QString& journal,
                                      QString* error)
{
  QProcess play;
  play.start(qEnvironmentVariable("CYBEREX_BINARY", QStringLiteral(CYBEREX_BINARY)),
             {"play", scenario, "--play", responses, "--journal", journal});
  if (!play.waitForFinished(180000) || play.exitCode() != 0) {
    *error = QStringLiteral("cyberex play failed: ") + QString::fromUtf8(play.readAllStandardError());
    return {};
  }
  QFile file(journal);
  if (!file.open(QIODevice::ReadOnly)) {
    *error = QStringLiteral("no journal ") + journal;
    return {};
  }
  QList<QJsonObject> records;
  while (!file.atEnd()) {
    const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
    if (o.contains("seq") && o.contains("type"))
      records.append(o);
  }
  return records;
}

/// Start SERVER on SCENARIO with a new journal and wait until it listens; empty, or why it did not start.
inline QString startServer(LocalServer& server, const QString& scenario = tutorial_scenario)
{
  QSignalSpy ready(&server, &LocalServer::ready);
  QSignalSpy failed(&server, &LocalServer::failed);
  server.start(scenario, testJournal());
  if (!QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, start_timeout_ms))
    return "the server did not start within the timeout";
  return failed.value(0).value(0).toString();
}

/// One console connected to a drill: its connection and its state.
struct Client {
  std::unique_ptr<DrillConnection> connection = std::make_unique<DrillConnection>();
  std::unique_ptr<ConsoleState> state = std::make_unique<ConsoleState>(connection.get());
  std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;

  /// Check every model of the state (and any proxy given) with QAbstractItemModelTester, failing the test on a
  /// violation, from now on.
  void testModels(std::initializer_list<QAbstractItemModel*> extra = {})
  {
    for (QAbstractItemModel* m :
         {static_cast<QAbstractItemModel*>(state->eventLog()), static_cast<QAbstractItemModel*>(state->msel()),
          static_cast<QAbstractItemModel*>(state->expectations()), static_cast<QAbstractItemModel*>(state->inbox()),
          static_cast<QAbstractItemModel*>(state->alerts()), static_cast<QAbstractItemModel*>(state->sitreps()),
          static_cast<QAbstractItemModel*>(state->assets()), static_cast<QAbstractItemModel*>(state->leaderboard()),
          static_cast<QAbstractItemModel*>(state->scores())})
      testers.push_back(
          std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::QtTest));
    for (QAbstractItemModel* m : extra)
      testers.push_back(
          std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::QtTest));
  }
};

/// Send COMMAND through STATE and wait for its reply; returns the result. No reply fails the calling test; so does a
/// rejection, unless ERROR is given (the caller then checks *error: the rejections it expects). The failure is
/// reported at the caller's line.
inline QJsonValue call(ConsoleState* state, const QJsonObject& command, QString* error = nullptr,
                       const std::source_location where = std::source_location::current())
{
  bool done = false;
  bool ok = false;
  QJsonValue result;
  QString message;
  state->send(
      command,
      [&](const QJsonValue& r) {
        done = ok = true;
        result = r;
      },
      [&](const QString& m) {
        done = true;
        message = m;
      });
  const QString type = command.value("type").toString();
  if (!QTest::qWaitFor([&] { return done; }, reply_timeout_ms))
    QTest::qFail(qPrintable("no reply to '" + type + "'"), where.file_name(), static_cast<int>(where.line()));
  else if (!ok && !error)
    QTest::qFail(qPrintable("'" + type + "' rejected: " + message), where.file_name(), static_cast<int>(where.line()));
  if (error)
    *error = message;
  return result;
}

} // namespace cyberex::gui::test
