#include "map/basemap.hpp"

#include "map/geo.hpp"
#include "map/map_layout.hpp"

#include <QFontMetricsF>
#include <QImage>
#include <QPaintDevice>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <cmath>

namespace cyberex::gui {

namespace {

const QColor SEA(0xdf, 0xe7, 0xee);    // pale blue-grey
const QColor LAND(0xf4, 0xf2, 0xec);   // light neutral
const QColor BORDER(0xa3, 0xa8, 0xae); // thin mid-grey
const QColor COAST(0x9d, 0xad, 0xbd);  // a little bluer than the borders
const QColor LABEL(0x86, 0x8c, 0x94);  // small grey names
constexpr double ANTIPODE_COS = -0.94; // rings with a point within 20 degrees of the antipode are left out
constexpr double DETAIL_PPU = 0.25;    // pixels per km from which the 1:50m outlines are drawn

/// POLYGON clipped to the rectangle R (Sutherland-Hodgman, one edge of R at a time). For a concave polygon the result
/// may run along R's edges back and forth; filled, that changes nothing inside R.
QPolygonF clipToRect(const QPolygonF& polygon, const QRectF& r)
{
  QPolygonF in = polygon, out;
  for (int edge = 0; edge < 4 && !in.isEmpty(); ++edge) {
    auto inside = [&](QPointF q) {
      switch (edge) {
      case 0:
        return q.x() >= r.left();
      case 1:
        return q.x() <= r.right();
      case 2:
        return q.y() >= r.top();
      default:
        return q.y() <= r.bottom();
      }
    };
    auto cross = [&](QPointF a, QPointF b) {
      const double t = edge == 0   ? (r.left() - a.x()) / (b.x() - a.x())
                       : edge == 1 ? (r.right() - a.x()) / (b.x() - a.x())
                       : edge == 2 ? (r.top() - a.y()) / (b.y() - a.y())
                                   : (r.bottom() - a.y()) / (b.y() - a.y());
      return a + (b - a) * t;
    };
    out.clear();
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
      const QPointF a = in[i], b = in[(i + 1) % in.size()];
      const bool ia = inside(a), ib = inside(b);
      if (ia)
        out << a;
      if (ia != ib)
        out << cross(a, b);
    }
    std::swap(in, out);
  }
  return in;
}

/// An atlas projected into layout units.
struct ProjectedAtlas {
  struct Land {
    std::vector<QPolygonF> rings; ///< outer boundaries and holes (odd-even fill)
    std::vector<QRectF> boxes;    ///< per ring
    QRectF box;
  };
  struct Line {
    QPolygonF points;
    QRectF box;
    bool border = false;
  };
  struct Label {
    QString name;
    QPointF at;
    QRectF box; ///< the main polygon's
  };
  bool built = false;
  std::vector<Land> land;
  std::vector<Line> lines;
  std::vector<Label> labels; ///< largest countries first

  void build(const Atlas* atlas, const Projection& projection)
  {
    built = true;
    if (!atlas)
      return;
    auto near = [&](const GeoPoint& g) { return projection.cosDistance(g) < ANTIPODE_COS; };
    for (const Country& c : atlas->countries) {
      Land l;
      for (const auto& polygon : c.polygons)
        for (const auto& ring : polygon) {
          if (std::any_of(ring.begin(), ring.end(), near))
            continue;
          QPolygonF poly;
          poly.reserve(static_cast<qsizetype>(ring.size()));
          for (const GeoPoint& g : ring)
            poly << projection.forward(g);
          l.boxes.push_back(poly.boundingRect());
          l.box = l.rings.empty() ? l.boxes.back() : l.box.united(l.boxes.back());
          l.rings.push_back(std::move(poly));
        }
      if (l.rings.empty())
        continue;
      land.push_back(std::move(l));
      const auto& main = c.polygons[c.mainPolygon].front();
      if (std::any_of(main.begin(), main.end(), near))
        continue;
      QPolygonF poly;
      for (const GeoPoint& g : main)
        poly << projection.forward(g);
      labels.push_back({c.name, projection.forward(c.anchor), poly.boundingRect()});
    }
    std::stable_sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) {
      return a.box.width() * a.box.height() > b.box.width() * b.box.height();
    });
    // Arcs: each drawn once, as a coast (one country) or a border (two). The cuts along the antimeridian and the
    // south pole are not coasts and are left out.
    for (std::size_t i = 0; i < atlas->arcs.size(); ++i) {
      const auto& arc = atlas->arcs[i];
      Line line;
      line.border = atlas->arcUse[i] >= 2;
      auto flush = [&] {
        if (line.points.size() >= 2) {
          line.box = line.points.boundingRect();
          lines.push_back(line);
        }
        line.points.clear();
      };
      for (std::size_t k = 0; k < arc.size(); ++k) {
        const GeoPoint& g = arc[k];
        if (near(g)) {
          flush();
          continue;
        }
        if (k > 0) {
          const GeoPoint& prev = arc[k - 1];
          const bool cut =
              (std::abs(g.lon) > 179.999 && std::abs(prev.lon) > 179.999) || (g.lat < -89.99 && prev.lat < -89.99);
          if (cut)
            flush();
        }
        line.points << projection.forward(g);
      }
      flush();
    }
  }
};

} // namespace

