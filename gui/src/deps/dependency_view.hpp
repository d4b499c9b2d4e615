/* The cross-sector dependency view (issue 19): the scenario's dependency graph laid out by sector, nodes coloured by
 * the live state of an ExerciseStateModel, backups as draining bars, the cascade path highlighted. */
#pragma once

#include "state/exercise_state_model.hpp"

#include <QString>
#include <QWidget>

namespace cyberex::gui {

class DependencyView : public QWidget {
  Q_OBJECT
public:
  explicit DependencyView(QWidget* parent = nullptr);
  ~DependencyView() override;

  /// Draw MODEL's scenario's dependency graph in MODEL's state (null: nothing). The model must outlive the view.
  void setModel(ExerciseStateModel* model);

signals:
  /// A node ("node:id", "service:id" or "grid:id" as the scenario writes it) was clicked.
  void itemSelected(const QString& ref);
  /// The scenario node behind the clicked item (a service's host), for the map and the event log.
  void nodeSelected(const QString& nodeId);
};

} // namespace cyberex::gui
