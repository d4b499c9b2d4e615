#include "plan/plan_window.hpp"

#include "deps/dependency_view.hpp"
#include "plan/plan_timeline.hpp"
#include "state/exercise_state_model.hpp"

#include "cyberex/scenario.hpp"

#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QProcess>
#include <QSet>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QTime>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <iterator>
#include <set>

namespace cyberex::gui {

/// What the worker thread hands back: the loader's result and, when it loaded, the analysis.
struct PlanWindow::LoadOutcome {
  LoadResult result;
  Analysis analysis;
  std::string exception; ///< what escaped the loader or the analysis (never expected; shown as an error)
};

namespace {

/// Colours of the attack path overlays, one per campaign in turn (Okabe-Ito: told apart with colour-blind eyes).
const QColor campaign_colors[] = {QColor(0xd5, 0x5e, 0x00), QColor(0xcc, 0x79, 0xa7), QColor(0x00, 0x72, 0xb2),
                                  QColor(0xe6, 0x9f, 0x00), QColor(0x56, 0xb4, 0xe9), QColor(0x00, 0x9e, 0x73)};

QString severityText(Diagnostic::Severity s)
{
  switch (s) {
  case Diagnostic::Severity::error:
    return QObject::tr("error");
  case Diagnostic::Severity::warning:
    return QObject::tr("warning");
  case Diagnostic::Severity::note:
    return QObject::tr("note");
  }
  return {};
}

/// "file:line:col", the file relative to DIR (the main file's folder) when it is there or near
QString location(const Diagnostic& d, const QDir& dir)
{
  QString s =
      d.file.empty() ? QString() : QDir::toNativeSeparators(dir.relativeFilePath(QString::fromStdString(d.file)));
  if (d.line > 0) {
    s += ":" + QString::number(d.line);
    if (d.column > 0)
      s += ":" + QString::number(d.column);
  }
  return s;
}

/// "1 error", "3 errors": English plurals without a translator
QString count(long long n, const char* one, const char* many)
{
  return QString::number(n) + " " + QObject::tr(n == 1 ? one : many);
}

QString percent(double p)
{
  return QString::number(p * 100, 'f', p < 0.01 ? 2 : 1) + "%";
}

} // namespace

PlanWindow::PlanWindow(const QString& scenarioFile, QWidget* parent)
    : QMainWindow(parent), m_file(QFileInfo(scenarioFile).absoluteFilePath())
{
  setObjectName("planWindow");
  setWindowTitle(tr("%1 — cyberex planning").arg(QFileInfo(m_file).fileName()));
  m_model = new ExerciseStateModel(this);

  m_map = new MapView;
  m_map->setModel(m_model);
  m_deps = new DependencyView;
  m_deps->setModel(m_model);
  connect(m_deps, &DependencyView::nodeSelected, m_map, &MapView::selectNode);
  m_tabs = new QTabWidget;
  m_tabs->setObjectName("planTabs");
  m_tabs->addTab(m_map, tr("&Map"));
  m_tabs->addTab(m_deps, tr("&Dependencies"));

  m_timeline = new PlanTimeline;
  auto* split = new QSplitter(Qt::Vertical);
  m_split = split;
  split->addWidget(m_tabs);
  split->addWidget(m_timeline);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 0);
  split->setChildrenCollapsible(false);
  setCentralWidget(split);

