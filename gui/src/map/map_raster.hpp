/* Pixels written straight into an RGB32 image: the map's zoomed-out frame, where QPainter's per-call cost for
 * thousands of lines and discs would dominate (docs/gui.md, "Rendering"). */
#pragma once

#include <QImage>
#include <QLineF>
#include <QPointF>

namespace cyberex::gui {

/// A one-pixel line, clipped to the image (Liang-Barsky), then Bresenham.
void plotLine(QImage& img, QLineF line, QRgb color);
/// A filled disc, clipped.
void fillDisc(QImage& img, QPointF center, double radius, QRgb color);

} // namespace cyberex::gui
