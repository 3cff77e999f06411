#pragma once
// Emerging (space-time) hot spot analysis: a space-time cube of locations ×
// time steps, a space-time Gi* per bin, a Mann–Kendall trend per location, and
// the 17 categories of ArcGIS Pro's Emerging Hot Spot Analysis ("How Emerging
// Hot Spot Analysis works", ArcGIS Pro 3.x documentation), which R's sfdep
// emerging_hotspot_analysis() also implements. METHODS.md §5; docs/methods/
// emerging-hotspots.md has the full description.
//
// Where trygg deliberately differs or chooses (all documented in the doc page):
//  * The overlapping rules are applied in ONE order:
//      new > consecutive (final run ≥ 2) > intensifying > diminishing >
//      historical > persistent > sporadic > oscillating > no pattern,
//    hot and cold at each level (they cannot both match at one level).
//  * "historical" follows ArcGIS: ≥ 90 % of the steps significant hot and the
//    final step not significant hot. sfdep instead requires the final z < 0.
//  * "≥ 90 %" is tested in integers (10·hot ≥ 9·steps), so exactly 90 % counts.
//  * sig_t is p_t ≤ alpha (0.05) on Benjamini–Hochberg adjusted p over all
//    bins of the cube (fdr = true), Mann–Kendall significance is p ≤ 0.05.
//  * Time steps are aligned to the END of the analysis window; a partial first
//    step is dropped and the events in it are counted (timeSteps()).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"
#include "geo/hotspot/aoristic.hpp"
#include "geo/hotspot/mann_kendall.hpp"

namespace trygg::geo::hotspot {

// Length of one time step of the cube. Seconds are absolute; days and months
// are local civil days/months under the caller's UtcOffsetFn (so a "day" step
// stays midnight to midnight across a DST change, and months follow the
// calendar).
struct StepLength {
  enum class Unit { Seconds, Days, Months };
  Unit unit = Unit::Days;
  std::int64_t count = 7;  // DEFAULT: one week
};

// Parses a step written as "<count> <unit>": "1 month", "2 weeks", "7 days"
// (units by prefix, any case; weeks become days). Throws UsageError naming
// `where` otherwise. Owns everything it keeps: no view outlives its input.
StepLength parseStepLength(std::string_view text, std::string_view where);

// The time steps of a window [window_start, window_end), aligned to its end:
// step s covers [boundaries[s], boundaries[s+1]); boundaries.back() ==
// window_end; boundaries.front() is the earliest step start not before
// window_start. [window_start, boundaries.front()) is the dropped partial step.
struct TimeSteps {
  std::vector<EpochSeconds> boundaries;
  EpochSeconds window_start = 0;
  EpochSeconds window_end = 0;
  std::size_t events_in_dropped_step = 0;  // event times in [window_start, boundaries.front())
  std::size_t events_outside_window = 0;   // event times before window_start or at/after window_end

