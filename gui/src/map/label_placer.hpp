/* Label placement with collision avoidance for the map's site labels (issue 19): each label tries candidate
 * positions around its glyph, nearest first, then the same positions farther out with a leader line; labels are
 * placed greedily by priority, and a label that fits nowhere is left out. Deterministic: a pure function of its
 * input. */
#pragma once

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <vector>

namespace cyberex::gui {

/// A label to place beside its glyph (screen coordinates).
struct LabelRequest {
  QRectF anchor;   ///< the glyph's bounding box: the label goes around it, never over it
  QSizeF size;     ///< the label's box
  double priority; ///< higher first; equal priorities in request order
  QString text;
};

/// Where a label went.
struct PlacedLabel {
  int request = -1; ///< index into the requests
  QRectF rect;      ///< the label's box
  QString text;
  bool leader = false; ///< placed away from its glyph: draw a line from the glyph to the box
  QPointF anchorPoint; ///< the glyph's centre (the leader line's start)
};

/// Place REQUESTS inside BOUNDS, never overlapping each other nor any of OBSTACLES (the glyphs, the legend), with GAP
/// pixels between a label and what it avoids; every candidate box lies outside its own anchor. Returns the placed
/// labels in placement order (by priority).
std::vector<PlacedLabel> placeLabels(const std::vector<LabelRequest>& requests, const std::vector<QRectF>& obstacles,
                                     const QRectF& bounds, double gap = 2);

} // namespace cyberex::gui
