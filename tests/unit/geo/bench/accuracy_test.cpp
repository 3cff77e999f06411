// PAI, PEI*, hit rate and RRI on hand-computed grids (METHODS.md §7).
#include "geo/bench/accuracy.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace trygg::geo::bench;

namespace {
// A 10-cell strip of 100 m² cells (A = 1000 m²).
struct Grid {
  std::vector<double> scores{0.9, 0.1, 0.8, 0.3, 0.7, 0.2, 0.05, 0.6, 0.4, 0.0};
  std::vector<double> test{5, 0, 3, 1, 2, 0, 0, 4, 1, 4};     // N = 20
  std::vector<double> train{6, 1, 2, 0, 1, 0, 0, 5, 3, 2};    // N1 = 20
  std::vector<double> areas = std::vector<double>(10, 100.0);
  CellInputs inputs() const { return {scores, test, areas, train, {}}; }
};
}  // namespace

TEST(HotspotAccuracy, HandComputedTwentyPercent) {
  // Coverage 20 % of 1000 m² = 200 m²: the two best-scored cells, 0 (0.9) and 2 (0.8).
  const Grid g;
  const auto r = evaluateHotspots(g.inputs(), 0.2);
  EXPECT_EQ(r.flaggedCells, 2);
  EXPECT_DOUBLE_EQ(r.flaggedArea, 200);
  EXPECT_DOUBLE_EQ(r.studyArea, 1000);
  EXPECT_DOUBLE_EQ(r.n, 8);       // 5 + 3
  EXPECT_DOUBLE_EQ(r.total, 20);
  EXPECT_DOUBLE_EQ(r.nStar, 9);   // best 200 m²: cells 0 (5) and 7 (4; 4 ties with cell 9, lower id wins)
  ASSERT_TRUE(r.pai && r.pei && r.hitRate && r.rri);
  EXPECT_DOUBLE_EQ(*r.hitRate, 0.4);           // 8/20
  EXPECT_DOUBLE_EQ(*r.pai, 0.4 / 0.2);         // (8/20)/(200/1000) = 2
  EXPECT_DOUBLE_EQ(*r.pei, 8.0 / 9.0);
  EXPECT_DOUBLE_EQ(*r.n1, 8);                  // training 6 + 2
  EXPECT_DOUBLE_EQ(*r.rri, (8.0 / 8.0) / (20.0 / 20.0));
}

TEST(HotspotAccuracy, SeveralCoveragesRankOnce) {
  const Grid g;
  const std::vector<double> cov{0.1, 0.3, 0.5};
  const auto r = evaluateHotspots(g.inputs(), cov);
  ASSERT_EQ(r.size(), 3u);
  // 10 %: cell 0 → n = 5, PAI = (5/20)/(0.1) = 2.5; n* = 5.
  EXPECT_DOUBLE_EQ(*r[0].pai, 2.5);
  EXPECT_DOUBLE_EQ(*r[0].pei, 1.0);
  // 30 %: cells 0, 2, 4 → n = 10; n* = 5 + 4 + 4 = 13.
  EXPECT_DOUBLE_EQ(r[1].n, 10);
  EXPECT_DOUBLE_EQ(r[1].nStar, 13);
  // 50 %: cells 0, 2, 4, 7, 8 → n = 15; training 6+2+1+5+3 = 17 → RRI = (15/17)/(20/20).
  EXPECT_DOUBLE_EQ(r[2].n, 15);
  EXPECT_DOUBLE_EQ(*r[2].rri, 15.0 / 17.0);
}

TEST(HotspotAccuracy, TiesAtTheCutOffGoToTheLowerIdAndNeverExceedCoverage) {
  // Four equal scores, room for two cells: ids 1 and 2 (by id), not all four.
  std::vector<double> scores{0.5, 0.9, 0.9, 0.9, 0.9};
  std::vector<double> test{1, 2, 3, 4, 5};
  std::vector<double> areas(5, 10.0);
  std::vector<std::int64_t> ids{10, 40, 20, 30, 35};  // explicit ids reorder the tie: 20 (idx 2), 30 (idx 3)
  const CellInputs byPosition{scores, test, areas, {}, {}};
  auto flagged = flaggedCells(byPosition, 0.4);
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[0], 1u);
  EXPECT_EQ(flagged[1], 2u);
  const CellInputs byId{scores, test, areas, {}, ids};
  flagged = flaggedCells(byId, 0.4);
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[0], 2u);
  EXPECT_EQ(flagged[1], 3u);
  // 0.39 of 50 m² = 19.5 m²: one cell only — never round up past the coverage.
  const auto r = evaluateHotspots(byPosition, 0.39);
  EXPECT_EQ(r.flaggedCells, 1);
  EXPECT_LE(r.flaggedArea, 0.39 * 50);
  EXPECT_DOUBLE_EQ(*r.pai, (2.0 / 15.0) / (10.0 / 50.0));
}