struct BasemapCache {
  ProjectedAtlas small, medium;
  QImage image;      ///< the basemap of imageWorld at imagePpu
  QRectF imageWorld; ///< layout units
  double imagePpu = 0;
  QStringList labels;
};

std::shared_ptr<BasemapCache> makeBasemapCache()
{
  return std::make_shared<BasemapCache>();
}

QStringList basemapLabels(const MapLayout& layout)
{
  return layout.basemap ? layout.basemap->labels : QStringList();
}

namespace {

void render(BasemapCache& cache, const MapLayout& layout, const QRectF& world, double ppu, QSize pixels)
{
  ProjectedAtlas& atlas = ppu < DETAIL_PPU ? cache.small : cache.medium;
  if (!atlas.built)
    atlas.build(naturalEarth(ppu < DETAIL_PPU ? AtlasScale::small110m : AtlasScale::medium50m), layout.projection);
  if (cache.image.size() != pixels)
    cache.image = QImage(pixels, QImage::Format_RGB32);
  cache.image.fill(SEA);
  cache.imageWorld = world;
  cache.imagePpu = ppu;
  cache.labels.clear();

  QPainter p(&cache.image);
  p.setRenderHint(QPainter::Antialiasing, false);
  p.setPen(Qt::NoPen);
  p.setBrush(LAND);
  // Land in device coordinates, each ring clipped to the image (plus a margin) first: Qt's rasterizer is slow on
  // polygons that reach far outside the device (a continent at a city's zoom).
  const QRectF clip(-4, -4, pixels.width() + 8, pixels.height() + 8);
  for (const auto& l : atlas.land) {
    if (!l.box.intersects(world))
      continue;
    QPainterPath path;
    path.setFillRule(Qt::OddEvenFill);
    for (std::size_t k = 0; k < l.rings.size(); ++k) {
      if (!l.boxes[k].intersects(world))
        continue;
      QPolygonF device;
      device.reserve(l.rings[k].size());
      for (const QPointF& q : l.rings[k])
        device << (q - world.topLeft()) * ppu;
      device = clipToRect(device, clip);
      if (device.size() >= 3)
        path.addPolygon(device);
    }
    p.drawPath(path);
  }
  p.scale(ppu, ppu);
  p.translate(-world.left(), -world.top());
  // Outlines: cosmetic pens (the same width at every zoom); antialiased only when few are in sight.
  QPen coast(COAST, 0.8);
  coast.setCosmetic(true);
  QPen border(BORDER, 0.8);
  border.setCosmetic(true);
  std::size_t inView = 0;
  for (const auto& l : atlas.lines)
    inView += l.box.intersects(world) ? 1 : 0;
  p.setRenderHint(QPainter::Antialiasing, inView <= 400);
  p.setBrush(Qt::NoBrush);
  for (bool borders : {false, true}) {
    p.setPen(borders ? border : coast);
    for (const auto& l : atlas.lines)
      if (l.border == borders && l.box.intersects(world))
        p.drawPolyline(l.points);
  }

  // Country names where the country is large enough on screen, larger countries first, never overlapping.
  p.resetTransform();
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setRenderHint(QPainter::TextAntialiasing, true);
  QFont font = p.font();
  font.setPointSizeF(7.5);
  font.setLetterSpacing(QFont::PercentageSpacing, 106);
  p.setFont(font);
  p.setPen(LABEL);
  const QFontMetricsF fm(font);
  std::vector<QRectF> taken;
  for (const auto& label : atlas.labels) {
    if (!label.box.intersects(world))
      continue;
    const double w = fm.horizontalAdvance(label.name), h = fm.height();
    if (label.box.width() * ppu < w + 16 || label.box.height() * ppu < 2.5 * h)
      continue;
    const QPointF at = (label.at - world.topLeft()) * ppu;
    const QRectF r(at.x() - w / 2, at.y() - h / 2, w, h);
    if (!QRectF(QPointF(), QSizeF(pixels)).contains(r))
      continue;
    const QRectF spaced = r.adjusted(-6, -3, 6, 3);
    if (std::any_of(taken.begin(), taken.end(), [&](const QRectF& t) { return t.intersects(spaced); }))
      continue;
    taken.push_back(spaced);
    p.drawText(r, Qt::AlignCenter, label.name);
    cache.labels << label.name;
  }
}

} // namespace

