#include "console/controller_window.hpp"

#include "charts/dashboard.hpp"
#include "console/clock_bar.hpp"
#include "console/console_state.hpp"
#include "console/dialogs.hpp"
#include "console/evaluation_panel.hpp"
#include "console/local_server.hpp"
#include "console/msel_model.hpp"
#include "console/team_window.hpp"
#include "console/widgets.hpp"
#include "grid/grid_view.hpp"
#include "map/map_view.hpp"
#include "state/record_json.hpp"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace cyberex::gui {

namespace {

/// Rows whose COLUMN is exactly TEAM.
QSortFilterProxyModel* teamProxy(QAbstractItemModel* source, int column, QObject* parent)
{
  auto* proxy = new QSortFilterProxyModel(parent);
  proxy->setSourceModel(source);
  proxy->setFilterKeyColumn(column);
  proxy->setFilterRegularExpression(QRegularExpression("^$"));
  return proxy;
}

void setTeamFilter(QSortFilterProxyModel* proxy, const QString& team)
{
  proxy->setFilterRegularExpression(QRegularExpression("^" + QRegularExpression::escape(team) + "$"));
}

/// Keep a table scrolled to its last row while rows arrive, unless the user scrolled up.
void followNewRows(QTableView* view)
{
  QObject::connect(view->model(), &QAbstractItemModel::rowsInserted, view, [view] {
    if (view->isVisible())
      view->scrollToBottom();
  });
}

} // namespace

ControllerWindow::ControllerWindow(ConsoleState* state, QWidget* parent) : QMainWindow(parent), m_state(state)
{
  setObjectName("controllerWindow");
  setWindowTitle(tr("cyberex — exercise control"));
  setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

  m_clock = new ClockBar(state, state->isController() || state->role().isEmpty(), this);
  addToolBar(Qt::TopToolBarArea, m_clock);

  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName("controllerTabs");
  m_tabs->addTab(buildMapTab(), tr("&Map"));
  m_grid = new GridView(m_tabs);
  m_grid->setModel(state->exercise());
  m_tabs->addTab(m_grid, tr("&Grid"));
  m_tabs->addTab(buildMselTab(), tr("M&SEL"));
  m_tabs->addTab(buildEventTab(), tr("Event &log"));
  m_tabs->addTab(buildTeamsTab(), tr("&Teams"));
  m_evaluation = new EvaluationPanel(state, m_tabs);
  m_tabs->addTab(m_evaluation, tr("E&valuation"));
  setCentralWidget(m_tabs);

  auto* board = new QDockWidget(tr("Leaderboard"), this);
  board->setObjectName("leaderboardDock");
  m_leaderboardView = makeTable(state->leaderboard(), board);
  m_leaderboardView->setObjectName("leaderboard");
  m_leaderboardView->setColumnWidth(0, 45);
  m_leaderboardView->setColumnWidth(1, 120);
  for (int c = 2; c < 6; ++c)
    m_leaderboardView->setColumnWidth(c, 85);
  board->setWidget(m_leaderboardView);
  addDockWidget(Qt::RightDockWidgetArea, board);

  auto* dash = new QDockWidget(tr("Dashboard"), this);
  dash->setObjectName("dashboardDock");
  m_dashboard = new Dashboard(dash);
  m_dashboard->setModel(state->exercise());
  m_dashboardWidget = m_dashboard;
  dash->setWidget(m_dashboard);
  addDockWidget(Qt::RightDockWidgetArea, dash);
  splitDockWidget(board, dash, Qt::Vertical);
  resizeDocks({board, dash}, {160, 500}, Qt::Vertical);
  resizeDocks({board}, {560}, Qt::Horizontal);

  auto* file = menuBar()->addMenu(tr("&File"));
  m_teamMenu = file->addMenu(tr("Open &team console"));
  m_teamMenu->setEnabled(false);
  QAction* reconnect = file->addAction(tr("&Reconnect"), this, [this] { m_state->connection()->reconnect(); });
  reconnect->setToolTip(tr("Connect to the drill again after the connection gave up"));
  reconnect->setEnabled(false);
  connect(state->connection(), &DrillConnection::stateChanged, reconnect,
          [reconnect](DrillConnection::State s) { reconnect->setEnabled(s == DrillConnection::State::disconnected); });
  addExportActions(file);
  file->addSeparator();
  file->addAction(tr("&Close"), QKeySequence::Close, this, &QWidget::close);
  auto* exercise = menuBar()->addMenu(tr("&Exercise"));
  for (QAction* a : {m_clock->playPauseAction(), m_clock->stepAction(), m_clock->nextInjectAction(),
                     m_clock->nextMoveAction(), m_clock->endAction()})
    if (a)
      exercise->addAction(a);
  exercise->addSeparator();
  const bool controller = state->isController() || state->role().isEmpty();
  const bool control = state->isControl() || state->role().isEmpty();
  exercise
      ->addAction(tr("&New inject…"), QKeySequence(Qt::CTRL | Qt::Key_I), this, &ControllerWindow::openNewInjectDialog)
      ->setEnabled(controller);
  exercise
      ->addAction(tr("&Rate an objective…"), QKeySequence(Qt::CTRL | Qt::Key_R), this,
                  &ControllerWindow::openRatingDialog)
      ->setEnabled(control);
  exercise
      ->addAction(tr("Record an &observation"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                  &ControllerWindow::startObservation)
      ->setEnabled(control);
  auto* view = menuBar()->addMenu(tr("&View"));
  view->addAction(board->toggleViewAction());
  view->addAction(dash->toggleViewAction());
  view->addAction(m_clock->toggleViewAction());

  m_errorLabel = addStatusLine(this, state->connection());
  connect(state, &ConsoleState::connectionMessage, this, [this](const QString& m) { showError(m); });
  // command failures and successes: setUpTimeline (plain words, toasts)
  connect(m_evaluation, &EvaluationPanel::invalid, this, [this](const QString& m) { showError(m); });
  connect(state, &ConsoleState::playerTeamsChanged, this, &ControllerWindow::updateTeamLists);
  connect(state, &ConsoleState::catalogChanged, this, &ControllerWindow::applyCatalog);
  connect(state, &ConsoleState::catalogFailed, this, [this](const QString& m) { showError(m, true); });
  connect(state, &ConsoleState::snapshotApplied, this, [this] {
    setWindowTitle(tr("cyberex — %1 — exercise control").arg(m_state->exerciseTitle()));
    m_mselView->expandAll();
  });
  updateTeamLists();
  if (state->catalog().loaded)
    applyCatalog();

  setUpTimeline();     // timeline_view.cpp (issue 18)
  setUpAttention();    // attention_dock.cpp (issue 18)
  setUpDependencies(); // deps/dependency_tab.cpp (issue 19)

  resize(1500, 920);
  QSettings settings;
  restoreGeometry(settings.value("controller/geometry").toByteArray());
  if (restoreState(settings.value("controller/state").toByteArray()))
    m_defaultDockSizesPending = false; // the controller's own arrangement
  clampToScreen();                     // a geometry saved on a larger screen (attention_dock.cpp, issue 18)
}

ControllerWindow::~ControllerWindow()
{
  delete m_mapWindow; // the map's own window has no parent: it goes with the console it shows
}

void ControllerWindow::setLocalDrill(LocalServer* server)
{
  m_server = server;
  if (!m_journalLabel) {
    m_journalLabel = new QLabel(this);
    m_journalLabel->setObjectName("journalPath");
    m_journalLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_journalLabel);
  }
  const QString journal = server ? server->journal() : QString();
  m_journalLabel->setText(journal.isEmpty() ? QString() : tr("Journal: %1").arg(displayPath(journal)));
  m_journalLabel->setToolTip(journal.isEmpty() ? QString()
                                               : tr("The drill's record: %1\nIts access tokens: %2")
                                                     .arg(QDir::toNativeSeparators(journal),
                                                          QDir::toNativeSeparators(LocalServer::tokensFile(journal))));
}

