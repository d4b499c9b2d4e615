/* A local drill as a first-time White Cell runs it from the launcher: the journal where the controller chose (or the
 * default under the home folder), shown in the console; End and inject cancel ask; closing the console asks, stops
 * the server cleanly and keeps the journal and its tokens; team consoles of the stopped server give up and say so; the
 * launcher comes back and the after-action player opens the journal; Start on an existing journal asks and recovers.
 * And what a team console shows: never when injects are due, never an adversary campaign's id. */
#include "console_support.hpp"

#include "aar/aar_player.hpp"
#include "aar/event_list_model.hpp"
#include "console/assessment_form.hpp"
#include "console/clock_bar.hpp"
#include "console/controller_window.hpp"
#include "console/team_window.hpp"
#include "console/widgets.hpp"
#include "main_window.hpp"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTextEdit>
#include <QToolBar>
#include <QTreeView>

#include <cmath>
#include <functional>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {

/// The question box open now, if any: a visible QMessageBox among the application's windows.
QMessageBox* openQuestion()
{
  for (QWidget* w : QApplication::topLevelWidgets())
    if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible())
      return box;
  return nullptr;
}

/// Click the button of BOX that reads TEXT; false if it has none.
bool answer(QMessageBox* box, const QString& text)
{
  for (QAbstractButton* b : box->buttons())
    if (b->text() == text) {
      b->click();
      return true;
    }
  return false;
}

QStringList buttonTexts(QMessageBox* box)
{
  QStringList out;
  for (QAbstractButton* b : box->buttons())
    out.append(b->text());
  return out;
}

/// The journal's command lines, as "type" (and "type:inject" for the MSEL's).
QStringList journaledCommands(const QString& journal)
{
  QFile f(journal);
  if (!f.open(QIODevice::ReadOnly))
    return {};
  QStringList out;
  while (!f.atEnd()) {
    const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
    if (!line.contains("command"))
      continue;
    const QJsonObject c = line.value("command").toObject();
    const QString type = c.value("type").toString();
    out.append(c.contains("inject") ? type + ":" + c.value("inject").toString() : type);
  }
  return out;
}

/// Every text WIDGET and its children show or offer: labels, buttons, tab and window titles, line edits, combo box
/// items, text views, list items, every cell of every item view's model (hidden columns too), tool tips, actions.
QStringList everyText(QWidget* widget)
{
  QStringList out{widget->windowTitle(), widget->toolTip()};
  auto addModel = [&out](const QAbstractItemModel* m) {
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
      for (int r = 0; r < m->rowCount(parent); ++r)
        for (int c = 0; c < m->columnCount(parent); ++c) {
          const QModelIndex i = m->index(r, c, parent);
          out << i.data().toString() << i.data(Qt::ToolTipRole).toString();
          if (c == 0)
            walk(i);
        }
    };
    walk({});
    for (int c = 0; c < m->columnCount(); ++c)
      out << m->headerData(c, Qt::Horizontal).toString();
  };
  for (QWidget* w : widget->findChildren<QWidget*>()) {
    out << w->toolTip() << w->windowTitle();
    if (auto* l = qobject_cast<QLabel*>(w))
      out << l->text();
    else if (auto* b = qobject_cast<QAbstractButton*>(w))
      out << b->text();
    else if (auto* e = qobject_cast<QLineEdit*>(w))
      out << e->text() << e->placeholderText();
    else if (auto* t = qobject_cast<QTextEdit*>(w))
      out << t->toPlainText();
    else if (auto* p = qobject_cast<QPlainTextEdit*>(w))
      out << p->toPlainText();
    else if (auto* box = qobject_cast<QComboBox*>(w)) {
      out << box->currentText();
      for (int i = 0; i < box->count(); ++i)
        out << box->itemText(i);
    } else if (auto* tabs = qobject_cast<QTabBar*>(w)) {
      for (int i = 0; i < tabs->count(); ++i)
        out << tabs->tabText(i);
    } else if (auto* view = qobject_cast<QAbstractItemView*>(w); view && view->model())
      addModel(view->model());
    for (QAction* a : w->actions())
      out << a->text() << a->toolTip();
  }
  out.removeAll(QString());
  return out;
}

