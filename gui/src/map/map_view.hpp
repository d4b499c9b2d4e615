/* The network map: sites and nodes of a scenario, their links, and their state as an ExerciseStateModel holds it
 * (the map folds no record itself). A custom-painted widget with its own spatial index (a uniform grid), so it stays
 * fluid at 10,000 nodes and does not freeze at 100,000: only the cells in view are visited, and when zoomed out nodes
 * are drawn as batched points. A site too small on screen to show its nodes is drawn as one glyph: a ring of its
 * nodes' states around their count (docs/gui.md, "Map"). */
#pragma once

#include "map/map_raster.hpp"
#include "state/exercise_state_model.hpp"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>

namespace cyberex::gui {

struct MapLayout;

/// What a site's glyph counts: its nodes (those shown in the view) by the state they are drawn in (the precedence of
/// colorFor), and the nodes holding a foothold whatever their colour (ground truth) or named by an alert (team view).
struct SiteGlyphCounts {
  int ok = 0, degraded = 0, compromised = 0, isolated = 0, down = 0;
  int compromisedAny = 0; ///< ground truth: nodes with a foothold, also those drawn isolated or down
  int alerted = 0;        ///< team view: nodes an alert to the team named
  int total() const { return ok + degraded + compromised + isolated + down; }
  bool operator==(const SiteGlyphCounts&) const = default;
};

/// The network map widget. Wheel: zoom at the cursor; drag: pan; click: select a node (signal nodeSelected) or
/// expand a site's glyph; +, - and 0: zoom in, out, fit (also as buttons in the top right corner).
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

  void fitAll();                      ///< zoom and centre so that the whole layout, labels included, is in view
  void zoomIn();                      ///< x1.5 about the view's centre (key +)
  void zoomOut();                     ///< /1.5 about the view's centre (key -)
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

  /// The adversary's progress as drawn now: per campaign its footholds in the order of the steps that took them, and
  /// its exfiltration routes (foothold to C2 along the links). Ground truth only; in a team's view only the nodes an
  /// alert to that team named.
  QList<OverlayPath> adversaryPaths() const;

  int siteCount() const;
  /// Site S's nodes by state as the view draws them (ground truth or the team's view).
  SiteGlyphCounts siteGlyphCounts(int siteIndex) const;
  /// Whether site S is drawn as its nodes (large enough on screen) rather than as a glyph, at the current zoom.
  bool isSiteExpanded(int siteIndex) const;
  /// The glyphs of the last paint: screen boxes, and the sites each one stands for (co-located sites share one).
  struct SiteGlyph {
    QRectF rect;
    QList<int> sites;
  };
  QList<SiteGlyph> siteGlyphs() const;
  /// The site labels of the last paint (screen boxes; with a leader line when away from their glyph).
  struct MapLabel {
    QString text;
    QRectF rect;
    bool leader = false;
  };
  QList<MapLabel> placedLabels() const;
  /// What the tooltip says at POS (widget pixels): a node's name, kind and state, or a site's counts; empty if nothing.
  QString toolTipAt(QPointF pos) const;

  /// Legend: the fill colour of a state (down, isolated, compromised, degraded, ok in that precedence; Okabe-Ito,
  /// safe for colour-blind readers).
  static QColor colorFor(const NodeCondition& state);
  /// The shape cue of a state, in the same precedence: ok circle, degraded diamond, compromised triangle, isolated
  /// square, down cross.
  static StateShape shapeFor(const NodeCondition& state);

signals:
  void nodeSelected(const QString& nodeId);

protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  bool event(QEvent* event) override;

private:
  void rebuildTopology();
  struct Impl;
  std::unique_ptr<Impl> m_d;
};

} // namespace cyberex::gui
