/* The cross-sector dependency view (issue 19): the scenario's dependency graph laid out by sector, nodes coloured by
 * the live state of an ExerciseStateModel, backups as draining bars, the cascade path highlighted. */
#pragma once

#include "state/exercise_state_model.hpp"

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

namespace cyberex {
struct Scenario;
} // namespace cyberex

namespace cyberex::gui {

/// The scenario's dependency graph laid out once (computeDependencyLayout): every ref a dependency names is an item,
/// every dependency an edge provider -> dependent (the way a failure cascades). Items sit in columns by layer and in
/// horizontal bands by sector.
struct DependencyLayout {
  struct Item {
    QString ref;    ///< "service:id", "node:id" or "grid:id" as the scenario writes it
    QString name;   ///< the service's, node's or grid's name (its id when unnamed)
    QString sector; ///< the service's sector, else its node's site's, else the site's organisation's; grids: energy
    QString node;   ///< the scenario node behind it: the node itself, a service's host; empty for a grid
    int layer = 0;  ///< longest chain of providers below it: 0 for an item that needs nothing in the graph
    int band = 0;   ///< index into bands
    int slot = 0;   ///< position in its (band, layer) cell, top to bottom
  };
  struct Edge {
    int provider = 0, dependent = 0; ///< item indices
    int dependency = 0;              ///< index into Scenario::dependencies
    bool cycle = false;              ///< left out of the layering to break a cycle (drawn dashed)
  };
  std::vector<Item> items; ///< in order of first mention in the scenario's dependencies
  std::vector<Edge> edges; ///< one per dependency, in scenario order
  /// Sectors, top to bottom: by the lowest layer of their items, then their mean layer, then name.
  QStringList bands;
  QStringList brokenCycles; ///< ids of the dependencies left out of the layering, in scenario order
  int layers = 0;

  int indexOf(const QString& ref) const; ///< -1 if none
  /// The refs of the (band, layer) cell, top to bottom.
  QStringList cell(const QString& sector, int layer) const;
};

/// Lay SCENARIO's dependencies out with Boost.Graph: a depth-first search in item order drops the back edges (the
/// cycles, reported in brokenCycles), longest-path layering of the rest, then four barycentre sweeps within each
/// (band, layer) cell to reduce crossings. Deterministic: the same scenario gives the same layout.
DependencyLayout computeDependencyLayout(const Scenario& scenario);

/// The dependency graph widget. Wheel: zoom at the cursor; drag: pan; 0 or a double-click on the background: fit;
/// click on an item: select (signals itemSelected and nodeSelected); hover: a tooltip.
class DependencyView : public QWidget {
  Q_OBJECT
public:
  explicit DependencyView(QWidget* parent = nullptr);
  ~DependencyView() override;

  /// Draw MODEL's scenario's dependency graph in MODEL's state (null: nothing). The model must outlive the view.
  void setModel(ExerciseStateModel* model);
  ExerciseStateModel* model() const;
  const DependencyLayout& graph() const; ///< the layout of the model's scenario (empty without one)

  /// An item's state as drawn: services "up", "degraded" or "down" (ExerciseStateModel::serviceStatus); nodes "down",
  /// "isolated", "compromised", "degraded" or "ok" (the map's precedence); grids "ok", "degraded" (some load lost) or
  /// "down" (all of its substations' load lost). Empty for an unknown ref.
  QString itemState(const QString& ref) const;
  /// An item's fill: MapView::colorFor of its state (so the map and this view agree).
  QColor itemColor(const QString& ref) const;
  /// The cascade path: the failed providers and every dependent degraded or down because of them (through a
  /// dependency lost without a backup or whose backup ran dry), refs in layout order; empty when nothing failed.
  QStringList cascade() const;
  QStringList cascadeDependencies() const; ///< ids of the dependencies highlighted along the cascade path
  /// Seconds a lost dependency's backup still carries its dependent at the model's time (0 once exhausted); nullopt
  /// while the dependency holds or when it has no backup.
  std::optional<double> backupLeft(const QString& dependency) const;
  QString toolTipFor(const QString& ref) const; ///< what hovering the item shows
  QRectF itemRect(const QString& ref) const;    ///< where the item is drawn, widget coordinates (empty if unknown)

  QString selectedItem() const;
  void selectItem(const QString& ref); ///< highlight REF (empty: none); emits nothing
  void fitAll();                       ///< zoom and centre so that the whole graph is in view
  double zoom() const;

signals:
  /// A node ("node:id", "service:id" or "grid:id" as the scenario writes it) was clicked.
  void itemSelected(const QString& ref);
  /// The scenario node behind the clicked item (a service's host), for the map and the event log.
  void nodeSelected(const QString& nodeId);

protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

private:
  struct Impl;
  void rebuild();
  void refreshState();
  int itemAt(QPointF pos) const;
  double legend(QPainter* painter) const; ///< draw the legend (null: none); returns the height it needs
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
