/* The basemap beneath the network: country outlines from Natural Earth (public domain), projected as the layout is
 * (issue 19; docs/gui.md, "The map's geography"). */
#pragma once

#include <QRectF>
#include <QSize>
#include <QStringList>

#include <memory>

class QPainter;

namespace cyberex::gui {

struct MapLayout;
struct BasemapCache;

/// An empty cache for a layout's basemap (computeMapLayout gives each layout one).
std::shared_ptr<BasemapCache> makeBasemapCache();

/// Read and project LAYOUT's outlines (both scales) now (computeMapLayout does, once per layout), so that the first
/// paint of a scenario does not pay for it. Nothing without geography or when done already.
void prepareBasemap(const MapLayout& layout);

/// Allocate the raster paintBasemap draws LAYOUT's basemap into for a DEVICE of that size (MapView does when it gets
/// a layout or a new size), so that its memory is not paid for in a frame.
void reserveBasemap(const MapLayout& layout, QSize device);

/// Paint land, sea and borders for the part of LAYOUT's world in VISIBLEWORLD (layout units), at PIXELSPERUNIT, on
/// PAINTER (device coordinates: the visible world's top-left is the device's origin). Nothing when the layout has no
/// geography or the Natural Earth files are missing. The outlines are projected once per layout; the raster is kept
/// and reused while the zoom stays the same and the view inside it (panning).
void paintBasemap(QPainter& painter, const MapLayout& layout, const QRectF& visibleWorld, double pixelsPerUnit);

/// Names of the countries the last paintBasemap of LAYOUT labelled (for tests), in drawing order.
QStringList basemapLabels(const MapLayout& layout);

} // namespace cyberex::gui
