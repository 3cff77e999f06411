#pragma once
// Hotspot forecast accuracy (METHODS.md §7):
//   PAI  = (n/N)/(a/A)        Chainey, Tompson & Uhlig (2008), "The utility of
//                             hotspot mapping for predicting spatial patterns of crime"
//   PEI* = n/n*               NIJ Real-Time Crime Forecasting Challenge (2017);
//                             n* = events in the best set of cells of the same
//                             coverage, chosen with the test period's counts
//   hit rate = n/N            at the fixed coverage a/A
//   RRI  = (n₂/n₁)/(N₂/N₁)    Levine (2008), "The 'hottest' part of a hotspot",
//                             Security Journal 21; n₁, n₂ = events in the flagged
//                             cells in the training and test periods, N₁, N₂ = all
//                             events in them. NA when n₁ = 0 or N₁ = 0.
// with n test events in the flagged cells, N all test events, a the flagged
// area and A the study area.
//
// Which cells are flagged (documented rule, docs/methods/accuracy-metrics.md):
// cells are ranked by score, highest first, ties broken by cell id ascending;
// whole cells are taken in that order while the cumulative area stays within
// coverage·A (relative tolerance 1e−9 for rounding); the first cell that would
// exceed it ends the set. So the flagged area never exceeds the coverage, and
// ties at the cut-off go to the lower cell id. A cell's area is its area inside
// the study area (edge cells count by their inside part); cells of area 0 are
// never flagged. n* uses the same rule with the test counts as the score.
// With unequal cell areas this greedy n* can be below the true optimum of that
// area (a knapsack problem), so PEI* may exceed 1 there; with equal cells it is exact.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace trygg::geo::bench {

// Per-cell inputs; every span has one entry per cell, in the same order.
struct CellInputs {
  std::span<const double> scores;        // the forecast; higher = more likely (NaN: never flagged)
  std::span<const double> testCounts;    // events in the test (forecast) period, >= 0 (weights allowed)
  std::span<const double> areas;         // area inside the study area, >= 0
  std::span<const double> trainCounts;   // optional: events in the training period (for RRI)
  std::span<const std::int64_t> cellIds; // optional: ids for tie-breaking; empty = position in the spans
};

struct AccuracyOptions {
  double studyArea = 0;  // A; 0 (DEFAULT) = the sum of the cell areas
};

struct HotspotAccuracy {
  double coverage = 0;          // requested a/A
  double studyArea = 0;         // A
  double flaggedArea = 0;       // a (<= coverage·A)
  std::int64_t flaggedCells = 0;
  double n = 0;                 // test events in the flagged cells
  double total = 0;             // N, all test events
  double nStar = 0;             // n*, test events in the best set of the same coverage
  double nStarArea = 0;         // the area of that best set
  std::optional<double> n1;     // training events in the flagged cells (when trainCounts given)
  std::optional<double> total1; // N₁
  // NA (nullopt) when undefined: PAI and hit rate when N = 0 (PAI also when a = 0),
  // PEI* when n* = 0, RRI when no training counts are given or n₁ = 0 or N₁ = 0.
  std::optional<double> pai;
  std::optional<double> pei;
  std::optional<double> hitRate;
  std::optional<double> rri;
};

// Metrics at each coverage (a fraction in (0, 1]); ranks the cells once.
// Throws UsageError on mismatched spans, negative areas or counts, or a bad coverage.
std::vector<HotspotAccuracy> evaluateHotspots(const CellInputs& cells, std::span<const double> coverages,
                                              const AccuracyOptions& options = {});
HotspotAccuracy evaluateHotspots(const CellInputs& cells, double coverage, const AccuracyOptions& options = {});

// The flagged cells (indices into the spans, in rank order) at one coverage.
std::vector<std::size_t> flaggedCells(const CellInputs& cells, double coverage, const AccuracyOptions& options = {});

}  // namespace trygg::geo::bench