void ControllerWindow::closeEvent(QCloseEvent* event)
{
  // a local drill stops with its console: ask first, then stop the server cleanly and close once it has exited
  const LocalServer* server = m_server.data();
  if (!m_closeConfirmed && server && server->isRunning()) {
    event->ignore();
    if (m_stopping)
      return;
    if (m_closeQuestion) {
      m_closeQuestion->raise();
      return;
    }
    m_closeQuestion =
        askConfirmation(this, tr("Stop the drill"),
                        tr("Stop the drill and close? The journal stays at %1.").arg(displayPath(server->journal())),
                        tr("Stop and close"), tr("Cancel"), [this] { stopDrillAndClose(); });
    return;
  }
  setMapDetached(false); // its own window closes with the console
  QSettings settings;
  settings.setValue("controller/geometry", saveGeometry());
  settings.setValue("controller/state", saveState());
  event->accept();
}

void ControllerWindow::stopDrillAndClose()
{
  if (!m_server || !m_server->isRunning()) {
    m_closeConfirmed = true;
    close();
    return;
  }
  m_stopping = true;
  m_errorLabel->setText(tr("Stopping the drill server: it finishes the journal…"));
  connect(
      m_server, &LocalServer::stopped, this,
      [this] {
        m_closeConfirmed = true;
        close();
      },
      Qt::SingleShotConnection);
  m_server->stop();
}

void ControllerWindow::showError(const QString& message, bool popup)
{
  showErrorIn(this, m_errorLabel, message, popup);
}

// ---------------------------------------------------------------------------------------------------------------
// Map

