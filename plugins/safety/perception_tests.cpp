#include "plugins/safety/perception_tests.hpp"

#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "geo/index/polygon_index.hpp"
#include "geo/index/radius_index.hpp"
#include "plugins/safety/util.hpp"

namespace trygg::plugins::safety {

namespace sc = geo::scoring;
namespace ch = geo::change;

namespace {

struct Samples {
  std::vector<std::vector<double>> place_b, place_a, area_b, area_a;
};

void collect(const engine::RunContext& ctx, const Assessment& A, const std::string& question, Samples& s,
             PerceptionTests& t) {
  const auto& places = *ctx.places;
  const auto& areas = *ctx.areas;
  const std::size_t last = A.rounds.size() - 1;
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t p = 0; p < places.size(); ++p) by_id.emplace(places[p].id, p);
  const auto src = geo::RadiusIndex::sourcesFromPlaces(places);
  const geo::RadiusIndex idx(src);
  std::vector<std::span<const std::uint8_t>> awkb;
  for (const auto& a : areas) awkb.emplace_back(a.geom.wkb);
  const geo::PolygonIndex aidx(awkb);
  std::vector<std::uint32_t> tmp;
  for (const auto& q : *ctx.perception) {
    const int r = q.round == A.rounds[0].name ? 0 : q.round == A.rounds[last].name ? 1 : -1;
    if (r < 0) continue;
    if (q.kind == model::Perception::Kind::Pin) {
      if (!q.has_point) continue;
      aidx.containing(q.pt, tmp);
      for (auto a : tmp) ++(r == 0 ? t.pins_before : t.pins_after)[a];
      continue;
    }
    if (!std::isfinite(q.value) || (!question.empty() && lowerAscii(question) != lowerAscii(q.question))) continue;
    tmp.clear();
    if (q.has_point) idx.covering(q.pt, tmp);
    else if (auto it = by_id.find(q.place_id); it != by_id.end()) tmp.push_back(static_cast<std::uint32_t>(it->second));
    std::set<std::uint32_t> as;
    for (auto p : tmp) {
      (r == 0 ? s.place_b : s.place_a)[p].push_back(q.value);
      for (auto a : A.place_areas[p]) as.insert(a);
    }
    for (auto a : as) (r == 0 ? s.area_b : s.area_a)[a].push_back(q.value);
  }
}

}  // namespace

PerceptionTests perceptionTests(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A) {
  const std::size_t P = A.n_places, NA = ctx.areas->size();
  PerceptionTests t;
  for (std::size_t f = 0; f < cat.factors.size(); ++f)
    if (t.survey_factor < 0 && cat.factors[f].metric == Metric::SurveyMean) t.survey_factor = static_cast<int>(f);
  const Factor* survey = t.survey_factor >= 0 ? &cat.factors[static_cast<std::size_t>(t.survey_factor)] : nullptr;
  t.survey_worse_high = survey ? survey->higher_is_worse : true;
  t.pins_before.assign(NA, 0);
  t.pins_after.assign(NA, 0);
  Samples s{std::vector<std::vector<double>>(P), std::vector<std::vector<double>>(P),
            std::vector<std::vector<double>>(NA), std::vector<std::vector<double>>(NA)};
  collect(ctx, A, survey ? survey->question : std::string(), s, t);
  const sc::Tail improved_tail = t.survey_worse_high ? sc::Tail::Greater : sc::Tail::Less;  // before vs after
  t.place_has.assign(P, false);
  t.place.resize(P);
  for (std::size_t p = 0; p < P; ++p) {
    t.place_has[p] = !(s.place_b[p].empty() && s.place_a[p].empty());
    if (t.place_has[p]) t.place[p] = sc::wilcoxonRankSum(s.place_b[p], s.place_a[p], improved_tail);
  }
  for (std::size_t a = 0; a < NA; ++a) {
    t.area.push_back(sc::wilcoxonRankSum(s.area_b[a], s.area_a[a], improved_tail));
    t.pins_test.push_back(ch::poissonTest(t.pins_after[a], t.pins_before[a], 1, 1, 1, {ch::Alternative::Less, 0.95}));
  }
  t.description = survey ? fmt::format("one-sided Wilcoxon rank-sum of '{}' answers, before vs after ({}); pins: "
                                       "exact Poisson test after vs before, one-sided 'less'",
                                       survey->id, t.survey_worse_high ? "lower after = improved"
                                                                       : "higher after = improved")
                         : std::string("no survey_mean factor in the catalogue");
  return t;
}

}  // namespace trygg::plugins::safety
