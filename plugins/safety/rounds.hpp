#pragma once
// Stage 1 of the safety analysis: the rounds (baseline, follow-up, ...): their
// dates, given or inferred, and the incident period of each.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/types.hpp"
#include "engine/run_context.hpp"

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

struct AssessOptions {
  std::vector<std::string> rounds{"baseline", "followup"};
  std::vector<std::string> round_dates;  // per round, YYYY-MM-DD; empty = inferred
  int incident_months = 12;
  std::string where;                     // for messages
};

// Resolves the rounds: dates (given or inferred) and incident periods.
std::vector<RoundSpec> resolveRounds(const engine::RunContext& ctx, const AssessOptions& o);

// The rounds' entry of the run summary ("rounds", and "missing_rounds" with a
// note when a round has no data and no date).
void recordRounds(const std::vector<RoundSpec>& rounds, int incident_months, nlohmann::json& meta);

// Index of the round named `name`, or rounds.size().
std::size_t roundIndex(const std::vector<RoundSpec>& rounds, const std::string& name);

}  // namespace trygg::plugins::safety
