/* Map projections of the layout and the countries of Natural Earth (issue 19).
 *
 * The map is drawn in a Lambert azimuthal equal-area projection centred on the scenario (docs/gui.md, "The map's
 * geography"): areas are true everywhere, distances and shapes are nearly true within a few thousand kilometres of
 * the centre, and the whole globe but the antipode maps to one disc with no seam. Layout units are kilometres, y grows
 * southwards (screen direction). */
#pragma once

#include "cyberex/model.hpp"

#include <QByteArray>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace cyberex::gui {

/// Lambert azimuthal equal-area projection of a sphere of radius EARTH_RADIUS_KM, centred on (lat0, lon0).
class Projection {
public:
  static constexpr double EARTH_RADIUS_KM = 6371.0088; ///< mean radius of the WGS 84 ellipsoid

  Projection() = default;
  Projection(double lat0, double lon0);

  /// Layout units (km, y down) of a point given in degrees. The antipode of the centre, where the projection is
  /// undefined, maps to the top of the bounding circle.
  QPointF forward(const GeoPoint& g) const;
  /// The point whose forward() is P; nothing outside the disc of radius 2 R the globe maps to.
  std::optional<GeoPoint> inverse(QPointF p) const;
  /// Cosine of the great-circle angle between G and the centre (1 at the centre, -1 at the antipode).
  double cosDistance(const GeoPoint& g) const;

  double centerLat() const { return m_lat0; }
  double centerLon() const { return m_lon0; }

private:
  double m_lat0 = 0, m_lon0 = 0;
  double m_sin0 = 0, m_cos0 = 1;
};

/// The point on the unit sphere's surface closest to the mean of POINTS (their spherical centroid); (0, 0) when
/// there is none. Robust across the antimeridian.
GeoPoint sphericalCentroid(const std::vector<GeoPoint>& points);

/// One country of an atlas, in degrees.
struct Country {
  int id = 0;   ///< ISO 3166-1 numeric code; 0 when the atlas gives none (Kosovo, N. Cyprus, ...)
  QString name; ///< as the atlas writes it ("United States of America", "Czechia")
  /// Polygons, each a list of rings (the first is the outer boundary, the others holes), each a closed list of
  /// points (first point repeated last).
  std::vector<std::vector<std::vector<GeoPoint>>> polygons;
  std::size_t mainPolygon = 0; ///< index of the largest polygon (mainland: contiguous USA, not Alaska)
  double south = 0, west = 0, north = 0, east = 0; ///< bounding box of the main polygon
  GeoPoint anchor; ///< a representative point inside the main polygon (near its centroid, never in the sea)
};

/// Countries decoded from TopoJSON, with the arcs they share (borders) or own alone (coasts).
struct Atlas {
  std::vector<Country> countries;
  std::vector<std::vector<GeoPoint>> arcs; ///< every arc once, de-quantized
  std::vector<int> arcUse;                 ///< per arc: how many country rings use it (1: coast, 2: border)

  /// The country with numeric code ID, or nullptr.
  const Country* byNumeric(int id) const;
  /// The country of an ISO 3166-1 alpha-2 code ("US", "FI"; "XK" is Kosovo), or nullptr: "EU" and "INT" are not
  /// countries.
  const Country* byAlpha2(const std::string& code) const;
};

/// Decode TopoJSON TEXT (topology with a quantization `transform`, delta-encoded arcs; the object OBJECT made of
/// Polygon and MultiPolygon geometries). Nothing, and *ERROR set, when the text is not such a topology.
std::optional<Atlas> decodeTopoJson(const QByteArray& text, const QString& object = QStringLiteral("countries"),
                                    QString* error = nullptr);

/// ISO 3166-1 numeric code of an alpha-2 code, 0 when unknown.
int isoNumeric(const std::string& alpha2);

enum class AtlasScale { small110m, medium50m };

/// The directory of the shipped Natural Earth outlines: $CYBEREX_DATA/natural-earth if that variable is set, else
/// the data directory of the build (CYBEREX_DATA_DIR).
QString naturalEarthDir();

/// The shipped atlas at SCALE, loaded and decoded once per process (GUI thread); nullptr when the file is missing or
/// broken (the map then has no basemap and no country placement).
const Atlas* naturalEarth(AtlasScale scale);

/// Representative point of a country given by its alpha-2 code (from the 1:50m atlas, which has the small
/// countries too), or nothing.
std::optional<GeoPoint> countryAnchor(const std::string& alpha2);

} // namespace cyberex::gui
