#include "geo/geos/geos.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <thread>

#include "core/error.hpp"

namespace g = trygg::geo;

TEST(Geos, WktRoundTrip) {
  const std::string wkt = "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))";
  const g::Wkb wkb = g::fromWkt(wkt);
  EXPECT_EQ(g::toWkt(wkb), wkt);
  EXPECT_EQ(g::geometryType(wkb), "Polygon");
  EXPECT_DOUBLE_EQ(g::area(wkb), 96.0);
  // Little-endian ISO WKB: byte order 1, type 3 (Polygon).
  ASSERT_GE(wkb.size(), 5u);
  EXPECT_EQ(wkb[0], 1);
  EXPECT_EQ(wkb[1], 3);
  EXPECT_EQ(g::toWkt(g::fromWkt("POINT (583000.25 6610000.5)")), "POINT (583000.25 6610000.5)");
}

TEST(Geos, ThreeDimensionalInputIsWrittenIn2D) {
  const g::Wkb wkb = g::fromWkt("POINT Z (1 2 3)");
  EXPECT_EQ(g::toWkt(wkb), "POINT (1 2)");
  EXPECT_EQ(wkb.size(), 21u);  // 1 + 4 + 2 * 8
}

TEST(Geos, BadWktIsADataError) {
  EXPECT_THROW((void)g::fromWkt("POLYGON ((0 0, 1 0"), trygg::DataError);
  EXPECT_THROW((void)g::area({}), trygg::DataError);
}

TEST(Geos, BowTieIsRepairedIntoTwoTriangles) {
  // Crossing at (5, 5): two triangles of base 10 and height 5, 25 m2 each.
  const g::Wkb bowtie = g::fromWkt("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
  EXPECT_FALSE(g::isValid(bowtie));
  const g::RepairResult r = g::makeValidPolygonal(bowtie);
  ASSERT_TRUE(r.ok) << r.problem;
  EXPECT_TRUE(r.repaired);
  EXPECT_NE(r.problem.find("Self-intersection"), std::string::npos) << r.problem;
  EXPECT_EQ(g::geometryType(r.wkb), "MultiPolygon");
  EXPECT_TRUE(g::isValid(r.wkb));
  EXPECT_NEAR(g::area(r.wkb), 50.0, 1e-9);
}

TEST(Geos, ValidPolygonPassesThrough) {
  const g::Wkb sq = g::fromWkt("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))");
  const g::RepairResult r = g::makeValidPolygonal(sq);
  EXPECT_TRUE(r.ok);
  EXPECT_FALSE(r.repaired);
  EXPECT_TRUE(r.problem.empty());
  EXPECT_EQ(r.wkb, sq);
}

TEST(Geos, UnusableInputIsReportedNotThrown) {
  EXPECT_FALSE(g::makeValidPolygonal({}).ok);
  const g::RepairResult pt = g::makeValidPolygonal(g::fromWkt("POINT (1 1)"));
  EXPECT_FALSE(pt.ok);
  EXPECT_NE(pt.problem.find("Point"), std::string::npos);
  // A ring with no area collapses to a line: nothing polygonal is left.
  const g::RepairResult flat = g::makeValidPolygonal(g::fromWkt("POLYGON ((0 0, 10 0, 5 0, 0 0))"));
  EXPECT_FALSE(flat.ok);
  EXPECT_FALSE(flat.problem.empty());
  const std::uint8_t junk[] = {1, 3, 0, 0};
  EXPECT_FALSE(g::makeValidPolygonal(junk).ok);
}

TEST(Geos, BufferOfAPointIsNearlyACircle) {
  const double r = 50;
  const g::Wkb disc = g::buffer(g::makePoint(583000, 6610000), r);
  // A regular 64-gon inscribed in the circle (16 segments per quarter):
  // area = (n/2) r^2 sin(2 pi / n), 0.16 % below pi r^2.
  const double n = 64;
  EXPECT_NEAR(g::area(disc), n / 2 * r * r * std::sin(2 * std::numbers::pi / n), 1e-6);
  EXPECT_NEAR(g::area(disc) / (std::numbers::pi * r * r), 1.0, 0.002);
  const g::Wkb coarse = g::buffer(g::makePoint(0, 0), r, 8);
  EXPECT_NEAR(g::area(coarse), 16 * r * r * std::sin(2 * std::numbers::pi / 32), 1e-6);
}

TEST(Geos, DifferenceIntersectionUnion) {
  const g::Wkb a = g::fromWkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))");
  const g::Wkb b = g::fromWkt("POLYGON ((5 0, 15 0, 15 10, 5 10, 5 0))");
  EXPECT_NEAR(g::area(g::difference(a, b)), 50, 1e-9);
  EXPECT_NEAR(g::area(g::intersection(a, b)), 50, 1e-9);
  EXPECT_NEAR(g::area(g::unionAll({a, b})), 150, 1e-9);
  EXPECT_TRUE(g::intersects(a, b));
  EXPECT_FALSE(g::contains(a, b));
  EXPECT_TRUE(g::covers(a, g::makePoint(10, 5)));   // on the border
  EXPECT_FALSE(g::contains(a, g::makePoint(10, 5)));
  EXPECT_DOUBLE_EQ(g::distance(a, g::makePoint(13, 14)), 5.0);
  EXPECT_EQ(g::toWkt(g::unionAll({})), "GEOMETRYCOLLECTION EMPTY");
}

