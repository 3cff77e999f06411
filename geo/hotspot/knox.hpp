#pragma once
// Knox space-time interaction test for near-repeat victimisation (Knox 1964,
// "The detection of space-time interactions", Applied Statistics 13(1);
// Johnson et al. 2007, "Space–time patterns of risk: a cross national
// assessment of residential burglary victimization", J. Quant. Criminol. 23;
// the Near Repeat Calculator, Ratcliffe 2009). METHODS.md §6;
// docs/methods/near-repeat.md.
//
// Every pair of events is put in a spatial band × temporal band by its
// distance and |Δt| (days); the observed pair counts are compared with counts
// after randomly permuting the event times over the events, nrep times:
//   Knox ratio = observed / mean(simulated)   (and / median(simulated))
//   p          = (#{simulated ≥ observed} + 1) / (nrep + 1)   (one-sided: more pairs than chance)
//
// Bands are HALF-OPEN: a pair with distance d is in spatial band k when
// breaks[k] <= d < breaks[k+1]; the same for |Δt| in days. They are printed
// that way. (The Near Repeat Calculator labels a band "a to b" while computing
// [a−1, b) on whole days, and has no seed.) The last spatial or temporal
// break may be +infinity for an open "b and more" band.
//
// Speed: only pairs closer than the largest finite spatial break are
// enumerated, once, with a grid index (cell = that break); each pair keeps its
// spatial band and event indices, and each replicate re-derives the temporal
// band from the permuted times — O(pairs) per replicate; TBB over blocks of 8
// replicates that share one pass over the pairs.
// An open last spatial band is counted without enumerating its pairs: the
// number of pairs in a temporal band over ALL pairs does not change when times
// are permuted, so the open band is that total minus the enumerated bands.
// Replicate r draws its permutation from (seed, r) only: the results do not
// depend on the number of threads.
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "geo/hotspot/aoristic.hpp"

namespace trygg::geo::hotspot {

enum class KnoxDistance { Euclidean, Manhattan };

struct KnoxOptions {
  // Band edges, ascending, >= 0: bands [b0, b1), [b1, b2), ... The last may be
  // +infinity. DEFAULT: 0–500 m in 100 m steps and 0–28 days in 7-day steps.
  std::vector<double> spatial_breaks = {0, 100, 200, 300, 400, 500};  // in the data's units (metres)
  std::vector<double> temporal_breaks = {0, 7, 14, 21, 28};           // days
  KnoxDistance distance = KnoxDistance::Euclidean;
  int permutations = 999;   // DEFAULT 999 replicates (0: observed counts only)
  std::uint64_t seed = 0;   // same seed -> same replicates, whatever the thread count
};

struct KnoxCell {
  std::size_t spatial_band = 0, temporal_band = 0;
  double spatial_from = 0, spatial_to = 0;    // [from, to) in distance units
  double temporal_from = 0, temporal_to = 0;  // [from, to) in days
  std::int64_t observed = 0;                  // pairs in this band pair
  double expected = 0;      // exact permutation expectation N_s · N_t / C(n, 2)
  double sim_mean = 0;      // mean of the simulated counts (NaN without permutations)
  double sim_median = 0;    // median of the simulated counts
  double ratio_mean = 0;    // observed / sim_mean (NaN when sim_mean is 0)
  double ratio_median = 0;  // observed / sim_median (NaN when sim_median is 0)
  std::int64_t sim_at_least = 0;  // #{simulated >= observed}
  double p = 0;                   // (sim_at_least + 1) / (nrep + 1)
};

struct KnoxResult {
  KnoxOptions options;
  std::size_t events = 0;
  std::int64_t pairs_total = 0;      // C(n, 2)
  std::int64_t pairs_enumerated = 0; // pairs closer than the largest finite spatial break
  std::vector<KnoxCell> cells;       // spatial-major: cells[s * temporal_bands + t]

  std::size_t spatialBands() const { return options.spatial_breaks.size() - 1; }
  std::size_t temporalBands() const { return options.temporal_breaks.size() - 1; }
  const KnoxCell& at(std::size_t s, std::size_t t) const { return cells[s * temporalBands() + t]; }
};

// Event times in days for the test: whole local calendar days (the Near Repeat
// Calculator's convention; |Δt| is then a whole number of days) when
// whole_days, else fractional days since the epoch.
std::vector<double> knoxDays(std::span<const EpochSeconds> times, bool whole_days, const UtcOffsetFn& tz = {});

// Runs the test on events at xy with times t_days. Throws UsageError for
// mismatched lengths, fewer than 2 events, non-finite input, bad breaks or a
// negative number of permutations, and when the largest finite spatial band
// holds more than 150 million pairs (choose a smaller band).
KnoxResult knoxTest(std::span<const Point> xy, std::span<const double> t_days, const KnoxOptions& options);

// A printed table: parameters, then matrices (spatial rows × temporal columns)
// of observed pairs, Knox ratio vs mean, vs median, and p.
std::string knoxTableText(const KnoxResult& result);
// One row per band pair, with a header line; the bands written as from,to.
std::string knoxTableCsv(const KnoxResult& result);

}  // namespace trygg::geo::hotspot
