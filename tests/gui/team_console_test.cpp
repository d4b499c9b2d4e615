/* The team console on a local drill of Cyber Atlantic 2011 (issue 18): it opens within the screen, counts the injects
 * and alerts that arrived while their tab was not in front (as many as the core's state delivered to the team) and
 * clears the count when the tab is viewed, a toast names each inject and alert that arrives while its tab is not in
 * front (a beep too when asked for), its action form shows exactly the fields of each action and a wheel on the
 * closed action combo does not change the action, its errors are plain words and its map starts fitted and finds a
 * node. */
#include "console_support.hpp"

#include "console/action_form.hpp"
#include "console/team_window.hpp"
#include "console/toast.hpp"
#include "map/map_view.hpp"

#include "cyberex/exercise_state.hpp"
#include "cyberex/journal.hpp"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeView>
#include <QWheelEvent>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {

constexpr const char* ca2011 = CYBEREX_SOURCE_DIR "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";
constexpr const char* TEAM = "cert-de";

/// The inbox items and alerts the core delivered to TEAM by time T, in delivery order: the server's journal, read and
/// folded by the core (cyberex::Timeline), not by the console.
std::pair<QJsonArray, QJsonArray> deliveredItems(const QString& journal, double t)
{
  cyberex::Timeline timeline;
  std::string error;
  if (!timeline.open(journal.toStdString(), &error))
    return {};
  const cyberex::ExerciseState state = timeline.fold_to(t);
  auto array = [](const std::string& json) { return QJsonDocument::fromJson(QByteArray::fromStdString(json)).array(); };
  return {array(state.inbox_json(TEAM)), array(state.alerts_json(TEAM))};
}

/// How many injects (inbox items) and alerts the core delivered to TEAM by time T.
std::pair<int, int> delivered(const QString& journal, double t)
{
  const auto [inbox, alerts] = deliveredItems(journal, t);
  return {static_cast<int>(inbox.size()), static_cast<int>(alerts.size())};
}

/// The notifications of the items FROM.. of the core's INBOX and ALERTS, as the team console words them (written out
/// here from the item's fields, not by the console's functions): sorted, the order between an inject and an alert of
/// the same second being the server's.
QStringList expectedNotifications(const QJsonArray& inbox, qsizetype fromInbox, const QJsonArray& alerts,
                                  qsizetype fromAlerts)
{
  QStringList out;
  for (qsizetype i = fromInbox; i < inbox.size(); ++i) {
    const QJsonObject o = inbox.at(i).toObject();
    const QString kind = o.value("kind").toString();
    out.append(o.value("from").toString().isEmpty()
                   ? QString("New %1: %2").arg(kind, o.value("title").toString())
                   : QString("New %1 from %2: %3").arg(kind, o.value("from").toString(), o.value("title").toString()));
  }
  for (qsizetype i = fromAlerts; i < alerts.size(); ++i) {
    const QJsonObject o = alerts.at(i).toObject();
    out.append(QString("New alert: %1 on %2 (%3)")
                   .arg(o.value("kind").toString(), o.value("node").toString(), o.value("sensor").toString()));
  }
  out.sort();
  return out;
}

QStringList sortedTexts(const QSignalSpy& spy)
{
  QStringList out;
  for (const auto& args : spy)
    out.append(args.at(0).toString());
  out.sort();
  return out;
}

} // namespace

class TeamConsoleTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void opensWithinTheScreen();
  void unreadCountsFollowTheCoreState();
  void actionFormShowsOnlyTheActionsFields();
  void wheelOnTheClosedComboKeepsTheAction();
  void errorsInPlainWords();
  void mapStartsFittedAndFindsANode();
  void screenshots();
  void cleanupTestCase();

private:
  LocalServer m_server;
  Client m_control;
  Client m_team;
  std::unique_ptr<TeamWindow> m_window;
};

