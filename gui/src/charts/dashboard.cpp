#include "charts/dashboard.hpp"

#include "cyberex/model.hpp"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

// ---------------------------------------------------------------------------------------------------------------
// KpiSeries

namespace {

double initialValue(Kpi kpi)
{
  return kpi == Kpi::availability ? 100.0 : 0.0;
}

double sumOf(const QMap<QString, double>& m)
{
  double total = 0;
  for (double v : m) // QMap: sorted keys, so the sum is always taken in the same order
    total += v;
  return total;
}

/// The value of a step series at `time`: the last point at or before it.
double valueAt(const QList<QPointF>& points, double time)
{
  double v = points.isEmpty() ? 0 : points.front().y();
  for (const QPointF& p : points) {
    if (p.x() > time)
      break;
    v = p.y();
  }
  return v;
}

} // namespace

void KpiSeries::setServices(const QStringList& serviceIds)
{
  m_services = serviceIds;
  m_services.sort();
  clear();
}

void KpiSeries::clear()
{
  m_serviceUp.clear();
  for (const QString& s : m_services)
    m_serviceUp.insert(s, 1.0);
  m_compromised.clear();
  m_exfiltrated.clear();
  m_lostMw.clear();
  m_scores.clear();
  for (int k = 0; k < KPI_COUNT; ++k)
    m_points[static_cast<std::size_t>(k)] = {QPointF(0, initialValue(static_cast<Kpi>(k)))};
  m_lastTime = 0;
}

const QList<QPointF>& KpiSeries::points(Kpi kpi) const
{
  return m_points[static_cast<std::size_t>(kpi)];
}

double KpiSeries::value(Kpi kpi) const
{
  const auto& p = points(kpi);
  return p.isEmpty() ? initialValue(kpi) : p.back().y();
}

QStringList KpiSeries::teams() const
{
  return m_scores.keys();
}

QList<QPointF> KpiSeries::teamPoints(const QString& team) const
{
  return m_scores.value(team);
}

double KpiSeries::lastTime() const
{
  return m_lastTime;
}

void KpiSeries::set(Kpi kpi, double time, double value)
{
  auto& pts = m_points[static_cast<std::size_t>(kpi)];
  if (pts.isEmpty())
    pts.append(QPointF(0, initialValue(kpi)));
  if (pts.back().y() == value)
    return;
  if (pts.back().x() == time) {
    pts.back().setY(value);
    return;
  }
  pts.append(QPointF(time, pts.back().y()));
  pts.append(QPointF(time, value));
}

