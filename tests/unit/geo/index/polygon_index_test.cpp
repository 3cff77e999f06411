#include "geo/index/polygon_index.hpp"

#include <map>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "geo/index/predicates.hpp"
#include "wkb_helpers.hpp"

namespace trygg::geo {
namespace {

using test::box;
using test::Ring;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Areas {
  std::vector<std::vector<std::uint8_t>> wkb;
  std::vector<std::span<const std::uint8_t>> spans() const {
    std::vector<std::span<const std::uint8_t>> s;
    for (const auto& w : wkb) s.emplace_back(w);
    return s;
  }
};

// Fine and coarse grids must agree with each other and with the grid-free test.
std::vector<PolygonIndex> indexes(const Areas& a) {
  std::vector<PolygonIndex> v;
  v.emplace_back(a.spans());
  PolygonIndex::Options fine;
  fine.cells_per_edge = 50;
  v.emplace_back(a.spans(), fine);
  PolygonIndex::Options coarse;
  coarse.max_cells = 1;
  v.emplace_back(a.spans(), coarse);
  return v;
}

std::vector<std::uint32_t> members(const Areas& a, Point p) {
  std::vector<std::uint32_t> first;
  bool have = false;
  for (const auto& ix : indexes(a)) {
    std::vector<std::uint32_t> out;
    ix.containing(p, out);
    std::vector<std::uint32_t> brute;
    for (std::uint32_t k = 0; k < ix.size(); ++k)
      if (ix.contains(k, p)) brute.push_back(k);
    EXPECT_EQ(out, brute) << "grid and grid-free disagree at " << p.x << "," << p.y;
    if (have) {
      EXPECT_EQ(out, first);
    }
    first = out;
    have = true;
  }
  return first;
}

TEST(OrientSign, ExactOnNearlyCollinearPoints) {
  // Classic failure case of naive orientation (Kettner et al. 2008): tiny offsets.
  const Point a{12, 12}, b{24, 24};
  EXPECT_EQ(orientSign(a, b, {0.5, 0.5}), 0);
  EXPECT_EQ(orientSign(a, b, {0.5, std::nextafter(0.5, 1.0)}), 1);
  EXPECT_EQ(orientSign(a, b, {0.5, std::nextafter(0.5, 0.0)}), -1);
  // Large coordinates (SWEREF 99 TM) with a point exactly on the segment.
  EXPECT_EQ(orientSign({560000.25, 6700000.5}, {560002.25, 6700004.5}, {560001.25, 6700002.5}), 0);
}

TEST(PolygonIndex, InteriorExteriorAndOuterBorder) {
  Areas a{{test::polygonWkb({box(0, 0, 1, 1)})}};
  EXPECT_THAT(members(a, {0.5, 0.5}), ElementsAre(0));
  EXPECT_THAT(members(a, {1.5, 0.5}), IsEmpty());
  // p' = (x + eps, y + eps^2): left and bottom borders are in, right and top out.
  EXPECT_THAT(members(a, {0, 0.5}), ElementsAre(0));
  EXPECT_THAT(members(a, {0.5, 0}), ElementsAre(0));
  EXPECT_THAT(members(a, {1, 0.5}), IsEmpty());
  EXPECT_THAT(members(a, {0.5, 1}), IsEmpty());
  EXPECT_THAT(members(a, {0, 0}), ElementsAre(0));
  EXPECT_THAT(members(a, {1, 0}), IsEmpty());
  EXPECT_THAT(members(a, {0, 1}), IsEmpty());
  EXPECT_THAT(members(a, {1, 1}), IsEmpty());
}

TEST(PolygonIndex, SharedVerticalEdgeGoesToExactlyOneArea) {
  Areas a{{test::polygonWkb({box(0, 0, 1, 1)}), test::polygonWkb({box(1, 0, 2, 1)})}};
  EXPECT_THAT(members(a, {1, 0.5}), ElementsAre(1));  // shifted to +x
  EXPECT_THAT(members(a, {1, 0}), ElementsAre(1));
  EXPECT_THAT(members(a, {0.999, 0.5}), ElementsAre(0));
}

TEST(PolygonIndex, SharedHorizontalEdgeGoesToTheUpperArea) {
  Areas a{{test::polygonWkb({box(0, 0, 1, 1)}), test::polygonWkb({box(0, 1, 1, 2)})}};
  EXPECT_THAT(members(a, {0.5, 1}), ElementsAre(1));
  EXPECT_THAT(members(a, {0, 1}), ElementsAre(1));
}

TEST(PolygonIndex, SharedVertexOfFourAreas) {
  Areas a{{test::polygonWkb({box(0, 0, 1, 1)}), test::polygonWkb({box(1, 0, 2, 1)}),
           test::polygonWkb({box(0, 1, 1, 2)}), test::polygonWkb({box(1, 1, 2, 2)})}};
  EXPECT_THAT(members(a, {1, 1}), ElementsAre(3));
}

TEST(PolygonIndex, SharedDiagonalEdgeAndFan) {
  // Triangles around a centre vertex (a fan): a point on the centre or on a
  // spoke goes to exactly one triangle.
  const Point c{3, 3};
  const std::vector<Point> rim{{0, 0}, {6, 0}, {6, 6}, {0, 6}, {0, 3}};
  Areas a;
  for (std::size_t i = 0; i < rim.size(); ++i) a.wkb.push_back(test::polygonWkb({{c, rim[i], rim[(i + 1) % rim.size()]}}));
  for (const Point p : {c, Point{1, 1}, Point{4.5, 4.5}, Point{1.5, 3}, Point{4.5, 1.5}, Point{1, 5}}) {
    SCOPED_TRACE(testing::Message() << p.x << "," << p.y);
    EXPECT_EQ(members(a, p).size(), 1u);
  }
}

TEST(PolygonIndex, HolesAndTheirFill) {
  Areas a{{test::polygonWkb({box(0, 0, 4, 4), box(1, 1, 3, 3)}), test::polygonWkb({box(1, 1, 3, 3)})}};
  EXPECT_THAT(members(a, {0.5, 0.5}), ElementsAre(0));
  EXPECT_THAT(members(a, {2, 2}), ElementsAre(1));
  // On the hole's border: exactly one of the ring and its fill.
  for (const Point p : {Point{1, 2}, Point{3, 2}, Point{2, 1}, Point{2, 3}, Point{1, 1}, Point{3, 3}, Point{3, 1}, Point{1, 3}}) {
    SCOPED_TRACE(testing::Message() << p.x << "," << p.y);
    EXPECT_EQ(members(a, p).size(), 1u);
  }
}

TEST(PolygonIndex, MultiPolygonAndOverlaps) {
  Areas a{{test::multiPolygonWkb({{box(0, 0, 1, 1)}, {box(5, 5, 6, 6)}}), test::polygonWkb({box(0.5, 0.5, 5.5, 5.5)})}};
  EXPECT_THAT(members(a, {0.2, 0.2}), ElementsAre(0));
  EXPECT_THAT(members(a, {5.8, 5.8}), ElementsAre(0));
  EXPECT_THAT(members(a, {0.7, 0.7}), ElementsAre(0, 1));
  EXPECT_THAT(members(a, {5.2, 5.2}), ElementsAre(0, 1));
  EXPECT_THAT(members(a, {3, 3}), ElementsAre(1));
  EXPECT_THAT(members(a, {3, 0.2}), IsEmpty());
}

TEST(PolygonIndex, EmptyInputsAndOddPoints) {
  Areas none;
  PolygonIndex ix(none.spans());
  std::vector<std::uint32_t> out{7};
  ix.containing({0, 0}, out);
  EXPECT_THAT(out, IsEmpty());
  Areas a{{{}, test::polygonWkb({box(0, 0, 1, 1)})}};
  EXPECT_THAT(members(a, {0.5, 0.5}), ElementsAre(1));
  EXPECT_THAT(members(a, {NAN, 0.5}), IsEmpty());
  EXPECT_THAT(members(a, {-1e300, 0.5}), IsEmpty());
}

// A perturbed lattice of nx * ny quadrilaterals with shared, wiggled edges
// (like the peers' workload): an exact partition of its rectangle.
Areas tiling(std::mt19937_64& rng, int nx, int ny, std::vector<Point>& vertices) {
  std::uniform_real_distribution<double> jit(-0.3, 0.3);
  std::vector<Point> g((nx + 1) * (ny + 1));
  auto at = [&](int i, int j) -> Point& { return g[j * (nx + 1) + i]; };
  for (int j = 0; j <= ny; ++j)
    for (int i = 0; i <= nx; ++i) {
      const bool bx = i == 0 || i == nx, by = j == 0 || j == ny;
      at(i, j) = {100.0 * i + (bx ? 0 : std::round(jit(rng) * 100 * 64) / 64),
                  100.0 * j + (by ? 0 : std::round(jit(rng) * 100 * 64) / 64)};
    }
  // Each lattice edge gets 0-3 inner vertices, shared by both neighbours.
  std::map<std::pair<int, int>, std::vector<Point>> inner;
  std::uniform_int_distribution<int> cnt(0, 3);
  std::uniform_real_distribution<double> wig(-8, 8);
  auto edge = [&](int a, int b) {
    const auto key = std::minmax(a, b);
    auto it = inner.find(key);
    if (it == inner.end()) {
      const Point p = g[key.first], q = g[key.second];
      std::vector<Point> v;
      const int k = cnt(rng);
      const bool outer = (p.x == q.x && (p.x == 0 || p.x == 100.0 * nx)) || (p.y == q.y && (p.y == 0 || p.y == 100.0 * ny));
      for (int s = 1; s <= k; ++s) {
        const double t = double(s) / (k + 1);
        Point m{p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
        if (!outer) { m.x += wig(rng); m.y += wig(rng); }
        v.push_back({std::round(m.x * 16) / 16, std::round(m.y * 16) / 16});
      }
      it = inner.emplace(key, v).first;
    }
    std::vector<Point> v = it->second;
    if (a != key.first) std::reverse(v.begin(), v.end());
    return v;
  };
  Areas out;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const int c[4] = {j * (nx + 1) + i, j * (nx + 1) + i + 1, (j + 1) * (nx + 1) + i + 1, (j + 1) * (nx + 1) + i};
      Ring r;
      for (int s = 0; s < 4; ++s) {
        r.push_back(g[c[s]]);
        for (const Point& p : edge(c[s], c[(s + 1) % 4])) r.push_back(p);
      }
      for (const Point& p : r) vertices.push_back(p);
      out.wkb.push_back(test::polygonWkb({r}));
    }
  return out;
}

// Franklin's PNPOLY: an independent brute force for points off every edge.
bool pnpoly(const Ring& r, Point p) {
  bool c = false;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
    if ((r[i].y > p.y) != (r[j].y > p.y) &&
        p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
      c = !c;
  }
  return c;
}

TEST(PolygonIndex, RandomTilingEveryPointInExactlyOneArea) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    std::vector<Point> vertices;
    const Areas a = tiling(rng, 12, 9, vertices);
    const auto ixs = indexes(a);
    std::vector<Point> pts;
    std::uniform_real_distribution<double> ux(0, 1200), uy(0, 900);
    for (int i = 0; i < 20000; ++i) pts.push_back({std::round(ux(rng) * 4) / 4, std::round(uy(rng) * 4) / 4});
    for (const Point& v : vertices) pts.push_back(v);  // exactly on shared vertices
    for (const auto& ix : ixs) {
      std::vector<std::uint32_t> off, ids;
      ix.assign(pts, off, ids);
      ASSERT_EQ(off.size(), pts.size() + 1);
      for (std::size_t i = 0; i < pts.size(); ++i) {
        const Point p = pts[i];
        const bool openBorder = p.x == 1200 || p.y == 900;  // right/top border of the union
        ASSERT_EQ(off[i + 1] - off[i], openBorder ? 0u : 1u) << "point " << p.x << "," << p.y;
      }
    }
  }
}