QWidget* ControllerWindow::buildMapTab()
{
  // the tab holds the page, or a note while the page is in its own window (setMapDetached)
  m_mapTab = new QWidget(this);
  auto* tabLayout = new QVBoxLayout(m_mapTab);
  tabLayout->setContentsMargins(0, 0, 0, 0);
  auto* page = new QWidget(m_mapTab);
  m_mapPage = page;
  tabLayout->addWidget(page);
  m_mapAwayNote = new QWidget(m_mapTab);
  m_mapAwayNote->setObjectName("mapAwayNote");
  auto* noteLayout = new QVBoxLayout(m_mapAwayNote);
  auto* note = new QLabel(tr("The map is in its own window (View → Map in its own window)."), m_mapAwayNote);
  auto* back = new QPushButton(tr("&Bring the map back"), m_mapAwayNote);
  back->setObjectName("mapBringBack");
  noteLayout->addStretch(1);
  noteLayout->addWidget(note, 0, Qt::AlignHCenter);
  noteLayout->addWidget(back, 0, Qt::AlignHCenter);
  noteLayout->addStretch(1);
  tabLayout->addWidget(m_mapAwayNote);
  m_mapAwayNote->hide();
  connect(back, &QPushButton::clicked, this, [this] { setMapDetached(false); });
  m_detachMap = new QAction(tr("&Map in its own window"), this);
  m_detachMap->setObjectName("detachMap");
  m_detachMap->setCheckable(true);
  m_detachMap->setToolTip(tr("Show the map and its toolbar as a window of their own (for a projector); close that "
                             "window or uncheck this to bring the map back"));
  connect(m_detachMap, &QAction::toggled, this, &ControllerWindow::setMapDetached);

  auto* layout = new QVBoxLayout(page);
  auto* bar = new QHBoxLayout;
  m_mapView = new QComboBox(page);
  m_mapView->setObjectName("mapView");
  m_mapView->addItem(tr("Ground truth"), QString());
  auto* search = new QLineEdit(page);
  search->setPlaceholderText(tr("Find a node (id or name), Enter"));
  search->setClearButtonEnabled(true);
  auto* fit = new QPushButton(tr("Fit"), page);
  bar->addWidget(new QLabel(tr("View:"), page));
  bar->addWidget(m_mapView);
  bar->addWidget(search, 1);
  bar->addWidget(fit);
  // the View menu's action, in a word that leaves the search its room
  auto* detach = new QToolButton(page);
  detach->setObjectName("detachMapButton");
  detach->setText(tr("Own window"));
  detach->setToolTip(m_detachMap->toolTip());
  detach->setCheckable(true);
  connect(detach, &QToolButton::toggled, m_detachMap, &QAction::setChecked);
  connect(m_detachMap, &QAction::toggled, detach, &QToolButton::setChecked);
  bar->addWidget(detach);
  layout->addLayout(bar);

  auto* split = new QSplitter(page);
  m_map = new MapView(split);
  m_map->setModel(m_state->exercise());
  m_mapWidget = m_map;
  auto* side = new QWidget(split);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(0, 0, 0, 0);
  m_nodeDetails = new QLabel(tr("Select a node to see its state and history."), side);
  m_nodeDetails->setWordWrap(true);
  m_nodeHistory = new EventFilterProxy(this);
  m_nodeHistory->setSourceModel(m_state->eventLog());
  m_nodeHistory->setNode(QStringLiteral("\x01")); // nothing until a node is selected
  auto* history = makeTable(m_nodeHistory, side);
  for (int c : {0, 2})
    history->hideColumn(c);
  sideLayout->addWidget(m_nodeDetails);
  sideLayout->addWidget(history, 1);
  split->addWidget(m_map);
  split->addWidget(side);
  split->setStretchFactor(0, 4);
  split->setStretchFactor(1, 1);
  split->setSizes({1000, 250});
  layout->addWidget(split, 1);

  connect(m_mapView, &QComboBox::currentIndexChanged, this,
          [this] { m_map->setTeamView(m_mapView->currentData().toString()); });
  connect(search, &QLineEdit::returnPressed, this, [this, search] {
    if (m_map->search(search->text()).isEmpty())
      showError(tr("no node matches \"%1\"").arg(search->text()));
  });
  connect(fit, &QPushButton::clicked, m_map, &MapView::fitAll);
  connect(m_map, &MapView::nodeSelected, this, [this](const QString& node) {
    if (node.isEmpty()) {
      m_nodeDetails->setText(tr("Select a node to see its state and history."));
      m_nodeHistory->setNode(QStringLiteral("\x01"));
      return;
    }
    const NodeCondition s = m_map->nodeState(node);
    QStringList flags;
    if (s.compromised)
      flags << tr("compromised");
    if (s.isolated)
      flags << tr("isolated");
    if (s.down)
      flags << tr("down");
    if (s.degraded)
      flags << tr("degraded");
    if (s.alerted)
      flags << tr("alerted");
    m_nodeDetails->setText(tr("<b>%1</b>: %2").arg(node, flags.isEmpty() ? tr("ok") : flags.join(", ")));
    m_nodeHistory->setNode(node);
  });
  return m_mapTab;
}

void ControllerWindow::setMapDetached(bool detached)
{
  if (detached == isMapDetached())
    return;
  // the view as it is: moving its widget resizes it, and a resize must not change what the room looks at
  const QPointF centre = m_map->viewCenter();
  const double zoom = m_map->zoom();
  auto* tabLayout = static_cast<QVBoxLayout*>(m_mapTab->layout());
  if (detached) {
    auto* window = new QWidget(nullptr, Qt::Window);
    window->setObjectName("mapWindow");
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setWindowTitle(tr("%1 — map").arg(windowTitle()));
    window->setFont(font());
    auto* layout = new QVBoxLayout(window);
    tabLayout->removeWidget(m_mapPage);
    m_mapPage->setParent(window);
    layout->addWidget(m_mapPage);
    m_mapPage->show();
    m_mapAwayNote->show();
    m_mapWindow = window;
    // its own window closed (by its close button, or with the controller's): the map comes back to its tab
    whenClosed(window, this, [this] { setMapDetached(false); });
    window->resize(m_mapPage->size());
    showOnProjector(window);
  } else {
    QWidget* window = m_mapWindow;
    m_mapWindow = nullptr;
    window->layout()->removeWidget(m_mapPage);
    m_mapPage->setParent(m_mapTab);
    tabLayout->insertWidget(0, m_mapPage);
    m_mapPage->show();
    m_mapAwayNote->hide();
    window->close(); // a no-op when it is closing already; it deletes itself
  }
  m_map->setZoom(zoom);
  m_map->centerOn(centre);
  if (m_detachMap->isChecked() != detached) {
    const QSignalBlocker block(m_detachMap);
    m_detachMap->setChecked(detached);
  }
}

