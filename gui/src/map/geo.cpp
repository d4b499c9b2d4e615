#include "map/geo.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#ifndef CYBEREX_DATA_DIR
#define CYBEREX_DATA_DIR "data"
#endif

namespace cyberex::gui {

namespace {

constexpr double DEG = M_PI / 180.0;

double wrapLon(double lon)
{
  while (lon >= 180.0)
    lon -= 360.0;
  while (lon < -180.0)
    lon += 360.0;
  return lon;
}

struct IsoCode {
  const char alpha2[3];
  int numeric;
};

// ISO 3166-1 alpha-2 to numeric (the iso-codes package's table; the codes are facts, not creative content).
constexpr IsoCode ISO_CODES[] = {
    {"AD", 20},  {"AE", 784}, {"AF", 4},   {"AG", 28},  {"AI", 660}, {"AL", 8},   {"AM", 51},  {"AO", 24},  {"AQ", 10},
    {"AR", 32},  {"AS", 16},  {"AT", 40},  {"AU", 36},  {"AW", 533}, {"AX", 248}, {"AZ", 31},  {"BA", 70},  {"BB", 52},
    {"BD", 50},  {"BE", 56},  {"BF", 854}, {"BG", 100}, {"BH", 48},  {"BI", 108}, {"BJ", 204}, {"BL", 652}, {"BM", 60},
    {"BN", 96},  {"BO", 68},  {"BQ", 535}, {"BR", 76},  {"BS", 44},  {"BT", 64},  {"BV", 74},  {"BW", 72},  {"BY", 112},
    {"BZ", 84},  {"CA", 124}, {"CC", 166}, {"CD", 180}, {"CF", 140}, {"CG", 178}, {"CH", 756}, {"CI", 384}, {"CK", 184},
    {"CL", 152}, {"CM", 120}, {"CN", 156}, {"CO", 170}, {"CR", 188}, {"CU", 192}, {"CV", 132}, {"CW", 531}, {"CX", 162},
    {"CY", 196}, {"CZ", 203}, {"DE", 276}, {"DJ", 262}, {"DK", 208}, {"DM", 212}, {"DO", 214}, {"DZ", 12},  {"EC", 218},
    {"EE", 233}, {"EG", 818}, {"EH", 732}, {"ER", 232}, {"ES", 724}, {"ET", 231}, {"FI", 246}, {"FJ", 242}, {"FK", 238},
    {"FM", 583}, {"FO", 234}, {"FR", 250}, {"GA", 266}, {"GB", 826}, {"GD", 308}, {"GE", 268}, {"GF", 254}, {"GG", 831},
    {"GH", 288}, {"GI", 292}, {"GL", 304}, {"GM", 270}, {"GN", 324}, {"GP", 312}, {"GQ", 226}, {"GR", 300}, {"GS", 239},
    {"GT", 320}, {"GU", 316}, {"GW", 624}, {"GY", 328}, {"HK", 344}, {"HM", 334}, {"HN", 340}, {"HR", 191}, {"HT", 332},
    {"HU", 348}, {"ID", 360}, {"IE", 372}, {"IL", 376}, {"IM", 833}, {"IN", 356}, {"IO", 86},  {"IQ", 368}, {"IR", 364},
    {"IS", 352}, {"IT", 380}, {"JE", 832}, {"JM", 388}, {"JO", 400}, {"JP", 392}, {"KE", 404}, {"KG", 417}, {"KH", 116},
    {"KI", 296}, {"KM", 174}, {"KN", 659}, {"KP", 408}, {"KR", 410}, {"KW", 414}, {"KY", 136}, {"KZ", 398}, {"LA", 418},
    {"LB", 422}, {"LC", 662}, {"LI", 438}, {"LK", 144}, {"LR", 430}, {"LS", 426}, {"LT", 440}, {"LU", 442}, {"LV", 428},
    {"LY", 434}, {"MA", 504}, {"MC", 492}, {"MD", 498}, {"ME", 499}, {"MF", 663}, {"MG", 450}, {"MH", 584}, {"MK", 807},
    {"ML", 466}, {"MM", 104}, {"MN", 496}, {"MO", 446}, {"MP", 580}, {"MQ", 474}, {"MR", 478}, {"MS", 500}, {"MT", 470},
    {"MU", 480}, {"MV", 462}, {"MW", 454}, {"MX", 484}, {"MY", 458}, {"MZ", 508}, {"NA", 516}, {"NC", 540}, {"NE", 562},
    {"NF", 574}, {"NG", 566}, {"NI", 558}, {"NL", 528}, {"NO", 578}, {"NP", 524}, {"NR", 520}, {"NU", 570}, {"NZ", 554},
    {"OM", 512}, {"PA", 591}, {"PE", 604}, {"PF", 258}, {"PG", 598}, {"PH", 608}, {"PK", 586}, {"PL", 616}, {"PM", 666},
    {"PN", 612}, {"PR", 630}, {"PS", 275}, {"PT", 620}, {"PW", 585}, {"PY", 600}, {"QA", 634}, {"RE", 638}, {"RO", 642},
    {"RS", 688}, {"RU", 643}, {"RW", 646}, {"SA", 682}, {"SB", 90},  {"SC", 690}, {"SD", 729}, {"SE", 752}, {"SG", 702},
    {"SH", 654}, {"SI", 705}, {"SJ", 744}, {"SK", 703}, {"SL", 694}, {"SM", 674}, {"SN", 686}, {"SO", 706}, {"SR", 740},
    {"SS", 728}, {"ST", 678}, {"SV", 222}, {"SX", 534}, {"SY", 760}, {"SZ", 748}, {"TC", 796}, {"TD", 148}, {"TF", 260},
    {"TG", 768}, {"TH", 764}, {"TJ", 762}, {"TK", 772}, {"TL", 626}, {"TM", 795}, {"TN", 788}, {"TO", 776}, {"TR", 792},
    {"TT", 780}, {"TV", 798}, {"TW", 158}, {"TZ", 834}, {"UA", 804}, {"UG", 800}, {"UM", 581}, {"US", 840}, {"UY", 858},
    {"UZ", 860}, {"VA", 336}, {"VC", 670}, {"VE", 862}, {"VG", 92},  {"VI", 850}, {"VN", 704}, {"VU", 548}, {"WF", 876},
    {"WS", 882}, {"YE", 887}, {"YT", 175}, {"ZA", 710}, {"ZM", 894}, {"ZW", 716},
};

/// Shoelace area (signed, degrees squared) and centroid of a closed ring.
double ringArea(const std::vector<GeoPoint>& ring, GeoPoint* centroid = nullptr)
{
  double a = 0, cx = 0, cy = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const double cross = ring[i].lon * ring[i + 1].lat - ring[i + 1].lon * ring[i].lat;
    a += cross;
    cx += (ring[i].lon + ring[i + 1].lon) * cross;
    cy += (ring[i].lat + ring[i + 1].lat) * cross;
  }
  a /= 2;
  if (centroid) {
    if (std::abs(a) > 1e-12) {
      centroid->lon = cx / (6 * a);
      centroid->lat = cy / (6 * a);
    } else if (!ring.empty()) {
      *centroid = ring.front();
    }
  }
  return a;
}

/// A point inside POLYGON near its centroid: on the horizontal line through the centroid, the centroid itself when
/// it lies inside a wide enough span of the polygon, else the middle of the widest span.
GeoPoint representativePoint(const std::vector<std::vector<GeoPoint>>& polygon)
{
  GeoPoint c;
  ringArea(polygon.front(), &c);
  std::vector<double> xs;
  for (const auto& ring : polygon)
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
      const GeoPoint a = ring[i], b = ring[i + 1];
      if ((a.lat > c.lat) != (b.lat > c.lat))
        xs.push_back(a.lon + (c.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat));
    }
  std::sort(xs.begin(), xs.end());
  double widest = -1, wx0 = 0, wx1 = 0;
  for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
    if (xs[i + 1] - xs[i] > widest) {
      widest = xs[i + 1] - xs[i];
      wx0 = xs[i];
      wx1 = xs[i + 1];
    }
  if (widest < 0)
    return polygon.front().front();
  for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
    if (c.lon > xs[i] && c.lon < xs[i + 1] && xs[i + 1] - xs[i] >= 0.3 * widest)
      return c;
  return GeoPoint{c.lat, (wx0 + wx1) / 2};
}

} // namespace