void TeamConsoleTest::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  const QString error = startServer(m_server, ca2011);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QVERIFY(m_server.tokens().contains(QString("player:") + TEAM));
  for (auto [client, token] : {std::pair{&m_control, QString("controller")}, {&m_team, QString("player:") + TEAM}}) {
    client->connection->setReconnectDelay(0);
    client->connection->open(m_server.url(), m_server.tokens().value(token));
    QVERIFY(QTest::qWaitFor([&] { return client->state->hasSnapshot(); }, start_timeout_ms));
  }
  QString error2;
  const ScenarioCatalog catalog = ScenarioCatalog::load(ca2011, &error2);
  QVERIFY2(catalog.loaded, qPrintable(error2));
  m_team.state->setCatalog(catalog);
  m_control.state->setCatalog(catalog); // the controller's fold: the core's state of every team
  m_window = std::make_unique<TeamWindow>(m_team.state.get());
  m_window->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TeamConsoleTest::opensWithinTheScreen()
{
  const QRect area = m_window->screen()->availableGeometry();
  QCOMPARE(area, QRect(0, 0, 1280, 800));
  QVERIFY2(area.contains(m_window->frameGeometry()), qPrintable(QString("window %1,%2 %3x%4 outside the screen %5x%6")
                                                                    .arg(m_window->frameGeometry().x())
                                                                    .arg(m_window->frameGeometry().y())
                                                                    .arg(m_window->frameGeometry().width())
                                                                    .arg(m_window->frameGeometry().height())
                                                                    .arg(area.width())
                                                                    .arg(area.height())));
  // a saved geometry from a bigger screen, partly off this one: shrunk and moved back on it
  QWidget w;
  w.resize(area.width() + 700, area.height() + 400);
  w.move(area.right() - 100, area.bottom() - 50);
  TeamWindow::fitOnScreen(&w, true);
  QVERIFY(area.contains(w.geometry()));
  // no saved geometry: centred
  QWidget c;
  c.resize(area.width() / 2, area.height() / 2);
  TeamWindow::fitOnScreen(&c, false);
  QCOMPARE(c.geometry().center(), area.center());
}

void TeamConsoleTest::unreadCountsFollowTheCoreState()
{
  TeamWindow& w = *m_window;
  // what the console had when it opened with its inbox in front: seen
  const auto [seenInjects, seenAlerts] = delivered(m_server.journal(), m_team.state->clock().time);
  QCOMPARE(m_team.state->inbox()->rowCount(), seenInjects);
  w.tabs()->setCurrentWidget(w.assetView()); // neither the inbox nor the alerts in front
  QCOMPARE(w.unreadInbox(), 0);
  QCOMPARE(w.tabs()->tabText(0), QString("&Inbox"));
  QVERIFY(!w.soundAction()->isChecked()); // no sound unless asked for
  QSignalSpy toasts(w.toasts(), &ToastArea::shown);
  // 2 h into the drill: the STARTEX, the lure report at 30 min and what the campaign triggered reached cert-de
  call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "2h"}});
  QTRY_COMPARE_WITH_TIMEOUT(m_team.state->clock().time, 7200.0, reply_timeout_ms);
  QTRY_COMPARE_WITH_TIMEOUT(m_team.state->inbox()->rowCount(), delivered(m_server.journal(), 7200).first,
                            reply_timeout_ms);
  const auto [injects, alerts] = delivered(m_server.journal(), 7200);
  QTRY_COMPARE_WITH_TIMEOUT(m_team.state->alerts()->rowCount(), alerts, reply_timeout_ms);
  // on the assets tab: a toast for each inject and alert, naming it
  const auto [inbox2h, alerts2h] = deliveredItems(m_server.journal(), 7200);
  QCOMPARE(sortedTexts(toasts), expectedNotifications(inbox2h, seenInjects, alerts2h, seenAlerts));
  QCOMPARE(w.beeps(), 0);
  QVERIFY2(injects - seenInjects >= 1, qPrintable(QString::number(injects))); // the lure report at H+0 M+30 at least
  QVERIFY2(alerts - seenAlerts >= 1, qPrintable(QString::number(alerts)));
  QCOMPARE(m_team.state->alerts()->rowCount(), alerts);
  QCOMPARE(w.unreadInbox(), injects - seenInjects);
  QCOMPARE(w.unreadAlerts(), alerts - seenAlerts);
  QCOMPARE(w.tabs()->tabText(0), QString("&Inbox (%1)").arg(injects - seenInjects));
  QCOMPARE(w.tabs()->tabText(1), QString("&Alerts (%1)").arg(alerts - seenAlerts));
  QVERIFY(!w.lastNotification().isEmpty());
  QCOMPARE(w.statusBar()->currentMessage(), w.lastNotification());

  // viewed: cleared, each on its own
  w.tabs()->setCurrentIndex(0);
  QCOMPARE(w.unreadInbox(), 0);
  QCOMPARE(w.tabs()->tabText(0), QString("&Inbox"));
  QCOMPARE(w.unreadAlerts(), alerts);
  w.tabs()->setCurrentIndex(1);
  QCOMPARE(w.unreadAlerts(), 0);
  QCOMPARE(w.tabs()->tabText(1), QString("&Alerts"));
  // what comes while the alerts are in front is not counted for them, but is for the inbox; it toasts the injects
  // only (the alerts are in view), and beeps for both once the sound is on
  toasts.clear();
  w.soundAction()->setChecked(true);
  call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "3h"}});
  QTRY_COMPARE_WITH_TIMEOUT(m_team.state->clock().time, 10800.0, reply_timeout_ms);
  QTRY_COMPARE_WITH_TIMEOUT(m_team.state->inbox()->rowCount(), delivered(m_server.journal(), 10800).first,
                            reply_timeout_ms);
  const auto [inbox3h, alerts3h] = deliveredItems(m_server.journal(), 10800);
  QTRY_COMPARE_WITH_TIMEOUT(m_team.state->alerts()->rowCount(), static_cast<int>(alerts3h.size()), reply_timeout_ms);
  QCOMPARE(w.unreadAlerts(), 0);
  QCOMPARE(w.unreadInbox(), delivered(m_server.journal(), 10800).first - injects);
  QVERIFY(w.unreadInbox() >= 1); // the move 1 situation report request at H+3
  QCOMPARE(sortedTexts(toasts), expectedNotifications(inbox3h, injects, {}, 0));
  QCOMPARE(w.beeps(), static_cast<int>((inbox3h.size() - injects) + (alerts3h.size() - alerts)));
  w.soundAction()->setChecked(false);
}

