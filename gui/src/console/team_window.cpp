#include "console/team_window.hpp"

#include "console/action_form.hpp"
#include "console/assessment_form.hpp"
#include "console/clock_bar.hpp"
#include "console/console_state.hpp"
#include "console/dialogs.hpp"
#include "console/toast.hpp"
#include "console/widgets.hpp"
#include "map/map_view.hpp"
#include "state/record_json.hpp"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDockWidget>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace cyberex::gui {

TeamWindow* TeamWindow::create(const QUrl& url, const QString& token, const ScenarioCatalog& catalog,
                               const QList<QSslCertificate>& ca)
{
  auto* connection = new DrillConnection;
  connection->setCaCertificates(ca);
  auto* state = new ConsoleState(connection, connection);
  if (catalog.loaded)
    state->setCatalog(catalog);
  auto* window = new TeamWindow(state);
  window->setAttribute(Qt::WA_DeleteOnClose);
  connection->setParent(window);
  connection->open(url, token);
  return window;
}

TeamWindow::TeamWindow(ConsoleState* state, QWidget* parent) : QMainWindow(parent), m_state(state)
{
  setObjectName("teamWindow");
  setWindowTitle(tr("cyberex — team console"));
  m_clock = new ClockBar(state, false, this);
  addToolBar(Qt::TopToolBarArea, m_clock);

  m_tabs = new QTabWidget(this);
  m_tabs->setObjectName("teamTabs");
  m_tabs->addTab(buildInboxTab(), tr("&Inbox"));
  m_alertView = makeTable(state->alerts(), m_tabs);
  m_alertView->setObjectName("alertView");
  m_alertView->hideColumn(0);
  m_tabs->addTab(m_alertView, tr("&Alerts"));
  m_assetView = new QTreeView(m_tabs);
  m_assetView->setObjectName("assetView");
  m_assetView->setModel(state->assets());
  m_assetView->setAlternatingRowColors(true);
  m_assetView->setColumnWidth(0, 220);
  m_assetView->setColumnWidth(1, 160);
  m_assetView->setColumnWidth(2, 180);
  m_assetView->expandAll();
  connect(state->assets(), &QAbstractItemModel::rowsInserted, m_assetView, &QTreeView::expandAll);
  m_tabs->addTab(m_assetView, tr("A&ssets"));
  m_tabs->addTab(buildActionsTab(), tr("A&ctions"));
  m_tabs->addTab(buildReportsTab(), tr("&Reports"));
  m_tabs->addTab(buildMessagesTab(), tr("&Messages"));
  setCentralWidget(m_tabs);

  auto* board = new QDockWidget(tr("Leaderboard"), this);
  board->setObjectName("leaderboardDock");
  auto* boardView = makeTable(state->leaderboard(), board);
  boardView->setColumnWidth(0, 45);
  boardView->setColumnWidth(1, 110);
  for (int c = 2; c < 6; ++c)
    boardView->setColumnWidth(c, 80);
  boardView->setMaximumWidth(460); // the team's own work gets the room
  board->setWidget(boardView);
  addDockWidget(Qt::RightDockWidgetArea, board);
  resizeDocks({board}, {500}, Qt::Horizontal);

  auto* file = menuBar()->addMenu(tr("&File"));
  QAction* reconnect = file->addAction(tr("&Reconnect"), this, [this] { m_state->connection()->reconnect(); });
  reconnect->setToolTip(tr("Connect to the drill again after the connection gave up"));
  reconnect->setEnabled(false);
  connect(state->connection(), &DrillConnection::stateChanged, reconnect,
          [reconnect](DrillConnection::State s) { reconnect->setEnabled(s == DrillConnection::State::disconnected); });
  file->addAction(tr("&Close"), QKeySequence::Close, this, &QWidget::close);
  auto* view = menuBar()->addMenu(tr("&View"));
  view->addAction(board->toggleViewAction());
  view->addSeparator();
  m_sound = view->addAction(tr("&Beep on new injects and alerts"));
  m_sound->setObjectName("notifySound");
  m_sound->setCheckable(true);
  m_sound->setChecked(false);

  m_errorLabel = addStatusLine(this, state->connection());
  connect(state, &ConsoleState::commandFailed, this, [this](const QString& m) { showError(m); });
  connect(state, &ConsoleState::connectionMessage, this, [this](const QString& m) { showError(m); });
  connect(state, &ConsoleState::knownIndicatorsChanged, this, &TeamWindow::updateIndicators);
  connect(state, &ConsoleState::catalogChanged, this, &TeamWindow::applyCatalog);
  connect(state, &ConsoleState::snapshotApplied, this, [this] {
    setWindowTitle(tr("cyberex — %1 — team console %2").arg(m_state->exerciseTitle(), m_state->team()));
    updateChoices();
    m_assetView->expandAll();
    if (m_map)
      m_map->setTeamView(m_state->team());
  });
  if (state->catalog().loaded)
    applyCatalog();
  updateChoices();

  // unread counts: what arrived since the tab was last in front; a notification for each new inject and alert
  for (QAbstractItemModel* m :
       {static_cast<QAbstractItemModel*>(state->inbox()), static_cast<QAbstractItemModel*>(state->alerts())}) {
    connect(m, &QAbstractItemModel::modelReset, this, &TeamWindow::updateUnread);
    connect(m, &QAbstractItemModel::rowsRemoved, this, &TeamWindow::updateUnread);
  }
  m_toasts = new ToastArea(this);
  connect(state->inbox(), &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
    updateUnread();
    const QString what = inboxItemName(m_state->inbox()->rowObject(last));
    notify(last > first ? tr("%1 new inbox items; the last: %2").arg(last - first + 1).arg(what) : what,
           m_tabs->widget(0));
  });
  connect(state->alerts(), &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex&, int first, int last) {
    updateUnread();
    const QString what = alertName(m_state->alerts()->rowObject(last));
    notify(last > first ? tr("%1 new alerts; the last: %2").arg(last - first + 1).arg(what) : what, m_alertView);
  });
  connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
    updateUnread();
    if (m_map && m_tabs->currentWidget() == m_mapPage && !m_mapFitted) {
      m_map->fitAll(); // fitted once it has its size, not while hidden in its tab
      m_mapFitted = true;
    }
  });
  updateUnread();

  resize(1300, 820);
  const bool restored = restoreGeometry(QSettings().value("team/geometry").toByteArray());
  fitOnScreen(this, restored);
}

