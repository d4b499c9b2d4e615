/* The controller console's Attention dock, Teams-at-a-glance matrix and layout (issue 18), end to end on Cyber
 * Atlantic 2011: `cyberex play` plays the shipped responses to a journal, and the test hands its records, in order,
 * to a controller's ConsoleState as a drill server would (a snapshot at T+0, then every record), pausing the clock at
 * chosen times with a clock record. Expected values are derived by hand from the scenario files (cited) or computed
 * from the core's ExerciseState and the journal by code independent of the views'. */
#include "console/attention_dock.hpp"
#include "console/clock_bar.hpp"
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/team_matrix.hpp"
#include "console_support.hpp"
#include "cyberex/exercise_state.hpp"
#include "cyberex/scenario.hpp"
#include "state/record_json.hpp"

#include <QApplication>
#include <QDialog>
#include <QDockWidget>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QListWidget>
#include <QProcess>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <cmath>
#include <memory>

using namespace cyberex;
using namespace cyberex::gui;

namespace {
constexpr const char* scenario_file = CYBEREX_SOURCE_DIR "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";
constexpr const char* responses_file = CYBEREX_SOURCE_DIR "/scenarios/cyber-atlantic-2011/responses.json";
const QStringList players{"cert-de", "cert-fr", "cert-nl", "cert-se", "cert-it", "cert-es", "us-cert", "energy-csirt"};

QJsonObject parse(const std::string& json)
{
  return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

double lastTime(const QJsonArray& items)
{
  double t = -1;
  for (const auto& v : items)
    t = std::max(t, v.toObject().value("time").toDouble());
  return t;
}

/// A step function's value at T: the last point at or before T (0 before the first).
double valueAt(const std::vector<std::pair<double, double>>& points, double t)
{
  double v = 0;
  for (const auto& [time, value] : points)
    if (time <= t)
      v = value;
  return v;
}
} // namespace

class AttentionTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void injectDueSoon();
  void expectationCountdown();
  void reportsUntilSeen();
  void matrixShowsTheCoreFacts();
  void matrixOpensTheTeam();
  void layoutFits1280x800();
  void resetLayoutAndFont();
  void shortcutsAndFocus();
  void idleTeams();
  void geometryClampedToTheScreen();
  void cleanupTestCase();

private:
  /// Hand the records up to T to the console, then pause the clock at T (a clock record, as the server sends).
  void playTo(double t);
  void refresh();

  QTemporaryDir m_dir;
  QList<QJsonObject> m_records;
  int m_next = 0;
  ScenarioCatalog m_catalog;
  std::unique_ptr<DrillConnection> m_connection;
  std::unique_ptr<ConsoleState> m_state;
  std::unique_ptr<ControllerWindow> m_window;
  std::unique_ptr<ExerciseState> m_core; ///< the core's fold of the same records, for the expected values
};

void AttentionTest::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("cyberex-test");
  QCoreApplication::setApplicationName("gui-attention");
  QSettings().clear();
  QVERIFY(m_dir.isValid());
  const QString journal = m_dir.filePath("ca.jsonl");
  QString playError;
  m_records = test::playJournal(scenario_file, responses_file, journal, &playError);
  QVERIFY2(m_records.size() > 1000, qPrintable(playError));

  QString error;
  m_catalog = ScenarioCatalog::load(scenario_file, &error);
  QVERIFY2(m_catalog.loaded, qPrintable(error));
  m_core = std::make_unique<ExerciseState>(*m_catalog.scenario);
  m_connection = std::make_unique<DrillConnection>();
  m_state = std::make_unique<ConsoleState>(m_connection.get());
  m_state->setCatalog(m_catalog);
  // the controller's snapshot at T+0, as a server sends it on connection
  QJsonObject snapshot = parse(m_core->to_json(0, Principal{Role::controller, ""}));
  QVERIFY(snapshot.contains("msel"));
  m_state->applySnapshot(snapshot);
  QCOMPARE(m_state->playerTeams(), players);

  m_window = std::make_unique<ControllerWindow>(m_state.get());
  m_window->resize(1600, 1000);
  m_window->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
  QVERIFY(m_window->attentionList());
  QVERIFY(m_window->teamMatrix());
}