void ControllerWindow::applyCatalog()
{
  if (!m_state->catalog().scenario)
    return;
  // the map and the dashboard draw the console's state, which has folded the records received before the scenario
  m_map->setTeamView(m_mapView->currentData().toString());
  m_map->fitAll();
  updateTeamLists();
}

// ---------------------------------------------------------------------------------------------------------------
// MSEL

QWidget* ControllerWindow::buildMselTab()
{
  auto* page = new QWidget(this);
  auto* layout = new QVBoxLayout(page);
  auto* buttons = new QHBoxLayout;
  auto* release = new QPushButton(tr("&Release now"), page);
  release->setObjectName("releaseInject");
  auto* delay = new QPushButton(tr("&Delay…"), page);
  auto* cancel = new QPushButton(tr("&Cancel inject"), page);
  auto* create = new QPushButton(tr("&New inject…"), page);
  auto* refresh = new QPushButton(tr("Re&fresh"), page);
  m_mselGroupBox = new QCheckBox(tr("By &move"), page);
  m_mselGroupBox->setObjectName("mselGroupByMove");
  m_mselGroupBox->setToolTip(tr("Group by move: the injects under their moves"));
  // the MSEL is the controller's to change (role empty: not known yet); evaluators and observers read it
  const bool controller = m_state->isController() || m_state->role().isEmpty();
  for (auto* b : {release, delay, cancel, create}) {
    b->setEnabled(controller);
    buttons->addWidget(b);
  }
  buttons->addStretch(1);
  buttons->addWidget(m_mselGroupBox);
  buttons->addWidget(refresh);
  layout->addLayout(buttons);
  // filters: team, status, move and a search of id, title and text
  auto* filters = new QHBoxLayout;
  m_mselTeam = new QComboBox(page);
  m_mselTeam->setObjectName("mselTeamFilter");
  m_mselStatus = new QComboBox(page);
  m_mselStatus->setObjectName("mselStatusFilter");
  m_mselStatus->addItem(tr("Any status"), QString());
  for (const char* st : {"waiting", "scheduled", "delivered", "expired", "cancelled", "skipped"})
    m_mselStatus->addItem(QString::fromLatin1(st), QString::fromLatin1(st));
  m_mselMove = new QComboBox(page);
  m_mselMove->setObjectName("mselMoveFilter");
  m_mselSearch = new QLineEdit(page);
  m_mselSearch->setObjectName("mselSearch");
  m_mselSearch->setPlaceholderText(tr("search id, title, text"));
  m_mselSearch->setClearButtonEnabled(true);
  auto* clear = new QPushButton(tr("Clear filters"), page);
  // the combos show their choice in the room there is (a move's title can be long): they never widen the window
  for (QComboBox* box : {m_mselTeam, m_mselStatus, m_mselMove}) {
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(6);
  }
  filters->addWidget(new QLabel(tr("Team"), page));
  filters->addWidget(m_mselTeam);
  filters->addWidget(new QLabel(tr("Status"), page));
  filters->addWidget(m_mselStatus);
  filters->addWidget(new QLabel(tr("Move"), page));
  filters->addWidget(m_mselMove);
  filters->addWidget(m_mselSearch, 1);
  filters->addWidget(clear);
  layout->addLayout(filters);
  m_mselFilter = new MselFilterProxy(this);
  m_mselFilter->setSourceModel(m_state->msel());
  m_mselView = new QTreeView(page);
  m_mselView->setObjectName("mselView");
  m_mselView->setModel(m_mselFilter);
  m_mselView->setAlternatingRowColors(true);
  m_mselView->setUniformRowHeights(true);
  m_mselView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_mselView->setTextElideMode(Qt::ElideRight);
  // sortable by any column; a third click on a header goes back to the MSEL's own (time) order
  m_mselView->header()->setSortIndicatorClearable(true);
  m_mselView->header()->setSortIndicator(-1, Qt::AscendingOrder);
  m_mselView->setSortingEnabled(true);
  applyMselColumns();
  layout->addWidget(m_mselView, 1);
  m_mselGroups = new MselMoveProxy(this);
  m_mselGroups->setSourceModel(m_mselFilter);
  connect(m_mselGroupBox, &QCheckBox::toggled, this, &ControllerWindow::setMselGrouped);
  // regrouping resets the grouped model: the moves stay open and the selected inject selected
  connect(m_mselGroups, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
    if (m_mselView->model() == m_mselGroups)
      m_mselKept = selectedInject();
  });
  connect(m_mselFilter, &QAbstractItemModel::rowsInserted, m_mselView, [this](const QModelIndex& parent) {
    if (parent.isValid())
      m_mselView->expand(parent);
  });
  connect(m_mselFilter, &QAbstractItemModel::layoutChanged, m_mselView, [this] { m_mselView->expandAll(); });
  connect(m_mselTeam, &QComboBox::currentIndexChanged, this,
          [this] { m_mselFilter->setTeam(m_mselTeam->currentData().toString()); });
  connect(m_mselStatus, &QComboBox::currentIndexChanged, this,
          [this] { m_mselFilter->setStatus(m_mselStatus->currentData().toString()); });
  connect(m_mselMove, &QComboBox::currentIndexChanged, this,
          [this] { m_mselFilter->setMove(m_mselMove->currentData().toString()); });
  connect(m_mselSearch, &QLineEdit::textChanged, m_mselFilter, &MselFilterProxy::setSearch);
  connect(clear, &QPushButton::clicked, this, [this] {
    m_mselTeam->setCurrentIndex(0);
    m_mselStatus->setCurrentIndex(0);
    m_mselMove->setCurrentIndex(0);
    m_mselSearch->clear();
  });
  updateMselFilters();
  connect(release, &QPushButton::clicked, this, &ControllerWindow::releaseSelectedInject);
  connect(cancel, &QPushButton::clicked, this, &ControllerWindow::cancelSelectedInject);
  connect(create, &QPushButton::clicked, this, &ControllerWindow::openNewInjectDialog);
  connect(refresh, &QPushButton::clicked, this, [this] { sendCommand({{"type", "msel"}}); });
  connect(delay, &QPushButton::clicked, this, [this] {
    const QString inject = selectedInject();
    if (inject.isEmpty()) {
      showError(tr("Delay: select an inject in the MSEL first"));
      return;
    }
    auto* dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Delay %1").arg(inject));
    dialog->setLabelText(tr("Delay inject %1 by (e.g. 10m, 1h30m):").arg(inject));
    dialog->setTextValue("15m");
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString& by) { delaySelectedInject(by); });
    dialog->open();
  });
  return page;
}

