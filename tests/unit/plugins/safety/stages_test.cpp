// The stages of the safety analysis on hand-made inputs: the headline rule,
// the absence-as-evidence rule, place summaries, changes per place, the action
// plan grouped per place (docs/factors.md, docs/methods/safety-analysis.md).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "plugins/safety/action_plan.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/change.hpp"
#include "plugins/safety/place_summary.hpp"
#include "plugins/safety/scores.hpp"

using namespace trygg;
using namespace trygg::plugins::safety;
namespace sc = trygg::geo::scoring;
using C = sc::Colour;

namespace {

// counts indexed by Colour: {not_assessed, red, yellow, green}
sc::Colour headline(int na, int red, int yellow, int green, const HeadlineRule& r = {}) {
  return headlineClass({na, red, yellow, green}, r);
}

// An assessment of one round with the given colours (place-major) and scores.
Assessment grid(std::size_t places, std::size_t factors, const std::vector<std::vector<C>>& colours) {
  Assessment A;
  A.rounds.resize(colours.size() / places);
  A.n_places = places;
  A.n_factors = factors;
  A.values.resize(colours.size() * factors);
  A.place_areas.assign(places, {});
  A.place_area.assign(places, -1);
  for (std::size_t k = 0; k < colours.size(); ++k)
    for (std::size_t f = 0; f < factors; ++f) {
      auto& v = A.values[k * factors + f];
      v.colour = colours[k][f];
      v.score = v.colour == C::Red ? 2.0 + static_cast<double>(f) : v.colour == C::Yellow ? 10 : v.colour == C::Green ? 18 : NAN;
      v.value = v.score;
      v.evidence = 1;
    }
  return A;
}

Catalogue fourFactors() {
  return parseCatalogue(R"(
factors:
  - { id: a, group: crime_disorder, metric: rating, table: [[0, 0], [20, 20]] }
  - { id: b, group: physical_environment, metric: rating, table: [[0, 0], [20, 20]] }
  - { id: c, group: physical_environment, metric: rating, table: [[0, 0], [20, 20]] }
  - { id: d, group: perceived_safety, metric: rating, table: [[0, 0], [20, 20]] }
)",
                        "t.yaml");
}

}  // namespace

// The default rule by hand: red from 25 % red, yellow from 15 % red, else green
// when at least 40 % of the assessed factors are green; fewer than 3 assessed:
// not assessed. Each edge belongs to the class it names.
TEST(Headline, DefaultRuleByHand) {
  EXPECT_EQ(headline(0, 0, 0, 0), C::NotAssessed);
  EXPECT_EQ(headline(19, 1, 0, 1), C::NotAssessed);  // 2 assessed < 3, whatever the colours
  EXPECT_EQ(headline(0, 0, 0, 3), C::Green);         // exactly 3 assessed
  EXPECT_EQ(headline(0, 1, 1, 2), C::Red);           // 1/4 = 25 %: the edge is red
  EXPECT_EQ(headline(0, 1, 2, 2), C::Yellow);        // 1/5 = 20 %
  EXPECT_EQ(headline(0, 3, 10, 7), C::Yellow);       // 3/20 = 15 %: the edge is yellow
  EXPECT_EQ(headline(0, 1, 6, 1), C::Yellow);        // 1/8 = 12.5 %, green 1/8 < 40 %
  EXPECT_EQ(headline(0, 1, 11, 8), C::Green);        // 1/20 = 5 %, green 8/20 = 40 %: the edge is green
  EXPECT_EQ(headline(0, 1, 12, 7), C::Yellow);       // 5 % red but green 7/20 = 35 %
  EXPECT_EQ(headline(0, 0, 7, 3), C::Yellow);        // no red, mostly yellow
  EXPECT_EQ(headline(15, 0, 1, 3), C::Green);        // not assessed factors do not count
  EXPECT_EQ(headline(15, 2, 1, 3), C::Red);          // 2/6 = 33 % of the assessed
}

TEST(Headline, RuleFromTheCatalogue) {
  const auto cat = parseCatalogue(R"(
headline: { min_assessed: 1, red_share: 0.5, yellow_share: 0.2, green_share: 0.6 }
factors:
  - { id: a, metric: rating, table: [[0, 0], [20, 20]] }
)",
                                  "t.yaml");
  EXPECT_EQ(cat.headline.min_assessed, 1);
  EXPECT_EQ(headline(0, 0, 0, 1, cat.headline), C::Green);
  EXPECT_EQ(headline(0, 1, 1, 0, cat.headline), C::Red);      // 50 %
  EXPECT_EQ(headline(0, 1, 2, 2, cat.headline), C::Yellow);   // 20 %
  EXPECT_EQ(headline(0, 0, 2, 3, cat.headline), C::Green);    // green 60 %
  EXPECT_EQ(headline(0, 0, 3, 2, cat.headline), C::Yellow);   // green 40 %
  EXPECT_EQ(defaultCatalogue().headline.red_share, 0.25);
  EXPECT_THROW(parseCatalogue("headline: { red_share: 0.1, yellow_share: 0.2 }\nfactors:\n  - { id: a, metric: rating, "
                              "table: [[0, 0], [20, 20]] }\n",
                              "t.yaml"),
               DataError);
  EXPECT_THROW(parseCatalogue("headline: { reds: 1 }\nfactors:\n  - { id: a, metric: rating, table: [[0, 0], [20, 20]] }\n",
                              "t.yaml"),
               DataError);
}