void AttentionTest::playTo(double t)
{
  while (m_next < m_records.size() && m_records.at(m_next).value("time").toDouble() <= t) {
    const QJsonObject& r = m_records.at(m_next++);
    m_state->applyRecord(r);
    if (auto rec = toRecord(r))
      m_core->apply(*rec);
  }
  const double seq = m_records.at(std::max(0, m_next - 1)).value("seq").toDouble();
  m_state->applyRecord({{"seq", seq},
                        {"time", t},
                        {"kind", "exercise"},
                        {"type", "clock"},
                        {"subject", "exercise:cyber-atlantic-2011"},
                        {"details", QJsonObject{{"state", "paused"}, {"time", t}, {"speed", 1}}}});
  QCOMPARE(m_state->clock().time, t);
  refresh();
}

void AttentionTest::refresh()
{
  m_window->attentionList()->refresh();
  m_window->teamMatrix()->refresh();
}

void AttentionTest::injectDueSoon()
{
  AttentionList* list = m_window->attentionList();
  // msel.json: m1-sitrep "time": "H+3 M+0" (10800 s), to seven teams, "Situation report requested"
  playTo(9000);
  QCOMPARE(list->rowOf("inject:m1-sitrep"), -1); // 30 minutes ahead: not yet
  playTo(9800);
  QCOMPARE(list->rowOf("inject:m1-sitrep"), -1); // 16m40s ahead: not yet either
  playTo(10000);
  const int row = list->rowOf("inject:m1-sitrep");
  QVERIFY(row >= 0);
  // 800 s to go: the countdown rounds up to 14 minutes
  QCOMPARE(list->itemText(row), QString("inject in 14m — m1-sitrep to 7 teams: Situation report requested"));
  QCOMPARE(list->list()->item(row)->text(), list->itemText(row));
  QCOMPARE(list->items().at(row).kind, AttentionItem::Kind::injectDue);
  playTo(10800); // delivered: it clears
  QCOMPARE(list->rowOf("inject:m1-sitrep"), -1);
  QCOMPARE(m_state->msel()->status("m1-sitrep"), QString("delivered"));
}

void AttentionTest::expectationCountdown()
{
  AttentionList* list = m_window->attentionList();
  // msel.json: m1-sitrep delivered at H+3 (10800 s); exp-cert-es-sitrep "within": "45m": its deadline is 13500 s
  const QString es = "expectation:exp-cert-es-sitrep/cert-es";
  const QString it = "expectation:exp-cert-it-sitrep/cert-it";
  playTo(12000);
  QCOMPARE(list->rowOf(es), -1); // 25 minutes ahead
  playTo(12500);
  QCOMPARE(list->rowOf(es), -1); // 16m40s ahead
  playTo(12600);
  QVERIFY(list->rowOf(es) >= 0);
  QCOMPARE(list->itemText(list->rowOf(es)),
           QString("due in 15m — cert-es exp-cert-es-sitrep: Send a situation report to the EU CERT."));
  QCOMPARE(list->items().at(list->rowOf(es)).kind, AttentionItem::Kind::dueSoon);
  // cert-it's report comes at 12900 s (responses.json, play-27): due in 15 minutes at 12600, then met and cleared
  QVERIFY(list->rowOf(it) >= 0);
  playTo(12900);
  QCOMPARE(list->itemText(list->rowOf(es)),
           QString("due in 10m — cert-es exp-cert-es-sitrep: Send a situation report to the EU CERT."));
  QCOMPARE(list->rowOf(it), -1);
  // cert-es sends none before the deadline (its late report is at 14700 s): missed at 13500, overdue 5m at 13800
  playTo(13800);
  const int row = list->rowOf(es);
  QVERIFY(row >= 0);
  QCOMPARE(list->itemText(row),
           QString("overdue 5m, missed — cert-es exp-cert-es-sitrep: Send a situation report to the EU CERT."));
  QCOMPARE(list->items().at(row).kind, AttentionItem::Kind::overdue);
  QCOMPARE(list->items().at(0).kind, AttentionItem::Kind::overdue); // overdue items come first
  // activating it acknowledges the miss: it leaves the list, and the MSEL shows the expectation
  list->activate(row);
  QCOMPARE(list->rowOf(es), -1);
  QVERIFY(m_window->tabs()->currentWidget()->isAncestorOf(m_window->mselView()));
  const QModelIndex current = m_window->mselView()->currentIndex();
  QCOMPARE(current.data().toString(), QString("exp-cert-es-sitrep"));
  QCOMPARE(current.parent().data().toString(), QString("m1-sitrep"));
  QCOMPARE(current.siblingAtColumn(1).data().toString(), QString("missed"));
  playTo(13900); // and stays acknowledged
  QCOMPARE(list->rowOf(es), -1);
}

