#include "aar/aar_player.hpp"

#include "aar/event_list_model.hpp"
#include "aar/whatif_form.hpp"
#include "charts/dashboard.hpp"
#include "console/scenario_catalog.hpp"
#include "grid/grid_view.hpp"
#include "map/map_view.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/exercise_time.hpp"
#include "cyberex/journal.hpp"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSlider>
#include <QSplitter>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QStyleOptionSlider>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

namespace cyberex::gui {

namespace {

/// What the worker thread hands back: the journal folded with its scenario, or an error.
struct Loaded {
  std::shared_ptr<Timeline> timeline;
  QString error;
};

/// The scenario a journal was played on, when its header's path (relative to the working directory of the program
/// that wrote it) is not found as given: the same path, or the file name, next to the journal. Empty: the header's.
std::string scenarioBeside(const QString& journal)
{
  QFile f(journal);
  if (!f.open(QIODevice::ReadOnly))
    return {};
  const auto header = JournalHeader::from_json(f.readLine(1 << 20).trimmed().toStdString());
  const QString scenario = header ? QString::fromStdString(header->scenario) : QString();
  if (scenario.isEmpty() || QFileInfo::exists(scenario))
    return {};
  const QDir dir = QFileInfo(journal).absoluteDir();
  for (const QString& candidate : {dir.filePath(scenario), dir.filePath(QFileInfo(scenario).fileName())})
    if (QFileInfo::exists(candidate))
      return candidate.toStdString();
  return {};
}

/// Every record of the journal a player team received, folded: what its charts may show.
ExerciseState teamFold(const Timeline& timeline, const QString& team)
{
  ExerciseState state(timeline.scenario());
  const Principal who{Role::player, team.toStdString()};
  for (const Record& r : timeline.records())
    if (visible_to(who, r))
      state.apply(r);
  return state;
}

constexpr int SLIDER_STEPS_PER_SECOND = 1; // the slider moves by simulated seconds

/// The rows of cyberex whatif's KPI table ("KPI  original  what-if  delta"): the label, then the three values.
QList<QStringList> kpiRows(const QString& text)
{
  QList<QStringList> rows;
  bool table = false;
  static const QRegularExpression row(QStringLiteral(R"(^(.*\S)\s+(\S+)\s+(\S+)\s+(\S+)\s*$)"));
  for (const QString& line : text.split(QLatin1Char('\n'))) {
    if (!table) {
      table = line.startsWith(QLatin1String("KPI "));
      continue;
    }
    const QRegularExpressionMatch m = row.match(line);
    if (m.hasMatch())
      rows.append({m.captured(1), m.captured(2), m.captured(3), m.captured(4)});
  }
  return rows;
}

} // namespace

SeekSlider::SeekSlider(QWidget* parent) : QSlider(Qt::Horizontal, parent)
{
  setObjectName(QStringLiteral("timeSlider"));
  setAccessibleName(tr("Time"));
  setMinimumHeight(28);
}

int SeekSlider::valueAt(int x) const
{
  QStyleOptionSlider opt;
  initStyleOption(&opt);
  const QRect groove = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
  const QRect handle = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
  const int span = groove.width() - handle.width();
  return QStyle::sliderValueFromPosition(minimum(), maximum(), x - groove.x() - handle.width() / 2, span,
                                         opt.upsideDown);
}

int SeekSlider::positionOf(int value) const
{
  QStyleOptionSlider opt;
  initStyleOption(&opt);
  const QRect groove = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
  const QRect handle = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
  return groove.x() + handle.width() / 2 +
         QStyle::sliderPositionFromValue(minimum(), maximum(), value, groove.width() - handle.width(), opt.upsideDown);
}

void SeekSlider::setMarkers(const QList<int>& moves, const QList<int>& injects)
{
  m_moves = moves;
  m_injects = injects;
  update();
}

void SeekSlider::mousePressEvent(QMouseEvent* event)
{
  if (event->button() == Qt::LeftButton) {
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    const QRect handle = style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
    // on the groove: jump there (the handle is then under the pointer, so a drag goes on from it)
    if (!handle.contains(event->position().toPoint()))
      setValue(valueAt(static_cast<int>(event->position().x())));
  }
  QSlider::mousePressEvent(event);
}

void SeekSlider::paintEvent(QPaintEvent* event)
{
  QSlider::paintEvent(event);
  if (maximum() <= minimum())
    return;
  QPainter p(this);
  p.setPen(QPen(QColor(0xf0, 0x8c, 0x00), 1));
  for (int v : m_injects) {
    const int x = positionOf(v);
    p.drawLine(x, height() - 6, x, height() - 1);
  }
  p.setPen(QPen(QColor(0x1e, 0x63, 0xd6), 2));
  for (int v : m_moves) {
    const int x = positionOf(v);
    p.drawLine(x, 0, x, 7);
  }
}

struct AarPlayer::Impl {
  MapView* map = nullptr;
  GridView* grid = nullptr;
  QTabWidget* views = nullptr;
  Dashboard* dashboard = nullptr;
  EventListModel* events = nullptr;
  QTableView* eventView = nullptr;
  SeekSlider* slider = nullptr;
  WhatifForm* whatifForm = nullptr;
  QDockWidget* whatifDock = nullptr;
  QProgressBar* progress = nullptr;
  QLabel* whatifSummary = nullptr;
  QStandardItemModel* results = nullptr;
  QTableView* resultView = nullptr;
  ExerciseStateModel* branch = nullptr; // the what-if branch, over the charts
  QThread* branchLoader = nullptr;
  QString branchPath;
  QByteArray whatIfOut;
  QByteArray whatIfErr;
  bool cancelled = false;
  QLabel* timeLabel = nullptr;
  QLineEdit* goTo = nullptr;
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