  // the analysis: attack paths per campaign, single points of failure; a node's row selects it on the map
  m_analysisView = new QTreeWidget;
  m_analysisView->setObjectName("planAnalysis");
  m_analysisView->setHeaderLabels({tr("Finding"), tr("Value")});
  m_analysisView->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  m_analysisView->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
  m_analysisView->header()->setStretchLastSection(false);
  connect(m_analysisView, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
    const QString node = item->data(0, Qt::UserRole).toString();
    if (!node.isEmpty()) {
      m_tabs->setCurrentWidget(m_map);
      m_map->search(node);
    }
  });
  auto* analysisDock = new QDockWidget(tr("Analysis"), this);
  analysisDock->setObjectName("planAnalysisDock");
  analysisDock->setWidget(m_analysisView);
  analysisDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::RightDockWidgetArea, analysisDock);

  // the loader's diagnostics; a click (or Enter) opens the file at the line in the user's editor
  m_diagView = new QTreeWidget;
  m_diagView->setObjectName("planDiagnostics");
  m_diagView->setRootIsDecorated(false);
  m_diagView->setHeaderLabels({tr("Severity"), tr("Location"), tr("Code"), tr("Message")});
  m_diagView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_diagView->header()->setStretchLastSection(true);
  m_diagView->setToolTip(tr("Click a diagnostic to open its file at the line in $VISUAL or $EDITOR"));
  connect(m_diagView, &QTreeWidget::itemClicked, this,
          [this](QTreeWidgetItem* item) { openDiagnostic(m_diagView->indexOfTopLevelItem(item)); });
  auto* enter = new QShortcut(QKeySequence(Qt::Key_Return), m_diagView);
  enter->setContext(Qt::WidgetShortcut);
  connect(enter, &QShortcut::activated, this,
          [this] { openDiagnostic(m_diagView->indexOfTopLevelItem(m_diagView->currentItem())); });
  auto* diagDock = new QDockWidget(tr("Diagnostics"), this);
  diagDock->setObjectName("planDiagnosticsDock");
  diagDock->setWidget(m_diagView);
  diagDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::BottomDockWidgetArea, diagDock);
  resizeDocks({analysisDock}, {400}, Qt::Horizontal);
  resizeDocks({diagDock}, {150}, Qt::Vertical);

  m_status = new QLabel;
  m_status->setObjectName("planStatus");
  statusBar()->addWidget(m_status, 1);

  m_debounce.setSingleShot(true);
  m_debounce.setInterval(300);
  connect(&m_debounce, &QTimer::timeout, this, &PlanWindow::reload);
  connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &PlanWindow::onFileChanged);
  connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &PlanWindow::onDirectoryChanged);
  watch({m_file});
  resize(1600, 1000);
  startLoad();
}

PlanWindow::~PlanWindow() = default;

const Scenario* PlanWindow::scenario() const
{
  return m_scenario.get();
}

QStringList PlanWindow::watchedFiles() const
{
  QStringList files = m_watcher.files();
  files.sort();
  return files;
}

void PlanWindow::reload()
{
  m_debounce.stop();
  if (m_loading) {
    m_reloadAgain = true;
    return;
  }
  startLoad();
}

void PlanWindow::startLoad()
{
  m_loading = true;
  m_reloadAgain = false;
  m_status->setText(tr("Loading %1 ...").arg(QDir::toNativeSeparators(m_file)));
  // a large scenario (imported backbones) and its analysis take a moment: never on the GUI thread
  auto outcome = std::make_shared<LoadOutcome>();
  const std::string file = m_file.toStdString();
  QThread* worker = QThread::create([file, outcome] {
    try {
      outcome->result = load_scenario(file);
      if (outcome->result.ok())
        outcome->analysis = analyze(*outcome->result.scenario);
    } catch (const std::exception& e) {
      outcome->exception = e.what();
    }
  });
  connect(worker, &QThread::finished, this, [this, outcome] { applyLoad(outcome); });
  connect(worker, &QThread::finished, worker, &QObject::deleteLater);
  worker->start();
}

