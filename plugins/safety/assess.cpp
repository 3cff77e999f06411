#include "plugins/safety/assess.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numbers>
#include <unordered_map>

#include <date/date.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "engine/runner.hpp"
#include "engine/selection.hpp"
#include "geo/geos/geos.hpp"
#include "geo/index/polygon_index.hpp"
#include "geo/index/radius_index.hpp"

namespace trygg::plugins::safety {

namespace sc = geo::scoring;
using model::Perception;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string lowerAscii(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}
bool matches(const std::string& filter, const std::string& value) {
  return filter.empty() || lowerAscii(filter) == lowerAscii(value);
}

std::string ymdOf(EpochSeconds t, const std::string& zone) {
  const auto off = engine::zoneOffsetFn(zone)(t);
  const auto days = date::floor<date::days>(date::sys_seconds{std::chrono::seconds{t + off}});
  const date::year_month_day ymd{days};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// YYYY-MM-DD shifted by whole days or months (day clamped to the month's end).
std::string shiftYmd(const std::string& ymd, int months, int days) {
  int y = 0, m = 0, d = 0;
  std::sscanf(ymd.c_str(), "%d-%d-%d", &y, &m, &d);
  date::year_month_day v{date::year{y} / m / d};
  if (months != 0) {
    const auto ym = date::year_month{v.year(), v.month()} + date::months{months};
    const auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
    v = date::year_month_day{ym.year(), ym.month(), std::min(v.day(), last)};
  }
  if (days != 0) v = date::year_month_day{date::sys_days{v} + date::days{days}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(v.year()), static_cast<unsigned>(v.month()),
                     static_cast<unsigned>(v.day()));
}

double incidentTime(const engine::IncidentColumns& inc, std::size_t i) {
  if (inc.t_from[i] == kNoTime) return kNaN;
  if (inc.t_to[i] == kNoTime || inc.t_to[i] == inc.t_from[i]) return static_cast<double>(inc.t_from[i]);
  return (static_cast<double>(inc.t_from[i]) + static_cast<double>(inc.t_to[i])) / 2;  // span: its midpoint
}

// Rows [begin, end) of layer `name` of one kind: rows of a kind are appended
// layer by layer in project order (engine/runner.cpp), so the loaded counts of
// the earlier layers of the kind give the offset.
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

struct Range {
  std::size_t begin = 0, end = SIZE_MAX;
  bool contains(std::size_t i) const { return i >= begin && i < end; }
};

Range rangeFor(const engine::RunContext& ctx, const Factor& f) {
  if (f.layer.empty()) return {};
  auto r = layerRange(ctx, kindOf(sourceOf(f.metric)), f.layer);
  if (!r) return {0, 0};
  return {r->first, r->second};
}

// The places' radius index for one radius override (CRS units; 0 = own radius).
struct PlaceIndexes {
  const engine::RunContext& ctx;
  std::map<double, std::vector<geo::RadiusSource>> sources;
  std::map<double, std::unique_ptr<geo::RadiusIndex>> idx;
  const geo::RadiusIndex& get(double radius_crs) {
    auto it = idx.find(radius_crs);
    if (it != idx.end()) return *it->second;
    auto src = geo::RadiusIndex::sourcesFromPlaces(*ctx.places);
    if (radius_crs > 0)
      for (auto& s : src) s.radius = radius_crs;
    auto& stored = sources[radius_crs] = std::move(src);
    return *(idx[radius_crs] = std::make_unique<geo::RadiusIndex>(stored));
  }
};

geo::Wkb placeBuffer(const model::Place& p, double radius) {
  if (p.geom.wkb.empty()) return geo::buffer(geo::makePoint(p.anchor.x, p.anchor.y), radius);
  return geo::buffer(p.geom.wkb, radius);
}

}  // namespace

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
    const auto kind = kindOf(sourceOf(f.metric));
    if (!ctx.loaded)
      throwDataError("{}: factor '{}' names layer '{}', but the run has no project layers to look it up", f.where,
                     f.id, f.layer);
    if (!layerRange(ctx, kind, f.layer)) {
      std::string names;
      for (const auto& c : ctx.loaded->counts)
        if (c.layer == kind) names += (names.empty() ? "" : ", ") + c.layer_name;
      throwDataError("{}: factor '{}' reads layer '{}', which is not a {} layer of the project ({}); fix the name or "
                     "remove the 'layer' key",
                     f.where, f.id, f.layer, model::layerKindId(kind), names.empty() ? "there is none" : names);
    }
  }
}

