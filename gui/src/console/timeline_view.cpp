/* The MSEL timeline (lanes per team and move, expectation windows, a now line), and the controller window's part of
 * issue 18 that goes with it: the MSEL's filters, feedback for every command, the event log's type filter and details
 * (setUpTimeline). */
#include "console/timeline_view.hpp"

#include "console/clock_bar.hpp"
#include "console/console_state.hpp"
#include "console/controller_window.hpp"
#include "console/toast.hpp"
#include "map/map_view.hpp"
#include "state/record_json.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QJsonArray>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

namespace {

QColor injectColor(const QString& status)
{
  if (status == "delivered")
    return QColor(0x2e, 0x7d, 0x32);
  if (status == "scheduled")
    return QColor(0x15, 0x65, 0xc0);
  if (status == "cancelled")
    return QColor(0xb0, 0x20, 0x20);
  return QColor(0x75, 0x75, 0x75); // waiting, expired, skipped
}

QColor expectationColor(const QString& status)
{
  if (status == "met")
    return QColor(0x43, 0xa0, 0x47);
  if (status == "missed")
    return QColor(0xd3, 0x2f, 0x2f);
  if (status == "pending")
    return QColor(0xf5, 0x9e, 0x0b);
  return QColor(0xbd, 0xbd, 0xbd);
}

constexpr double min_px_per_second = 20.0 / 86400; // a day in 20 px
constexpr double max_px_per_second = 4.0;          // a minute in 240 px

} // namespace

