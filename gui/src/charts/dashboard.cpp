#include "charts/dashboard.hpp"

#include "state/step_series_model.hpp"

#include "cyberex/model.hpp"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMap>
#include <QPen>
#include <QPointer>
#include <QVXYModelMapper>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

namespace cyberex::gui {

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

/// A line bound to a series model: x the hours column, y the value.
struct Line {
  QLineSeries* series = nullptr;
  QVXYModelMapper* mapper = nullptr;
};

/// One chart per KPI up to the load lost; the MW shed (networked grids) is a second, dashed line on the load-lost
/// chart, and the overloaded branches are counted in that chart's title.
constexpr int CHART_COUNT = 4;
const char* const KPI_TITLES[KPI_COUNT] = {"Availability", "Compromised nodes", "Data exfiltrated",
                                           "Load lost",    "MW shed",           "Overloaded branches"};
const char* const KPI_UNITS[KPI_COUNT] = {"%", "", "MB", "MW", "MW", ""};
const QColor KPI_COLORS[KPI_COUNT] = {QColor(0x2e, 0x7d, 0x32), QColor(0xc6, 0x28, 0x28), QColor(0x6a, 0x1b, 0x9a),
                                      QColor(0xef, 0x6c, 0x00), QColor(0x8d, 0x6e, 0x63), QColor(0xb7, 0x1c, 0x1c)};
const QColor TEAM_COLORS[] = {QColor(0x1e, 0x63, 0xd6), QColor(0xe5, 0x39, 0x35), QColor(0x2e, 0x7d, 0x32),
                              QColor(0x8e, 0x24, 0xaa), QColor(0xef, 0x6c, 0x00), QColor(0x00, 0x83, 0x8f),
                              QColor(0x6d, 0x4c, 0x41), QColor(0x54, 0x6e, 0x7a)};

QString formatValue(double v, const QString& unit)
{
  const QString number = std::abs(v - std::round(v)) < 1e-9 ? QString::number(v, 'f', 0) : QString::number(v, 'f', 1);
  return unit.isEmpty() ? number : number + QLatin1Char(' ') + unit;
}

double niceMax(double v)
{
  if (v <= 0)
    return 1;
  const double mag = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (v <= m * mag)
      return m * mag;
  return 10 * mag;
}

Line bindLine(QChart* chart, const Chart& axes, const QPen& pen, QObject* owner)
{
  Line l;
  l.series = new QLineSeries();
  l.series->setPen(pen);
  chart->addSeries(l.series);
  l.series->attachAxis(axes.x);
  l.series->attachAxis(axes.y);
  l.mapper = new QVXYModelMapper(owner);
  l.mapper->setXColumn(StepSeriesModel::HoursColumn);
  l.mapper->setYColumn(StepSeriesModel::ValueColumn);
  l.mapper->setSeries(l.series);
  return l;
}

} // namespace

struct Dashboard::Impl {
  QPointer<ExerciseStateModel> model;
  QPointer<ExerciseStateModel> overlay; // a what-if branch over the journal, dotted
  std::array<Line, CHART_COUNT> overlayLines{};
  std::array<Chart, CHART_COUNT> kpi;
  std::array<Line, KPI_COUNT> kpiLines{};
  Chart scores;
  QMap<QString, Line> teamLines;
  double cursor = -1;
  double end = -1;

  double rangeEnd() const { return std::max({end, model ? model->time() : 0.0, 3600.0}); }

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

  void updateAxes(Chart& c, double hoursEnd)
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

  /// One line per team the model scores, in the order they first appear; lines of teams it no longer has go.
  void syncTeams(QObject* owner)
  {
    const QStringList teams = model ? model->scoredTeams() : QStringList();
    for (auto it = teamLines.begin(); it != teamLines.end();) {
      if (teams.contains(it.key()) && it->mapper->model() == model->teamScores(it.key())) {
        ++it;
        continue;
      }
      scores.chart->removeSeries(it->series);
      delete it->series;
      delete it->mapper;
      it = teamLines.erase(it);
    }
    for (const QString& team : teams) {
      if (teamLines.contains(team))
        continue;
      const auto n = static_cast<std::size_t>(teamLines.size()) % std::size(TEAM_COLORS);
      Line l = bindLine(scores.chart, scores, QPen(TEAM_COLORS[n], 2), owner);
      l.series->setName(team);
      l.mapper->setModel(model->teamScores(team));
      teamLines.insert(team, l);
    }
    scores.chart->legend()->setVisible(!teamLines.isEmpty());
    for (QLegendMarker* m : scores.chart->legend()->markers(scores.cursor))
      m->setVisible(false);
  }