std::vector<RoundSpec> resolveRounds(const engine::RunContext& ctx, const AssessOptions& o) {
  if (o.rounds.empty()) throwUsageError("{}: rounds: give at least one round name (e.g. baseline, followup)", o.where);
  if (!o.round_dates.empty() && o.round_dates.size() != o.rounds.size())
    throwUsageError("{}: round_dates has {} dates for {} rounds; give one date per round (YYYY-MM-DD) or none",
                    o.where, o.round_dates.size(), o.rounds.size());
  std::vector<RoundSpec> out;
  for (std::size_t r = 0; r < o.rounds.size(); ++r) {
    RoundSpec s;
    s.name = o.rounds[r];
    s.years = o.incident_months / 12.0;
    EpochSeconds latest_obs = kNoTime, latest_per = kNoTime;
    if (ctx.observations)
      for (const auto& ob : *ctx.observations)
        if (ob.round == s.name) {
          ++s.observations;
          if (ob.time != kNoTime) latest_obs = latest_obs == kNoTime ? ob.time : std::max(latest_obs, ob.time);
        }
    if (ctx.perception)
      for (const auto& pe : *ctx.perception)
        if (pe.round == s.name) {
          (pe.kind == Perception::Kind::Pin ? s.pins : s.answers) += 1;
          if (pe.time != kNoTime) latest_per = latest_per == kNoTime ? pe.time : std::max(latest_per, pe.time);
        }
    if (!o.round_dates.empty() && !o.round_dates[r].empty()) {
      s.date = o.round_dates[r];
      s.date_source = "given";
    } else if (latest_obs != kNoTime) {
      s.date = ymdOf(latest_obs, ctx.time_zone);
      s.date_source = "latest observation";
    } else if (latest_per != kNoTime) {
      s.date = ymdOf(latest_per, ctx.time_zone);
      s.date_source = "latest perception";
    } else {
      s.date_source = "unknown";
    }
    if (!s.date.empty()) {
      const std::string w = fmt::format("{}: round {} date", o.where, s.name);
      (void)engine::localDayStart(s.date, ctx.time_zone, w);  // validates
      s.day_end = engine::localDayStart(shiftYmd(s.date, 0, 1), ctx.time_zone, w);
      s.period_start = engine::localDayStart(shiftYmd(shiftYmd(s.date, 0, 1), -o.incident_months, 0), ctx.time_zone, w);
    }
    out.push_back(std::move(s));
  }
  return out;
}

