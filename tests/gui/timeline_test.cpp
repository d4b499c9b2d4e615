/* End to end on Cyber Atlantic 2011: a local drill served by `cyberex serve`, the controller console on it. The
 * timeline shows what the core's state says (each inject's status and time, each expectation's window); the MSEL's
 * filters and search give the rows counted by hand in scenarios/cyber-atlantic-2011/msel.json; sorting; a new inject
 * lands in time order; "Next inject" follows a delay; toasts name what each command did; a refused command reads in
 * plain words until the next success; the event log's type list hides probe_status; a double-click shows a record's
 * node on the map. With CYBEREX_GUI_SCREENSHOTS=DIR it saves the docs' screenshots there. */
#include "console_support.hpp"

#include "console/clock_bar.hpp"
#include "console/controller_window.hpp"
#include "console/dialogs.hpp"
#include "console/timeline_view.hpp"
#include "console/toast.hpp"
#include "cyberex/exercise_state.hpp"
#include "map/map_view.hpp"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace cyberex::gui;
using namespace cyberex::gui::test;

namespace {

constexpr const char* atlantic = CYBEREX_SOURCE_DIR "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";

QStringList column0(const QAbstractItemModel* m)
{
  QStringList out;
  for (int r = 0; r < m->rowCount(); ++r)
    out.append(m->index(r, 0).data().toString());
  return out;
}

/// The core's MSEL (the fold of the records the console received), by inject id.
QJsonObject coreMsel(ConsoleState* state)
{
  return QJsonDocument::fromJson(QByteArray::fromStdString(state->exercise()->state().msel_json())).object();
}

double earliestScheduled(const MselModel* msel)
{
  double next = std::numeric_limits<double>::infinity();
  for (int r = 0; r < msel->parentCount(); ++r)
    if (msel->parentObject(r).value("status").toString() == "scheduled")
      next = std::min(next, msel->parentObject(r).value("due").toDouble());
  return next;
}

} // namespace

class TimelineTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void mselFiltersGiveTheHandCountedRows();
  void mselSorts();
  void timelineShowsTheCoreState();
  void nextInjectFollowsADelay();
  void toastsNameWhatHappened();
  void refusedCommandInPlainWordsUntilTheNextSuccess();
  void newInjectLandsInTimeOrder();
  void eventLogTypeListAndDetails();
  void teamsTabListsMessages();
  void screenshots();
  void cleanupTestCase();

private:
  void compareTimelineWithCore();
  LocalServer m_server;
  Client m_control;
  std::unique_ptr<ControllerWindow> m_window;
};

void TimelineTest::initTestCase()
{
  QStandardPaths::setTestModeEnabled(true);
  useBuiltBinary();
  QString error = startServer(m_server, atlantic);
  QVERIFY2(error.isEmpty(), qPrintable(error));
  const ScenarioCatalog catalog = ScenarioCatalog::load(atlantic, &error);
  QVERIFY2(catalog.loaded, qPrintable(error));
  m_control.state->setCatalog(catalog);
  m_window = std::make_unique<ControllerWindow>(m_control.state.get());
  m_control.testModels({m_window->mselFilter(), m_window->eventFilter()});
  m_window->resize(1600, 1000);
  m_window->show();
  m_control.connection->open(m_server.url(), m_server.tokens().value("controller"));
  QTRY_VERIFY_WITH_TIMEOUT(m_control.state->hasSnapshot(), start_timeout_ms);
  QCOMPARE(m_control.state->msel()->parentCount(), 67);
}

