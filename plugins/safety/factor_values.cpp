#include "plugins/safety/factor_values.hpp"

#include <algorithm>
#include <numbers>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/runner.hpp"
#include "geo/geos/geos.hpp"
#include "plugins/safety/util.hpp"
#include "plugins/safety/values_detail.hpp"

namespace trygg::plugins::safety {

namespace detail {

// Rows of a kind are appended layer by layer in project order
// (engine/runner.cpp), so the loaded counts of the earlier layers of the kind
// give the offset.
std::optional<std::pair<std::size_t, std::size_t>> layerRange(const engine::RunContext& ctx, model::LayerKind kind,
                                                              const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (!ctx.loaded) return std::nullopt;
  std::size_t off = 0;
  for (const auto& c : ctx.loaded->counts) {
    if (c.layer != kind) continue;
    if (c.layer_name == name) return std::make_pair(off, off + static_cast<std::size_t>(c.loaded));
    off += static_cast<std::size_t>(c.loaded);
  }
  return std::nullopt;
}

model::LayerKind kindOf(Source s) {
  switch (s) {
    case Source::Incidents: return model::LayerKind::Incidents;
    case Source::Observations: return model::LayerKind::Observations;
    case Source::Perception: return model::LayerKind::Perception;
    case Source::Overlay: return model::LayerKind::Measures;
  }
  return model::LayerKind::Measures;
}

Range rangeFor(const engine::RunContext& ctx, const Factor& f) {
  if (f.layer.empty()) return {};
  auto r = layerRange(ctx, kindOf(sourceOf(f.metric)), f.layer);
  if (!r) return {0, 0};
  return {r->first, r->second};
}

ValuesContext::ValuesContext(const engine::RunContext& c, const Catalogue& k, const std::vector<RoundSpec>& r,
                             OverlayMode m, Assessment& a, const std::vector<std::size_t>& only)
    : ctx(c), cat(k), rounds(r), mode(m), A(a) {
  const auto& places = *ctx.places;
  const auto& areas = *ctx.areas;
  P = places.size();
  F = cat.factors.size();
  R = rounds.size();
  NA = areas.size();
  on.assign(F, only.empty());
  for (auto f : only) on[f] = true;
  for (const auto& ar : areas) area_wkb.emplace_back(ar.geom.wkb);
  area_index = std::make_unique<geo::PolygonIndex>(area_wkb);
  A.place_area.assign(P, -1);
  A.place_areas.assign(P, {});
  std::vector<std::uint32_t> tmp;
  for (std::size_t p = 0; p < P; ++p) {
    area_index->containing(places[p].anchor, tmp);
    A.place_areas[p] = tmp;
    if (!tmp.empty()) A.place_area[p] = static_cast<int>(tmp.front());
  }
  area_size.assign(NA, 0);
  for (std::size_t i = 0; i < NA; ++i) area_size[i] = areas[i].geom.wkb.empty() ? 0 : geo::area(areas[i].geom.wkb);
  extent_size = std::max(0.0, ctx.extent.maxx - ctx.extent.minx) * std::max(0.0, ctx.extent.maxy - ctx.extent.miny);
  A.buffer_area = bufferAreas(0);
}

const std::vector<double>& ValuesContext::bufferAreas(double radius_crs) {
  auto it = m_buffer_areas.find(radius_crs);
  if (it != m_buffer_areas.end()) return it->second;
  const auto& places = *ctx.places;
  std::vector<double> v(P);
  for (std::size_t p = 0; p < P; ++p) {
    const double r = radius_crs > 0 ? radius_crs : places[p].radius;
    const bool polygon =
        !places[p].geom.wkb.empty() && geo::geometryType(places[p].geom.wkb).find("Polygon") != std::string::npos;
    v[p] = polygon ? geo::area(geo::buffer(places[p].geom.wkb, r)) : std::numbers::pi * r * r;
  }
  return m_buffer_areas[radius_crs] = std::move(v);
}

const geo::RadiusIndex& ValuesContext::placeIndex(double radius_crs) {
  auto it = m_idx.find(radius_crs);
  if (it != m_idx.end()) return *it->second;
  auto src = geo::RadiusIndex::sourcesFromPlaces(*ctx.places);
  if (radius_crs > 0)
    for (auto& s : src) s.radius = radius_crs;
  auto& stored = m_sources[radius_crs] = std::move(src);
  return *(m_idx[radius_crs] = std::make_unique<geo::RadiusIndex>(stored));
}

void ValuesContext::notAssessedAll(std::size_t r, std::size_t f, const std::string& why) {
  for (std::size_t p = 0; p < P; ++p) {
    auto& v = A.at(r, p, f);
    v = FactorValue{};
    v.note = why;
  }
}

double ValuesContext::expected(std::size_t p, double ref, const std::vector<double>& bufa) const {
  const int a = A.place_area[p];
  const double ref_size = a >= 0 ? area_size[static_cast<std::size_t>(a)] : extent_size;
  return ref_size > 0 ? ref * bufa[p] / ref_size : kNaN;
}

}  // namespace detail

bool measureInEffect(const model::Measure& m, EpochSeconds day_end, OverlayMode mode, bool removes) {
  const std::string s = lowerAscii(m.status);
  const bool done = s.empty() || s == "done" || s == "existing" || s == "klar" || s == "utförd";
  const bool dated_ok = m.date == kNoTime || day_end == kNoTime || m.date < day_end;
  const bool done_by_round = done && dated_ok;
  const bool counts_done = mode == OverlayMode::WhatIf ? true : done_by_round;
  // adds: the measure's geometry counts once done (lights). removes: the
  // geometry is a problem until its measure is done (vegetation to trim).
  return removes ? !counts_done : counts_done;
}

void checkLayers(const engine::RunContext& ctx, const Catalogue& cat) {
  for (const auto& f : cat.factors) {
    if (f.layer.empty()) continue;
    const auto kind = detail::kindOf(sourceOf(f.metric));
    if (!ctx.loaded)
      throwDataError("{}: factor '{}' names layer '{}', but the run has no project layers to look it up", f.where,
                     f.id, f.layer);
    if (!detail::layerRange(ctx, kind, f.layer)) {
      std::string names;
      for (const auto& c : ctx.loaded->counts)
        if (c.layer == kind) names += (names.empty() ? "" : ", ") + c.layer_name;
      throwDataError("{}: factor '{}' reads layer '{}', which is not a {} layer of the project ({}); fix the name or "
                     "remove the 'layer' key",
                     f.where, f.id, f.layer, model::layerKindId(kind), names.empty() ? "there is none" : names);
    }
  }
}

Assessment factorValues(const engine::RunContext& ctx, const Catalogue& cat, const std::vector<RoundSpec>& rounds,
                        OverlayMode mode, const std::vector<std::size_t>& only) {
  Assessment A;
  A.rounds = rounds;
  A.n_places = ctx.places->size();
  A.n_factors = cat.factors.size();
  A.values.assign(rounds.size() * A.n_places * A.n_factors, FactorValue{});
  detail::ValuesContext vc(ctx, cat, rounds, mode, A, only);
  detail::incidentValues(vc);
  detail::observationValues(vc);
  detail::perceptionValues(vc);
  detail::overlayValues(vc);
  return A;
}

}  // namespace trygg::plugins::safety

namespace trygg::plugins::safety::detail {

void countValue(FactorValue& v, std::int64_t n, double absolute_rate, bool absolute) {
  v.p = geo::scoring::poissonUpperTail(n, v.expected);
  if (absolute) v.value = absolute_rate;
  else v.value = n == 0 ? 0.0 : (v.expected > 0 ? static_cast<double>(n) / v.expected : kNaN);
  if (std::isnan(v.value)) v.value = std::numeric_limits<double>::infinity();
  v.measured = true;
}

}  // namespace trygg::plugins::safety::detail
