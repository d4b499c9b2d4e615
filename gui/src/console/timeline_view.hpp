/* The MSEL timeline: a lane per player team under a band per move, the injects placed at their time and styled by
 * status, the expectation windows as bars on their team's lane, a "now" line at the clock (issue 18). It draws what
 * the console's MSEL and expectation models hold (filled from the server's MSEL and the records): it folds nothing. */
#pragma once

#include <QAbstractScrollArea>
#include <QRectF>
#include <QStringList>

namespace cyberex::gui {

class ConsoleState;

class TimelineView : public QAbstractScrollArea {
  Q_OBJECT
public:
  /// One inject drawn on one lane (an inject to three teams is drawn three times).
  struct InjectMark {
    QString inject;
    QString lane; ///< the team, or "control" for injects to no player team
    QString status;
    QString title;
    QString move;
    double time = -1;  ///< where it is drawn: delivered, else due; waiting on a trigger: at the clock
    bool timed = true; ///< false: waiting on a trigger (no time yet)
    QRectF rect;       ///< in viewport coordinates, after the last paint or layout
  };
  /// An activated expectation's window, from its activation to its deadline, on its team's lane.
  struct ExpectationBar {
    QString expectation;
    QString team;
    QString inject;
    QString status; ///< pending, met, missed, not_applicable
    double from = 0;
    double to = 0;
    QRectF rect;
  };

  explicit TimelineView(ConsoleState* state, QWidget* parent = nullptr);

  QStringList lanes() const { return m_lanes; }
  const QList<InjectMark>& injectMarks() const { return m_marks; }
  const QList<ExpectationBar>& expectationBars() const { return m_bars; }
  /// Pixels per simulated hour.
  double zoom() const { return m_pxPerSecond * 3600; }
  void setZoom(double pxPerHour);
  /// Zoom by FACTOR keeping simulated time ANCHOR where it is.
  void zoomBy(double factor, double anchor);
  /// Show the whole exercise in the width.
  void fitAll();
  double timeAt(double x) const;
  double xOf(double t) const;
  /// The inject under viewport point P, or empty.
  QString injectAt(const QPointF& p) const;
  /// The tooltip text at viewport point P (inject or expectation), or empty.
  QString toolTipAt(const QPointF& p) const;
  /// Rebuild the marks and bars from the models now (done on every change of them).
  void rebuild();

  static constexpr int label_width = 120;
  static constexpr int header_height = 42;

signals:
  void injectClicked(const QString& inject);
  void injectActivated(const QString& inject);

protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  bool viewportEvent(QEvent* event) override;
  void scrollContentsBy(int dx, int dy) override;

private:
  void layoutItems();
  void updateScrollBar();
  double span() const; ///< seconds shown: the exercise's duration, or up to the last item and the clock
  double laneHeight() const;

  ConsoleState* m_state;
  QStringList m_lanes;
  QList<InjectMark> m_marks;
  QList<ExpectationBar> m_bars;
  double m_pxPerSecond = 0; ///< 0: not set yet, fit on the first resize
  bool m_fitted = false;
};

} // namespace cyberex::gui