void TimelineTest::mselFiltersGiveTheHandCountedRows()
{
  QAbstractItemModel* view = m_window->mselView()->model();
  QCOMPARE(view, static_cast<QAbstractItemModel*>(m_window->mselFilter()));
  QCOMPARE(view->rowCount(), 67);
  // msel.json: the injects of move-1 addressed to cert-de
  m_window->mselTeamBox()->setCurrentIndex(m_window->mselTeamBox()->findData("cert-de"));
  m_window->mselMoveBox()->setCurrentIndex(m_window->mselMoveBox()->findData("move-1"));
  QCOMPARE(column0(view), QStringList({"m1-startex", "m1-lure-report", "m1-hacktivists", "m1-sitrep"}));
  QCOMPARE(m_window->mselMoveBox()->currentText(), QString("move-1: Paper Trail"));
  // energy-csirt: 19 injects name it
  m_window->mselMoveBox()->setCurrentIndex(0);
  m_window->mselTeamBox()->setCurrentIndex(m_window->mselTeamBox()->findData("energy-csirt"));
  QCOMPARE(view->rowCount(), 19);
  m_window->mselTeamBox()->setCurrentIndex(0);
  // before the start: of the 13 injects with a time, m1-startex (M+0) is delivered as the drill opens and 12 are
  // scheduled; the 54 others wait (contingencies, triggers)
  m_window->mselStatusBox()->setCurrentIndex(m_window->mselStatusBox()->findData("delivered"));
  QCOMPARE(column0(view), QStringList({"m1-startex"}));
  m_window->mselStatusBox()->setCurrentIndex(m_window->mselStatusBox()->findData("scheduled"));
  QCOMPARE(view->rowCount(), 12);
  m_window->mselStatusBox()->setCurrentIndex(m_window->mselStatusBox()->findData("waiting"));
  QCOMPARE(view->rowCount(), 54);
  m_window->mselStatusBox()->setCurrentIndex(0);
  // "euroleaks" in id, title or text (any case): the seven leaks, the hacktivists, the media, the link, the total
  m_window->mselSearchEdit()->setText("euroleaks");
  QCOMPARE(column0(view),
           QStringList({"m1-de-leak", "m1-fr-leak", "m1-nl-leak", "m1-se-leak", "m1-it-leak", "m1-es-leak",
                        "m1-us-leak", "m1-hacktivists", "m2-media", "m2-link", "m3-leak-total"}));
  m_window->mselSearchEdit()->clear();
  QCOMPARE(view->rowCount(), 67);
  // full titles: the title column gets the room, and a tooltip holds the whole title
  const QModelIndex title = view->index(0, MselModel::TitleColumn);
  QCOMPARE(title.data(Qt::ToolTipRole).toString(), QString("STARTEX: situation on 3 November 2011, 09:00"));
  m_window->tabs()->setCurrentWidget(m_window->mselView()->parentWidget());
  // the title column takes the room the others leave (whatever the docks beside the tabs take), and that is room
  // for a title, not five characters
  QTreeView* tree = m_window->mselView();
  const auto others = [tree] {
    int sum = 0;
    for (int c = 0; c < tree->model()->columnCount(); ++c)
      if (c != MselModel::TitleColumn)
        sum += tree->columnWidth(c);
    return sum;
  };
  QTRY_COMPARE(tree->columnWidth(MselModel::TitleColumn), tree->viewport()->width() - others());
  QVERIFY2(tree->columnWidth(MselModel::TitleColumn) > 200,
           qPrintable(QString::number(tree->columnWidth(MselModel::TitleColumn))));
}

void TimelineTest::mselSorts()
{
  QTreeView* tree = m_window->mselView();
  QAbstractItemModel* view = tree->model();
  tree->sortByColumn(MselModel::TimeColumn, Qt::AscendingOrder);
  // msel.json's times: M+0, H+0 M+30, H+0 M+45 ... and move-3's ENDEX at 6h30m + 1h25m, then the untimed
  QCOMPARE(column0(view).mid(0, 3), QStringList({"m1-startex", "m1-lure-report", "m1-us-intel"}));
  QCOMPARE(view->index(12, 0).data().toString(), QString("m3-endex"));
  QCOMPARE(view->index(12, MselModel::TimeColumn).data().toString(), QString("07:55:00"));
  QCOMPARE(view->index(13, MselModel::TimeColumn).data().toString(), QString());
  tree->sortByColumn(MselModel::InjectColumn, Qt::DescendingOrder);
  QCOMPARE(view->index(0, 0).data().toString(), QString("m3-start"));
  // back to the MSEL's order
  tree->header()->setSortIndicator(-1, Qt::AscendingOrder);
  QCOMPARE(column0(view).mid(0, 2), QStringList({"m1-startex", "m1-lure-report"}));
}

