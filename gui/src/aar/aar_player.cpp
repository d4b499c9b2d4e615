#include "aar/aar_player.hpp"

#include "aar/event_list_model.hpp"
#include "aar/journal_file.hpp"
#include "charts/dashboard.hpp"
#include "map/map_view.hpp"

#include "cyberex/scenario.hpp"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

namespace cyberex::gui {

namespace {

/// What the worker thread hands back: the journal and its scenario, or an error.
struct Loaded {
  std::optional<JournalFile> journal;
  std::optional<Scenario> scenario;
  QString error;
};

constexpr int SLIDER_STEPS_PER_SECOND = 1; // the slider moves by simulated seconds

} // namespace

struct AarPlayer::Impl {
  MapView* map = nullptr;
  Dashboard* dashboard = nullptr;
  EventListModel* events = nullptr;
  QTableView* eventView = nullptr;
  QSlider* slider = nullptr;
  QLabel* timeLabel = nullptr;
  QComboBox* teamBox = nullptr;
  QComboBox* speedBox = nullptr;
  QAction* playAction = nullptr;
  QAction* whatIfAction = nullptr;
  QAction* reportAction = nullptr;
  QPlainTextEdit* output = nullptr;
  QDockWidget* outputDock = nullptr;
  QTimer playTimer;
  QThread* loader = nullptr;
  QProcess* whatIf = nullptr;
  QProcess* report = nullptr;

  std::optional<JournalFile> journal;
  std::optional<Scenario> scenario;
  QString program;
  double time = 0;
  double speed = 600;
  int applied = 0; // records folded into the map so far (those with time <= time)
  bool loaded = false;