TimelineView::TimelineView(ConsoleState* state, QWidget* parent) : QAbstractScrollArea(parent), m_state(state)
{
  setObjectName("timelineView");
  setFocusPolicy(Qt::StrongFocus);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
  viewport()->setMouseTracking(true);
  setToolTip(QString());
  setAccessibleName(tr("MSEL timeline"));
  auto changed = [this] { rebuild(); };
  for (QAbstractItemModel* m :
       {static_cast<QAbstractItemModel*>(state->msel()), static_cast<QAbstractItemModel*>(state->expectations())}) {
    connect(m, &QAbstractItemModel::dataChanged, this, changed);
    connect(m, &QAbstractItemModel::rowsInserted, this, changed);
    connect(m, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(m, &QAbstractItemModel::modelReset, this, changed);
  }
  connect(state, &ConsoleState::playerTeamsChanged, this, changed);
  connect(state, &ConsoleState::catalogChanged, this, changed);
  connect(state, &ConsoleState::clockChanged, this, changed);
  rebuild();
}

void TimelineView::rebuild()
{
  const MselModel* msel = m_state->msel();
  const double now = m_state->clock().time;
  m_lanes = m_state->playerTeams();
  m_marks.clear();
  bool control = false;
  for (int r = 0; r < msel->parentCount(); ++r) {
    const QJsonObject o = msel->parentObject(r);
    InjectMark m;
    m.inject = o.value("inject").toString();
    m.status = o.value("status").toString();
    m.title = o.value("title").toString();
    m.move = o.value("move").toString();
    m.time = MselModel::injectTime(o);
    m.timed = m.time >= 0;
    if (!m.timed)
      m.time = now;
    bool placed = false;
    for (const auto& t : o.value("to").toArray())
      if (m_lanes.contains(t.toString())) {
        m.lane = t.toString();
        m_marks.append(m);
        placed = true;
      }
    if (!placed) {
      m.lane = QStringLiteral("control");
      m_marks.append(m);
      control = true;
    }
  }
  if (control)
    m_lanes.append(QStringLiteral("control"));
  m_bars.clear();
  const ExpectationModel* exp = m_state->expectations();
  for (int r = 0; r < exp->rowCount(); ++r) {
    const QJsonObject o = exp->rowObject(r);
    ExpectationBar b;
    b.expectation = o.value("expectation").toString();
    b.team = o.value("team").toString();
    b.inject = o.value("inject").toString();
    b.status = o.value("status").toString();
    b.from = o.value("activated").toDouble();
    b.to = o.value("deadline").toDouble(b.from);
    if (!m_lanes.contains(b.team))
      continue;
    m_bars.append(b);
  }
  updateScrollBar();
  layoutItems();
  viewport()->update();
}

double TimelineView::span() const
{
  double end = std::max(m_state->catalog().duration, m_state->clock().duration);
  end = std::max(end, m_state->clock().time);
  for (const auto& m : m_marks)
    end = std::max(end, m.time);
  for (const auto& b : m_bars)
    end = std::max(end, b.to);
  return std::max(end, 3600.0) * 1.02;
}

double TimelineView::laneHeight() const
{
  const int n = std::max<int>(1, static_cast<int>(m_lanes.size()));
  return std::clamp((viewport()->height() - header_height - 4) / double(n), 30.0, 110.0);
}

double TimelineView::xOf(double t) const
{
  return label_width + t * m_pxPerSecond - horizontalScrollBar()->value();
}

double TimelineView::timeAt(double x) const
{
  return m_pxPerSecond > 0 ? (x - label_width + horizontalScrollBar()->value()) / m_pxPerSecond : 0;
}

void TimelineView::setZoom(double pxPerHour)
{
  m_pxPerSecond = std::clamp(pxPerHour / 3600, min_px_per_second, max_px_per_second);
  m_fitted = true;
  updateScrollBar();
  layoutItems();
  viewport()->update();
}

void TimelineView::zoomBy(double factor, double anchor)
{
  const double x = xOf(anchor);
  setZoom(zoom() * factor);
  horizontalScrollBar()->setValue(static_cast<int>(std::lround(label_width + anchor * m_pxPerSecond - x)));
}

void TimelineView::fitAll()
{
  const double width = std::max(100, viewport()->width() - label_width - 10);
  setZoom(width / span() * 3600);
  horizontalScrollBar()->setValue(0);
}

void TimelineView::updateScrollBar()
{
  const int content = static_cast<int>(std::ceil(span() * m_pxPerSecond));
  const int page = std::max(1, viewport()->width() - label_width);
  horizontalScrollBar()->setRange(0, std::max(0, content - page + 10));
  horizontalScrollBar()->setPageStep(page);
  horizontalScrollBar()->setSingleStep(std::max(1, page / 10));
}

void TimelineView::layoutItems()
{
  const double lane = laneHeight();
  auto laneTop = [&](const QString& l) { return header_height + m_lanes.indexOf(l) * lane; };
  // injects on the lane's first row; several at the same place step down a little so each stays clickable
  QHash<QString, QList<double>> placed;
  for (auto& m : m_marks) {
    const double x = xOf(m.time);
    int shift = 0;
    for (double px : placed.value(m.lane))
      if (std::abs(px - x) < 6)
        ++shift;
    placed[m.lane].append(x);
    const double y = laneTop(m.lane) + 10 + (shift % 3) * 5;
    m.rect = QRectF(x - 6, y, 12, 12);
  }
  // expectation windows below, each on the first row of its lane where it overlaps nothing
  const double barTop = 30, barHeight = 6, gap = 2;
  const int rows = std::max(1, static_cast<int>((lane - barTop - 2) / (barHeight + gap)));
  QHash<QString, QList<double>> rowEnds; // lane -> end time of the last bar on each row
  for (auto& b : m_bars) {
    QList<double>& ends = rowEnds[b.team];
    int row = -1;
    for (int i = 0; i < ends.size(); ++i)
      if (ends[i] <= b.from) {
        row = i;
        break;
      }
    if (row < 0) {
      row = ends.size() < rows ? static_cast<int>(ends.size()) : static_cast<int>(ends.size()) % rows;
      if (ends.size() < rows)
        ends.append(0);
    }
    ends[row] = std::max(ends.value(row), b.to);
    const double x0 = xOf(b.from);
    const double x1 = std::max(xOf(b.to), x0 + 2);
    b.rect = QRectF(x0, laneTop(b.team) + barTop + row * (barHeight + gap), x1 - x0, barHeight);
  }
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
  QAbstractScrollArea::resizeEvent(event);
  if (!m_fitted && viewport()->width() > label_width + 100)
    fitAll();
  updateScrollBar();
  layoutItems();
}

void TimelineView::scrollContentsBy(int, int)
{
  layoutItems();
  viewport()->update();
}

void TimelineView::paintEvent(QPaintEvent*)
{
  if (m_pxPerSecond <= 0)
    fitAll();
  QPainter p(viewport());
  p.setRenderHint(QPainter::Antialiasing);
  const QRect area = viewport()->rect();
  p.fillRect(area, palette().base());
  const double lane = laneHeight();
  const double right = area.width();
  p.save();
  p.setClipRect(QRectF(label_width, 0, right - label_width, area.height()));

  // the moves: alternating bands with their titles
  const auto& moves = m_state->catalog().moves;
  const double end = span();
  for (int i = 0; i < moves.size(); ++i) {
    const double x0 = xOf(moves[i].offset);
    const double x1 = xOf(i + 1 < moves.size() ? moves[i + 1].offset : end);
    p.fillRect(QRectF(x0, 0, x1 - x0, area.height()), i % 2 ? QColor(0xf3, 0xf6, 0xfa) : QColor(0xe8, 0xee, 0xf5));
    p.setPen(QColor(0x37, 0x47, 0x4f));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(x0 + 4, 2, std::max(0.0, x1 - x0 - 8), 16), Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(tr("Move %1: %2").arg(moves[i].id, moves[i].title), Qt::ElideRight,
                                          static_cast<int>(std::max(0.0, x1 - x0 - 8))));
    p.setFont(font());
  }

  // time ticks: the first step at least 80 px apart
  static const double steps[] = {60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800};
  double step = steps[std::size(steps) - 1];
  for (double s : steps)
    if (s * m_pxPerSecond >= 80) {
      step = s;
      break;
    }
  p.setPen(QColor(0x90, 0x90, 0x90));
  for (double t = std::floor(timeAt(label_width) / step) * step; t <= end; t += step) {
    const double x = xOf(t);
    if (x < label_width - 1)
      continue;
    if (x > right)
      break;
    p.setPen(QColor(0xc8, 0xc8, 0xc8));
    p.drawLine(QPointF(x, header_height - 6), QPointF(x, area.height()));
    p.setPen(QColor(0x60, 0x60, 0x60));
    const QString label = formatSimTime(t).left(t >= 86400 ? 8 : 5);
    p.drawText(QRectF(x + 3, 20, 80, 16), Qt::AlignLeft | Qt::AlignVCenter, "T+" + label);
  }

  // lanes
  p.setPen(QColor(0xd0, 0xd0, 0xd0));
  for (int i = 0; i <= m_lanes.size(); ++i)
    p.drawLine(QPointF(label_width, header_height + i * lane), QPointF(right, header_height + i * lane));

  // expectation windows
  for (const auto& b : m_bars) {
    QColor c = expectationColor(b.status);
    p.setPen(c.darker(130));
    p.setBrush(b.status == "pending" ? QBrush(c, Qt::Dense4Pattern) : QBrush(c));
    p.drawRect(b.rect);
  }
  // injects: filled diamonds delivered, outlined scheduled, dashed and hollow waiting, crossed cancelled
  for (const auto& m : m_marks) {
    const QColor c = injectColor(m.status);
    const QPointF o = m.rect.center();
    QPainterPath diamond;
    diamond.moveTo(o.x(), o.y() - 6);
    diamond.lineTo(o.x() + 6, o.y());
    diamond.lineTo(o.x(), o.y() + 6);
    diamond.lineTo(o.x() - 6, o.y());
    diamond.closeSubpath();
    QPen pen(c, 1.6);
    if (!m.timed)
      pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.setBrush(m.status == "delivered" ? QBrush(c) : m.status == "scheduled" ? QBrush(c.lighter(170)) : Qt::NoBrush);
    p.drawPath(diamond);
    if (m.status == "cancelled" || m.status == "skipped" || m.status == "expired") {
      p.drawLine(m.rect.topLeft(), m.rect.bottomRight());
      p.drawLine(m.rect.topRight(), m.rect.bottomLeft());
    }
  }
  // now
  const double now = xOf(m_state->clock().time);
  p.setPen(QPen(QColor(0xd3, 0x2f, 0x2f), 2));
  p.drawLine(QPointF(now, header_height - 8), QPointF(now, area.height()));
  p.setFont(font());
  // at the bottom: the ticks' labels are at the top
  p.drawText(QRectF(now + 4, area.height() - 18, 140, 14), Qt::AlignLeft | Qt::AlignVCenter,
             tr("now T+%1").arg(formatSimTime(m_state->clock().time)));
  p.restore();

  // lane labels
  p.fillRect(QRectF(0, 0, label_width, area.height()), palette().window());
  p.setPen(palette().text().color());
  for (int i = 0; i < m_lanes.size(); ++i)
    p.drawText(QRectF(6, header_height + i * lane, label_width - 10, std::min(lane, 28.0)),
               Qt::AlignLeft | Qt::AlignVCenter,
               p.fontMetrics().elidedText(m_lanes[i], Qt::ElideRight, label_width - 10));
  p.setPen(QColor(0xb0, 0xb0, 0xb0));
  p.drawLine(QPointF(label_width, 0), QPointF(label_width, area.height()));
}

