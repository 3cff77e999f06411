// Knox test: hand-computed counts, a base-R reference (observed counts and the
// exact permutation expectation, tests/reference/knox/), brute force, and the
// permutation p's properties.
#include "geo/hotspot/knox.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "core/error.hpp"
#include "geo/hotspot/rng.hpp"

namespace trygg::geo::hotspot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Events {
  std::vector<Point> xy;
  std::vector<double> t;
};

// (0,0) day 0; (50,0) day 3; (0,150) day 10; (300,0) day 1.
Events tinySet() { return {{{0, 0}, {50, 0}, {0, 150}, {300, 0}}, {0, 3, 10, 1}}; }

TEST(Knox, HandComputedTinySetEuclidean) {
  const auto ev = tinySet();
  KnoxOptions o;
  o.spatial_breaks = {0, 100, 200};
  o.temporal_breaks = {0, 7, 14};
  o.permutations = 0;
  const auto r = knoxTest(ev.xy, ev.t, o);
  // Pairs: 0-1 d 50 dt 3 -> [0,100)x[0,7); 0-2 d 150 dt 10 -> [100,200)x[7,14);
  // 1-2 d 158.1 dt 7 -> [100,200)x[7,14) (7 is in [7, 14)); the rest d >= 200.
  EXPECT_EQ(r.at(0, 0).observed, 1);
  EXPECT_EQ(r.at(0, 1).observed, 0);
  EXPECT_EQ(r.at(1, 0).observed, 0);
  EXPECT_EQ(r.at(1, 1).observed, 2);
  EXPECT_EQ(r.pairs_total, 6);
  EXPECT_EQ(r.pairs_enumerated, 3);
  // Exact expectation: N_s = {1, 2}; N_t: dt = 3, 10, 1, 7, 2, 9 -> [0,7): 3, [7,14): 3.
  EXPECT_DOUBLE_EQ(r.at(0, 0).expected, 1.0 * 3 / 6);
  EXPECT_DOUBLE_EQ(r.at(1, 1).expected, 2.0 * 3 / 6);
  EXPECT_TRUE(std::isnan(r.at(0, 0).p));
  EXPECT_TRUE(std::isnan(r.at(0, 0).ratio_mean));
}

TEST(Knox, HandComputedTinySetManhattanAndHalfOpenBands) {
  const auto ev = tinySet();
  KnoxOptions o;
  o.spatial_breaks = {0, 100, 200};
  o.temporal_breaks = {0, 7, 14};
  o.distance = KnoxDistance::Manhattan;
  o.permutations = 0;
  const auto r = knoxTest(ev.xy, ev.t, o);
  // 1-2 is 50 + 150 = 200 apart in Manhattan distance: not in [100, 200).
  EXPECT_EQ(r.at(0, 0).observed, 1);
  EXPECT_EQ(r.at(1, 1).observed, 1);
  // A band starting at 3 days excludes dt = 3? No: [3, 7) includes 3.
  o.temporal_breaks = {3, 7};
  o.spatial_breaks = {0, 100};
  EXPECT_EQ(knoxTest(ev.xy, ev.t, o).at(0, 0).observed, 1);
  o.temporal_breaks = {0, 3};
  EXPECT_EQ(knoxTest(ev.xy, ev.t, o).at(0, 0).observed, 0);
}

TEST(Knox, PermutationMeanApproachesExactEnumeration) {
  // With 4 events there are 24 time permutations; the Monte Carlo mean must
  // approach the exact expectation, and p follows its definition.
  const auto ev = tinySet();
  KnoxOptions o;
  o.spatial_breaks = {0, 100, 200};
  o.temporal_breaks = {0, 7, 14};
  o.permutations = 20000;
  o.seed = 3;
  const auto r = knoxTest(ev.xy, ev.t, o);
  for (const auto& c : r.cells) {
    EXPECT_NEAR(c.sim_mean, c.expected, 0.02) << c.spatial_band << "," << c.temporal_band;
    EXPECT_DOUBLE_EQ(c.p, static_cast<double>(c.sim_at_least + 1) / (o.permutations + 1));
    EXPECT_GE(c.p, 1.0 / (o.permutations + 1));
    EXPECT_LE(c.p, 1.0);
  }
  // Observed 0 pairs: every simulation is >= 0, so p = 1.
  EXPECT_EQ(r.at(0, 1).observed, 0);
  EXPECT_EQ(r.at(0, 1).p, 1.0);
}