// Evidence 0 reads as good only where the catalogue says absence is evidence;
// red with no evidence stays red (no street light at all is a finding).
TEST(Scores, AbsenceIsEvidenceOnlyWhenTheCatalogueSaysSo) {
  const auto cat = parseCatalogue(R"(
factors:
  - { id: veg, metric: cover_share, table: [[0, 20], [1, 0]] }
  - { id: veg2, metric: cover_share, table: [[0, 20], [1, 0]], absence_is_evidence: true }
  - { id: lit, metric: lit_share, table: [[0, 0], [1, 20]] }
)",
                                  "t.yaml");
  EXPECT_FALSE(cat.factors[0].absence_is_evidence);
  EXPECT_TRUE(cat.factors[1].absence_is_evidence);
  FactorValue v;
  v.value = 0;
  v.measured = true;
  FactorValue w = v, l = v;
  scoreValue(cat.factors[0], v);
  EXPECT_DOUBLE_EQ(v.score, 20);
  EXPECT_EQ(v.colour, C::NotAssessed);  // would be green on no evidence
  EXPECT_TRUE(v.too_little_evidence);
  EXPECT_NE(v.note.find("absence_is_evidence"), std::string::npos);
  scoreValue(cat.factors[1], w);
  EXPECT_EQ(w.colour, C::Green);
  scoreValue(cat.factors[2], l);
  EXPECT_EQ(l.colour, C::Red);
  FactorValue some;  // evidence 1: green stays
  some.value = 0;
  some.evidence = 1;
  some.measured = true;
  scoreValue(cat.factors[0], some);
  EXPECT_EQ(some.colour, C::Green);
  FactorValue unmeasured;  // stage 2 found nothing to score: stays not assessed
  scoreValue(cat.factors[1], unmeasured);
  EXPECT_EQ(unmeasured.colour, C::NotAssessed);
  EXPECT_TRUE(std::isnan(unmeasured.score));
  // The built-in catalogue: incidents and unsafe pins count absence as evidence; vegetation cover does not.
  const auto& d = defaultCatalogue();
  for (const char* id : {"violence_robbery", "vandalism_graffiti", "littering", "drugs", "disorder", "unsafe_pins"})
    EXPECT_TRUE(d.factors[static_cast<std::size_t>(d.findFactor(id))].absence_is_evidence) << id;
  for (const char* id : {"vegetation_cover", "lit_share", "lighting", "survey_unsafe", "function_mix"})
    EXPECT_FALSE(d.factors[static_cast<std::size_t>(d.findFactor(id))].absence_is_evidence) << id;
}

TEST(PlaceSummary, GroupsCountsHeadlineAndLabel) {
  const auto cat = fourFactors();
  std::vector<model::Place> places(3);
  places[0].name = "Torget";
  places[1].name = "Parken";
  places[2].name = "Stigen";
  const auto A = grid(3, 4,
                      {{C::Red, C::Green, C::Green, C::Green},
                       {C::Green, C::Yellow, C::Red, C::NotAssessed},
                       {C::NotAssessed, C::NotAssessed, C::Green, C::Green}});
  const auto s = summarisePlaces(cat, A, 0, places);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].group[0], C::Red);
  EXPECT_EQ(s[0].group[1], C::Green);
  EXPECT_EQ(s[0].n[1], 1);
  EXPECT_EQ(s[0].n_assessed, 4);
  EXPECT_DOUBLE_EQ(s[0].share_red, 0.25);
  EXPECT_EQ(s[0].overall, C::Red);       // 1/4 red
  EXPECT_EQ(s[0].worst_group, C::Red);
  EXPECT_EQ(s[0].worst_factors, "a");
  EXPECT_EQ(s[0].label, "Torget (1/4 red)");
  EXPECT_EQ(s[1].group[1], C::Red);      // worst of yellow and red
  EXPECT_EQ(s[1].group[2], C::NotAssessed);
  EXPECT_EQ(s[1].overall, C::Red);       // 1/3
  EXPECT_EQ(s[2].overall, C::NotAssessed);  // 2 assessed < 3
  EXPECT_TRUE(std::isnan(s[2].share_red) == false);
  EXPECT_DOUBLE_EQ(s[2].share_red, 0);
}

