#include "plan/plan_timeline.hpp"

#include "cyberex/model.hpp"

#include <QFontMetrics>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPolygonF>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

namespace {

const QString control_lane = QStringLiteral("control");

QString clockText(double seconds)
{
  const auto s = static_cast<long long>(std::llround(seconds));
  return QString("H+%1:%2").arg(s / 3600, 2, 10, QChar('0')).arg(s % 3600 / 60, 2, 10, QChar('0'));
}

} // namespace

PlanTimeline::PlanTimeline(QWidget* parent) : QWidget(parent)
{
  setObjectName("planTimeline");
  setMouseTracking(true);
  setAccessibleName(tr("MSEL timeline"));
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void PlanTimeline::setScenario(const Scenario* scenario)
{
  m_lanes.clear();
  m_marks.clear();
  m_moves.clear();
  m_duration = 0;
  if (scenario) {
    const Scenario& s = *scenario;
    for (const Team& t : s.teams)
      if (t.role == TeamRole::player)
        m_lanes << QString::fromStdString(t.id);
    double last = 0;
    bool control = false;
    for (const Inject& in : s.msel) {
      InjectMark m;
      m.inject = QString::fromStdString(in.id);
      m.title = QString::fromStdString(in.title);
      m.move = QString::fromStdString(in.move);
      m.timed = in.time.has_value();
      if (in.time) {
        m.time = *in.time;
      } else {
        // a triggered inject comes at the earliest at its not_before, else once its move has begun
        m.time = in.not_before.value_or(0);
        if (!in.not_before)
          for (const Move& mv : s.exercise.moves)
            if (mv.id == in.move)
              m.time = mv.offset;
      }
      last = std::max(last, m.time);
      bool placed = false;
      for (const std::string& to : in.to)
        if (m_lanes.contains(QString::fromStdString(to))) {
          m.lane = QString::fromStdString(to);
          m_marks.append(m);
          placed = true;
        }
      if (!placed) {
        m.lane = control_lane;
        m_marks.append(m);
        control = true;
      }
    }
    if (control)
      m_lanes << control_lane;
    m_duration = std::max(s.exercise.duration, last);
    for (std::size_t i = 0; i < s.exercise.moves.size(); ++i) {
      const Move& mv = s.exercise.moves[i];
      MoveBand b;
      b.move = QString::fromStdString(mv.id);
      b.title = QString::fromStdString(mv.title);
      b.from = mv.offset;
      b.to = i + 1 < s.exercise.moves.size() ? s.exercise.moves[i + 1].offset : m_duration;
      m_moves.append(b);
    }
  }
  layoutItems();
  updateGeometry();
  update();
}

double PlanTimeline::xOf(double t) const
{
  const double w = std::max(1, width() - label_width - 16);
  return label_width + (m_duration > 0 ? t / m_duration * w : 0);
}

void PlanTimeline::layoutItems()
{
  for (MoveBand& b : m_moves)
    b.rect = QRectF(QPointF(xOf(b.from), 0), QPointF(xOf(b.to), height()));
  for (InjectMark& m : m_marks) {
    const int lane = std::max<int>(0, m_lanes.indexOf(m.lane));
    const double y = header_height + lane * lane_height + lane_height / 2.0;
    m.rect = QRectF(xOf(m.time) - 5, y - 6, 10, 12);
  }
}

QSize PlanTimeline::sizeHint() const
{
  return {800, header_height + std::max<int>(1, m_lanes.size()) * lane_height + 8};
}

QSize PlanTimeline::minimumSizeHint() const
{
  return {300, header_height + lane_height};
}

void PlanTimeline::resizeEvent(QResizeEvent* event)
{
  QWidget::resizeEvent(event);
  layoutItems();
}

QString PlanTimeline::injectAt(const QPointF& p) const
{
  for (auto it = m_marks.crbegin(); it != m_marks.crend(); ++it)
    if (it->rect.adjusted(-2, -2, 2, 2).contains(p))
      return it->inject;
  return {};
}

void PlanTimeline::mousePressEvent(QMouseEvent* event)
{
  const QString inject = injectAt(event->position());
  if (!inject.isEmpty())
    emit injectClicked(inject);
  QWidget::mousePressEvent(event);
}

bool PlanTimeline::event(QEvent* event)
{
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString inject = injectAt(help->pos());
    for (const InjectMark& m : m_marks)
      if (m.inject == inject) {
        QToolTip::showText(help->globalPos(),
                           QString("<b>%1</b> %2<br>%3 %4, move %5")
                                   .arg(m.inject.toHtmlEscaped(), clockText(m.time),
                                        m.timed ? tr("at") : tr("triggered, not before"), clockText(m.time),
                                        m.move.toHtmlEscaped()) +
                               (m.title.isEmpty() ? QString() : "<br>" + m.title.toHtmlEscaped()),
                           this);
        return true;
      }
    QToolTip::hideText();
    event->ignore();
    return true;
  }
  return QWidget::event(event);
}

void PlanTimeline::paintEvent(QPaintEvent* /*event*/)
{
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().base());
  const QColor text = palette().color(QPalette::Text);
  if (m_duration <= 0) {
    p.setPen(text);
    p.drawText(rect(), Qt::AlignCenter, tr("No MSEL: the scenario has not loaded"));
    return;
  }
  // move bands, alternating shades, titled in the header
  for (int i = 0; i < m_moves.size(); ++i) {
    const MoveBand& b = m_moves[i];
    p.fillRect(b.rect, i % 2 ? QColor(0xe8, 0xee, 0xf6) : QColor(0xf4, 0xf7, 0xfb));
    p.setPen(QColor(0x90, 0xa4, 0xbe));
    p.drawLine(b.rect.topLeft(), b.rect.bottomLeft());
    p.setPen(text);
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    const QRectF title(b.rect.left() + 4, 2, b.rect.width() - 8, 18);
    p.drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(f).elidedText(b.move + "  " + b.title, Qt::ElideRight, int(title.width())));
  }
  p.setFont(font());
  // hour ticks under the move titles
  const double hours = m_duration / 3600;
  const int step = hours > 48 ? 12 : hours > 24 ? 6 : hours > 12 ? 2 : 1;
  p.setPen(QColor(0x60, 0x60, 0x60));
  for (int h = 0; h * 3600.0 <= m_duration; h += step) {
    const double x = xOf(h * 3600.0);
    p.drawLine(QPointF(x, header_height - 6), QPointF(x, header_height));
    p.drawText(QRectF(x + 2, 20, 60, 16), Qt::AlignLeft | Qt::AlignVCenter, QString("%1h").arg(h));
  }
  // lanes
  for (int l = 0; l < m_lanes.size(); ++l) {
    const double y = header_height + l * lane_height;
    p.setPen(QColor(0xd0, 0xd6, 0xde));
    p.drawLine(QPointF(0, y), QPointF(width(), y));
    p.setPen(text);
    p.drawText(QRectF(6, y, label_width - 10, lane_height), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetrics(font()).elidedText(m_lanes[l], Qt::ElideRight, label_width - 10));
  }
  // injects: filled diamonds when timed, hollow when released by a trigger
  for (const InjectMark& m : m_marks) {
    const QPointF c = m.rect.center();
    QPolygonF diamond({c + QPointF(0, -6), c + QPointF(5, 0), c + QPointF(0, 6), c + QPointF(-5, 0)});
    const QColor ink(0x15, 0x65, 0xc0);
    p.setPen(QPen(ink, 1.5));
    p.setBrush(m.timed ? QBrush(ink) : QBrush(Qt::white));
    p.drawPolygon(diamond);
  }
}

} // namespace cyberex::gui
