/* The basemap beneath the network: country outlines from Natural Earth (public domain), projected as the layout is
 * (issue 19). */
#pragma once

#include <QRectF>

class QPainter;

namespace cyberex::gui {

struct MapLayout;

/// Paint land, sea and borders for the part of LAYOUT's world in VISIBLEWORLD (layout units), at PIXELSPERUNIT, on
/// PAINTER (device coordinates: the visible world's top-left is the device's origin).
void paintBasemap(QPainter& painter, const MapLayout& layout, const QRectF& visibleWorld, double pixelsPerUnit);

} // namespace cyberex::gui
