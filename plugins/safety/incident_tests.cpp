#include "plugins/safety/incident_tests.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "geo/index/polygon_index.hpp"
#include "plugins/safety/util.hpp"

namespace trygg::plugins::safety {

namespace ch = geo::change;

namespace {

struct Periods {
  std::vector<Point> before, after;
};

Periods incidentsByPeriod(const engine::RunContext& ctx, const RoundSpec& first, const RoundSpec& last,
                          const std::array<bool, kCategoryCount>& cats) {
  const auto& inc = *ctx.incidents;
  Periods out;
  for (std::size_t i = 0; i < inc.size(); ++i) {
    if (!cats[static_cast<std::size_t>(inc.category[i])] || (inc.flags[i] & model::kFlagStacked)) continue;
    const double t = incidentTime(inc, i);
    if (std::isnan(t)) continue;
    if (t >= static_cast<double>(first.period_start) && t < static_cast<double>(first.day_end))
      out.before.push_back(inc.pts[i]);
    if (t >= static_cast<double>(last.period_start) && t < static_cast<double>(last.day_end))
      out.after.push_back(inc.pts[i]);
  }
  return out;
}

// Treated units (every area, every place covered by a started/done measure)
// with their buffer rings, and the control: the study extent minus every unit
// grown by wdq_buffer + control_gap.
geo::Wkb treatedUnits(const engine::RunContext& ctx, const Coverage& cov, const IncidentTestOptions& o,
                      std::vector<IncidentUnit>& units) {
  const auto& areas = *ctx.areas;
  const auto& places = *ctx.places;
  const double w = ctx.toCrsUnits(o.wdq_buffer_m), gap = ctx.toCrsUnits(o.control_gap_m);
  std::vector<geo::WkbView> area_parts;
  for (const auto& a : areas) area_parts.emplace_back(a.geom.wkb);
  const geo::Wkb areas_union = geo::unionAll(area_parts);
  std::vector<geo::Wkb> grown;
  for (const auto& a : areas) {
    IncidentUnit u{"area", a.id, a.name, geo::Wkb(a.geom.wkb.begin(), a.geom.wkb.end()), {}};
    u.ring = geo::difference(geo::buffer(a.geom.wkb, w), areas_union);
    grown.push_back(geo::buffer(a.geom.wkb, w + gap));
    units.push_back(std::move(u));
  }
  for (std::size_t p = 0; p < places.size(); ++p) {
    bool treated = false;
    for (auto i : cov.place_measures[p]) treated = treated || startedOrDone((*ctx.measures)[i]);
    if (!treated) continue;
    IncidentUnit u{"place", places[p].id, places[p].name, placeBuffer(places[p]), {}};
    u.ring = geo::difference(geo::buffer(u.geom, w), u.geom);
    grown.push_back(geo::buffer(u.geom, w + gap));
    units.push_back(std::move(u));
  }
  std::vector<geo::WkbView> gv;
  for (const auto& g : grown) gv.emplace_back(g);
  return geo::difference(rectangle(ctx.extent), geo::unionAll(gv));
}

void testUnits(IncidentTests& t, const Periods& pr, const geo::Wkb& control, double alpha) {
  std::vector<std::span<const std::uint8_t>> polys;
  for (const auto& u : t.units) polys.emplace_back(u.geom);
  for (const auto& u : t.units) polys.emplace_back(u.ring);
  polys.emplace_back(control);
  const geo::PolygonIndex pidx(polys);
  const std::size_t U = t.units.size();
  std::vector<std::int64_t> cb(2 * U + 1, 0), ca(2 * U + 1, 0);
  std::vector<std::uint32_t> off, ids;
  pidx.assign(pr.before, off, ids);
  for (auto k : ids) ++cb[k];
  pidx.assign(pr.after, off, ids);
  for (auto k : ids) ++ca[k];
  t.control_before = cb[2 * U];
  t.control_after = ca[2 * U];
  const double ta = t.days_after, tb = t.days_before;
  for (std::size_t k = 0; k < U; ++k) {
    auto& u = t.units[k];
    u.before = cb[k];
    u.after = ca[k];
    u.buffer_before = cb[U + k];
    u.buffer_after = ca[U + k];
    u.test = ch::poissonTest(u.after, u.before, ta, tb);
    u.rrr = ch::ratioOfRateRatios({u.after, u.before, ta, tb}, {t.control_after, t.control_before, ta, tb});
    u.wdq = ch::weightedDisplacementQuotient(
        {static_cast<double>(u.before), static_cast<double>(u.after), static_cast<double>(u.buffer_before),
         static_cast<double>(u.buffer_after), static_cast<double>(t.control_before),
         static_cast<double>(t.control_after)});
    const bool empty = u.before + u.after == 0;
    u.significant = !empty && u.test.pValue < alpha;
    const double rr = u.test.rateRatio;
    u.direction = empty || !std::isfinite(rr) ? (empty ? "no_data" : "rose")
                  : rr > 1                   ? "rose"
                  : rr < 1                   ? "fell"
                                             : "no_change";
    u.change_pct = !empty && std::isfinite(rr) ? 100 * (rr - 1) : NAN;
  }
}

void sppt(const engine::RunContext& ctx, const Periods& pr, const IncidentTestOptions& o, IncidentTests& t) {
  std::vector<std::int64_t> nb, na;
  if (o.sppt_units == "areas") {
    const auto& areas = *ctx.areas;
    std::vector<std::span<const std::uint8_t>> aw;
    for (const auto& a : areas) {
      aw.emplace_back(a.geom.wkb);
      t.cells.emplace_back(a.geom.wkb.begin(), a.geom.wkb.end());
      t.cell_ids.push_back(a.id);
    }
    const geo::PolygonIndex ai(aw);
    nb.assign(areas.size(), 0);
    na.assign(areas.size(), 0);
    std::vector<std::uint32_t> off, ids;
    ai.assign(pr.before, off, ids);
    for (auto k : ids) ++nb[k];
    ai.assign(pr.after, off, ids);
    for (auto k : ids) ++na[k];
  } else {
    const double c = ctx.toCrsUnits(o.sppt_cell_m);
    const auto& e = ctx.extent;
    const auto nx = static_cast<std::size_t>(std::ceil((e.maxx - e.minx) / c));
    const auto ny = static_cast<std::size_t>(std::ceil((e.maxy - e.miny) / c));
    if (nx * ny > 4'000'000) throwUsageError("{}: sppt_cell {} m gives {} cells; use a larger cell", o.where, o.sppt_cell_m, nx * ny);
    std::vector<std::int64_t> gb(nx * ny, 0), ga(nx * ny, 0);
    auto cellOf = [&](Point q) -> std::ptrdiff_t {
      const auto ix = static_cast<std::ptrdiff_t>(std::floor((q.x - e.minx) / c));
      const auto iy = static_cast<std::ptrdiff_t>(std::floor((q.y - e.miny) / c));
      if (ix < 0 || iy < 0 || ix >= static_cast<std::ptrdiff_t>(nx) || iy >= static_cast<std::ptrdiff_t>(ny)) return -1;
      return iy * static_cast<std::ptrdiff_t>(nx) + ix;
    };
    for (const auto& q : pr.before)
      if (auto k = cellOf(q); k >= 0) ++gb[static_cast<std::size_t>(k)];
    for (const auto& q : pr.after)
      if (auto k = cellOf(q); k >= 0) ++ga[static_cast<std::size_t>(k)];
    // Only cells with events in either period (the test's "robust" units).
    for (std::size_t k = 0; k < nx * ny; ++k) {
      if (gb[k] + ga[k] == 0) continue;
      const double x0 = e.minx + static_cast<double>(k % nx) * c, y0 = e.miny + static_cast<double>(k / nx) * c;
      t.cells.push_back(rectangle({x0, y0, x0 + c, y0 + c}));
      t.cell_ids.push_back(fmt::format("c{}_{}", k % nx, k / nx));
      nb.push_back(gb[k]);
      na.push_back(ga[k]);
    }
  }
  std::int64_t sb = 0, sa = 0;
  for (auto x : nb) sb += x;
  for (auto x : na) sa += x;
  if (sb == 0 || sa == 0) return;
  ch::SpptOptions so;
  so.samples = o.sppt_samples;
  so.seed = o.seed;
  t.sppt = ch::spatialPointPatternTest(nb, na, so);
  t.sppt_ran = true;
}

}  // namespace

IncidentTests incidentTests(const engine::RunContext& ctx, const std::vector<RoundSpec>& rounds, const Coverage& cov,
                            const IncidentTestOptions& o) {
  IncidentTests t;
  const std::size_t last = rounds.size() - 1;
  if (rounds.size() < 2 || rounds[0].day_end == kNoTime || rounds[last].day_end == kNoTime) {
    t.not_run = "not run: both rounds need a date (round_dates) for their incident periods";
    return t;
  }
  t.ran = true;
  auto cats = o.categories;
  if (std::none_of(cats.begin(), cats.end(), [](bool b) { return b; })) cats.fill(true);
  const Periods pr = incidentsByPeriod(ctx, rounds[0], rounds[last], cats);
  t.periods_overlap = rounds[last].period_start < rounds[0].day_end;
  t.days_before = static_cast<double>(rounds[0].day_end - rounds[0].period_start) / 86400.0;
  t.days_after = static_cast<double>(rounds[last].day_end - rounds[last].period_start) / 86400.0;
  const geo::Wkb control = treatedUnits(ctx, cov, o, t.units);
  testUnits(t, pr, control, o.alpha);
  sppt(ctx, pr, o, t);
  return t;
}

}  // namespace trygg::plugins::safety