TEST(ActionPlan, ItemsWorstFirstAndOnePerPlace) {
  const auto cat = fourFactors();
  std::vector<model::Place> places(2);
  places[0].id = "P0";
  places[1].id = "P1";
  const auto A = grid(2, 4, {{C::Red, C::Yellow, C::Green, C::Green}, {C::Green, C::Red, C::Red, C::Yellow}});
  const auto plan = actionPlan(cat, A, places, {});
  ASSERT_EQ(plan.items.size(), 5u);
  // red first, lowest score first (scores 2 + factor index), then yellow by place id
  EXPECT_EQ(plan.items[0].p, 0u);
  EXPECT_EQ(plan.items[0].f, 0u);
  EXPECT_EQ(plan.items[1].f, 1u);
  EXPECT_EQ(plan.items[1].p, 1u);
  EXPECT_EQ(plan.items[2].f, 2u);
  EXPECT_EQ(plan.items[3].p, 0u);  // yellow, P0 before P1
  EXPECT_EQ(plan.items[4].rank, 5);
  ASSERT_EQ(plan.places.size(), 2u);
  EXPECT_EQ(plan.places[0].p, 0u);
  EXPECT_EQ(plan.places[0].rank, 1);
  EXPECT_EQ(plan.places[0].items.size(), 2u);
  EXPECT_EQ(plan.places[1].items.size(), 3u);
  EXPECT_NE(plan.places[1].top_items.find("b (red)"), std::string::npos);
  EXPECT_EQ(plan.places[1].top_items.find("b (red)"), 0u);
}

// Stage 5 on a hand-made assessment: per place the counts and the net class; an
// area no place lies in has no pairs (area_change: assessed false).
TEST(Change, PlaceClassesAndAnAreaWithoutPairs) {
  std::vector<model::Area> areas(2);
  std::vector<model::Place> places(5);
  std::vector<model::Measure> measures;
  for (std::size_t p = 0; p < places.size(); ++p) places[p].name = "P" + std::to_string(p);
  engine::RunContext ctx;
  ctx.areas = &areas;
  ctx.places = &places;
  ctx.measures = &measures;
  // round 0 then round 1, places 0..3, factors a..d
  auto A = grid(5, 4,
                {{C::Red, C::Yellow, C::Green, C::NotAssessed},      // P0 before
                 {C::Green, C::Green, C::Red, C::Yellow},            // P1 before
                 {C::Yellow, C::Yellow, C::Yellow, C::Yellow},       // P2 before
                 {C::NotAssessed, C::NotAssessed, C::Red, C::Red},   // P3 before
                 {C::Red, C::Red, C::Green, C::Yellow},              // P4 before
                 {C::Green, C::Yellow, C::Green, C::Green},          // P0 after: 1 improved, 2 unchanged, 1 n/c
                 {C::Green, C::Red, C::Green, C::Yellow},            // P1 after: 1 improved, 1 worse
                 {C::Yellow, C::Yellow, C::Yellow, C::Yellow},       // P2 after: unchanged
                 {C::Green, C::Green, C::NotAssessed, C::NotAssessed},  // P3: nothing comparable
                 {C::Green, C::Yellow, C::Red, C::Yellow}});  // P4: 2 improved, 1 worse: improved (net)
  A.place_areas = {{0}, {0}, {0}, {0}, {0}};
  const auto ch = colourChanges(ctx, A);
  EXPECT_EQ(ch.places[0].change, PlaceChangeClass::Improved);
  EXPECT_EQ(ch.places[0].summary.improved, 1);
  EXPECT_EQ(ch.places[0].summary.unchanged, 2);
  EXPECT_EQ(ch.places[0].summary.not_comparable, 1);
  EXPECT_EQ(ch.places[0].label, "P0 (1/3 improved)");
  EXPECT_EQ(ch.places[1].change, PlaceChangeClass::Mixed);  // 1 improved, 1 worse
  EXPECT_EQ(ch.places[4].change, PlaceChangeClass::Improved);
  EXPECT_EQ(ch.places[2].change, PlaceChangeClass::Unchanged);
  EXPECT_EQ(ch.places[3].change, PlaceChangeClass::NotComparable);
  EXPECT_EQ(placeChangeId(ch.places[3].change), "not_comparable");
  EXPECT_EQ(ch.at(1, 1).change, sc::Change::Worse);
  EXPECT_EQ(ch.areas[0].pairs, 3 + 4 + 4 + 4);
  EXPECT_EQ(ch.areas[1].pairs, 0);  // drawn as not assessed
  EXPECT_TRUE(std::isnan(ch.areas[1].shareImproved()));
  EXPECT_EQ(ch.total.improved, 4);  // P0 a, P1 c, P4 a, b
  EXPECT_EQ(ch.total.worse, 2);     // P1 b, P4 c
}