  double duration() const { return journal ? journal->lastTime() : 0; }
};

AarPlayer::AarPlayer(QWidget* parent) : QMainWindow(parent), m_d(std::make_unique<Impl>())
{
  Impl& d = *m_d;
  setWindowTitle(tr("cyberex — after-action player"));
  d.map = new MapView;
  d.dashboard = new Dashboard;
  d.events = new EventListModel(this);
  d.eventView = new QTableView;
  d.eventView->setModel(d.events);
  d.eventView->setSelectionBehavior(QAbstractItemView::SelectRows);
  d.eventView->verticalHeader()->hide();
  d.eventView->verticalHeader()->setDefaultSectionSize(20);
  d.eventView->horizontalHeader()->setStretchLastSection(true);
  d.eventView->setWordWrap(false);
  d.eventView->setColumnWidth(EventListModel::TimeColumn, 80);
  d.eventView->setColumnWidth(EventListModel::KindColumn, 64);
  d.eventView->setColumnWidth(EventListModel::TypeColumn, 130);
  d.eventView->setColumnWidth(EventListModel::SubjectColumn, 150);

  auto* top = new QSplitter(Qt::Horizontal);
  top->addWidget(d.map);
  top->addWidget(d.eventView);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
  auto* main = new QSplitter(Qt::Vertical);
  main->addWidget(top);
  main->addWidget(d.dashboard);
  main->setStretchFactor(0, 3);
  main->setStretchFactor(1, 2);

  d.slider = new QSlider(Qt::Horizontal);
  d.slider->setEnabled(false);
  d.timeLabel = new QLabel(EventListModel::formatTime(0));
  d.timeLabel->setMinimumWidth(180);
  auto* bottom = new QWidget;
  auto* bl = new QHBoxLayout(bottom);
  bl->setContentsMargins(6, 2, 6, 2);
  bl->addWidget(d.slider, 1);
  bl->addWidget(d.timeLabel);
  auto* central = new QWidget;
  auto* cl = new QVBoxLayout(central);
  cl->setContentsMargins(0, 0, 0, 0);
  cl->setSpacing(0);
  cl->addWidget(main, 1);
  cl->addWidget(bottom);
  setCentralWidget(central);

  auto* bar = addToolBar(tr("Playback"));
  bar->setObjectName(QStringLiteral("playback"));
  QAction* open = bar->addAction(tr("Open journal..."));
  open->setShortcut(QKeySequence::Open);
  connect(open, &QAction::triggered, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Open journal"), QString(),
                                                      tr("Journals (*.jsonl *.journal);;All files (*)"));
    if (!file.isEmpty())
      openJournal(file);
  });
  d.playAction = bar->addAction(tr("Play"));
  d.playAction->setShortcut(Qt::Key_Space);
  d.playAction->setEnabled(false);
  connect(d.playAction, &QAction::triggered, this, [this] { isPlaying() ? pause() : play(); });
  d.speedBox = new QComboBox;
  for (int s : {60, 300, 600, 1800, 3600})
    d.speedBox->addItem(tr("%1 min/s").arg(s / 60), s);
  d.speedBox->setCurrentIndex(2);
  connect(d.speedBox, &QComboBox::currentIndexChanged, this,
          [this](int i) { setPlaybackSpeed(m_d->speedBox->itemData(i).toDouble()); });
  bar->addWidget(d.speedBox);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr(" View: ")));
  d.teamBox = new QComboBox;
  d.teamBox->addItem(tr("Ground truth"), QString());
  connect(d.teamBox, &QComboBox::currentIndexChanged, this,
          [this](int i) { setTeamView(m_d->teamBox->itemData(i).toString()); });
  bar->addWidget(d.teamBox);
  bar->addSeparator();
  d.whatIfAction = bar->addAction(tr("What-if from here..."));
  d.whatIfAction->setEnabled(false);
  connect(d.whatIfAction, &QAction::triggered, this, [this] {
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(
        this, tr("What-if from %1").arg(EventListModel::formatTime(m_d->time)),
        tr("Commands, one JSON object per line (docs/protocol.md), applied from the current time:"),
        QStringLiteral("{\"type\":\"action\",\"team\":\"TEAM\",\"action\":\"isolate\",\"target\":\"node:ID\"}"), &ok);
    if (!ok)
      return;
    QStringList commands;
    for (const QString& line : text.split(QLatin1Char('\n')))
      if (!line.trimmed().isEmpty())
        commands.append(line.trimmed());
    if (!commands.isEmpty())
      startWhatIf(commands);
  });
  d.reportAction = bar->addAction(tr("Export report..."));
  d.reportAction->setEnabled(false);
  connect(d.reportAction, &QAction::triggered, this, [this] {
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export the after-action report"), QStringLiteral("aar.html"),
                                     tr("HTML (*.html);;Markdown (*.md);;JSON (*.json)"));
    if (!file.isEmpty())
      exportReport(file);
  });

  d.output = new QPlainTextEdit;
  d.output->setReadOnly(true);
  d.output->setLineWrapMode(QPlainTextEdit::NoWrap);
  d.outputDock = new QDockWidget(tr("What-if and report"), this);
  d.outputDock->setObjectName(QStringLiteral("output"));
  d.outputDock->setWidget(d.output);
  addDockWidget(Qt::BottomDockWidgetArea, d.outputDock);
  d.outputDock->hide();

  connect(d.slider, &QSlider::valueChanged, this,
          [this](int v) { seek(static_cast<double>(v) / SLIDER_STEPS_PER_SECOND); });
  d.playTimer.setInterval(100);
  connect(&d.playTimer, &QTimer::timeout, this, [this] {
    const double next = m_d->time + m_d->speed * m_d->playTimer.interval() / 1000.0;
    seek(next);
    if (next >= duration())
      pause();
  });
  connect(d.map, &MapView::nodeSelected, this, [this](const QString& id) {
    if (!id.isEmpty())
      statusBar()->showMessage(tr("Node %1").arg(id), 5000);
  });

  const QString sibling = QCoreApplication::applicationDirPath() + QStringLiteral("/cyberex");
  d.program = QFileInfo::exists(sibling) ? sibling : QStringLiteral("cyberex");
  resize(1400, 900);
  statusBar()->showMessage(tr("Open a journal (Ctrl+O)"));
}

AarPlayer::~AarPlayer()
{
  Impl& d = *m_d;
  if (d.loader) {
    d.loader->wait();
  }
  for (QProcess* p : {d.whatIf, d.report})
    if (p && p->state() != QProcess::NotRunning) {
      p->kill();
      p->waitForFinished(2000);
    }
}

void AarPlayer::setCyberexProgram(const QString& program)
{
  m_d->program = program;
}

QString AarPlayer::cyberexProgram() const
{
  return m_d->program;
}

