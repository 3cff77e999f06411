#pragma once
// Stage 5 of the safety analysis: colour changes between the first and the
// last round: per place × factor, per place (counts and a headline class), per
// delimited area against the goal (share improved, the 3×3 matrix), and the
// measures per area started or done.
#include <string>
#include <vector>

#include "engine/run_context.hpp"
#include "geo/scoring/scoring.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety {

struct FactorChange {
  geo::scoring::Colour before = {}, after = {};
  double score_before = NAN, score_after = NAN;
  geo::scoring::Change change = geo::scoring::Change::NotComparable;
};

// improved: more factors improved than got worse; worse: the opposite; mixed:
// as many improved as got worse (at least one); unchanged: pairs but no change;
// not_comparable: no pairs.
enum class PlaceChangeClass : std::uint8_t { Improved, Unchanged, Worse, Mixed, NotComparable };
std::string_view placeChangeId(PlaceChangeClass c);

struct PlaceChange {
  geo::scoring::ChangeSummary summary;  // the place's pairs
  PlaceChangeClass change = PlaceChangeClass::NotComparable;
  std::string label;                    // "Centrum: 5 of 18 improved"
};

struct ChangeResult {
  std::size_t n_factors = 0;
  std::vector<FactorChange> pairs;                   // [p * n_factors + f]
  std::vector<PlaceChange> places;
  std::vector<geo::scoring::ChangeSummary> areas;   // every area a place's anchor lies in
  geo::scoring::ChangeSummary total;
  std::vector<std::int64_t> measures, measures_started_done;  // per area (stock done before the baseline excluded)
  const FactorChange& at(std::size_t p, std::size_t f) const { return pairs[p * n_factors + f]; }
};

// Needs two rounds or more: compares the first with the last.
ChangeResult colourChanges(const engine::RunContext& ctx, const Assessment& A);

}  // namespace trygg::plugins::safety