// --- Projection ----------------------------------------------------------------------------------------------------

Projection::Projection(double lat0, double lon0)
    : m_lat0(lat0), m_lon0(wrapLon(lon0)), m_sin0(std::sin(lat0 * DEG)), m_cos0(std::cos(lat0 * DEG))
{
}

double Projection::cosDistance(const GeoPoint& g) const
{
  const double phi = g.lat * DEG, dl = (g.lon - m_lon0) * DEG;
  return m_sin0 * std::sin(phi) + m_cos0 * std::cos(phi) * std::cos(dl);
}

QPointF Projection::forward(const GeoPoint& g) const
{
  const double phi = g.lat * DEG, dl = (g.lon - m_lon0) * DEG;
  const double sinPhi = std::sin(phi), cosPhi = std::cos(phi), cosDl = std::cos(dl);
  const double cosC = m_sin0 * sinPhi + m_cos0 * cosPhi * cosDl;
  if (1 + cosC < 1e-15)
    return {0, -2 * EARTH_RADIUS_KM};
  const double k = std::sqrt(2 / (1 + cosC));
  const double x = EARTH_RADIUS_KM * k * cosPhi * std::sin(dl);
  const double y = EARTH_RADIUS_KM * k * (m_cos0 * sinPhi - m_sin0 * cosPhi * cosDl);
  return {x, -y};
}

