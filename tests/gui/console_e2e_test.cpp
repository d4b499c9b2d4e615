/* End to end: a real tutorial drill served by `cyberex serve`, the controller console and a team console on it,
 * driven through their widgets as a White Cell and a team would, checking what each window shows. */
#include "console_support.hpp"

#include "charts/dashboard.hpp"
#include "console/assessment_form.hpp"
#include "console/clock_bar.hpp"
#include "console/controller_window.hpp"
#include "console/dialogs.hpp"
#include "console/team_window.hpp"
#include "map/map_view.hpp"
#include "state/exercise_state_model.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTextBrowser>
#include <QTreeView>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {
QString cell(const QAbstractItemModel* m, int row, int column)
{
  return m->index(row, column).data().toString();
}
void checkItem(QListWidget* list, const QString& id)
{
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->data(Qt::UserRole).toString() == id)
      list->item(i)->setCheckState(Qt::Checked);
}
} // namespace

class ConsoleEndToEndTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void controllerShowsTheDrill();
  void clockFromTheKeyboard();
  void releaseAnInject();
  void teamConsoleActs();
  void rateAnObjective();
  void eventLogFilters();
  void mapAndDashboardFollowTheDrill();
  void cleanupTestCase();

private:
  LocalServer m_server;
  Client m_control;
  std::unique_ptr<ControllerWindow> m_window;
  QPointer<TeamWindow> m_team;
  double m_releasedAt = 0;
};

void ConsoleEndToEndTest::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  QString error = startServer(m_server);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  const ScenarioCatalog catalog = ScenarioCatalog::load(tutorial_scenario, &error);
  QVERIFY2(catalog.loaded, qPrintable(error));
  m_control.state->setCatalog(catalog);
  m_control.testModels();
  m_window = std::make_unique<ControllerWindow>(m_control.state.get());
  m_window->setDrillAccess(m_server.url(), m_server.tokens());
  m_window->show();
  m_control.connection->open(m_server.url(), m_server.tokens().value("controller"));
  QTRY_VERIFY_WITH_TIMEOUT(m_control.state->hasSnapshot(), start_timeout_ms);
}

void ConsoleEndToEndTest::controllerShowsTheDrill()
{
  ClockBar* clock = m_window->clockBar();
  QCOMPARE(m_window->windowTitle(),
           QString("cyberex — Tutorial: one agency, one utility, one bad day — exercise control"));
  QCOMPARE(clock->stateLabel()->text(), QString("ready"));
  QCOMPARE(clock->timeLabel()->text(), QString("T+00:00:00"));
  QCOMPARE(clock->situationLabel()->text(), QString("Situation 2011-11-03 09:00:00"));
  QCOMPARE(clock->playPauseAction()->text(), QString("Start"));
  QCOMPARE(clock->playPauseAction()->shortcut(), QKeySequence(Qt::Key_Space));
  QCOMPARE(clock->stepAction()->shortcut(), QKeySequence(Qt::Key_N));
  QCOMPARE(clock->nextInjectAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_J));
  QCOMPARE(clock->nextMoveAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_M));
  QAbstractItemModel* msel = m_window->mselView()->model();
  QCOMPARE(msel->rowCount(), 6);
  QCOMPARE(cell(msel, 0, 0), QString("inj-01"));
  QCOMPARE(cell(msel, 0, 1), QString("scheduled"));
  QCOMPARE(cell(msel, 0, 2), QString("00:15:00"));
  QCOMPARE(cell(msel, 0, 4), QString("Phishing wave mimics EU summit invitations"));
  QAbstractItemModel* board = m_window->leaderboardView()->model();
  QCOMPARE(board->rowCount(), 2);
  QCOMPARE(m_window->teamFilterBox()->count(), 3); // all teams, cert-gov, cert-energy
  QVERIFY(qobject_cast<MapView*>(m_window->mapWidget()));
  QVERIFY(qobject_cast<Dashboard*>(m_window->dashboardWidget()));
}