void TimelineTest::compareTimelineWithCore()
{
  TimelineView* timeline = m_window->timelineView();
  MselModel* msel = m_control.state->msel();
  const QJsonObject core = coreMsel(m_control.state.get());
  QHash<QString, QJsonObject> coreInjects;
  for (const auto& v : core.value("injects").toArray())
    coreInjects.insert(v.toObject().value("inject").toString(), v.toObject());
  QCOMPARE(coreInjects.size(), msel->parentCount());
  int marks = 0;
  for (auto it = coreInjects.begin(); it != coreInjects.end(); ++it) {
    int lanes = 0;
    for (const auto& t : it->value("to").toArray())
      lanes += m_control.state->playerTeams().contains(t.toString()) ? 1 : 0;
    marks += std::max(1, lanes);
  }
  QCOMPARE(timeline->injectMarks().size(), marks);
  for (const auto& m : timeline->injectMarks()) {
    const QJsonObject c = coreInjects.value(m.inject);
    QVERIFY2(!c.isEmpty(), qPrintable(m.inject));
    // the core's fold starts from the records received: m1-startex, delivered at T+0 when the drill opened and before
    // the console joined, is known from the snapshot only (due at 0, delivered at 0: the same place)
    if (m.inject == "m1-startex" && c.value("status").toString() == "scheduled") {
      QCOMPARE(m.status, QString("delivered"));
      QCOMPARE(m.time, c.value("due").toDouble());
      continue;
    }
    QCOMPARE(m.status, c.value("status").toString());
    QCOMPARE(m.status, msel->status(m.inject));
    const QJsonValue when = c.contains("delivered") ? c.value("delivered") : c.value("due");
    QCOMPARE(m.timed, when.isDouble());
    if (m.timed)
      QCOMPARE(m.time, when.toDouble());
    else
      QCOMPARE(m.time, m_control.state->clock().time); // waiting: drawn at now
    QVERIFY(m.lane == "control" || c.value("to").toArray().contains(QJsonValue(m.lane)));
  }
  // expectation windows: those of the core, activation to deadline, with their status
  const QJsonArray exps = core.value("expectations").toArray();
  QCOMPARE(timeline->expectationBars().size(), exps.size());
  for (const auto& v : exps) {
    const QJsonObject e = v.toObject();
    const auto& bars = timeline->expectationBars();
    const auto bar = std::find_if(bars.begin(), bars.end(), [&](const TimelineView::ExpectationBar& b) {
      return b.expectation == e.value("expectation").toString() && b.team == e.value("team").toString();
    });
    QVERIFY2(bar != bars.end(), qPrintable(e.value("expectation").toString()));
    QCOMPARE(bar->status, e.value("status").toString());
    QCOMPARE(bar->from, e.value("activated").toDouble());
    QCOMPARE(bar->to, e.value("deadline").toDouble());
  }
}

void TimelineTest::timelineShowsTheCoreState()
{
  TimelineView* timeline = m_window->timelineView();
  m_window->tabs()->setCurrentWidget(timeline->parentWidget());
  QCOMPARE(timeline->lanes(), QStringList({"cert-de", "cert-fr", "cert-nl", "cert-se", "cert-it", "cert-es", "us-cert",
                                           "energy-csirt", "control"}));
  // run to 2h: the first injects delivered, expectations active, met or missed
  m_window->clockBar()->runTo(7200);
  QTRY_COMPARE_WITH_TIMEOUT(m_control.state->clock().time, 7200.0, reply_timeout_ms);
  QTRY_VERIFY(m_control.state->expectations()->rowCount() > 0);
  QTest::qWait(500); // the last records of the step
  QCOMPARE(m_control.state->msel()->status("m1-lure-report"), QString("delivered"));
  compareTimelineWithCore();
  // m1-lure-report (H+0 M+30, to cert-de): one diamond on cert-de's lane at 30 min, delivered
  const auto& marks = timeline->injectMarks();
  const auto lure =
      std::find_if(marks.begin(), marks.end(), [](const auto& m) { return m.inject == "m1-lure-report"; });
  QVERIFY(lure != marks.end());
  QCOMPARE(lure->lane, QString("cert-de"));
  QCOMPARE(lure->time, 1800.0);
  // where it is drawn is where a click finds it, and a click selects it in the MSEL
  QCOMPARE(timeline->injectAt(lure->rect.center()), QString("m1-lure-report"));
  QVERIFY(timeline->toolTipAt(lure->rect.center()).startsWith("m1-lure-report 'Staff forward a suspicious e-mail'"));
  QCOMPARE(std::lround(timeline->xOf(1800)), std::lround(lure->rect.center().x()));
  QTest::mouseClick(timeline->viewport(), Qt::LeftButton, {}, lure->rect.center().toPoint());
  QCOMPARE(m_window->selectedInject(), QString("m1-lure-report"));
  // zoom keeps the time under the pointer in place
  QTest::keyClick(timeline, Qt::Key_0); // fit to the view as it is now
  const double zoom = timeline->zoom();
  const double x1800 = timeline->xOf(1800);
  timeline->zoomBy(2, 1800);
  QCOMPARE(timeline->zoom(), zoom * 2);
  QVERIFY(std::abs(timeline->xOf(1800) - x1800) <= 1.0);
  QTest::keyClick(timeline, Qt::Key_0);
  QCOMPARE(timeline->zoom(), zoom);
}

