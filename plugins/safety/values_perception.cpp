// Stage 2, perception: survey answers about each place (survey_mean) and
// unsafe pins near it (pins_per_hectare, pins_relative).
#include <unordered_map>

#include <fmt/format.h>

#include "plugins/safety/util.hpp"
#include "plugins/safety/values_detail.hpp"

namespace trygg::plugins::safety::detail {

namespace {

using model::Perception;

// Sums and counts of one factor's perception rows per round × place, and the
// pins' reference counts per round × area and round.
struct Tally {
  std::vector<double> sum;
  std::vector<std::int64_t> n, total, area_n, ext_n;
};

bool wanted(const Factor& fa, const Perception& q, bool survey) {
  if (survey != (q.kind == Perception::Kind::Answer)) return false;
  if (survey && std::isnan(q.value)) return false;
  return matchesFilter(fa.question, q.question) && matchesFilter(fa.time_of_day, q.time_of_day) &&
         matchesFilter(fa.gender, q.gender) && matchesFilter(fa.age_band, q.age_band);
}

Tally tally(ValuesContext& vc, const Factor& fa, const std::unordered_map<std::string, std::size_t>& place_by_id) {
  const auto& per = *vc.ctx.perception;
  const auto& index = vc.placeIndex(vc.radiusOf(fa));
  const Range range = rangeFor(vc.ctx, fa);
  const bool survey = fa.metric == Metric::SurveyMean;
  const std::size_t P = vc.P, R = vc.R, NA = vc.NA;
  Tally t{std::vector<double>(R * P, 0), std::vector<std::int64_t>(R * P, 0), std::vector<std::int64_t>(R, 0),
          std::vector<std::int64_t>(R * NA, 0), std::vector<std::int64_t>(R, 0)};
  std::vector<std::uint32_t> tmp, as;
  for (std::size_t i = 0; i < per.size(); ++i) {
    const auto& q = per[i];
    if (!range.contains(i) || !wanted(fa, q, survey)) continue;
    const std::size_t r = roundIndex(vc.rounds, q.round);
    if (r == R) continue;
    ++t.total[r];
    tmp.clear();
    if (q.has_point) {
      index.covering(q.pt, tmp);
    } else if (auto it = place_by_id.find(q.place_id); it != place_by_id.end()) {
      tmp.push_back(static_cast<std::uint32_t>(it->second));
    }
    for (auto p : tmp) {
      t.sum[r * P + p] += survey ? q.value : 1.0;
      ++t.n[r * P + p];
    }
    if (!survey && q.has_point) {
      ++t.ext_n[r];
      vc.area_index->containing(q.pt, as);
      for (auto a : as) ++t.area_n[r * NA + a];
    }
  }
  return t;
}

void oneFactor(ValuesContext& vc, std::size_t f, const std::unordered_map<std::string, std::size_t>& place_by_id) {
  const Factor& fa = vc.cat.factors[f];
  const bool survey = fa.metric == Metric::SurveyMean;
  const auto& bufa = vc.bufferAreas(vc.radiusOf(fa));
  const double u = vc.ctx.unit_metres;
  const Tally t = tally(vc, fa, place_by_id);
  const std::size_t P = vc.P, NA = vc.NA;
  for (std::size_t r = 0; r < vc.R; ++r) {
    if (t.total[r] == 0) {
      vc.notAssessedAll(r, f, fmt::format("no {} in round {}", survey ? "survey answers" : "unsafe pins",
                                          vc.rounds[r].name));
      continue;
    }
    for (std::size_t p = 0; p < P; ++p) {
      auto& v = vc.A.at(r, p, f);
      const auto k = t.n[r * P + p];
      v.evidence = k;
      if (survey) {
        if (k == 0) {
          v.note = "no survey answers about this place";
          continue;
        }
        v.value = t.sum[r * P + p] / static_cast<double>(k);
        v.measured = true;
        continue;
      }
      const int a = vc.A.place_area[p];
      const double ref = static_cast<double>(a >= 0 ? t.area_n[r * NA + static_cast<std::size_t>(a)] : t.ext_n[r]);
      v.expected = vc.expected(p, ref, bufa);
      countValue(v, k, static_cast<double>(k) / (bufa[p] * u * u / 10000.0), fa.metric == Metric::PinsPerHectare);
    }
  }
}

}  // namespace

void perceptionValues(ValuesContext& vc) {
  const auto fs = vc.factorsWhere([](const Factor& f) { return sourceOf(f.metric) == Source::Perception; });
  if (fs.empty()) return;
  std::unordered_map<std::string, std::size_t> place_by_id;
  for (std::size_t p = 0; p < vc.P; ++p) place_by_id.emplace((*vc.ctx.places)[p].id, p);
  for (auto f : fs) oneFactor(vc, f, place_by_id);
}

}  // namespace trygg::plugins::safety::detail