void TeamConsoleTest::actionFormShowsOnlyTheActionsFields()
{
  ActionForm* form = m_window->actionForm();
  m_window->tabs()->setCurrentIndex(3);
  // the scenario's actions a team sends with "action" (share, report and communicate are messages and sitreps)
  QStringList offered;
  for (int i = 0; i < form->actionBox()->count(); ++i)
    offered.append(form->actionBox()->itemText(i));
  // the scenario's actions a team sends with "action" (the catalog completes the scenario's list with the protocol's
  // others; share, report and communicate are messages and sitreps)
  QCOMPARE(offered, QStringList({"isolate", "reconnect", "block", "patch", "reset_credentials", "restore",
                                 "manual_operations", "shutdown_service", "restore_service", "public_statement",
                                 "close_breaker", "refuel", "filter_ddos", "stop_filtering"}));
  // each action's fields, from the validation in sim/src/engine/actions.cpp
  const QList<std::pair<QString, QStringList>> expected{
      {"isolate", {"target", "text"}},
      {"reconnect", {"target", "text"}},
      {"block", {"indicator", "text"}},
      {"patch", {"target", "vulnerability", "text"}},
      {"reset_credentials", {"target", "text"}},
      {"restore", {"target", "text"}},
      {"manual_operations", {"target", "text"}},
      {"shutdown_service", {"service", "text"}},
      {"restore_service", {"service", "text"}},
      {"public_statement", {"kind", "text"}},
      {"close_breaker", {"target", "text"}},
      {"refuel", {"target", "text"}},
      {"filter_ddos", {"target", "indicator", "mode", "text"}},
      {"stop_filtering", {"target", "text"}},
  };
  for (const auto& [action, fields] : expected) {
    QVERIFY2(form->setAction(action), qPrintable(action));
    QCOMPARE(form->visibleFields(), fields);
    QCOMPARE(ActionForm::fieldsOf(action), fields);
  }
  // targets: the team's own nodes only; patch offers the chosen node's vulnerabilities
  auto* target = qobject_cast<QComboBox*>(form->fieldEditor("target"));
  QVERIFY(target->findText("node:de-fs") >= 0);
  QCOMPARE(target->findText("node:fr-fs"), -1);
  form->setAction("patch");
  auto* vuln = qobject_cast<QComboBox*>(form->fieldEditor("vulnerability"));
  const auto* team = m_team.state->catalog().team(TEAM);
  QVERIFY(team && !team->vulnerabilities.isEmpty());
  const QString vulnerable = team->vulnerabilities.firstKey();
  form->setField("target", "node:" + vulnerable);
  QCOMPARE(vuln->count(), 1 + team->vulnerabilities.value(vulnerable).size());
  QCOMPARE(vuln->itemText(1), team->vulnerabilities.value(vulnerable).value(0));
  form->setField("target", "node:de-core"); // the core switch: nothing to patch
  QVERIFY(!team->vulnerabilities.contains("de-core"));
  QCOMPARE(vuln->count(), 1);

  // the command has the action's fields and nothing else, whatever the hidden fields hold
  form->setAction("block");
  form->setField("target", "node:de-fs");
  form->setField("indicator", "ioc-lure1-sender");
  QString error;
  QCOMPARE(form->command(&error),
           QJsonObject({{"type", "action"}, {"action", "block"}, {"indicator", "ioc-lure1-sender"}}));
  QCOMPARE(error, QString());
  form->setField("indicator", QString());
  QCOMPARE(form->command(&error), QJsonObject());
  QCOMPARE(error, QString("To block, choose an indicator."));
  form->setAction("isolate");
  form->setField("target", "node:de-fs");
  form->setField("text", "contain the file server");
  QCOMPARE(
      form->command(&error),
      QJsonObject(
          {{"type", "action"}, {"action", "isolate"}, {"target", "node:de-fs"}, {"text", "contain the file server"}}));
}

