/* Team activity at a glance (issue 18): one row per player team with what the controller checks by clicking through
 * the Teams tab: unread injects, its last action, report and message, its pending and overdue expectations, its
 * alerts of the last hour and its score trend. The facts come from the core's state (ExerciseState's team view: its
 * alerts, actions and situation reports; the leaderboard series) and the console's inbox and expectation models (the
 * snapshot's, then every record); the widget colours them with a colour-blind-safe traffic light and a text cue. */
#pragma once

#include <QHash>
#include <QStringList>
#include <QWidget>

class QTableWidget;

namespace cyberex::gui {

class ConsoleState;
class EventLogModel;

/// A simulated time "ago" or "in": "45s", "12m", "1h05m" (whole minutes from a minute on; no sign).
QString formatSpan(double seconds);

/// The last message each team sent, read from the event log's `message` records (the core's team view holds the
/// messages a team received, not those it sent). Reads only the rows added since the last update.
class SentMessageIndex {
public:
  void update(const EventLogModel* log);
  /// Time of TEAM's last message, or -1.
  double lastSent(const QString& team) const { return m_last.value(team, -1); }

private:
  const EventLogModel* m_log = nullptr;
  int m_scanned = 0;
  QHash<QString, double> m_last;
};

/// One row of the matrix: the facts (times are simulated seconds, -1 for never).
struct TeamGlance {
  QString team;
  int unreadInjects = 0;   ///< injects in its inbox it has not read
  double lastAction = -1;  ///< its last action (action_started)
  double lastReport = -1;  ///< its last situation report
  double lastMessage = -1; ///< the last message it sent
  double lastActive = -1;  ///< its last inject, message (in or out), alert or action: what "idle" counts from
  int pending = 0;         ///< activated expectations not decided, deadline ahead
  int dueSoon = 0;         ///< of those, due within 15 minutes
  int overdue = 0;         ///< missed, or still pending after their deadline
  int newAlerts = 0;       ///< alerts delivered in the last hour
  double score = 0;        ///< leaderboard total now
  double scoreHourAgo = 0; ///< and one hour ago
};

/// Every player team's facts at NOW (the clock): from STATE's core state, inbox and expectation models and score
/// series.
QList<TeamGlance> teamGlances(ConsoleState* state, const SentMessageIndex& sent, double now);

/// The matrix widget: rows = player teams, columns = the facts; double-click a row: teamActivated.
class TeamMatrix : public QWidget {
  Q_OBJECT
public:
  enum Column { Team, Unread, LastAction, LastReport, LastMessage, Expectations, NewAlerts, ScoreTrend, ColumnCount };
  /// How a cell reads: ok, needs a look, needs action now (colour and a leading text cue "!" / "!!").
  enum class Level { ok, warn, bad };

  explicit TeamMatrix(ConsoleState* state, QWidget* parent = nullptr);

  /// A team counts as idle after this long without an inject, alert, message or action (default 1 h).
  void setIdleThreshold(double seconds) { m_idle = seconds; }
  double idleThreshold() const { return m_idle; }
  /// Recompute now (it also recomputes on its own, at most 4 times a second, when a record comes or the clock moves).
  void refresh();
  const QList<TeamGlance>& glances() const { return m_glances; }
  const SentMessageIndex& sentMessages() const { return m_sent; }
  QTableWidget* table() const { return m_table; }
  /// The cell's text (as shown, with its cue) and level, for tests.
  QString cellText(int row, Column column) const;
  Level cellLevel(int row, Column column) const;

signals:
  void teamActivated(const QString& team);

private:
  void setCell(int row, Column column, const QString& text, Level level, const QString& tip);

  ConsoleState* m_state;
  QTableWidget* m_table;
  SentMessageIndex m_sent;
  QList<TeamGlance> m_glances;
  double m_idle = 3600;
};

} // namespace cyberex::gui
