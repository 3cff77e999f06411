#pragma once
// Stage 3 of the safety analysis: each value's 0–20 score (the factor's
// table), its colour (the bands), too little evidence (min_evidence) and the
// small-count guard (docs/factors.md "Scores and colours").
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"

namespace trygg::plugins::safety {

// Scores and colours one value of factor `f` (a value stage 2 did not measure stays not assessed).
void scoreValue(const Factor& f, FactorValue& v);

// Scores and colours every value of the assessment.
void scoreAndColour(const Catalogue& cat, Assessment& A);

}  // namespace trygg::plugins::safety
