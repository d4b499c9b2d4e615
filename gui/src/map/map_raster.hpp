/* Pixels written straight into an RGB32 image: the map's zoomed-out frame, where QPainter's per-call cost for
 * thousands of lines and discs would dominate (docs/gui.md, "Rendering"). */
#pragma once

#include <QImage>
#include <QLineF>
#include <QPainterPath>
#include <QPointF>
#include <QRectF>

namespace cyberex::gui {

/// The shape cue of a node's state (docs/gui.md, "Map"): the same in both drawing modes.
enum class StateShape { circle, diamond, triangle, square, cross };

/// LINE clipped to R (Liang-Barsky); false if it misses R. QPainter strokes a wide pen along the whole line, however
/// far off screen its ends are: a link zoomed in from a site 10^5 px away would cost seconds.
bool clipLine(QLineF& line, const QRectF& r);
/// A one-pixel line, clipped to the image (Liang-Barsky), then Bresenham.
void plotLine(QImage& img, QLineF line, QRgb color);
/// A line about WIDTH pixels wide: parallel one-pixel lines (no antialiasing).
void plotThickLine(QImage& img, QLineF line, double width, QRgb color);
/// A filled disc, clipped.
void fillDisc(QImage& img, QPointF center, double radius, QRgb color);
/// A filled state shape of about RADIUS around CENTER, clipped.
void fillShape(QImage& img, QPointF center, double radius, StateShape shape, QRgb color);
/// A ring from RINNER to ROUTER split into N segments clockwise from 12 o'clock: segment k spans the fractions
/// [ENDS[k-1], ENDS[k]) of the turn (ENDS[-1] = 0, ENDS[n-1] = 1) in COLORS[k]; the inside is filled with HOLE.
void fillRing(QImage& img, QPointF center, double rOuter, double rInner, const QRgb* colors, const double* ends, int n,
              QRgb hole);
/// The outline of a state shape, for QPainter (the same geometry as fillShape).
QPainterPath stateShapePath(QPointF center, double radius, StateShape shape);

} // namespace cyberex::gui
