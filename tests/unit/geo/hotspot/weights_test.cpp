// Spatial weights: band/kNN against brute force, kNN and polygon contiguity
// against spdep's neighbour lists (tests/reference/gistar/make_reference.R).
#include "geo/hotspot/weights.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/reference_csv.hpp"

#include "core/error.hpp"

namespace trygg::geo::hotspot {
namespace {

using trygg::test::readCsvRows;
const std::string kRef = std::string(TRYGG_REFERENCE_DIR) + "/gistar/";

std::vector<Point> randomPoints(std::size_t n, unsigned seed, double extent) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, extent);
  std::vector<Point> p(n);
  for (auto& q : p) q = {u(g), u(g)};
  return p;
}

TEST(Weights, DistanceBandIsInclusiveAndSorted) {
  const std::vector<Point> pts{{10, 10}, {20, 10}, {40, 10}, {15, 20}, {30, 20}, {30, 30}};
  const Weights w = distanceBandWeights(pts, 15, false);
  ASSERT_EQ(w.size(), 6u);
  // (15,20)-(30,20) are exactly 15 apart: neighbours.
  const auto r3 = w.row(3);
  EXPECT_EQ(std::vector<std::uint32_t>(r3.begin(), r3.end()), (std::vector<std::uint32_t>{0, 1, 4}));
  const Weights ws = distanceBandWeights(pts, 15, true);
  const auto s3 = ws.row(3);
  EXPECT_EQ(std::vector<std::uint32_t>(s3.begin(), s3.end()), (std::vector<std::uint32_t>{0, 1, 3, 4}));
  EXPECT_TRUE(ws.includes_self);
  EXPECT_FALSE(w.includes_self);
}

TEST(Weights, DistanceBandMatchesBruteForce) {
  auto pts = randomPoints(1500, 3, 1000);
  pts.push_back(pts[10]);  // a coincident pair: neighbours at distance 0 (spdep bounds GE)
  const double band = 57.5;
  const Weights w = distanceBandWeights(pts, band, false);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    std::vector<std::uint32_t> expect;
    for (std::size_t j = 0; j < pts.size(); ++j)
      if (j != i && std::hypot(pts[j].x - pts[i].x, pts[j].y - pts[i].y) <= band) expect.push_back(static_cast<std::uint32_t>(j));
    const auto row = w.row(i);
    ASSERT_EQ(std::vector<std::uint32_t>(row.begin(), row.end()), expect) << "row " << i;
  }
}

TEST(Weights, KnnMatchesBruteForceWithTiesByIndex) {
  // A lattice has many ties: the k-th neighbour is the lowest index among equals.
  std::vector<Point> pts;
  for (int r = 0; r < 12; ++r)
    for (int c = 0; c < 15; ++c) pts.push_back({c * 10.0, r * 10.0});
  for (int k : {1, 4, 6, 9}) {
    const Weights w = knnWeights(pts, k, false);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      std::vector<std::pair<double, std::uint32_t>> all;
      for (std::size_t j = 0; j < pts.size(); ++j)
        if (j != i) {
          const double dx = pts[j].x - pts[i].x, dy = pts[j].y - pts[i].y;
          all.push_back({dx * dx + dy * dy, static_cast<std::uint32_t>(j)});
        }
      std::sort(all.begin(), all.end());
      std::vector<std::uint32_t> expect;
      for (int a = 0; a < k; ++a) expect.push_back(all[static_cast<std::size_t>(a)].second);
      std::sort(expect.begin(), expect.end());
      const auto row = w.row(i);
      ASSERT_EQ(std::vector<std::uint32_t>(row.begin(), row.end()), expect) << "k " << k << " row " << i;
    }
  }
}

TEST(Weights, KnnMatchesSpdepKnearneigh) {
  std::vector<Point> pts;
  for (const auto& f : readCsvRows(kRef + "points200.csv")) pts.push_back({std::stod(f[1]), std::stod(f[2])});
  ASSERT_EQ(pts.size(), 200u);
  std::map<std::uint32_t, std::set<std::uint32_t>> ref;
  for (const auto& f : readCsvRows(kRef + "points200_knn6.csv"))
    ref[static_cast<std::uint32_t>(std::stoul(f[0]))].insert(static_cast<std::uint32_t>(std::stoul(f[1])));
  const Weights w = knnWeights(pts, 6, false);
  bool asymmetric = false;
  for (std::uint32_t i = 0; i < 200; ++i) {
    const auto row = w.row(i);
    EXPECT_EQ(std::set<std::uint32_t>(row.begin(), row.end()), ref[i]) << "row " << i;
    for (std::uint32_t j : row)
      if (!ref[j].count(i)) asymmetric = true;
  }
  EXPECT_TRUE(asymmetric);
}