void ControllerWindow::applyMselColumns()
{
  m_mselView->header()->setStretchLastSection(false);
  m_mselView->header()->setSectionResizeMode(QHeaderView::Interactive);
  m_mselView->header()->setSectionResizeMode(MselModel::TitleColumn, QHeaderView::Stretch);
  m_mselView->header()->setMinimumSectionSize(40);
  m_mselView->setColumnWidth(MselModel::InjectColumn, 125);
  m_mselView->setColumnWidth(MselModel::StatusColumn, 75);
  m_mselView->setColumnWidth(MselModel::TimeColumn, 65);
  m_mselView->setColumnWidth(MselModel::ToColumn, 110);
  m_mselView->setColumnWidth(MselModel::ChannelColumn, 70);
  m_mselView->setColumnWidth(MselModel::MoveColumn, 55);
}

void ControllerWindow::setMselGrouped(bool grouped)
{
  if (m_mselGroupBox->isChecked() != grouped)
    return m_mselGroupBox->setChecked(grouped); // toggled: here again
  QAbstractItemModel* model = grouped ? static_cast<QAbstractItemModel*>(m_mselGroups) : m_mselFilter;
  if (m_mselView->model() == model)
    return;
  QHash<QString, QString> titles;
  for (const auto& m : m_state->catalog().moves)
    titles.insert(m.id, m.title);
  m_mselGroups->setMoveTitles(titles);
  m_mselKept = selectedInject();
  QItemSelectionModel* old = m_mselView->selectionModel();
  m_mselView->setModel(model);
  delete old; // a view does not delete the selection model of its previous model
  applyMselColumns();
  // after the view's own handling of a reset (which clears its current row): connected after setModel
  disconnect(m_mselGroups, &QAbstractItemModel::modelReset, this, nullptr);
  if (grouped)
    connect(m_mselGroups, &QAbstractItemModel::modelReset, this, &ControllerWindow::showMsel);
  showMsel();
  if (const QModelIndex i = m_mselView->currentIndex(); i.isValid())
    m_mselView->scrollTo(i);
}

void ControllerWindow::showMsel()
{
  m_mselView->expandAll();
  if (m_mselView->model() == m_mselGroups)
    for (int g = 0; g < m_mselGroups->rowCount(); ++g)
      m_mselView->setFirstColumnSpanned(g, {}, true);
  if (const int r = m_state->msel()->injectRow(m_mselKept); r >= 0)
    if (const QModelIndex i = mselViewIndex(m_state->msel()->index(r, 0)); i.isValid())
      m_mselView->setCurrentIndex(i);
}

QModelIndex ControllerWindow::mselViewIndex(const QModelIndex& index) const
{
  const QModelIndex filtered = m_mselFilter->mapFromSource(index);
  return m_mselView->model() == m_mselGroups ? m_mselGroups->mapFromSource(filtered) : filtered;
}

QString ControllerWindow::selectedInject() const
{
  return m_mselView->currentIndex().data(MselModel::InjectRole).toString();
}