void TeamWindow::fitOnScreen(QWidget* window, bool restored)
{
  const QScreen* screen = window->screen() ? window->screen() : QGuiApplication::primaryScreen();
  if (!screen)
    return;
  const QRect area = screen->availableGeometry();
  // the frame (title bar, borders) is known once shown; before, allow a typical one
  const QSize frame = window->isVisible() ? window->frameGeometry().size() - window->geometry().size() : QSize(0, 0);
  const QSize size = window->size().boundedTo(area.size() - frame).expandedTo(window->minimumSize());
  window->resize(size);
  QPoint pos = window->pos();
  if (!restored) {
    pos = area.topLeft() + QPoint((area.width() - size.width() - frame.width()) / 2,
                                  (area.height() - size.height() - frame.height()) / 2);
  } else {
    pos.setX(std::clamp(pos.x(), area.left(), std::max(area.left(), area.right() + 1 - size.width() - frame.width())));
    pos.setY(std::clamp(pos.y(), area.top(), std::max(area.top(), area.bottom() + 1 - size.height() - frame.height())));
  }
  window->move(pos);
}

void TeamWindow::updateUnread()
{
  const int inbox = m_state->inbox()->rowCount();
  const int alerts = m_state->alerts()->rowCount();
  QWidget* current = m_tabs->currentWidget();
  if (current == m_tabs->widget(0) || inbox < m_seenInbox)
    m_seenInbox = inbox;
  if (current == m_alertView || alerts < m_seenAlerts)
    m_seenAlerts = alerts;
  m_unreadInbox = inbox - m_seenInbox;
  m_unreadAlerts = alerts - m_seenAlerts;
  m_tabs->setTabText(0, m_unreadInbox > 0 ? tr("&Inbox (%1)").arg(m_unreadInbox) : tr("&Inbox"));
  m_tabs->setTabText(1, m_unreadAlerts > 0 ? tr("&Alerts (%1)").arg(m_unreadAlerts) : tr("&Alerts"));
}