TEST(HotspotAccuracy, PartialEdgeCellsCountByTheirAreaInside) {
  // Cell 0 lies half outside the study area (50 m² inside). A = 350 m².
  std::vector<double> scores{0.9, 0.8, 0.7, 0.1};
  std::vector<double> test{4, 3, 2, 1};
  std::vector<double> areas{50, 100, 100, 100};
  const CellInputs in{scores, test, areas, {}, {}};
  // Coverage 150/350: cells 0 and 1 fit exactly (50 + 100 = 150).
  const auto r = evaluateHotspots(in, 150.0 / 350.0);
  EXPECT_EQ(r.flaggedCells, 2);
  EXPECT_DOUBLE_EQ(r.flaggedArea, 150);
  EXPECT_DOUBLE_EQ(r.n, 7);
  EXPECT_NEAR(*r.pai, (7.0 / 10.0) / (150.0 / 350.0), 1e-14);
  // 100/350: cell 0 (50) fits, cell 1 (100) would make 150 > 100: stop there.
  const auto s = evaluateHotspots(in, 100.0 / 350.0);
  EXPECT_EQ(s.flaggedCells, 1);
  EXPECT_DOUBLE_EQ(s.flaggedArea, 50);
  EXPECT_NEAR(*s.pai, (4.0 / 10.0) / (50.0 / 350.0), 1e-14);
  // A study area given explicitly overrides the sum of the cells.
  AccuracyOptions o;
  o.studyArea = 700;
  const auto t = evaluateHotspots(in, 150.0 / 700.0, o);
  EXPECT_DOUBLE_EQ(t.flaggedArea, 150);
  EXPECT_NEAR(*t.pai, (7.0 / 10.0) / (150.0 / 700.0), 1e-14);
}

TEST(HotspotAccuracy, ZeroAreaCellsAreNeverFlagged) {
  std::vector<double> scores{0.9, 0.8};
  std::vector<double> test{3, 1};
  std::vector<double> areas{0, 100};
  const auto r = evaluateHotspots({scores, test, areas, {}, {}}, 1.0);
  EXPECT_EQ(r.flaggedCells, 1);
  EXPECT_DOUBLE_EQ(r.n, 1);
  EXPECT_DOUBLE_EQ(r.total, 4);
}

TEST(HotspotAccuracy, UndefinedMetricsAreNA) {
  const Grid g;
  // RRI: no training events in the flagged cells (cell 3 has 0 training events).
  std::vector<double> scores(10, 0.0);
  scores[3] = 1;
  auto r = evaluateHotspots({scores, g.test, g.areas, g.train, {}}, 0.1);
  EXPECT_DOUBLE_EQ(*r.n1, 0);
  EXPECT_FALSE(r.rri.has_value());
  EXPECT_TRUE(r.pai.has_value());
  // No training counts at all.
  r = evaluateHotspots({g.scores, g.test, g.areas, {}, {}}, 0.1);
  EXPECT_FALSE(r.rri.has_value());
  EXPECT_FALSE(r.n1.has_value());
  // No test events: PAI, hit rate, PEI* and RRI are NA.
  const std::vector<double> none(10, 0.0);
  r = evaluateHotspots({g.scores, none, g.areas, g.train, {}}, 0.1);
  EXPECT_FALSE(r.pai.has_value());
  EXPECT_FALSE(r.hitRate.has_value());
  EXPECT_FALSE(r.pei.has_value());
  EXPECT_FALSE(r.rri.has_value());
  // Coverage smaller than any cell: nothing flagged, PAI NA, hit rate 0.
  r = evaluateHotspots(g.inputs(), 0.05);
  EXPECT_EQ(r.flaggedCells, 0);
  EXPECT_FALSE(r.pai.has_value());
  EXPECT_DOUBLE_EQ(*r.hitRate, 0);
}

TEST(HotspotAccuracy, NaNScoresRankLast) {
  std::vector<double> scores{std::nan(""), 0.1, 0.2};
  std::vector<double> test{9, 1, 2};
  std::vector<double> areas(3, 1.0);
  const auto flagged = flaggedCells({scores, test, areas, {}, {}}, 1.0);
  ASSERT_EQ(flagged.size(), 2u);
  EXPECT_EQ(flagged[0], 2u);
  EXPECT_EQ(flagged[1], 1u);
}

TEST(HotspotAccuracy, RejectsBadInput) {
  const Grid g;
  EXPECT_THROW(evaluateHotspots(g.inputs(), 0.0), trygg::UsageError);
  EXPECT_THROW(evaluateHotspots(g.inputs(), 1.5), trygg::UsageError);
  std::vector<double> shortAreas(3, 1.0);
  EXPECT_THROW(evaluateHotspots({g.scores, g.test, shortAreas, {}, {}}, 0.1), trygg::UsageError);
  std::vector<double> neg = g.areas;
  neg[2] = -1;
  EXPECT_THROW(evaluateHotspots({g.scores, g.test, neg, {}, {}}, 0.1), trygg::UsageError);
}
