#pragma once
// Test helpers: 2D little-endian ISO WKB for polygons and multipolygons.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/types.hpp"

namespace trygg::test {

using Ring = std::vector<Point>;

inline void putU32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  std::uint8_t t[4];
  std::memcpy(t, &v, 4);
  b.insert(b.end(), t, t + 4);
}
inline void putF64(std::vector<std::uint8_t>& b, double v) {
  std::uint8_t t[8];
  std::memcpy(t, &v, 8);
  b.insert(b.end(), t, t + 8);
}
inline void putPolygon(std::vector<std::uint8_t>& b, const std::vector<Ring>& rings) {
  b.push_back(1);
  putU32(b, 3);
  putU32(b, static_cast<std::uint32_t>(rings.size()));
  for (const Ring& r : rings) {
    putU32(b, static_cast<std::uint32_t>(r.size() + 1));
    for (const Point& p : r) { putF64(b, p.x); putF64(b, p.y); }
    putF64(b, r.front().x);  // closed
    putF64(b, r.front().y);
  }
}
inline std::vector<std::uint8_t> polygonWkb(const std::vector<Ring>& rings) {
  std::vector<std::uint8_t> b;
  putPolygon(b, rings);
  return b;
}
inline std::vector<std::uint8_t> multiPolygonWkb(const std::vector<std::vector<Ring>>& parts) {
  std::vector<std::uint8_t> b{1};
  putU32(b, 6);
  putU32(b, static_cast<std::uint32_t>(parts.size()));
  for (const auto& p : parts) putPolygon(b, p);
  return b;
}
inline std::vector<std::uint8_t> pointWkb(Point p) {
  std::vector<std::uint8_t> b{1};
  putU32(b, 1);
  putF64(b, p.x);
  putF64(b, p.y);
  return b;
}
inline Ring box(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

}  // namespace trygg::test
