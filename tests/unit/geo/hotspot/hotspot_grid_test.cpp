// Square and hexagonal analysis grids, point counts, grid contiguity and the
// Optimized Hot Spot Analysis scale choices.
#include "geo/hotspot/hotspot_grid.hpp"

#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "geo/hotspot/local_moran.hpp"

namespace trygg::geo::hotspot {
namespace {

double ringArea(const Ring& r) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i) a += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
  return 0.5 * a;
}

TEST(HotspotGrid, SquareGridCoversExtentRowMajorFromBottom) {
  const Grid g = squareGrid(BBox{1000, 2000, 1350, 2200}, 100);
  EXPECT_EQ(g.ncols, 4);  // 350 / 100 rounded up
  EXPECT_EQ(g.nrows, 2);
  ASSERT_EQ(g.size(), 8u);
  EXPECT_EQ(g.centres[0], (Point{1050, 2050}));
  EXPECT_EQ(g.centres[1], (Point{1150, 2050}));
  EXPECT_EQ(g.centres[4], (Point{1050, 2150}));
  EXPECT_DOUBLE_EQ(ringArea(g.polygon(3)), 10000.0);
  EXPECT_DOUBLE_EQ(g.cellArea(), 10000.0);
  // Counting: edges go up/right, the outer max edge to the last cell, outside counted.
  const std::vector<Point> pts{{1000, 2000}, {1100, 2000}, {1399.9, 2199.9}, {1400, 2200}, {999, 2000}, {1200, 2200}};
  std::size_t outside = 0;
  const auto counts = countPoints(g, pts, {}, &outside);
  EXPECT_EQ(counts[0], 1);
  EXPECT_EQ(counts[1], 1);
  EXPECT_EQ(counts[7], 2);  // (1399.9, 2199.9) and the grid's own corner (1400, 2200)
  EXPECT_EQ(counts[6], 1);  // (1200, 2200) is on the top edge of the grid
  EXPECT_EQ(outside, 1u);
  const std::vector<double> wts{1, 2, 3, 4, 5, 6};
  EXPECT_EQ(countPoints(g, pts, wts)[7], 7);
}

TEST(HotspotGrid, StudyAreaPredicateKeepsCellsWhoseCentreIsInside) {
  // A disc of radius 500 around (500, 500): empty cells inside are kept too.
  const auto inside = [](Point p) { return std::hypot(p.x - 500, p.y - 500) <= 500; };
  const Grid g = squareGrid(BBox{0, 0, 1000, 1000}, 100, inside);
  std::size_t expect = 0;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) expect += inside({c * 100 + 50.0, r * 100 + 50.0});
  EXPECT_EQ(g.size(), expect);
  EXPECT_LT(g.size(), 100u);
  EXPECT_EQ(g.cellOf({5, 5}), -1);  // corner cell dropped
  const auto counts = countPoints(g, std::vector<Point>{{5, 5}, {500, 500}});
  double total = 0;
  for (double c : counts) total += c;
  EXPECT_EQ(total, 1);
}

TEST(HotspotGrid, HexGridNearestCentreAndSixNeighbours) {
  const double cell = 50;
  const Grid g = hexGrid(BBox{0, 0, 1000, 800}, cell);
  EXPECT_NEAR(g.cellArea(), std::sqrt(3.0) / 2 * cell * cell, 1e-9);
  EXPECT_NEAR(ringArea(g.polygon(10)), g.cellArea(), 1e-6);
  // Every point goes to its nearest kept centre.
  std::mt19937_64 gen(2);
  std::uniform_real_distribution<double> ux(0, 1000), uy(0, 800);
  for (int t = 0; t < 3000; ++t) {
    const Point p{ux(gen), uy(gen)};
    const auto k = g.cellOf(p);
    ASSERT_GE(k, 0);
    double best = 1e300;
    for (const Point& c : g.centres) best = std::min(best, std::hypot(c.x - p.x, c.y - p.y));
    const Point c = g.centres[static_cast<std::size_t>(k)];
    EXPECT_NEAR(std::hypot(c.x - p.x, c.y - p.y), best, 1e-9);
  }
  // Contiguity = the cells at distance `cell` (6 in the interior), = a band of cell.
  const Weights cw = gridContiguityWeights(g, Contiguity::Queen, false);
  const Weights bw = distanceBandWeights(g.centres, cell * 1.0000001, false);
  EXPECT_EQ(cw.offsets, bw.offsets);
  EXPECT_EQ(cw.neighbours, bw.neighbours);
  EXPECT_EQ(summarise(cw).max_neighbours, 6u);
}

TEST(HotspotGrid, SquareContiguityEqualsLattice) {
  const Grid g = squareGrid(BBox{0, 0, 700, 500}, 100);
  for (auto c : {Contiguity::Queen, Contiguity::Rook})
    for (bool self : {false, true}) {
      const Weights a = gridContiguityWeights(g, c, self), b = latticeContiguityWeights(5, 7, c, self);
      EXPECT_EQ(a.neighbours, b.neighbours);
      EXPECT_EQ(a.offsets, b.offsets);
    }
}