void ControllerWindow::selectInject(const QString& inject)
{
  const int r = m_state->msel()->injectRow(inject);
  if (r < 0)
    return;
  QModelIndex i = mselViewIndex(m_state->msel()->index(r, 0));
  if (!i.isValid()) {
    // filtered out: show the whole MSEL again rather than select nothing
    m_mselTeam->setCurrentIndex(0);
    m_mselStatus->setCurrentIndex(0);
    m_mselMove->setCurrentIndex(0);
    m_mselSearch->clear();
    i = mselViewIndex(m_state->msel()->index(r, 0));
  }
  m_mselView->setCurrentIndex(i);
  m_mselView->scrollTo(i);
}

void ControllerWindow::releaseSelectedInject()
{
  const QString inject = selectedInject();
  if (inject.isEmpty())
    return showError(tr("Release: select an inject in the MSEL first"));
  sendCommand({{"type", "inject_release"}, {"inject", inject}});
}

void ControllerWindow::delaySelectedInject(const QString& by)
{
  const QString inject = selectedInject();
  if (inject.isEmpty())
    return showError(tr("Delay: select an inject in the MSEL first"));
  const double seconds = parseDuration(by);
  if (seconds <= 0)
    return showError(tr("Delay: expected a duration such as 10m or 1h30m, got \"%1\"").arg(by));
  sendCommand({{"type", "inject_delay"}, {"inject", inject}, {"by", seconds}});
}

void ControllerWindow::cancelSelectedInject()
{
  const QString inject = selectedInject();
  if (inject.isEmpty())
    return showError(tr("Cancel: select an inject in the MSEL first"));
  askConfirmation(
      this, tr("Cancel inject"),
      tr("Cancel inject %1? It will not be delivered, and a cancelled inject cannot be released later.").arg(inject),
      tr("Cancel inject"), tr("Keep it"), [this, inject] {
        sendCommand({{"type", "inject_cancel"}, {"inject", inject}});
      });
}

QDialog* ControllerWindow::openNewInjectDialog()
{
  auto* dialog = new NewInjectDialog(m_state->catalog(), m_state->playerTeams(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] { sendCommand(dialog->command()); });
  dialog->open();
  return dialog;
}

QDialog* ControllerWindow::openRatingDialog()
{
  auto* dialog = new RatingDialog(m_state->catalog(), m_state->playerTeams(), m_selectedTeam, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this, dialog] { sendCommand(dialog->command()); });
  dialog->open();
  return dialog;
}

void ControllerWindow::startObservation()
{
  showTabOf(m_evaluation); // the tab is a scroll area around it (attention_dock.cpp)
  m_evaluation->observationForm()->textEdit()->setFocus();
}

// ---------------------------------------------------------------------------------------------------------------
// Event log

QWidget* ControllerWindow::buildEventTab()
{
  auto* page = new QWidget(this);
  auto* layout = new QVBoxLayout(page);
  auto* filters = new QHBoxLayout;
  m_teamFilter = new QComboBox(page);
  m_teamFilter->setObjectName("eventTeamFilter");
  m_typeFilter = new QComboBox(page);
  m_typeFilter->setObjectName("eventTypeFilter");
  m_typeFilter->addItem(tr("All types"), QString());
  m_nodeFilter = new QLineEdit(page);
  m_nodeFilter->setObjectName("eventNodeFilter");
  m_nodeFilter->setPlaceholderText(tr("node or subject"));
  m_nodeFilter->setClearButtonEnabled(true);
  m_fromFilter = new QLineEdit(page);
  m_fromFilter->setPlaceholderText(tr("from (1h30m)"));
  m_toFilter = new QLineEdit(page);
  m_toFilter->setPlaceholderText(tr("to (2h)"));
  filters->addWidget(new QLabel(tr("Team"), page));
  filters->addWidget(m_teamFilter);
  filters->addWidget(new QLabel(tr("Type"), page));
  filters->addWidget(m_typeFilter);
  // a checkable list of every type seen: unchecked types are hidden (one click hides probe_status)
  m_typeButton = new QToolButton(page);
  m_typeButton->setObjectName("eventTypesButton");
  m_typeButton->setText(tr("Shown types"));
  m_typeButton->setToolTip(tr("Check the record types to show; uncheck one to hide it"));
  m_typeButton->setPopupMode(QToolButton::InstantPopup);
  m_typeMenu = new QMenu(m_typeButton);
  m_typeMenu->setObjectName("eventTypesMenu");
  m_typeButton->setMenu(m_typeMenu);
  filters->addWidget(m_typeButton);
  filters->addWidget(new QLabel(tr("Node"), page));
  filters->addWidget(m_nodeFilter, 1);
  filters->addWidget(new QLabel(tr("Time"), page));
  filters->addWidget(m_fromFilter);
  filters->addWidget(m_toFilter);
  layout->addLayout(filters);
  m_eventFilter = new EventFilterProxy(this);
  m_eventFilter->setSourceModel(m_state->eventLog());
  m_eventView = makeTable(m_eventFilter, page);
  m_eventView->setObjectName("eventView");
  m_eventView->setColumnWidth(0, 60);
  m_eventView->setColumnWidth(3, 170);
  m_eventView->setColumnWidth(4, 190);
  followNewRows(m_eventView);
  m_eventView->setToolTip(tr("Double-click a record to show its node on the map or its team in the Teams tab"));
  // the selected record in full beside the table
  auto* split = new QSplitter(Qt::Vertical, page);
  split->addWidget(m_eventView);
  m_eventDetails = new QPlainTextEdit(split);
  m_eventDetails->setObjectName("eventDetails");
  m_eventDetails->setReadOnly(true);
  m_eventDetails->setPlaceholderText(tr("Select a record to see it in full"));
  m_eventDetails->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  split->addWidget(m_eventDetails);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);
  connect(m_eventView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            const QJsonObject o = current.data(JsonTableModel::ObjectRole).toJsonObject();
            QJsonObject record = o;
            for (const char* k : {"summary", "teams", "node"})
              record.remove(k);
            m_eventDetails->setPlainText(
                o.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(record).toJson(QJsonDocument::Indented)));
          });
  connect(m_eventView, &QTableView::doubleClicked, this, [this](const QModelIndex& i) { openEventTarget(i.row()); });
  connect(m_teamFilter, &QComboBox::currentIndexChanged, this,
          [this] { m_eventFilter->setTeam(m_teamFilter->currentData().toString()); });
  connect(m_typeFilter, &QComboBox::currentIndexChanged, this,
          [this] { m_eventFilter->setType(m_typeFilter->currentData().toString()); });
  connect(m_nodeFilter, &QLineEdit::textChanged, m_eventFilter, &EventFilterProxy::setNode);
  connect(m_fromFilter, &QLineEdit::editingFinished, this, &ControllerWindow::applyTimeFilter);
  connect(m_toFilter, &QLineEdit::editingFinished, this, &ControllerWindow::applyTimeFilter);
  connect(m_state->eventLog(), &EventLogModel::typesChanged, this, &ControllerWindow::updateTypeFilter);
  connect(m_state->eventLog(), &EventLogModel::typesChanged, this, &ControllerWindow::updateTypeMenu);
  return page;
}

