/* The launcher's local server and the consoles of each role on it: `cyberex serve` started by LocalServer on a free
 * port, the controller's Evaluation tab (official severity assessment), an evaluator's console without the scenario
 * file (observations), an observer's read-only console; every accepted form checked in the server's journal. */
#include "console_support.hpp"

#include "console/assessment_form.hpp"
#include "console/clock_bar.hpp"
#include "console/controller_window.hpp"
#include "console/evaluation_panel.hpp"
#include "console/json_table_model.hpp"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {

/// The journal's last command line `{"index","time","role","team"?,"command"}`, its command's "id" removed.
QJsonObject lastCommand(const QString& journal)
{
  QFile f(journal);
  if (!f.open(QIODevice::ReadOnly))
    return {};
  QJsonObject last;
  while (!f.atEnd()) {
    const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
    if (line.contains("command"))
      last = line;
  }
  QJsonObject command = last.value("command").toObject();
  command.remove("id");
  last.insert("command", command);
  last.remove("mac"); // the line's MAC (journal format 3), keyed with the journal's own random key
  return last;
}

} // namespace

class ConsoleRolesTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void launcherStartsAServer();
  void officialAssessmentFromTheController();
  void evaluatorRecordsObservations();
  void lateEvaluatorSeesEarlierWork();
  void malformedEntriesAreRefused();
  void observerReadsOnly();
  void launcherStopsTheServer();
  void cleanupTestCase();

private:
  /// A console of ROLE ("controller", "evaluator", "observer") on the drill, opened once welcomed (as the program
  /// does: the role decides what the window offers).
  std::unique_ptr<ControllerWindow> openConsole(Client& client, const QString& role);

  LocalServer m_server;
  Client m_control;
  Client m_evaluator;
  Client m_observer;
  std::unique_ptr<ControllerWindow> m_controlWindow;
  std::unique_ptr<ControllerWindow> m_evaluatorWindow;
  std::unique_ptr<ControllerWindow> m_observerWindow;
};

void ConsoleRolesTest::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  QSignalSpy ready(&m_server, &LocalServer::ready);
  const QString error = startServer(m_server);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  QCOMPARE(ready.value(0).value(0).toUrl(), m_server.url());
}

std::unique_ptr<ControllerWindow> ConsoleRolesTest::openConsole(Client& client, const QString& role)
{
  client.connection->setReconnectDelay(0);
  client.connection->open(m_server.url(), m_server.tokens().value(role));
  if (!QTest::qWaitFor([&] { return client.state->hasSnapshot(); }, start_timeout_ms))
    return nullptr;
  auto window = std::make_unique<ControllerWindow>(client.state.get());
  client.testModels({window->evaluationPanel()->observationModel(), window->evaluationPanel()->officialModel()});
  window->show();
  return window;
}

void ConsoleRolesTest::launcherStartsAServer()
{
  QVERIFY(m_server.isRunning());
  const QUrl url = m_server.url();
  QCOMPARE(url.scheme(), QString("ws"));
  QCOMPARE(url.host(), QString("127.0.0.1"));
  QVERIFY(url.port() > 0); // the port the server chose (--listen 127.0.0.1:0), read from its port file
  QCOMPARE(m_server.tokens().keys(),
           QStringList({"controller", "evaluator", "observer", "player:cert-energy", "player:cert-gov"}));
  QVERIFY(QFileInfo(m_server.journal()).isFile());

  m_controlWindow = openConsole(m_control, "controller");
  QVERIFY(m_controlWindow);
  QCOMPARE(m_control.state->role(), QString("controller"));
  QCOMPARE(m_control.connection->url(), url);
  // the tutorial's first inject is due at 15 min: the clock runs there for every console
  QCOMPARE(call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "15m"}}).toObject().value("time"),
           QJsonValue(900.0));
}