void ConsoleEndToEndTest::clockFromTheKeyboard()
{
  ClockBar* clock = m_window->clockBar();
  // Ctrl+J: run until the next inject is delivered (inj-01 at 15 min)
  clock->nextInjectAction()->trigger();
  QTRY_COMPARE(clock->timeLabel()->text(), QString("T+00:15:00"));
  QCOMPARE(clock->situationLabel()->text(), QString("Situation 2011-11-03 09:15:00"));
  QAbstractItemModel* msel = m_window->mselView()->model();
  QCOMPARE(cell(msel, 0, 1), QString("delivered"));
  const QModelIndex expectation = msel->index(0, 0, msel->index(0, 0));
  QCOMPARE(expectation.data().toString(), QString("exp-share"));
  QCOMPARE(expectation.siblingAtColumn(1).data().toString(), QString("pending"));
  QCOMPARE(expectation.siblingAtColumn(2).data().toString(), QString("01:15:00"));

  // Space starts the clock, Space again pauses it
  m_window->activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
  QTest::keyClick(m_window.get(), Qt::Key_Space);
  QTRY_COMPARE(clock->stateLabel()->text(), QString("running"));
  QCOMPARE(clock->playPauseAction()->text(), QString("Pause"));
  QTest::keyClick(m_window.get(), Qt::Key_Space);
  QTRY_COMPARE(clock->stateLabel()->text(), QString("paused"));
  QCOMPARE(clock->playPauseAction()->text(), QString("Resume"));
  const double paused = m_control.state->clock().time;
  QVERIFY(paused >= 900.0 && paused < 960.0);

  // N: the next calendar event of the world
  const double next = m_control.state->clock().nextEvent;
  QVERIFY(next > paused);
  QTest::keyClick(m_window.get(), Qt::Key_N);
  QTRY_COMPARE(m_control.state->clock().time, next);
  QCOMPARE(clock->stateLabel()->text(), QString("paused"));
}

void ConsoleEndToEndTest::releaseAnInject()
{
  m_window->tabs()->setCurrentIndex(2); // the MSEL
  m_window->selectInject("inj-02");
  QCOMPARE(m_window->selectedInject(), QString("inj-02"));
  QAbstractItemModel* msel = m_window->mselView()->model();
  QCOMPARE(cell(msel, 1, 1), QString("waiting"));
  auto* release = m_window->findChild<QPushButton*>("releaseInject");
  QVERIFY(release);
  release->click();
  QTRY_COMPARE(cell(msel, 1, 1), QString("delivered"));
  m_releasedAt = m_control.state->clock().time;
  QCOMPARE(cell(msel, 1, 2), formatSimTime(m_releasedAt));
  InboxModel* inbox = m_control.state->inbox();
  QTRY_VERIFY(inbox->row("cert-gov", "inj-02") >= 0);
  QCOMPARE(inbox->text(inbox->row("cert-gov", "inj-02"), "title"), QString("Utility asks for indicators"));
  // releasing it again is refused by the server, and the window says so
  release->click();
  // in plain words (issue 18); the server's own message is the tooltip
  QTRY_COMPARE(m_window->errorLabel()->text(),
               QString("Could not release the inject: inject \"inj-02\" was already delivered or cancelled (not "
                       "possible in the current state)."));
  QCOMPARE(m_window->errorLabel()->toolTip(),
           QString("inject_release rejected: inject \"inj-02\" was already delivered or cancelled [bad-state]"));
}