bool AarPlayer::openJournal(const QString& path)
{
  Impl& d = *m_d;
  if (d.loader)
    return false;
  pause();
  statusBar()->showMessage(tr("Loading %1...").arg(path));
  auto result = std::make_shared<Loaded>();
  d.loader = QThread::create([path, result] {
    QString error;
    result->journal = readJournalFile(path, &error);
    if (!result->journal) {
      result->error = error;
      return;
    }
    const QString scenarioPath = result->journal->scenarioPath;
    LoadResult loaded = load_scenario(scenarioPath.toStdString());
    if (!loaded.ok()) {
      result->error = tr("%1: the scenario %2 does not load").arg(path, scenarioPath);
      for (const Diagnostic& diag : loaded.diagnostics.items())
        result->error += QLatin1Char('\n') + QString::fromStdString(diag.format());
      result->journal.reset();
      return;
    }
    result->scenario = std::move(loaded.scenario);
  });
  connect(d.loader, &QThread::finished, this, [this, path, result] {
    Impl& p = *m_d;
    p.loader->deleteLater();
    p.loader = nullptr;
    if (!result->journal) {
      statusBar()->showMessage(result->error.section(QLatin1Char('\n'), 0, 0));
      p.output->setPlainText(result->error);
      p.outputDock->show();
      emit openFailed(result->error);
      return;
    }
    p.journal = std::move(result->journal);
    p.scenario = std::move(result->scenario);
    p.loaded = true;
    p.map->setScenario(*p.scenario);
    p.dashboard->setScenario(*p.scenario);
    p.dashboard->setTimeRange(p.duration());
    p.dashboard->setRecords(p.journal->records);
    p.events->setRecords(p.journal->records);
    p.teamBox->blockSignals(true);
    while (p.teamBox->count() > 1)
      p.teamBox->removeItem(1);
    for (const Team& t : p.scenario->teams)
      if (t.role == TeamRole::player)
        p.teamBox->addItem(tr("Team %1").arg(QString::fromStdString(t.id)), QString::fromStdString(t.id));
    p.teamBox->setCurrentIndex(0);
    p.teamBox->blockSignals(false);
    p.map->setTeamView({});
    p.events->setTeamFilter({});
    p.slider->blockSignals(true);
    p.slider->setRange(0, static_cast<int>(std::ceil(p.duration() * SLIDER_STEPS_PER_SECOND)));
    p.slider->setEnabled(true);
    p.slider->blockSignals(false);
    for (QAction* a : {p.playAction, p.whatIfAction, p.reportAction})
      a->setEnabled(true);
    p.applied = 0;
    p.time = -1;
    setWindowTitle(tr("cyberex — after-action player — %1").arg(QFileInfo(path).fileName()));
    QString message = tr("%1: %2 records, %3 commands, %4")
                          .arg(QFileInfo(path).fileName())
                          .arg(p.journal->records.size())
                          .arg(p.journal->commands.size())
                          .arg(EventListModel::formatTime(p.duration()));
    if (!p.journal->warnings.isEmpty())
      message += QStringLiteral(" — ") + p.journal->warnings.join(QStringLiteral("; "));
    statusBar()->showMessage(message);
    seek(0);
    emit journalOpened(path);
  });
  d.loader->start();
  return true;
}

QString AarPlayer::journalPath() const
{
  return m_d->journal ? m_d->journal->path : QString();
}

bool AarPlayer::isLoaded() const
{
  return m_d->loaded;
}

void AarPlayer::seek(double time)
{
  Impl& d = *m_d;
  if (!d.loaded)
    return;
  time = std::clamp(time, 0.0, d.duration());
  const QList<QJsonObject>& records = d.journal->records;
  if (time < d.time) { // backwards: fold again from the start (a few thousand records take milliseconds)
    d.map->resetStates();
    d.applied = 0;
  }
  while (d.applied < records.size() && records[d.applied].value(QLatin1String("time")).toDouble() <= time)
    d.map->applyRecord(records[d.applied++]);
  d.time = time;
  d.events->setTimeLimit(time);
  d.dashboard->setCursorTime(time);
  d.timeLabel->setText(tr("%1 / %2").arg(EventListModel::formatTime(time), EventListModel::formatTime(d.duration())));
  d.slider->blockSignals(true);
  d.slider->setValue(static_cast<int>(std::floor(time * SLIDER_STEPS_PER_SECOND)));
  d.slider->blockSignals(false);
  if (d.events->rowCount() > 0 && !d.eventView->isHidden())
    d.eventView->scrollToBottom();
  emit timeChanged(time);
}

double AarPlayer::currentTime() const
{
  return std::max(0.0, m_d->time);
}

double AarPlayer::duration() const
{
  return m_d->duration();
}

void AarPlayer::play()
{
  Impl& d = *m_d;
  if (!d.loaded)
    return;
  if (d.time >= d.duration())
    seek(0);
  d.playTimer.start();
  d.playAction->setText(tr("Pause"));
}

void AarPlayer::pause()
{
  m_d->playTimer.stop();
  m_d->playAction->setText(tr("Play"));
}

bool AarPlayer::isPlaying() const
{
  return m_d->playTimer.isActive();
}

void AarPlayer::setPlaybackSpeed(double simulatedSecondsPerSecond)
{
  m_d->speed = std::max(1.0, simulatedSecondsPerSecond);
}

