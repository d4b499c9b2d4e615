/* The Attention dock, the team matrix's dock and the controller window's layout (issue 18). */
#include "console/attention_dock.hpp"

#include "charts/dashboard.hpp"
#include "console/clock_bar.hpp"
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/evaluation_panel.hpp"
#include "console/team_matrix.hpp"
#include "console/widgets.hpp"
#include "state/record_json.hpp"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

namespace {

constexpr double due_soon = 15 * 60;

/// "10m" for 9m01s..10m: a countdown rounds up to the minute (it says "due in 1m" until the deadline).
QString countdown(double seconds)
{
  return formatSpan(std::ceil(std::max(0.0, seconds) / 60) * 60);
}

QString shortened(QString text, int length = 90)
{
  text = text.simplified();
  return text.size() <= length ? text : text.left(length - 1) + QStringLiteral("…");
}

QString teamList(const QJsonArray& teams)
{
  QStringList out;
  for (const auto& t : teams)
    out.append(t.toString());
  return out.size() <= 3 ? out.join(", ") : QObject::tr("%1 teams").arg(out.size());
}

int kindOrder(AttentionItem::Kind k)
{
  return static_cast<int>(k);
}

// Okabe-Ito's colour-blind-safe colours, each kind with its own shape too
QColor kindColour(AttentionItem::Kind k)
{
  switch (k) {
  case AttentionItem::Kind::overdue:
    return QColor(0xd5, 0x5e, 0x00); // vermillion
  case AttentionItem::Kind::dueSoon:
    return QColor(0xe6, 0x9f, 0x00); // orange
  case AttentionItem::Kind::injectDue:
    return QColor(0x00, 0x72, 0xb2); // blue
  case AttentionItem::Kind::refused:
    return QColor(0xcc, 0x79, 0xa7); // reddish purple
  case AttentionItem::Kind::report:
    return QColor(0x00, 0x9e, 0x73); // bluish green
  case AttentionItem::Kind::message:
    return QColor(0x56, 0xb4, 0xe9); // sky blue
  case AttentionItem::Kind::idle:
    return QColor(0x80, 0x80, 0x80);
  }
  return {};
}

QString kindName(AttentionItem::Kind k)
{
  switch (k) {
  case AttentionItem::Kind::overdue:
    return QObject::tr("Overdue expectation");
  case AttentionItem::Kind::dueSoon:
    return QObject::tr("Expectation due within 15 minutes");
  case AttentionItem::Kind::injectDue:
    return QObject::tr("Inject due within 15 minutes");
  case AttentionItem::Kind::refused:
    return QObject::tr("Refused action");
  case AttentionItem::Kind::report:
    return QObject::tr("Report not seen yet");
  case AttentionItem::Kind::message:
    return QObject::tr("Message not seen yet");
  case AttentionItem::Kind::idle:
    return QObject::tr("Idle team");
  }
  return {};
}

QIcon kindIcon(AttentionItem::Kind k)
{
  QPixmap pixmap(16, 16);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const QColor c = kindColour(k);
  p.setPen(QPen(c.darker(130), 1));
  p.setBrush(c);
  switch (k) {
  case AttentionItem::Kind::overdue: // a square
    p.drawRect(QRectF(2, 2, 12, 12));
    break;
  case AttentionItem::Kind::dueSoon: // a triangle
    p.drawPolygon(QPolygonF({QPointF(8, 1.5), QPointF(14.5, 14), QPointF(1.5, 14)}));
    break;
  case AttentionItem::Kind::injectDue: // a disc
    p.drawEllipse(QRectF(2, 2, 12, 12));
    break;
  case AttentionItem::Kind::refused: // a cross
    p.setPen(QPen(c, 3, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(3, 3), QPointF(13, 13));
    p.drawLine(QPointF(13, 3), QPointF(3, 13));
    break;
  case AttentionItem::Kind::report: // a diamond
    p.drawPolygon(QPolygonF({QPointF(8, 1), QPointF(15, 8), QPointF(8, 15), QPointF(1, 8)}));
    break;
  case AttentionItem::Kind::message: // a ring
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(c, 3));
    p.drawEllipse(QRectF(3, 3, 10, 10));
    break;
  case AttentionItem::Kind::idle: // a bar
    p.drawRect(QRectF(1, 6, 14, 4));
    break;
  }
  return QIcon(pixmap);
}

} // namespace