void ConsoleRolesTest::officialAssessmentFromTheController()
{
  QString error;
  const ScenarioCatalog catalog = ScenarioCatalog::load(tutorial_scenario, &error);
  QVERIFY2(catalog.loaded, qPrintable(error));
  m_control.state->setCatalog(catalog);
  EvaluationPanel* panel = m_controlWindow->evaluationPanel();
  m_controlWindow->tabs()->setCurrentWidget(panel);
  QCOMPARE(m_controlWindow->tabs()->tabText(5), QString("E&valuation"));
  AssessmentForm* form = panel->officialForm();
  QVERIFY(form->isEnabled());
  QVERIFY(panel->observationForm()->isEnabled());
  QCOMPARE(form->incidentBox()->count(), 3); // empty, apt-docs, grid-attack
  QCOMPARE(form->incidentBox()->itemText(1), QString("apt-docs"));
  QVERIFY(form->levelBox("functional_impact") && form->levelBox("potential_impact"));
  QCOMPARE(form->levelBox("functional_impact")->count(), 5);

  // cert-gov's own assessment first (controller acting for the team): 0.25·75 + 0.2·100 + 0.15·70 + 0.2·50 +
  // 0.2·80 = 75.25
  const QJsonObject teamLevels{{"functional_impact", "high"},
                               {"information_impact", "classified"},
                               {"recoverability", "extended"},
                               {"cross_sector", "one"},
                               {"potential_impact", "high"}};
  QCOMPARE(call(m_control.state.get(),
                {{"type", "assess"}, {"team", "cert-gov"}, {"incident", "apt-docs"}, {"levels", teamLevels}})
               .toObject()
               .value("score"),
           QJsonValue(75.25));

  // the White Cell's: medium, classified, extended, one, high = 0.25·50 + 0.2·100 + 0.15·70 + 0.2·50 + 0.2·80 = 69
  form->incidentBox()->setCurrentText("apt-docs");
  form->levelBox("functional_impact")->setCurrentText("medium");
  form->levelBox("information_impact")->setCurrentText("classified");
  form->levelBox("recoverability")->setCurrentText("extended");
  form->levelBox("cross_sector")->setCurrentText("one");
  form->levelBox("potential_impact")->setCurrentText("high");
  const QJsonObject levels{{"functional_impact", "medium"},
                           {"information_impact", "classified"},
                           {"recoverability", "extended"},
                           {"cross_sector", "one"},
                           {"potential_impact", "high"}};
  QCOMPARE(form->command(),
           QJsonObject({{"type", "official_assessment"}, {"incident", "apt-docs"}, {"levels", levels}}));
  form->submitButton()->click();
  QTRY_COMPARE(form->resultLabel()->text(),
               QString("Official assessment of apt-docs recorded: score 69.00; teams: cert-gov 75.25 (+6.25)"));
  QCOMPARE(
      lastCommand(m_server.journal()),
      QJsonObject(
          {{"index", 3},
           {"time", 900},
           {"role", "controller"},
           {"command", QJsonObject({{"type", "official_assessment"}, {"incident", "apt-docs"}, {"levels", levels}})}}));
  // the record reaches the table under the form
  JsonTableModel* officials = panel->officialModel();
  QTRY_COMPARE(officials->rowCount(), 1);
  QCOMPARE(officials->text(0, "time"), QString("00:15:00"));
  QCOMPARE(officials->text(0, "incident"), QString("apt-docs"));
  QCOMPARE(officials->text(0, "score"), QString("69.00"));
  QCOMPARE(officials->text(0, "differences"), QString("cert-gov 75.25 (+6.25)"));
  QCOMPARE(officials->text(0, "levels"), QString("cross_sector: one; functional_impact: medium; information_impact: "
                                                 "classified; potential_impact: high; recoverability: extended"));
  QCOMPARE(panel->officialView()->model(), officials);
}