  void refresh()
  {
    const double hoursEnd = std::ceil(rangeEnd() / 3600.0 - 1e-9);
    auto series = [&](Kpi k) { return model ? model->series(k) : nullptr; };
    auto valueNow = [&](const StepSeriesModel* s) {
      return !s ? 0 : cursor >= 0 ? s->valueAt(cursor) : s->lastValue();
    };
    const StepSeriesModel* shed = series(Kpi::mwShed);
    const StepSeriesModel* overloaded = series(Kpi::overloaded);
    const bool networked = (shed && shed->rowCount() > 0) || (overloaded && overloaded->rowCount() > 0);
    for (int k = 0; k < CHART_COUNT; ++k) {
      Chart& c = kpi[static_cast<std::size_t>(k)];
      const StepSeriesModel* s = series(static_cast<Kpi>(k));
      double maxY = s ? s->maxValue() : 0;
      if (static_cast<Kpi>(k) == Kpi::mwLost && shed)
        maxY = std::max(maxY, shed->maxValue());
      const StepSeriesModel* branch = overlay ? overlay->series(static_cast<Kpi>(k)) : nullptr;
      if (branch)
        maxY = std::max(maxY, branch->maxValue());
      c.y->setRange(0, static_cast<Kpi>(k) == Kpi::availability ? 100.0 : niceMax(maxY * 1.05));
      QString title = QStringLiteral("%1: <b>%2</b>").arg(c.title, formatValue(valueNow(s), c.unit));
      if (branch)
        title += QStringLiteral(", what-if: <b>%1</b>").arg(formatValue(valueNow(branch), c.unit));
      if (static_cast<Kpi>(k) == Kpi::mwLost && networked) {
        const int over = static_cast<int>(std::lround(valueNow(overloaded)));
        title += QStringLiteral(" (shed %1, %2)")
                     .arg(formatValue(valueNow(shed), QStringLiteral("MW")),
                          over == 1 ? QStringLiteral("1 branch overloaded")
                                    : QStringLiteral("%1 branches overloaded").arg(over));
      }
      c.chart->setTitle(title);
      updateAxes(c, hoursEnd);
    }
    updateAxes(scores, hoursEnd);
  }
};

Dashboard::Dashboard(QWidget* parent) : QWidget(parent), m_d(std::make_unique<Impl>())
{
  Impl& d = *m_d;
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(2, 2, 2, 2);
  grid->setSpacing(2);
  for (int k = 0; k < CHART_COUNT; ++k) {
    Chart c = d.makeChart(tr(KPI_TITLES[k]), QString::fromLatin1(KPI_UNITS[k]));
    d.kpiLines[static_cast<std::size_t>(k)] = bindLine(c.chart, c, QPen(KPI_COLORS[k], 2), this);
    d.kpi[static_cast<std::size_t>(k)] = c;
  }
  for (int k = 0; k < CHART_COUNT; ++k) {
    Chart& c = d.kpi[static_cast<std::size_t>(k)];
    Line& l = d.overlayLines[static_cast<std::size_t>(k)];
    l = bindLine(c.chart, c, QPen(KPI_COLORS[k].darker(140), 2, Qt::DotLine), this);
    l.series->setName(tr("what-if"));
  }
  // the MW shed on the load-lost chart, dashed; the overloaded branches have no line of their own (the title)
  const Chart& lost = d.kpi[static_cast<std::size_t>(Kpi::mwLost)];
  const auto shed = static_cast<std::size_t>(Kpi::mwShed);
  d.kpiLines[shed] = bindLine(lost.chart, lost, QPen(KPI_COLORS[shed], 2, Qt::DashLine), this);
  const auto over = static_cast<std::size_t>(Kpi::overloaded);
  d.kpiLines[over] = Line{new QLineSeries(this), new QVXYModelMapper(this)};
  d.kpiLines[over].mapper->setXColumn(StepSeriesModel::HoursColumn);
  d.kpiLines[over].mapper->setYColumn(StepSeriesModel::ValueColumn);
  d.kpiLines[over].mapper->setSeries(d.kpiLines[over].series);
  d.scores = d.makeChart(tr("Team scores"), QString());
  d.scores.chart->setTitle(tr("Team scores (leaderboard total)"));
  d.scores.y->setRange(0, 100);
  d.scores.chart->legend()->setAlignment(Qt::AlignRight);
  grid->addWidget(d.kpi[0].view, 0, 0);
  grid->addWidget(d.kpi[1].view, 0, 1);
  grid->addWidget(d.kpi[2].view, 0, 2);
  grid->addWidget(d.kpi[3].view, 1, 0);
  grid->addWidget(d.scores.view, 1, 1, 1, 2);
  d.syncTeams(this);
  d.refresh();
}

