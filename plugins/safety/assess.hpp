#pragma once
// Per-place factor values, scores and colours for every round: the safety
// analysis' first step (docs/methods/safety-analysis.md). No output here; the
// method (safety_method.cpp) writes the layers.
#include <cstdint>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "engine/run_context.hpp"
#include "geo/scoring/scoring.hpp"
#include "plugins/safety/catalogue.hpp"

namespace trygg::plugins::safety {

// A round (baseline, followup): its name in the observations/perception
// layers, its date, and the incident period (the `months` ending at the date).
struct RoundSpec {
  std::string name;
  std::string date;                        // YYYY-MM-DD, given or inferred ("" = unknown)
  std::string date_source;                 // "given", "latest observation", "latest perception", "unknown"
  EpochSeconds day_end = kNoTime;          // end of the round's date (local midnight after it), UTC
  EpochSeconds period_start = kNoTime;     // incident period [period_start, day_end)
  double years = 1;                        // the period's length in years: months / 12 (rates are per year)
  std::int64_t observations = 0;           // rows of this round
  std::int64_t answers = 0, pins = 0;
};

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
  std::string note;           // why not assessed / what the guard did
};

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

struct AssessOptions {
  std::vector<std::string> rounds{"baseline", "followup"};
  std::vector<std::string> round_dates;  // per round, YYYY-MM-DD; empty = inferred
  int incident_months = 12;
  std::string where;                     // for messages
};

// Resolves the rounds: dates (given or inferred) and incident periods.
std::vector<RoundSpec> resolveRounds(const engine::RunContext& ctx, const AssessOptions& o);

// Scores every place × factor × round. Only the factors listed in `only`
// (indices into the catalogue) when non-empty.
Assessment assess(const engine::RunContext& ctx, const Catalogue& cat, const std::vector<RoundSpec>& rounds,
                  OverlayMode mode = OverlayMode::AsOfRound, const std::vector<std::size_t>& only = {});

// Does a measure count as in place for a round ending at day_end?
bool measureInEffect(const model::Measure& m, EpochSeconds day_end, OverlayMode mode, bool removes);

// Checks that every `layer:` of the catalogue names an input layer of the
// factor's kind; throws DataError naming the catalogue line and the fix.
void checkLayers(const engine::RunContext& ctx, const Catalogue& cat);

}  // namespace trygg::plugins::safety