TEST(Geos, PointOnSurfaceBboxAndPolygonBuilder) {
  // A U shape whose centroid lies outside it.
  const trygg::Point ring[] = {{0, 0}, {30, 0}, {30, 30}, {20, 30}, {20, 10}, {10, 10}, {10, 30}, {0, 30}};
  const g::Wkb u = g::makePolygon(ring);
  EXPECT_DOUBLE_EQ(g::area(u), 30 * 30 - 10 * 20);
  const trygg::Point c = g::centroid(u);
  EXPECT_FALSE(g::covers(u, g::makePoint(c.x, c.y)));
  const trygg::Point p = g::pointOnSurface(u);
  EXPECT_TRUE(g::covers(u, g::makePoint(p.x, p.y)));
  const trygg::BBox b = g::bbox(u);
  EXPECT_EQ(b.minx, 0);
  EXPECT_EQ(b.maxx, 30);
  EXPECT_EQ(b.maxy, 30);
  EXPECT_TRUE(g::bbox(g::fromWkt("POLYGON EMPTY")).empty());
}

TEST(Geos, WorksFromManyThreads) {
  std::vector<double> areas(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&areas, i] {
      for (int k = 0; k < 200; ++k) areas[i] = g::area(g::buffer(g::makePoint(i, k), 10 + i));
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 1; i < 4; ++i) EXPECT_GT(areas[i], areas[i - 1]);
}

TEST(PreparedArea, AgreesWithTheUnpreparedPredicates) {
  using namespace trygg::geo;
  const auto region = fromWkt("POLYGON((0 0,10 0,10 10,0 10,0 0),(4 4,6 4,6 6,4 6,4 4))");
  const PreparedArea p(region);
  const auto inside = fromWkt("POLYGON((1 1,2 1,2 2,1 2,1 1))");
  const auto edge = fromWkt("POLYGON((9 9,11 9,11 11,9 11,9 9))");
  const auto hole = fromWkt("POLYGON((4.5 4.5,5.5 4.5,5.5 5.5,4.5 5.5,4.5 4.5))");
  const auto outside = fromWkt("POLYGON((20 20,21 20,21 21,20 21,20 20))");
  EXPECT_TRUE(p.covers(inside));
  EXPECT_FALSE(p.covers(edge));
  EXPECT_TRUE(p.intersects(edge));
  EXPECT_FALSE(p.intersects(hole));
  EXPECT_FALSE(p.intersects(outside));
  EXPECT_DOUBLE_EQ(p.intersectionArea(inside), 1.0);
  EXPECT_DOUBLE_EQ(p.intersectionArea(edge), 1.0);
  EXPECT_DOUBLE_EQ(p.intersectionArea(hole), 0.0);
  EXPECT_DOUBLE_EQ(p.intersectionArea(outside), 0.0);
  EXPECT_DOUBLE_EQ(p.intersectionArea(edge), area(intersection(region, edge)));
}
