#include "map/label_placer.hpp"

#include <algorithm>
#include <numeric>

namespace cyberex::gui {

namespace {

/// Candidate boxes of a label of SIZE around ANCHOR at distance D from it: right, above, left, below, then the four
/// corners, the order a reader expects a map's labels in.
std::vector<QRectF> candidates(const QRectF& a, QSizeF size, double gap, double d)
{
  const double w = size.width(), h = size.height();
  const QPointF c = a.center();
  const double dd = d * 0.7;
  const double upper = a.top() + a.height() * 0.25 - h - dd, lower = a.bottom() - a.height() * 0.25 + dd;
  return {
      QRectF(a.right() + gap + d, c.y() - h / 2, w, h),    // right
      QRectF(c.x() - w / 2, a.top() - gap - d - h, w, h),  // above
      QRectF(a.left() - gap - d - w, c.y() - h / 2, w, h), // left
      QRectF(c.x() - w / 2, a.bottom() + gap + d, w, h),   // below
      QRectF(a.right() + gap + dd, upper, w, h),           // above right
      QRectF(a.right() + gap + dd, lower, w, h),           // below right
      QRectF(a.left() - gap - dd - w, upper, w, h),        // above left
      QRectF(a.left() - gap - dd - w, lower, w, h),        // below left
  };
}

} // namespace

std::vector<PlacedLabel> placeLabels(const std::vector<LabelRequest>& requests, const std::vector<QRectF>& obstacles,
                                     const QRectF& bounds, double gap)
{
  std::vector<int> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    return requests[static_cast<std::size_t>(x)].priority > requests[static_cast<std::size_t>(y)].priority;
  });
  std::vector<PlacedLabel> placed;
  std::vector<QRectF> taken; // placed labels, grown by the gap
  auto freeAt = [&](const QRectF& r) {
    if (!bounds.contains(r))
      return false;
    for (const QRectF& t : taken)
      if (t.intersects(r))
        return false;
    const QRectF grown = r.adjusted(-gap, -gap, gap, gap);
    for (const QRectF& o : obstacles)
      if (o.intersects(grown))
        return false;
    return true;
  };
  for (int k : order) {
    const LabelRequest& req = requests[static_cast<std::size_t>(k)];
    bool done = false;
    for (double d : {0.0, 14.0, 32.0, 56.0}) {
      for (const QRectF& r : candidates(req.anchor, req.size, gap, d)) {
        if (!freeAt(r))
          continue;
        placed.push_back({k, r, req.text, d > 0, req.anchor.center()});
        taken.push_back(r.adjusted(-gap, -gap, gap, gap));
        done = true;
        break;
      }
      if (done)
        break;
    }
  }
  return placed;
}

} // namespace cyberex::gui