void ConsoleEndToEndTest::teamConsoleActs()
{
  m_team = m_window->openTeamConsole("cert-gov");
  QVERIFY(m_team);
  ConsoleState* team = m_team->state();
  QTRY_VERIFY_WITH_TIMEOUT(team->hasSnapshot(), start_timeout_ms);
  QCOMPARE(team->role(), QString("player"));
  QCOMPARE(m_team->windowTitle(),
           QString("cyberex — Tutorial: one agency, one utility, one bad day — team console cert-gov"));
  // the inbox: the news inject and the released contingency
  QAbstractItemModel* inbox = m_team->inboxView()->model();
  QCOMPARE(inbox->rowCount(), 2);
  QCOMPARE(cell(inbox, 0, 6), QString("Phishing wave mimics EU summit invitations"));
  QCOMPARE(cell(inbox, 0, 2), QString("00:15:00"));
  QCOMPARE(cell(inbox, 1, 6), QString("Utility asks for indicators"));
  QCOMPARE(cell(inbox, 1, 4), QString("White Cell"));
  QCOMPARE(cell(inbox, 0, 8), QString("no"));
  m_team->inboxView()->selectRow(0);
  QVERIFY(m_team->inboxContent()->toPlainText().startsWith("Phishing wave mimics EU summit invitations"));
  m_team->markRead(0);
  QTRY_COMPARE(cell(inbox, 0, 8), QString("yes"));
  QCOMPARE(team->knownIndicators(), QStringList({"ioc-mail"}));

  // an action from the form: isolate the file server
  auto* type = m_team->findChild<QComboBox*>("actionType");
  auto* target = m_team->findChild<QComboBox*>("actionTarget");
  auto* indicator = m_team->findChild<QComboBox*>("actionIndicator");
  auto* submit = m_team->findChild<QPushButton*>("actionSubmit");
  QVERIFY(type && target && indicator && submit);
  QCOMPARE(type->findText("isolate") >= 0, true);
  QVERIFY(target->findText("node:gov-fs") >= 0);
  QCOMPARE(indicator->findText("ioc-mail") >= 0, true);
  type->setCurrentText("isolate");
  target->setCurrentText("node:gov-fs");
  const double issued = m_control.state->clock().time;
  submit->click();
  QTRY_COMPARE(
      m_team->actionResult()->text(),
      QString("isolate accepted at T+%1, effective at T+%2").arg(formatSimTime(issued), formatSimTime(issued + 300)));
  // a block of an indicator the team never received: the server refuses it and the console shows why
  type->setCurrentText("block");
  target->setCurrentText(QString());
  indicator->setCurrentText("ioc-c2");
  submit->click();
  // in plain words: no JSON pointer, no code (issue 18)
  const QString refused = "The action was refused. Indicator \"ioc-c2\" is unknown to your team: it was in none of "
                          "your alerts, injects or messages.";
  QTRY_COMPARE(m_team->actionResult()->text(), refused);
  QCOMPARE(m_team->errorLabel()->text(), refused);
  // a press statement from the same form: its kind and text, no target; the tutorial lists no public_statement
  // action, so the built-in duration (0 s) applies: effective when issued
  auto* kind = m_team->findChild<QComboBox*>("actionKind");
  auto* text = m_team->findChild<QLineEdit*>("actionText");
  QVERIFY(kind && text);
  QVERIFY(type->findText("public_statement") >= 0);
  type->setCurrentText("public_statement");
  kind->setCurrentText("press_statement");
  text->setText("Ministries are targeted by phishing; do not open summit invitations.");
  const double said = m_control.state->clock().time;
  submit->click();
  QTRY_COMPARE(
      m_team->actionResult()->text(),
      QString("public_statement accepted at T+%1, effective at T+%2").arg(formatSimTime(said), formatSimTime(said)));
  text->clear();

  // a message with the phishing indicator to the utility meets the agency's expectation
  auto* to = m_team->findChild<QListWidget*>("messageTo");
  auto* indicators = m_team->findChild<QListWidget*>("messageIndicators");
  QCOMPARE(to->count(), 1);
  QCOMPARE(to->item(0)->text(), QString("cert-energy"));
  QCOMPARE(indicators->count(), 1);
  QCOMPARE(indicators->item(0)->text(), QString("ioc-mail  (press-office@eu-summit.example)"));
  checkItem(to, "cert-energy");
  checkItem(indicators, "ioc-mail");
  m_team->findChild<QLineEdit*>("messageSubject")->setText("Summit phishing");
  m_team->findChild<QPlainTextEdit*>("messageText")->setPlainText("Block this sender.");
  m_team->findChild<QPushButton*>("messageSend")->click();
  QAbstractItemModel* msel = m_window->mselView()->model();
  const QModelIndex expectation = msel->index(0, 0, msel->index(0, 0));
  QTRY_COMPARE(expectation.siblingAtColumn(1).data().toString(), QString("met"));
  QCOMPARE(expectation.siblingAtColumn(5).data().toString(), QString("trigger"));

  // the controller runs the world to 1 h from the toolbar: the isolation took effect in the team's assets
  QLineEdit* runTo = m_window->clockBar()->runToEdit();
  runTo->setText("1h");
  QTest::keyClick(runTo, Qt::Key_Return);
  QTRY_COMPARE(m_window->clockBar()->timeLabel()->text(), QString("T+01:00:00"));
  QTRY_COMPARE(team->assets()->state("gov-fs"), QString("isolated, failed"));
  QCOMPARE(team->assets()->state("gov-ws-1"), QString("ok"));
  // two actions: the isolation and the press statement above
  QTRY_COMPARE(m_team->actionView()->model()->rowCount(), 2);
  QStringList actions;
  for (int r = 0; r < 2; ++r)
    actions << cell(m_team->actionView()->model(), r, 5);
  QVERIFY2(actions.filter("action: isolate").size() == 1, qPrintable(actions.join(" | ")));
  QVERIFY2(actions.filter("public_statement").size() == 1, qPrintable(actions.join(" | ")));

  // a severity assessment from the Reports tab: medium, classified, extended, one, high = 69
  AssessmentForm* assess = m_team->assessmentForm();
  assess->submitButton()->click();
  QCOMPARE(assess->resultLabel()->text(), QString("Assessment: name the incident"));
  QCOMPARE(m_team->errorLabel()->text(), QString("Assessment: name the incident"));
  assess->incidentBox()->setCurrentText("apt-docs");
  for (const auto& [category, level] : {std::pair{"functional_impact", "medium"},
                                        {"information_impact", "classified"},
                                        {"recoverability", "extended"},
                                        {"cross_sector", "one"},
                                        {"potential_impact", "high"}})
    assess->levelBox(category)->setCurrentText(level);
  assess->submitButton()->click();
  QTRY_COMPARE(assess->resultLabel()->text(), QString("Assessment of apt-docs recorded: score 69.00"));
}

