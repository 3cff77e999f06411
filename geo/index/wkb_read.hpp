#pragma once
// A minimal reader of 2D ISO/OGC WKB (and PostGIS EWKB flags) for what the
// spatial indexes need: polygon rings and points. Z and M ordinates are skipped.
// Malformed or truncated input throws trygg::DataError.
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace trygg::geo::wkb {

enum class GeomType : std::uint32_t {
  Point = 1, LineString = 2, Polygon = 3, MultiPoint = 4, MultiLineString = 5,
  MultiPolygon = 6, GeometryCollection = 7,
};

// Rings of one polygonal geometry, flattened: ring r is pts[starts[r] .. starts[r+1]).
struct Rings {
  std::vector<Point> pts;
  std::vector<std::uint32_t> starts{0};
  std::size_t ringCount() const { return starts.size() - 1; }
  BBox bbox() const {
    BBox b;
    for (const Point& p : pts) b.expand(p);
    return b;
  }
};

// The base geometry type (Z/M/SRID flags removed).
GeomType geometryType(std::span<const std::uint8_t> wkb);

// All rings of a Polygon, MultiPolygon or a GeometryCollection of those.
// Anything else throws DataError.
Rings polygonRings(std::span<const std::uint8_t> wkb);

// The point of a Point geometry. Anything else throws DataError.
Point point(std::span<const std::uint8_t> wkb);

}  // namespace trygg::geo::wkb
