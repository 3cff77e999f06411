#pragma once
// Andresen's Spatial Point Pattern Test (Andresen 2009, "Testing for similarity
// in area-based spatial patterns: a nonparametric Monte Carlo approach", Applied
// Geography 29; R package `sppt` by Steenbeek, Vandeviver, Andresen et al.),
// steps as in METHODS.md §8:
//   - per unit the percentage of base events and of test events;
//   - `samples` draws of round(samplePercent % × test events) test events
//     without replacement; per unit the sampled percentages, sorted; the
//     interval is positions floor(((100 − conf)/100/2)·samples) + 1 and
//     ceil((1 − (100 − conf)/100/2)·samples) (1-based) — 6 and 195 for 200 at 95 %;
//   - S-index −1 if the base percentage is below the interval, 0 inside, +1 above;
//     similarity 1 where S = 0; global S = mean similarity; the robust variant
//     leaves out units with no events in either set.
// Sampling the events is sampling their unit labels, so the input is the count
// of events per unit. Randomness: each sample draws from its own SplitMix64
// stream seeded by (seed, sample index), with Lemire's unbiased bounded integers
// and a partial Fisher–Yates shuffle — identical on every platform and for any
// number of threads. It is not R's RNG: an S-index whose base percentage lies
// near an interval edge can differ from `sppt`'s, as it would between two seeds
// of `sppt` itself.
//
// sppt_diff (Wheeler, Steenbeek & Andresen 2018): per unit the 2×2 table
// (base, test) × (in unit, elsewhere), tested by the N − 1 χ² (default), χ²,
// Yates or Fisher's exact test, p adjusted (default Benjamini–Yekutieli), and
// S = ±1 where the adjusted p < 1 − conf/100, signed by base% − test%. Units
// whose χ² is undefined (no events in the unit in either set) get p = NaN,
// are left out of the adjustment's n and get S = 0 — as the R package does.
#include <cstdint>
#include <span>
#include <vector>

#include "geo/change/contingency.hpp"

namespace trygg::geo::change {

struct SpptOptions {
  int samples = 200;            // DEFAULT: 200, as sppt
  double samplePercent = 85;    // DEFAULT: 85 % of the test events per sample, as sppt
  double confLevel = 95;        // DEFAULT: 95 (percent, as sppt's conf_level)
  std::uint64_t seed = 0;       // REQUIRES: same seed -> same result, whatever `threads`
  int threads = 0;              // 0: std::thread::hardware_concurrency()
};

struct SpptUnit {
  std::int64_t baseCount = 0;
  std::int64_t testCount = 0;
  double basePercent = 0;
  double testPercent = 0;
  double confLow = 0;    // interval of the sampled test percentage
  double confHigh = 0;
  int sIndex = 0;        // −1 base below, 0 inside, +1 base above the test interval
  int localS = 0;        // −sIndex: +1 = the unit's share rose from base to test
  bool similar = false;  // sIndex == 0
  bool inRobust = false; // baseCount + testCount > 0
};

struct SpptResult {
  std::vector<SpptUnit> units;
  double globalS = 0;        // mean similarity over all units
  double globalSRobust = 0;  // over units with events in either set (NaN if none)
  std::int64_t baseTotal = 0;
  std::int64_t testTotal = 0;
  std::int64_t sampleSize = 0;  // test events per sample
  int lowerPosition = 0;        // 1-based positions in the sorted samples
  int upperPosition = 0;
};

// baseCounts[i], testCounts[i]: events of each set in unit i (same length).
// Throws DataError when either set has no events, UsageError for bad options.
SpptResult spatialPointPatternTest(std::span<const std::int64_t> baseCounts,
                                   std::span<const std::int64_t> testCounts, const SpptOptions& options = {});

enum class SpptDiffTest { Chi2NMinus1, Chi2, Yates, Fisher };

struct SpptDiffOptions {
  SpptDiffTest test = SpptDiffTest::Chi2NMinus1;  // DEFAULT: "Chi2_Nmin1", as sppt_diff
  double confLevel = 95;                          // DEFAULT: 95 (percent)
  PAdjust adjust = PAdjust::BY;                   // DEFAULT: Benjamini–Yekutieli, as sppt_diff
};

struct SpptDiffUnit {
  std::int64_t baseCount = 0;
  std::int64_t testCount = 0;
  double basePercent = 0;
  double testPercent = 0;
  double diffPercent = 0;  // base% − test%
  double pValue = 0;       // NaN when the test is undefined for the unit
  double pAdjusted = 0;
  int sIndex = 0;
  int localS = 0;
  bool similar = false;
  bool inRobust = false;
};

struct SpptDiffResult {
  std::vector<SpptDiffUnit> units;
  double globalS = 0;
  double globalSRobust = 0;
  std::int64_t baseTotal = 0;
  std::int64_t testTotal = 0;
};

SpptDiffResult spptDiff(std::span<const std::int64_t> baseCounts, std::span<const std::int64_t> testCounts,
                        const SpptDiffOptions& options = {});

}  // namespace trygg::geo::change