void ConsoleRolesTest::evaluatorRecordsObservations()
{
  // a remote evaluator without the scenario file: teams from the snapshot, objectives and critical tasks typed
  m_evaluatorWindow = openConsole(m_evaluator, "evaluator");
  QVERIFY(m_evaluatorWindow);
  QCOMPARE(m_evaluator.state->role(), QString("evaluator"));
  QVERIFY(!m_evaluatorWindow->clockBar()->playPauseAction()); // the clock is the controller's
  QCOMPARE(m_evaluatorWindow->mselView()->model()->rowCount(), 6);
  QVERIFY(!m_evaluatorWindow->findChild<QPushButton*>("releaseInject")->isEnabled()); // the MSEL is the controller's
  QVERIFY(m_controlWindow->findChild<QPushButton*>("releaseInject")->isEnabled());
  EvaluationPanel* panel = m_evaluatorWindow->evaluationPanel();
  QVERIFY(panel->observationForm()->isEnabled());
  QVERIFY(!panel->officialForm()->isEnabled());
  QCOMPARE(panel->officialForm()->toolTip(), QString("Only the controller (White Cell) gives the official assessment"));

  ObservationForm* form = panel->observationForm();
  QCOMPARE(form->teamBox()->count(), 3); // the whole exercise, cert-gov, cert-energy
  QCOMPARE(form->teamBox()->itemText(0), QString("(the whole exercise)"));
  QVERIFY(form->objectiveBox()->isEditable());
  QVERIFY(!form->correctiveActionEdit()->isEnabled()); // a strength has no corrective action
  form->kindBox()->setCurrentText("Strength");
  form->teamBox()->setCurrentIndex(form->teamBox()->findData("cert-gov"));
  form->objectiveBox()->setCurrentText("obj-share");
  form->taskBox()->setCurrentText("ct-share");
  form->textEdit()->setPlainText("Shared the phishing indicator with the utility\nwithin minutes.");
  const QJsonObject strength{{"type", "observe"},
                             {"kind", "strength"},
                             {"text", "Shared the phishing indicator with the utility within minutes."},
                             {"team", "cert-gov"},
                             {"objective", "obj-share"},
                             {"critical_task", "ct-share"}};
  QCOMPARE(form->command(), strength);
  form->submitButton()->click();
  QTRY_COMPARE(form->resultLabel()->text(), QString("Observation 1 recorded (strength, cert-gov)"));
  QCOMPARE(form->textEdit()->toPlainText(), QString());
  QCOMPARE(lastCommand(m_server.journal()),
           QJsonObject({{"index", 4}, {"time", 900}, {"role", "evaluator"}, {"command", strength}}));

  // an area for improvement with its improvement plan, as the after-action report reads it
  form->kindBox()->setCurrentText("Area for improvement");
  QVERIFY(form->correctiveActionEdit()->isEnabled());
  form->teamBox()->setCurrentIndex(form->teamBox()->findData("cert-energy"));
  form->objectiveBox()->setCurrentText("obj-detect");
  form->taskBox()->setCurrentText("ct-detect");
  form->textEdit()->setPlainText("The utility did not check its mail gateway for the summit lure");
  form->correctiveActionEdit()->setText("add the sector alerts to the triage runbook");
  form->elementBox()->setCurrentText("Planning");
  form->dueEdit()->setText("2011-12-15");
  const QJsonObject afi{{"type", "observe"},
                        {"kind", "improvement"},
                        {"text",
                         "The utility did not check its mail gateway for the summit lure. Corrective action: add the "
                         "sector alerts to the triage runbook. Element: Planning. Due: 2011-12-15"},
                        {"team", "cert-energy"},
                        {"objective", "obj-detect"},
                        {"critical_task", "ct-detect"}};
  QCOMPARE(form->command(), afi);
  form->submitButton()->click();
  QTRY_COMPARE(form->resultLabel()->text(), QString("Observation 2 recorded (area for improvement, cert-energy)"));
  QCOMPARE(lastCommand(m_server.journal()),
           QJsonObject({{"index", 5}, {"time", 900}, {"role", "evaluator"}, {"command", afi}}));

  // a note on the whole exercise
  form->kindBox()->setCurrentText("Note");
  form->teamBox()->setCurrentIndex(0);
  form->objectiveBox()->setCurrentIndex(0);
  form->taskBox()->setCurrentIndex(0);
  form->textEdit()->setPlainText("Both cells checked in before STARTEX.");
  form->submitButton()->click();
  QTRY_COMPARE(form->resultLabel()->text(), QString("Observation 3 recorded (note, the whole exercise)"));
  QCOMPARE(lastCommand(m_server.journal()).value("command").toObject(),
           QJsonObject({{"type", "observe"}, {"kind", "note"}, {"text", "Both cells checked in before STARTEX."}}));

  // the observations reach every control console, in order
  for (ControllerWindow* w : {m_evaluatorWindow.get(), m_controlWindow.get()}) {
    JsonTableModel* view = w->evaluationPanel()->observationModel();
    QTRY_COMPARE(view->rowCount(), 3);
    QCOMPARE(view->text(0, "by"), QString("evaluator"));
    QCOMPARE(view->text(0, "team"), QString("cert-gov"));
    QCOMPARE(view->text(0, "objective"), QString("obj-share"));
    QCOMPARE(view->text(0, "critical_task"), QString("ct-share"));
    QCOMPARE(view->text(0, "kind"), QString("strength"));
    QCOMPARE(view->text(0, "text"), strength.value("text").toString());
    QCOMPARE(view->text(1, "kind"), QString("improvement"));
    QCOMPARE(view->text(1, "team"), QString("cert-energy"));
    QCOMPARE(view->text(2, "team"), QString());
    QCOMPARE(view->text(2, "kind"), QString("note"));
    QCOMPARE(view->text(2, "text"), QString("Both cells checked in before STARTEX."));
  }
}

