// Stage 2, overlays: the mix of functions around a place (function_mix) and the
// share of its buffer covered by measures in effect (lit_share, cover_share).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "geo/geos/geos.hpp"
#include "plugins/safety/util.hpp"
#include "plugins/safety/values_detail.hpp"

namespace trygg::plugins::safety::detail {

namespace {

void functionMix(ValuesContext& vc, std::size_t f) {
  const Factor& fa = vc.cat.factors[f];
  const auto& places = *vc.ctx.places;
  const double wr = vc.ctx.toCrsUnits(fa.walk_radius_m);
  for (std::size_t p = 0; p < vc.P; ++p) {
    std::vector<std::string> kinds;
    std::int64_t k = 0;
    for (std::size_t q = 0; q < vc.P; ++q) {
      const double dx = places[q].anchor.x - places[p].anchor.x, dy = places[q].anchor.y - places[p].anchor.y;
      if (dx * dx + dy * dy > wr * wr) continue;
      ++k;
      if (!places[q].kind.empty()) kinds.push_back(places[q].kind);
    }
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    for (std::size_t r = 0; r < vc.R; ++r) {
      auto& v = vc.A.at(r, p, f);
      v.evidence = k;
      v.value = static_cast<double>(kinds.size());
      if (kinds.empty()) {
        v.note = "no place kinds given";
        continue;
      }
      v.measured = true;
    }
  }
}

// The coverage geometry of each measure of the factor's kind.
struct Covers {
  std::vector<std::size_t> ms;  // measure indices
  std::vector<geo::Wkb> cover;
  std::vector<BBox> box;
};

Covers covers(ValuesContext& vc, const Factor& fa) {
  const auto& measures = *vc.ctx.measures;
  const Range range = rangeFor(vc.ctx, fa);
  const std::string kind = lowerAscii(fa.measure_kind);
  Covers c;
  for (std::size_t i = 0; i < measures.size(); ++i)
    if (range.contains(i) && lowerAscii(measures[i].kind) == kind) c.ms.push_back(i);
  c.cover.resize(c.ms.size());
  c.box.resize(c.ms.size());
  for (std::size_t k = 0; k < c.ms.size(); ++k) {
    const auto& m = measures[c.ms[k]];
    const bool polygon = geo::geometryType(m.geom.wkb).find("Polygon") != std::string::npos;
    double r = std::isfinite(m.radius) && m.radius > 0 ? m.radius : 0;
    if (r == 0 && fa.metric == Metric::LitShare) r = vc.ctx.toCrsUnits(fa.default_radius_m);
    c.cover[k] = polygon && r == 0 ? geo::Wkb(m.geom.wkb.begin(), m.geom.wkb.end())
                                   : geo::buffer(m.geom.wkb, r > 0 ? r : vc.ctx.toCrsUnits(1.0));
    c.box[k] = geo::bbox(c.cover[k]);
  }
  return c;
}

void coveredShare(ValuesContext& vc, std::size_t f, const std::vector<geo::Wkb>& bufs) {
  const Factor& fa = vc.cat.factors[f];
  const auto& measures = *vc.ctx.measures;
  const Covers c = covers(vc, fa);
  if (c.ms.empty()) {
    for (std::size_t r = 0; r < vc.R; ++r)
      vc.notAssessedAll(r, f, fmt::format("no '{}' measures loaded (a measures layer with kind {})", fa.measure_kind,
                                          fa.measure_kind));
    return;
  }
  for (std::size_t p = 0; p < vc.P; ++p) {
    const BBox pb = geo::bbox(bufs[p]);
    const double pa = geo::area(bufs[p]);
    // Evidence of a `removes` factor: every polygon touching the buffer, trimmed or
    // not (a trimmed polygon shows the place was mapped and is now clear).
    std::int64_t touching = 0;
    if (fa.removes)
      for (std::size_t k = 0; k < c.ms.size(); ++k) {
        const auto& b = c.box[k];
        if (b.maxx < pb.minx || b.minx > pb.maxx || b.maxy < pb.miny || b.miny > pb.maxy) continue;
        touching += geo::intersects(c.cover[k], bufs[p]) ? 1 : 0;
      }
    for (std::size_t r = 0; r < vc.R; ++r) {
      std::vector<geo::WkbView> parts;
      for (std::size_t k = 0; k < c.ms.size(); ++k) {
        const auto& b = c.box[k];
        if (b.maxx < pb.minx || b.minx > pb.maxx || b.maxy < pb.miny || b.miny > pb.maxy) continue;
        if (!measureInEffect(measures[c.ms[k]], vc.rounds[r].day_end, vc.mode, fa.removes)) continue;
        parts.emplace_back(c.cover[k]);
      }
      auto& v = vc.A.at(r, p, f);
      double covered = 0;
      std::int64_t ev = fa.removes ? touching : 0;
      if (!parts.empty()) {
        if (!fa.removes)
          for (const auto& part : parts) ev += geo::intersects(part, bufs[p]) ? 1 : 0;
        const auto u_all = parts.size() == 1 ? geo::Wkb(parts[0].begin(), parts[0].end()) : geo::unionAll(parts);
        covered = geo::area(geo::intersection(u_all, bufs[p]));
      }
      v.evidence = ev;
      v.value = pa > 0 ? std::clamp(covered / pa, 0.0, 1.0) : kNaN;
      v.measured = true;
    }
  }
}

}  // namespace

void overlayValues(ValuesContext& vc) {
  const auto fs = vc.factorsWhere([](const Factor& f) { return sourceOf(f.metric) == Source::Overlay; });
  std::map<double, std::vector<geo::Wkb>> place_buffers;
  for (auto f : fs) {
    const Factor& fa = vc.cat.factors[f];
    if (fa.metric == Metric::FunctionMix) {
      functionMix(vc, f);
      continue;
    }
    const double rad = vc.radiusOf(fa);
    auto it = place_buffers.find(rad);
    if (it == place_buffers.end()) {
      std::vector<geo::Wkb> b(vc.P);
      for (std::size_t p = 0; p < vc.P; ++p)
        b[p] = placeBuffer((*vc.ctx.places)[p], rad > 0 ? rad : (*vc.ctx.places)[p].radius);
      it = place_buffers.emplace(rad, std::move(b)).first;
    }
    coveredShare(vc, f, it->second);
  }
}

}  // namespace trygg::plugins::safety::detail
