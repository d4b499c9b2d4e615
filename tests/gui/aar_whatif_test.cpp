/* The after-action player's what-if form and slider (issue 18) on a journal of Cyber Atlantic 2011 played with
 * responses.json: the form builds the command of `cyberex whatif --command` (no JSON by hand), its run's KPI table
 * equals cyberex whatif's with the same command, the run shows progress and Cancel kills it; a click on the slider's
 * groove seeks to the time under the pointer, moves and injects are marked along it, and a click on an event seeks to
 * it. */
#include "aar/aar_player.hpp"
#include "aar/event_list_model.hpp"
#include "aar/whatif_form.hpp"
#include "charts/dashboard.hpp"
#include "console/action_form.hpp"

#include <QAbstractItemModel>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleOptionSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace cyberex::gui;

namespace {

const QString SOURCE = QStringLiteral(CYBEREX_SOURCE_DIR);
const QString CA2011 = SOURCE + "/scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";
const QString RESPONSES = SOURCE + "/scenarios/cyber-atlantic-2011/responses.json";

/// Run the cyberex CLI with ARGS; its exit code, stdout in *OUT.
int runCli(const QStringList& args, QString* out, int timeoutMs = 300000)
{
  QProcess p;
  p.start(QStringLiteral(CYBEREX_BINARY), args);
  if (!p.waitForFinished(timeoutMs))
    return -2;
  if (out)
    *out = QString::fromUtf8(p.readAllStandardOutput());
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

/// The KPI table of cyberex whatif's text output, read here on its own: the rows after the "KPI" header, each split
/// into its columns at runs of two or more spaces (the label, the original, the what-if and the delta).
QList<QStringList> cliTable(const QString& text)
{
  QList<QStringList> rows;
  bool table = false;
  for (const QString& line : text.split('\n')) {
    if (line.startsWith("KPI ")) {
      table = true;
      continue;
    }
    if (!table || line.trimmed().isEmpty())
      continue;
    QStringList cells = line.trimmed().split(QRegularExpression("\\s{2,}"));
    rows.append(cells);
  }
  return rows;
}

} // namespace

class AarWhatifTest : public QObject {
  Q_OBJECT
private slots:
  void initTestCase();
  void formBuildsTheCommand();
  void runEqualsTheCli();
  void cancelKillsTheRun();
  void grooveClickSeeksToTheTimeUnderThePointer();
  void eventClickSeeks();
  void screenshots();

private:
  QTemporaryDir m_dir;
  QString m_journal;
  std::unique_ptr<AarPlayer> m_player;
};

void AarWhatifTest::initTestCase()
{
  QVERIFY(m_dir.isValid());
  m_journal = m_dir.filePath("ca2011.jsonl");
  QString out;
  QCOMPARE(runCli({"play", CA2011, "--play", RESPONSES, "--journal", m_journal}, &out), 0);
  m_player = std::make_unique<AarPlayer>();
  m_player->setCyberexProgram(QStringLiteral(CYBEREX_BINARY));
  m_player->resize(1600, 1000);
  m_player->show();
  QSignalSpy opened(m_player.get(), &AarPlayer::journalOpened);
  QVERIFY(m_player->openJournal(m_journal));
  QVERIFY(opened.wait(60000));
  QCOMPARE(m_player->duration(), 8 * 3600.0);
  QCOMPARE(m_player->defaultReportPath(), QDir(m_dir.path()).filePath("aar.html"));
}

void AarWhatifTest::formBuildsTheCommand()
{
  WhatifForm* form = m_player->whatifForm();
  QVERIFY(form->teamBox()->findText("cert-it") >= 0);
  QCOMPARE(form->teamBox()->count(), 8); // the eight player teams
  form->timeEdit()->setText("1h45m");
  QCOMPARE(form->time(), 6300.0);
  QVERIFY(form->setTeam("cert-it"));
  ActionForm* action = form->actionForm();
  // the team's own nodes, the scenario's indicators
  auto* target = qobject_cast<QComboBox*>(action->fieldEditor("target"));
  QVERIFY(target->findText("node:it-fs") >= 0);
  QCOMPARE(target->findText("node:de-fs"), -1);
  auto* indicator = qobject_cast<QComboBox*>(action->fieldEditor("indicator"));
  QVERIFY(indicator->findText("ioc-apt-c2-domain") >= 0);

  // nothing chosen: said in plain words, nothing added
  QVERIFY(action->setAction("isolate"));
  QVERIFY(!form->addCommand());
  QCOMPARE(form->findChild<QLabel*>("whatifError")->text(), QString("To isolate, choose a target."));
  action->setField("target", "node:it-ws-5");
  QVERIFY(form->addCommand());
  QVERIFY(action->setAction("block"));
  action->setField("indicator", "ioc-apt-c2-domain");
  QVERIFY(form->addCommand());
  QCOMPARE(
      form->commands(),
      QStringList(
          {R"({"as":"player:cert-it","command":{"action":"isolate","target":"node:it-ws-5","type":"action"}})",
           R"({"as":"player:cert-it","command":{"action":"block","indicator":"ioc-apt-c2-domain","type":"action"}})"}));
  QCOMPARE(form->commandList()->count(), 2);
  QCOMPARE(form->commandList()->item(1)->text(), QString("cert-it: block ioc-apt-c2-domain"));
  form->removeCommand(1);
  QCOMPARE(form->commands().size(), 1);
  QCOMPARE(form->commandList()->count(), 1);
  // the second workstation the lure compromised (docs/after-action.md's example)
  QVERIFY(action->setAction("isolate"));
  action->setField("target", "node:it-ws-12");
  QVERIFY(form->addCommand());
  QCOMPARE(form->commandList()->item(1)->text(), QString("cert-it: isolate node:it-ws-12"));
  // a time that is none of the forms: refused before a run
  form->timeEdit()->setText("soon");
  QString error;
  QVERIFY(!form->validate(&error));
  QVERIFY2(error.startsWith("From: expected "), qPrintable(error));
  QVERIFY2(error.endsWith("; got \"soon\""), qPrintable(error));
  form->timeEdit()->setText("1h45m");
}

void AarWhatifTest::runEqualsTheCli()
{
  WhatifForm* form = m_player->whatifForm();
  QCOMPARE(form->commands().size(), 2);
  QSignalSpy finished(m_player.get(), &AarPlayer::whatIfFinished);
  QSignalSpy progress(m_player->whatIfProgress(), &QProgressBar::valueChanged);
  QSignalSpy overlaid(m_player.get(), &AarPlayer::whatIfOverlaid);
  form->findChild<QPushButton*>("whatifRun")->click();
  QVERIFY(m_player->isWhatIfRunning());
  QVERIFY(!form->findChild<QPushButton*>("whatifRun")->isEnabled());
  QVERIFY(form->findChild<QPushButton*>("whatifCancel")->isEnabled());
  QVERIFY(finished.wait(300000));
  QCOMPARE(finished.at(0).at(0).toInt(), 0);
  QCOMPARE(m_player->whatIfProgress()->value(), 1000);
  QVERIFY2(progress.count() >= 3, qPrintable(QString::number(progress.count()))); // hour by hour, not only the end

  // the same alternative written by hand, as docs/after-action.md shows it, run by the CLI
  QString out;
  QCOMPARE(
      runCli({"whatif", m_journal, "--at", "1h45m", "--command",
              R"({"as":"player:cert-it","command":{"type":"action","action":"isolate","target":"node:it-ws-5"}})",
              "--command",
              R"({"as":"player:cert-it","command":{"type":"action","action":"isolate","target":"node:it-ws-12"}})"},
             &out),
      0);
  const QList<QStringList> expected = cliTable(out);
  QVERIFY(expected.size() >= 20);
  const QAbstractItemModel* results = m_player->whatIfResults();
  QCOMPARE(results->columnCount(), 4);
  QCOMPARE(results->headerData(0, Qt::Horizontal).toString(), QString("KPI"));
  QCOMPARE(results->headerData(1, Qt::Horizontal).toString(), QString("As played"));
  QCOMPARE(results->headerData(2, Qt::Horizontal).toString(), QString("What-if"));
  QCOMPARE(results->headerData(3, Qt::Horizontal).toString(), QString("Delta"));
  QCOMPARE(results->rowCount(), expected.size());
  for (int r = 0; r < expected.size(); ++r) {
    QCOMPARE(expected[r].size(), 4);
    // the label keeps the CLI's indentation of a campaign's or a team's row
    QCOMPARE(results->index(r, 0).data().toString().trimmed(), expected[r][0]);
    for (int c = 1; c < 4; ++c)
      QCOMPARE(results->index(r, c).data().toString(), expected[r][c]);
  }
  // the branch isolated the two workstations: apt-it stole nothing (320 MB as played), and the table says it
  QCOMPARE(expected[5], QStringList({"campaign apt-it (MB)", "320.000", "0.000", "-320.000"}));
  bool changed = false;
  for (int r = 0; r < results->rowCount(); ++r)
    changed = changed || (results->index(r, 3).data().toString() != "0" &&
                          results->index(r, 3).data().toString().toDouble() != 0.0);
  QVERIFY(changed);

  // the branch over the charts: its journal beside the original, its data exfiltrated ending at the table's what-if
  QCOMPARE(m_player->branchJournalPath(), QDir(m_dir.path()).filePath("ca2011-whatif.jsonl"));
  QVERIFY(overlaid.count() > 0 || overlaid.wait(60000));
  QCOMPARE(overlaid.at(0).at(0).toBool(), true);
  QCOMPARE(m_player->dashboard()->overlayModel(), m_player->whatIfModel());
  m_player->dashboard()->flush();
  const QList<QPointF> branch = m_player->dashboard()->drawnOverlayPoints(cyberex::gui::Kpi::exfiltrated);
  const QList<QPointF> played = m_player->dashboard()->drawnPoints(cyberex::gui::Kpi::exfiltrated);
  QVERIFY(!branch.isEmpty() && !played.isEmpty());
  QCOMPARE(expected[0][0], QString("data exfiltrated (MB)"));
  QCOMPARE(qRound(branch.last().y() * 1000), qRound(expected[0][2].toDouble() * 1000));
  QCOMPARE(qRound(played.last().y() * 1000), qRound(expected[0][1].toDouble() * 1000));
  QVERIFY(m_player->dashboard()->title(cyberex::gui::Kpi::exfiltrated).contains(", what-if: <b>"));
}

void AarWhatifTest::cancelKillsTheRun()
{
  AarPlayer player;
  QSignalSpy opened(&player, &AarPlayer::journalOpened);
  QVERIFY(player.openJournal(m_journal));
  QVERIFY(opened.wait(60000));
  // a cyberex that reports an hour of progress and then takes a minute
  player.setCyberexProgram(SOURCE + "/tests/gui/data/slow-cyberex.sh");
  QSignalSpy finished(&player, &AarPlayer::whatIfFinished);
  player.startWhatIfAt(
      3600, {R"({"as":"player:cert-it","command":{"type":"action","action":"isolate","target":"node:it-fs"}})"});
  QVERIFY(player.isWhatIfRunning());
  QTRY_COMPARE_WITH_TIMEOUT(player.whatIfProgress()->value(), 125, 10000); // 1 h of the 8: 3600 / 28800
  QCOMPARE(player.whatIfProgress()->format(), QString("H+01:00:00 of H+08:00:00 simulated"));
  QElapsedTimer clock;
  clock.start();
  player.whatifForm()->findChild<QPushButton*>("whatifCancel")->click();
  QVERIFY(finished.wait(5000));
  QVERIFY(clock.elapsed() < 5000);
  QCOMPARE(finished.at(0).at(0).toInt(), -1);
  QCOMPARE(finished.at(0).at(1).toString(), QString("cancelled"));
  QVERIFY(!player.isWhatIfRunning());
  QCOMPARE(player.whatIfProgress()->format(), QString("cancelled"));
  QVERIFY(player.whatifForm()->findChild<QPushButton*>("whatifRun")->isEnabled());
}

void AarWhatifTest::grooveClickSeeksToTheTimeUnderThePointer()
{
  SeekSlider* slider = m_player->slider();
  QTRY_VERIFY(slider->isVisible() && slider->width() > 300);
  // moves of Cyber Atlantic 2011 at 0, 4h and 6h30m; one inject mark per inject record of the journal
  QCOMPARE(slider->moveMarkers(), QList<int>({0, 4 * 3600, 6 * 3600 + 1800}));
  int injects = 0;
  QFile f(m_journal);
  QVERIFY(f.open(QIODevice::ReadOnly));
  while (!f.atEnd()) {
    const QJsonObject line = QJsonDocument::fromJson(f.readLine()).object();
    injects += line.value("type").toString() == "inject" && line.contains("seq");
  }
  QVERIFY(injects > 10);
  QCOMPARE(slider->injectMarkers().size(), injects);

  m_player->seek(0);
  QStyleOptionSlider opt;
  opt.initFrom(slider);
  opt.orientation = Qt::Horizontal;
  opt.minimum = slider->minimum();
  opt.maximum = slider->maximum();
  opt.sliderPosition = slider->value();
  const QRect groove = slider->style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, slider);
  const QRect handle = slider->style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, slider);
  for (double fraction : {0.6, 0.25}) {
    // the pixel under which the handle's centre stands at FRACTION of the journal
    const int span = groove.width() - handle.width();
    const int x = groove.x() + handle.width() / 2 + qRound(fraction * span);
    const double expected = 28800.0 * (x - groove.x() - handle.width() / 2) / span;
    QTest::mouseClick(slider, Qt::LeftButton, {}, QPoint(x, slider->height() / 2));
    QVERIFY2(std::abs(m_player->currentTime() - expected) <= 28800.0 / span,
             qPrintable(QString("%1 vs %2").arg(m_player->currentTime()).arg(expected)));
  }
}