void TeamWindow::notify(const QString& message, const QWidget* tab)
{
  m_lastNotification = message;
  statusBar()->showMessage(message, 10000);
  QApplication::alert(this); // the task bar entry flashes when the console is not in front
  if (m_tabs->currentWidget() != tab)
    m_toasts->showMessage(message);
  if (m_sound->isChecked()) {
    ++m_beeps;
    QApplication::beep();
  }
}

QString inboxItemName(const QJsonObject& item)
{
  const QString kind = item.value("kind").toString() == "message" ? QObject::tr("message") : QObject::tr("inject");
  const QString from = item.value("from").toString();
  const QString title = item.value("title").toString();
  return from.isEmpty() ? QObject::tr("New %1: %2").arg(kind, title)
                        : QObject::tr("New %1 from %2: %3").arg(kind, from, title);
}

QString alertName(const QJsonObject& alert)
{
  QString text = QObject::tr("New alert");
  if (const QString kind = alert.value("kind").toString(); !kind.isEmpty())
    text += QStringLiteral(": ") + kind;
  if (const QString node = alert.value("node").toString(); !node.isEmpty())
    text += QObject::tr(" on %1").arg(node);
  if (const QString sensor = alert.value("sensor").toString(); !sensor.isEmpty())
    text += QObject::tr(" (%1)").arg(sensor);
  return text;
}

TeamWindow::~TeamWindow() = default;

void TeamWindow::showEvent(QShowEvent* event)
{
  QMainWindow::showEvent(event);
  if (!m_shown) {
    m_shown = true;
    fitOnScreen(this, true); // again, now that the frame is known: the frame must be on the screen too
  }
}

void TeamWindow::closeEvent(QCloseEvent* event)
{
  QSettings().setValue("team/geometry", saveGeometry());
  event->accept();
}

void TeamWindow::showError(const QString& message, bool popup)
{
  showErrorIn(this, m_errorLabel, plainActionError(message), popup);
}

void TeamWindow::applyCatalog()
{
  const ScenarioCatalog& c = m_state->catalog();
  if (c.scenario && !m_map) {
    m_mapPage = new QWidget(m_tabs);
    auto* layout = new QVBoxLayout(m_mapPage);
    layout->setContentsMargins(0, 4, 0, 0);
    m_mapSearch = new QLineEdit(m_mapPage);
    m_mapSearch->setObjectName("mapSearch");
    m_mapSearch->setPlaceholderText(tr("Find a node (id or name), then Enter"));
    m_mapSearch->setAccessibleName(tr("Find a node"));
    m_mapSearch->setClearButtonEnabled(true);
    m_mapSearch->setMaximumWidth(360);
    auto* completer = new QCompleter(c.nodes, m_mapSearch);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_mapSearch->setCompleter(completer);
    m_map = new MapView(m_mapPage);
    m_map->setModel(m_state->exercise()); // the team's records, folded (those before the scenario loaded too)
    if (!m_state->team().isEmpty())
      m_map->setTeamView(m_state->team());
    layout->addWidget(m_mapSearch);
    layout->addWidget(m_map, 1);
    m_tabs->addTab(m_mapPage, tr("Ma&p"));
    connect(m_mapSearch, &QLineEdit::returnPressed, this, [this] {
      const QString text = m_mapSearch->text().trimmed();
      if (text.isEmpty())
        return;
      const QString id = m_map->search(text);
      statusBar()->showMessage(id.isEmpty() ? tr("No node matches \"%1\"").arg(text) : tr("Node %1").arg(id), 6000);
    });
  }
  m_assess->applyCatalog();
  updateChoices();
}

