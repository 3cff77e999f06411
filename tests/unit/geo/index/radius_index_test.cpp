#include "geo/index/radius_index.hpp"

#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "wkb_helpers.hpp"

namespace trygg::geo {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(RadiusIndex, PointPlacesCoverTheirDisc) {
  const std::vector<RadiusSource> src{{{0, 0}, 50, {}}, {{60, 0}, 20, {}}};
  RadiusIndex ix(src);
  std::vector<std::uint32_t> out;
  ix.covering({0, 0}, out);
  EXPECT_THAT(out, ElementsAre(0));
  ix.covering({50, 0}, out);  // exactly r: covered (distance <= r)
  EXPECT_THAT(out, ElementsAre(0, 1));
  ix.covering({30, 40}, out);  // 3-4-5: exactly 50
  EXPECT_THAT(out, ElementsAre(0));
  ix.covering({36, 36}, out);  // inside the bbox, outside the disc
  EXPECT_THAT(out, IsEmpty());
  ix.covering({81, 0}, out);
  EXPECT_THAT(out, IsEmpty());
}

TEST(RadiusIndex, PolygonPlaceIsGrownByItsRadius) {
  const auto sq = test::polygonWkb({test::box(0, 0, 100, 100)});
  const std::vector<RadiusSource> src{{{50, 50}, 10, sq}};
  RadiusIndex ix(src);
  std::vector<std::uint32_t> out;
  ix.covering({50, 50}, out);
  EXPECT_THAT(out, ElementsAre(0));
  ix.covering({109, 50}, out);
  EXPECT_THAT(out, ElementsAre(0));
  ix.covering({50, -10}, out);
  EXPECT_THAT(out, ElementsAre(0));
  ix.covering({108, 108}, out);  // beyond the rounded corner (11.3 m)
  EXPECT_THAT(out, IsEmpty());
  ix.covering({106, 106}, out);  // 8.5 m from the corner
  EXPECT_THAT(out, ElementsAre(0));
}

TEST(RadiusIndex, FromPlacesAndRandomBruteForce) {
  std::mt19937_64 rng(7);
  SCOPED_TRACE("seed 7");
  std::uniform_real_distribution<double> u(0, 2000), r(0, 80);
  std::vector<model::Place> places(400);
  for (std::size_t k = 0; k < places.size(); ++k) {
    auto& p = places[k];
    p.anchor = {u(rng), u(rng)};
    p.radius = r(rng);
    if (k % 5 == 0)
      p.geom.wkb = test::polygonWkb({test::box(p.anchor.x - 20, p.anchor.y - 10, p.anchor.x + 20, p.anchor.y + 10)});
    else
      p.geom.wkb = test::pointWkb(p.anchor);
  }
  const auto src = RadiusIndex::sourcesFromPlaces(places);
  RadiusIndex ix(src);
  std::vector<Point> pts(20000);
  for (auto& p : pts) p = {u(rng), u(rng)};
  std::vector<std::uint32_t> off, ids;
  ix.assign(pts, off, ids);
  std::size_t brute = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    std::vector<std::uint32_t> want;
    for (std::uint32_t k = 0; k < places.size(); ++k) {
      const auto& pl = places[k];
      double d2;
      if (k % 5 == 0) {
        const double dx = std::max({pl.anchor.x - 20 - pts[i].x, 0.0, pts[i].x - pl.anchor.x - 20});
        const double dy = std::max({pl.anchor.y - 10 - pts[i].y, 0.0, pts[i].y - pl.anchor.y - 10});
        d2 = dx * dx + dy * dy;
      } else {
        d2 = std::pow(pts[i].x - pl.anchor.x, 2) + std::pow(pts[i].y - pl.anchor.y, 2);
      }
      if (d2 <= pl.radius * pl.radius) want.push_back(k);
    }
    brute += want.size();
    ASSERT_EQ(std::vector<std::uint32_t>(ids.begin() + off[i], ids.begin() + off[i + 1]), want) << "point " << i;
  }
  EXPECT_EQ(ids.size(), brute);
  EXPECT_GT(brute, 100u);
}

TEST(RadiusIndex, RejectsNegativeRadius) {
  const std::vector<RadiusSource> src{{{0, 0}, -1, {}}};
  EXPECT_THROW(RadiusIndex{src}, UsageError);
}

}  // namespace
}  // namespace trygg::geo