void prepareBasemap(const MapLayout& layout)
{
  if (!layout.basemap || !layout.hasGeography())
    return;
  if (!layout.basemap->small.built)
    layout.basemap->small.build(naturalEarth(AtlasScale::small110m), layout.projection);
  if (!layout.basemap->medium.built) // a scenario of one country fits at the 1:50m scale
    layout.basemap->medium.build(naturalEarth(AtlasScale::medium50m), layout.projection);
}

void reserveBasemap(const MapLayout& layout, QSize device)
{
  if (!layout.basemap || !layout.hasGeography() || device.isEmpty())
    return;
  QImage& image = layout.basemap->image;
  const QSize pixels(device.width() * 2, device.height() * 2); // as paintBasemap renders it
  if (image.size() == pixels)
    return;
  image = QImage(pixels, QImage::Format_RGB32);
  image.fill(SEA); // the pages are the cost (25 MB at 1600x1000: about 90 ms in this VM), so touch them now
  layout.basemap->imagePpu = 0; // nothing rendered in it yet
}

void paintBasemap(QPainter& painter, const MapLayout& layout, const QRectF& visibleWorld, double pixelsPerUnit)
{
  if (!layout.basemap || !layout.hasGeography() || !(pixelsPerUnit > 0) || !painter.device())
    return;
  BasemapCache& cache = *layout.basemap;
  const QSize device(painter.device()->width(), painter.device()->height());
  if (device.isEmpty())
    return;
  const bool hit = !cache.image.isNull() && cache.imagePpu == pixelsPerUnit &&
                   cache.imageWorld.contains(visibleWorld) && cache.image.width() >= device.width() &&
                   cache.image.height() >= device.height();
  if (!hit) {
    // Half a view of margin on each side: the frames of a pan only copy from the image until the view leaves it.
    // The image keeps its size (twice the device's each way), so a new zoom redraws into the same memory.
    const double mx = visibleWorld.width() / 2, my = visibleWorld.height() / 2;
    const QSize pixels(device.width() * 2, device.height() * 2);
    const QRectF world(visibleWorld.left() - mx, visibleWorld.top() - my, pixels.width() / pixelsPerUnit,
                       pixels.height() / pixelsPerUnit);
    render(cache, layout, world, pixelsPerUnit, pixels);
  }
  const QPoint from(static_cast<int>(std::lround((visibleWorld.left() - cache.imageWorld.left()) * pixelsPerUnit)),
                    static_cast<int>(std::lround((visibleWorld.top() - cache.imageWorld.top()) * pixelsPerUnit)));
  painter.drawImage(QPoint(0, 0), cache.image, QRect(from, device));
}

} // namespace cyberex::gui