/// The after-action player window shown now, if any.
AarPlayer* visiblePlayer()
{
  for (QWidget* w : QApplication::topLevelWidgets())
    if (auto* p = qobject_cast<AarPlayer*>(w); p && p->isVisible())
      return p;
  return nullptr;
}

QStringList containing(const QStringList& texts, const QString& needle)
{
  QStringList out;
  for (const QString& t : texts)
    if (t.contains(needle, Qt::CaseInsensitive))
      out.append(t);
  return out;
}

} // namespace

class ConsoleDrillTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void defaultJournalUnderTheHome();
  void clockBarHidesWhatItIsNotTold();
  void launcherStartsADrillWithItsJournal();
  void mselAndClockAsk();
  void teamConsoleShowsNoGroundTruth();
  void endAsks();
  void closingAsksAndKeepsTheJournal();
  void afterActionPlayerOpensTheJournal();
  void startOnAnExistingJournalAsksAndRecovers();
  void cleanupTestCase();

private:
  QTemporaryDir m_home;
  QTemporaryDir m_elsewhere;
  QString m_journal;
  std::unique_ptr<MainWindow> m_launcher;
  QPointer<ControllerWindow> m_controller;
  QPointer<TeamWindow> m_team;
  double m_endedAt = -1;
};

void ConsoleDrillTest::initTestCase()
{
  // the launcher's default journals go under the home folder: a home of the test's own
  QVERIFY(m_home.isValid());
  qputenv("HOME", QFile::encodeName(m_home.path()));
  QCOMPARE(QDir::homePath(), m_home.path());
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  // where the controller puts this drill: outside the home, a folder to create, a space in the name
  QVERIFY(m_elsewhere.isValid());
  m_journal = m_elsewhere.filePath("exercises/nov/tutorial drill.journal");
}

void ConsoleDrillTest::defaultJournalUnderTheHome()
{
  const QDateTime at(QDate(2011, 11, 3), QTime(9, 5, 59));
  const QString expected = m_home.filePath("cyberex-drills/tutorial-2011-1103-0905.journal");
  QCOMPARE(LocalServer::defaultJournal(tutorial_scenario, at), expected);
  QVERIFY(!QFileInfo::exists(m_home.filePath("cyberex-drills"))); // nothing created by asking
  // a default is always a new drill: an existing journal, or a tokens file alone, takes the next number
  QVERIFY(QDir().mkpath(m_home.filePath("cyberex-drills")));
  QFile taken(expected);
  QVERIFY(taken.open(QIODevice::WriteOnly));
  taken.close();
  QFile tokens(m_home.filePath("cyberex-drills/tutorial-2011-1103-0905-2.journal.tokens"));
  QVERIFY(tokens.open(QIODevice::WriteOnly));
  tokens.close();
  QCOMPARE(LocalServer::defaultJournal(tutorial_scenario, at),
           m_home.filePath("cyberex-drills/tutorial-2011-1103-0905-3.journal"));
  QCOMPARE(LocalServer::tokensFile("/x/d.journal"), QString("/x/d.journal.tokens"));
  QCOMPARE(displayPath(expected), QString("~/cyberex-drills/tutorial-2011-1103-0905.journal"));
  QCOMPARE(expandPath("~/cyberex-drills/a.journal"), m_home.filePath("cyberex-drills/a.journal"));
  QCOMPARE(expandPath(" /abs/a.journal "), QString("/abs/a.journal"));

  // a server is never started without a journal: nothing goes to a temporary folder by default
  LocalServer server;
  QSignalSpy failed(&server, &LocalServer::failed);
  server.start(tutorial_scenario, QString());
  QTRY_COMPARE(failed.size(), 1);
  QCOMPARE(failed.at(0).at(0).toString(), QString("Journal: choose where the drill's journal goes"));
  QVERIFY(!server.isRunning());
}