Assessment assess(const engine::RunContext& ctx, const Catalogue& cat, const std::vector<RoundSpec>& rounds,
                  OverlayMode mode, const std::vector<std::size_t>& only) {
  Assessment A;
  A.rounds = rounds;
  const auto& places = *ctx.places;
  const auto& areas = *ctx.areas;
  const std::size_t P = places.size(), F = cat.factors.size(), R = rounds.size(), NA = areas.size();
  A.n_places = P;
  A.n_factors = F;
  A.values.assign(R * P * F, FactorValue{});
  std::vector<bool> on(F, only.empty());
  for (auto k : only) on[k] = true;
  const double u = ctx.unit_metres;

  // Place -> areas, buffer areas, area sizes.
  std::vector<std::span<const std::uint8_t>> area_wkb;
  for (const auto& a : areas) area_wkb.emplace_back(a.geom.wkb);
  const geo::PolygonIndex area_index(area_wkb);
  A.place_area.assign(P, -1);
  A.place_areas.assign(P, {});
  std::vector<std::uint32_t> tmp;
  for (std::size_t p = 0; p < P; ++p) {
    area_index.containing(places[p].anchor, tmp);
    A.place_areas[p] = tmp;
    if (!tmp.empty()) A.place_area[p] = static_cast<int>(tmp.front());
  }
  std::vector<double> area_size(NA);
  for (std::size_t a = 0; a < NA; ++a) area_size[a] = areas[a].geom.wkb.empty() ? 0 : geo::area(areas[a].geom.wkb);
  const double extent_size = std::max(0.0, ctx.extent.maxx - ctx.extent.minx) * std::max(0.0, ctx.extent.maxy - ctx.extent.miny);
  // Buffer area of place p for a radius (CRS units; 0 = own).
  std::map<double, std::vector<double>> buffer_areas;
  auto bufferAreas = [&](double radius_crs) -> const std::vector<double>& {
    auto it = buffer_areas.find(radius_crs);
    if (it != buffer_areas.end()) return it->second;
    std::vector<double> v(P);
    for (std::size_t p = 0; p < P; ++p) {
      const double r = radius_crs > 0 ? radius_crs : places[p].radius;
      const bool polygon = !places[p].geom.wkb.empty() && geo::geometryType(places[p].geom.wkb).find("Polygon") != std::string::npos;
      v[p] = polygon ? geo::area(geo::buffer(places[p].geom.wkb, r)) : std::numbers::pi * r * r;
    }
    return buffer_areas[radius_crs] = std::move(v);
  };
  A.buffer_area = bufferAreas(0);
  PlaceIndexes pidx{ctx, {}, {}};

  auto finish = [&](const Factor& f, FactorValue& v) {
    v.score = f.table(v.value);
    v.colour = f.bands.colourOf(v.score);
    if (v.evidence < f.min_evidence) {
      v.too_little_evidence = true;
      v.colour = sc::Colour::NotAssessed;
      if (v.note.empty()) v.note = fmt::format("{} pieces of evidence, fewer than {}", v.evidence, f.min_evidence);
    }
  };
  // A count factor (incidents or pins near a place): value is the rate (absolute,
  // given) or the count relative to its expectation; then the score, colour and
  // the small-count guard.
  auto finishCount = [&](const Factor& f, FactorValue& v, std::int64_t n, double absolute_rate, bool absolute) {
    v.p = sc::poissonUpperTail(n, v.expected);
    if (absolute) v.value = absolute_rate;
    else v.value = n == 0 ? 0.0 : (v.expected > 0 ? static_cast<double>(n) / v.expected : kNaN);
    if (std::isnan(v.value)) v.value = std::numeric_limits<double>::infinity();
    finish(f, v);
    if (f.guard) {
      const auto g = sc::smallCountGuard(n, v.expected, f.guard_options);
      const auto c2 = sc::guardColour(v.colour, g);
      if (c2 != v.colour) {
        v.guarded = true;
        v.note = "small-count guard: " + g.reason;
        v.colour = c2;
      }
    }
  };
  auto notAssessedAll = [&](std::size_t r, std::size_t f, const std::string& why) {
    for (std::size_t p = 0; p < P; ++p) {
      auto& v = A.at(r, p, f);
      v = FactorValue{};
      v.note = why;
    }
  };

  // ---------------------------------------------------------------- incidents
  {
    std::vector<std::size_t> inc_factors;
    for (std::size_t f = 0; f < F; ++f)
      if (on[f] && sourceOf(cat.factors[f].metric) == Source::Incidents) inc_factors.push_back(f);
    if (!inc_factors.empty()) {
      const auto* incp = ctx.incidents;
      const std::size_t N = incp ? incp->size() : 0;
      // Selected incidents: in some round's period, not stacked, with a time.
      std::vector<Point> pts;
      std::vector<std::uint32_t> rmask;
      std::vector<std::uint32_t> src;  // incident index
      std::vector<std::int64_t> any_in_period(R, 0);
      std::int64_t stacked = 0;
      for (std::size_t i = 0; i < N; ++i) {
        const double t = incidentTime(*incp, i);
        if (std::isnan(t)) continue;
        std::uint32_t m = 0;
        for (std::size_t r = 0; r < R; ++r)
          if (rounds[r].day_end != kNoTime && t >= static_cast<double>(rounds[r].period_start) &&
              t < static_cast<double>(rounds[r].day_end))
            m |= 1u << r;
        if (!m) continue;
        if (incp->flags[i] & model::kFlagStacked) {
          ++stacked;
          continue;
        }
        for (std::size_t r = 0; r < R; ++r)
          if (m & (1u << r)) ++any_in_period[r];
        pts.push_back(incp->pts[i]);
        rmask.push_back(m);
        src.push_back(static_cast<std::uint32_t>(i));
      }
      if (stacked > 0)
        A.notes.push_back(fmt::format("{} incidents stacked on one coordinate (geocoding fallbacks) were left out of "
                                      "the place counts", stacked));
      // Reference counts: per round × area × category, and the whole extent.
      std::vector<std::uint32_t> aoff, aids;
      area_index.assign(pts, aoff, aids);
      std::vector<std::int64_t> area_cnt(R * NA * kCategoryCount, 0), ext_cnt(R * kCategoryCount, 0);
      for (std::size_t k = 0; k < pts.size(); ++k) {
        const auto c = static_cast<std::size_t>(incp->category[src[k]]);
        for (std::size_t r = 0; r < R; ++r) {
          if (!(rmask[k] & (1u << r))) continue;
          ++ext_cnt[r * kCategoryCount + c];
          for (auto j = aoff[k]; j < aoff[k + 1]; ++j) ++area_cnt[(r * NA + aids[j]) * kCategoryCount + c];
        }
      }
      // Place counts per radius override.
      std::map<double, std::vector<std::int64_t>> place_cnt;  // [(r * P + p) * C + c]
      for (auto f : inc_factors) {
        const double rad = cat.factors[f].radius_m > 0 ? ctx.toCrsUnits(cat.factors[f].radius_m) : 0;
        if (place_cnt.count(rad)) continue;
        auto& cnt = place_cnt[rad];
        cnt.assign(R * P * kCategoryCount, 0);
        std::vector<std::uint32_t> poff, pids;
        pidx.get(rad).assign(pts, poff, pids);
        for (std::size_t k = 0; k < pts.size(); ++k) {
          const auto c = static_cast<std::size_t>(incp->category[src[k]]);
          for (auto j = poff[k]; j < poff[k + 1]; ++j)
            for (std::size_t r = 0; r < R; ++r)
              if (rmask[k] & (1u << r)) ++cnt[(r * P + pids[j]) * kCategoryCount + c];
        }
      }
      for (auto f : inc_factors) {
        const Factor& fa = cat.factors[f];
        const double rad = fa.radius_m > 0 ? ctx.toCrsUnits(fa.radius_m) : 0;
        const auto& cnt = place_cnt[rad];
        const auto& bufa = bufferAreas(rad);
        const Range range = rangeFor(ctx, fa);
        (void)range;  // incident layers are not told apart in the columns; checkLayers validated the name
        for (std::size_t r = 0; r < R; ++r) {
          if (N == 0) {
            notAssessedAll(r, f, "no incidents layer");
            continue;
          }
          if (rounds[r].day_end == kNoTime) {
            notAssessedAll(r, f, fmt::format("round {} has no date: give round_dates", rounds[r].name));
            continue;
          }
          if (any_in_period[r] == 0) {
            notAssessedAll(r, f, fmt::format("no incidents at all in round {}'s period; the data does not cover it",
                                             rounds[r].name));
            continue;
          }
          const double years = rounds[r].years;
          for (std::size_t p = 0; p < P; ++p) {
            std::int64_t n = 0, ref = 0;
            const int a = A.place_area[p];
            for (std::size_t c = 0; c < kCategoryCount; ++c) {
              if (!fa.categories[c]) continue;
              n += cnt[(r * P + p) * kCategoryCount + c];
              ref += a >= 0 ? area_cnt[(r * NA + static_cast<std::size_t>(a)) * kCategoryCount + c]
                            : ext_cnt[r * kCategoryCount + c];
            }
            const double ref_size = a >= 0 ? area_size[static_cast<std::size_t>(a)] : extent_size;
            auto& v = A.at(r, p, f);
            v.evidence = n;
            v.expected = ref_size > 0 ? static_cast<double>(ref) * bufa[p] / ref_size : kNaN;
            finishCount(fa, v, n, static_cast<double>(n) / years, fa.metric == Metric::IncidentsPerYear);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- observations
  {
    std::vector<std::size_t> fs;
    for (std::size_t f = 0; f < F; ++f)
      if (on[f] && cat.factors[f].metric == Metric::Rating) fs.push_back(f);
    if (!fs.empty()) {
      std::unordered_map<std::string, std::size_t> place_by_id;
      for (std::size_t p = 0; p < P; ++p) place_by_id.emplace(places[p].id, p);
      const auto& obs = *ctx.observations;
      for (auto f : fs) {
        const Factor& fa = cat.factors[f];
        const double rad = fa.radius_m > 0 ? ctx.toCrsUnits(fa.radius_m) : 0;
        const auto& index = pidx.get(rad);
        const Range range = rangeFor(ctx, fa);
        const std::string want = lowerAscii(fa.obs_factor);
        std::vector<std::vector<double>> scores(R * P);
        std::vector<std::int64_t> factor_rows(R, 0);
        for (std::size_t i = 0; i < obs.size(); ++i) {
          const auto& o = obs[i];
          if (!range.contains(i) || lowerAscii(o.factor) != want) continue;
          std::size_t r = R;
          for (std::size_t k = 0; k < R; ++k)
            if (o.round == rounds[k].name) r = k;
          if (r == R) continue;
          ++factor_rows[r];
          if (!o.place_id.empty()) {
            if (auto it = place_by_id.find(o.place_id); it != place_by_id.end()) {
              scores[r * P + it->second].push_back(o.score);
              continue;
            }
          }
          index.covering(o.pt, tmp);
          for (auto p : tmp) scores[r * P + p].push_back(o.score);
        }
        for (std::size_t r = 0; r < R; ++r)
          for (std::size_t p = 0; p < P; ++p) {
            auto& v = A.at(r, p, f);
            const auto& s = scores[r * P + p];
            v.evidence = static_cast<std::int64_t>(s.size());
            if (s.empty()) {
              v.note = factor_rows[r] == 0 ? fmt::format("no '{}' observations in round {}", fa.obs_factor, rounds[r].name)
                                           : std::string("not inspected here");
              continue;
            }
            v.value = sc::combine(s, fa.combine, fa.problem_below);
            finish(fa, v);
          }
      }
    }
  }

  // ---------------------------------------------------------------- perception
  {
    std::vector<std::size_t> fs;
    for (std::size_t f = 0; f < F; ++f)
      if (on[f] && sourceOf(cat.factors[f].metric) == Source::Perception) fs.push_back(f);
    if (!fs.empty()) {
      std::unordered_map<std::string, std::size_t> place_by_id;
      for (std::size_t p = 0; p < P; ++p) place_by_id.emplace(places[p].id, p);
      const auto& per = *ctx.perception;
      for (auto f : fs) {
        const Factor& fa = cat.factors[f];
        const double rad = fa.radius_m > 0 ? ctx.toCrsUnits(fa.radius_m) : 0;
        const auto& index = pidx.get(rad);
        const auto& bufa = bufferAreas(rad);
        const Range range = rangeFor(ctx, fa);
        const bool survey = fa.metric == Metric::SurveyMean;
        std::vector<double> sum(R * P, 0);
        std::vector<std::int64_t> n(R * P, 0), total(R, 0), area_n(R * NA, 0), ext_n(R, 0);
        for (std::size_t i = 0; i < per.size(); ++i) {
          const auto& q = per[i];
          if (!range.contains(i)) continue;
          if (survey != (q.kind == Perception::Kind::Answer)) continue;
          if (survey && std::isnan(q.value)) continue;
          if (!matches(fa.question, q.question) || !matches(fa.time_of_day, q.time_of_day) ||
              !matches(fa.gender, q.gender) || !matches(fa.age_band, q.age_band))
            continue;
          std::size_t r = R;
          for (std::size_t k = 0; k < R; ++k)
            if (q.round == rounds[k].name) r = k;
          if (r == R) continue;
          ++total[r];
          tmp.clear();
          if (q.has_point) {
            index.covering(q.pt, tmp);
          } else if (auto it = place_by_id.find(q.place_id); it != place_by_id.end()) {
            tmp.push_back(static_cast<std::uint32_t>(it->second));
          }
          for (auto p : tmp) {
            sum[r * P + p] += survey ? q.value : 1.0;
            ++n[r * P + p];
          }
          if (!survey && q.has_point) {
            ++ext_n[r];
            std::vector<std::uint32_t> as;
            area_index.containing(q.pt, as);
            for (auto a : as) ++area_n[r * NA + a];
          }
        }
        for (std::size_t r = 0; r < R; ++r) {
          if (total[r] == 0) {
            notAssessedAll(r, f, fmt::format("no {} in round {}", survey ? "survey answers" : "unsafe pins",
                                             rounds[r].name));
            continue;
          }
          for (std::size_t p = 0; p < P; ++p) {
            auto& v = A.at(r, p, f);
            const auto k = n[r * P + p];
            v.evidence = k;
            if (survey) {
              if (k == 0) {
                v.note = "no survey answers about this place";
                continue;
              }
              v.value = sum[r * P + p] / static_cast<double>(k);
              finish(fa, v);
              continue;
            }
            const int a = A.place_area[p];
            const double ref = static_cast<double>(a >= 0 ? area_n[r * NA + static_cast<std::size_t>(a)] : ext_n[r]);
            const double ref_size = a >= 0 ? area_size[static_cast<std::size_t>(a)] : extent_size;
            v.expected = ref_size > 0 ? ref * bufa[p] / ref_size : kNaN;
            finishCount(fa, v, k, static_cast<double>(k) / (bufa[p] * u * u / 10000.0),
                        fa.metric == Metric::PinsPerHectare);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- overlays
  {
    std::vector<std::size_t> fs;
    for (std::size_t f = 0; f < F; ++f)
      if (on[f] && sourceOf(cat.factors[f].metric) == Source::Overlay) fs.push_back(f);
    std::map<double, std::vector<geo::Wkb>> place_buffers;
    auto buffers = [&](double rad) -> const std::vector<geo::Wkb>& {
      auto it = place_buffers.find(rad);
      if (it != place_buffers.end()) return it->second;
      std::vector<geo::Wkb> b(P);
      for (std::size_t p = 0; p < P; ++p) b[p] = placeBuffer(places[p], rad > 0 ? rad : places[p].radius);
      return place_buffers[rad] = std::move(b);
    };
    const auto& measures = *ctx.measures;
    for (auto f : fs) {
      const Factor& fa = cat.factors[f];
      const double rad = fa.radius_m > 0 ? ctx.toCrsUnits(fa.radius_m) : 0;
      if (fa.metric == Metric::FunctionMix) {
        const double wr = ctx.toCrsUnits(fa.walk_radius_m);
        for (std::size_t p = 0; p < P; ++p) {
          std::vector<std::string> kinds;
          std::int64_t k = 0;
          for (std::size_t q = 0; q < P; ++q) {
            const double dx = places[q].anchor.x - places[p].anchor.x, dy = places[q].anchor.y - places[p].anchor.y;
            if (dx * dx + dy * dy > wr * wr) continue;
            ++k;
            if (!places[q].kind.empty()) kinds.push_back(places[q].kind);
          }
          std::sort(kinds.begin(), kinds.end());
          kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
          for (std::size_t r = 0; r < R; ++r) {
            auto& v = A.at(r, p, f);
            v.evidence = k;
            v.value = static_cast<double>(kinds.size());
            if (kinds.empty()) {
              v.note = "no place kinds given";
              continue;
            }
            finish(fa, v);
          }
        }
        continue;
      }
      // lit_share / cover_share: the union of the coverage geometries in effect.
      const Range range = rangeFor(ctx, fa);
      const std::string kind = lowerAscii(fa.measure_kind);
      std::vector<std::size_t> ms;
      for (std::size_t i = 0; i < measures.size(); ++i)
        if (range.contains(i) && lowerAscii(measures[i].kind) == kind) ms.push_back(i);
      if (ms.empty()) {
        for (std::size_t r = 0; r < R; ++r)
          notAssessedAll(r, f, fmt::format("no '{}' measures loaded (a measures layer with kind {})", fa.measure_kind,
                                           fa.measure_kind));
        continue;
      }
      std::vector<geo::Wkb> cover(ms.size());
      std::vector<BBox> cover_box(ms.size());
      for (std::size_t k = 0; k < ms.size(); ++k) {
        const auto& m = measures[ms[k]];
        const std::string type = geo::geometryType(m.geom.wkb);
        const bool polygon = type.find("Polygon") != std::string::npos;
        double r = std::isfinite(m.radius) && m.radius > 0 ? m.radius : 0;
        if (r == 0 && fa.metric == Metric::LitShare) r = ctx.toCrsUnits(fa.default_radius_m);
        cover[k] = polygon && r == 0 ? geo::Wkb(m.geom.wkb.begin(), m.geom.wkb.end())
                                     : geo::buffer(m.geom.wkb, r > 0 ? r : ctx.toCrsUnits(1.0));
        cover_box[k] = geo::bbox(cover[k]);
      }
      const auto& bufs = buffers(rad);
      for (std::size_t p = 0; p < P; ++p) {
        const BBox pb = geo::bbox(bufs[p]);
        const double pa = geo::area(bufs[p]);
        for (std::size_t r = 0; r < R; ++r) {
          std::vector<geo::WkbView> parts;
          for (std::size_t k = 0; k < ms.size(); ++k) {
            const auto& b = cover_box[k];
            if (b.maxx < pb.minx || b.minx > pb.maxx || b.maxy < pb.miny || b.miny > pb.maxy) continue;
            if (!measureInEffect(measures[ms[k]], rounds[r].day_end, mode, fa.removes)) continue;
            parts.emplace_back(cover[k]);
          }
          auto& v = A.at(r, p, f);
          double covered = 0;
          std::int64_t ev = 0;
          if (!parts.empty()) {
            for (const auto& part : parts) ev += geo::intersects(part, bufs[p]) ? 1 : 0;
            const auto u_all = parts.size() == 1 ? geo::Wkb(parts[0].begin(), parts[0].end()) : geo::unionAll(parts);
            covered = geo::area(geo::intersection(u_all, bufs[p]));
          }
          v.evidence = ev;
          v.value = pa > 0 ? std::clamp(covered / pa, 0.0, 1.0) : kNaN;
          finish(fa, v);
        }
      }
    }
  }
  return A;
}

}  // namespace trygg::plugins::safety