QString TimelineView::injectAt(const QPointF& pos) const
{
  for (auto it = m_marks.rbegin(); it != m_marks.rend(); ++it)
    if (it->rect.adjusted(-3, -3, 3, 3).contains(pos))
      return it->inject;
  return {};
}

QString TimelineView::toolTipAt(const QPointF& pos) const
{
  if (pos.x() < label_width)
    return {};
  for (auto it = m_marks.rbegin(); it != m_marks.rend(); ++it)
    if (it->rect.adjusted(-3, -3, 3, 3).contains(pos)) {
      const QString when =
          it->timed ? tr("%1 at T+%2").arg(it->status, formatSimTime(it->time)) : tr("waiting on a trigger");
      return tr("%1 '%2'\n%3\nto %4%5")
          .arg(it->inject, it->title, when, it->lane, it->move.isEmpty() ? QString() : tr(", move %1").arg(it->move));
    }
  for (const auto& b : m_bars)
    if (b.rect.adjusted(0, -2, 0, 2).contains(pos))
      return tr("%1 (%2) for %3, from %4\nwindow T+%5 – T+%6")
          .arg(b.expectation, b.status, b.team, b.inject, formatSimTime(b.from), formatSimTime(b.to));
  return {};
}

bool TimelineView::viewportEvent(QEvent* event)
{
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(help->globalPos(), text, viewport());
    return true;
  }
  return QAbstractScrollArea::viewportEvent(event);
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
  // the wheel zooms about the pointer; with Shift (or a sideways wheel) it scrolls
  const QPoint delta = event->angleDelta();
  if ((event->modifiers() & Qt::ShiftModifier) || delta.x() != 0) {
    const int d = delta.x() != 0 ? delta.x() : delta.y();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d);
  } else if (delta.y() != 0) {
    zoomBy(std::pow(1.25, delta.y() / 120.0), timeAt(event->position().x()));
  }
  event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
  const double centre = timeAt(label_width + (viewport()->width() - label_width) / 2.0);
  switch (event->key()) {
  case Qt::Key_Plus:
  case Qt::Key_Equal:
    zoomBy(1.5, centre);
    break;
  case Qt::Key_Minus:
    zoomBy(1 / 1.5, centre);
    break;
  case Qt::Key_0:
    fitAll();
    break;
  case Qt::Key_Left:
    horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    break;
  case Qt::Key_Right:
    horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    break;
  case Qt::Key_Home:
    horizontalScrollBar()->setValue(0);
    break;
  case Qt::Key_End:
    horizontalScrollBar()->setValue(horizontalScrollBar()->maximum());
    break;
  default:
    QAbstractScrollArea::keyPressEvent(event);
  }
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
  if (const QString i = injectAt(event->position()); !i.isEmpty() && event->button() == Qt::LeftButton)
    emit injectClicked(i);
  QAbstractScrollArea::mousePressEvent(event);
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event)
{
  if (const QString i = injectAt(event->position()); !i.isEmpty())
    emit injectActivated(i);
}

