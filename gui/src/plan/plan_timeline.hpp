/* The MSEL of a scenario being written, as a timeline (planning mode, issue 19): a band per move, a lane per player
 * team (and one for injects to no player team), each inject a mark at its time on the lane of every team it goes to.
 * Drawn from the loaded Scenario: no drill, no status, no clock. */
#pragma once

#include <QList>
#include <QRectF>
#include <QStringList>
#include <QWidget>

namespace cyberex {
struct Scenario;
}

namespace cyberex::gui {

class PlanTimeline : public QWidget {
  Q_OBJECT
public:
  /// One inject drawn on one lane (an inject to three teams is drawn three times).
  struct InjectMark {
    QString inject;
    QString lane; ///< the team, or "control" for injects to no player team
    QString title;
    QString move;
    double time = 0;   ///< seconds from the start: its time, or for a triggered inject the earliest it can come
    bool timed = true; ///< false: released by a trigger (drawn hollow at the earliest time it can come)
    QRectF rect;       ///< in widget coordinates, after the last layout
  };
  struct MoveBand {
    QString move;
    QString title;
    double from = 0;
    double to = 0;
    QRectF rect;
  };

  explicit PlanTimeline(QWidget* parent = nullptr);

  /// Draw SCENARIO's moves and MSEL (null: nothing). The scenario is read here, not kept.
  void setScenario(const Scenario* scenario);

  QStringList lanes() const { return m_lanes; }
  const QList<InjectMark>& injectMarks() const { return m_marks; }
  const QList<MoveBand>& moveBands() const { return m_moves; }
  QString injectAt(const QPointF& p) const; ///< the inject under widget point P, or empty
  double xOf(double t) const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

  static constexpr int label_width = 120;
  static constexpr int header_height = 38;
  static constexpr int lane_height = 20;

signals:
  void injectClicked(const QString& inject);

protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;

private:
  void layoutItems();

  QStringList m_lanes;
  QList<InjectMark> m_marks;
  QList<MoveBand> m_moves;
  double m_duration = 0;
};

} // namespace cyberex::gui
