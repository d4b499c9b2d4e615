#include "map/map_raster.hpp"

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

bool clipLine(QLineF& line, const QRectF& r)
{
  double t0 = 0, t1 = 1;
  const double dx = line.dx(), dy = line.dy();
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {line.x1() - r.left(), r.right() - line.x1(), line.y1() - r.top(), r.bottom() - line.y1()};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0)
        return false;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
    if (t0 > t1)
      return false;
  }
  line = QLineF(line.pointAt(t0), line.pointAt(t1));
  return true;
}

void plotLine(QImage& img, QLineF line, QRgb color)
{
  if (!clipLine(line, QRectF(0, 0, img.width() - 1, img.height() - 1)))
    return;
  int x0 = static_cast<int>(line.x1()), y0 = static_cast<int>(line.y1());
  const int x1 = static_cast<int>(line.x2()), y1 = static_cast<int>(line.y2());
  const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  const int ax = std::abs(x1 - x0), ay = -std::abs(y1 - y0);
  int err = ax + ay;
  const int iw = img.width(), ih = img.height();
  uchar* bits = img.bits(); // once: scanLine() checks for a detach at every call
  const qsizetype bpl = img.bytesPerLine();
  while (true) {
    if (x0 >= 0 && y0 >= 0 && x0 < iw && y0 < ih)
      reinterpret_cast<QRgb*>(bits + y0 * bpl)[x0] = color;
    if (x0 == x1 && y0 == y1)
      break;
    const int e2 = 2 * err;
    if (e2 >= ay) {
      err += ay;
      x0 += sx;
    }
    if (e2 <= ax) {
      err += ax;
      y0 += sy;
    }
  }
}

void fillDisc(QImage& img, QPointF c, double r, QRgb color)
{
  uchar* bits = img.bits();
  const qsizetype bpl = img.bytesPerLine();
  const int y0 = std::max(0, static_cast<int>(std::ceil(c.y() - r)));
  const int y1 = std::min(img.height() - 1, static_cast<int>(std::floor(c.y() + r)));
  for (int y = y0; y <= y1; ++y) {
    const double dy = y - c.y();
    const double half = std::sqrt(std::max(0.0, r * r - dy * dy));
    const int x0 = std::max(0, static_cast<int>(std::ceil(c.x() - half)));
    const int x1 = std::min(img.width() - 1, static_cast<int>(std::floor(c.x() + half)));
    auto* line = reinterpret_cast<QRgb*>(bits + y * bpl);
    for (int x = x0; x <= x1; ++x)
      line[x] = color;
  }
}

void plotThickLine(QImage& img, QLineF line, double width, QRgb color)
{
  const int n = std::clamp(static_cast<int>(std::lround(width)), 1, 6);
  if (n == 1)
    return plotLine(img, line, color);
  // offset along the axis across the line's major direction: parallel Bresenham lines leave no gaps
  const bool steep = std::abs(line.dy()) > std::abs(line.dx());
  for (int k = 0; k < n; ++k) {
    const double o = k - (n - 1) / 2.0;
    const QPointF off = steep ? QPointF(o, 0) : QPointF(0, o);
    plotLine(img, line.translated(off), color);
  }
}

namespace {

bool insideShape(double dx, double dy, double r, StateShape shape)
{
  switch (shape) {
  case StateShape::circle:
    return dx * dx + dy * dy <= r * r;
  case StateShape::diamond:
    return std::abs(dx) + std::abs(dy) <= r * 1.25;
  case StateShape::square:
    return std::abs(dx) <= r * 0.85 && std::abs(dy) <= r * 0.85;
  case StateShape::triangle: {
    const double top = -1.15 * r, bottom = 0.85 * r;
    if (dy < top || dy > bottom)
      return false;
    return std::abs(dx) <= (dy - top) / (bottom - top) * 1.15 * r;
  }
  case StateShape::cross:
    return std::abs(dx) <= r && std::abs(dy) <= r && std::abs(std::abs(dx) - std::abs(dy)) <= r * 0.45;
  }
  return false;
}

} // namespace

