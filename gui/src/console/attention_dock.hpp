/* The Attention dock (issue 18): what needs the controller now, recomputed from the console's state whenever a record
 * is applied or the clock moves: expectations due within 15 minutes or overdue (with a countdown), injects due within
 * 15 minutes, situation reports, assessments and messages not seen yet, refused actions and idle teams. Activating an
 * item jumps to its place; items clear when resolved. ControllerWindow::setUpAttention() builds it with the team
 * matrix and the window's layout (fits 1280x800, clamped geometry, reset layout, font scale, shortcuts). */
#pragma once

#include <QSet>
#include <QString>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace cyberex::gui {

class ConsoleState;
class ExpectationModel;
class MselModel;

/// One thing that needs the controller.
struct AttentionItem {
  enum class Kind { overdue, dueSoon, injectDue, refused, report, message, idle };
  Kind kind = Kind::report;
  QString key;         ///< stable identity: "expectation:ID/TEAM", "inject:ID", "record:SEQ", "idle:TEAM"
  QString text;        ///< one line, as the list shows it
  QString team;        ///< the team it concerns, if one
  QString inject;      ///< the MSEL row it belongs to, if any
  QString expectation; ///< an expectation's id
  double seq = -1;     ///< the event log row (a record's seq), if any
  double when = 0;     ///< for the order within a kind: deadline, due time, arrival
};

/// What needs the controller at NOW. SEEN: records (by seq) the controller has looked at; ACKNOWLEDGED: missed
/// expectations ("ID/TEAM") the controller has looked at; IDLE: the quiet time that makes a team idle.
struct AttentionInput {
  double now = 0;
  double idle = 3600;
  const QSet<qint64>* seen = nullptr;
  const QSet<QString>* acknowledged = nullptr;
};
QList<AttentionItem> attentionItems(ConsoleState* state, const AttentionInput& input);

/// The dock's content: the list, "Mark all seen", and a line saying how many items there are.
class AttentionList : public QWidget {
  Q_OBJECT
public:
  explicit AttentionList(ConsoleState* state, QWidget* parent = nullptr);

  /// Recompute now (it also recomputes on its own, at most 4 times a second, when a record comes or the clock moves).
  void refresh();
  const QList<AttentionItem>& items() const { return m_items; }
  QListWidget* list() const { return m_list; }
  /// The text of item ROW as the list shows it; the row of the item with KEY, or -1.
  QString itemText(int row) const;
  int rowOf(const QString& key) const;
  /// Mark the item seen (a report, message or refused action) or acknowledged (a missed expectation), then jump to
  /// its place (activated); what is resolved leaves the list.
  void activate(int row);
  void markAllSeen();
  void setIdleThreshold(double seconds);
  double idleThreshold() const { return m_idle; }
  /// Beep when a new item becomes overdue (off by default).
  void setSoundEnabled(bool on) { m_sound = on; }

signals:
  void activated(const cyberex::gui::AttentionItem& item);

private:
  bool isMissed(const AttentionItem& item) const;

  ConsoleState* m_state;
  QListWidget* m_list;
  QLabel* m_summary;
  QPushButton* m_markSeen;
  QList<AttentionItem> m_items;
  QSet<qint64> m_seen;
  QSet<QString> m_acknowledged;
  QSet<QString> m_overdue; ///< overdue keys of the last refresh (a new one beeps)
  double m_idle = 3600;
  bool m_sound = false;
};

} // namespace cyberex::gui
