// Emerging hot spots: one conformance test per category on hand-built series
// (METHODS.md §5 with trygg's precedence order), the edge cases, time-step
// alignment, the space-time Gi* against a brute-force evaluation of the
// formula, and an end-to-end cube with planted new / intensifying /
// diminishing hot spots.
#include "geo/hotspot/emerging.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include <tbb/global_control.h>

#include "core/error.hpp"
#include "geo/hotspot/rng.hpp"

namespace trygg::geo::hotspot {
namespace {

using C = EmergingCategory;

constexpr double kSigUp = 3.0, kSigP = 0.001;  // a significant upward MK trend
constexpr double kFlatZ = 0.5, kFlatP = 0.6;   // no significant trend

C classify(std::vector<int> sig, double mk_z, double mk_p) {
  return classifyEmerging(sig, mk_z, mk_p, EmergingOptions{});
}

// Every hot case must have its cold mirror: negate the flags and the trend.
void expectWithMirror(std::vector<int> sig, double mk_z, double mk_p, C expected_hot) {
  EXPECT_EQ(classify(sig, mk_z, mk_p), expected_hot);
  for (int& s : sig) s = -s;
  const C cold = classify(sig, -mk_z, mk_p);
  EXPECT_EQ(emergingCategoryCode(cold), -emergingCategoryCode(expected_hot))
      << "cold mirror gave " << emergingCategoryName(cold);
}

TEST(EmergingClassify, NewOnlyFinalStep) {
  expectWithMirror({0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, kFlatZ, kFlatP, C::NewHot);
  // Earlier significant COLD steps do not stop a new hot spot (never hot before).
  expectWithMirror({-1, -1, 0, 0, 0, 0, 0, 0, 0, 1}, kFlatZ, kFlatP, C::NewHot);
  // A significant MK trend does not matter either.
  expectWithMirror({0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, kSigUp, kSigP, C::NewHot);
}

TEST(EmergingClassify, FinalRunOfExactlyOneIsNewNotConsecutive) {
  EXPECT_EQ(classify({0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, kFlatZ, kFlatP), C::NewHot);
  // A run of one after earlier hot steps is neither new nor consecutive.
  expectWithMirror({1, 1, 0, 0, 0, 0, 0, 0, 0, 1}, kFlatZ, kFlatP, C::SporadicHot);
}

TEST(EmergingClassify, ConsecutiveFinalRunOfTwoOrMore) {
  expectWithMirror({0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, kFlatZ, kFlatP, C::ConsecutiveHot);
  expectWithMirror({0, 0, 0, 0, 0, 0, 0, 1, 1, 1}, kSigUp, kSigP, C::ConsecutiveHot);
  // A run of 8 of 10 steps (< 90 %) is still consecutive.
  expectWithMirror({0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, kSigUp, kSigP, C::ConsecutiveHot);
  // Cold before the run is allowed ("never hot before").
  expectWithMirror({-1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, kFlatZ, kFlatP, C::ConsecutiveHot);
  // A hot step before the run makes it sporadic.
  expectWithMirror({1, 0, 0, 0, 0, 0, 0, 1, 1, 1}, kFlatZ, kFlatP, C::SporadicHot);
}

TEST(EmergingClassify, IntensifyingPersistentDiminishing) {
  const std::vector<int> all(10, 1);
  expectWithMirror(all, kSigUp, kSigP, C::IntensifyingHot);
  expectWithMirror(all, kFlatZ, kFlatP, C::PersistentHot);
  expectWithMirror(all, -kSigUp, kSigP, C::DiminishingHot);
  // Significant at exactly mk_alpha counts (p <= 0.05).
  expectWithMirror(all, 2.0, 0.05, C::IntensifyingHot);
  expectWithMirror(all, 2.0, 0.0500001, C::PersistentHot);
}

TEST(EmergingClassify, TiesAtExactlyNinetyPercent) {
  // 9 of 10 (exactly 90 %) with the final step hot: >= 90 %.
  expectWithMirror({0, 1, 1, 1, 1, 1, 1, 1, 1, 1}, kFlatZ, kFlatP, C::PersistentHot);
  expectWithMirror({1, 1, 1, 1, 0, 1, 1, 1, 1, 1}, kSigUp, kSigP, C::IntensifyingHot);
  // 18 of 20 is 90 %; 17 of 20 (85 %) is not.
  std::vector<int> s20(20, 1);
  s20[3] = s20[11] = 0;
  expectWithMirror(s20, -kSigUp, kSigP, C::DiminishingHot);
  s20[5] = 0;
  expectWithMirror(s20, -kSigUp, kSigP, C::SporadicHot);
  // 8 of 9 (88.9 %) is below 90 %: a final run of 5 after earlier hot -> sporadic.
  expectWithMirror({1, 1, 1, 0, 1, 1, 1, 1, 1}, kFlatZ, kFlatP, C::SporadicHot);
}

TEST(EmergingClassify, HistoricalFollowsArcGISFinalStepNotHot) {
  // >= 90 % hot, final step not significant (its z may well be > 0: sfdep's
  // z_n < 0 test would not call this historical; ArcGIS and trygg do).
  expectWithMirror({1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, kFlatZ, kFlatP, C::HistoricalHot);
  // Historical outranks persistent and the trend categories.
  expectWithMirror({1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, kSigUp, kSigP, C::HistoricalHot);
  expectWithMirror({1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, -kSigUp, kSigP, C::HistoricalHot);
  std::vector<int> s20(20, 1);
  s20[18] = s20[19] = 0;
  expectWithMirror(s20, kFlatZ, kFlatP, C::HistoricalHot);
}

TEST(EmergingClassify, NinetyPercentHotEndingColdIsNewCold) {
  // Both "historical hot" (>= 90 % hot, final not hot) and "new cold" (only
  // the final step cold) hold: new outranks historical in the precedence.
  EXPECT_EQ(classify({1, 1, 1, 1, 1, 1, 1, 1, 1, -1}, kFlatZ, kFlatP), C::NewCold);
  EXPECT_EQ(classify({-1, -1, -1, -1, -1, -1, -1, -1, -1, 1}, kFlatZ, kFlatP), C::NewHot);
}

TEST(EmergingClassify, SporadicAndOscillating) {
  expectWithMirror({1, 0, 1, 0, 0, 1, 0, 0, 1, 1}, kFlatZ, kFlatP, C::SporadicHot);
  expectWithMirror({0, 0, 1, 0, 0, 0, 1, 0, 0, 1}, kSigUp, kSigP, C::SporadicHot);
  expectWithMirror({-1, 0, 1, 0, 0, 1, 0, 0, 0, 1}, kFlatZ, kFlatP, C::OscillatingHot);
  expectWithMirror({1, -1, 1, -1, 1, -1, 1, -1, 1, 1}, kFlatZ, kFlatP, C::OscillatingHot);
}

TEST(EmergingClassify, NoPattern) {
  EXPECT_EQ(classify(std::vector<int>(10, 0), kFlatZ, kFlatP), C::NoPattern);
  EXPECT_EQ(classify(std::vector<int>(10, 0), kSigUp, kSigP), C::NoPattern);
  // Hot earlier, final step not hot, < 90 %: nothing.
  EXPECT_EQ(classify({1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, kFlatZ, kFlatP), C::NoPattern);
  EXPECT_EQ(classify({-1, 1, -1, 1, 0, 0, 0, 0, 0, 0}, kFlatZ, kFlatP), C::NoPattern);
  EXPECT_EQ(classify({}, kFlatZ, kFlatP), C::NoPattern);
}

TEST(EmergingClassify, NamesAndCodes) {
  EXPECT_EQ(emergingCategoryName(C::IntensifyingCold), "Intensifying Cold Spot");
  EXPECT_EQ(emergingCategoryName(C::NoPattern), "No Pattern Detected");
  EXPECT_EQ(emergingCategoryKey(C::HistoricalHot), "historical_hot");
  EXPECT_EQ(emergingCategoryCode(C::OscillatingCold), -7);
  EXPECT_EQ(emergingCategoryCode(C::PersistentHot), 4);
}

// ---- time steps -------------------------------------------------------------

EpochSeconds utcDate(int y, int m, int d, int hour = 0) {
  return daysFromCivil({y, m, d}) * 86400 + hour * 3600;
}

TEST(EmergingTimeSteps, AlignedToTheEndWithAPartialFirstStepDropped) {
  const EpochSeconds start = utcDate(2024, 1, 1), end = utcDate(2024, 1, 31);
  const std::vector<EpochSeconds> events = {utcDate(2024, 1, 2), utcDate(2024, 1, 3), utcDate(2024, 1, 30, 23),
                                            utcDate(2024, 1, 31), utcDate(2023, 12, 31)};
  const auto ts = timeSteps(start, end, {StepLength::Unit::Days, 7}, events);
  ASSERT_EQ(ts.steps(), 4u);
  EXPECT_EQ(ts.boundaries, (std::vector<EpochSeconds>{utcDate(2024, 1, 3), utcDate(2024, 1, 10),
                                                      utcDate(2024, 1, 17), utcDate(2024, 1, 24), end}));
  EXPECT_TRUE(ts.hasDroppedPartialStep());
  EXPECT_EQ(ts.events_in_dropped_step, 1u);  // Jan 2
  EXPECT_EQ(ts.events_outside_window, 2u);   // Jan 31 (end is exclusive) and Dec 31
  EXPECT_EQ(ts.stepOf(utcDate(2024, 1, 2)), -1);
  EXPECT_EQ(ts.stepOf(utcDate(2024, 1, 3)), 0);
  EXPECT_EQ(ts.stepOf(utcDate(2024, 1, 30, 23)), 3);
  EXPECT_EQ(ts.stepOf(end), -1);
  // Seconds give the same boundaries in UTC.
  const auto secs = timeSteps(start, end, {StepLength::Unit::Seconds, 7 * 86400});
  EXPECT_EQ(secs.boundaries, ts.boundaries);
}

TEST(EmergingTimeSteps, WholeWindowHasNoDroppedStep) {
  const auto ts = timeSteps(utcDate(2023, 1, 1), utcDate(2024, 1, 1), {StepLength::Unit::Months, 1});
  EXPECT_EQ(ts.steps(), 12u);
  EXPECT_FALSE(ts.hasDroppedPartialStep());
  EXPECT_EQ(ts.boundaries[1], utcDate(2023, 2, 1));
  const auto part = timeSteps(utcDate(2023, 1, 15), utcDate(2024, 1, 1), {StepLength::Unit::Months, 1});
  EXPECT_EQ(part.steps(), 11u);
  EXPECT_EQ(part.boundaries.front(), utcDate(2023, 2, 1));
  const auto quarters = timeSteps(utcDate(2022, 11, 1), utcDate(2024, 1, 1), {StepLength::Unit::Months, 3});
  EXPECT_EQ(quarters.steps(), 4u);
  EXPECT_EQ(quarters.boundaries.front(), utcDate(2023, 1, 1));
}

TEST(EmergingTimeSteps, MonthEndsClampToShorterMonths) {
  const auto ts = timeSteps(utcDate(2023, 11, 1), utcDate(2024, 3, 31), {StepLength::Unit::Months, 1});
  EXPECT_EQ(ts.boundaries, (std::vector<EpochSeconds>{utcDate(2023, 11, 30), utcDate(2023, 12, 31),
                                                      utcDate(2024, 1, 31), utcDate(2024, 2, 29),
                                                      utcDate(2024, 3, 31)}));
}

TEST(EmergingTimeSteps, DaysFollowLocalMidnightAcrossDst) {
  // Europe/Stockholm: CET -> CEST at 2024-03-31 01:00Z.
  const auto stockholm = utcOffsetTable({{utcDate(2024, 3, 31, 1), 7200}}, 3600);
  const EpochSeconds end = utcDate(2024, 4, 1, 22);     // 2024-04-02 00:00 CEST
  const EpochSeconds start = utcDate(2024, 3, 29, 23);  // 2024-03-30 00:00 CET
  const auto ts = timeSteps(start, end, {StepLength::Unit::Days, 1}, {}, stockholm);
  EXPECT_EQ(ts.boundaries, (std::vector<EpochSeconds>{start, utcDate(2024, 3, 30, 23), utcDate(2024, 3, 31, 22),
                                                      end}));
  EXPECT_EQ(ts.boundaries[2] - ts.boundaries[1], 23 * 3600);  // the short day
}

TEST(EmergingTimeSteps, RefusesEmptyOrTooShortWindows) {
  EXPECT_THROW(timeSteps(10, 10, {StepLength::Unit::Seconds, 1}), UsageError);
  EXPECT_THROW(timeSteps(0, 100, {StepLength::Unit::Seconds, 101}), UsageError);
  EXPECT_THROW(timeSteps(0, 100, {StepLength::Unit::Seconds, 0}), UsageError);
}

TEST(EmergingCube, CountsEventsIntoBins) {
  const EpochSeconds start = utcDate(2024, 1, 1), end = utcDate(2024, 1, 31);
  EmergingOptions o;
  o.step = {StepLength::Unit::Days, 7};
  const std::vector<std::int64_t> cell = {0, 1, 1, -1, 2, 0};
  const std::vector<EpochSeconds> t = {utcDate(2024, 1, 3), utcDate(2024, 1, 30), utcDate(2024, 1, 29),
                                       utcDate(2024, 1, 10), utcDate(2024, 1, 2), utcDate(2025, 1, 1)};
  const auto cube = buildCube(3, cell, t, {}, start, end, o);
  EXPECT_EQ(cube.steps, 4u);
  EXPECT_EQ(cube.at(0, 0), 1);
  EXPECT_EQ(cube.at(1, 3), 2);
  EXPECT_EQ(cube.events_used, 3u);
  EXPECT_EQ(cube.events_without_cell, 1u);
  EXPECT_EQ(cube.time.events_in_dropped_step, 1u);
  EXPECT_EQ(cube.time.events_outside_window, 1u);
  const std::vector<std::int64_t> bad = {0, 1, 1, -1, 3, 0};
  EXPECT_THROW(buildCube(3, bad, t, {}, start, end, o), UsageError);
}

// ---- space-time Gi* ---------------------------------------------------------

// Rook-or-queen lattice CSR with self, row-major cells.
struct Csr {
  std::vector<std::uint32_t> offsets{0}, neighbours;
};
Csr queenLattice(int rows, int cols) {
  Csr g;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      for (int dr = -1; dr <= 1; ++dr) {
        for (int dc = -1; dc <= 1; ++dc) {
          const int rr = r + dr, cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) g.neighbours.push_back(static_cast<std::uint32_t>(rr * cols + cc));
        }
      }
      g.offsets.push_back(static_cast<std::uint32_t>(g.neighbours.size()));
    }
  }
  return g;
}

TEST(EmergingGiStar, MatchesBruteForceFormula) {
  const int rows = 4, cols = 5;
  const std::size_t cells = rows * cols, steps = 6;
  const Csr g = queenLattice(rows, cols);
  SplitMix64 rng(7);
  std::vector<double> x(cells * steps);
  for (double& v : x) v = static_cast<double>(rng.below(6));
  for (int lag : {0, 1, 2}) {
    EmergingOptions o;
    o.time_lag = lag;
    o.fdr = false;
    const auto r = emergingHotspots(x, cells, steps, g.offsets, g.neighbours, o);
    // Brute force: METHODS.md §1 with n = cells × steps and binary weights.
    const double n = static_cast<double>(cells * steps);
    double sum = 0, sum2 = 0;
    for (double v : x) {
      sum += v;
      sum2 += v * v;
    }
    const double mean = sum / n, s = std::sqrt(sum2 / n - mean * mean);
    for (std::size_t i = 0; i < cells; ++i) {
      for (std::size_t t = 0; t < steps; ++t) {
        double wx = 0, w = 0;
        for (std::size_t tt = 0; tt < steps; ++tt) {
          if (tt > t || static_cast<int>(t - tt) > lag) continue;
          for (std::uint32_t k = g.offsets[i]; k < g.offsets[i + 1]; ++k) {
            wx += x[tt * cells + g.neighbours[k]];
            w += 1;
          }
        }
        const double z = (wx - mean * w) / (s * std::sqrt((n * w - w * w) / (n - 1)));
        ASSERT_NEAR(r.locations[i].z[t], z, 1e-12) << "cell " << i << " step " << t << " lag " << lag;
        ASSERT_NEAR(r.locations[i].p[t], std::erfc(std::fabs(z) / std::sqrt(2.0)), 1e-14);
      }
    }
  }
}

TEST(EmergingGiStar, FdrIsBenjaminiHochbergOverAllBinsOnce) {
  const Csr g = queenLattice(6, 6);
  const std::size_t cells = 36, steps = 8;
  SplitMix64 rng(21);
  std::vector<double> x(cells * steps);
  for (double& v : x) v = static_cast<double>(rng.below(3));
  for (std::size_t t = 4; t < steps; ++t) x[t * cells + 14] += 9;  // something significant
  EmergingOptions raw;
  raw.fdr = false;
  const auto r0 = emergingHotspots(x, cells, steps, g.offsets, g.neighbours, raw);
  const auto r1 = emergingHotspots(x, cells, steps, g.offsets, g.neighbours, EmergingOptions{});
  // R p.adjust(p, "BH") by hand: p_(i) n / i, monotone from the top, capped at 1.
  std::vector<std::pair<double, std::size_t>> all;
  for (std::size_t i = 0; i < cells; ++i) {
    for (std::size_t t = 0; t < steps; ++t) all.push_back({r0.locations[i].p[t], t * cells + i});
  }
  std::sort(all.begin(), all.end());
  std::vector<double> adj(all.size());
  double running = 1;
  for (std::size_t k = all.size(); k > 0; --k) {
    running = std::min(running, all[k - 1].first * static_cast<double>(all.size()) / static_cast<double>(k));
    adj[all[k - 1].second] = running;
  }
  std::size_t significant = 0;
  for (std::size_t i = 0; i < cells; ++i) {
    for (std::size_t t = 0; t < steps; ++t) {
      EXPECT_NEAR(r1.locations[i].p_used[t], adj[t * cells + i], 1e-15);
      EXPECT_EQ(r0.locations[i].p_used[t], r0.locations[i].p[t]);  // no adjustment when off
      significant += r1.locations[i].sig[t] != 0;
    }
  }
  EXPECT_GT(significant, 0u);
}

TEST(EmergingGiStar, RefusesBadInput) {
  const Csr g = queenLattice(2, 2);
  std::vector<double> flat(4 * 3, 2.0);
  EXPECT_THROW(emergingHotspots(flat, 4, 3, g.offsets, g.neighbours, {}), UsageError);
  std::vector<double> x = {1, 0, 0, 2, 0, 1, 3, 0, 1, 1, 0, 0};
  EXPECT_THROW(emergingHotspots(x, 4, 1, g.offsets, g.neighbours, {}), UsageError);  // size mismatch
  EXPECT_THROW(emergingHotspots(std::span<const double>(x).first(4), 4, 1, g.offsets, g.neighbours, {}),
               UsageError);  // one step
  Csr no_self;
  no_self.offsets = {0, 1, 2, 3, 4};
  no_self.neighbours = {1, 0, 3, 2};
  EXPECT_THROW(emergingHotspots(x, 4, 3, no_self.offsets, no_self.neighbours, {}), UsageError);
  EmergingOptions bad;
  bad.alpha = 0;
  EXPECT_THROW(emergingHotspots(x, 4, 3, g.offsets, g.neighbours, bad), UsageError);
}

// A 15 × 15 grid, 12 steps, low background; three 3 × 3 blocks planted:
// A gets a burst in the final step only, B rises steadily, C falls steadily.
struct PlantedCube {
  static constexpr int kRows = 15, kCols = 15;
  static constexpr std::size_t kCells = kRows * kCols, kSteps = 12;
  std::vector<double> x = std::vector<double>(kCells * kSteps);
  Csr g = queenLattice(kRows, kCols);
  static std::size_t cell(int r, int c) { return static_cast<std::size_t>(r * kCols + c); }
  PlantedCube() {
    SplitMix64 rng(20261122);
    for (double& v : x) v = static_cast<double>(rng.below(4));  // 0..3
    for (int dr = -1; dr <= 1; ++dr) {
      for (int dc = -1; dc <= 1; ++dc) {
        for (std::size_t t = 0; t < kSteps; ++t) {
          const auto td = static_cast<double>(t);
          if (t == kSteps - 1) x[t * kCells + cell(3 + dr, 3 + dc)] += 40;      // A: new
          x[t * kCells + cell(7 + dr, 11 + dc)] += 14 + 4 * td;                 // B: intensifying
          x[t * kCells + cell(11 + dr, 4 + dc)] += 58 - 4 * td;                 // C: diminishing
        }
      }
    }
  }
};

TEST(EmergingEndToEnd, FindsPlantedNewIntensifyingAndDiminishing) {
  PlantedCube cube;
  EmergingOptions o;  // k = 1, alpha 0.05 on BH-adjusted p, MK alpha 0.05
  const auto r = emergingHotspots(cube.x, cube.kCells, cube.kSteps, cube.g.offsets, cube.g.neighbours, o);
  const auto& a = r.locations[PlantedCube::cell(3, 3)];
  const auto& b = r.locations[PlantedCube::cell(7, 11)];
  const auto& c = r.locations[PlantedCube::cell(11, 4)];
  EXPECT_EQ(a.category, C::NewHot) << emergingCategoryName(a.category);
  EXPECT_EQ(b.category, C::IntensifyingHot) << emergingCategoryName(b.category) << " hot " << b.hot_steps
                                            << " MK z " << b.trend.z;
  EXPECT_EQ(c.category, C::DiminishingHot) << emergingCategoryName(c.category) << " hot " << c.hot_steps
                                           << " MK z " << c.trend.z;
  EXPECT_EQ(a.code, 1);
  EXPECT_EQ(b.code, 3);
  EXPECT_EQ(c.code, 5);
  EXPECT_EQ(a.hot_steps, 1);
  EXPECT_GT(b.trend.z, 0);
  EXPECT_LT(c.trend.z, 0);
  // Far from the plants the background shows no hot pattern.
  int far_hot = 0;
  for (int row = 0; row < PlantedCube::kRows; ++row) {
    for (int col = 0; col < PlantedCube::kCols; ++col) {
      const bool near = (std::abs(row - 3) <= 2 && std::abs(col - 3) <= 2) ||
                        (std::abs(row - 7) <= 2 && std::abs(col - 11) <= 2) ||
                        (std::abs(row - 11) <= 2 && std::abs(col - 4) <= 2);
      if (!near && emergingCategoryCode(r.locations[PlantedCube::cell(row, col)].category) > 0) ++far_hot;
    }
  }
  EXPECT_EQ(far_hot, 0);
  EXPECT_NE(r.p_source.find("Benjamini-Hochberg"), std::string::npos);
}

TEST(EmergingEndToEnd, PermutationsAreSeededAndThreadIndependent) {
  PlantedCube cube;
  EmergingOptions o;
  o.permutations = 99;
  o.seed = 42;
  EmergingResult one, two;
  {
    tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
    one = emergingHotspots(cube.x, cube.kCells, cube.kSteps, cube.g.offsets, cube.g.neighbours, o);
  }
  two = emergingHotspots(cube.x, cube.kCells, cube.kSteps, cube.g.offsets, cube.g.neighbours, o);
  for (std::size_t i = 0; i < cube.kCells; ++i) {
    ASSERT_EQ(one.locations[i].p_sim, two.locations[i].p_sim) << "cell " << i;
  }
  o.seed = 43;
  const auto other = emergingHotspots(cube.x, cube.kCells, cube.kSteps, cube.g.offsets, cube.g.neighbours, o);
  bool differs = false;
  for (std::size_t i = 0; i < cube.kCells && !differs; ++i) differs = other.locations[i].p_sim != two.locations[i].p_sim;
  EXPECT_TRUE(differs);
}

TEST(EmergingEndToEnd, PermutationPValuesAreCalibratedOnRandomData) {
  // No structure: about 5 % of bins should have a two-sided permutation p <= 0.05,
  // and the permutation and analytic p should mostly agree on which ones.
  const std::size_t rows = 20, cols = 20, cells = rows * cols, steps = 10;
  const Csr g = queenLattice(rows, cols);
  SplitMix64 rng(99);
  std::vector<double> x(cells * steps);
  for (double& v : x) v = static_cast<double>(rng.below(5) + rng.below(5));
  EmergingOptions o;
  o.permutations = 999;
  o.fdr = false;
  const auto r = emergingHotspots(x, cells, steps, g.offsets, g.neighbours, o);
  std::size_t perm_sig = 0, analytic_sig = 0, both = 0;
  for (const auto& loc : r.locations) {
    for (std::size_t t = 0; t < steps; ++t) {
      const bool ps = loc.p_used[t] <= 0.05, as = loc.p[t] <= 0.05;
      perm_sig += ps;
      analytic_sig += as;
      both += ps && as;
    }
  }
  const double bins = static_cast<double>(cells * steps);
  EXPECT_GT(perm_sig / bins, 0.025);
  EXPECT_LT(perm_sig / bins, 0.08);
  EXPECT_GT(static_cast<double>(both), 0.7 * static_cast<double>(std::max(perm_sig, analytic_sig)));
}

TEST(EmergingEndToEnd, PermutationInferenceFindsTheSamePlants) {
  // With FDR over 2,700 bins a permutation p needs enough replicates to get
  // below the BH cut-off: 999 give a smallest two-sided p of 0.002.
  PlantedCube cube;
  EmergingOptions o;
  o.permutations = 999;
  o.seed = 7;
  const auto r = emergingHotspots(cube.x, cube.kCells, cube.kSteps, cube.g.offsets, cube.g.neighbours, o);
  const auto& b = r.locations[PlantedCube::cell(7, 11)];
  // The planted block is more extreme than every permutation: p_sim = 1/(999+1).
  EXPECT_DOUBLE_EQ(b.p_sim.back(), 1.0 / 1000.0);
  for (std::size_t t = 0; t < cube.kSteps; ++t) {
    EXPECT_GE(b.p_sim[t], 1.0 / 1000.0);
    EXPECT_LE(b.p_sim[t], 0.5 + 1e-12);  // folded
  }
  EXPECT_EQ(b.category, C::IntensifyingHot) << emergingCategoryName(b.category);
  EXPECT_EQ(r.locations[PlantedCube::cell(3, 3)].category, C::NewHot);
  EXPECT_EQ(r.locations[PlantedCube::cell(11, 4)].category, C::DiminishingHot);
  EXPECT_NE(r.p_source.find("999 permutations"), std::string::npos);
}

}  // namespace
}  // namespace trygg::geo::hotspot

// Issue 10 item 15: the step parser kept views into a temporary trimmed
// string; under AddressSanitizer (the build-asan tree of scripts/test.sh)
// this test reported stack-use-after-scope. The padded and long inputs make
// the temporary heap-allocated as well as small-string-optimised.
namespace trygg::geo::hotspot {
namespace {
TEST(EmergingStep, ParsesPaddedAndLongInputsWithoutDanglingViews) {
  const auto m = parseStepLength("  1 month  ", "emerging.step");
  EXPECT_EQ(m.unit, StepLength::Unit::Months);
  EXPECT_EQ(m.count, 1);
  const auto w = parseStepLength("2   weeks", "emerging.step");
  EXPECT_EQ(w.unit, StepLength::Unit::Days);
  EXPECT_EQ(w.count, 14);
  const std::string longer = std::string(40, ' ') + "7 Days" + std::string(40, ' ');
  const auto d = parseStepLength(longer, "emerging.step");
  EXPECT_EQ(d.unit, StepLength::Unit::Days);
  EXPECT_EQ(d.count, 7);
  EXPECT_EQ(parseStepLength("12 months", "x").count, 12);
}

TEST(EmergingStep, RejectsMalformedStepsWithUsageError) {
  for (const char* bad : {"", "month", "0 days", "-1 weeks", "1 fortnight", "1 2 days", "x days"})
    EXPECT_THROW(parseStepLength(bad, "emerging.step"), UsageError) << bad;
}
}  // namespace
}  // namespace trygg::geo::hotspot
