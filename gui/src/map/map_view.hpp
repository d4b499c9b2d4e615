/* The network map: sites and nodes of a scenario, their links, and their state folded from protocol records.
 * A custom-painted widget with its own spatial index (a uniform grid), so it stays fluid at 10,000 nodes and does not
 * freeze at 100,000: only the cells in view are visited, and when zoomed out nodes are drawn as batched points. */
#pragma once

#include <QColor>
#include <QJsonObject>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <memory>

namespace cyberex {
struct Scenario;
}

namespace cyberex::gui {

struct MapLayout;

/// What the map knows about one node, folded from records (docs/protocol.md, docs/events.md).
struct NodeState {
  bool compromised = false; ///< node_compromised; cleared by node_restored, or foothold_lost of its last campaign
  bool isolated = false;    ///< node_isolated; cleared by node_reconnected
  bool down = false;        ///< node_offline, node_down, node_status failed; cleared by node_restored, node_status ok
  bool degraded = false;    ///< a service on the node degraded or down, or its unit derated/tripped/manual
  bool alerted = false;     ///< team view: an alert of that team named the node
  bool operator==(const NodeState&) const = default;
};

/// The network map widget. Wheel: zoom at the cursor; drag: pan; click: select (signal nodeSelected).
class MapView : public QWidget {
  Q_OBJECT
public:
  explicit MapView(QWidget* parent = nullptr);
  ~MapView() override;

  /// Topology of a scenario; its layout is computed once per scenario (computeMapLayout) and cached in memory by
  /// scenario file and size. Clears every state and the selection.
  void setScenario(const cyberex::Scenario& scenario);
  /// Apply one protocol record (a JSON object, as sent by the server or kept in a journal). Unknown types and
  /// unknown nodes are ignored. Returns true when the record changed a node's state.
  bool applyRecord(const QJsonObject& record);
  bool applyRecord(const QByteArray& json); ///< same, from JSON text
  /// Every node back to its initial state (nothing compromised, isolated, down, degraded or alerted).
  void resetStates();

  /// Ground truth (empty team) or a player team's view: only its assets, no compromise, its alerts.
  void setTeamView(const QString& team);
  QString teamView() const;

  int nodeCount() const;
  NodeState nodeState(const QString& nodeId) const;  ///< ground truth state (or the team's, in a team view)
  QColor nodeColor(const QString& nodeId) const;     ///< fill colour as drawn in the current view
  bool isNodeShown(const QString& nodeId) const;     ///< false for nodes outside the team's assets
  QPointF nodePosition(const QString& nodeId) const; ///< layout coordinates (world units; y grows down)

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

  /// Legend: the fill colour of a state (down, isolated, compromised, degraded, ok in that precedence).
  static QColor colorFor(const NodeState& state);

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
  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