void AarWhatifTest::eventClickSeeks()
{
  m_player->seek(m_player->duration());
  QTableView* view = m_player->eventView();
  EventListModel* model = m_player->eventModel();
  QTRY_VERIFY(model->rowCount() > 50);
  const QModelIndex row = model->index(40, EventListModel::TypeColumn);
  const double time = row.data(EventListModel::TimeRole).toDouble();
  QVERIFY(time > 0 && time < m_player->duration());
  view->scrollTo(row);
  QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(row).center());
  QCOMPARE(m_player->currentTime(), time);
  QCOMPARE(model->timeLimit(), time);
}

void AarWhatifTest::screenshots()
{
  const QByteArray dir = qgetenv("CYBEREX_GUI_SHOTS"); // the docs' screenshots, on demand
  if (dir.isEmpty())
    QSKIP("set CYBEREX_GUI_SHOTS to a folder to write docs/gui-aar-whatif*.png");
  m_player->seek(6300);
  m_player->whatifForm()->setTime(6300);
  for (const QSize size : {QSize(1600, 1000), QSize(1280, 800)}) {
    m_player->resize(size);
    QTest::qWait(300);
    const QString name = size.width() == 1600 ? "gui-aar-whatif.png" : "gui-aar-whatif-1280.png";
    QVERIFY(m_player->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name)));
  }
}

QTEST_MAIN(AarWhatifTest)
#include "aar_whatif_test.moc"