// ---------------------------------------------------------------------------------------------------------------
// The controller window's part

namespace {

/// The tab of TABS that holds W.
int tabOf(QTabWidget* tabs, QWidget* w)
{
  for (int i = 0; i < tabs->count(); ++i)
    if (tabs->widget(i) == w || tabs->widget(i)->isAncestorOf(w))
      return i;
  return -1;
}

} // namespace

void ControllerWindow::setUpTimeline()
{
  m_toasts = new ToastArea(this);

  // the Timeline tab
  auto* page = new QWidget(m_tabs);
  auto* layout = new QVBoxLayout(page);
  auto* legend = new QLabel(page);
  legend->setObjectName("timelineLegend");
  legend->setTextFormat(Qt::RichText);
  legend->setText(tr("<span style='color:#2e7d32'>◆</span> delivered &nbsp; <span style='color:#1565c0'>◈</span> "
                     "scheduled &nbsp; <span style='color:#757575'>◇</span> waiting on a trigger (drawn at now) "
                     "&nbsp; <span style='color:#b02020'>⊠</span> cancelled &nbsp;&nbsp; expectation windows: "
                     "<span style='color:#f59e0b'>■</span> pending <span style='color:#43a047'>■</span> met "
                     "<span style='color:#d32f2f'>■</span> missed &nbsp;&nbsp; <i>wheel: zoom, Shift+wheel: scroll, "
                     "+ − 0: zoom keys; click an inject to select it in the MSEL, double-click to open it</i>"));
  legend->setWordWrap(true);
  layout->addWidget(legend);
  m_timeline = new TimelineView(m_state, page);
  layout->addWidget(m_timeline, 1);
  m_tabs->addTab(page, tr("Time&line"));
  connect(m_timeline, &TimelineView::injectClicked, this, [this](const QString& inject) { selectInject(inject); });
  connect(m_timeline, &TimelineView::injectActivated, this, [this](const QString& inject) {
    selectInject(inject);
    m_tabs->setCurrentIndex(tabOf(m_tabs, m_mselView));
  });

  // the MSEL's filter lists follow the teams, the moves of the catalog and those of the MSEL
  connect(m_state, &ConsoleState::playerTeamsChanged, this, &ControllerWindow::updateMselFilters);
  connect(m_state, &ConsoleState::catalogChanged, this, &ControllerWindow::updateMselFilters);
  connect(m_state, &ConsoleState::snapshotApplied, this, &ControllerWindow::updateMselFilters);
  connect(m_state->msel(), &QAbstractItemModel::rowsInserted, this, &ControllerWindow::updateMselFilters);

  // feedback for every command: a toast naming what it did; errors in plain words until the next success
  connect(m_state, &ConsoleState::commandSucceeded, this, [this](const QString& type, const QJsonValue& result) {
    const bool mine = m_sentCommands.contains(type);
    const QJsonObject command = m_sentCommands.take(type);
    QString text = commandFeedback(type, command, result);
    if (text.isEmpty() && mine && type == "msel")
      text = tr("MSEL refreshed: %n inject(s)", nullptr, m_state->msel()->parentCount());
    if (text.isEmpty())
      return; // a query (the clock, scores...): nothing the user did
    m_errorLabel->clear();
    m_errorLabel->setToolTip(QString());
    m_toasts->showMessage(text);
  });
  connect(m_state, &ConsoleState::commandFailed, this, [this](const QString& message) {
    const QString plain = plainError(message);
    showError(plain);
    if (plain != message)
      m_errorLabel->setToolTip(message); // the server's own words, for a report
    m_toasts->showMessage(plain, ToastArea::Kind::error);
  });

  // "Next inject" comes with the clock query: ask it again whenever the MSEL's schedule changed (a release, delay,
  // cancel or new inject, from this console or another), not only when the clock moved
  auto* clockRefresh = new QTimer(this);
  clockRefresh->setSingleShot(true);
  clockRefresh->setInterval(50);
  connect(clockRefresh, &QTimer::timeout, this, [this] {
    if (m_state->isControl() && m_state->connection()->isReady())
      m_state->send({{"type", "clock"}});
  });
  connect(m_state, &ConsoleState::recordApplied, this, [clockRefresh](const QJsonObject& record) {
    static const QSet<RecordType> schedule{
        RecordType::inject_released, RecordType::inject_delayed,   RecordType::inject_cancelled,
        RecordType::inject_created,  RecordType::inject_triggered, RecordType::inject_skipped,
        RecordType::inject};
    if (const auto t = recordTypeOf(record); t && schedule.contains(*t))
      clockRefresh->start();
  });
  connect(m_state, &ConsoleState::commandSucceeded, this, [clockRefresh](const QString& type) {
    if (type.startsWith("inject_"))
      clockRefresh->start();
  });
  updateTypeMenu();
}