void TeamWindow::updateChoices()
{
  const ScenarioCatalog& c = m_state->catalog();
  ActionForm::Choices choices;
  choices.actions = c.actionTypes;
  if (const auto* t = c.team(m_state->team())) {
    choices.nodes = t->nodes;
    choices.services = t->services;
    choices.vulnerabilities = t->vulnerabilities;
  } else {
    // without the scenario file: the nodes and services the server lists as the team's assets
    for (const auto& n : m_state->assets()->children(0))
      choices.nodes.append(n.value("id").toString());
    for (const auto& s : m_state->assets()->children(1))
      choices.services.append(s.value("id").toString());
  }
  choices.indicators = m_state->knownIndicators();
  m_actionForm->setChoices(choices);
  QStringList others = c.loaded ? c.playerTeams() : QStringList();
  if (others.isEmpty())
    for (int i = 0; i < m_state->leaderboard()->rowCount(); ++i)
      others.append(m_state->leaderboard()->text(i, "team"));
  others.sort();
  others.removeAll(m_state->team());
  setCheckableItems(m_messageTo, others);
  updateIndicators();
}

void TeamWindow::updateIndicators()
{
  const QStringList known = m_state->knownIndicators();
  if (m_actionForm->choices().indicators != known) {
    ActionForm::Choices choices = m_actionForm->choices();
    choices.indicators = known;
    m_actionForm->setChoices(choices);
  }
  setCheckableItems(m_messageIndicators, known, m_state->catalog().indicators);
}

// ---------------------------------------------------------------------------------------------------------------

QWidget* TeamWindow::buildInboxTab()
{
  auto* split = new QSplitter(Qt::Vertical, this);
  m_inboxView = makeTable(m_state->inbox(), split);
  m_inboxView->setObjectName("inboxView");
  m_inboxView->hideColumn(0);
  const QList<int> widths{0, 120, 70, 65, 170, 120, 400, 140, 45};
  for (int c = 1; c < widths.size(); ++c)
    m_inboxView->setColumnWidth(c, widths[c]);
  auto* bottom = new QWidget(split);
  auto* layout = new QVBoxLayout(bottom);
  layout->setContentsMargins(0, 0, 0, 0);
  m_content = new QTextBrowser(bottom);
  m_content->setObjectName("inboxContent");
  auto* read = new QPushButton(tr("Mark &read"), bottom);
  layout->addWidget(m_content, 1);
  layout->addWidget(read, 0, Qt::AlignLeft);
  split->addWidget(m_inboxView);
  split->addWidget(bottom);
  connect(m_inboxView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
    if (!i.isValid()) {
      m_content->clear();
      return;
    }
    const QJsonObject o = i.data(JsonTableModel::ObjectRole).toJsonObject();
    m_content->setHtml(tr("<h3>%1</h3><p><i>%2 — %3, T+%4</i></p><p>%5</p><p>%6</p>")
                           .arg(o.value("title").toString().toHtmlEscaped(), o.value("from").toString().toHtmlEscaped(),
                                o.value("channel").toString().toHtmlEscaped(),
                                formatSimTime(o.value("time").toDouble()),
                                o.value("content").toString().toHtmlEscaped(),
                                o.value("indicators").toArray().isEmpty()
                                    ? QString()
                                    : tr("Indicators: %1").arg(formatJson(o.value("indicators")))));
  });
  connect(read, &QPushButton::clicked, this, [this] { markRead(m_inboxView->currentIndex().row()); });
  connect(m_inboxView, &QTableView::doubleClicked, this, [this](const QModelIndex& i) { markRead(i.row()); });
  return split;
}