Events readReferenceEvents() {
  Events ev;
  std::ifstream in(std::string(TRYGG_REFERENCE_DIR) + "/knox/events.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    double x, y, d;
    char c1, c2;
    std::istringstream ls(line);
    if (ls >> x >> c1 >> y >> c2 >> d) {
      ev.xy.push_back({x, y});
      ev.t.push_back(d);
    }
  }
  return ev;
}

TEST(Knox, MatchesBaseRReferenceCountsAndExactExpectation) {
  const Events ev = readReferenceEvents();
  ASSERT_EQ(ev.xy.size(), 600u) << "tests/reference/knox/events.csv";
  std::ifstream in(std::string(TRYGG_REFERENCE_DIR) + "/knox/knox_reference.csv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cell;
    std::istringstream ls(line);
    while (std::getline(ls, cell, ',')) f.push_back(cell);
    if (f.size() == 7) rows.push_back(f);
  }
  ASSERT_EQ(rows.size(), 40u);
  for (const auto metric : {KnoxDistance::Euclidean, KnoxDistance::Manhattan}) {
    KnoxOptions o;
    o.spatial_breaks = {0, 100, 200, 300, 400, kInf};
    o.temporal_breaks = {0, 7, 14, 21, 28};
    o.distance = metric;
    o.permutations = 999;
    o.seed = 1;
    const auto r = knoxTest(ev.xy, ev.t, o);
    const std::string name = metric == KnoxDistance::Euclidean ? "euclidean" : "manhattan";
    int checked = 0;
    for (const auto& f : rows) {
      if (f[0] != name) continue;
      const double sf = std::stod(f[1]), tf = std::stod(f[3]);
      const auto s = static_cast<std::size_t>(std::find(o.spatial_breaks.begin(), o.spatial_breaks.end(), sf) -
                                              o.spatial_breaks.begin());
      const auto k = static_cast<std::size_t>(std::find(o.temporal_breaks.begin(), o.temporal_breaks.end(), tf) -
                                              o.temporal_breaks.begin());
      const auto& c = r.at(s, k);
      SCOPED_TRACE(name + " " + f[1] + "-" + f[2] + " m, " + f[3] + "-" + f[4] + " d");
      EXPECT_EQ(c.observed, std::stoll(f[5]));
      const double expected = std::stod(f[6]);
      EXPECT_NEAR(c.expected, expected, 1e-9 * std::max(1.0, expected));
      // Monte Carlo mean of 999 replicates vs the exact expectation: within 6
      // standard errors (the count is at most Poisson-like over-dispersed).
      const double se = std::sqrt(std::max(expected, 1.0) / 999.0);
      EXPECT_NEAR(c.sim_mean, expected, 6 * se * 2);
      ++checked;
    }
    EXPECT_EQ(checked, 20);
    // The planted near repeats (within 150 m and 10 days) show up.
    EXPECT_GT(r.at(0, 0).ratio_mean, 2.0);
    EXPECT_GT(r.at(0, 0).ratio_median, 2.0);
    EXPECT_DOUBLE_EQ(r.at(0, 0).p, 1.0 / 1000.0);
    // Far apart and long apart: nothing.
    EXPECT_GT(r.at(4, 3).p, 0.05);
  }
}

TEST(Knox, BruteForceWithFirstBreakAboveZeroAndFractionalDays) {
  SplitMix64 rng(11);
  Events ev;
  for (int i = 0; i < 300; ++i) {
    ev.xy.push_back({rng.uniform() * 1000, rng.uniform() * 800});
    ev.t.push_back(rng.uniform() * 60);
  }
  ev.xy.push_back(ev.xy[5]);  // a coincident pair (distance 0)
  ev.t.push_back(ev.t[5] + 2.5);
  for (const auto metric : {KnoxDistance::Euclidean, KnoxDistance::Manhattan}) {
    KnoxOptions o;
    o.spatial_breaks = {20, 75, 150, 300};
    o.temporal_breaks = {1, 5, 12.5, 30};
    o.distance = metric;
    o.permutations = 0;
    const auto r = knoxTest(ev.xy, ev.t, o);
    std::vector<std::int64_t> brute(9, 0);
    for (std::size_t i = 0; i < ev.xy.size(); ++i) {
      for (std::size_t j = i + 1; j < ev.xy.size(); ++j) {
        const double dx = ev.xy[i].x - ev.xy[j].x, dy = ev.xy[i].y - ev.xy[j].y;
        const double d = metric == KnoxDistance::Manhattan ? std::fabs(dx) + std::fabs(dy) : std::sqrt(dx * dx + dy * dy);
        const double dt = std::fabs(ev.t[i] - ev.t[j]);
        int s = -1, k = -1;
        for (int b = 0; b < 3; ++b) {
          if (d >= o.spatial_breaks[b] && d < o.spatial_breaks[b + 1]) s = b;
          if (dt >= o.temporal_breaks[b] && dt < o.temporal_breaks[b + 1]) k = b;
        }
        if (s >= 0 && k >= 0) ++brute[s * 3 + k];
      }
    }
    for (std::size_t s = 0; s < 3; ++s) {
      for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(r.at(s, k).observed, brute[s * 3 + k]) << s << "," << k;
    }
  }
}