void ConsoleEndToEndTest::rateAnObjective()
{
  m_window->tabs()->setCurrentIndex(4); // the teams
  m_window->selectTeam("cert-gov");
  auto* dialog = qobject_cast<RatingDialog*>(m_window->openRatingDialog());
  QVERIFY(dialog);
  QCOMPARE(dialog->teamBox()->currentText(), QString("cert-gov"));
  QCOMPARE(dialog->objectiveBox()->count(), 3); // obj-recover applies to cert-energy only
  dialog->objectiveBox()->setCurrentIndex(dialog->objectiveBox()->findData("obj-share"));
  QCOMPARE(dialog->taskBox()->count(), 2);
  dialog->taskBox()->setCurrentIndex(dialog->taskBox()->findData("ct-share"));
  dialog->setRating("P");
  dialog->notesEdit()->setPlainText("Shared the indicators within minutes.");
  QCOMPARE(dialog->command(), QJsonObject({{"type", "rate"},
                                           {"team", "cert-gov"},
                                           {"objective", "obj-share"},
                                           {"critical_task", "ct-share"},
                                           {"rating", "P"},
                                           {"text", "Shared the indicators within minutes."}}));
  dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
  // P = 100; the expectation met: 100
  QAbstractItemModel* board = m_window->leaderboardView()->model();
  auto govRow = [board] {
    for (int r = 0; r < board->rowCount(); ++r)
      if (cell(board, r, 1) == "cert-gov")
        return r;
    return -1;
  };
  QTRY_COMPARE(cell(board, govRow(), 4), QString("100.00"));
  QCOMPARE(cell(board, govRow(), 3), QString("100.00"));
  QTreeView* teams = m_window->teamsView();
  const int gov = m_control.state->scores()->teamRow("cert-gov");
  QTRY_COMPARE(cell(teams->model(), gov, 4), QString("100.00"));
  // the Teams tab shows the selected team's inbox, actions and expectations
  QCOMPARE(m_window->teamInbox()->rowCount(), 2);
  QCOMPARE(m_window->teamActions()->rowCount(), 2); // the isolation and the press statement
  QCOMPARE(m_window->teamExpectations()->rowCount(), 1);
  QCOMPARE(m_window->teamExpectations()->index(0, 3).data().toString(), QString("met"));
}