void TeamWindow::markRead(int row)
{
  if (row < 0 || row >= m_state->inbox()->rowCount())
    return showError(tr("Mark read: select an inbox item first"));
  const QJsonObject o = m_state->inbox()->rowObject(row);
  if (!o.value("read").toBool())
    m_state->send({{"type", "read"}, {"item", o.value("item")}});
}

QWidget* TeamWindow::buildActionsTab()
{
  auto* page = new QWidget(this);
  auto* layout = new QHBoxLayout(page);
  auto* formBox = new QGroupBox(tr("New action"), page);
  auto* form = new QVBoxLayout(formBox);
  m_actionForm = new ActionForm(formBox);
  auto* submit = new QPushButton(tr("&Submit action"), formBox);
  submit->setObjectName("actionSubmit");
  m_actionResult = new QLabel(formBox);
  m_actionResult->setObjectName("actionResult");
  m_actionResult->setWordWrap(true);
  form->addWidget(m_actionForm);
  form->addWidget(submit, 0, Qt::AlignLeft);
  form->addWidget(m_actionResult);
  form->addStretch(1);
  formBox->setMaximumWidth(460);
  m_actions = new EventFilterProxy(this);
  m_actions->setSourceModel(m_state->eventLog());
  m_actions->setType(recordTypeName(RecordType::action_started));
  m_actionView = makeTable(m_actions, page);
  m_actionView->setObjectName("actionView");
  for (int c : {0, 2, 3})
    m_actionView->hideColumn(c);
  auto* list = new QGroupBox(tr("Your actions"), page);
  auto* listLayout = new QVBoxLayout(list);
  listLayout->addWidget(m_actionView);
  layout->addWidget(formBox);
  layout->addWidget(list, 1);
  connect(submit, &QPushButton::clicked, this, &TeamWindow::submitAction);
  connect(m_actionForm, &ActionForm::actionChanged, m_actionResult, &QLabel::clear);
  return page;
}

void TeamWindow::submitAction()
{
  QString error;
  const QJsonObject cmd = m_actionForm->command(&error);
  if (cmd.isEmpty()) {
    m_actionResult->setText(error);
    return showError(error);
  }
  const QString action = cmd.value("action").toString();
  m_actionResult->setText(tr("sent…"));
  m_state->send(
      cmd,
      [this, action](const QJsonValue& result) {
        const QJsonObject r = result.toObject();
        m_actionResult->setText(tr("%1 accepted at T+%2, effective at T+%3")
                                    .arg(action, formatSimTime(r.value("issued").toDouble()),
                                         formatSimTime(r.value("effective_at").toDouble())));
        m_errorLabel->clear(); // the last error no longer applies
      },
      [this](const QString& message) { m_actionResult->setText(plainActionError(message)); });
}

QWidget* TeamWindow::buildReportsTab()
{
  auto* page = new QWidget(this);
  auto* layout = new QHBoxLayout(page);
  auto* sitrepBox = new QGroupBox(tr("Situation report to the White Cell"), page);
  auto* sitrepLayout = new QFormLayout(sitrepBox);
  m_sitrepStatus = new QComboBox(sitrepBox);
  m_sitrepStatus->setObjectName("sitrepStatus");
  m_sitrepStatus->setEditable(true);
  m_sitrepStatus->addItems({"investigating", "contained", "recovering", "recovered"});
  m_sitrepText = new QPlainTextEdit(sitrepBox);
  m_sitrepText->setObjectName("sitrepText");
  auto* sitrepSend = new QPushButton(tr("Send &report"), sitrepBox);
  sitrepSend->setObjectName("sitrepSubmit");
  makeFormText(m_sitrepText, [sitrepSend] { sitrepSend->click(); });
  auto* sitreps = makeTable(m_state->sitreps(), sitrepBox);
  sitreps->hideColumn(1);
  sitrepLayout->addRow(tr("Status"), m_sitrepStatus);
  sitrepLayout->addRow(tr("Report"), m_sitrepText);
  sitrepLayout->addRow(QString(), sitrepSend);
  sitrepLayout->addRow(sitreps);

  m_assess = new AssessmentForm(m_state, "assess", "assess", tr("Incident severity assessment"), page);
  layout->addWidget(sitrepBox, 3);
  layout->addWidget(m_assess, 2);
  connect(sitrepSend, &QPushButton::clicked, this, &TeamWindow::submitSitrep);
  connect(m_assess, &AssessmentForm::invalid, this, [this](const QString& m) { showError(m); });
  return page;
}

