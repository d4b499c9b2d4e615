/* Team activity at a glance (issue 18). */
#include "console/team_matrix.hpp"

#include "console/console_state.hpp"
#include "console/widgets.hpp"
#include "cyberex/exercise_state.hpp"
#include "state/record_json.hpp"
#include "state/step_series_model.hpp"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace cyberex::gui {

QString formatSpan(double seconds)
{
  seconds = std::max(0.0, seconds);
  if (seconds < 60)
    return QStringLiteral("%1s").arg(static_cast<int>(seconds));
  const int minutes = static_cast<int>(seconds / 60);
  if (minutes < 60)
    return QStringLiteral("%1m").arg(minutes);
  return QStringLiteral("%1h%2m").arg(minutes / 60).arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

void SentMessageIndex::update(const EventLogModel* log)
{
  // the log only grows; a new log, or one that was emptied (a new snapshot), is read again from its first row
  if (log != m_log || log->rowCount() < m_scanned) {
    m_log = log;
    m_scanned = 0;
    m_last.clear();
  }
  for (; m_scanned < log->rowCount(); ++m_scanned) {
    const QJsonObject& r = log->rowObject(m_scanned);
    if (!isRecord(r, RecordType::message))
      continue;
    const QString from = r.value("details").toObject().value("from").toString();
    if (!from.isEmpty())
      m_last[from] = std::max(m_last.value(from, -1), r.value("time").toDouble());
  }
}

namespace {

double lastTime(const QJsonArray& items)
{
  double t = -1;
  for (const auto& v : items)
    t = std::max(t, v.toObject().value("time").toDouble(-1));
  return t;
}

constexpr double due_soon = 15 * 60;
constexpr double hour = 3600;

} // namespace

QList<TeamGlance> teamGlances(ConsoleState* state, const SentMessageIndex& sent, double now)
{
  QList<TeamGlance> out;
  ExerciseStateModel* exercise = state->exercise();
  if (!exercise->scenario())
    return out;
  const ExerciseState& core = exercise->state();
  exercise->flushSeries();
  for (const QString& team : state->playerTeams()) {
    TeamGlance g;
    g.team = team;
    const QJsonObject view =
        QJsonDocument::fromJson(QByteArray::fromStdString(core.team_json(team.toStdString()))).object();
    // the inbox as the console's model has it: a server's records carry no audience, so the core's fold of them
    // cannot tell which teams an inject went to; the model reads its "to"
    double lastItem = -1;
    InboxModel* inbox = state->inbox();
    for (int r = 0; r < inbox->rowCount(); ++r) {
      const QJsonObject& i = inbox->rowObject(r);
      if (i.value("team").toString() != team)
        continue;
      lastItem = std::max(lastItem, i.value("time").toDouble(-1));
      if (i.value("kind").toString() == "inject" && !i.value("read").toBool())
        ++g.unreadInjects;
    }
    const QJsonArray alerts = view.value("alerts").toArray();
    for (const auto& v : alerts)
      if (v.toObject().value("time").toDouble() > now - hour)
        ++g.newAlerts;
    g.lastAction = lastTime(view.value("actions").toArray());
    g.lastReport = lastTime(view.value("sitreps").toArray());
    g.lastMessage = sent.lastSent(team);
    g.lastActive = std::max({lastItem, lastTime(alerts), g.lastAction, g.lastMessage});
    // the expectations as the console's model has them: the snapshot's, then every expectation record since
    ExpectationModel* expectations = state->expectations();
    for (int r = 0; r < expectations->rowCount(); ++r) {
      const QJsonObject& e = expectations->rowObject(r);
      if (e.value("team").toString() != team)
        continue;
      const QString status = e.value("status").toString();
      const double deadline = e.value("deadline").toDouble(-1);
      if (status == "missed" || (status == "pending" && deadline >= 0 && deadline <= now)) {
        ++g.overdue;
      } else if (status == "pending") {
        ++g.pending;
        if (deadline >= 0 && deadline - now <= due_soon)
          ++g.dueSoon;
      }
    }
    if (const StepSeriesModel* scores = exercise->teamScores(team)) {
      g.score = scores->valueAt(now);
      g.scoreHourAgo = scores->valueAt(std::max(0.0, now - hour));
    }
    out.append(g);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

namespace {

// Okabe-Ito's colour-blind-safe palette, lightened for backgrounds: sky blue (ok), orange (look), vermillion (act)
QColor background(TeamMatrix::Level level)
{
  switch (level) {
  case TeamMatrix::Level::ok:
    return QColor(0xd6, 0xea, 0xf8);
  case TeamMatrix::Level::warn:
    return QColor(0xf9, 0xe0, 0xa6);
  case TeamMatrix::Level::bad:
    return QColor(0xf2, 0xb8, 0x9a);
  }
  return {};
}

/// The text cue that says the same as the colour: nothing, "!" or "!!".
QString cue(TeamMatrix::Level level, const QString& text)
{
  switch (level) {
  case TeamMatrix::Level::ok:
    return text;
  case TeamMatrix::Level::warn:
    return QStringLiteral("! ") + text;
  case TeamMatrix::Level::bad:
    return QStringLiteral("!! ") + text;
  }
  return text;
}

QString ago(double now, double t)
{
  return t < 0 ? QObject::tr("never") : QObject::tr("%1 ago").arg(formatSpan(now - t));
}

} // namespace

TeamMatrix::TeamMatrix(ConsoleState* state, QWidget* parent) : QWidget(parent), m_state(state)
{
  setObjectName("teamMatrix");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  m_table = new QTableWidget(0, ColumnCount, this);
  m_table->setObjectName("teamMatrixTable");
  m_table->setAccessibleName(tr("Teams at a glance"));
  m_table->setAccessibleDescription(tr("One row per player team: unread injects, last action, last report, last "
                                       "message, expectations, alerts of the last hour and score trend. Cells that "
                                       "need a look start with !, cells that need action now with !!."));
  m_table->setHorizontalHeaderLabels({tr("Team"), tr("Unread injects"), tr("Last action"), tr("Last report"),
                                      tr("Last message"), tr("Expectations (pending / overdue)"),
                                      tr("Alerts (last hour)"), tr("Score trend (1 h)")});
  m_table->horizontalHeaderItem(Expectations)->setText(tr("Expect. pend./overdue"));
  m_table->horizontalHeaderItem(Expectations)->setToolTip(tr("Expectations pending / overdue (missed or past due)"));
  m_table->horizontalHeaderItem(NewAlerts)->setText(tr("Alerts 1h"));
  m_table->horizontalHeaderItem(NewAlerts)->setToolTip(tr("Alerts delivered to the team in the last hour"));
  m_table->horizontalHeaderItem(ScoreTrend)->setText(tr("Score 1h"));
  m_table->horizontalHeaderItem(ScoreTrend)->setToolTip(tr("Leaderboard total now and its change since an hour ago"));
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->verticalHeader()->hide();
  m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setToolTip(tr("Double-click a team to open the Teams tab on it"));
  layout->addWidget(m_table);

  connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
    if (row >= 0 && row < m_glances.size())
      emit teamActivated(m_glances.at(row).team);
  });
  refreshOnChanges(this, state, [this] { refresh(); });
  refresh();
}

void TeamMatrix::setCell(int row, Column column, const QString& text, Level level, const QString& tip)
{
  auto* item = m_table->item(row, column);
  if (!item) {
    item = new QTableWidgetItem;
    m_table->setItem(row, column, item);
  }
  item->setText(column == Team ? text : cue(level, text));
  item->setData(Qt::UserRole, static_cast<int>(level));
  item->setToolTip(tip);
  item->setForeground(QColor(Qt::black));
  if (column == Team)
    item->setBackground(QBrush());
  else
    item->setBackground(background(level));
  if (column != Team && column != LastAction && column != LastReport && column != LastMessage)
    item->setTextAlignment(Qt::AlignCenter);
}

QString TeamMatrix::cellText(int row, Column column) const
{
  const auto* item = m_table->item(row, column);
  return item ? item->text() : QString();
}

TeamMatrix::Level TeamMatrix::cellLevel(int row, Column column) const
{
  const auto* item = m_table->item(row, column);
  return item ? static_cast<Level>(item->data(Qt::UserRole).toInt()) : Level::ok;
}

void TeamMatrix::refresh()
{
  m_sent.update(m_state->eventLog());
  const double now = m_state->clock().time;
  m_glances = teamGlances(m_state, m_sent, now);
  m_table->setRowCount(static_cast<int>(m_glances.size()));
  for (int r = 0; r < m_glances.size(); ++r) {
    const TeamGlance& g = m_glances.at(r);
    setCell(r, Team, g.team, Level::ok, tr("Double-click: the Teams tab on %1").arg(g.team));
    setCell(r, Unread, QString::number(g.unreadInjects),
            g.unreadInjects == 0 ? Level::ok : (g.unreadInjects < 3 ? Level::warn : Level::bad),
            tr("Injects in the team's inbox it has not read"));
    // a team that has not acted for the idle threshold needs a look, for twice that it needs a call
    const double quiet = now - std::max(0.0, g.lastAction);
    setCell(r, LastAction, ago(now, g.lastAction),
            quiet > 2 * m_idle ? Level::bad : (quiet > m_idle ? Level::warn : Level::ok),
            g.lastAction < 0 ? tr("No action yet") : tr("Last action at %1").arg(formatSimTime(g.lastAction)));
    const double silent = now - std::max(0.0, g.lastReport);
    setCell(r, LastReport, ago(now, g.lastReport), silent > 2 * m_idle ? Level::warn : Level::ok,
            g.lastReport < 0 ? tr("No situation report yet")
                             : tr("Last situation report at %1").arg(formatSimTime(g.lastReport)));
    setCell(r, LastMessage, ago(now, g.lastMessage), Level::ok,
            g.lastMessage < 0 ? tr("No message sent yet")
                              : tr("Last message sent at %1").arg(formatSimTime(g.lastMessage)));
    setCell(r, Expectations, QStringLiteral("%1 / %2").arg(g.pending).arg(g.overdue),
            g.overdue > 0 ? Level::bad : (g.dueSoon > 0 ? Level::warn : Level::ok),
            tr("%1 pending (%2 due within 15 minutes), %3 overdue (missed or past their deadline)")
                .arg(g.pending)
                .arg(g.dueSoon)
                .arg(g.overdue));
    setCell(r, NewAlerts, QString::number(g.newAlerts),
            g.newAlerts == 0 ? Level::ok : (g.newAlerts < 5 ? Level::warn : Level::bad),
            tr("Alerts delivered to the team in the last hour"));
    const double delta = std::round((g.score - g.scoreHourAgo) * 10) / 10;
    const QString arrow =
        delta > 0 ? QStringLiteral("▲ +") : (delta < 0 ? QStringLiteral("▼ −") : QStringLiteral("= "));
    setCell(r, ScoreTrend, QStringLiteral("%1 %2%3").arg(g.score, 0, 'f', 1).arg(arrow).arg(std::abs(delta), 0, 'f', 1),
            delta < 0 ? Level::warn : Level::ok,
            tr("Leaderboard total %1 now, %2 an hour ago").arg(g.score, 0, 'f', 1).arg(g.scoreHourAgo, 0, 'f', 1));
  }
}

} // namespace cyberex::gui
