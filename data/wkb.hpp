#pragma once
// Small WKB and SpatiaLite-blob helpers for the store (reading polygons and
// points lives in geo/index/wkb_read.hpp).
//
// SpatiaLite's internal BLOB geometry (https://www.gaia-gis.it/gaia-sins/BLOB-Geometry.html)
// for a 2D point is 60 bytes:
//   0x00 | endian 0x01 | srid int32 | mbr minx miny maxx maxy (4 doubles) | 0x7C |
//   class int32 (1 = POINT) | x y (2 doubles) | 0xFE
// Writing it directly saves a GeomFromText/MakePoint call per row in bulk imports.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace trygg::data::wkb {

inline constexpr std::size_t kSpatialitePointSize = 60;

// Writes the 60-byte SpatiaLite point blob into out (little endian).
void spatialitePoint(Point p, std::int32_t srid, std::uint8_t* out);
std::vector<std::uint8_t> spatialitePoint(Point p, std::int32_t srid);
// Reads a SpatiaLite point blob (either endianness); nullopt when it is not one.
std::optional<Point> readSpatialitePoint(std::span<const std::uint8_t> blob);

// 2D ISO WKB, little endian.
std::vector<std::uint8_t> pointWkb(Point p);
std::vector<std::uint8_t> polygonWkb(const std::vector<std::vector<Point>>& rings);  // rings closed here if open

}  // namespace trygg::data::wkb