void fillShape(QImage& img, QPointF c, double r, StateShape shape, QRgb color)
{
  if (shape == StateShape::circle)
    return fillDisc(img, c, r, color);
  uchar* bits = img.bits();
  const qsizetype bpl = img.bytesPerLine();
  const double reach = r * 1.3;
  const int y0 = std::max(0, static_cast<int>(std::floor(c.y() - reach)));
  const int y1 = std::min(img.height() - 1, static_cast<int>(std::ceil(c.y() + reach)));
  const int x0 = std::max(0, static_cast<int>(std::floor(c.x() - reach)));
  const int x1 = std::min(img.width() - 1, static_cast<int>(std::ceil(c.x() + reach)));
  for (int y = y0; y <= y1; ++y) {
    auto* line = reinterpret_cast<QRgb*>(bits + y * bpl);
    for (int x = x0; x <= x1; ++x)
      if (insideShape(x + 0.5 - c.x(), y + 0.5 - c.y(), r, shape))
        line[x] = color;
  }
}

void fillRing(QImage& img, QPointF c, double rOuter, double rInner, const QRgb* colors, const double* ends, int n,
              QRgb hole)
{
  uchar* bits = img.bits();
  const qsizetype bpl = img.bytesPerLine();
  const int y0 = std::max(0, static_cast<int>(std::floor(c.y() - rOuter)));
  const int y1 = std::min(img.height() - 1, static_cast<int>(std::ceil(c.y() + rOuter)));
  const int x0 = std::max(0, static_cast<int>(std::floor(c.x() - rOuter)));
  const int x1 = std::min(img.width() - 1, static_cast<int>(std::ceil(c.x() + rOuter)));
  const double ro2 = rOuter * rOuter, ri2 = rInner * rInner;
  constexpr double TURN = 6.283185307179586;
  for (int y = y0; y <= y1; ++y) {
    auto* line = reinterpret_cast<QRgb*>(bits + y * bpl);
    const double dy = y + 0.5 - c.y();
    for (int x = x0; x <= x1; ++x) {
      const double dx = x + 0.5 - c.x();
      const double d2 = dx * dx + dy * dy;
      if (d2 > ro2)
        continue;
      if (d2 < ri2) {
        line[x] = hole;
        continue;
      }
      double a = std::atan2(dx, -dy) / TURN; // clockwise from 12 o'clock
      if (a < 0)
        a += 1;
      int k = 0;
      while (k < n - 1 && a >= ends[k])
        ++k;
      line[x] = colors[k];
    }
  }
}

QPainterPath stateShapePath(QPointF c, double r, StateShape shape)
{
  QPainterPath path;
  switch (shape) {
  case StateShape::circle:
    path.addEllipse(c, r, r);
    break;
  case StateShape::diamond: {
    const double d = r * 1.25;
    path.moveTo(c + QPointF(0, -d));
    path.lineTo(c + QPointF(d, 0));
    path.lineTo(c + QPointF(0, d));
    path.lineTo(c + QPointF(-d, 0));
    path.closeSubpath();
    break;
  }
  case StateShape::square:
    path.addRect(QRectF(c.x() - 0.85 * r, c.y() - 0.85 * r, 1.7 * r, 1.7 * r));
    break;
  case StateShape::triangle:
    path.moveTo(c + QPointF(0, -1.15 * r));
    path.lineTo(c + QPointF(1.15 * r, 0.85 * r));
    path.lineTo(c + QPointF(-1.15 * r, 0.85 * r));
    path.closeSubpath();
    break;
  case StateShape::cross: {
    const double a = r, t = r * 0.32;
    // an X as one polygon: the arms of width ~2t
    path.moveTo(c + QPointF(-a, -a + t));
    path.lineTo(c + QPointF(-a + t, -a));
    path.lineTo(c + QPointF(0, -t));
    path.lineTo(c + QPointF(a - t, -a));
    path.lineTo(c + QPointF(a, -a + t));
    path.lineTo(c + QPointF(t, 0));
    path.lineTo(c + QPointF(a, a - t));
    path.lineTo(c + QPointF(a - t, a));
    path.lineTo(c + QPointF(0, t));
    path.lineTo(c + QPointF(-a + t, a));
    path.lineTo(c + QPointF(-a, a - t));
    path.lineTo(c + QPointF(-t, 0));
    path.closeSubpath();
    break;
  }
  }
  return path;
}

} // namespace cyberex::gui