QList<AttentionItem> attentionItems(ConsoleState* state, const AttentionInput& in)
{
  QList<AttentionItem> out;
  const double now = in.now;

  // expectations: due within 15 minutes, or overdue (still pending after the deadline, or missed and not looked at)
  ExpectationModel* expectations = state->expectations();
  for (int r = 0; r < expectations->rowCount(); ++r) {
    const QJsonObject& e = expectations->rowObject(r);
    const QString status = e.value("status").toString();
    const double deadline = e.value("deadline").toDouble(-1);
    const QString id = e.value("expectation").toString();
    const QString team = e.value("team").toString();
    if (deadline < 0 || (status != "pending" && status != "missed"))
      continue;
    AttentionItem item;
    item.key = QStringLiteral("expectation:%1/%2").arg(id, team);
    item.team = team;
    item.inject = e.value("inject").toString();
    item.expectation = id;
    item.when = deadline;
    const QString what = QStringLiteral("%1 %2: %3").arg(team, id, shortened(e.value("description").toString(), 70));
    if (status == "missed" || deadline <= now) {
      if (status == "missed" && in.acknowledged && in.acknowledged->contains(id + "/" + team))
        continue;
      item.kind = AttentionItem::Kind::overdue;
      item.text = QObject::tr("overdue %1%2 — %3")
                      .arg(formatSpan(now - deadline), status == "missed" ? QObject::tr(", missed") : QString(), what);
    } else if (deadline - now <= due_soon) {
      item.kind = AttentionItem::Kind::dueSoon;
      item.text = QObject::tr("due in %1 — %2").arg(countdown(deadline - now), what);
    } else {
      continue;
    }
    out.append(item);
  }

  // injects due within 15 minutes (scheduled: a time; waiting injects wait on a trigger and have none)
  MselModel* msel = state->msel();
  for (int r = 0; r < msel->parentCount(); ++r) {
    const QJsonObject& i = msel->parentObject(r);
    if (i.value("status").toString() != "scheduled" || !i.value("when").isDouble())
      continue;
    const double due = i.value("when").toDouble();
    if (due - now > due_soon)
      continue;
    AttentionItem item;
    item.kind = AttentionItem::Kind::injectDue;
    item.inject = i.value("inject").toString();
    item.key = "inject:" + item.inject;
    item.when = due;
    item.text = QObject::tr("inject %1 — %2 to %3: %4")
                    .arg(due > now ? QObject::tr("in %1").arg(countdown(due - now)) : QObject::tr("due now"),
                         item.inject, teamList(i.value("to").toArray()), shortened(i.value("title").toString(), 60));
    out.append(item);
  }

  // what the teams sent, and what could not be done, that the controller has not looked at
  EventLogModel* log = state->eventLog();
  for (int r = 0; r < log->rowCount(); ++r) {
    const QJsonObject& rec = log->rowObject(r);
    const std::optional<RecordType> type = recordTypeOf(rec);
    if (type != RecordType::sitrep && type != RecordType::assessment && type != RecordType::message &&
        type != RecordType::action_refused)
      continue;
    const auto seq = static_cast<qint64>(rec.value("seq").toDouble());
    if (in.seen && in.seen->contains(seq))
      continue;
    const QJsonObject d = rec.value("details").toObject();
    const double time = rec.value("time").toDouble();
    const QString subject = rec.value("subject").toString();
    AttentionItem item;
    item.key = QStringLiteral("record:%1").arg(seq);
    item.seq = static_cast<double>(seq);
    item.when = -time; // newest first
    const QString at = formatSimTime(time);
    if (type == RecordType::sitrep) {
      item.kind = AttentionItem::Kind::report;
      item.team = d.value("team").toString();
      item.text =
          QObject::tr("situation report — %1 at %2: %3").arg(item.team, at, shortened(d.value("text").toString()));
    } else if (type == RecordType::assessment) {
      item.kind = AttentionItem::Kind::report;
      item.team = d.value("team").toString(subject.startsWith("team:") ? subject.mid(5) : QString());
      item.text = QObject::tr("assessment — %1 at %2: incident %3").arg(item.team, at, d.value("incident").toString());
    } else if (type == RecordType::message) {
      item.kind = AttentionItem::Kind::message;
      item.team = d.value("from").toString();
      item.text = QObject::tr("message — %1 to %2 at %3: %4")
                      .arg(item.team, teamList(d.value("to").toArray()), at, shortened(d.value("text").toString()));
    } else {
      item.kind = AttentionItem::Kind::refused;
      item.team = d.value("team").toString();
      item.text = QObject::tr("refused — %1 %2 %3 at %4: %5")
                      .arg(item.team, d.value("action").toString(), subject, at, d.value("reason").toString());
    }
    out.append(item);
  }

  // idle teams: nothing delivered to them and nothing done by them for longer than the threshold (cyberex check's
  // "idle-team", with the team's actions counted too)
  SentMessageIndex sent;
  sent.update(log);
  for (const TeamGlance& g : teamGlances(state, sent, now)) {
    const double since = std::max(0.0, g.lastActive);
    if (now - since <= in.idle)
      continue;
    AttentionItem item;
    item.kind = AttentionItem::Kind::idle;
    item.team = g.team;
    item.key = "idle:" + g.team;
    item.when = since;
    item.text = QObject::tr("idle %1 — %2: no inject, alert, message or action since %3")
                    .arg(formatSpan(now - since), g.team,
                         g.lastActive < 0 ? QObject::tr("the start") : formatSimTime(g.lastActive));
    out.append(item);
  }

  std::stable_sort(out.begin(), out.end(), [](const AttentionItem& a, const AttentionItem& b) {
    if (a.kind != b.kind)
      return kindOrder(a.kind) < kindOrder(b.kind);
    return a.when < b.when;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

AttentionList::AttentionList(ConsoleState* state, QWidget* parent) : QWidget(parent), m_state(state)
{
  setObjectName("attentionList");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->setSpacing(2);
  auto* bar = new QHBoxLayout;
  m_summary = new QLabel(this);
  m_summary->setObjectName("attentionSummary");
  m_summary->setWordWrap(true); // "47 item(s), 45 expectation(s) due or overdue" never widens the window
  m_markSeen = new QPushButton(tr("Mark all seen"), this);
  m_markSeen->setObjectName("attentionMarkSeen");
  m_markSeen->setToolTip(tr("Clear the reports, messages and refused actions, and acknowledge the missed "
                            "expectations listed now"));
  bar->addWidget(m_summary, 1);
  bar->addWidget(m_markSeen);
  layout->addLayout(bar);
  m_list = new QListWidget(this);
  m_list->setObjectName("attentionView");
  m_list->setAccessibleName(tr("Needs attention"));
  m_list->setAccessibleDescription(tr("What needs the controller now; Enter or a double-click opens its place"));
  m_list->setUniformItemSizes(true);
  m_list->setWordWrap(false);
  m_list->setTextElideMode(Qt::ElideRight);
  m_list->setMinimumWidth(220);
  layout->addWidget(m_list, 1);

  connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem* i) { activate(m_list->row(i)); });
  connect(m_markSeen, &QPushButton::clicked, this, &AttentionList::markAllSeen);
  refreshOnChanges(this, state, [this] { refresh(); });
  refresh();
}

void AttentionList::setIdleThreshold(double seconds)
{
  m_idle = seconds;
  refresh();
}

void AttentionList::refresh()
{
  const QString current = m_list->currentRow() >= 0 && m_list->currentRow() < m_items.size()
                              ? m_items.at(m_list->currentRow()).key
                              : QString();
  m_items = attentionItems(m_state, {m_state->clock().time, m_idle, &m_seen, &m_acknowledged});
  QSet<QString> overdue;
  bool newOverdue = false;
  for (const AttentionItem& i : m_items)
    if (i.kind == AttentionItem::Kind::overdue) {
      overdue.insert(i.key);
      newOverdue = newOverdue || !m_overdue.contains(i.key);
    }
  m_overdue = overdue;
  if (newOverdue && m_sound)
    QApplication::beep();

  const QSignalBlocker block(m_list);
  // update the rows in place (the list keeps its scroll position and selection while the countdowns move)
  while (m_list->count() > m_items.size())
    delete m_list->takeItem(m_list->count() - 1);
  for (int r = 0; r < m_items.size(); ++r) {
    const AttentionItem& i = m_items.at(r);
    QListWidgetItem* row = m_list->item(r);
    if (!row) {
      row = new QListWidgetItem;
      m_list->addItem(row);
    }
    row->setText(i.text);
    row->setIcon(kindIcon(i.kind));
    row->setToolTip(kindName(i.kind) + "\n" + i.text);
    row->setData(Qt::UserRole, i.key);
    row->setData(Qt::AccessibleTextRole, kindName(i.kind) + ": " + i.text);
    if (i.key == current)
      m_list->setCurrentRow(r);
  }
  int urgent = 0;
  for (const AttentionItem& i : m_items)
    urgent += i.kind == AttentionItem::Kind::overdue || i.kind == AttentionItem::Kind::dueSoon;
  m_summary->setText(m_items.isEmpty()
                         ? tr("Nothing needs attention")
                         : tr("%n item(s)", nullptr, static_cast<int>(m_items.size())) +
                               (urgent ? tr(", %1 expectation(s) due or overdue").arg(urgent) : QString()));
}

QString AttentionList::itemText(int row) const
{
  return row >= 0 && row < m_items.size() ? m_items.at(row).text : QString();
}

int AttentionList::rowOf(const QString& key) const
{
  for (int r = 0; r < m_items.size(); ++r)
    if (m_items.at(r).key == key)
      return r;
  return -1;
}

bool AttentionList::isMissed(const AttentionItem& item) const
{
  ExpectationModel* expectations = m_state->expectations();
  const int r = item.kind == AttentionItem::Kind::overdue ? expectations->row(item.expectation, item.team) : -1;
  return r >= 0 && expectations->rowObject(r).value("status").toString() == "missed";
}

void AttentionList::activate(int row)
{
  if (row < 0 || row >= m_items.size())
    return;
  const AttentionItem item = m_items.at(row);
  if (item.seq >= 0)
    m_seen.insert(static_cast<qint64>(item.seq));
  if (isMissed(item))
    m_acknowledged.insert(item.expectation + "/" + item.team);
  emit activated(item);
  refresh();
}

void AttentionList::markAllSeen()
{
  for (const AttentionItem& i : m_items) {
    if (i.seq >= 0)
      m_seen.insert(static_cast<qint64>(i.seq));
    if (isMissed(i))
      m_acknowledged.insert(i.expectation + "/" + i.team);
  }
  refresh();
}

// ---------------------------------------------------------------------------------------------------------------
// The controller window: the docks, the layout, the View and Help menus

void ControllerWindow::setUpAttention()
{
  auto* attention = new QDockWidget(tr("Needs attention"), this);
  attention->setObjectName("attentionDock");
  m_attention = new AttentionList(m_state, attention);
  attention->setWidget(m_attention);
  auto* glance = new QDockWidget(tr("Teams at a glance"), this);
  glance->setObjectName("teamMatrixDock");
  m_matrix = new TeamMatrix(m_state, glance);
  glance->setWidget(m_matrix);
  connect(m_attention, &AttentionList::activated, this, &ControllerWindow::jumpTo);
  connect(m_matrix, &TeamMatrix::teamActivated, this, [this](const QString& team) {
    showTabOf(m_teamsView);
    selectTeam(team);
  });

  // the dashboard's charts may shrink (they redraw their axes to the room they get): it forced 1,394 px before
  if (m_dashboard)
    for (QGraphicsView* chart : m_dashboard->findChildren<QGraphicsView*>())
      chart->setMinimumSize(140, 110);
  // the Evaluation tab's two forms side by side need 1,061 px: the tab scrolls rather than widen the window
  if (const int e = m_tabs->indexOf(m_evaluation); e >= 0) {
    const QString label = m_tabs->tabText(e);
    auto* scroll = new QScrollArea(m_tabs);
    scroll->setObjectName("evaluationScroll");
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_tabs->removeTab(e);
    scroll->setWidget(m_evaluation);
    m_tabs->insertTab(e, scroll, label);
  }
  setDockNestingEnabled(true);
  applyDefaultLayout();

  // the View menu: the new docks, the layout, the dashboard on a projector, the font scale, the sound
  QMenu* view = nullptr;
  for (QAction* a : menuBar()->actions())
    if (a->menu() && a->menu()->title() == tr("&View"))
      view = a->menu();
  if (!view)
    view = menuBar()->addMenu(tr("&View"));
  view->addAction(attention->toggleViewAction());
  view->addAction(glance->toggleViewAction());
  view->addSeparator();
  QAction* reset = view->addAction(tr("&Reset layout"), this, &ControllerWindow::resetLayout);
  reset->setObjectName("resetLayout");
  if (auto* dash = findChild<QDockWidget*>("dashboardDock")) {
    QAction* detach = view->addAction(tr("Dashboard in its own &window"), this, [dash] {
      dash->setFloating(true);
      showOnProjector(dash);
    });
    detach->setObjectName("detachDashboard");
    detach->setToolTip(tr("Show the dashboard as a window of its own (for a projector); double-click its title to "
                          "dock it again"));
  }
  view->addAction(m_detachMap); // the map and its toolbar in a window of their own (controller_window.cpp)
  view->addSeparator();
  QAction* larger = view->addAction(tr("&Larger font"), this, [this] { setFontScale(m_fontScale + 0.1); });
  larger->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence(Qt::CTRL | Qt::Key_Equal)});
  larger->setObjectName("fontLarger");
  QAction* smaller = view->addAction(tr("&Smaller font"), this, [this] { setFontScale(m_fontScale - 0.1); });
  smaller->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
  smaller->setObjectName("fontSmaller");
  QAction* normal = view->addAction(tr("&Normal font size"), this, [this] { setFontScale(1); });
  normal->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  normal->setObjectName("fontReset");
  view->addSeparator();
  QAction* sound = view->addAction(tr("&Beep on new overdue expectations"));
  sound->setObjectName("attentionSound");
  sound->setCheckable(true);
  sound->setChecked(false);
  connect(sound, &QAction::toggled, m_attention, &AttentionList::setSoundEnabled);

  auto* help = menuBar()->addMenu(tr("&Help"));
  QAction* keys = help->addAction(tr("&Keyboard shortcuts"), this, &ControllerWindow::showShortcuts);
  keys->setShortcut(QKeySequence(Qt::Key_F1));
  keys->setObjectName("showShortcuts");

  m_baseFont = font();
  setFontScale(QSettings().value("controller/fontScale", 1.0).toDouble());

  // start on the map with the keyboard focus there, so that Space starts the clock
  m_tabs->setCurrentIndex(0);
  m_mapWidget->setFocusPolicy(Qt::StrongFocus);
  m_mapWidget->setFocus();
  setAccessibleName(tr("Exercise control"));
  m_tabs->setAccessibleName(tr("Exercise views"));
  attention->setAccessibleName(tr("Needs attention"));
  glance->setAccessibleName(tr("Teams at a glance"));
}