void ConsoleRolesTest::lateEvaluatorSeesEarlierWork()
{
  // a console that joins later gets the observations and official assessments from its snapshot, and a window
  // opened after it the records that followed it too
  Client late;
  late.connection->setReconnectDelay(0);
  late.connection->open(m_server.url(), m_server.tokens().value("evaluator"));
  QTRY_VERIFY_WITH_TIMEOUT(late.state->hasSnapshot(), start_timeout_ms);
  call(m_control.state.get(), {{"type", "observe"}, {"text", "Note: a late evaluator joined."}});
  QTRY_COMPARE(late.state->eventLog()->types().contains("observation"), true);
  auto window = std::make_unique<ControllerWindow>(late.state.get());
  late.testModels({window->evaluationPanel()->observationModel(), window->evaluationPanel()->officialModel()});
  EvaluationPanel* panel = window->evaluationPanel();
  QCOMPARE(panel->observationModel()->rowCount(), 4);
  QCOMPARE(panel->observationModel()->text(3, "by"), QString("controller"));
  QCOMPARE(panel->observationModel()->text(3, "kind"), QString("note")); // sent without a kind: from its prefix
  QCOMPARE(panel->observationModel()->text(3, "text"), QString("Note: a late evaluator joined."));
  QCOMPARE(panel->observationModel()->text(1, "kind"), QString("improvement"));
  QCOMPARE(panel->observationModel()->text(1, "text"),
           QString("The utility did not check its mail gateway for the summit lure. Corrective action: add the sector "
                   "alerts to the triage runbook. Element: Planning. Due: 2011-12-15"));
  QCOMPARE(panel->officialModel()->rowCount(), 1);
  QCOMPARE(panel->officialModel()->text(0, "score"), QString("69.00"));
  QCOMPARE(panel->officialModel()->text(0, "differences"), QString("cert-gov 75.25 (+6.25)"));
}