void ControllerWindow::applyTimeFilter()
{
  const double from = parseDuration(m_fromFilter->text());
  const double to = parseDuration(m_toFilter->text());
  if ((from < 0 && !m_fromFilter->text().trimmed().isEmpty()) || (to < 0 && !m_toFilter->text().trimmed().isEmpty()))
    showError(tr("Time filter: expected times such as 1h30m or 01:30, got \"%1\" and \"%2\"")
                  .arg(m_fromFilter->text(), m_toFilter->text()));
  m_eventFilter->setTimeRange(from, to);
}

void ControllerWindow::updateTypeFilter()
{
  const QString current = m_typeFilter->currentData().toString();
  const QSignalBlocker block(m_typeFilter);
  m_typeFilter->clear();
  m_typeFilter->addItem(tr("All types"), QString());
  for (const QString& t : m_state->eventLog()->types())
    m_typeFilter->addItem(t, t);
  m_typeFilter->setCurrentIndex(std::max(0, m_typeFilter->findData(current)));
}

// ---------------------------------------------------------------------------------------------------------------
// Teams

QWidget* ControllerWindow::buildTeamsTab()
{
  auto* split = new QSplitter(this);
  m_teamsView = new QTreeView(split);
  m_teamsView->setObjectName("teamsView");
  m_teamsView->setModel(m_state->scores());
  m_teamsView->setAlternatingRowColors(true);
  m_teamsView->setColumnWidth(0, 170);
  for (int c = 1; c < 7; ++c)
    m_teamsView->setColumnWidth(c, c == 1 ? 45 : 85);

  auto* right = new QWidget(split);
  auto* layout = new QVBoxLayout(right);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QHBoxLayout;
  m_teamSelect = new QComboBox(right);
  m_teamSelect->setObjectName("teamSelect");
  auto* rate = new QPushButton(tr("&Rate…"), right);
  auto* confirm = new QPushButton(tr("Con&firm expectation"), right);
  confirm->setToolTip(tr("An evaluator saw the selected pending expectation done: it is met now"));
  bar->addWidget(new QLabel(tr("Team"), right));
  bar->addWidget(m_teamSelect, 1);
  bar->addWidget(rate);
  bar->addWidget(confirm);
  // evaluators rate and confirm as the controller does; observers may not
  const bool control = m_state->isControl() || m_state->role().isEmpty();
  rate->setEnabled(control);
  confirm->setEnabled(control);
  layout->addLayout(bar);

  auto* tabs = new QTabWidget(right);
  m_teamInbox = teamProxy(m_state->inbox(), 0, this);
  auto* inbox = makeTable(m_teamInbox, tabs);
  inbox->hideColumn(0);
  m_teamActions = new EventFilterProxy(this);
  m_teamActions->setSourceModel(m_state->eventLog());
  m_teamActions->setType(recordTypeName(RecordType::action_started));
  m_teamActions->setTeam(QStringLiteral("\x01"));
  auto* actions = makeTable(m_teamActions, tabs);
  for (int c : {0, 2, 3})
    actions->hideColumn(c);
  m_teamExpectations = teamProxy(m_state->expectations(), 1, this);
  m_teamExpectationsView = makeTable(m_teamExpectations, tabs);
  m_teamExpectationsView->hideColumn(1);
  m_teamAlerts = teamProxy(m_state->alerts(), 0, this);
  auto* alerts = makeTable(m_teamAlerts, tabs);
  alerts->hideColumn(0);
  m_teamSitreps = teamProxy(m_state->sitreps(), 1, this);
  auto* sitreps = makeTable(m_teamSitreps, tabs);
  tabs->addTab(inbox, tr("Inbox"));
  tabs->addTab(actions, tr("Actions"));
  tabs->addTab(m_teamExpectationsView, tr("Expectations"));
  tabs->addTab(alerts, tr("Alerts"));
  tabs->addTab(sitreps, tr("Situation reports"));
  // what the team said and how it was judged, from the records
  auto recordsOf = [this, tabs](RecordType type, const QString& title) {
    auto* proxy = new EventFilterProxy(this);
    proxy->setSourceModel(m_state->eventLog());
    proxy->setType(recordTypeName(type));
    proxy->setTeam(QStringLiteral("\x01"));
    auto* view = makeTable(proxy, tabs);
    for (int c : {0, 2, 3})
      view->hideColumn(c);
    tabs->addTab(view, title);
    return proxy;
  };
  m_teamMessages = recordsOf(RecordType::message, tr("Messages"));
  m_teamAssessments = recordsOf(RecordType::assessment, tr("Assessments"));
  m_teamRatings = recordsOf(RecordType::rating, tr("Ratings"));
  layout->addWidget(tabs, 1);
  split->addWidget(m_teamsView);
  split->addWidget(right);
  split->setStretchFactor(1, 2);

  connect(m_teamSelect, &QComboBox::currentTextChanged, this, &ControllerWindow::selectTeam);
  connect(m_teamsView, &QTreeView::clicked, this, [this](const QModelIndex& i) {
    const QModelIndex top = i.parent().isValid() ? i.parent() : i;
    selectTeam(top.siblingAtColumn(0).data().toString());
  });
  connect(rate, &QPushButton::clicked, this, &ControllerWindow::openRatingDialog);
  connect(confirm, &QPushButton::clicked, this, [this] {
    const QModelIndex i = m_teamExpectationsView->currentIndex();
    if (!i.isValid())
      return showError(tr("Confirm: select a pending expectation of the team first"));
    const QJsonObject e = i.data(JsonTableModel::ObjectRole).toJsonObject();
    sendCommand({{"type", "confirm"}, {"expectation", e.value("expectation")}, {"team", e.value("team")}});
  });
  return split;
}