void AarPlayer::setTeamView(const QString& team)
{
  Impl& d = *m_d;
  d.map->setTeamView(team);
  d.events->setTeamFilter(team);
  if (d.loaded) { // a team's charts from what it saw: no ground truth
    QList<QJsonObject> seen;
    for (const QJsonObject& r : d.journal->records)
      if (team.isEmpty() || visibleToTeam(r, team))
        seen.append(r);
    d.dashboard->setRecords(seen);
    d.dashboard->setCursorTime(d.time);
  }
  const int i = d.teamBox->findData(team);
  if (i >= 0 && i != d.teamBox->currentIndex()) {
    d.teamBox->blockSignals(true);
    d.teamBox->setCurrentIndex(i);
    d.teamBox->blockSignals(false);
  }
}

void AarPlayer::startWhatIf(const QStringList& commands)
{
  Impl& d = *m_d;
  if (!d.loaded || (d.whatIf && d.whatIf->state() != QProcess::NotRunning))
    return;
  if (!d.whatIf) {
    d.whatIf = new QProcess(this);
    d.whatIf->setProcessChannelMode(QProcess::MergedChannels);
    connect(d.whatIf, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
      const QString out = QString::fromUtf8(m_d->whatIf->readAll());
      const int exitCode = status == QProcess::NormalExit ? code : -1;
      m_d->output->appendPlainText(out);
      m_d->output->appendPlainText(tr("[what-if finished with exit code %1]").arg(exitCode));
      m_d->whatIfAction->setEnabled(true);
      statusBar()->showMessage(exitCode == 0 ? tr("What-if done") : tr("What-if failed (exit code %1)").arg(exitCode));
      emit whatIfFinished(exitCode, out);
    });
    connect(d.whatIf, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
      if (e != QProcess::FailedToStart)
        return;
      const QString message = tr("cannot start %1: %2").arg(m_d->program, m_d->whatIf->errorString());
      m_d->output->appendPlainText(message);
      m_d->whatIfAction->setEnabled(true);
      statusBar()->showMessage(message);
      emit whatIfFinished(-1, message);
    });
  }
  QStringList args{QStringLiteral("whatif"), d.journal->path, QStringLiteral("--at"),
                   QStringLiteral("%1s").arg(static_cast<long long>(std::floor(currentTime())))};
  for (const QString& c : commands)
    args << QStringLiteral("--command") << c;
  d.output->appendPlainText(QStringLiteral("$ %1 %2").arg(d.program, args.join(QLatin1Char(' '))));
  d.outputDock->show();
  d.whatIfAction->setEnabled(false);
  statusBar()->showMessage(tr("What-if from %1 running...").arg(EventListModel::formatTime(currentTime())));
  d.whatIf->start(d.program, args);
}

void AarPlayer::exportReport(const QString& file)
{
  Impl& d = *m_d;
  if (!d.loaded || (d.report && d.report->state() != QProcess::NotRunning))
    return;
  if (!d.report) {
    d.report = new QProcess(this);
    d.report->setProcessChannelMode(QProcess::MergedChannels);
  }
  d.report->disconnect(this);
  connect(d.report, &QProcess::finished, this, [this, file](int code, QProcess::ExitStatus status) {
    const QString out = QString::fromUtf8(m_d->report->readAll()).trimmed();
    const bool ok = status == QProcess::NormalExit && code == 0;
    const QString message =
        ok ? tr("Report written to %1").arg(file) : tr("Report failed (exit code %1): %2").arg(code).arg(out);
    m_d->output->appendPlainText(message);
    m_d->reportAction->setEnabled(true);
    statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0));
    emit reportExported(file, ok, ok ? out : message);
  });
  connect(d.report, &QProcess::errorOccurred, this, [this, file](QProcess::ProcessError e) {
    if (e != QProcess::FailedToStart)
      return;
    const QString message = tr("cannot start %1: %2").arg(m_d->program, m_d->report->errorString());
    m_d->output->appendPlainText(message);
    m_d->reportAction->setEnabled(true);
    statusBar()->showMessage(message);
    emit reportExported(file, false, message);
  });
  QStringList args{QStringLiteral("report"), d.journal->path, QStringLiteral("-o"), file};
  const QString suffix = QFileInfo(file).suffix().toLower();
  if (suffix == QLatin1String("md") || suffix == QLatin1String("json"))
    args << QStringLiteral("--format") << suffix;
  d.output->appendPlainText(QStringLiteral("$ %1 %2").arg(d.program, args.join(QLatin1Char(' '))));
  d.reportAction->setEnabled(false);
  statusBar()->showMessage(tr("Writing the report..."));
  d.report->start(d.program, args);
}

MapView* AarPlayer::mapView() const
{
  return m_d->map;
}

Dashboard* AarPlayer::dashboard() const
{
  return m_d->dashboard;
}

EventListModel* AarPlayer::eventModel() const
{
  return m_d->events;
}

} // namespace cyberex::gui
