#include "plugins/safety/overlay.hpp"

#include "geo/index/polygon_index.hpp"
#include "plugins/safety/util.hpp"

namespace trygg::plugins::safety {

namespace {

geo::Wkb coverageOf(const model::Measure& m, double line_radius_crs) {
  const std::string type = geo::geometryType(m.geom.wkb);
  const double r = std::isfinite(m.radius) && m.radius > 0 ? m.radius : 0;
  if (type.find("Polygon") != std::string::npos)
    return r > 0 ? geo::buffer(m.geom.wkb, r) : geo::Wkb(m.geom.wkb.begin(), m.geom.wkb.end());
  return geo::buffer(m.geom.wkb, r > 0 ? r : line_radius_crs);
}

}  // namespace

std::string Coverage::measureIds(const std::vector<model::Measure>& measures, std::size_t p) const {
  std::string s;
  for (auto i : place_measures[p]) s += (s.empty() ? "" : ",") + measures[i].id;
  return s;
}

Coverage measureCoverage(const engine::RunContext& ctx, double line_radius_crs) {
  const auto& places = *ctx.places;
  const auto& measures = *ctx.measures;
  const std::size_t P = places.size();
  Coverage c;
  c.cover.resize(measures.size());
  c.covered_places.resize(measures.size());
  c.place_measures.resize(P);
  std::vector<geo::Wkb> pbuf(P);
  std::vector<BBox> pbox(P);
  for (std::size_t p = 0; p < P; ++p) {
    pbuf[p] = placeBuffer(places[p]);
    pbox[p] = geo::bbox(pbuf[p]);
  }
  for (std::size_t i = 0; i < measures.size(); ++i) {
    if (measures[i].geom.wkb.empty()) continue;
    c.cover[i] = coverageOf(measures[i], line_radius_crs);
    const BBox b = geo::bbox(c.cover[i]);
    for (std::size_t p = 0; p < P; ++p) {
      const auto& q = pbox[p];
      if (b.maxx < q.minx || b.minx > q.maxx || b.maxy < q.miny || b.miny > q.maxy) continue;
      if (geo::intersects(c.cover[i], pbuf[p])) {
        c.covered_places[i].push_back(static_cast<std::uint32_t>(p));
        c.place_measures[p].push_back(static_cast<std::uint32_t>(i));
      }
    }
  }
  return c;
}

OverlayResult overlay(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A, const Coverage& cov) {
  const auto& places = *ctx.places;
  const auto& measures = *ctx.measures;
  const std::size_t last = A.rounds.size() - 1;
  // Unsafe pins of the latest round inside each measure's coverage.
  std::vector<std::span<const std::uint8_t>> cw;
  for (const auto& c : cov.cover) cw.emplace_back(c);
  const geo::PolygonIndex cidx(cw);
  std::vector<std::int64_t> pins(measures.size(), 0);
  std::vector<std::uint32_t> tmp;
  for (const auto& q : *ctx.perception) {
    if (q.kind != model::Perception::Kind::Pin || !q.has_point || q.round != A.rounds[last].name) continue;
    cidx.containing(q.pt, tmp);
    for (auto i : tmp) ++pins[i];
  }
  // Hot spot cells (Gi_Bin > 0) of the latest Gi* analysis that ran before this one.
  const engine::HotspotCells* hot = ctx.hotspot_cells.empty() ? nullptr : &ctx.hotspot_cells.back();
  std::vector<BBox> hot_box;
  if (hot)
    for (const auto& c : hot->cells) hot_box.push_back(geo::bbox(c));
  OverlayResult out;
  out.hotspot_analysis = hot ? hot->analysis : std::string();
  for (std::size_t i = 0; i < measures.size(); ++i) {
    if (cov.cover[i].empty()) continue;
    MeasureOverlay m;
    m.measure = i;
    m.unsafe_pins = pins[i];
    for (auto p : cov.covered_places[i]) {
      m.places += (m.places.empty() ? "" : ",") + places[p].id;
      for (std::size_t f = 0; f < cat.factors.size(); ++f)
        if (A.at(last, p, f).colour == geo::scoring::Colour::Red) {
          m.red_factors += (m.red_factors.empty() ? "" : ",") + places[p].id + ":" + cat.factors[f].id;
          ++m.n_red_factors;
        }
    }
    if (hot) {
      const BBox b = geo::bbox(cov.cover[i]);
      std::int64_t n = 0;
      for (std::size_t k = 0; k < hot->cells.size(); ++k)
        if (hot->bin[k] > 0 && b.intersects(hot_box[k]) && geo::intersects(cov.cover[i], hot->cells[k])) ++n;
      m.hotspot_cells = n;
    }
    out.covering += !cov.covered_places[i].empty();
    out.rows.push_back(std::move(m));
  }
  return out;
}

}  // namespace trygg::plugins::safety
