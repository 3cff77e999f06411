#pragma once
// Small value types shared by every module.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace trygg {

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

struct BBox {
  double minx = std::numeric_limits<double>::infinity();
  double miny = std::numeric_limits<double>::infinity();
  double maxx = -std::numeric_limits<double>::infinity();
  double maxy = -std::numeric_limits<double>::infinity();

  bool empty() const { return !(minx <= maxx && miny <= maxy); }
  double width() const { return empty() ? 0 : maxx - minx; }
  double height() const { return empty() ? 0 : maxy - miny; }
  void expand(double x, double y) {
    minx = std::min(minx, x);
    miny = std::min(miny, y);
    maxx = std::max(maxx, x);
    maxy = std::max(maxy, y);
  }
  void expand(const Point& p) { expand(p.x, p.y); }
  void expand(const BBox& b) {
    if (b.empty()) return;
    expand(b.minx, b.miny);
    expand(b.maxx, b.maxy);
  }
  BBox grown(double d) const { return {minx - d, miny - d, maxx + d, maxy + d}; }
  bool contains(double x, double y) const { return x >= minx && x <= maxx && y >= miny && y <= maxy; }
  bool intersects(const BBox& o) const {
    return !(o.minx > maxx || o.maxx < minx || o.miny > maxy || o.maxy < miny);
  }
};

// Times are seconds since 1970-01-01T00:00:00Z (UTC). kNoTime marks "absent".
using EpochSeconds = std::int64_t;
inline constexpr EpochSeconds kNoTime = std::numeric_limits<std::int64_t>::min();

}  // namespace trygg