  std::size_t steps() const { return boundaries.empty() ? 0 : boundaries.size() - 1; }
  bool hasDroppedPartialStep() const { return !boundaries.empty() && boundaries.front() > window_start; }
  // Step index of instant t, or -1 when t is outside the full steps.
  int stepOf(EpochSeconds t) const;
};

// Builds the steps of [window_start, window_end) counting back from the end
// (Days/Months: in local civil time under tz; empty tz = UTC; a month step
// from the 31st lands on the last day of shorter months), and counts the
// given event times that fall in the dropped partial step or outside the
// window. Throws UsageError when the window is empty, count <= 0, or the
// window holds no full step.
TimeSteps timeSteps(EpochSeconds window_start, EpochSeconds window_end, StepLength step,
                    std::span<const EpochSeconds> event_times = {}, const UtcOffsetFn& tz = {});

// The 17 categories with ArcGIS's CATEGORY codes (hot 1..8, cold −1..−8, 0 none).
enum class EmergingCategory : int {
  NoPattern = 0,
  NewHot = 1,
  ConsecutiveHot = 2,
  IntensifyingHot = 3,
  PersistentHot = 4,
  DiminishingHot = 5,
  SporadicHot = 6,
  OscillatingHot = 7,
  HistoricalHot = 8,
  NewCold = -1,
  ConsecutiveCold = -2,
  IntensifyingCold = -3,
  PersistentCold = -4,
  DiminishingCold = -5,
  SporadicCold = -6,
  OscillatingCold = -7,
  HistoricalCold = -8,
};

inline int emergingCategoryCode(EmergingCategory c) { return static_cast<int>(c); }
// ArcGIS's PATTERN text: "New Hot Spot", "Intensifying Cold Spot", "No Pattern Detected", ...
std::string_view emergingCategoryName(EmergingCategory c);
// A short key: "new_hot", "intensifying_cold", "no_pattern", ...
std::string_view emergingCategoryKey(EmergingCategory c);

struct EmergingOptions {
  StepLength step;              // used by buildCube(); recorded in the run metadata
  int time_lag = 1;             // DEFAULT 1 (ArcGIS): bins of the k previous steps join the neighbourhood
  double alpha = 0.05;          // sig_t: p_t <= alpha
  bool fdr = true;              // DEFAULT: Benjamini–Hochberg over all bins of the cube, once
  double mk_alpha = 0.05;       // Mann–Kendall trend significant when its p <= mk_alpha
  int permutations = 0;         // 0: analytic p; > 0: conditional permutations, p = min(1, 2·folded pseudo-p)
  std::uint64_t seed = 0;       // permutation seed; same seed -> same p whatever the thread count
};

// The category of one location from its series of significance flags
// (+1 significant hot, −1 significant cold, 0 not significant; in time order)
// and the Mann–Kendall result on its z series. Pure; the rules are in the
// header comment and docs/methods/emerging-hotspots.md. An empty series is
// NoPattern.
EmergingCategory classifyEmerging(std::span<const int> sig, double mk_z, double mk_p,
                                  const EmergingOptions& options);

// A space-time cube: value of location `cell` in step `step` at
// values[step * cells + cell] (step-major).
struct SpaceTimeCube {
  std::size_t cells = 0;
  std::size_t steps = 0;
  std::vector<double> values;
  TimeSteps time;
  std::size_t events_used = 0;
  std::size_t events_without_cell = 0;  // cell_of_event < 0 (outside the grid/areas)

  double at(std::size_t cell, std::size_t step) const { return values[step * cells + cell]; }
};

// Counts events into a cube: event e adds weights[e] (1 when weights is empty)
// to bin (cell_of_event[e], step of event_times[e]). Events with a negative
// cell, in the dropped partial step or outside the window are left out and
// counted. Throws UsageError on mismatched lengths or a cell index >= cells.
SpaceTimeCube buildCube(std::size_t cells, std::span<const std::int64_t> cell_of_event,
                        std::span<const EpochSeconds> event_times, std::span<const double> weights,
                        EpochSeconds window_start, EpochSeconds window_end,
                        const EmergingOptions& options, const UtcOffsetFn& tz = {});

struct EmergingLocation {
  EmergingCategory category = EmergingCategory::NoPattern;
  int code = 0;                      // emergingCategoryCode(category)
  std::vector<double> z;             // space-time Gi* z per step
  std::vector<double> p;             // two-sided analytic p per step
  std::vector<double> p_sim;         // folded permutation pseudo-p per step (empty without permutations)
  std::vector<double> p_used;        // the p compared with alpha (after FDR when on)
  std::vector<int> sig;              // +1 / −1 / 0 per step
  MannKendallResult trend;           // on z
  int hot_steps = 0;                 // significant hot steps
  int cold_steps = 0;                // significant cold steps
};

struct EmergingResult {
  std::size_t cells = 0;
  std::size_t steps = 0;
  std::vector<EmergingLocation> locations;  // one per cell
  std::size_t bins = 0;                     // cells × steps (the n of Gi*)
  double mean = 0;                          // X̄ over the cube
  double sd = 0;                            // S over the cube (population form, METHODS.md §1)
  std::string p_source;                     // e.g. "analytic two-sided p, Benjamini-Hochberg FDR over 240000 bins"
};

// Space-time Gi* and classification for a cube (values step-major, see
// SpaceTimeCube). The neighbourhood of bin (i, t) is every (j, s) with j in
// neighbours[offsets[i] .. offsets[i+1]) — a CSR list that must include i
// itself, as Weights from weights.hpp with include_self — and
// t − time_lag <= s <= t, s >= 0; weights are binary, and Gi* is METHODS.md §1
// with n = cells × steps. Throws UsageError for a cube with no variation,
// fewer than 2 steps, bad CSR arrays, or options out of range.
// Threads: TBB over bins and locations; results do not depend on the number
// of threads (the shared permutation table's row k is seeded by (seed, k)).
EmergingResult emergingHotspots(std::span<const double> values, std::size_t cells, std::size_t steps,
                                std::span<const std::uint32_t> offsets,
                                std::span<const std::uint32_t> neighbours, const EmergingOptions& options);

}  // namespace trygg::geo::hotspot
