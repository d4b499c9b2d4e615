/* The grid view: a one-line diagram of each networked grid of a scenario, drawn from the core's
 * ExerciseState::grid_flows() (the DC solve the fold re-does from the records; the view folds nothing). Buses are
 * short thick bars coloured by island (hollow when de-energised), branches lines coloured by loading (dashed grey
 * when open or tripped) with the flow's MW and direction, generators and loads small glyphs with their MW. Ground
 * truth only: a player team's view shows no grid flows. */
#pragma once

#include "state/exercise_state_model.hpp"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>

class QGraphicsItem;

namespace cyberex::gui {

class GridView : public QWidget {
  Q_OBJECT
public:
  explicit GridView(QWidget* parent = nullptr);
  ~GridView() override;

  /// Draw MODEL's networked grids (null: nothing); redrawn after each state change. The model must outlive the view
  /// or be destroyed with it.
  void setModel(ExerciseStateModel* model);
  ExerciseStateModel* model() const;

  /// Ground truth (empty) or a player team's view, which shows no flows (the scenario gives no team the grid's flows).
  void setTeamView(const QString& team);
  QString teamView() const;

  QStringList grids() const; ///< networked grid ids, in scenario order (the combo's entries)
  QString grid() const;      ///< the grid drawn ("" when none)
  void setGrid(const QString& gridId);
  void refresh(); ///< redraw now (a state change redraws within 50 ms)
  void fitAll();  ///< the whole diagram in view

  int islandCount() const; ///< islands of the grid drawn
  /// The drawn line of a branch (null if none): its pen's colour, width and style are those of the legend.
  const QGraphicsItem* branchItem(const QString& branchId) const;
  /// The drawn bar of a bus (null if none): its brush is its island's colour, or none when de-energised.
  const QGraphicsItem* busItem(const QString& busId) const;
  QString legendText() const; ///< the legend and summary under the diagram, as plain text

  /// The legend's colours: loading below 70 %, 70-100 %, above 100 %; open or tripped; island k (0-based).
  static QColor loadingColor(double loadingPct);
  static QColor openColor();
  static QColor islandColor(int island);

protected:
  void resizeEvent(QResizeEvent* event) override;
  void showEvent(QShowEvent* event) override;

private:
  void rebuild();
  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