void TeamWindow::submitSitrep()
{
  const QString text = m_sitrepText->toPlainText().trimmed();
  if (text.isEmpty())
    return showError(tr("Situation report: write what you know"));
  m_state->send({{"type", "sitrep"}, {"status", m_sitrepStatus->currentText()}, {"text", text}},
                [this](const QJsonValue&) { m_sitrepText->clear(); });
}

void TeamWindow::submitAssessment()
{
  m_assess->submit();
}

QWidget* TeamWindow::buildMessagesTab()
{
  auto* page = new QWidget(this);
  auto* layout = new QHBoxLayout(page);
  auto* box = new QGroupBox(tr("Message to other teams"), page);
  auto* form = new QFormLayout(box);
  m_messageTo = new QListWidget(box);
  m_messageTo->setObjectName("messageTo");
  m_messageTo->setMaximumHeight(120);
  m_messageSubject = new QLineEdit(box);
  m_messageSubject->setObjectName("messageSubject");
  m_messageText = new QPlainTextEdit(box);
  m_messageText->setObjectName("messageText");
  m_messageIndicators = new QListWidget(box);
  m_messageIndicators->setObjectName("messageIndicators");
  m_messageIndicators->setMaximumHeight(120);
  m_messageIndicators->setToolTip(
      tr("Indicators your team knows; the recipients will know them too and can block them"));
  auto* send = new QPushButton(tr("Se&nd message"), box);
  send->setObjectName("messageSend");
  makeFormText(m_messageText, [send] { send->click(); });
  form->addRow(tr("To"), m_messageTo);
  form->addRow(tr("Subject"), m_messageSubject);
  form->addRow(tr("Text"), m_messageText);
  form->addRow(tr("Indicators"), m_messageIndicators);
  form->addRow(QString(), send);
  box->setMaximumWidth(460);
  m_messages = new EventFilterProxy(this);
  m_messages->setSourceModel(m_state->eventLog());
  m_messages->setType(recordTypeName(RecordType::message));
  auto* list = new QGroupBox(tr("Messages sent and received"), page);
  auto* listLayout = new QVBoxLayout(list);
  auto* view = makeTable(m_messages, list);
  for (int c : {0, 2, 3})
    view->hideColumn(c);
  listLayout->addWidget(view);
  layout->addWidget(box);
  layout->addWidget(list, 1);
  connect(send, &QPushButton::clicked, this, &TeamWindow::sendMessage);
  return page;
}

void TeamWindow::sendMessage()
{
  const QStringList to = checkedItems(m_messageTo);
  if (to.isEmpty())
    return showError(tr("Message: choose at least one team"));
  QJsonObject cmd{{"type", "message"},
                  {"to", QJsonArray::fromStringList(to)},
                  {"subject", m_messageSubject->text().trimmed()},
                  {"text", m_messageText->toPlainText().trimmed()}};
  const QStringList inds = checkedItems(m_messageIndicators);
  if (!inds.isEmpty())
    cmd.insert("indicators", QJsonArray::fromStringList(inds));
  m_state->send(cmd, [this](const QJsonValue&) {
    m_messageSubject->clear();
    m_messageText->clear();
  });
}

} // namespace cyberex::gui