void PlanWindow::applyLoad(const std::shared_ptr<LoadOutcome>& outcome)
{
  m_loading = false;
  ++m_loads;
  LoadResult& r = outcome->result;
  m_diagnostics = r.diagnostics.items();
  if (!outcome->exception.empty()) {
    Diagnostic d;
    d.file = m_file.toStdString();
    d.message = outcome->exception;
    m_diagnostics.push_back(d);
  }
  m_failed = !r.ok() || !outcome->exception.empty();

  // watch every file the scenario was read from; a broken load keeps the last good list, plus the files the
  // diagnostics name (an include that does not parse)
  QStringList files{m_file};
  if (!m_failed) {
    for (const ScenarioFile& f : r.scenario->sources)
      files << QFileInfo(QString::fromStdString(f.path)).absoluteFilePath();
  } else {
    files << m_files;
    for (const Diagnostic& d : m_diagnostics)
      if (!d.file.empty() && QFileInfo::exists(QString::fromStdString(d.file)))
        files << QFileInfo(QString::fromStdString(d.file)).absoluteFilePath();
  }
  files.removeDuplicates();
  watch(files);

  if (!m_failed) {
    m_scenario = std::make_shared<const Scenario>(std::move(*r.scenario));
    m_analysis = std::move(outcome->analysis);
    m_model->setScenario(m_scenario);
    m_deps->setModel(m_model);
    m_timeline->setScenario(m_scenario.get());
    // the map first: the timeline gets the height of its lanes, at most 40 % of the two
    const QList<int> sizes = m_split->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    const int lanes = std::min(m_timeline->sizeHint().height(), total * 2 / 5);
    if (total > 0)
      m_split->setSizes({total - lanes, lanes});
    showAnalysis();
  }
  showDiagnostics();

  const int errors = static_cast<int>(r.diagnostics.error_count()) + (outcome->exception.empty() ? 0 : 1);
  const int warnings = static_cast<int>(r.diagnostics.warning_count());
  const QString when = QTime::currentTime().toString("HH:mm:ss");
  if (m_failed)
    m_status->setText(tr("%1: %2, %3 at %4%5")
                          .arg(QFileInfo(m_file).fileName(), count(errors, "error", "errors"),
                               count(warnings, "warning", "warnings"), when,
                               m_scenario ? tr(": showing the last version that loaded") : QString()));
  else
    m_status->setText(tr("%1: %2, %3, %4, loaded at %5")
                          .arg(QFileInfo(m_file).fileName(),
                               count(qsizetype(m_scenario->nodes.size()), "node", "nodes"),
                               count(qsizetype(m_scenario->msel.size()), "inject", "injects"),
                               count(warnings, "warning", "warnings"), when));
  emit loaded(!m_failed);
  if (m_reloadAgain)
    reload();
}

void PlanWindow::showDiagnostics()
{
  m_diagView->clear();
  for (const Diagnostic& d : m_diagnostics) {
    auto* item = new QTreeWidgetItem(m_diagView, {severityText(d.severity), location(d, QFileInfo(m_file).dir()),
                                                  QString::fromStdString(d.code), QString::fromStdString(d.message)});
    item->setToolTip(1, QString::fromStdString(d.format()));
    item->setToolTip(3, QString::fromStdString(d.format()));
    if (d.severity == Diagnostic::Severity::error)
      item->setForeground(0, QColor(0xb0, 0x00, 0x20));
    else if (d.severity == Diagnostic::Severity::warning)
      item->setForeground(0, QColor(0x9a, 0x5b, 0x00));
  }
  if (auto* dock = qobject_cast<QDockWidget*>(m_diagView->parentWidget()))
    dock->setWindowTitle(m_diagnostics.empty() ? tr("Diagnostics: none")
                                               : tr("Diagnostics (%1)").arg(m_diagnostics.size()));
}