void ControllerWindow::sendCommand(const QJsonObject& command)
{
  m_sentCommands.insert(command.value("type").toString(), command);
  m_state->send(command);
}

void ControllerWindow::updateMselFilters()
{
  if (!m_mselTeam)
    return;
  const QString team = m_mselTeam->currentData().toString();
  {
    const QSignalBlocker block(m_mselTeam);
    m_mselTeam->clear();
    m_mselTeam->addItem(tr("All teams"), QString());
    for (const QString& t : m_state->playerTeams())
      m_mselTeam->addItem(t, t);
    m_mselTeam->setCurrentIndex(std::max(0, m_mselTeam->findData(team)));
  }
  QStringList moves;
  for (const auto& m : m_state->catalog().moves)
    moves.append(m.id);
  for (int r = 0; r < m_state->msel()->parentCount(); ++r)
    if (const QString m = m_state->msel()->parentObject(r).value("move").toString(); !m.isEmpty() && !moves.contains(m))
      moves.append(m);
  const QString move = m_mselMove->currentData().toString();
  {
    const QSignalBlocker block(m_mselMove);
    m_mselMove->clear();
    m_mselMove->addItem(tr("All moves"), QString());
    for (const QString& m : moves) {
      QString title;
      for (const auto& cm : m_state->catalog().moves)
        if (cm.id == m)
          title = cm.title;
      m_mselMove->addItem(title.isEmpty() ? m : tr("%1: %2").arg(m, title), m);
    }
    m_mselMove->setCurrentIndex(std::max(0, m_mselMove->findData(move)));
  }
}