std::optional<GeoPoint> Projection::inverse(QPointF p) const
{
  const double x = p.x(), y = -p.y();
  const double rho = std::hypot(x, y);
  if (rho > 2 * EARTH_RADIUS_KM * (1 + 1e-12))
    return std::nullopt;
  if (rho < 1e-12)
    return GeoPoint{m_lat0, m_lon0};
  const double c = 2 * std::asin(std::min(1.0, rho / (2 * EARTH_RADIUS_KM)));
  const double sinC = std::sin(c), cosC = std::cos(c);
  const double lat = std::asin(std::clamp(cosC * m_sin0 + y * sinC * m_cos0 / rho, -1.0, 1.0)) / DEG;
  const double lon = m_lon0 + std::atan2(x * sinC, rho * m_cos0 * cosC - y * m_sin0 * sinC) / DEG;
  return GeoPoint{lat, wrapLon(lon)};
}

GeoPoint sphericalCentroid(const std::vector<GeoPoint>& points)
{
  double x = 0, y = 0, z = 0;
  for (const GeoPoint& g : points) {
    x += std::cos(g.lat * DEG) * std::cos(g.lon * DEG);
    y += std::cos(g.lat * DEG) * std::sin(g.lon * DEG);
    z += std::sin(g.lat * DEG);
  }
  const double h = std::hypot(x, y);
  if (points.empty() || (h < 1e-12 && std::abs(z) < 1e-12))
    return {};
  return GeoPoint{std::atan2(z, h) / DEG, h < 1e-12 ? 0.0 : std::atan2(y, x) / DEG};
}

// --- Atlas ---------------------------------------------------------------------------------------------------------

int isoNumeric(const std::string& alpha2)
{
  for (const IsoCode& c : ISO_CODES)
    if (alpha2 == c.alpha2)
      return c.numeric;
  return 0;
}