void TeamConsoleTest::wheelOnTheClosedComboKeepsTheAction()
{
  ActionForm* form = m_window->actionForm();
  QComboBox* box = form->actionBox();
  QVERIFY(form->setAction("block"));
  QCOMPARE(box->focusPolicy(), Qt::StrongFocus);
  for (int delta : {-120, 120, -120}) {
    const QPointF at(box->width() / 2.0, box->height() / 2.0);
    QWheelEvent wheel(at, box->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(box, &wheel);
    QCOMPARE(form->action(), QString("block"));
  }
  QCOMPARE(form->visibleFields(), QStringList({"indicator", "text"}));
  // a plain combo would have moved: the test can fail
  QComboBox plain;
  plain.addItems({"block", "patch"});
  const QPointF at(5, 5);
  QWheelEvent wheel(at, at, QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(&plain, &wheel);
  QCOMPARE(plain.currentText(), QString("patch"));
}

void TeamConsoleTest::errorsInPlainWords()
{
  QCOMPARE(
      plainActionError("action rejected: (/indicator) indicator \"ioc-c2\" is unknown to your team: it was in none "
                       "of your alerts, injects or messages [unknown-indicator]"),
      QString("The action was refused. Indicator \"ioc-c2\" is unknown to your team: it was in none of your "
              "alerts, injects or messages."));
  QCOMPARE(plainActionError("action rejected: (/service) \"x\" is not a service of team \"cert-de\" [not-owner]"),
           QString("The action was refused. Service: \"x\" is not a service of team \"cert-de\"."));
  QCOMPARE(plainActionError("the connection closed"), QString("the connection closed"));

  // through the drill: a block of an indicator cert-de never received
  ActionForm* form = m_window->actionForm();
  form->setAction("block");
  form->setField("indicator", "ioc-ics-logic-hash");
  m_window->findChild<QPushButton*>("actionSubmit")->click();
  const QString expected = "The action was refused. Indicator \"ioc-ics-logic-hash\" is unknown to your team: it was "
                           "in none of your alerts, injects or messages.";
  QTRY_COMPARE_WITH_TIMEOUT(m_window->actionResult()->text(), expected, reply_timeout_ms);
  QCOMPARE(m_window->errorLabel()->text(), expected);
  // a missing field is said before anything is sent
  form->setField("indicator", QString());
  m_window->submitAction();
  QCOMPARE(m_window->actionResult()->text(), QString("To block, choose an indicator."));
}

void TeamConsoleTest::mapStartsFittedAndFindsANode()
{
  MapView* map = m_window->mapView();
  QVERIFY(map);
  m_window->tabs()->setCurrentIndex(m_window->tabs()->count() - 1);
  QCOMPARE(m_window->tabs()->tabText(m_window->tabs()->count() - 1), QString("Ma&p"));
  QTRY_VERIFY(map->isVisible() && map->width() > 100);
  // every node of the scenario is inside the view
  const QRectF view(0, 0, map->width(), map->height());
  for (const QString& id : m_team.state->catalog().nodes) {
    const QPointF p = (map->nodePosition(id) - map->viewCenter()) * map->zoom() + view.center();
    QVERIFY2(view.contains(p), qPrintable(id));
  }
  QLineEdit* search = m_window->mapSearch();
  QVERIFY(search);
  search->setText("de-fs-restricted");
  QTest::keyClick(search, Qt::Key_Return);
  QCOMPARE(map->selectedNode(), QString("de-fs-restricted"));
  search->setText("no-such-node");
  QTest::keyClick(search, Qt::Key_Return);
  QCOMPARE(m_window->statusBar()->currentMessage(), QString("No node matches \"no-such-node\""));
}

void TeamConsoleTest::screenshots()
{
  const QByteArray dir = qgetenv("CYBEREX_GUI_SHOTS"); // the docs' screenshots, on demand
  if (dir.isEmpty())
    QSKIP("set CYBEREX_GUI_SHOTS to a folder to write docs/gui-team*.png and docs/gui-team-toast*.png");
  // the actions tab with a block being written, unread counts in the tab titles
  call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "4h"}});
  QTRY_COMPARE_WITH_TIMEOUT(m_team.state->clock().time, 14400.0, reply_timeout_ms);
  m_window->tabs()->setCurrentIndex(3);
  const auto* team = m_team.state->catalog().team(TEAM);
  QVERIFY(team && !team->vulnerabilities.isEmpty());
  m_window->actionForm()->setAction("patch");
  m_window->actionForm()->setField("target", "node:" + team->vulnerabilities.firstKey());
  m_window->actionForm()->setField("vulnerability", team->vulnerabilities.first().value(0));
  // the notifications of the step gone first: this one shows the form
  QTRY_VERIFY_WITH_TIMEOUT(m_window->toasts()->messages().isEmpty(), 2 * ToastArea::lifetime_ms);
  for (const QSize size : {QSize(1600, 1000), QSize(1280, 800)}) {
    m_window->resize(size);
    QTest::qWait(300);
    const QString name = size.width() == 1600 ? "gui-team.png" : "gui-team-1280.png";
    QVERIFY(m_window->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name)));
  }
  // the map in front as the next hour's injects and alerts arrive: their toasts over it
  m_window->tabs()->setCurrentIndex(m_window->tabs()->count() - 1);
  m_window->mapSearch()->clear();
  m_window->mapView()->fitAll();
  call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "5h"}});
  QTRY_VERIFY_WITH_TIMEOUT(!m_window->toasts()->messages().isEmpty(), reply_timeout_ms);
  for (const QSize size : {QSize(1600, 1000), QSize(1280, 800)}) {
    m_window->resize(size);
    QTest::qWait(300);
    const QString name = size.width() == 1600 ? "gui-team-toast.png" : "gui-team-toast-1280.png";
    QVERIFY(m_window->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name)));
  }
}

void TeamConsoleTest::cleanupTestCase()
{
  m_window.reset();
  m_server.stop();
}

// the White Cell's small screen, 1280x800 (offscreen's default is 800x600)
int main(int argc, char** argv)
{
  QTemporaryDir dir;
  const QString config = dir.filePath("screens.json");
  QFile f(config);
  if (!f.open(QIODevice::WriteOnly) ||
      f.write(R"({"screens": [{"name": "small", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96}]})") <
          0)
    return 2;
  f.close();
  qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + QFile::encodeName(config));
  QApplication app(argc, argv);
  app.setAttribute(Qt::AA_Use96Dpi, true);
  TeamConsoleTest test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "team_console_test.moc"
