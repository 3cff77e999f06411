#pragma once
// Per-place factor values, scores and colours for every round: stages 1–3 of
// the safety analysis (rounds.hpp, factor_values.hpp, scores.hpp) in one call.
// docs/methods/safety-analysis.md lists every stage.
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/factor_values.hpp"
#include "plugins/safety/rounds.hpp"
#include "plugins/safety/scores.hpp"

namespace trygg::plugins::safety {

// Values (stage 2) then scores and colours (stage 3) of every place × factor ×
// round. Only the factors listed in `only` (indices into the catalogue) when non-empty.
Assessment assess(const engine::RunContext& ctx, const Catalogue& cat, const std::vector<RoundSpec>& rounds,
                  OverlayMode mode = OverlayMode::AsOfRound, const std::vector<std::size_t>& only = {});

}  // namespace trygg::plugins::safety
