#include "map/basemap.hpp"

#include "map/map_layout.hpp"

#include <QPainter>

namespace cyberex::gui {

void paintBasemap(QPainter& /*painter*/, const MapLayout& /*layout*/, const QRectF& /*visibleWorld*/,
                  double /*pixelsPerUnit*/)
{
  // (issue 19: Natural Earth outlines)
}

} // namespace cyberex::gui
