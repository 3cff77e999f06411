#include "plugins/safety/change.hpp"

#include <fmt/format.h>

#include "geo/geos/geos.hpp"
#include "geo/index/polygon_index.hpp"
#include "plugins/safety/util.hpp"

namespace trygg::plugins::safety {

namespace sc = geo::scoring;

std::string_view placeChangeId(PlaceChangeClass c) {
  switch (c) {
    case PlaceChangeClass::Improved: return "improved";
    case PlaceChangeClass::Unchanged: return "unchanged";
    case PlaceChangeClass::Worse: return "worse";
    case PlaceChangeClass::Mixed: return "mixed";
    case PlaceChangeClass::NotComparable: return "not_comparable";
  }
  return "not_comparable";
}

namespace {

// The net change: more factors improved than got worse, or the opposite.
PlaceChangeClass classOf(const sc::ChangeSummary& s) {
  if (s.pairs == 0) return PlaceChangeClass::NotComparable;
  if (s.improved > s.worse) return PlaceChangeClass::Improved;
  if (s.worse > s.improved) return PlaceChangeClass::Worse;
  if (s.improved > 0) return PlaceChangeClass::Mixed;
  return PlaceChangeClass::Unchanged;
}

// Measures per area: in the area (its point on surface), excluding existing
// stock done before the baseline period; started or done against the goal.
void measuresPerArea(const engine::RunContext& ctx, const RoundSpec& first, ChangeResult& out) {
  const auto& areas = *ctx.areas;
  out.measures.assign(areas.size(), 0);
  out.measures_started_done.assign(areas.size(), 0);
  std::vector<std::span<const std::uint8_t>> awkb;
  for (const auto& a : areas) awkb.emplace_back(a.geom.wkb);
  const geo::PolygonIndex aidx(awkb);
  std::vector<std::uint32_t> tmp;
  for (const auto& m : *ctx.measures) {
    if (m.geom.wkb.empty()) continue;
    aidx.containing(geo::pointOnSurface(m.geom.wkb), tmp);
    const bool sd = startedOrDone(m);
    if (lowerAscii(m.status) == "done" && m.date != kNoTime && first.day_end != kNoTime && m.date < first.period_start)
      continue;
    for (auto a : tmp) {
      ++out.measures[a];
      out.measures_started_done[a] += sd;
    }
  }
}

}  // namespace

ChangeResult colourChanges(const engine::RunContext& ctx, const Assessment& A) {
  const auto& places = *ctx.places;
  const std::size_t P = A.n_places, F = A.n_factors, last = A.rounds.size() - 1;
  ChangeResult out;
  out.n_factors = F;
  out.pairs.resize(P * F);
  out.places.resize(P);
  out.areas.resize(ctx.areas->size());
  for (std::size_t p = 0; p < P; ++p) {
    auto& pc = out.places[p];
    for (std::size_t f = 0; f < F; ++f) {
      const auto& b = A.at(0, p, f);
      const auto& a = A.at(last, p, f);
      out.pairs[p * F + f] = {b.colour, a.colour, b.score, a.score, sc::changeOf(b.colour, a.colour)};
      for (auto ai : A.place_areas[p]) out.areas[ai].add(b.colour, a.colour);
      out.total.add(b.colour, a.colour);
      pc.summary.add(b.colour, a.colour);
    }
    pc.change = classOf(pc.summary);
    pc.label = pc.summary.pairs > 0 ? fmt::format("{} ({}/{} improved)", places[p].name, pc.summary.improved,
                                                  pc.summary.pairs)
                                    : fmt::format("{} (not comparable)", places[p].name);
  }
  measuresPerArea(ctx, A.rounds[0], out);
  return out;
}

}  // namespace trygg::plugins::safety