Dashboard::~Dashboard() = default;

void Dashboard::setModel(ExerciseStateModel* model)
{
  Impl& d = *m_d;
  if (d.model == model)
    return;
  if (d.model)
    d.model->disconnect(this);
  d.model = model;
  for (int k = 0; k < KPI_COUNT; ++k) {
    const Line& l = d.kpiLines[static_cast<std::size_t>(k)];
    l.mapper->setModel(model ? model->series(static_cast<Kpi>(k)) : nullptr);
    if (!model)
      l.series->clear(); // a mapper without a model leaves its series as they were
  }
  // the exfiltration chart is named as the scenario names what is stolen (the report's label: exfiltrated_label())
  auto name_exfiltration = [this] {
    Impl& d = *m_d;
    const Scenario* sc = d.model ? d.model->scenario() : nullptr;
    QString title = sc ? QString::fromStdString(exfiltrated_label(*sc)) : tr(KPI_TITLES[int(Kpi::exfiltrated)]);
    title[0] = title[0].toUpper();
    d.kpi[static_cast<std::size_t>(Kpi::exfiltrated)].title = title;
    d.refresh();
  };
  name_exfiltration();
  if (model) {
    connect(model, &ExerciseStateModel::scenarioChanged, this, name_exfiltration);
    connect(model, &ExerciseStateModel::seriesChanged, this, [this] { m_d->refresh(); });
    connect(model, &ExerciseStateModel::scoredTeamsChanged, this, [this] { m_d->syncTeams(this); });
  }
  d.syncTeams(this);
  d.refresh();
}

ExerciseStateModel* Dashboard::model() const
{
  return m_d->model;
}

void Dashboard::setOverlayModel(ExerciseStateModel* model)
{
  Impl& d = *m_d;
  if (d.overlay)
    d.overlay->disconnect(this);
  d.overlay = model;
  for (int k = 0; k < CHART_COUNT; ++k) {
    const Line& l = d.overlayLines[static_cast<std::size_t>(k)];
    l.mapper->setModel(model ? model->series(static_cast<Kpi>(k)) : nullptr);
    if (!model)
      l.series->clear();
  }
  if (model)
    connect(model, &ExerciseStateModel::seriesChanged, this, [this] { m_d->refresh(); });
  d.refresh();
}

ExerciseStateModel* Dashboard::overlayModel() const
{
  return m_d->overlay;
}

QList<QPointF> Dashboard::drawnOverlayPoints(Kpi kpi) const
{
  const auto k = static_cast<std::size_t>(kpi);
  return k < CHART_COUNT ? m_d->overlayLines[k].series->points() : QList<QPointF>();
}

void Dashboard::setTimeRange(double end)
{
  m_d->end = end;
  m_d->refresh();
}

void Dashboard::setCursorTime(double time)
{
  m_d->cursor = time;
  m_d->refresh();
}

double Dashboard::cursorTime() const
{
  return m_d->cursor;
}

QList<QPointF> Dashboard::drawnPoints(Kpi kpi) const
{
  return m_d->kpiLines[static_cast<std::size_t>(kpi)].series->points();
}

QList<QPointF> Dashboard::drawnTeamPoints(const QString& team) const
{
  auto it = m_d->teamLines.constFind(team);
  return it == m_d->teamLines.constEnd() ? QList<QPointF>() : it->series->points();
}

QString Dashboard::title(Kpi kpi) const
{
  const auto k = static_cast<std::size_t>(kpi) < CHART_COUNT ? static_cast<std::size_t>(kpi)
                                                             : static_cast<std::size_t>(Kpi::mwLost);
  return m_d->kpi[k].chart->title();
}

void Dashboard::flush()
{
  if (m_d->model)
    m_d->model->flushSeries();
  m_d->refresh();
}

} // namespace cyberex::gui
