#pragma once
// Stage 6 of the safety analysis (perception tests): survey answers before and
// after per place and per area (one-sided Wilcoxon rank-sum: improved?) and
// unsafe pins before and after per area (exact Poisson test, one-sided 'less').
#include <string>
#include <vector>

#include "engine/run_context.hpp"
#include "geo/change/exact_tests.hpp"
#include "geo/scoring/scoring.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety {

struct PerceptionTests {
  int survey_factor = -1;         // the first survey_mean factor (its question filters the answers)
  bool survey_worse_high = true;  // a higher answer is worse (lower after = improved)
  std::vector<bool> place_has;    // per place: answers in either round
  std::vector<geo::scoring::RankSumResult> place;  // per place: before vs after
  std::vector<geo::scoring::RankSumResult> area;   // per area
  std::vector<std::int64_t> pins_before, pins_after;       // per area
  std::vector<geo::change::PoissonTestResult> pins_test;   // per area: after vs before, 'less'
  std::string description;        // for the run summary
};

PerceptionTests perceptionTests(const engine::RunContext& ctx, const Catalogue& cat, const Assessment& A);

}  // namespace trygg::plugins::safety