void TimelineTest::nextInjectFollowsADelay()
{
  MselModel* msel = m_control.state->msel();
  ClockBar* clock = m_window->clockBar();
  // at 2h the next timed injects are the hacktivists' announcement and the ICS advisory, both at H+2 M+30
  QCOMPARE(msel->status("m1-hacktivists"), QString("scheduled"));
  QCOMPARE(msel->status("m1-ics-advisory"), QString("scheduled"));
  const double before = earliestScheduled(msel);
  QVERIFY(before <= 9000);
  QTRY_COMPARE(m_control.state->clock().nextInject, before);
  QCOMPARE(clock->nextInjectLabel()->text(), QString("Next inject T+%1").arg(formatSimTime(before)));
  for (const char* inject : {"m1-hacktivists", "m1-ics-advisory"}) {
    m_window->selectInject(inject);
    m_window->delaySelectedInject("1h");
    QTRY_COMPARE(msel->parentObject(msel->injectRow(inject)).value("due").toDouble(), 9000.0 + 3600);
  }
  const double after = earliestScheduled(msel);
  QVERIFY(after > before);
  // the clock bar follows without the clock moving
  QTRY_COMPARE(m_control.state->clock().nextInject, after);
  QCOMPARE(clock->nextInjectLabel()->text(), QString("Next inject T+%1").arg(formatSimTime(after)));
  QCOMPARE(m_control.state->clock().time, 7200.0);
  QCOMPARE(m_window->toasts()->lastMessage(),
           QString("Delayed m1-ics-advisory 'TLP:AMBER - malware 'NightShift' targets power-plant controllers' by "
                   "01:00:00: now due at T+03:30:00"));
}

void TimelineTest::toastsNameWhatHappened()
{
  m_window->selectInject("m3-de-reentry");
  QCOMPARE(m_control.state->msel()->status("m3-de-reentry"), QString("waiting"));
  m_window->releaseSelectedInject();
  QTRY_COMPARE(m_window->toasts()->lastMessage(),
               QString("Released m3-de-reentry 'Stolen administrator account used again' to cert-de"));
  QVERIFY(m_window->toasts()->messages().contains(m_window->toasts()->lastMessage()));
  QCOMPARE(m_control.state->msel()->status("m3-de-reentry"), QString("delivered"));
  // the clock: paused at 2h
  const bool ready = m_control.state->clock().state == "ready";
  m_window->clockBar()->playPause(); // start, or resume after the step
  QTRY_VERIFY(m_window->toasts()->lastMessage().startsWith(ready ? "Clock started at T+" : "Clock resumed at T+"));
  m_window->clockBar()->playPause();
  QTRY_VERIFY(m_window->toasts()->lastMessage().startsWith("Clock paused at T+"));
  QCOMPARE(m_window->toasts()->lastMessage(),
           QString("Clock paused at T+%1").arg(formatSimTime(m_control.state->clock().time)));
}

void TimelineTest::refusedCommandInPlainWordsUntilTheNextSuccess()
{
  m_window->selectInject("m3-de-reentry");
  m_window->releaseSelectedInject();
  const QString plain("Could not release the inject: inject \"m3-de-reentry\" was already delivered or cancelled (not "
                      "possible in the current state).");
  QTRY_COMPARE(m_window->errorLabel()->text(), plain);
  QCOMPARE(m_window->toasts()->lastMessage(), plain);
  QCOMPARE(m_window->toasts()->lastKind(), ToastArea::Kind::error);
  // queries in the background (the clock, the scores) do not clear it; the next command that succeeds does
  QTest::qWait(700);
  QCOMPARE(m_window->errorLabel()->text(), plain);
  m_window->selectInject("m2-shift-supervisor");
  m_window->releaseSelectedInject();
  QTRY_COMPARE(m_window->toasts()->lastMessage(),
               QString("Released m2-shift-supervisor 'Can we restart on manual?' to energy-csirt"));
  QCOMPARE(m_window->errorLabel()->text(), QString());
}