void ControllerWindow::applyDefaultLayout()
{
  auto* attention = findChild<QDockWidget*>("attentionDock");
  auto* glance = findChild<QDockWidget*>("teamMatrixDock");
  auto* board = findChild<QDockWidget*>("leaderboardDock");
  auto* dash = findChild<QDockWidget*>("dashboardDock");
  // the right docks (leaderboard, dashboard) full height; the teams' matrix under the attention list and the views
  setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  setCorner(Qt::TopLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
  for (QDockWidget* d : {attention, glance, board, dash})
    if (d) {
      d->setFloating(false);
      d->show();
    }
  if (attention)
    addDockWidget(Qt::LeftDockWidgetArea, attention);
  if (glance)
    addDockWidget(Qt::BottomDockWidgetArea, glance);
  if (board && dash) {
    addDockWidget(Qt::RightDockWidgetArea, board);
    addDockWidget(Qt::RightDockWidgetArea, dash);
    splitDockWidget(board, dash, Qt::Vertical);
  }
  m_clock->show();
  addToolBar(Qt::TopToolBarArea, m_clock);
  // Dock sizes only hold once the window has its size: before the first show, the docks' size hints decide and the
  // dashboard took 728 of 1600 px. So they are set now if the window is shown, else when it first is.
  if (isVisible())
    applyDefaultDockSizes();
  else
    m_defaultDockSizesPending = true;
}

void ControllerWindow::applyDefaultDockSizes()
{
  m_defaultDockSizesPending = false;
  auto* attention = findChild<QDockWidget*>("attentionDock");
  auto* glance = findChild<QDockWidget*>("teamMatrixDock");
  auto* board = findChild<QDockWidget*>("leaderboardDock");
  auto* dash = findChild<QDockWidget*>("dashboardDock");
  if (board && dash) {
    resizeDocks({board, dash}, {200, 500}, Qt::Vertical);
    resizeDocks({board}, {470}, Qt::Horizontal);
  }
  if (attention)
    resizeDocks({attention}, {330}, Qt::Horizontal);
  if (glance)
    resizeDocks({glance}, {230}, Qt::Vertical);
}

void ControllerWindow::showEvent(QShowEvent* event)
{
  QMainWindow::showEvent(event);
  if (m_defaultDockSizesPending)
    applyDefaultDockSizes();
}

void ControllerWindow::resetLayout()
{
  applyDefaultLayout();
  setFontScale(1);
  clampToScreen();
}

void ControllerWindow::clampToScreen()
{
  if (isMaximized() || isFullScreen())
    return;
  QScreen* screen = QGuiApplication::screenAt(geometry().center());
  if (!screen)
    screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
  if (!screen)
    return;
  const QRect room = screen->availableGeometry();
  // the frame (title bar, borders) is known once shown; before, allow for a usual one
  const QMargins frame =
      isVisible()
          ? QMargins(geometry().left() - frameGeometry().left(), geometry().top() - frameGeometry().top(),
                     frameGeometry().right() - geometry().right(), frameGeometry().bottom() - geometry().bottom())
          : QMargins();
  QRect g = geometry();
  g.setWidth(std::min(g.width(), room.width() - frame.left() - frame.right()));
  g.setHeight(std::min(g.height(), room.height() - frame.top() - frame.bottom()));
  g.moveLeft(std::clamp(g.left(), room.left() + frame.left(), room.right() - frame.right() - g.width() + 1));
  g.moveTop(std::clamp(g.top(), room.top() + frame.top(), room.bottom() - frame.bottom() - g.height() + 1));
  setGeometry(g);
}

void ControllerWindow::setFontScale(double scale)
{
  m_fontScale = std::clamp(std::round(scale * 10) / 10, 0.7, 2.0);
  QFont f = m_baseFont;
  if (f.pointSizeF() > 0)
    f.setPointSizeF(m_baseFont.pointSizeF() * m_fontScale);
  else
    f.setPixelSize(std::max(6, static_cast<int>(std::lround(m_baseFont.pixelSize() * m_fontScale))));
  setFont(f);
  QSettings().setValue("controller/fontScale", m_fontScale);
}

QList<QPair<QString, QString>> ControllerWindow::shortcuts() const
{
  QList<QPair<QString, QString>> out;
  QSet<QString> done;
  for (QAction* a : findChildren<QAction*>()) {
    if (a->shortcuts().isEmpty() || a->text().isEmpty())
      continue;
    QString name = a->text();
    name.remove(QRegularExpression("&(?!&)"));
    QStringList keys;
    for (const QKeySequence& k : a->shortcuts())
      keys.append(k.toString(QKeySequence::NativeText));
    const QString key = keys.join(", ");
    if (done.contains(name + key))
      continue;
    done.insert(name + key);
    out.append({name, key});
  }
  std::sort(out.begin(), out.end());
  return out;
}

QDialog* ControllerWindow::showShortcuts()
{
  auto* dialog = new QDialog(this);
  dialog->setObjectName("shortcutsDialog");
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Keyboard shortcuts"));
  auto* layout = new QVBoxLayout(dialog);
  const auto list = shortcuts();
  auto* table = new QTableWidget(static_cast<int>(list.size()), 2, dialog);
  table->setObjectName("shortcutTable");
  table->setAccessibleName(tr("Keyboard shortcuts"));
  table->setHorizontalHeaderLabels({tr("Command"), tr("Shortcut")});
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  for (int r = 0; r < list.size(); ++r) {
    table->setItem(r, 0, new QTableWidgetItem(list.at(r).first));
    table->setItem(r, 1, new QTableWidgetItem(list.at(r).second));
  }
  table->resizeColumnsToContents();
  table->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(table, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
  connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  layout->addWidget(buttons);
  dialog->resize(420, 420);
  dialog->open();
  return dialog;
}

void ControllerWindow::showTabOf(QWidget* widget)
{
  for (int i = 0; i < m_tabs->count(); ++i)
    if (m_tabs->widget(i) == widget || m_tabs->widget(i)->isAncestorOf(widget)) {
      m_tabs->setCurrentIndex(i);
      return;
    }
}

void ControllerWindow::jumpTo(const AttentionItem& item)
{
  switch (item.kind) {
  case AttentionItem::Kind::overdue:
  case AttentionItem::Kind::dueSoon:
  case AttentionItem::Kind::injectDue: {
    showTabOf(m_mselView);
    MselModel* msel = m_state->msel();
    const int r = msel->injectRow(item.inject);
    if (r < 0)
      return;
    QModelIndex target = msel->index(r, 0);
    if (!item.expectation.isEmpty()) {
      const int c = msel->findChild(r, [&](const QJsonObject& o) {
        return o.value("expectation").toString() == item.expectation && o.value("team").toString() == item.team;
      });
      if (c >= 0)
        target = msel->index(c, 0, target);
      m_mselView->expand(mselViewIndex(msel->index(r, 0)));
    }
    // the MSEL view shows it through its filter, and its move's group when grouped
    const QModelIndex shown = mselViewIndex(target);
    if (shown.isValid()) {
      m_mselView->setCurrentIndex(shown);
      m_mselView->scrollTo(shown);
    }
    return;
  }
  case AttentionItem::Kind::idle:
    showTabOf(m_teamsView);
    selectTeam(item.team);
    return;
  case AttentionItem::Kind::refused:
  case AttentionItem::Kind::report:
  case AttentionItem::Kind::message: {
    showTabOf(m_eventView);
    EventLogModel* log = m_state->eventLog();
    const int r = log->findRow([&](const QJsonObject& o) { return o.value("seq").toDouble() == item.seq; });
    if (r < 0)
      return;
    QModelIndex shown = m_eventFilter->mapFromSource(log->index(r, 0));
    if (!shown.isValid()) { // filtered out: show every record again
      m_eventFilter->setTeam(QString());
      m_eventFilter->setType(QString());
      m_eventFilter->setNode(QString());
      m_eventFilter->setTimeRange(-1, -1);
      shown = m_eventFilter->mapFromSource(log->index(r, 0));
    }
    if (shown.isValid()) {
      m_eventView->setCurrentIndex(shown);
      m_eventView->scrollTo(shown);
    }
    return;
  }
  }
}

} // namespace cyberex::gui