const Country* Atlas::byNumeric(int id) const
{
  if (id <= 0)
    return nullptr;
  for (const Country& c : countries)
    if (c.id == id)
      return &c;
  return nullptr;
}

const Country* Atlas::byAlpha2(const std::string& code) const
{
  if (code == "XK") // Kosovo: a user-assigned code, no numeric one
    for (const Country& c : countries)
      if (c.name == QLatin1String("Kosovo"))
        return &c;
  return byNumeric(isoNumeric(code));
}

std::optional<Atlas> decodeTopoJson(const QByteArray& text, const QString& object, QString* error)
{
  auto fail = [&](const QString& why) -> std::optional<Atlas> {
    if (error)
      *error = why;
    return std::nullopt;
  };
  QJsonParseError parseError{};
  const QJsonDocument doc = QJsonDocument::fromJson(text, &parseError);
  if (doc.isNull())
    return fail(QStringLiteral("not JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
  const QJsonObject root = doc.object();
  if (root.value(QLatin1String("type")).toString() != QLatin1String("Topology"))
    return fail(QStringLiteral("not a TopoJSON topology (\"type\" is not \"Topology\")"));
  double sx = 1, sy = 1, tx = 0, ty = 0;
  bool quantized = false;
  if (root.contains(QLatin1String("transform"))) {
    const QJsonObject t = root.value(QLatin1String("transform")).toObject();
    const QJsonArray scale = t.value(QLatin1String("scale")).toArray();
    const QJsonArray translate = t.value(QLatin1String("translate")).toArray();
    if (scale.size() != 2 || translate.size() != 2)
      return fail(QStringLiteral("transform needs a scale and a translate of two numbers each"));
    sx = scale[0].toDouble();
    sy = scale[1].toDouble();
    tx = translate[0].toDouble();
    ty = translate[1].toDouble();
    quantized = true;
  }
  Atlas atlas;
  const QJsonArray arcs = root.value(QLatin1String("arcs")).toArray();
  atlas.arcs.reserve(static_cast<std::size_t>(arcs.size()));
  for (const QJsonValue& av : arcs) {
    std::vector<GeoPoint> arc;
    const QJsonArray pts = av.toArray();
    arc.reserve(static_cast<std::size_t>(pts.size()));
    double x = 0, y = 0;
    for (const QJsonValue& pv : pts) {
      const QJsonArray p = pv.toArray();
      if (p.size() < 2)
        return fail(QStringLiteral("arc %1 has a point without two coordinates").arg(atlas.arcs.size()));
      if (quantized) { // delta-encoded integers
        x += p[0].toDouble();
        y += p[1].toDouble();
        arc.push_back(GeoPoint{y * sy + ty, x * sx + tx});
      } else {
        arc.push_back(GeoPoint{p[1].toDouble(), p[0].toDouble()});
      }
    }
    atlas.arcs.push_back(std::move(arc));
  }
  atlas.arcUse.assign(atlas.arcs.size(), 0);

  const QJsonObject objects = root.value(QLatin1String("objects")).toObject();
  if (!objects.contains(object))
    return fail(QStringLiteral("no object \"%1\"").arg(object));
  const QJsonArray geometries = objects.value(object).toObject().value(QLatin1String("geometries")).toArray();
  const int nArcs = static_cast<int>(atlas.arcs.size());
  for (const QJsonValue& gv : geometries) {
    const QJsonObject g = gv.toObject();
    const QString type = g.value(QLatin1String("type")).toString();
    QJsonArray polys;
    if (type == QLatin1String("Polygon"))
      polys.append(g.value(QLatin1String("arcs")));
    else if (type == QLatin1String("MultiPolygon"))
      polys = g.value(QLatin1String("arcs")).toArray();
    else
      continue; // null geometry or points: nothing to draw
    Country c;
    c.id = g.value(QLatin1String("id")).toVariant().toString().toInt();
    c.name = g.value(QLatin1String("properties")).toObject().value(QLatin1String("name")).toString();
    for (const QJsonValue& pv : polys) {
      std::vector<std::vector<GeoPoint>> polygon;
      for (const QJsonValue& rv : pv.toArray()) {
        std::vector<GeoPoint> ring;
        for (const QJsonValue& iv : rv.toArray()) {
          const int i = iv.toInt();
          const int a = i >= 0 ? i : ~i; // ~i: arc i reversed
          if (a >= nArcs)
            return fail(QStringLiteral("geometry \"%1\" uses arc %2 of %3").arg(c.name).arg(a).arg(nArcs));
          ++atlas.arcUse[static_cast<std::size_t>(a)];
          const auto& arc = atlas.arcs[static_cast<std::size_t>(a)];
          std::vector<GeoPoint> part(arc.begin(), arc.end());
          if (i < 0)
            std::reverse(part.begin(), part.end());
          // consecutive arcs share their end points
          ring.insert(ring.end(), part.begin() + (ring.empty() || part.empty() ? 0 : 1), part.end());
        }
        if (ring.size() >= 4)
          polygon.push_back(std::move(ring));
      }
      if (!polygon.empty())
        c.polygons.push_back(std::move(polygon));
    }
    if (c.polygons.empty())
      continue;
    double best = -1;
    for (std::size_t k = 0; k < c.polygons.size(); ++k) {
      const double a = std::abs(ringArea(c.polygons[k].front()));
      if (a > best) {
        best = a;
        c.mainPolygon = k;
      }
    }
    const auto& main = c.polygons[c.mainPolygon];
    c.south = c.north = main.front().front().lat;
    c.west = c.east = main.front().front().lon;
    for (const GeoPoint& p : main.front()) {
      c.south = std::min(c.south, p.lat);
      c.north = std::max(c.north, p.lat);
      c.west = std::min(c.west, p.lon);
      c.east = std::max(c.east, p.lon);
    }
    c.anchor = representativePoint(main);
    atlas.countries.push_back(std::move(c));
  }
  return atlas;
}

QString naturalEarthDir()
{
  const QByteArray env = qgetenv("CYBEREX_DATA");
  const QString base = env.isEmpty() ? QStringLiteral(CYBEREX_DATA_DIR) : QString::fromLocal8Bit(env);
  return base + QStringLiteral("/natural-earth");
}

const Atlas* naturalEarth(AtlasScale scale)
{
  // Loaded once, immutable afterwards; the lock only guards the first load (a layout may be computed off the GUI
  // thread).
  static std::mutex lock;
  static std::map<AtlasScale, std::unique_ptr<Atlas>> loaded;
  static std::map<AtlasScale, bool> tried;
  const std::lock_guard<std::mutex> guard(lock);
  if (tried[scale])
    return loaded[scale].get();
  tried[scale] = true;
  QFile f(naturalEarthDir() + (scale == AtlasScale::small110m ? QStringLiteral("/countries-110m.json")
                                                              : QStringLiteral("/countries-50m.json")));
  if (!f.open(QIODevice::ReadOnly))
    return nullptr;
  if (auto atlas = decodeTopoJson(f.readAll()))
    loaded[scale] = std::make_unique<Atlas>(std::move(*atlas));
  return loaded[scale].get();
}

std::optional<GeoPoint> countryAnchor(const std::string& alpha2)
{
  if (isoNumeric(alpha2) == 0 && alpha2 != "XK") // "EU", "INT", a typo: not worth loading the atlas for
    return std::nullopt;
  const Atlas* atlas = naturalEarth(AtlasScale::medium50m);
  const Country* c = atlas ? atlas->byAlpha2(alpha2) : nullptr;
  if (!c)
    return std::nullopt;
  return c->anchor;
}

} // namespace cyberex::gui
