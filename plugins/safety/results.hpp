#pragma once
// Everything the stages of the safety analysis produce, typed: the writer
// (writer.hpp) turns it into layers and metadata; a report can read the same.
// The stages, in order (docs/methods/safety-analysis.md):
//   1 rounds            rounds.hpp           dates and incident periods
//   2 factor values     factor_values.hpp    raw value and evidence per place × factor × round
//   3 scores, colours   scores.hpp           0–20 score, colour, evidence rule, small-count guard
//   4 place summaries   place_summary.hpp    group colours, headline class, worst factors;
//                       action_plan.hpp, perception_splits.hpp
//   5 change            change.hpp           per place × factor, place, area; measures per area
//   6 tests             incident_tests.hpp, perception_tests.hpp
//   7 overlay           overlay.hpp          what each measure covers
//   8 what-if           what_if.hpp          overlay factors as if planned measures were done
#include <optional>
#include <vector>

#include "plugins/safety/action_plan.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/change.hpp"
#include "plugins/safety/factor_values.hpp"
#include "plugins/safety/incident_tests.hpp"
#include "plugins/safety/overlay.hpp"
#include "plugins/safety/perception_splits.hpp"
#include "plugins/safety/perception_tests.hpp"
#include "plugins/safety/place_summary.hpp"
#include "plugins/safety/rounds.hpp"
#include "plugins/safety/what_if.hpp"

namespace trygg::plugins::safety {

struct SafetyResults {
  Catalogue cat;
  std::vector<RoundSpec> rounds;
  Assessment A;                                     // stages 2–3
  Coverage coverage;                                // stage 7's geometry, read by 4 and 6
  // section factors
  std::vector<std::vector<PlaceSummary>> places;    // [round][place]
  ActionPlan plan;
  std::vector<PerceptionSplit> splits;
  // section change (two rounds or more)
  std::optional<ChangeResult> change;
  std::optional<PerceptionTests> perception;
  // section tests
  std::optional<IncidentTests> incidents;
  // section overlay, what_if
  std::optional<OverlayResult> overlay;
  std::optional<WhatIfResult> what_if;
  std::size_t last() const { return rounds.size() - 1; }
};

}  // namespace trygg::plugins::safety