void ConsoleDrillTest::clockBarHidesWhatItIsNotTold()
{
  // the controller is told when the next inject is due; a clock that does not say it (the server's clock records
  // left it out, or none is scheduled) hides the label rather than keep the last value
  DrillConnection connection;
  ConsoleState control(&connection);
  control.applySnapshot(
      {{"role", "controller"}, {"clock", QJsonObject{{"state", "paused"}, {"time", 600}, {"next_inject", 900}}}});
  ClockBar controlBar(&control, true);
  QVERIFY(controlBar.isNextInjectShown());
  QCOMPARE(controlBar.nextInjectLabel()->text(), QString("Next inject T+00:15:00"));
  control.applyRecord({{"seq", 5},
                       {"time", 700},
                       {"kind", "exercise"},
                       {"type", "clock"},
                       {"details", QJsonObject{{"state", "paused"}, {"time", 700}, {"reason", "step"}}}});
  QCOMPARE(controlBar.timeLabel()->text(), QString("T+00:11:40"));
  QVERIFY(!controlBar.isNextInjectShown());
  QCOMPARE(controlBar.nextInjectLabel()->text(), QString());

  // a team's console shows it never, even from a server that still sends it
  ConsoleState team(&connection);
  team.applySnapshot({{"role", "player"},
                      {"team", QJsonObject{{"team", "cert-gov"}}},
                      {"clock", QJsonObject{{"state", "paused"}, {"time", 600}, {"next_inject", 900}}}});
  ClockBar teamBar(&team, false);
  QVERIFY(!teamBar.isNextInjectShown());
  QCOMPARE(teamBar.nextInjectLabel()->text(), QString());
  QVERIFY(!teamBar.endAction());
}

void ConsoleDrillTest::launcherStartsADrillWithItsJournal()
{
  m_launcher = std::make_unique<MainWindow>();
  m_launcher->launch({}); // no options: the launcher
  QVERIFY(m_launcher->isVisible());
  m_launcher->scenarioEdit()->setText(tutorial_scenario);
  // the default: under the home folder, named after the scenario and the minute
  const QString shown = m_launcher->drillJournalEdit()->text();
  QVERIFY2(
      QRegularExpression("^~/cyberex-drills/tutorial-\\d{4}-\\d{4}-\\d{4}(-\\d+)?\\.journal$").match(shown).hasMatch(),
      qPrintable(shown));
  QCOMPARE(m_launcher->drillJournalNote()->text(),
           QString("A new drill: its journal and its tokens (%1.tokens) are kept there after the drill.")
               .arg(QFileInfo(expandPath(shown)).fileName()));
  // the controller types the journal's place (a folder that does not exist yet)
  m_launcher->drillJournalEdit()->selectAll();
  QTest::keyClicks(m_launcher->drillJournalEdit(), m_journal);
  QCOMPARE(m_launcher->drillJournalEdit()->text(), m_journal);
  QCOMPARE(m_launcher->drillJournalNote()->text(),
           QString("A new drill: its journal and its tokens (tutorial drill.journal.tokens) are kept there after "
                   "the drill."));
  // another scenario chosen now keeps the journal the controller typed
  m_launcher->scenarioEdit()->setText(tutorial_scenario);
  QCOMPARE(m_launcher->drillJournalEdit()->text(), m_journal);

  QTest::mouseClick(m_launcher->startButton(), Qt::LeftButton);
  QVERIFY2(!openQuestion(), "a new journal: nothing to ask");
  QTRY_VERIFY_WITH_TIMEOUT(m_launcher->controllerWindow(), start_timeout_ms);
  m_controller = m_launcher->controllerWindow();
  ConsoleState* state = m_controller->state();
  QTRY_VERIFY_WITH_TIMEOUT(state->hasSnapshot() && state->catalog().loaded, start_timeout_ms);
  QVERIFY(!m_launcher->isVisible());
  QCOMPARE(m_launcher->localServer()->journal(), m_journal);
  QVERIFY(QFileInfo(m_journal).isFile());
  QVERIFY(QFileInfo(m_journal + ".tokens").isFile());
  QCOMPARE(state->role(), QString("controller"));
  // where the record is, in the console's status bar
  QCOMPARE(m_controller->journalLabel()->text(), QString("Journal: %1").arg(m_journal));
  QVERIFY(m_controller->journalLabel()->isVisibleTo(m_controller));
  QCOMPARE(m_controller->journalLabel()->toolTip(),
           QString("The drill's record: %1\nIts access tokens: %1.tokens").arg(m_journal));
}