void ControllerWindow::selectTeam(const QString& team)
{
  m_selectedTeam = team;
  if (m_teamSelect->currentText() != team) {
    const QSignalBlocker block(m_teamSelect);
    m_teamSelect->setCurrentText(team);
  }
  setTeamFilter(m_teamInbox, team);
  setTeamFilter(m_teamExpectations, team);
  setTeamFilter(m_teamAlerts, team);
  setTeamFilter(m_teamSitreps, team);
  m_teamActions->setTeam(team.isEmpty() ? QStringLiteral("\x01") : team);
  for (EventFilterProxy* p : {m_teamMessages, m_teamAssessments, m_teamRatings})
    if (p)
      p->setTeam(team.isEmpty() ? QStringLiteral("\x01") : team);
}

void ControllerWindow::updateTeamLists()
{
  const QStringList teams = m_state->playerTeams();
  {
    const QSignalBlocker block(m_teamSelect);
    m_teamSelect->clear();
    m_teamSelect->addItems(teams);
  }
  if (!teams.contains(m_selectedTeam))
    selectTeam(teams.value(0));
  else
    m_teamSelect->setCurrentText(m_selectedTeam);
  const QString filter = m_teamFilter->currentData().toString();
  {
    const QSignalBlocker block(m_teamFilter);
    m_teamFilter->clear();
    m_teamFilter->addItem(tr("All teams"), QString());
    for (const QString& t : teams)
      m_teamFilter->addItem(t, t);
    m_teamFilter->setCurrentIndex(std::max(0, m_teamFilter->findData(filter)));
  }
  const QString view = m_mapView->currentData().toString();
  {
    const QSignalBlocker block(m_mapView);
    m_mapView->clear();
    m_mapView->addItem(tr("Ground truth"), QString());
    for (const QString& t : teams)
      m_mapView->addItem(tr("%1's view").arg(t), t);
    m_mapView->setCurrentIndex(std::max(0, m_mapView->findData(view)));
  }
  m_teamMenu->clear();
  for (const QString& t : teams)
    if (m_tokens.contains("player:" + t))
      m_teamMenu->addAction(t, this, [this, t] { openTeamConsole(t); });
  m_teamMenu->setEnabled(!m_teamMenu->isEmpty());
}

void ControllerWindow::setDrillAccess(const QUrl& url, const QMap<QString, QString>& tokens)
{
  m_url = url;
  m_tokens = tokens;
  updateTeamLists();
}

TeamWindow* ControllerWindow::openTeamConsole(const QString& team)
{
  const QString token = m_tokens.value("player:" + team);
  if (token.isEmpty()) {
    showError(tr("no token for team %1: team consoles open from here only for a drill this program started").arg(team));
    return nullptr;
  }
  auto* window = TeamWindow::create(m_url, token, m_state->catalog(), m_state->connection()->caCertificates());
  window->show();
  return window;
}

} // namespace cyberex::gui