void ConsoleRolesTest::malformedEntriesAreRefused()
{
  ObservationForm* form = m_evaluatorWindow->evaluationPanel()->observationForm();
  QLabel* status = m_evaluatorWindow->errorLabel();
  // refused in the form: nothing is sent
  form->kindBox()->setCurrentText("Strength");
  form->textEdit()->setPlainText("  ");
  form->submitButton()->click();
  QCOMPARE(form->resultLabel()->text(), QString("Observation: write what you observed"));
  QCOMPARE(status->text(), QString("Observation: write what you observed"));
  form->textEdit()->setPlainText("Strength: fast triage");
  form->submitButton()->click();
  QCOMPARE(form->resultLabel()->text(), QString("Observation: leave out \"Strength:\", the Kind box gives it"));
  form->kindBox()->setCurrentText("Area for improvement");
  form->textEdit()->setPlainText("Slow triage");
  form->dueEdit()->setText("15/12/2011");
  form->submitButton()->click();
  QCOMPARE(form->resultLabel()->text(), QString("Due: expected a date such as 2012-01-31, got \"15/12/2011\""));
  form->dueEdit()->clear();
  form->objectiveBox()->setCurrentIndex(0);
  form->taskBox()->setCurrentText("ct-share");
  form->submitButton()->click();
  QCOMPARE(form->resultLabel()->text(), QString("Critical task: choose the objective it belongs to first"));
  QCOMPARE(lastCommand(m_server.journal()).value("index"), QJsonValue(7)); // the late note was the last one

  // refused by the server: an objective the scenario does not have
  form->taskBox()->setCurrentIndex(0);
  form->objectiveBox()->setCurrentText("obj-nope");
  form->submitButton()->click();
  const QString refused = "observe rejected: (/objective) no objective \"obj-nope\" [unknown-target]";
  QTRY_COMPARE(form->resultLabel()->text(), refused);
  // the window's status bar says it in plain words (issue 18)
  QCOMPARE(status->text(), QString("Could not record the observation: field “objective”: no objective \"obj-nope\" (it "
                                   "names something the exercise does not have)."));
  QCOMPARE(form->textEdit()->toPlainText(), QString("Slow triage")); // kept for a correction
  QCOMPARE(lastCommand(m_server.journal()).value("index"), QJsonValue(7));

  // the official assessment without an incident, in the controller's console
  AssessmentForm* official = m_controlWindow->evaluationPanel()->officialForm();
  official->incidentBox()->setCurrentText(QString());
  official->submitButton()->click();
  QCOMPARE(official->resultLabel()->text(), QString("Assessment: name the incident"));
  QCOMPARE(m_controlWindow->errorLabel()->text(), QString("Assessment: name the incident"));
}

void ConsoleRolesTest::observerReadsOnly()
{
  m_observerWindow = openConsole(m_observer, "observer");
  QVERIFY(m_observerWindow);
  QCOMPARE(m_observer.state->role(), QString("observer"));
  QVERIFY(!m_observerWindow->clockBar()->playPauseAction());
  QCOMPARE(m_observerWindow->clockBar()->timeLabel()->text(), QString("T+00:15:00"));
  QCOMPARE(m_observerWindow->leaderboardView()->model()->rowCount(), 2);
  QCOMPARE(m_observerWindow->mselView()->model()->rowCount(), 0); // the MSEL is control's
  EvaluationPanel* panel = m_observerWindow->evaluationPanel();
  QVERIFY(!panel->observationForm()->isEnabled());
  QVERIFY(!panel->officialForm()->isEnabled());
  QCOMPARE(panel->observationForm()->toolTip(), QString("Observers may not record observations"));
  QCOMPARE(panel->observationModel()->rowCount(), 0); // observations are for control only
  // the controller moves the clock: the observer follows, and nothing it asked for was refused
  call(m_control.state.get(), {{"type", "step"}, {"to", "time"}, {"time", "30m"}});
  QTRY_COMPARE(m_observerWindow->clockBar()->timeLabel()->text(), QString("T+00:30:00"));
  QCOMPARE(m_observerWindow->errorLabel()->text(), QString());
  QCOMPARE(m_observer.state->lastError(), QString());
}

void ConsoleRolesTest::launcherStopsTheServer()
{
  QSignalSpy lost(m_control.connection.get(), &DrillConnection::connectionError);
  QSignalSpy failed(&m_server, &LocalServer::failed);
  m_server.stop();
  QTRY_VERIFY_WITH_TIMEOUT(!m_server.isRunning(), start_timeout_ms);
  // the socket's error, then the console's own line (reconnection is off in this test)
  QTRY_COMPARE(lost.size(), 2);
  QCOMPARE(lost.value(0).value(0).toString(), m_server.url().toString() + ": The remote host closed the connection");
  QCOMPARE(lost.value(1).value(0).toString(),
           "lost the connection to " + m_server.url().toString() + " (The remote host closed the connection)");
  QCOMPARE(failed.size(), 0); // a clean stop (SIGTERM, status 0) is not a failure
  // the journal kept every command: 2 steps, the team's and the official assessment, 4 observations
  QCOMPARE(lastCommand(m_server.journal()).value("index"), QJsonValue(8));
}

void ConsoleRolesTest::cleanupTestCase()
{
  m_observerWindow.reset();
  m_evaluatorWindow.reset();
  m_controlWindow.reset();
}

QTEST_MAIN(ConsoleRolesTest)
#include "console_roles_test.moc"
