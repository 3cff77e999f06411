// Stage 2, incidents: counts of incidents near each place in each round's
// period (incidents_per_year, incidents_relative).
#include <map>

#include <fmt/format.h>

#include "plugins/safety/util.hpp"
#include "plugins/safety/values_detail.hpp"

namespace trygg::plugins::safety::detail {

namespace {

// Incidents selected for the place counts: with a time, in some round's
// period, not stacked on one coordinate; and the reference counts.
struct Selected {
  std::vector<Point> pts;
  std::vector<std::uint32_t> rmask;  // bit r: in round r's period
  std::vector<std::uint32_t> src;    // incident index
  std::vector<std::int64_t> any_in_period;
  std::vector<std::int64_t> area_cnt;  // [(r * NA + a) * C + c]
  std::vector<std::int64_t> ext_cnt;   // [r * C + c]
};

Selected select(ValuesContext& vc) {
  const auto& inc = *vc.ctx.incidents;
  const std::size_t R = vc.R, NA = vc.NA;
  Selected s;
  s.any_in_period.assign(R, 0);
  std::int64_t stacked = 0;
  for (std::size_t i = 0; i < inc.size(); ++i) {
    const double t = incidentTime(inc, i);
    if (std::isnan(t)) continue;
    std::uint32_t m = 0;
    for (std::size_t r = 0; r < R; ++r)
      if (vc.rounds[r].day_end != kNoTime && t >= static_cast<double>(vc.rounds[r].period_start) &&
          t < static_cast<double>(vc.rounds[r].day_end))
        m |= 1u << r;
    if (!m) continue;
    if (inc.flags[i] & model::kFlagStacked) {
      ++stacked;
      continue;
    }
    for (std::size_t r = 0; r < R; ++r)
      if (m & (1u << r)) ++s.any_in_period[r];
    s.pts.push_back(inc.pts[i]);
    s.rmask.push_back(m);
    s.src.push_back(static_cast<std::uint32_t>(i));
  }
  if (stacked > 0)
    vc.A.notes.push_back(fmt::format("{} incidents stacked on one coordinate (geocoding fallbacks) were left out of "
                                     "the place counts", stacked));
  std::vector<std::uint32_t> aoff, aids;
  vc.area_index->assign(s.pts, aoff, aids);
  s.area_cnt.assign(R * NA * kCategoryCount, 0);
  s.ext_cnt.assign(R * kCategoryCount, 0);
  for (std::size_t k = 0; k < s.pts.size(); ++k) {
    const auto c = static_cast<std::size_t>(inc.category[s.src[k]]);
    for (std::size_t r = 0; r < R; ++r) {
      if (!(s.rmask[k] & (1u << r))) continue;
      ++s.ext_cnt[r * kCategoryCount + c];
      for (auto j = aoff[k]; j < aoff[k + 1]; ++j) ++s.area_cnt[(r * NA + aids[j]) * kCategoryCount + c];
    }
  }
  return s;
}

// Counts per round × place × category for one radius.
std::vector<std::int64_t> placeCounts(ValuesContext& vc, const Selected& s, double rad) {
  const auto& inc = *vc.ctx.incidents;
  std::vector<std::int64_t> cnt(vc.R * vc.P * kCategoryCount, 0);
  std::vector<std::uint32_t> poff, pids;
  vc.placeIndex(rad).assign(s.pts, poff, pids);
  for (std::size_t k = 0; k < s.pts.size(); ++k) {
    const auto c = static_cast<std::size_t>(inc.category[s.src[k]]);
    for (auto j = poff[k]; j < poff[k + 1]; ++j)
      for (std::size_t r = 0; r < vc.R; ++r)
        if (s.rmask[k] & (1u << r)) ++cnt[(r * vc.P + pids[j]) * kCategoryCount + c];
  }
  return cnt;
}

void oneFactor(ValuesContext& vc, std::size_t f, const Selected& s, const std::vector<std::int64_t>& cnt) {
  const Factor& fa = vc.cat.factors[f];
  const auto& bufa = vc.bufferAreas(vc.radiusOf(fa));
  // Incident layers are not told apart in the columns; checkLayers validated a `layer:` name.
  const std::size_t P = vc.P, NA = vc.NA;
  for (std::size_t r = 0; r < vc.R; ++r) {
    if (vc.ctx.incidents->size() == 0) {
      vc.notAssessedAll(r, f, "no incidents layer");
      continue;
    }
    if (vc.rounds[r].day_end == kNoTime) {
      vc.notAssessedAll(r, f, fmt::format("round {} has no date: give round_dates", vc.rounds[r].name));
      continue;
    }
    if (s.any_in_period[r] == 0) {
      vc.notAssessedAll(r, f, fmt::format("no incidents at all in round {}'s period; the data does not cover it",
                                          vc.rounds[r].name));
      continue;
    }
    for (std::size_t p = 0; p < P; ++p) {
      std::int64_t n = 0, ref = 0;
      const int a = vc.A.place_area[p];
      for (std::size_t c = 0; c < kCategoryCount; ++c) {
        if (!fa.categories[c]) continue;
        n += cnt[(r * P + p) * kCategoryCount + c];
        ref += a >= 0 ? s.area_cnt[(r * NA + static_cast<std::size_t>(a)) * kCategoryCount + c]
                      : s.ext_cnt[r * kCategoryCount + c];
      }
      auto& v = vc.A.at(r, p, f);
      v.evidence = n;
      v.expected = vc.expected(p, static_cast<double>(ref), bufa);
      countValue(v, n, static_cast<double>(n) / vc.rounds[r].years, fa.metric == Metric::IncidentsPerYear);
    }
  }
}

}  // namespace

void incidentValues(ValuesContext& vc) {
  const auto fs = vc.factorsWhere([](const Factor& f) { return sourceOf(f.metric) == Source::Incidents; });
  if (fs.empty()) return;
  if (!vc.ctx.incidents) {
    for (auto f : fs)
      for (std::size_t r = 0; r < vc.R; ++r) vc.notAssessedAll(r, f, "no incidents layer");
    return;
  }
  const Selected s = select(vc);
  std::map<double, std::vector<std::int64_t>> place_cnt;  // per radius
  for (auto f : fs) {
    const double rad = vc.radiusOf(vc.cat.factors[f]);
    if (!place_cnt.count(rad)) place_cnt[rad] = placeCounts(vc, s, rad);
    oneFactor(vc, f, s, place_cnt[rad]);
  }
}

}  // namespace trygg::plugins::safety::detail