void AttentionTest::reportsUntilSeen()
{
  AttentionList* list = m_window->attentionList();
  // responses.json play-20: cert-de's situation report at 11400 s (03:10:00), 97 characters: cut at 89 and "…"
  int seq = -1;
  for (const QJsonObject& r : m_records)
    if (r.value("type").toString() == "sitrep" && r.value("time").toDouble() == 11400)
      seq = r.value("seq").toInt();
  QVERIFY(seq > 0);
  const QString key = QString("record:%1").arg(seq);
  const int row = list->rowOf(key);
  QVERIFY(row >= 0);
  QCOMPARE(list->itemText(row), QString("situation report — cert-de at 03:10:00: Situation report: APT intrusion, "
                                        "domain administrator compromised, EU RESTRICTED server i…"));
  QCOMPARE(list->items().at(row).kind, AttentionItem::Kind::report);
  // a message: cert-de to three teams at 3900 s (01:05:00, play-3)
  int messages = 0;
  for (const AttentionItem& i : list->items())
    messages += i.kind == AttentionItem::Kind::message;
  QCOMPARE(messages, 4); // msg-1 .. msg-4 were sent by 13900 s (3900, 4200, 11520, 11700)
  // activating the report marks it seen and shows its row in the event log
  list->activate(row);
  QCOMPARE(list->rowOf(key), -1);
  QVERIFY(m_window->tabs()->currentWidget()->isAncestorOf(m_window->eventView()));
  QCOMPARE(m_window->eventView()->currentIndex().siblingAtColumn(0).data().toString(), QString::number(seq));
  // "Mark all seen" clears the rest of the reports and messages
  list->markAllSeen();
  for (const AttentionItem& i : list->items())
    QVERIFY2(i.kind != AttentionItem::Kind::report && i.kind != AttentionItem::Kind::message, qPrintable(i.text));
}