std::vector<PolygonRings> columbus() {
  std::vector<PolygonRings> polys;
  std::map<std::pair<int, int>, bool> seen;
  int last_id = -1, last_part = -1, last_ring = -1;
  for (const auto& f : readCsvRows(kRef + "columbus_rings.csv")) {
    const int id = std::stoi(f[0]), part = std::stoi(f[1]), ring = std::stoi(f[2]);
    if (id != last_id) polys.emplace_back();
    if (id != last_id || part != last_part || ring != last_ring) polys.back().emplace_back();
    polys.back().back().push_back({std::stod(f[3]), std::stod(f[4])});
    last_id = id;
    last_part = part;
    last_ring = ring;
  }
  return polys;
}

void expectNb(const Weights& w, const std::string& file) {
  std::map<std::uint32_t, std::set<std::uint32_t>> ref;
  for (const auto& f : readCsvRows(kRef + file))
    ref[static_cast<std::uint32_t>(std::stoul(f[0]))].insert(static_cast<std::uint32_t>(std::stoul(f[1])));
  for (std::uint32_t i = 0; i < w.size(); ++i) {
    const auto row = w.row(i);
    EXPECT_EQ(std::set<std::uint32_t>(row.begin(), row.end()), ref[i]) << file << " row " << i;
  }
}

TEST(Weights, PolygonContiguityMatchesSpdepPoly2nb) {
  const auto polys = columbus();
  ASSERT_EQ(polys.size(), 49u);
  expectNb(polygonContiguityWeights(polys, Contiguity::Queen, false), "columbus_queen_nb.csv");
  expectNb(polygonContiguityWeights(polys, Contiguity::Rook, false), "columbus_rook_nb.csv");
}

TEST(Weights, LatticeQueenAndRook) {
  const Weights q = latticeContiguityWeights(3, 4, Contiguity::Queen, false);
  EXPECT_EQ(q.count(0), 3u);
  EXPECT_EQ(q.count(5), 8u);
  const Weights r = latticeContiguityWeights(3, 4, Contiguity::Rook, true);
  EXPECT_EQ(r.count(5), 5u);
  const auto row = r.row(5);
  EXPECT_EQ(std::vector<std::uint32_t>(row.begin(), row.end()), (std::vector<std::uint32_t>{1, 4, 5, 6, 9}));
  // The lattice equals a sqrt(2)-cell distance band on cell centres.
  std::vector<Point> c;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) c.push_back({j * 100.0 + 50, i * 100.0 + 50});
  const Weights d = distanceBandWeights(c, 150, false);
  EXPECT_EQ(d.neighbours, q.neighbours);
  EXPECT_EQ(d.offsets, q.offsets);
}

TEST(Weights, WithSelfAndRowStandardised) {
  const Weights q = latticeContiguityWeights(3, 3, Contiguity::Rook, false);
  const Weights s = withSelf(q);
  EXPECT_TRUE(s.includes_self);
  const auto row = s.row(4);
  EXPECT_EQ(std::vector<std::uint32_t>(row.begin(), row.end()), (std::vector<std::uint32_t>{1, 3, 4, 5, 7}));
  const Weights rs = rowStandardised(q);
  for (std::size_t i = 0; i < rs.size(); ++i) {
    double sum = 0;
    for (double v : rs.rowWeights(i)) sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-15);
  }
  const WeightsSummary sm = summarise(q);
  EXPECT_EQ(sm.min_neighbours, 2u);
  EXPECT_EQ(sm.max_neighbours, 4u);
}

TEST(Weights, BadParametersAreUsageErrors) {
  const std::vector<Point> pts{{0, 0}, {1, 1}, {2, 2}};
  EXPECT_THROW(distanceBandWeights(pts, 0, true), UsageError);
  EXPECT_THROW(distanceBandWeights(pts, -1, true), UsageError);
  EXPECT_THROW(knnWeights(pts, 3, false), UsageError);
  EXPECT_THROW(knnWeights(pts, 0, false), UsageError);
  const std::vector<Point> bad{{0, 0}, {NAN, 1}};
  EXPECT_THROW(distanceBandWeights(bad, 1, true), UsageError);
}

}  // namespace
}  // namespace trygg::geo::hotspot