void ConsoleDrillTest::mselAndClockAsk()
{
  ControllerWindow* const controller = m_controller;
  QVERIFY(controller);
  ConsoleState* const state = controller->state();
  ClockBar* const clock = controller->clockBar();
  // Ctrl+J: inj-01 delivered at 15 min; the controller sees when the next inject is due
  clock->nextInjectAction()->trigger();
  QTRY_COMPARE_WITH_TIMEOUT(clock->timeLabel()->text(), QString("T+00:15:00"), reply_timeout_ms);
  QTRY_VERIFY(clock->isNextInjectShown());
  QVERIFY2(clock->nextInjectLabel()->text().startsWith("Next inject T+"), qPrintable(clock->nextInjectLabel()->text()));

  // Cancel inject asks; "Keep it" sends nothing
  controller->selectInject("inj-03");
  QCOMPARE(controller->selectedInject(), QString("inj-03"));
  controller->cancelSelectedInject();
  QTRY_VERIFY(openQuestion());
  QMessageBox* box = openQuestion();
  QCOMPARE(box->text(),
           QString("Cancel inject inj-03? It will not be delivered, and a cancelled inject cannot be released later."));
  QCOMPARE(buttonTexts(box), QStringList({"Cancel inject", "Keep it"}));
  QVERIFY(answer(box, "Keep it"));
  QTRY_VERIFY(!openQuestion());
  call(state, {{"type", "msel"}}); // a round trip: a cancel sent by mistake would have had its reply by now
  const int row = state->msel()->injectRow("inj-03");
  QCOMPARE(state->msel()->index(row, 1).data().toString(), QString("waiting"));
  QVERIFY(!journaledCommands(m_journal).contains("inject_cancel:inj-03"));
  // and "Cancel inject" cancels it (selected again: the MSEL was reloaded)
  controller->selectInject("inj-03");
  controller->cancelSelectedInject();
  QTRY_VERIFY(openQuestion());
  QVERIFY(answer(openQuestion(), "Cancel inject"));
  QTRY_COMPARE_WITH_TIMEOUT(state->msel()->index(row, 1).data().toString(), QString("cancelled"), reply_timeout_ms);

  // a few more commands: an observation, the clock to 1 h
  call(state, {{"type", "observe"}, {"kind", "note"}, {"text", "White Cell: the drill journal test"}});
  clock->runTo(3600);
  QTRY_COMPARE_WITH_TIMEOUT(clock->timeLabel()->text(), QString("T+01:00:00"), reply_timeout_ms);
  QCOMPARE(journaledCommands(m_journal), QStringList({"step", "inject_cancel:inj-03", "observe", "step"}));
}

void ConsoleDrillTest::teamConsoleShowsNoGroundTruth()
{
  ControllerWindow* const controller = m_controller;
  QVERIFY(controller);
  TeamWindow* const window = controller->openTeamConsole("cert-gov");
  QVERIFY(window);
  m_team = window;
  ConsoleState* const team = window->state();
  QVERIFY(team);
  team->connection()->setReconnectDelay(100); // the test need not wait two minutes for it to give up
  team->connection()->setMaxReconnectAttempts(3);
  QTRY_VERIFY_WITH_TIMEOUT(team->hasSnapshot() && team->catalog().loaded, start_timeout_ms);
  QCOMPARE(team->role(), QString("player"));
  // the team has had its share of the hour: the phishing inject
  QCOMPARE(team->inbox()->rowCount(), 1);
  QCOMPARE(window->findChild<ClockBar*>()->timeLabel()->text(), QString("T+01:00:00"));
  QVERIFY(!window->findChild<ClockBar*>()->isNextInjectShown());

  const QStringList campaigns = team->catalog().incidents;
  QCOMPARE(campaigns, QStringList({"apt-docs", "grid-attack"})); // the scenario file is at hand: it is not shown
  // the controller's official assessment offers the campaigns; the team's form does not
  auto* official = controller->findChild<AssessmentForm*>();
  QVERIFY(official);
  QCOMPARE(official->incidentBox()->findText("apt-docs"), 1);
  auto* form = window->assessmentForm();
  QStringList texts = everyText(window);
  QVERIFY(texts.size() > 100); // the sweep reads the window: tabs, forms, tables
  QVERIFY(!containing(texts, "Phishing wave mimics EU summit invitations").isEmpty());
  for (const QString& campaign : campaigns)
    QVERIFY2(containing(texts, campaign).isEmpty(),
             qPrintable(campaign + " shown in the team console: " + containing(texts, campaign).join(" | ")));
  QVERIFY2(containing(texts, "next inject").isEmpty(), qPrintable(containing(texts, "next inject").join(" | ")));
  QVERIFY2(containing(texts, "next_event").isEmpty(), qPrintable(containing(texts, "next_event").join(" | ")));
  QCOMPARE(form->incidentBox()->count(), 1); // nothing assessed yet: only the empty choice

  // an incident the team named itself (as the White Cell told it) is offered again
  form->incidentBox()->setCurrentText("apt-docs");
  for (const auto& category : team->catalog().severity)
    form->levelBox(category.id)->setCurrentIndex(1);
  form->submit();
  QTRY_VERIFY_WITH_TIMEOUT(form->resultLabel()->text().startsWith("Assessment of apt-docs recorded: score "),
                           reply_timeout_ms);
  QCOMPARE(form->incidentBox()->count(), 2);
  QCOMPARE(form->incidentBox()->itemText(1), QString("apt-docs"));
}