void TimelineTest::newInjectLandsInTimeOrder()
{
  MselModel* msel = m_control.state->msel();
  const double t = 9900; // 2h45m
  int expected = msel->parentCount();
  for (int r = 0; r < msel->parentCount(); ++r)
    if (MselModel::injectTime(msel->parentObject(r)) > t) {
      expected = r;
      break;
    }
  auto* dialog = qobject_cast<NewInjectDialog*>(m_window->openNewInjectDialog());
  QVERIFY(dialog);
  dialog->idEdit()->setText("wc-press");
  dialog->titleEdit()->setText("Press enquiry about the leaks");
  dialog->contentEdit()->setPlainText("A journalist asks whether the agency was breached.");
  for (int i = 0; i < dialog->recipients()->count(); ++i)
    if (dialog->recipients()->item(i)->data(Qt::UserRole).toString() == "cert-de")
      dialog->recipients()->item(i)->setCheckState(Qt::Checked);
  dialog->timeEdit()->setText("2h45m");
  dialog->accept();
  QTRY_VERIFY(msel->injectRow("wc-press") >= 0);
  QCOMPARE(msel->injectRow("wc-press"), expected);
  QCOMPARE(MselModel::injectTime(msel->parentObject(expected)), t);
  if (expected + 1 < msel->parentCount())
    QVERIFY(MselModel::injectTime(msel->parentObject(expected + 1)) > t);
  QTRY_COMPARE(m_window->toasts()->lastMessage(),
               QString("New inject wc-press 'Press enquiry about the leaks' for cert-de, due at T+02:45:00"));
  // the next inject follows (this one, unless a triggered inject is due earlier)
  QVERIFY(earliestScheduled(msel) <= t);
  QTRY_COMPARE(m_control.state->clock().nextInject, earliestScheduled(msel));
  compareTimelineWithCore();
}

void TimelineTest::eventLogTypeListAndDetails()
{
  EventLogModel* log = m_control.state->eventLog();
  EventFilterProxy* shown = m_window->eventFilter();
  int probes = 0;
  for (int r = 0; r < log->rowCount(); ++r)
    probes += log->index(r, 0).data(EventLogModel::TypeRole).toString() == "probe_status" ? 1 : 0;
  QVERIFY2(probes > 0, "Cyber Atlantic's probes report by 2h");
  const int all = shown->rowCount();
  QCOMPARE(all, log->rowCount());
  QAction* probe = m_window->eventTypeMenu()->findChild<QAction*>("showType_probe_status");
  QVERIFY(probe);
  QVERIFY(probe->isChecked());
  probe->trigger(); // one click
  QCOMPARE(shown->rowCount(), all - probes);
  for (int r = 0; r < shown->rowCount(); ++r)
    QVERIFY(shown->index(r, 0).data(EventLogModel::TypeRole).toString() != "probe_status");
  QCOMPARE(shown->hiddenTypes(), QStringList({"probe_status"}));
  const auto actions = m_window->eventTypeMenu()->actions();
  actions.at(1)->trigger(); // Show none
  QCOMPARE(actions.at(1)->text(), QString("Show none"));
  QCOMPARE(shown->rowCount(), 0);
  actions.at(0)->trigger(); // Show all
  QCOMPARE(shown->rowCount(), log->rowCount());
  probe->trigger();
  QCOMPARE(shown->rowCount(), log->rowCount() - probes);

  // the details pane: the selected record in full
  QTableView* view = m_window->eventView();
  view->selectRow(0);
  const QJsonObject details = QJsonDocument::fromJson(m_window->eventDetails()->toPlainText().toUtf8()).object();
  const QJsonObject row = view->model()->index(0, 0).data(JsonTableModel::ObjectRole).toJsonObject();
  QCOMPARE(details.value("seq"), row.value("seq"));
  QCOMPARE(details.value("type"), row.value("type"));
  QCOMPARE(details.value("details"), row.value("details"));

  // a double-click on a record about a node shows it on the map
  int nodeRow = -1;
  for (int r = 0; r < view->model()->rowCount() && nodeRow < 0; ++r) {
    const QString node = view->model()->index(r, 0).data(EventLogModel::NodeRole).toString();
    if (!node.isEmpty() && m_control.state->exercise()->nodeIndex(node) >= 0)
      nodeRow = r;
  }
  QVERIFY(nodeRow >= 0);
  const QString node = view->model()->index(nodeRow, 0).data(EventLogModel::NodeRole).toString();
  emit view->doubleClicked(view->model()->index(nodeRow, 1));
  auto* map = qobject_cast<MapView*>(m_window->mapWidget());
  QVERIFY(map);
  QCOMPARE(map->selectedNode(), node);
  QVERIFY(m_window->tabs()->currentWidget()->isAncestorOf(map) || m_window->tabs()->currentWidget() == map);
  // one about a team and no node: the team's tab
  int teamRow = -1;
  for (int r = 0; r < view->model()->rowCount() && teamRow < 0; ++r)
    if (view->model()->index(r, 0).data(EventLogModel::NodeRole).toString().isEmpty() &&
        view->model()->index(r, 0).data(EventLogModel::TypeRole).toString() == "inject" &&
        view->model()->index(r, 0).data(EventLogModel::TeamsRole).toStringList().value(0) == "us-cert")
      teamRow = r;
  QVERIFY(teamRow >= 0);
  emit view->doubleClicked(view->model()->index(teamRow, 1));
  QCOMPARE(m_window->selectedTeam(), QString("us-cert"));
  QVERIFY(m_window->tabs()->currentWidget()->isAncestorOf(m_window->teamsView()));
}