void AttentionTest::matrixShowsTheCoreFacts()
{
  playTo(14400); // T+4h
  TeamMatrix* matrix = m_window->teamMatrix();
  const double now = 14400;
  QCOMPARE(matrix->table()->rowCount(), players.size());
  const KpiHistory history = m_core->series(now);
  const QJsonObject msel = parse(m_core->msel_json());
  for (int r = 0; r < players.size(); ++r) {
    const QString team = players.at(r);
    const TeamGlance& g = matrix->glances().at(r);
    QCOMPARE(g.team, team);
    QCOMPARE(matrix->cellText(r, TeamMatrix::Team), team);
    const QJsonObject view = parse(m_core->team_json(team.toStdString()));
    int unread = 0;
    for (const auto& v : view.value("inbox").toArray())
      unread += v.toObject().value("kind").toString() == "inject" && !v.toObject().value("read").toBool();
    QCOMPARE(g.unreadInjects, unread);
    QCOMPARE(g.lastAction, lastTime(view.value("actions").toArray()));
    QCOMPARE(g.lastReport, lastTime(view.value("sitreps").toArray()));
    int alerts = 0;
    for (const auto& v : view.value("alerts").toArray())
      alerts += v.toObject().value("time").toDouble() > now - 3600;
    QCOMPARE(g.newAlerts, alerts);
    int pending = 0, overdue = 0;
    for (const auto& v : msel.value("expectations").toArray()) {
      const QJsonObject e = v.toObject();
      if (e.value("team").toString() != team)
        continue;
      const QString status = e.value("status").toString();
      const double deadline = e.value("deadline").toDouble();
      if (status == "missed" || (status == "pending" && deadline <= now))
        ++overdue;
      else if (status == "pending")
        ++pending;
    }
    QCOMPARE(g.pending, pending);
    QCOMPARE(g.overdue, overdue);
    QCOMPARE(matrix->cellText(r, TeamMatrix::Expectations).endsWith(QString("%1 / %2").arg(pending).arg(overdue)),
             true);
    QCOMPARE(matrix->cellLevel(r, TeamMatrix::Expectations) == TeamMatrix::Level::bad, overdue > 0);
    double lastSent = -1;
    for (const QJsonObject& rec : m_records)
      if (rec.value("time").toDouble() <= now && rec.value("type").toString() == "message" &&
          rec.value("details").toObject().value("from").toString() == team)
        lastSent = rec.value("time").toDouble();
    QCOMPARE(g.lastMessage, lastSent);
    for (const auto& [scored, points] : history.scores)
      if (QString::fromStdString(scored) == team) {
        QVERIFY(std::abs(g.score - valueAt(points, now)) < 1e-9);
        QVERIFY(std::abs(g.scoreHourAgo - valueAt(points, now - 3600)) < 1e-9);
      }
  }
  // by hand, cert-de (row 0): last action at 11400 s (play-19, isolate): "50m ago"; report at 11400 too; its last
  // message at 11520 s (play-21): "48m ago"
  QCOMPARE(matrix->cellText(0, TeamMatrix::LastAction), QString("50m ago"));
  QCOMPARE(matrix->cellLevel(0, TeamMatrix::LastAction), TeamMatrix::Level::ok);
  QCOMPARE(matrix->cellText(0, TeamMatrix::LastReport), QString("50m ago"));
  QCOMPARE(matrix->cellText(0, TeamMatrix::LastMessage), QString("48m ago"));
  // cert-es (row 5) missed its situation report (deadline 13500 s): its expectations cell says so in red and "!!"
  QVERIFY(matrix->cellText(5, TeamMatrix::Expectations).startsWith("!! "));
  QCOMPARE(matrix->cellLevel(5, TeamMatrix::Expectations), TeamMatrix::Level::bad);

  // the screenshots: a controller window opened now, nothing seen yet (the map tab, as a window opens)
  if (!qEnvironmentVariableIsEmpty("CYBEREX_SHOT_DIR")) {
    ControllerWindow shot(m_state.get());
    for (const auto& [name, size] :
         {std::pair{"gui-attention.png", QSize(1600, 1000)}, std::pair{"gui-attention-1280.png", QSize(1280, 800)}}) {
      shot.resize(size);
      shot.show();
      QTest::qWait(300);
      shot.attentionList()->refresh();
      shot.teamMatrix()->refresh();
      QTest::qWait(100);
      QVERIFY(shot.grab().save(qEnvironmentVariable("CYBEREX_SHOT_DIR") + "/" + name));
    }
  }
}

void AttentionTest::matrixOpensTheTeam()
{
  TeamMatrix* matrix = m_window->teamMatrix();
  emit matrix->table()->cellDoubleClicked(3, 2); // cert-se
  QCOMPARE(m_window->selectedTeam(), QString("cert-se"));
  QVERIFY(m_window->tabs()->currentWidget()->isAncestorOf(m_window->teamsView()));
}