TEST(PolygonIndex, RandomOverlappingStarsMatchBruteForceCounts) {
  for (std::uint64_t seed : {11u, 12u}) {
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1000), rad(5, 120), ang(0, 1);
    std::uniform_int_distribution<int> nv(3, 40);
    Areas a;
    std::vector<Ring> rings;
    for (int k = 0; k < 150; ++k) {
      const Point c{u(rng), u(rng)};
      const int n = nv(rng);
      Ring r;
      for (int i = 0; i < n; ++i) {
        const double t = 2 * M_PI * (i + 0.8 * ang(rng)) / n, rr = rad(rng);
        r.push_back({c.x + rr * std::cos(t), c.y + rr * std::sin(t)});
      }
      rings.push_back(r);
      a.wkb.push_back(test::polygonWkb({r}));
    }
    std::vector<Point> pts(50000);
    for (auto& p : pts) p = {u(rng), u(rng)};
    std::vector<std::uint64_t> brute(rings.size(), 0), got(rings.size(), 0);
    for (const Point& p : pts)
      for (std::size_t k = 0; k < rings.size(); ++k) brute[k] += pnpoly(rings[k], p);
    PolygonIndex ix(a.spans());
    std::vector<std::uint32_t> off, ids;
    ix.assign(pts, off, ids);
    for (std::uint32_t id : ids) ++got[id];
    EXPECT_EQ(got, brute);
    for (std::size_t i = 0; i < pts.size(); ++i)
      ASSERT_TRUE(std::is_sorted(ids.begin() + off[i], ids.begin() + off[i + 1]));
  }
}

}  // namespace
}  // namespace trygg::geo