void TimelineTest::teamsTabListsMessages()
{
  // a message from cert-de (the controller speaks for a team with "team") shows in cert-de's and cert-fr's lists
  call(m_control.state.get(), {{"type", "message"},
                               {"team", "cert-de"},
                               {"to", QJsonArray{"cert-fr"}},
                               {"subject", "Council lure"},
                               {"text", "Block the sender."}});
  m_window->selectTeam("cert-fr");
  QTRY_COMPARE(m_window->teamMessages()->rowCount(), 1);
  m_window->selectTeam("cert-se");
  QCOMPARE(m_window->teamMessages()->rowCount(), 0);
  // a rating reaches the team's Ratings list
  call(m_control.state.get(), {{"type", "rate"},
                               {"team", "cert-de"},
                               {"objective", "obj-detect-apt"},
                               {"rating", "S"},
                               {"text", "Quick triage"}});
  m_window->selectTeam("cert-de");
  QTRY_COMPARE(m_window->teamRatings()->rowCount(), 1);
  QVERIFY(m_window->teamRatings()->index(0, 5).data().toString().contains("obj-detect-apt"));
}

void TimelineTest::screenshots()
{
  const QString dir = qEnvironmentVariable("CYBEREX_GUI_SCREENSHOTS");
  if (dir.isEmpty())
    QSKIP("set CYBEREX_GUI_SCREENSHOTS=DIR to save the screenshots");
  auto shoot = [&](const QSize& size, QWidget* tab, const QString& file) {
    m_window->resize(size);
    m_window->tabs()->setCurrentWidget(tab);
    m_window->timelineView()->fitAll();
    QTest::qWait(300);
    QVERIFY(m_window->grab().save(dir + "/" + file));
  };
  QWidget* timelineTab = m_window->timelineView()->parentWidget();
  m_window->selectInject("m1-lure-report");
  shoot({1600, 1000}, timelineTab, "gui-timeline.png");
  shoot({1280, 800}, timelineTab, "gui-timeline-1280.png");
  m_window->mselTeamBox()->setCurrentIndex(m_window->mselTeamBox()->findData("cert-de"));
  m_window->mselMoveBox()->setCurrentIndex(m_window->mselMoveBox()->findData("move-1"));
  m_window->mselView()->sortByColumn(MselModel::TimeColumn, Qt::AscendingOrder);
  m_window->mselView()->expandAll();
  shoot({1600, 1000}, m_window->mselView()->parentWidget(), "gui-msel.png");
  shoot({1280, 800}, m_window->mselView()->parentWidget(), "gui-msel-1280.png");
  m_window->mselTeamBox()->setCurrentIndex(0);
  m_window->mselMoveBox()->setCurrentIndex(0);
  m_window->tabs()->setCurrentWidget(m_window->eventView()->parentWidget()->parentWidget());
  shoot({1600, 1000}, m_window->tabs()->currentWidget(), "gui-eventlog.png");
}

void TimelineTest::cleanupTestCase()
{
  m_window.reset();
  m_control.connection->close();
  m_server.stop();
}

// the offscreen platform's screen is 800x600 unless told: a 1600x1000 desktop (tests/gui/data/screen-1600x1000.json),
// where the controller window opens with its docks at their default sizes
int main(int argc, char** argv)
{
  if (qgetenv("QT_QPA_PLATFORM") == "offscreen")
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" CYBEREX_SOURCE_DIR "/tests/gui/data/screen-1600x1000.json");
  QApplication app(argc, argv);
  TimelineTest test;
  QTEST_SET_MAIN_SOURCE_PATH
  return QTest::qExec(&test, argc, argv);
}

#include "timeline_test.moc"
