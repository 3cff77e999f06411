#pragma once
// Stage 4 (place summaries), perceived safety split by time of day, gender
// and age band: survey answers, their sum and unsafe pins per place, round and group.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/run_context.hpp"
#include "plugins/safety/rounds.hpp"

namespace trygg::plugins::safety {

struct PerceptionSplit {
  std::size_t r = 0, p = 0;
  std::string dimension;  // all, time_of_day, gender, age_band
  std::string group;      // the dimension's value ("all" for all)
  std::int64_t answers = 0, pins = 0;
  double sum = 0;         // of the answers
};

// Sorted by round, place, dimension, group.
std::vector<PerceptionSplit> perceptionSplits(const engine::RunContext& ctx, const std::vector<RoundSpec>& rounds);

}  // namespace trygg::plugins::safety
