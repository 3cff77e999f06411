#pragma once
// Small helpers shared by the stages of the safety analysis.
#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/types.hpp"
#include "engine/run_context.hpp"
#include "geo/geos/geos.hpp"

namespace trygg::plugins::safety {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline std::string lowerAscii(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

// An empty filter matches anything; otherwise case-insensitive equality.
inline bool matchesFilter(const std::string& filter, const std::string& value) {
  return filter.empty() || lowerAscii(filter) == lowerAscii(value);
}

// An incident's time: NaN without one; a span counts at its midpoint.
inline double incidentTime(const engine::IncidentColumns& inc, std::size_t i) {
  if (inc.t_from[i] == kNoTime) return kNaN;
  if (inc.t_to[i] == kNoTime || inc.t_to[i] == inc.t_from[i]) return static_cast<double>(inc.t_from[i]);
  return (static_cast<double>(inc.t_from[i]) + static_cast<double>(inc.t_to[i])) / 2;
}

// A place's buffer: its point or polygon grown by `radius` (CRS units).
inline geo::Wkb placeBuffer(const model::Place& p, double radius) {
  if (p.geom.wkb.empty()) return geo::buffer(geo::makePoint(p.anchor.x, p.anchor.y), radius);
  return geo::buffer(p.geom.wkb, radius);
}
inline geo::Wkb placeBuffer(const model::Place& p) { return placeBuffer(p, p.radius); }

inline geo::Wkb rectangle(const BBox& b) {
  const Point ring[] = {{b.minx, b.miny}, {b.maxx, b.miny}, {b.maxx, b.maxy}, {b.minx, b.maxy}};
  return geo::makePolygon(ring);
}

// A measure's status in lower case: started or done (a measure of the project under way).
inline bool startedOrDone(const model::Measure& m) {
  const std::string s = lowerAscii(m.status);
  return s == "started" || s == "done";
}

}  // namespace trygg::plugins::safety