TEST(HotspotGrid, BadGridParameters) {
  EXPECT_THROW(squareGrid(BBox{0, 0, 100, 100}, 0), UsageError);
  EXPECT_THROW(squareGrid(BBox{0, 0, 100, 100}, -5), UsageError);
  EXPECT_THROW(squareGrid(BBox{0, 0, 100, 100}, 150), UsageError);  // cell larger than the extent
  EXPECT_THROW(hexGrid(BBox{}, 10), UsageError);
  EXPECT_THROW(squareGrid(BBox{0, 0, 1e6, 1e6}, 0.1), UsageError);  // too many cells
}

std::vector<Point> clustered(std::size_t n, unsigned seed) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> nd(0, 60);
  std::uniform_real_distribution<double> u(0, 2000);
  std::vector<Point> p;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 3 == 0) p.push_back({u(gen), u(gen)});
    else p.push_back({600 + nd(gen), 1400 + nd(gen)});
  }
  return p;
}

TEST(OptimizedHotSpot, CellSizeFromNearestNeighbourDistances) {
  // A regular lattice of spacing 10 (with duplicates, which must not count):
  // mean = median NN = 10, so the cell is 2 x 10.
  std::vector<Point> pts;
  for (int r = 0; r < 8; ++r)
    for (int c = 0; c < 8; ++c) {
      pts.push_back({c * 10.0, r * 10.0});
      pts.push_back({c * 10.0, r * 10.0});
    }
  const CellSizeChoice c = optimizedCellSize(pts);
  EXPECT_EQ(c.unique_locations, 64u);
  EXPECT_DOUBLE_EQ(c.mean_nn, 10.0);
  EXPECT_DOUBLE_EQ(c.median_nn, 10.0);
  EXPECT_DOUBLE_EQ(c.cell, 20.0);
  EXPECT_FALSE(c.note.empty());
  // Fewer than 30 distinct locations: a clear UsageError.
  std::vector<Point> few(100, Point{1, 1});
  for (int i = 0; i < 28; ++i) few.push_back({i * 3.0, 0});
  EXPECT_THROW(optimizedCellSize(few), UsageError);
}

TEST(OptimizedHotSpot, DistanceBandFromIncrementalMoran) {
  const auto pts = clustered(3000, 4);
  const Grid g = squareGrid(BBox{0, 0, 2000, 2000}, 50);
  const auto counts = countPoints(g, pts);
  const DistanceBandChoice ch = optimizedDistanceBand(g.centres, counts);
  ASSERT_FALSE(ch.distances.empty());
  EXPECT_DOUBLE_EQ(ch.start, 50.0);      // every cell has a neighbour at 50
  EXPECT_DOUBLE_EQ(ch.increment, 50.0);  // mean NN distance
  EXPECT_GT(ch.band, 0);
  // The series is global Moran's I at each distance.
  const GlobalMoran g0 = globalMoran(counts, distanceBandWeights(g.centres, ch.distances[0], false));
  EXPECT_DOUBLE_EQ(ch.moran_z[0], g0.z);
  if (ch.method == ScaleMethod::FirstPeak) {
    const auto it = std::find(ch.distances.begin(), ch.distances.end(), ch.band);
    ASSERT_NE(it, ch.distances.end());
    const auto b = static_cast<std::size_t>(it - ch.distances.begin());
    EXPECT_GT(ch.moran_z[b], ch.moran_z[b - 1]);
    EXPECT_GT(ch.moran_z[b], ch.moran_z[b + 1]);
  }
  EXPECT_NE(ch.method, ScaleMethod::KNearestMean) << ch.note;  // a strong cluster has a significant scale
  EXPECT_FALSE(ch.note.empty());
}

TEST(OptimizedHotSpot, NoStructureFallsBackToKNearest) {
  // i.i.d. values: no significant Moran's I at any distance (with this seed).
  std::vector<Point> c;
  for (int r = 0; r < 10; ++r)
    for (int k = 0; k < 10; ++k) c.push_back({k * 10.0, r * 10.0});
  std::vector<double> v(c.size());
  std::mt19937_64 gen(8);
  std::normal_distribution<double> nd(0, 1);
  for (auto& x : v) x = nd(gen);
  const DistanceBandChoice ch = optimizedDistanceBand(c, v);
  bool any_sig = false;
  for (double z : ch.moran_z) any_sig |= z > 1.959963984540054;
  ASSERT_FALSE(any_sig) << "pick another seed";
  EXPECT_EQ(ch.method, ScaleMethod::KNearestMean);
  EXPECT_EQ(ch.k, 5);  // round(0.05 * 100)
  EXPECT_GT(ch.band, 10.0);
}

TEST(OptimizedHotSpot, TooFewFeaturesOrZeroVarianceAreUsageErrors) {
  std::vector<Point> c;
  for (int k = 0; k < 29; ++k) c.push_back({k * 10.0, 0});
  EXPECT_THROW(optimizedDistanceBand(c, std::vector<double>(29, 1.0)), UsageError);
  c.push_back({300, 0});
  std::vector<double> flat(30, 2.0);
  try {
    optimizedDistanceBand(c, flat);
    FAIL() << "zero variance accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("variance is zero"), std::string::npos);
  }
}

}  // namespace
}  // namespace trygg::geo::hotspot