void ConsoleEndToEndTest::eventLogFilters()
{
  m_window->tabs()->setCurrentIndex(3); // the event log
  QComboBox* team = m_window->teamFilterBox();
  QComboBox* type = m_window->typeFilterBox();
  team->setCurrentIndex(team->findData("cert-gov"));
  type->setCurrentIndex(type->findData("inject"));
  QAbstractItemModel* view = m_window->eventView()->model();
  QCOMPARE(view->rowCount(), 2);
  QCOMPARE(cell(view, 0, 4), QString("inject:inj-01"));
  QCOMPARE(cell(view, 1, 4), QString("inject:inj-02"));
  m_window->nodeFilterEdit()->setText("gov-fs");
  type->setCurrentIndex(type->findData("node_isolated"));
  team->setCurrentIndex(0);
  QCOMPARE(view->rowCount(), 1);
  QCOMPARE(cell(view, 0, 5), QString("team: cert-gov"));
}

void ConsoleEndToEndTest::mapAndDashboardFollowTheDrill()
{
  // the console's state is the core's fold of the records it received: the server's ground truth, node by node
  ExerciseStateModel* exercise = m_control.state->exercise();
  QVERIFY(exercise->scenario());
  QJsonObject truth;
  m_control.state->send({{"type", "truth"}}, [&truth](const QJsonValue& v) { truth = v.toObject(); });
  QTRY_VERIFY(!truth.isEmpty());
  QStringList compromised;
  for (const auto& n : truth.value("compromised").toArray())
    compromised.append(n.toString());
  QVERIFY(!compromised.isEmpty()); // apt-docs holds footholds by now
  QCOMPARE(exercise->compromisedNodes(), compromised);
  auto* map = qobject_cast<MapView*>(m_window->mapWidget());
  int isolated = 0;
  for (const auto& v : truth.value("nodes").toArray()) {
    const QJsonObject n = v.toObject();
    const QString id = n.value("node").toString();
    QCOMPARE(map->nodeState(id).compromised, n.value("compromised").toBool());
    QCOMPARE(map->nodeState(id).isolated, n.value("isolated").toBool());
    isolated += n.value("isolated").toBool() ? 1 : 0;
  }
  QVERIFY(isolated > 0); // gov-fs, by cert-gov
  for (const auto& v : truth.value("services").toArray())
    QCOMPARE(exercise->serviceStatus(v.toObject().value("id").toString()), v.toObject().value("status").toString());
  auto* dash = qobject_cast<Dashboard*>(m_window->dashboardWidget());
  dash->flush();
  QCOMPARE(dash->title(Kpi::compromised), QString("Compromised nodes: <b>%1</b>").arg(compromised.size()));
  QCOMPARE(dash->drawnPoints(Kpi::compromised).back().y(), double(compromised.size()));
}

void ConsoleEndToEndTest::cleanupTestCase()
{
  if (m_team)
    m_team->close();
  m_window.reset();
}

QTEST_MAIN(ConsoleEndToEndTest)
#include "console_e2e_test.moc"