void ConsoleDrillTest::endAsks()
{
  ControllerWindow* const controller = m_controller;
  QVERIFY(controller);
  ConsoleState* const state = controller->state();
  ClockBar* const clock = controller->clockBar();
  clock->playPause();
  QTRY_COMPARE_WITH_TIMEOUT(state->clock().state, QString("running"), reply_timeout_ms);

  clock->endAction()->trigger();
  QTRY_VERIFY(openQuestion());
  QMessageBox* box = openQuestion();
  QVERIFY2(box->text().startsWith("End the exercise now, at T+01:00:0"), qPrintable(box->text()));
  QVERIFY2(box->text().endsWith("? The clock stops for good: an ended exercise cannot be resumed. The journal keeps "
                                "everything up to now."),
           qPrintable(box->text()));
  QCOMPARE(buttonTexts(box), QStringList({"End exercise", "Cancel"}));
  QCOMPARE(box->defaultButton()->text(), QString("Cancel")); // Enter does not end the exercise
  QVERIFY(answer(box, "Cancel"));
  QTRY_VERIFY(!openQuestion());
  // cancelled: the clock keeps running (the console polls it twice a second)
  const double before = state->clock().time;
  QTRY_VERIFY_WITH_TIMEOUT(state->clock().time >= before + 1.0, reply_timeout_ms);
  QCOMPARE(state->clock().state, QString("running"));
  QVERIFY(!journaledCommands(m_journal).contains("end"));

  clock->endAction()->trigger();
  QTRY_VERIFY(openQuestion());
  QVERIFY(answer(openQuestion(), "End exercise"));
  QTRY_COMPARE_WITH_TIMEOUT(state->clock().state, QString("ended"), reply_timeout_ms);
  m_endedAt = state->clock().time;
  QVERIFY2(m_endedAt >= before + 1.0, qPrintable(QString("ended at %1, running since %2").arg(m_endedAt).arg(before)));
  QVERIFY(!clock->endAction()->isEnabled());
  QCOMPARE(journaledCommands(m_journal).mid(3), QStringList({"step", "assess", "start", "end"}));
}

