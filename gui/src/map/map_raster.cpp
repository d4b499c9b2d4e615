#include "map/map_raster.hpp"

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

void plotLine(QImage& img, QLineF line, QRgb color)
{
  const double w = img.width() - 1, h = img.height() - 1;
  double t0 = 0, t1 = 1;
  const double dx = line.dx(), dy = line.dy();
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {line.x1(), w - line.x1(), line.y1(), h - line.y1()};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0)
        return;
      continue;
    }
    const double t = q[i] / p[i];
    if (p[i] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
    if (t0 > t1)
      return;
  }
  int x0 = static_cast<int>(line.x1() + t0 * dx), y0 = static_cast<int>(line.y1() + t0 * dy);
  const int x1 = static_cast<int>(line.x1() + t1 * dx), y1 = static_cast<int>(line.y1() + t1 * dy);
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

} // namespace cyberex::gui