TEST(Knox, OpenBandsCoverEveryPair) {
  SplitMix64 rng(5);
  Events ev;
  for (int i = 0; i < 400; ++i) {
    ev.xy.push_back({rng.uniform() * 2000, rng.uniform() * 2000});
    ev.t.push_back(std::floor(rng.uniform() * 100));
  }
  KnoxOptions o;
  o.spatial_breaks = {0, 50, 200, kInf};
  o.temporal_breaks = {0, 3, kInf};
  o.permutations = 50;
  const auto r = knoxTest(ev.xy, ev.t, o);
  std::int64_t observed = 0;
  double sim = 0;
  for (const auto& c : r.cells) {
    observed += c.observed;
    sim += c.sim_mean;
  }
  EXPECT_EQ(observed, r.pairs_total);
  EXPECT_NEAR(sim, static_cast<double>(r.pairs_total), 1e-6);
  // Open spatial band alone: [0, inf) is every pair, whatever the times.
  o.spatial_breaks = {0, kInf};
  const auto all = knoxTest(ev.xy, ev.t, o);
  EXPECT_EQ(all.at(0, 0).observed + all.at(0, 1).observed, all.pairs_total);
  EXPECT_EQ(all.at(0, 0).sim_mean, static_cast<double>(all.at(0, 0).observed));  // invariant under permutation
}

TEST(Knox, SeededAndIndependentOfThreadCount) {
  const Events ev = readReferenceEvents();
  KnoxOptions o;
  o.permutations = 199;
  o.seed = 99;
  KnoxResult one;
  {
    tbb::global_control single(tbb::global_control::max_allowed_parallelism, 1);
    one = knoxTest(ev.xy, ev.t, o);
  }
  const auto two = knoxTest(ev.xy, ev.t, o);
  ASSERT_EQ(one.cells.size(), two.cells.size());
  for (std::size_t i = 0; i < one.cells.size(); ++i) {
    EXPECT_EQ(one.cells[i].sim_mean, two.cells[i].sim_mean);
    EXPECT_EQ(one.cells[i].sim_median, two.cells[i].sim_median);
    EXPECT_EQ(one.cells[i].sim_at_least, two.cells[i].sim_at_least);
  }
  o.seed = 100;
  const auto other = knoxTest(ev.xy, ev.t, o);
  bool differs = false;
  for (std::size_t i = 0; i < one.cells.size(); ++i) differs = differs || other.cells[i].sim_mean != one.cells[i].sim_mean;
  EXPECT_TRUE(differs);
}

TEST(Knox, WholeDayFastPathEqualsGeneralPath) {
  // Shifting every time by half a day leaves each |dt| unchanged but sends the
  // data down the general (double) path instead of the whole-day table.
  Events ev = readReferenceEvents();
  KnoxOptions o;
  o.spatial_breaks = {0, 150, 300, kInf};
  o.temporal_breaks = {1, 4, 9.5, 30, kInf};
  o.permutations = 99;
  o.seed = 12;
  const auto whole = knoxTest(ev.xy, ev.t, o);
  for (double& t : ev.t) t += 0.5;
  const auto shifted = knoxTest(ev.xy, ev.t, o);
  for (std::size_t i = 0; i < whole.cells.size(); ++i) {
    EXPECT_EQ(whole.cells[i].observed, shifted.cells[i].observed);
    EXPECT_EQ(whole.cells[i].sim_mean, shifted.cells[i].sim_mean);
    EXPECT_EQ(whole.cells[i].p, shifted.cells[i].p);
  }
}

