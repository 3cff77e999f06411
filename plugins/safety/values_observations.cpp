// Stage 2, observations: inspection ratings of each factor that name the place
// or lie within its radius, combined by the factor's rule (metric `rating`).
#include <unordered_map>

#include <fmt/format.h>

#include "plugins/safety/util.hpp"
#include "plugins/safety/values_detail.hpp"

namespace trygg::plugins::safety::detail {

namespace {

void oneFactor(ValuesContext& vc, std::size_t f, const std::unordered_map<std::string, std::size_t>& place_by_id) {
  const Factor& fa = vc.cat.factors[f];
  const auto& obs = *vc.ctx.observations;
  const auto& index = vc.placeIndex(vc.radiusOf(fa));
  const Range range = rangeFor(vc.ctx, fa);
  const std::string want = lowerAscii(fa.obs_factor);
  const std::size_t P = vc.P, R = vc.R;
  std::vector<std::vector<double>> scores(R * P);
  std::vector<std::int64_t> factor_rows(R, 0);
  std::vector<std::uint32_t> tmp;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const auto& o = obs[i];
    if (!range.contains(i) || lowerAscii(o.factor) != want) continue;
    const std::size_t r = roundIndex(vc.rounds, o.round);
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
      auto& v = vc.A.at(r, p, f);
      const auto& s = scores[r * P + p];
      v.evidence = static_cast<std::int64_t>(s.size());
      if (s.empty()) {
        v.note = factor_rows[r] == 0 ? fmt::format("no '{}' observations in round {}", fa.obs_factor, vc.rounds[r].name)
                                     : std::string("not inspected here");
        continue;
      }
      v.value = geo::scoring::combine(s, fa.combine, fa.problem_below);
      v.measured = true;
    }
}

}  // namespace

void observationValues(ValuesContext& vc) {
  const auto fs = vc.factorsWhere([](const Factor& f) { return f.metric == Metric::Rating; });
  if (fs.empty()) return;
  std::unordered_map<std::string, std::size_t> place_by_id;
  for (std::size_t p = 0; p < vc.P; ++p) place_by_id.emplace((*vc.ctx.places)[p].id, p);
  for (auto f : fs) oneFactor(vc, f, place_by_id);
}

}  // namespace trygg::plugins::safety::detail
