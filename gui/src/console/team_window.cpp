#include "console/team_window.hpp"

#include "console/assessment_form.hpp"
#include "console/clock_bar.hpp"
#include "console/console_state.hpp"
#include "console/dialogs.hpp"
#include "console/widgets.hpp"
#include "map/map_view.hpp"
#include "state/record_json.hpp"

#include <QCloseEvent>
#include <QComboBox>
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
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

namespace cyberex::gui {

namespace {

QComboBox* editableCombo(const QString& name, QWidget* parent)
{
  auto* box = new QComboBox(parent);
  box->setObjectName(name);
  box->setEditable(true);
  box->setInsertPolicy(QComboBox::NoInsert);
  return box;
}

/// Replace the items of BOX, keeping the text it shows.
void setItems(QComboBox* box, const QStringList& items)
{
  const QString current = box->currentText();
  const QSignalBlocker block(box);
  box->clear();
  box->addItem(QString());
  box->addItems(items);
  box->setCurrentText(current);
}

} // namespace

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

  resize(1300, 820);
  restoreGeometry(QSettings().value("team/geometry").toByteArray());
}

TeamWindow::~TeamWindow() = default;

void TeamWindow::closeEvent(QCloseEvent* event)
{
  QSettings().setValue("team/geometry", saveGeometry());
  event->accept();
}

void TeamWindow::showError(const QString& message, bool popup)
{
  showErrorIn(this, m_errorLabel, message, popup);
}

void TeamWindow::applyCatalog()
{
  const ScenarioCatalog& c = m_state->catalog();
  if (c.scenario && !m_map) {
    m_map = new MapView(m_tabs);
    m_map->setModel(m_state->exercise()); // the team's records, folded (those before the scenario loaded too)
    if (!m_state->team().isEmpty())
      m_map->setTeamView(m_state->team());
    m_tabs->addTab(m_map, tr("Ma&p"));
    m_map->fitAll();
  }
  m_assess->applyCatalog();
  updateChoices();
}

void TeamWindow::updateChoices()
{
  const ScenarioCatalog& c = m_state->catalog();
  setItems(m_actionType, c.actionTypes.isEmpty()
                             ? QStringList{"isolate", "reconnect", "block", "patch", "reset_credentials", "restore",
                                           "manual_operations", "shutdown_service", "restore_service",
                                           "public_statement", "close_breaker", "refuel"}
                             : c.actionTypes);
  QStringList targets;
  QStringList services;
  QStringList vulns;
  if (const auto* t = c.team(m_state->team())) {
    for (const QString& n : t->nodes)
      targets.append("node:" + n);
    services = t->services;
    for (const auto& v : t->vulnerabilities)
      for (const QString& id : v)
        if (!vulns.contains(id))
          vulns.append(id);
  } else {
    // without the scenario file: the nodes and services the server lists as the team's assets
    for (const auto& n : m_state->assets()->children(0))
      targets.append("node:" + n.value("id").toString());
    for (const auto& s : m_state->assets()->children(1))
      services.append(s.value("id").toString());
  }
  setItems(m_actionTarget, targets);
  setItems(m_actionService, services);
  setItems(m_actionVulnerability, vulns);
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
  setItems(m_actionIndicator, known);
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
  auto* form = new QFormLayout(formBox);
  m_actionType = new QComboBox(formBox);
  m_actionType->setObjectName("actionType");
  m_actionTarget = editableCombo("actionTarget", formBox);
  m_actionTarget->setToolTip(tr("A node selector among your assets: node:ID, site:ID, kind:KIND ..."));
  m_actionIndicator = editableCombo("actionIndicator", formBox);
  m_actionIndicator->setToolTip(tr("block: an indicator your team knows (from alerts, injects or messages)"));
  m_actionVulnerability = editableCombo("actionVulnerability", formBox);
  m_actionService = editableCombo("actionService", formBox);
  m_actionKind = new QComboBox(formBox);
  m_actionKind->setObjectName("actionKind");
  m_actionKind->addItems({"press_statement", "public_advisory"});
  m_actionKind->setToolTip(tr("public_statement: a press statement or a public advisory; the Note is its text"));
  m_actionText = new QLineEdit(formBox);
  m_actionText->setObjectName("actionText");
  auto* submit = new QPushButton(tr("&Submit action"), formBox);
  submit->setObjectName("actionSubmit");
  m_actionResult = new QLabel(formBox);
  m_actionResult->setObjectName("actionResult");
  m_actionResult->setWordWrap(true);
  form->addRow(tr("Action"), m_actionType);
  form->addRow(tr("Target"), m_actionTarget);
  form->addRow(tr("Indicator"), m_actionIndicator);
  form->addRow(tr("Vulnerability"), m_actionVulnerability);
  form->addRow(tr("Service"), m_actionService);
  form->addRow(tr("Statement"), m_actionKind);
  form->addRow(tr("Note"), m_actionText);
  form->addRow(QString(), submit);
  form->addRow(m_actionResult);
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
  return page;
}

void TeamWindow::submitAction()
{
  const QString action = m_actionType->currentText().trimmed();
  if (action.isEmpty())
    return showError(tr("Action: choose what to do"));
  QJsonObject cmd{{"type", "action"}, {"action", action}};
  const QList<QPair<const char*, QComboBox*>> fields{{"target", m_actionTarget},
                                                     {"indicator", m_actionIndicator},
                                                     {"vulnerability", m_actionVulnerability},
                                                     {"service", m_actionService}};
  // a public statement is said, not done to an asset: its kind and its text only
  const bool statement = action == "public_statement";
  if (statement)
    cmd.insert("kind", m_actionKind->currentText());
  for (const auto& [key, box] : fields)
    if (!statement && !box->currentText().trimmed().isEmpty())
      cmd.insert(key, box->currentText().trimmed());
  if (!m_actionText->text().trimmed().isEmpty())
    cmd.insert("text", m_actionText->text().trimmed());
  m_actionResult->setText(tr("sent…"));
  m_state->send(
      cmd,
      [this, action](const QJsonValue& result) {
        const QJsonObject r = result.toObject();
        m_actionResult->setText(tr("%1 accepted at T+%2, effective at T+%3")
                                    .arg(action, formatSimTime(r.value("issued").toDouble()),
                                         formatSimTime(r.value("effective_at").toDouble())));
      },
      [this](const QString& error) { m_actionResult->setText(error); });
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