TEST(Knox, SyntheticNearRepeatsDetectedRandomPatternNot) {
  SplitMix64 rng(2026);
  Events random, repeats;
  for (int i = 0; i < 800; ++i) {
    const Point p{rng.uniform() * 5000, rng.uniform() * 5000};
    const double t = std::floor(rng.uniform() * 365);
    random.xy.push_back(p);
    random.t.push_back(t);
    repeats.xy.push_back(p);
    repeats.t.push_back(t);
  }
  for (int i = 0; i < 150; ++i) {  // near repeats: within 80 m and 6 days of an earlier event
    const auto parent = static_cast<std::size_t>(rng.below(800));
    const double a = rng.uniform() * 2 * std::numbers::pi, d = 80 * std::sqrt(rng.uniform());
    repeats.xy.push_back({repeats.xy[parent].x + d * std::cos(a), repeats.xy[parent].y + d * std::sin(a)});
    repeats.t.push_back(repeats.t[parent] + std::floor(rng.uniform() * 7));
  }
  KnoxOptions o;  // 0–500 m by 100, 0–28 days by 7, 999 replicates
  o.seed = 8;
  const auto nr = knoxTest(repeats.xy, repeats.t, o);
  EXPECT_GT(nr.at(0, 0).ratio_mean, 3.0);
  EXPECT_LE(nr.at(0, 0).p, 0.001 + 1e-12);
  const auto rnd = knoxTest(random.xy, random.t, o);
  EXPECT_GT(rnd.at(0, 0).ratio_mean, 0.5);
  EXPECT_LT(rnd.at(0, 0).ratio_mean, 1.5);
  EXPECT_GT(rnd.at(0, 0).p, 0.05);
  int small = 0;
  for (const auto& c : rnd.cells) small += c.p <= 0.01;
  EXPECT_LE(small, 1);  // 20 cells; at most a chance hit
}

TEST(Knox, PrintedTableAndCsv) {
  const auto ev = tinySet();
  KnoxOptions o;
  o.spatial_breaks = {0, 100, 200};
  o.temporal_breaks = {0, 7, kInf};
  o.permutations = 99;
  o.seed = 4;
  const auto r = knoxTest(ev.xy, ev.t, o);
  const std::string text = knoxTableText(r);
  EXPECT_NE(text.find("[0, 100)"), std::string::npos) << text;
  EXPECT_NE(text.find("[100, 200)"), std::string::npos);
  EXPECT_NE(text.find("[7, inf)"), std::string::npos);
  EXPECT_NE(text.find("half-open"), std::string::npos);
  EXPECT_NE(text.find("seed: 4"), std::string::npos);
  EXPECT_NE(text.find("Knox ratio (observed / median of simulations)"), std::string::npos);
  const std::string csv = knoxTableCsv(r);
  EXPECT_EQ(csv.rfind("spatial_from,spatial_to,temporal_from_days,temporal_to_days,observed,", 0), 0u);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  EXPECT_NE(csv.find("\n0,100,0,7,1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",inf,"), std::string::npos);
}

TEST(Knox, DaysFromTimes) {
  const std::vector<EpochSeconds> t = {0, 86399, 86400, -1, 23 * 3600};
  EXPECT_EQ(knoxDays(t, true), (std::vector<double>{0, 0, 1, -1, 0}));
  EXPECT_EQ(knoxDays(t, true, fixedUtcOffset(3600)), (std::vector<double>{0, 1, 1, 0, 1}));
  EXPECT_DOUBLE_EQ(knoxDays(t, false)[2], 1.0);
  EXPECT_DOUBLE_EQ(knoxDays(t, false)[1], 86399.0 / 86400.0);
}

TEST(Knox, RefusesBadInput) {
  const auto ev = tinySet();
  KnoxOptions o;
  o.permutations = 0;
  EXPECT_THROW(knoxTest(std::span<const Point>(ev.xy).first(3), ev.t, o), UsageError);
  EXPECT_THROW(knoxTest(std::span<const Point>(ev.xy).first(1), std::span<const double>(ev.t).first(1), o),
               UsageError);
  o.spatial_breaks = {0, 100, 100};
  EXPECT_THROW(knoxTest(ev.xy, ev.t, o), UsageError);
  o.spatial_breaks = {0, kInf, 300};
  EXPECT_THROW(knoxTest(ev.xy, ev.t, o), UsageError);
  o.spatial_breaks = {-1, 100};
  EXPECT_THROW(knoxTest(ev.xy, ev.t, o), UsageError);
  o.spatial_breaks = {0, 100};
  o.temporal_breaks = {0};
  EXPECT_THROW(knoxTest(ev.xy, ev.t, o), UsageError);
  o.temporal_breaks = {0, 7};
  o.permutations = -1;
  EXPECT_THROW(knoxTest(ev.xy, ev.t, o), UsageError);
}

}  // namespace
}  // namespace trygg::geo::hotspot
