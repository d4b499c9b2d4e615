/* The dashboard: key performance indicators of an exercise over time, drawn with Qt Charts (kept in this folder: Qt
 * Charts is deprecated from Qt 6.10 in favour of Qt Graphs). It folds nothing: every line is bound with a
 * QVXYModelMapper to a series model of an ExerciseStateModel. */
#pragma once

#include "state/exercise_state_model.hpp"

#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <memory>

namespace cyberex::gui {

/// Five charts (availability, compromised nodes, data exfiltrated, MW lost, team scores) of a model's series, and a
/// vertical cursor line at a chosen time; the titles give the values at the cursor (or now, without one).
class Dashboard : public QWidget {
  Q_OBJECT
public:
  explicit Dashboard(QWidget* parent = nullptr);
  ~Dashboard() override;

  /// Draw MODEL's series (null: empty charts); the lines follow its series models as they change. The model must
  /// outlive the dashboard or be destroyed with it.
  void setModel(ExerciseStateModel* model);
  ExerciseStateModel* model() const;
  /// The x axes span [0, max(end, the model's time, 1 h)]; negative: the model's time.
  void setTimeRange(double end);

  /// A second run drawn over the first (the after-action player's what-if branch): a dotted line per KPI chart, its
  /// value at the cursor in the titles ("what-if: ..."). Null removes it. The model must outlive the dashboard or be
  /// destroyed with it.
  void setOverlayModel(ExerciseStateModel* model);
  ExerciseStateModel* overlayModel() const;
  QList<QPointF> drawnOverlayPoints(Kpi kpi) const; ///< the overlay's points of a KPI chart (x in hours)

  void setCursorTime(double time); ///< vertical line on every chart; negative hides it
  double cursorTime() const;

  /// What a chart draws, for tests and screenshots: the points of a KPI's line (x in hours), a team's line, the title.
  QList<QPointF> drawnPoints(Kpi kpi) const;
  QList<QPointF> drawnTeamPoints(const QString& team) const;
  QString title(Kpi kpi) const; ///< the chart's title; MW shed and overloaded branches are in the load-lost chart's
  void flush();                 ///< axes, titles and cursor now rather than at the model's next change

private:
  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