  ExerciseStateModel* atCursor = nullptr; // the map's state: the journal folded to the cursor
  ExerciseStateModel* charts = nullptr;   // the charts': the whole journal (or a team's part of it)
  std::shared_ptr<const Timeline> timeline;
  QString path;
  QString program;
  double time = 0;
  double speed = 600;
  std::size_t applied = 0; // records folded into atCursor (those with time <= time)
  bool loaded = false;

  double duration() const { return timeline ? timeline->duration() : 0; }
};

AarPlayer::AarPlayer(QWidget* parent) : QMainWindow(parent), m_d(std::make_unique<Impl>())
{
  Impl& d = *m_d;
  setWindowTitle(tr("cyberex — after-action player"));
  d.atCursor = new ExerciseStateModel(this);
  d.branch = new ExerciseStateModel(this);
  d.charts = new ExerciseStateModel(this);
  d.map = new MapView;
  d.map->setModel(d.atCursor);
  d.grid = new GridView;
  d.grid->setModel(d.atCursor);
  d.dashboard = new Dashboard;
  d.dashboard->setModel(d.charts);
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
  connect(d.eventView, &QTableView::clicked, this, [this](const QModelIndex& i) {
    if (i.isValid())
      seek(i.data(EventListModel::TimeRole).toDouble());
  });

  auto* top = new QSplitter(Qt::Horizontal);
  d.views = new QTabWidget;
  d.views->setObjectName(QStringLiteral("views"));
  d.views->addTab(d.map, tr("Map"));
  d.views->addTab(d.grid, tr("Grid"));
  top->addWidget(d.views);
  top->addWidget(d.eventView);
  top->setStretchFactor(0, 3);
  top->setStretchFactor(1, 2);
  auto* main = new QSplitter(Qt::Vertical);
  main->addWidget(top);
  main->addWidget(d.dashboard);
  main->setStretchFactor(0, 3);
  main->setStretchFactor(1, 2);

  d.slider = new SeekSlider;
  d.slider->setEnabled(false);
  d.timeLabel = new QLabel(EventListModel::formatTime(0));
  d.timeLabel->setMinimumWidth(180);
  auto* bottom = new QWidget;
  auto* bl = new QHBoxLayout(bottom);
  bl->setContentsMargins(6, 2, 6, 2);
  bl->addWidget(d.slider, 1);
  bl->addWidget(d.timeLabel);
  d.goTo = new QLineEdit;
  d.goTo->setObjectName(QStringLiteral("goTo"));
  d.goTo->setPlaceholderText(tr("go to… (5h20m)"));
  d.goTo->setToolTip(tr("Go to a time from the start, e.g. 5h20m, 90m, 3600 or 5:20, then Enter"));
  d.goTo->setMaximumWidth(130);
  connect(d.goTo, &QLineEdit::returnPressed, this, [this] {
    if (goTo(m_d->goTo->text()))
      m_d->goTo->clear();
  });
  bl->addWidget(d.goTo);
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
    m_d->whatifForm->setTime(currentTime());
    showWhatIfDock();
  });
  d.reportAction = bar->addAction(tr("Export report..."));
  d.reportAction->setEnabled(false);
  connect(d.reportAction, &QAction::triggered, this, [this] {
    const QString file = QFileDialog::getSaveFileName(this, tr("Export the after-action report"), defaultReportPath(),
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

  // the what-if: a form that builds the commands, the run's progress and its KPIs beside the journal's
  auto* whatif = new QWidget;
  auto* wl = new QVBoxLayout(whatif);
  d.whatifForm = new WhatifForm(whatif);
  d.progress = new QProgressBar(whatif);
  d.progress->setObjectName(QStringLiteral("whatifProgress"));
  d.progress->setRange(0, 1000);
  d.progress->setValue(0);
  d.progress->setFormat(tr("idle"));
  d.whatifSummary = new QLabel(whatif);
  d.whatifSummary->setObjectName(QStringLiteral("whatifSummary"));
  d.whatifSummary->setWordWrap(true);
  d.results = new QStandardItemModel(0, 4, this);
  d.results->setHorizontalHeaderLabels({tr("KPI"), tr("As played"), tr("What-if"), tr("Delta")});
  d.resultView = new QTableView(whatif);
  d.resultView->setObjectName(QStringLiteral("whatifResults"));
  d.resultView->setModel(d.results);
  d.resultView->verticalHeader()->hide();
  d.resultView->verticalHeader()->setDefaultSectionSize(20);
  d.resultView->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  for (int c = 1; c < 4; ++c)
    d.resultView->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  d.resultView->setEditTriggers(QAbstractItemView::NoEditTriggers);
  d.resultView->setAlternatingRowColors(true);
  wl->addWidget(d.whatifForm, 3);
  wl->addWidget(d.progress);
  wl->addWidget(d.whatifSummary);
  wl->addWidget(d.resultView, 2);
  d.whatifDock = new QDockWidget(tr("What-if"), this);
  d.whatifDock->setObjectName(QStringLiteral("whatifDock"));
  d.whatifDock->setWidget(whatif);
  addDockWidget(Qt::RightDockWidgetArea, d.whatifDock);
  d.whatifDock->hide();
  connect(d.whatifForm, &WhatifForm::runRequested, this,
          [this](double at, const QStringList& commands) { startWhatIfAt(at, commands); });
  connect(d.whatifForm, &WhatifForm::cancelRequested, this, &AarPlayer::cancelWhatIf);

  connect(d.slider, &QSlider::valueChanged, this,
          [this](int v) { seek(static_cast<double>(v) / SLIDER_STEPS_PER_SECOND); });
  d.playTimer.setInterval(100);
  connect(&d.playTimer, &QTimer::timeout, this, [this] {
    const double next = m_d->time + m_d->speed * m_d->playTimer.interval() / 1000.0;
    seek(std::min(next, duration()));
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
  if (d.branchLoader)
    d.branchLoader->wait();
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
    auto timeline = std::make_shared<Timeline>();
    TimelineOptions options;
    options.scenario = scenarioBeside(path);
    std::string error;
    if (!timeline->open(path.toStdString(), &error, options)) {
      result->error = QString::fromStdString(error);
      return;
    }
    result->timeline = std::move(timeline);
  });
  connect(d.loader, &QThread::finished, this, [this, path, result] {
    Impl& p = *m_d;
    p.loader->deleteLater();
    p.loader = nullptr;
    if (!result->timeline) {
      statusBar()->showMessage(result->error.section(QLatin1Char('\n'), 0, 0));
      p.output->setPlainText(result->error);
      p.outputDock->show();
      emit openFailed(result->error);
      return;
    }
    p.timeline = result->timeline;
    p.path = path;
    p.loaded = true;
    const Timeline& t = *p.timeline;
    // the models share the Timeline's scenario (and keep the Timeline alive)
    const std::shared_ptr<const Scenario> scenario(p.timeline, &t.scenario());
    p.atCursor->setScenario(scenario);
    p.charts->setScenario(scenario);
    p.charts->reset(t.fold_to(p.duration()), p.duration());
    p.dashboard->setTimeRange(p.duration());
    p.dashboard->setOverlayModel(nullptr); // a what-if of the journal before
    p.events->setRecords(std::shared_ptr<const std::vector<Record>>(p.timeline, &t.records()));
    p.teamBox->blockSignals(true);
    while (p.teamBox->count() > 1)
      p.teamBox->removeItem(1);
    for (const Team& team : t.scenario().teams)
      if (team.role == TeamRole::player)
        p.teamBox->addItem(tr("Team %1").arg(QString::fromStdString(team.id)), QString::fromStdString(team.id));
    p.teamBox->setCurrentIndex(0);
    p.teamBox->blockSignals(false);
    p.map->setTeamView({});
    p.grid->setTeamView({});
    p.events->setTeamFilter({});
    p.slider->blockSignals(true);
    p.slider->setRange(0, static_cast<int>(std::ceil(p.duration() * SLIDER_STEPS_PER_SECOND)));
    p.slider->setEnabled(true);
    p.slider->blockSignals(false);
    {
      const ScenarioCatalog catalog = ScenarioCatalog::fromScenario(scenario);
      QList<int> moves, injects;
      for (const auto& m : catalog.moves)
        moves.append(static_cast<int>(std::floor(m.offset * SLIDER_STEPS_PER_SECOND)));
      for (const Record& r : t.records())
        if (r.type == RecordType::inject)
          injects.append(static_cast<int>(std::floor(r.time * SLIDER_STEPS_PER_SECOND)));
      p.slider->setMarkers(moves, injects);
      p.whatifForm->setCatalog(catalog);
    }
    for (QAction* a : {p.playAction, p.whatIfAction, p.reportAction})
      a->setEnabled(true);
    p.applied = 0; // the state at the cursor is at time 0 (a new scenario): seek(0) folds forwards from there
    p.time = -1;
    setWindowTitle(tr("cyberex — after-action player — %1").arg(QFileInfo(path).fileName()));
    QString message = tr("%1: %2 records, %3 commands, %4")
                          .arg(QFileInfo(path).fileName())
                          .arg(t.records().size())
                          .arg(t.commands().size())
                          .arg(EventListModel::formatTime(p.duration()));
    QStringList warnings;
    for (const std::string& w : t.warnings())
      warnings.append(QString::fromStdString(w));
    if (!warnings.isEmpty())
      message += QStringLiteral(" — ") + warnings.join(QStringLiteral("; "));
    statusBar()->showMessage(message);
    seek(0);
    emit journalOpened(path);
  });
  d.loader->start();
  return true;
}

QString AarPlayer::journalPath() const
{
  return m_d->path;
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
  // the clamping and its note are those of cyberex replay --at and cyberex-gui-shot --time (time_in_journal)
  const TimeInJournal clamped = time_in_journal(time, d.duration());
  if (!clamped.note.empty())
    statusBar()->showMessage(QString::fromStdString(clamped.note));
  time = clamped.time;
  const std::vector<Record>& records = d.timeline->records();
  if (time < d.time) {
    // backwards (or the first seek): the Timeline's state at t, from its nearest kept copy
    d.atCursor->reset(d.timeline->fold_to(time), time);
    d.applied = static_cast<std::size_t>(
        std::upper_bound(records.begin(), records.end(), time, [](double t, const Record& r) { return t < r.time; }) -
        records.begin());
  } else {
    // forwards: the few records since the last seek, folded into the same state
    while (d.applied < records.size() && records[d.applied].time <= time)
      d.atCursor->applyRecord(records[d.applied++]);
    d.atCursor->setTime(time);
  }
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

bool AarPlayer::goTo(const QString& text)
{
  const auto t = parse_exercise_time(text.toStdString());
  if (!t) {
    statusBar()->showMessage(
        tr("Go to: expected %1, got \"%2\"").arg(QString::fromStdString(exercise_time_forms()), text));
    return false;
  }
  seek(*t);
  return true;
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
  d.grid->setTeamView(team);
  d.events->setTeamFilter(team);
  if (d.loaded) // a team's charts from what it received: no ground truth
    d.charts->reset(team.isEmpty() ? d.timeline->fold_to(d.duration()) : teamFold(*d.timeline, team), d.duration());
  const int i = d.teamBox->findData(team);
  if (i >= 0 && i != d.teamBox->currentIndex()) {
    d.teamBox->blockSignals(true);
    d.teamBox->setCurrentIndex(i);
    d.teamBox->blockSignals(false);
  }
}

void AarPlayer::startWhatIf(const QStringList& commands)
{
  startWhatIfAt(currentTime(), commands);
}

void AarPlayer::startWhatIfAt(double at, const QStringList& commands)
{
  Impl& d = *m_d;
  if (!d.loaded || isWhatIfRunning())
    return;
  if (!d.whatIf) {
    d.whatIf = new QProcess(this);
    connect(d.whatIf, &QProcess::readyReadStandardOutput, this,
            [this] { m_d->whatIfOut += m_d->whatIf->readAllStandardOutput(); });
    // stderr: the progress lines of --progress move the bar; the rest (warnings, errors) is kept for the output
    connect(d.whatIf, &QProcess::readyReadStandardError, this, [this] {
      Impl& p = *m_d;
      p.whatIfErr += p.whatIf->readAllStandardError();
      static const QRegularExpression progress(QStringLiteral(R"(^cyberex whatif: progress (\d+)/(\d+)$)"));
      int cut = 0;
      for (int nl = p.whatIfErr.indexOf('\n'); nl >= 0; nl = p.whatIfErr.indexOf('\n', cut)) {
        const QString line = QString::fromUtf8(p.whatIfErr.mid(cut, nl - cut));
        cut = nl + 1;
        const QRegularExpressionMatch m = progress.match(line);
        if (!m.hasMatch()) {
          p.output->appendPlainText(line);
          continue;
        }
        const double t = m.captured(1).toDouble(), end = std::max(1.0, m.captured(2).toDouble());
        p.progress->setValue(static_cast<int>(std::lround(1000 * std::min(1.0, t / end))));
        p.progress->setFormat(
            tr("%1 of %2 simulated").arg(EventListModel::formatTime(t), EventListModel::formatTime(end)));
      }
      p.whatIfErr.remove(0, cut);
    });
    connect(d.whatIf, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
      Impl& p = *m_d;
      p.whatIfOut += p.whatIf->readAllStandardOutput();
      const QString out = QString::fromUtf8(p.whatIfOut);
      const QString rest = QString::fromUtf8(p.whatIfErr + p.whatIf->readAllStandardError()).trimmed();
      if (!rest.isEmpty())
        p.output->appendPlainText(rest);
      const int exitCode = status == QProcess::NormalExit && !p.cancelled ? code : -1;
      p.output->appendPlainText(out);
      p.whatIfAction->setEnabled(true);
      p.whatifForm->setRunning(false);
      if (p.cancelled) {
        p.progress->setFormat(tr("cancelled"));
        statusBar()->showMessage(tr("What-if cancelled"));
        p.output->appendPlainText(tr("[what-if cancelled]"));
        emit whatIfFinished(-1, tr("cancelled"));
        return;
      }
      p.output->appendPlainText(tr("[what-if finished with exit code %1]").arg(exitCode));
      if (exitCode == 0) {
        p.progress->setValue(1000);
        p.progress->setFormat(tr("done"));
        p.results->removeRows(0, p.results->rowCount());
        for (const QStringList& row : kpiRows(out)) {
          QList<QStandardItem*> items;
          for (int c = 0; c < row.size(); ++c) {
            auto* item = new QStandardItem(row[c]);
            if (c > 0)
              item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            items.append(item);
          }
          p.results->appendRow(items);
        }
        p.whatifSummary->setText(out.section(QLatin1Char('\n'), 0, 0));
        statusBar()->showMessage(tr("What-if done: %1 KPIs compared").arg(p.results->rowCount()));
        loadBranch();
      } else {
        p.progress->setFormat(tr("failed"));
        // the CLI's own words, without its program prefix: what was wrong with which command
        QString why = rest.section(QLatin1Char('\n'), -1).remove(QStringLiteral("cyberex whatif: "));
        p.whatifSummary->setText(tr("The what-if did not run: %1").arg(why));
        statusBar()->showMessage(tr("What-if failed (exit code %1)").arg(exitCode));
      }
      emit whatIfFinished(exitCode, out);
    });
    connect(d.whatIf, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
      if (e != QProcess::FailedToStart)
        return;
      const QString message = tr("cannot start %1: %2").arg(m_d->program, m_d->whatIf->errorString());
      m_d->output->appendPlainText(message);
      m_d->whatIfAction->setEnabled(true);
      m_d->whatifForm->setRunning(false);
      m_d->progress->setFormat(tr("failed"));
      statusBar()->showMessage(message);
      emit whatIfFinished(-1, message);
    });
  }
  QStringList args{QStringLiteral("whatif"), d.path, QStringLiteral("--at"),
                   QStringLiteral("%1s").arg(static_cast<long long>(std::floor(std::max(0.0, at))))};
  for (const QString& c : commands)
    args << QStringLiteral("--command") << c;
  d.branchPath = branchJournalPath();
  args << QStringLiteral("--save") << d.branchPath << QStringLiteral("--progress");
  d.output->appendPlainText(QStringLiteral("$ %1 %2").arg(d.program, args.join(QLatin1Char(' '))));
  d.whatIfOut.clear();
  d.whatIfErr.clear();
  d.cancelled = false;
  d.whatIfAction->setEnabled(false);
  d.whatifForm->setRunning(true);
  showWhatIfDock();
  d.progress->setValue(0);
  d.progress->setFormat(tr("starting…"));
  d.whatifSummary->clear();
  statusBar()->showMessage(tr("What-if from %1 running...").arg(EventListModel::formatTime(at)));
  d.whatIf->start(d.program, args);
}

void AarPlayer::cancelWhatIf()
{
  Impl& d = *m_d;
  if (!isWhatIfRunning())
    return;
  d.cancelled = true;
  d.whatIf->kill(); // finished follows, and says cancelled
}

bool AarPlayer::isWhatIfRunning() const
{
  return m_d->whatIf && m_d->whatIf->state() != QProcess::NotRunning;
}

QProgressBar* AarPlayer::whatIfProgress() const
{
  return m_d->progress;
}

QAbstractItemModel* AarPlayer::whatIfResults() const
{
  return m_d->results;
}

WhatifForm* AarPlayer::whatifForm() const
{
  return m_d->whatifForm;
}

SeekSlider* AarPlayer::slider() const
{
  return m_d->slider;
}

QTableView* AarPlayer::eventView() const
{
  return m_d->eventView;
}

void AarPlayer::showWhatIfDock()
{
  if (!m_d->whatifDock->isVisible()) {
    m_d->whatifDock->show();
    // room for the KPI table's four columns, a third of the window at most
    resizeDocks({m_d->whatifDock}, {std::min(460, width() / 3)}, Qt::Horizontal);
  }
  m_d->whatifDock->raise();
}

QString AarPlayer::branchJournalPath() const
{
  const QFileInfo journal(m_d->path);
  return journal.dir().filePath(journal.completeBaseName() + QStringLiteral("-whatif.jsonl"));
}

ExerciseStateModel* AarPlayer::whatIfModel() const
{
  return m_d->branch;
}

void AarPlayer::loadBranch()
{
  Impl& d = *m_d;
  if (d.branchLoader)
    return;
  const QString path = d.branchPath;
  auto result = std::make_shared<Loaded>();
  d.branchLoader = QThread::create([path, result] {
    auto timeline = std::make_shared<Timeline>();
    TimelineOptions options;
    options.scenario = scenarioBeside(path);
    std::string error;
    if (!timeline->open(path.toStdString(), &error, options)) {
      result->error = QString::fromStdString(error);
      return;
    }
    result->timeline = std::move(timeline);
  });
  connect(d.branchLoader, &QThread::finished, this, [this, result] {
    Impl& p = *m_d;
    p.branchLoader->deleteLater();
    p.branchLoader = nullptr;
    if (!result->timeline) {
      p.output->appendPlainText(tr("the what-if's branch could not be read: %1").arg(result->error));
      p.dashboard->setOverlayModel(nullptr);
      emit whatIfOverlaid(false);
      return;
    }
    const std::shared_ptr<const Timeline> branch = result->timeline;
    p.branch->setScenario(std::shared_ptr<const Scenario>(branch, &branch->scenario()));
    p.branch->reset(branch->fold_to(branch->duration()), branch->duration());
    p.dashboard->setOverlayModel(p.branch);
    emit whatIfOverlaid(true);
  });
  d.branchLoader->start();
}

QString AarPlayer::defaultReportPath() const
{
  const QString dir = m_d->path.isEmpty() ? QDir::currentPath() : QFileInfo(m_d->path).absolutePath();
  return QDir(dir).filePath(QStringLiteral("aar.html"));
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
    if (ok && isVisible()) {
      auto* box = new QMessageBox(QMessageBox::Information, tr("Report exported"),
                                  tr("The report was written to %1.").arg(QDir::toNativeSeparators(file)),
                                  QMessageBox::Open | QMessageBox::Close, this);
      box->setObjectName(QStringLiteral("reportExportedBox"));
      box->setAttribute(Qt::WA_DeleteOnClose);
      box->setDefaultButton(QMessageBox::Open);
      connect(box, &QMessageBox::finished, this, [file](int button) {
        if (button == QMessageBox::Open)
          QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(file).absoluteFilePath()));
      });
      box->open(); // not modal to the program: the player goes on
    }
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
  QStringList args{QStringLiteral("report"), d.path, QStringLiteral("-o"), file};
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

GridView* AarPlayer::gridView() const
{
  return m_d->grid;
}

void AarPlayer::showView(const QString& view)
{
  m_d->views->setCurrentWidget(view == QLatin1String("grid") ? static_cast<QWidget*>(m_d->grid) : m_d->map);
}

Dashboard* AarPlayer::dashboard() const
{
  return m_d->dashboard;
}

EventListModel* AarPlayer::eventModel() const
{
  return m_d->events;
}

ExerciseStateModel* AarPlayer::stateModel() const
{
  return m_d->atCursor;
}

ExerciseStateModel* AarPlayer::chartModel() const
{
  return m_d->charts;
}

} // namespace cyberex::gui
