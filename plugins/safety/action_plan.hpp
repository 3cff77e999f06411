#pragma once
// Stage 4 (place summaries), the action plan: the last round's red, then
// yellow place × factors, lowest score first, more evidence first; the
// evidence in words; and the same grouped per place (rank = the place's worst item).
#include <string>
#include <vector>

#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety {

struct ActionPlanItem {
  std::size_t p = 0, f = 0;
  std::int64_t rank = 0;      // 1 = worst
  bool small = false;         // publish profile: a count below suppress_below (value and evidence hidden)
  std::string evidence_text;  // "5 incidents (violence, robbery) in the period, 0.1 expected ..."
};

struct PlacePlan {
  std::size_t p = 0;
  std::int64_t rank = 0;              // 1 = the place with the worst item
  std::vector<std::size_t> items;     // indices into ActionPlan::items, worst first
  std::string top_items;              // the worst (up to 3) items in words
};

struct ActionPlan {
  std::vector<ActionPlanItem> items;
  std::vector<PlacePlan> places;
};

struct ActionPlanOptions {
  int max_rows = 0;          // 0 = every red and yellow place × factor
  bool publish = false;      // the publish profile
  int suppress_below = 5;
  int top_items = 3;
};

// The evidence of one value in words (publish: small counts not given).
std::string evidenceText(const Factor& fa, const FactorValue& v, bool small, int suppress_below);

ActionPlan actionPlan(const Catalogue& cat, const Assessment& A, const std::vector<model::Place>& places,
                      const ActionPlanOptions& o);

}  // namespace trygg::plugins::safety
