#pragma once
// Stage 2 of the safety analysis: the raw value of every place × factor ×
// round (a rate, a share, a combined rating, ...) and the evidence behind it.
// Stage 3 (scores.hpp) turns values into 0–20 scores and colours.
// The sources live in their own files: values_incidents.cpp,
// values_observations.cpp, values_perception.cpp, values_overlay.cpp.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/run_context.hpp"
#include "geo/scoring/scoring.hpp"
#include "plugins/safety/catalogue.hpp"
#include "plugins/safety/rounds.hpp"

namespace trygg::plugins::safety {

// How measures count in the overlay factors.
enum class OverlayMode : std::uint8_t {
  AsOfRound,  // only measures done on or before the round's date
  WhatIf,     // as if every planned and started measure were done
};

struct FactorValue {
  double value = NAN;   // the raw value (a rate, a share, a combined rating, ...)
  double score = NAN;   // 0..20
  geo::scoring::Colour colour = geo::scoring::Colour::NotAssessed;
  std::int64_t evidence = 0;  // observations, incidents, answers, pins, lights, places behind the value
  bool too_little_evidence = false;
  double expected = NAN;      // count metrics: the expected count from the area's rate
  double p = NAN;             // count metrics: one-sided Poisson p of the count against `expected`
  bool guarded = false;       // red was lowered to yellow by the small-count guard
  bool measured = false;      // stage 2 computed a value to score (false: not assessed, `note` says why)
  std::string note;           // why not assessed / what the guard did
};

// The values (after stage 2) or values, scores and colours (after stage 3).
struct Assessment {
  std::vector<RoundSpec> rounds;
  std::size_t n_places = 0, n_factors = 0;
  std::vector<FactorValue> values;  // [(round * n_places + place) * n_factors + factor]
  std::vector<int> place_area;      // first area of each place (index), -1 = none
  std::vector<std::vector<std::uint32_t>> place_areas;  // every area of each place
  std::vector<double> buffer_area;  // area of each place's buffer (CRS units²)
  std::vector<std::string> notes;   // run-level notes for the metadata
  FactorValue& at(std::size_t r, std::size_t p, std::size_t f) { return values[(r * n_places + p) * n_factors + f]; }
  const FactorValue& at(std::size_t r, std::size_t p, std::size_t f) const {
    return values[(r * n_places + p) * n_factors + f];
  }
};

// Stage 2: values and evidence of every place × factor × round (scores and
// colours not yet set). Only the factors listed in `only` (indices into the
// catalogue) when non-empty.
Assessment factorValues(const engine::RunContext& ctx, const Catalogue& cat, const std::vector<RoundSpec>& rounds,
                        OverlayMode mode = OverlayMode::AsOfRound, const std::vector<std::size_t>& only = {});

// Does a measure count as in place for a round ending at day_end?
bool measureInEffect(const model::Measure& m, EpochSeconds day_end, OverlayMode mode, bool removes);

// Checks that every `layer:` of the catalogue names an input layer of the
// factor's kind; throws DataError naming the catalogue line and the fix.
void checkLayers(const engine::RunContext& ctx, const Catalogue& cat);

}  // namespace trygg::plugins::safety