void ConsoleDrillTest::closingAsksAndKeepsTheJournal()
{
  QVERIFY(m_controller);
  LocalServer* server = m_launcher->localServer();
  QSignalSpy stopped(server, &LocalServer::stopped);
  QSignalSpy failed(server, &LocalServer::failed);

  // Ctrl+W (File → Close) asks; Cancel keeps the drill and the window
  QAction* closeAction = nullptr;
  for (QAction* a : m_controller->menuBar()->actions().first()->menu()->actions())
    if (a->shortcut() == QKeySequence(QKeySequence::Close))
      closeAction = a;
  QVERIFY(closeAction);
  closeAction->trigger();
  QTRY_VERIFY(openQuestion());
  QMessageBox* box = openQuestion();
  QCOMPARE(box->text(), QString("Stop the drill and close? The journal stays at %1.").arg(m_journal));
  QCOMPARE(buttonTexts(box), QStringList({"Stop and close", "Cancel"}));
  QCOMPARE(box->defaultButton()->text(), QString("Cancel"));
  QVERIFY(answer(box, "Cancel"));
  QTRY_VERIFY(!openQuestion());
  QTest::qWait(300);
  QVERIFY(m_controller);
  QVERIFY(m_controller->isVisible());
  QVERIFY(server->isRunning());
  call(m_controller->state(), {{"type", "clock"}}); // still connected and served

  // the window's close button: the same question; Stop and close
  m_controller->close();
  QTRY_VERIFY(openQuestion());
  QCOMPARE(openQuestion()->text(), QString("Stop the drill and close? The journal stays at %1.").arg(m_journal));
  m_controller->close(); // asked again while the question is open: still one question
  QCOMPARE(m_controller->findChildren<QMessageBox*>().size(), 1);
  QVERIFY(answer(openQuestion(), "Stop and close"));
  QTRY_VERIFY_WITH_TIMEOUT(!m_controller, reply_timeout_ms); // closed (and deleted) once the server has exited
  QCOMPARE(stopped.size(), 1);
  QCOMPARE(stopped.at(0).at(0).toBool(), true); // status 0 after SIGTERM: the server finished its journal
  QCOMPARE(failed.size(), 0);
  QVERIFY(!server->isRunning());

  // the record stays where the controller chose, with every command
  QVERIFY(QFileInfo(m_journal).isFile());
  QVERIFY(QFileInfo(m_journal + ".tokens").isFile());
  QCOMPARE(journaledCommands(m_journal),
           QStringList({"step", "inject_cancel:inj-03", "observe", "step", "assess", "start", "end"}));
  QVERIFY(LocalServer::readTokens(m_journal + ".tokens").contains("controller"));

  // the team console of the stopped drill gives up after its attempts and says why
  QVERIFY(m_team);
  QTRY_COMPARE_WITH_TIMEOUT(m_team->state()->connection()->state(), DrillConnection::State::disconnected,
                            reply_timeout_ms);
  QTest::qWait(1000);
  QCOMPARE(m_team->state()->connection()->state(), DrillConnection::State::disconnected); // and stays so
  const QString said = m_team->errorLabel()->text();
  QVERIFY2(said.contains(QString("the drill server at %1 is gone: no answer after 3 reconnection attempts")
                             .arg(server->url().toString())),
           qPrintable(said));

  // the launcher is back, ready to review the drill
  QTRY_VERIFY(m_launcher->isVisible());
  QCOMPARE(m_launcher->reviewJournalEdit()->text(), m_journal);
  QVERIFY2(m_launcher->messageLabel()->text().startsWith(
               QString("The drill has stopped. Its journal is %1 (its tokens beside it)").arg(m_journal)),
           qPrintable(m_launcher->messageLabel()->text()));
  QVERIFY2(m_launcher->drillJournalEdit()->text().startsWith("~/cyberex-drills/tutorial-"),
           qPrintable(m_launcher->drillJournalEdit()->text())); // the next Start is a new drill
  m_team->close();
}

void ConsoleDrillTest::afterActionPlayerOpensTheJournal()
{
  QVERIFY(m_endedAt > 0);
  // the launcher's Open journal, as the message says
  auto* open = m_launcher->findChild<QPushButton*>("openJournal");
  QVERIFY(open);
  QTest::mouseClick(open, Qt::LeftButton);
  QTRY_VERIFY(visiblePlayer());
  AarPlayer* player = visiblePlayer();
  QTRY_VERIFY_WITH_TIMEOUT(player->isLoaded(), start_timeout_ms);
  QCOMPARE(player->journalPath(), m_journal);
  QVERIFY2(std::abs(player->duration() - m_endedAt) < 0.002,
           qPrintable(QString("duration %1, ended at %2").arg(player->duration()).arg(m_endedAt)));
  player->seek(player->duration());
  QStringList types;
  QStringList details;
  EventListModel* events = player->eventModel();
  for (int r = 0; r < events->rowCount(); ++r) {
    const QJsonObject record = events->index(r, 0).data(EventListModel::RecordRole).toJsonObject();
    types << record.value("type").toString();
    details << QString::fromUtf8(QJsonDocument(record.value("details").toObject()).toJson(QJsonDocument::Compact));
  }
  QVERIFY2(types.contains("inject_cancelled"), qPrintable(types.join(",")));
  QVERIFY(!containing(details, "White Cell: the drill journal test").isEmpty());
  QVERIFY2(!containing(details, "ended by the controller").isEmpty(),
           qPrintable(types.mid(types.size() - 6).join(",") + "\n" + details.mid(details.size() - 6).join("\n")));
  QVERIFY(types.contains("inject"));
  QVERIFY(!containing(details, "Phishing wave mimics EU summit invitations").isEmpty()); // inj-01, at 15 min
  player->close();

  // cyberex-gui --journal FILE
  MainWindow cli;
  LaunchOptions o;
  o.journal = m_journal;
  cli.launch(o);
  QTRY_VERIFY(visiblePlayer());
  player = visiblePlayer();
  QTRY_VERIFY_WITH_TIMEOUT(player->isLoaded(), start_timeout_ms);
  QCOMPARE(player->journalPath(), m_journal);
  QVERIFY(std::abs(player->duration() - m_endedAt) < 0.002);
  player->close();
}