void ControllerWindow::updateTypeMenu()
{
  if (!m_typeMenu)
    return;
  const QStringList hidden = m_eventFilter->hiddenTypes();
  m_typeMenu->clear();
  auto apply = [this] {
    QStringList off;
    for (QAction* a : m_typeMenu->actions())
      if (a->isCheckable() && !a->isChecked())
        off.append(a->data().toString());
    m_eventFilter->setHiddenTypes(off);
    m_typeButton->setText(off.isEmpty() ? tr("Shown types") : tr("Shown types (%n hidden)", nullptr, off.size()));
  };
  m_typeMenu->addAction(tr("Show all"), this, [this, apply] {
    for (QAction* a : m_typeMenu->actions())
      if (a->isCheckable())
        a->setChecked(true);
    apply();
  });
  m_typeMenu->addAction(tr("Show none"), this, [this, apply] {
    for (QAction* a : m_typeMenu->actions())
      if (a->isCheckable())
        a->setChecked(false);
    apply();
  });
  m_typeMenu->addSeparator();
  for (const QString& t : m_state->eventLog()->types()) {
    QAction* a = m_typeMenu->addAction(t);
    a->setObjectName("showType_" + t);
    a->setData(t);
    a->setCheckable(true);
    a->setChecked(!hidden.contains(t));
    connect(a, &QAction::toggled, this, apply);
  }
  apply();
}

void ControllerWindow::openEventTarget(int row)
{
  const QJsonObject o = m_eventView->model()->index(row, 0).data(JsonTableModel::ObjectRole).toJsonObject();
  const QString node = o.value("node").toString();
  if (!node.isEmpty() && m_map && m_state->exercise()->nodeIndex(node) >= 0) {
    m_tabs->setCurrentIndex(tabOf(m_tabs, m_mapWidget));
    m_map->selectNode(node);
    return;
  }
  const QJsonArray teams = o.value("teams").toArray();
  if (!teams.isEmpty() && m_state->playerTeams().contains(teams.first().toString())) {
    selectTeam(teams.first().toString());
    m_tabs->setCurrentIndex(tabOf(m_tabs, m_teamsView));
    return;
  }
  showError(
      tr("Record %1 (%2) names no node or team to show").arg(o.value("seq").toInt()).arg(o.value("type").toString()));
}

} // namespace cyberex::gui
