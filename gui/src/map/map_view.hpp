/* The network map: sites and nodes of a scenario, their links, and their state as an ExerciseStateModel holds it
 * (the map folds no record itself). A custom-painted widget with its own spatial index (a uniform grid), so it stays
 * fluid at 10,000 nodes and does not freeze at 100,000: only the cells in view are visited, and when zoomed out nodes
 * are drawn as batched points. */
#pragma once

#include "state/exercise_state_model.hpp"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>

namespace cyberex::gui {

struct MapLayout;

/// The network map widget. Wheel: zoom at the cursor; drag: pan; click: select (signal nodeSelected).
class MapView : public QWidget {
  Q_OBJECT
public:
  explicit MapView(QWidget* parent = nullptr);
  ~MapView() override;

  /// Draw MODEL's scenario and state (null: nothing). The topology follows its scenario; its layout is computed once
  /// per scenario (computeMapLayout) and cached in memory by scenario file and size. A new scenario clears the
  /// selection. The model must outlive the view or be destroyed with it.
  void setModel(ExerciseStateModel* model);
  ExerciseStateModel* model() const;

  /// Ground truth (empty team) or a player team's view: only its assets, no compromise, its alerts.
  void setTeamView(const QString& team);
  QString teamView() const;

  int nodeCount() const;
  NodeCondition nodeState(const QString& nodeId) const; ///< as drawn: ground truth, or the team's view
  QColor nodeColor(const QString& nodeId) const;        ///< fill colour as drawn in the current view
  bool isNodeShown(const QString& nodeId) const;        ///< false for nodes outside the team's assets
  QPointF nodePosition(const QString& nodeId) const;    ///< layout coordinates (world units; y grows down)

  /// Find a node by id or name: exact id, exact name, then case-insensitive prefix, then substring (first in node
  /// order). Centres the view on it, highlights and selects it (emits nodeSelected). Returns its id, empty if none.
  QString search(const QString& text);
  void selectNode(const QString& nodeId); ///< empty clears the selection; emits nodeSelected when it changes
  QString selectedNode() const;

  void fitAll();                      ///< zoom and centre so that the whole layout is in view
  void centerOn(QPointF layoutPoint); ///< the view's centre in layout coordinates
  QPointF viewCenter() const;
  void setZoom(double pixelsPerUnit); ///< clamped to sensible bounds
  double zoom() const;
  void panBy(QPointF pixels); ///< as a drag of that many pixels

  double lastPaintMs() const; ///< wall time of the last paintEvent, for the frame-time bench

  /// Overlays drawn over the network (ground truth and planning mode): each path a polyline through its nodes'
  /// positions (an attack path, an exfiltration route), labelled; marked nodes (single points of failure) ringed.
  /// Both are replaced by each call; an empty list clears them. Unknown node ids are skipped.
  struct OverlayPath {
    QStringList nodes;
    QString label;
    QColor color;
  };
  void setOverlayPaths(const QList<OverlayPath>& paths);
  QList<OverlayPath> overlayPaths() const;
  void setMarkedNodes(const QStringList& nodeIds, const QString& label);
  QStringList markedNodes() const;

  /// Legend: the fill colour of a state (down, isolated, compromised, degraded, ok in that precedence).
  static QColor colorFor(const NodeCondition& state);

signals:
  void nodeSelected(const QString& nodeId);

protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

private:
  void rebuildTopology();
  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