void AttentionTest::layoutFits1280x800()
{
  for (const char* dock : {"attentionDock", "teamMatrixDock", "leaderboardDock", "dashboardDock"}) {
    auto* d = m_window->findChild<QDockWidget*>(dock);
    QVERIFY2(d, dock);
    QVERIFY2(d->isVisible() && !d->isFloating(), dock);
  }
  const QSize hint = m_window->minimumSizeHint();
  QVERIFY2(hint.width() <= 1280 && hint.height() <= 800,
           qPrintable(QString("minimum size %1x%2").arg(hint.width()).arg(hint.height())));
  m_window->resize(1280, 800);
  QTest::qWait(50);
  QCOMPARE(m_window->size(), QSize(1280, 800));
  m_window->resize(1600, 1000);
}

void AttentionTest::resetLayoutAndFont()
{
  auto* attention = m_window->findChild<QDockWidget*>("attentionDock");
  auto* dash = m_window->findChild<QDockWidget*>("dashboardDock");
  attention->hide();
  m_window->findChild<QAction*>("detachDashboard")->trigger();
  QVERIFY(dash->isFloating());
  QVERIFY(dash->isWindow()); // a top-level window of its own: it can go to a projector
  m_window->setFontScale(1.3);
  QCOMPARE(m_window->fontScale(), 1.3);
  const double base = QApplication::font().pointSizeF();
  QVERIFY(std::abs(m_window->font().pointSizeF() - base * 1.3) < 0.01);
  QCOMPARE(QSettings().value("controller/fontScale").toDouble(), 1.3);
  m_window->findChild<QAction*>("resetLayout")->trigger();
  QVERIFY(attention->isVisible());
  QVERIFY(!dash->isFloating());
  QCOMPARE(m_window->dockWidgetArea(attention), Qt::LeftDockWidgetArea);
  QCOMPARE(m_window->dockWidgetArea(dash), Qt::RightDockWidgetArea);
  QCOMPARE(m_window->dockWidgetArea(m_window->findChild<QDockWidget*>("teamMatrixDock")), Qt::BottomDockWidgetArea);
  QCOMPARE(m_window->fontScale(), 1.0);
  QVERIFY(std::abs(m_window->font().pointSizeF() - base) < 0.01);
  m_window->findChild<QAction*>("fontLarger")->trigger();
  QCOMPARE(m_window->fontScale(), 1.1);
  m_window->findChild<QAction*>("fontReset")->trigger();
  QCOMPARE(m_window->fontScale(), 1.0);
}

void AttentionTest::shortcutsAndFocus()
{
  const auto list = m_window->shortcuts();
  auto has = [&](const QString& command, const QString& keys) {
    return list.contains(QPair<QString, QString>(command, keys));
  };
  QVERIFY(has("Keyboard shortcuts", "F1"));
  QVERIFY(has("New inject…", QKeySequence(Qt::CTRL | Qt::Key_I).toString(QKeySequence::NativeText)));
  QVERIFY(has("Normal font size", QKeySequence(Qt::CTRL | Qt::Key_0).toString(QKeySequence::NativeText)));
  const QString play = m_window->clockBar()->playPauseAction()->text().remove('&');
  QVERIFY2(has(play, "Space"), qPrintable(play));
  QDialog* dialog = m_window->showShortcuts();
  auto* table = dialog->findChild<QTableWidget*>("shortcutTable");
  QVERIFY(table);
  QCOMPARE(table->rowCount(), list.size());
  QCOMPARE(table->item(0, 0)->text(), list.at(0).first);
  dialog->close();

  // a new window starts on the map, with the keyboard focus there (Space then starts the clock)
  ControllerWindow second(m_state.get());
  second.show();
  second.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&second));
  QCOMPARE(second.tabs()->currentIndex(), 0);
  QVERIFY(second.mapWidget()->hasFocus() || second.mapWidget()->isAncestorOf(QApplication::focusWidget()));
  QCOMPARE(second.attentionList()->list()->accessibleName(), QString("Needs attention"));
  QCOMPARE(second.teamMatrix()->table()->accessibleName(), QString("Teams at a glance"));
}

