#include "plugins/emerging/emerging_method.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "data/gpkg_writer.hpp"
#include "data/qml.hpp"
#include "engine/run_context.hpp"
#include "geo/hotspot/aoristic.hpp"
#include "geo/hotspot/emerging.hpp"

namespace trygg::plugins {

namespace hs = geo::hotspot;
using data::FieldType;
using data::Value;

namespace {

std::string colourOf(int code) {
  static const char* hot[] = {"#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#a50f15", "#67000d"};
  static const char* cold[] = {"#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"};
  // A fixed colour per category (darker = more established), ArcGIS-like.
  static const int order[] = {0, 7, 5, 6, 4, 3, 1, 2, 0};  // index by |code|
  if (code == 0) return "#f0f0f0";
  const int k = order[std::abs(code)];
  return code > 0 ? hot[k] : cold[k];
}

}  // namespace

EmergingMethod::EmergingMethod() {
  m_sel.declare(*this);
  m_units.declare(*this);
  addArg("step", "Length of a time step: N days, N weeks or N months (steps end at the window's end)", &m_step);
  addArg("time_lag", "Previous time steps in each bin's neighbourhood (ArcGIS default 1)", &m_time_lag).min(0);
  addArg("alpha", "Significance level of a bin (on FDR-adjusted p when fdr is on)", &m_alpha).minExclusive(0).max(0.5);
  addArg("fdr", "Benjamini–Hochberg over all bins of the cube, once", &m_fdr);
  addArg("mk_alpha", "Significance level of the Mann–Kendall trend", &m_mk_alpha).minExclusive(0).max(0.5);
  addArg("permutations", "Conditional permutations per bin (0 = analytic p)", &m_permutations).min(0);
  addArg("seed", "Random seed for permutations", &m_seed);
}

void EmergingMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  if (m_units.units != "grid" && m_units.weights != "queen" && m_units.weights != "rook" && m_units.weights != "knn" &&
      m_units.band <= 0)
    throwUsageError("{}: on areas, give a band or use queen/rook/knn weights", where);
  auto sel = engine::selectIncidents(ctx, m_sel, where);
  const auto& inc = *ctx.incidents;
  // Only incidents with a time enter the cube.
  std::vector<EpochSeconds> times;
  std::vector<std::size_t> keep;
  for (std::size_t s = 0; s < sel.index.size(); ++s) {
    const auto i = sel.index[s];
    if (inc.t_from[i] == kNoTime) continue;
    keep.push_back(s);
    times.push_back(hs::spanMidpoint(inc.t_from[i], inc.t_to[i]));
  }
  if (keep.empty()) throwDataError("{}: no selected incident has a time; emerging hot spots need times", where);
  engine::SelectedIncidents timed;
  for (auto s : keep) {
    timed.pts.push_back(sel.pts[s]);
    timed.weights.push_back(sel.weights[s]);
    timed.index.push_back(sel.index[s]);
  }
  auto units = engine::buildUnits(ctx, timed, m_units, where);
  units.band = ctx.toCrsUnits(m_units.band);
  const auto w = engine::buildWeights(units, m_units, true, where);

  hs::EmergingOptions o;
  o.step = hs::parseStepLength(m_step, where);
  o.time_lag = m_time_lag;
  o.alpha = m_alpha;
  o.fdr = m_fdr;
  o.mk_alpha = m_mk_alpha;
  o.permutations = m_permutations;
  o.seed = m_seed;

  EpochSeconds start = sel.window_start, end = sel.window_end;
  if (start == kNoTime) start = *std::min_element(times.begin(), times.end());
  if (end == kNoTime) end = *std::max_element(times.begin(), times.end()) + 1;
  std::vector<std::int64_t> cell_of(timed.pts.size(), -1);
  if (units.is_grid) {
    for (std::size_t s = 0; s < timed.pts.size(); ++s) cell_of[s] = units.grid.cellOf(timed.pts[s]);
  } else {
    for (std::size_t s = 0; s < timed.index.size(); ++s) {
      const auto i = timed.index[s];
      if (inc.area_offsets[i] < inc.area_offsets[i + 1]) cell_of[s] = inc.area_ids[inc.area_offsets[i]];
    }
  }
  const auto tz = engine::zoneOffsetFn(ctx.time_zone);
  const auto cube = hs::buildCube(units.ids.size(), cell_of, times, timed.weights, start, end, o, tz);
  if (cube.steps < 3)
    throwUsageError("{}: only {} time steps of '{}' fit in the window; use a shorter step or a longer window", where,
                    cube.steps, m_step);
  const auto r = hs::emergingHotspots(cube.values, cube.cells, cube.steps, w.offsets, w.neighbours, o);