bool KpiSeries::apply(const QJsonObject& record)
{
  if (m_points[0].isEmpty())
    clear();
  const double time = record.value(QLatin1String("time")).toDouble();
  m_lastTime = std::max(m_lastTime, time);
  const QString type = record.value(QLatin1String("type")).toString();
  const QString subject = record.value(QLatin1String("subject")).toString();
  const QJsonObject details = record.value(QLatin1String("details")).toObject();
  const QString id = subject.section(QLatin1Char(':'), 1);
  const std::array<QList<QPointF>, KPI_COUNT> before = m_points;
  const auto scoresBefore = m_scores;

  if (type == QLatin1String("service_status")) {
    if (!m_services.isEmpty() && !m_serviceUp.contains(id))
      return false;
    const QString status = details.value(QLatin1String("status")).toString();
    m_serviceUp.insert(id, status == QLatin1String("up") ? 1.0 : status == QLatin1String("degraded") ? 0.5 : 0.0);
    set(Kpi::availability, time, m_serviceUp.isEmpty() ? 100.0 : 100.0 * sumOf(m_serviceUp) / m_serviceUp.size());
  } else if (type == QLatin1String("node_compromised")) {
    m_compromised[id].insert(details.value(QLatin1String("campaign")).toString(), 1);
    set(Kpi::compromised, time, m_compromised.size());
  } else if (type == QLatin1String("foothold_lost")) {
    auto it = m_compromised.find(id);
    if (it != m_compromised.end()) {
      it->remove(details.value(QLatin1String("campaign")).toString());
      if (it->isEmpty())
        m_compromised.erase(it);
    }
    set(Kpi::compromised, time, m_compromised.size());
  } else if (type == QLatin1String("node_restored")) {
    m_compromised.remove(id);
    set(Kpi::compromised, time, m_compromised.size());
  } else if (type == QLatin1String("exfiltration_progress") || type == QLatin1String("exfiltration_ended")) {
    const QJsonValue total = details.value(QLatin1String("campaign_total"));
    if (!total.isDouble())
      return false;
    m_exfiltrated.insert(details.value(QLatin1String("campaign")).toString(), total.toDouble());
    set(Kpi::exfiltrated, time, sumOf(m_exfiltrated) / 1e6);
  } else if (type == QLatin1String("grid_balance")) {
    m_lostMw.insert(id, details.value(QLatin1String("lost_mw")).toDouble());
    set(Kpi::mwLost, time, sumOf(m_lostMw));
  } else if (type == QLatin1String("leaderboard")) {
    for (const QJsonValue& v : details.value(QLatin1String("teams")).toArray()) {
      const QJsonObject t = v.toObject();
      auto& pts = m_scores[t.value(QLatin1String("team")).toString()];
      const QPointF p(time, t.value(QLatin1String("total")).toDouble());
      if (!pts.isEmpty() && pts.back().x() == time)
        pts.back() = p;
      else
        pts.append(p);
    }
  } else {
    return false;
  }
  return before != m_points || scoresBefore != m_scores;
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboard

namespace {

struct Chart {
  QChart* chart = nullptr;
  QChartView* view = nullptr;
  QValueAxis* x = nullptr;
  QValueAxis* y = nullptr;
  QLineSeries* cursor = nullptr;
  QString title;
  QString unit;
};

const char* const KPI_TITLES[KPI_COUNT] = {"Availability", "Compromised nodes", "Data exfiltrated", "Load lost"};
const char* const KPI_UNITS[KPI_COUNT] = {"%", "", "MB", "MW"};
const QColor KPI_COLORS[KPI_COUNT] = {QColor(0x2e, 0x7d, 0x32), QColor(0xc6, 0x28, 0x28), QColor(0x6a, 0x1b, 0x9a),
                                      QColor(0xef, 0x6c, 0x00)};
const QColor TEAM_COLORS[] = {QColor(0x1e, 0x63, 0xd6), QColor(0xe5, 0x39, 0x35), QColor(0x2e, 0x7d, 0x32),
                              QColor(0x8e, 0x24, 0xaa), QColor(0xef, 0x6c, 0x00), QColor(0x00, 0x83, 0x8f),
                              QColor(0x6d, 0x4c, 0x41), QColor(0x54, 0x6e, 0x7a)};

QString formatValue(double v, const QString& unit)
{
  const QString number = std::abs(v - std::round(v)) < 1e-9 ? QString::number(v, 'f', 0) : QString::number(v, 'f', 1);
  return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

} // namespace

struct Dashboard::Impl {
  KpiSeries series;
  std::array<Chart, KPI_COUNT> kpi;
  std::array<QLineSeries*, KPI_COUNT> kpiSeries{};
  Chart scores;
  QMap<QString, QLineSeries*> teamSeries;
  double cursor = -1;
  double end = -1; // from setTimeRange; negative: the last record's time
  bool dirty = false;
  QTimer timer;

  double rangeEnd() const { return std::max(end >= 0 ? end : series.lastTime(), 3600.0); }

  Chart makeChart(const QString& title, const QString& unit)
  {
    Chart c;
    c.title = title;
    c.unit = unit;
    c.chart = new QChart();
    c.chart->setTitle(title);
    c.chart->legend()->hide();
    c.chart->setMargins(QMargins(4, 4, 4, 4));
    c.chart->setBackgroundRoundness(2);
    c.x = new QValueAxis();
    c.x->setLabelFormat("%.0f h");
    c.x->setTitleText(QString());
    c.y = new QValueAxis();
    c.y->setLabelFormat("%g");
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    c.cursor = new QLineSeries();
    c.cursor->setPen(QPen(QColor(0x00, 0x97, 0xa7), 1.5, Qt::DashLine));
    c.chart->addSeries(c.cursor);
    c.cursor->attachAxis(c.x);
    c.cursor->attachAxis(c.y);
    c.view = new QChartView(c.chart);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setMinimumSize(240, 170);
    return c;
  }

  QList<QPointF> drawn(Kpi k) const
  {
    QList<QPointF> pts = series.points(k);
    const double e = rangeEnd();
    if (!pts.isEmpty() && pts.back().x() < e)
      pts.append(QPointF(e, pts.back().y()));
    return pts;
  }

  static QList<QPointF> hours(const QList<QPointF>& pts)
  {
    QList<QPointF> out;
    out.reserve(pts.size());
    for (const QPointF& p : pts)
      out.append(QPointF(p.x() / 3600.0, p.y()));
    return out;
  }

  static double niceMax(double v)
  {
    if (v <= 0)
      return 1;
    const double mag = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
      if (v <= m * mag)
        return m * mag;
    return 10 * mag;
  }

  void updateCursor(Chart& c, double hoursEnd)
  {
    c.x->setRange(0, hoursEnd);
    // ticks on whole hours, doubled until the labels ("10 h": about 48 px) fit the chart's width
    const int room = std::max(2, c.view->width() / 48);
    double step = 1;
    while (hoursEnd / step > room - 1)
      step *= 2;
    c.x->setTickType(QValueAxis::TicksDynamic);
    c.x->setTickAnchor(0);
    c.x->setTickInterval(step);
    if (cursor < 0) {
      c.cursor->clear();
      return;
    }
    c.cursor->replace(QList<QPointF>{QPointF(cursor / 3600.0, c.y->min()), QPointF(cursor / 3600.0, c.y->max())});
  }

  void redraw()
  {
    dirty = false;
    const double hoursEnd = std::ceil(rangeEnd() / 3600.0 - 1e-9);
    for (int k = 0; k < KPI_COUNT; ++k) {
      const Kpi kk = static_cast<Kpi>(k);
      Chart& c = kpi[static_cast<std::size_t>(k)];
      const QList<QPointF> pts = drawn(kk);
      kpiSeries[static_cast<std::size_t>(k)]->replace(hours(pts));
      double maxY = 0;
      for (const QPointF& p : pts)
        maxY = std::max(maxY, p.y());
      c.y->setRange(0, kk == Kpi::availability ? 100.0 : niceMax(maxY * 1.05));
      const double now = cursor >= 0 ? valueAt(series.points(kk), cursor) : series.value(kk);
      c.chart->setTitle(QStringLiteral("%1: <b>%2</b>").arg(c.title, formatValue(now, c.unit)));
      updateCursor(c, hoursEnd);
    }
    for (const QString& team : series.teams()) {
      QLineSeries*& s = teamSeries[team];
      if (!s) {
        s = new QLineSeries();
        s->setName(team);
        const auto n = static_cast<std::size_t>(teamSeries.size() - 1) % std::size(TEAM_COLORS);
        s->setPen(QPen(TEAM_COLORS[n], 2));
        scores.chart->addSeries(s);
        s->attachAxis(scores.x);
        s->attachAxis(scores.y);
        scores.chart->legend()->show();
        for (QLegendMarker* m : scores.chart->legend()->markers(scores.cursor))
          m->setVisible(false);
      }
      s->replace(hours(series.teamPoints(team)));
    }
    for (auto it = teamSeries.begin(); it != teamSeries.end(); ++it)
      if (!series.teams().contains(it.key()))
        it.value()->clear();
    updateCursor(scores, hoursEnd);
  }
};

Dashboard::Dashboard(QWidget* parent) : QWidget(parent), m_d(std::make_unique<Impl>())
{
  Impl& d = *m_d;
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(2, 2, 2, 2);
  grid->setSpacing(2);
  for (int k = 0; k < KPI_COUNT; ++k) {
    Chart c = d.makeChart(tr(KPI_TITLES[k]), QString::fromLatin1(KPI_UNITS[k]));
    auto* s = new QLineSeries();
    s->setPen(QPen(KPI_COLORS[k], 2));
    c.chart->addSeries(s);
    s->attachAxis(c.x);
    s->attachAxis(c.y);
    d.kpiSeries[static_cast<std::size_t>(k)] = s;
    d.kpi[static_cast<std::size_t>(k)] = c;
  }
  d.scores = d.makeChart(tr("Team scores"), QString());
  d.scores.chart->setTitle(tr("Team scores (leaderboard total)"));
  d.scores.y->setRange(0, 100);
  d.scores.chart->legend()->setAlignment(Qt::AlignRight);
  grid->addWidget(d.kpi[0].view, 0, 0);
  grid->addWidget(d.kpi[1].view, 0, 1);
  grid->addWidget(d.kpi[2].view, 0, 2);
  grid->addWidget(d.kpi[3].view, 1, 0);
  grid->addWidget(d.scores.view, 1, 1, 1, 2);
  d.timer.setSingleShot(true);
  d.timer.setInterval(100);
  connect(&d.timer, &QTimer::timeout, this, [this] { m_d->redraw(); });
  d.series.clear();
  d.redraw();
}

Dashboard::~Dashboard() = default;

void Dashboard::setScenario(const Scenario& scenario)
{
  QStringList ids;
  for (const Service& s : scenario.services)
    ids.append(QString::fromStdString(s.id));
  m_d->series.setServices(ids);
  reset();
}

void Dashboard::applyRecord(const QJsonObject& record)
{
  if (m_d->series.apply(record) && !m_d->timer.isActive())
    m_d->timer.start();
}

void Dashboard::applyRecord(const QByteArray& json)
{
  const QJsonDocument doc = QJsonDocument::fromJson(json);
  if (doc.isObject())
    applyRecord(doc.object());
}

void Dashboard::setRecords(const QList<QJsonObject>& records)
{
  m_d->series.clear();
  for (const QJsonObject& r : records)
    m_d->series.apply(r);
  flush();
}

void Dashboard::reset()
{
  m_d->series.clear();
  for (QLineSeries* s : m_d->teamSeries)
    s->clear();
  flush();
}

void Dashboard::setTimeRange(double end)
{
  m_d->end = end;
  flush();
}

void Dashboard::setCursorTime(double time)
{
  m_d->cursor = time;
  flush();
}

double Dashboard::cursorTime() const
{
  return m_d->cursor;
}

const KpiSeries& Dashboard::series() const
{
  return m_d->series;
}

QList<QPointF> Dashboard::drawnPoints(Kpi kpi) const
{
  return m_d->drawn(kpi);
}

void Dashboard::flush()
{
  m_d->timer.stop();
  m_d->redraw();
}

} // namespace cyberex::gui