void ConsoleDrillTest::startOnAnExistingJournalAsksAndRecovers()
{
  m_launcher->show(); // the program run again (opening the player put the launcher away)
  m_launcher->drillJournalEdit()->selectAll();
  QTest::keyClicks(m_launcher->drillJournalEdit(), m_journal);
  QCOMPARE(m_launcher->drillJournalNote()->text(),
           QString("<b>This journal exists:</b> Start recovers that drill from it (its commands are replayed and its "
                   "tokens kept) rather than starting a new one."));
  LocalServer* before = m_launcher->localServer();
  QTest::mouseClick(m_launcher->startButton(), Qt::LeftButton);
  QTRY_VERIFY(openQuestion());
  QMessageBox* box = openQuestion();
  QCOMPARE(box->text(), QString("The journal %1 exists. The drill will be recovered from it: its commands are replayed "
                                "and its tokens kept, and the drill goes on from where it stopped. It is not started "
                                "afresh. Recover it?")
                            .arg(m_journal));
  QCOMPARE(buttonTexts(box), QStringList({"Recover the drill", "Cancel"}));
  QVERIFY(answer(box, "Cancel"));
  QTRY_VERIFY(!openQuestion());
  QTest::qWait(300);
  QCOMPARE(m_launcher->localServer(), before); // nothing started
  QVERIFY(!before->isRunning());

  const QByteArray tokens = [this] {
    QFile f(m_journal + ".tokens");
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
  }();
  QTest::mouseClick(m_launcher->startButton(), Qt::LeftButton);
  QTRY_VERIFY(openQuestion());
  QVERIFY(answer(openQuestion(), "Recover the drill"));
  QTRY_VERIFY_WITH_TIMEOUT(m_launcher->controllerWindow(), start_timeout_ms);
  m_controller = m_launcher->controllerWindow();
  QTRY_VERIFY_WITH_TIMEOUT(m_controller->state()->hasSnapshot(), start_timeout_ms);
  // the same drill: ended where it ended, the same tokens
  QCOMPARE(m_controller->state()->clock().state, QString("ended"));
  QVERIFY(std::abs(m_controller->state()->clock().time - m_endedAt) < 0.002);
  QCOMPARE(m_controller->journalLabel()->text(), QString("Journal: %1").arg(m_journal));
  QFile f(m_journal + ".tokens");
  QVERIFY(f.open(QIODevice::ReadOnly));
  QCOMPARE(f.readAll(), tokens);

  // closing asks again
  m_controller->close();
  QTRY_VERIFY(openQuestion());
  QVERIFY(answer(openQuestion(), "Stop and close"));
  QTRY_VERIFY_WITH_TIMEOUT(!m_controller, reply_timeout_ms);
  QVERIFY(QFileInfo(m_journal).isFile());
  QCOMPARE(journaledCommands(m_journal),
           QStringList({"step", "inject_cancel:inj-03", "observe", "step", "assess", "start", "end"}));
}

void ConsoleDrillTest::cleanupTestCase()
{
  if (QMessageBox* box = openQuestion())
    box->reject();
  delete m_team;
  m_launcher.reset();
}

QTEST_MAIN(ConsoleDrillTest)
#include "console_drill_test.moc"