void PlanWindow::showAnalysis()
{
  m_overlays.clear();
  m_spofs.clear();
  m_analysisView->clear();
  auto* paths = new QTreeWidgetItem(m_analysisView, {tr("Attack paths")});
  int colour = 0;
  for (const AttackPathResult& a : m_analysis.attack_paths) {
    const QString campaign = QString::fromStdString(a.campaign);
    auto* item = new QTreeWidgetItem(paths, {campaign});
    if (a.goal.empty() || a.path.empty()) {
      item->setText(1, tr("no goal reachable"));
      continue;
    }
    MapView::OverlayPath o;
    for (const AttackHop& h : a.path)
      o.nodes << QString::fromStdString(h.node);
    o.label = campaign;
    o.color = campaign_colors[colour++ % std::size(campaign_colors)];
    m_overlays << o;
    item->setText(0, tr("%1 → %2").arg(campaign, QString::fromStdString(a.goal)));
    item->setText(1, percent(a.probability));
    item->setForeground(0, o.color.darker(120));
    item->setToolTip(0, o.nodes.join(" → "));
    for (const AttackHop& h : a.path) {
      const QString node = QString::fromStdString(h.node);
      auto* hop =
          new QTreeWidgetItem(item, {h.step.empty() ? node : tr("%1 (%2)").arg(node, QString::fromStdString(h.step))});
      hop->setData(0, Qt::UserRole, node);
      if (!h.step.empty())
        hop->setText(1, percent(h.probability));
    }
  }
  auto* spofs = new QTreeWidgetItem(m_analysisView, {tr("Network single points of failure")});
  for (const ArticulationPoint& p : m_analysis.articulation_points) {
    const QString node = QString::fromStdString(p.node);
    m_spofs << node;
    auto* item =
        new QTreeWidgetItem(spofs, {node, tr("cuts off %1").arg(count(qsizetype(p.cut_off), "node", "nodes"))});
    item->setData(0, Qt::UserRole, node);
  }
  if (m_analysis.articulation_points.empty())
    new QTreeWidgetItem(spofs, {tr("none: no single node splits the network")});
  auto* deps = new QTreeWidgetItem(m_analysisView, {tr("Dependency single points of failure")});
  for (const CascadeImpact& c : m_analysis.dependency_spofs) {
    auto* item = new QTreeWidgetItem(
        deps, {QString::fromStdString(c.subject), count(qsizetype(c.dependents), "dependent", "dependents")});
    if (c.subject.rfind("node:", 0) == 0)
      item->setData(0, Qt::UserRole, QString::fromStdString(c.subject.substr(5)));
  }
  if (m_analysis.dependency_spofs.empty())
    new QTreeWidgetItem(deps, {tr("none")});
  paths->setExpanded(true);
  spofs->setExpanded(true);
  deps->setExpanded(true);
  m_map->setOverlayPaths(m_overlays);
  m_map->setMarkedNodes(m_spofs, tr("single point of failure"));
}

void PlanWindow::openDiagnostic(int row)
{
  if (row < 0 || row >= static_cast<int>(m_diagnostics.size()))
    return;
  const Diagnostic& d = m_diagnostics[static_cast<std::size_t>(row)];
  const QString file =
      QFileInfo(QString::fromStdString(d.file.empty() ? m_file.toStdString() : d.file)).absoluteFilePath();
  const EditorCommand command = editorCommand(editorFromEnvironment(), file, d.line, d.column);
  if (m_launcher) {
    m_launcher(command, file);
    return;
  }
  bool started = false;
  if (!command.program.isEmpty()) {
    const EditorCommand run = inTerminal(command);
    started = QProcess::startDetached(run.program, run.arguments);
    if (!started)
      m_status->setText(
          tr("Could not start the editor %1: opening the file with the desktop's default").arg(run.program));
  }
  if (!started && !QDesktopServices::openUrl(QUrl::fromLocalFile(file)))
    m_status->setText(tr("Could not open %1: set $VISUAL or $EDITOR").arg(QDir::toNativeSeparators(file)));
}

void PlanWindow::watch(const QStringList& files)
{
  m_files = files;
  // paths re-added after every change: an editor that saves by writing a new file and renaming it over the old one
  // leaves the watcher on the old, unlinked file; the directories tell when a missing file comes back
  if (!m_watcher.files().isEmpty())
    m_watcher.removePaths(m_watcher.files());
  if (!m_watcher.directories().isEmpty())
    m_watcher.removePaths(m_watcher.directories());
  QStringList present;
  QSet<QString> dirs;
  m_stamps.clear();
  for (const QString& f : files) {
    const QFileInfo info(f);
    m_stamps.insert(f, info.exists() ? info.lastModified() : QDateTime());
    if (info.exists())
      present << f;
    dirs.insert(info.absolutePath());
  }
  if (!present.isEmpty())
    m_watcher.addPaths(present);
  m_watcher.addPaths(QStringList(dirs.begin(), dirs.end()));
}

void PlanWindow::onFileChanged(const QString& /*path*/)
{
  m_debounce.start();
}

void PlanWindow::onDirectoryChanged(const QString& dir)
{
  // an editor's backup and swap files change the directory too: reload only when one of the scenario's files there
  // was replaced, removed or has come back
  for (auto it = m_stamps.cbegin(); it != m_stamps.cend(); ++it) {
    const QFileInfo info(it.key());
    if (info.absolutePath() != dir)
      continue;
    const QDateTime now = info.exists() ? info.lastModified() : QDateTime();
    if (now != it.value() || (info.exists() && !m_watcher.files().contains(it.key()))) {
      m_debounce.start();
      return;
    }
  }
}

} // namespace cyberex::gui