  std::vector<data::QmlCategory> cats;
  for (int code : {1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -8, 0}) {
    const auto c = static_cast<hs::EmergingCategory>(code);
    cats.push_back({std::string(hs::emergingCategoryKey(c)), std::string(hs::emergingCategoryName(c)), colourOf(code)});
  }
  auto& L = ctx.gpkg->createLayer({.name = ctx.analysis_name,
                                   .geom = data::GeomType::Polygon,
                                   .fields = {{"unit_id", FieldType::String},
                                              {"pattern", FieldType::String},
                                              {"pattern_name", FieldType::String},
                                              {"code", FieldType::Integer},
                                              {"events", FieldType::Real},
                                              {"hot_steps", FieldType::Integer},
                                              {"cold_steps", FieldType::Integer},
                                              {"trend_tau", FieldType::Real},
                                              {"trend_z", FieldType::Real},
                                              {"trend_p", FieldType::Real},
                                              {"last_z", FieldType::Real}},
                                   .title = fmt::format("Emerging hot spots ({})", ctx.analysis_name),
                                   .description = r.p_source,
                                   .style_qml = data::qmlCategorized(data::GeomType::Polygon, "pattern", cats)});
  auto real = [](double v) { return std::isfinite(v) ? Value{v} : Value{}; };
  std::map<std::string, int> tally;
  for (std::size_t c = 0; c < r.locations.size(); ++c) {
    const auto& loc = r.locations[c];
    double events = 0;
    for (std::size_t t = 0; t < cube.steps; ++t) events += cube.at(c, t);
    const std::string key(hs::emergingCategoryKey(loc.category));
    ++tally[key];
    const Value v[] = {Value{units.ids[c]}, Value{key}, Value{std::string(hs::emergingCategoryName(loc.category))},
                       Value{static_cast<std::int64_t>(loc.code)}, Value{events},
                       Value{static_cast<std::int64_t>(loc.hot_steps)}, Value{static_cast<std::int64_t>(loc.cold_steps)},
                       real(loc.trend.tau), real(loc.trend.z), real(loc.trend.p),
                       loc.z.empty() ? Value{} : real(loc.z.back())};
    L.add(units.wkb[c], v);
  }
  // The cube itself, one row per cell × step.
  auto& T = ctx.gpkg->createLayer({.name = ctx.analysis_name + "_cube",
                                   .geom = data::GeomType::None,
                                   .fields = {{"unit_id", FieldType::String},
                                              {"step", FieldType::Integer},
                                              {"step_start", FieldType::DateTime},
                                              {"step_end", FieldType::DateTime},
                                              {"count", FieldType::Real},
                                              {"z", FieldType::Real},
                                              {"p", FieldType::Real},
                                              {"p_used", FieldType::Real},
                                              {"sig", FieldType::Integer}},
                                   .title = fmt::format("Space-time cube ({})", ctx.analysis_name),
                                   .description = "Counts, space-time Gi* z and p per cell and time step"});
  for (std::size_t c = 0; c < r.locations.size(); ++c) {
    const auto& loc = r.locations[c];
    for (std::size_t t = 0; t < cube.steps; ++t) {
      const Value v[] = {Value{units.ids[c]}, Value{static_cast<std::int64_t>(t + 1)},
                         Value{static_cast<std::int64_t>(cube.time.boundaries[t])},
                         Value{static_cast<std::int64_t>(cube.time.boundaries[t + 1])}, Value{cube.at(c, t)},
                         real(loc.z[t]), real(loc.p[t]), real(loc.p_used[t]), Value{static_cast<std::int64_t>(loc.sig[t])}};
      T.add({}, v);
    }
  }
  auto& m = *ctx.metadata;
  m["units"] = units.ids.size();
  m["weights"] = w.kind;
  m["steps"] = cube.steps;
  m["step"] = m_step;
  m["window"] = {cube.time.window_start, cube.time.window_end};
  m["events_in_dropped_partial_step"] = cube.time.events_in_dropped_step;
  m["events_used"] = cube.events_used;
  m["events_without_cell"] = cube.events_without_cell;
  m["p_source"] = r.p_source;
  m["precedence"] = "new > consecutive (run >= 2) > intensifying > diminishing > historical > persistent > sporadic > oscillating";
  m["patterns"] = tally;
  m["excluded_stacked"] = sel.excluded_stacked;
  m["selection"] = sel.description;
}

}  // namespace trygg::plugins