void AttentionTest::idleTeams()
{
  const double now = 21600; // T+6h
  playTo(now);
  // cyberex check's definition, computed here from the journal's audiences: the last inject or message delivered to
  // the team, alert to it, or action or message of its own
  QMap<QString, double> last;
  for (const QJsonObject& r : m_records) {
    if (r.value("time").toDouble() > now)
      break;
    const QString type = r.value("type").toString();
    if (type != "inject" && type != "message" && type != "alert" && type != "action_started")
      continue;
    for (const auto& t : r.value("audience").toArray())
      last[t.toString()] = r.value("time").toDouble();
  }
  QStringList expected;
  for (const QString& team : players)
    if (now - last.value(team, 0) > 3600)
      expected.append(team);
  // by hand from the journal: the three teams that had nothing since 04:48:00 (the m2 injects went to others)
  QCOMPARE(expected, QStringList({"cert-fr", "cert-nl", "cert-se"}));
  QStringList idle;
  AttentionList* list = m_window->attentionList();
  for (const AttentionItem& i : list->items())
    if (i.kind == AttentionItem::Kind::idle) {
      idle.append(i.team);
      QCOMPARE(i.text, QString("idle %1 — %2: no inject, alert, message or action since %3")
                           .arg(formatSpan(now - last.value(i.team)), i.team, formatSimTime(last.value(i.team))));
    }
  QCOMPARE(idle, expected);
  // the matrix says the same: their last action more than an hour ago is flagged
  list->activate(list->rowOf("idle:cert-nl"));
  QCOMPARE(m_window->selectedTeam(), QString("cert-nl"));
  // a longer threshold: nobody is idle
  list->setIdleThreshold(2 * 3600);
  for (const AttentionItem& i : list->items())
    QVERIFY(i.kind != AttentionItem::Kind::idle);
}

void AttentionTest::geometryClampedToTheScreen()
{
  // a geometry saved on a larger screen, partly off it
  QWidget big;
  big.setGeometry(-400, -300, 5000, 3000);
  QSettings().setValue("controller/geometry", big.saveGeometry());
  ControllerWindow window(m_state.get());
  const QRect room = window.screen()->availableGeometry();
  QVERIFY2(room.contains(window.geometry()), qPrintable(QString("window %1,%2 %3x%4 on a screen %5x%6")
                                                            .arg(window.geometry().x())
                                                            .arg(window.geometry().y())
                                                            .arg(window.width())
                                                            .arg(window.height())
                                                            .arg(room.width())
                                                            .arg(room.height())));
  QSettings().remove("controller/geometry");
  // and a window moved and grown off the screen while it runs, then clamped
  window.setGeometry(-400, -300, 5000, 3000);
  window.clampToScreen();
  QVERIFY(room.contains(window.geometry()));
  QCOMPARE(window.width(), room.width());
  QCOMPARE(window.geometry().topLeft(), room.topLeft());
}

void AttentionTest::cleanupTestCase()
{
  m_window.reset();
  QSettings().clear();
}

// the offscreen platform's screen is 800x600 unless told: give it the 1280x800 of the smallest screen the controller
// console must fit (tests/gui/data/screen-1280x800.json)
int main(int argc, char** argv)
{
  if (qgetenv("QT_QPA_PLATFORM") == "offscreen")
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" CYBEREX_SOURCE_DIR "/tests/gui/data/screen-1280x800.json");
  QApplication app(argc, argv);
  AttentionTest test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "attention_test.moc"
