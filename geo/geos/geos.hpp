#pragma once
// Geometry operations on 2D ISO WKB (little endian) over the GEOS C API.
//
// Only GEOS's reentrant *_r functions are used, with one GEOS context per
// thread (thread_local), so every function here may be called from any
// number of threads at once. GEOS errors become trygg::DataError; GEOS
// notices (e.g. the reason a geometry is invalid) are kept for the message.
// Every result is 2D WKB, little endian, ISO flavour.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace trygg::geo {

using Wkb = std::vector<std::uint8_t>;
using WkbView = std::span<const std::uint8_t>;

struct RepairResult {
  Wkb wkb;                // Polygon or MultiPolygon, 2D; empty when !ok
  bool repaired = false;  // the input was invalid and MakeValid fixed it
  bool ok = false;        // a usable polygonal geometry came out
  std::string problem;    // why the input was invalid / unusable (GEOS's reason), or ""
};

// Valid polygons pass through (re-encoded as 2D WKB). Invalid ones are
// repaired with GEOSMakeValid (the "linework" method) and only their polygonal
// parts are kept: a bow-tie becomes a MultiPolygon of two triangles; parts that
// collapse to lines or points are dropped. ok = false for empty input,
// non-polygonal input, unreadable WKB, or a repair that leaves no area.
RepairResult makeValidPolygonal(WkbView wkb);

// Buffer with quadsegs segments per quarter circle (GEOS default 8; we default
// to 16 so a radius buffer's area is within 0.65 % of pi r^2).
Wkb buffer(WkbView wkb, double distance, int quadsegs = 16);
Wkb difference(WkbView a, WkbView b);
Wkb intersection(WkbView a, WkbView b);
// Union of all parts (GEOSUnaryUnion over a collection); an empty input list
// gives an empty GeometryCollection.
Wkb unionAll(const std::vector<WkbView>& parts);

double area(WkbView wkb);
double length(WkbView wkb);
// A point guaranteed inside a polygon (GEOSPointOnSurface); for a point, the point.
Point pointOnSurface(WkbView wkb);
Point centroid(WkbView wkb);
BBox bbox(WkbView wkb);  // empty BBox for an empty geometry
bool isEmpty(WkbView wkb);
bool isValid(WkbView wkb);
// "Polygon", "MultiPolygon", "Point", ... (GEOS's type names)
std::string geometryType(WkbView wkb);

Wkb fromWkt(std::string_view wkt);     // throws DataError on bad WKT
std::string toWkt(WkbView wkb);        // trimmed ("POINT (1 2)"), full precision
Wkb makePoint(double x, double y);     // 2D point WKB
// A simple polygon from one closed or open ring (it is closed if needed).
Wkb makePolygon(std::span<const Point> ring);

bool intersects(WkbView a, WkbView b);
bool contains(WkbView a, WkbView b);
bool covers(WkbView a, WkbView b);
double distance(WkbView a, WkbView b);

// A polygonal area parsed and prepared once (a GEOS prepared geometry) for many
// tests against small geometries such as grid cells: the area's WKB is not
// re-read per call, and the prepared index makes covers/intersects fast.
// Use it from the thread that created it (GEOS contexts are per thread).
class PreparedArea {
 public:
  explicit PreparedArea(WkbView area);
  ~PreparedArea();
  PreparedArea(const PreparedArea&) = delete;
  PreparedArea& operator=(const PreparedArea&) = delete;
  bool covers(WkbView g) const;
  bool intersects(WkbView g) const;
  // Area of the intersection with g (0 when disjoint).
  double intersectionArea(WkbView g) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace trygg::geo
